import type { PasswordProblem } from '../../domain/passwordPolicy';
import { PASSWORD_PAGE_PATH, TEAMS_DIALOG_HOST } from '../../domain/links';
import { errorSummaryHtml, fieldHtml } from './formParts';
import { escapeHtml, renderPage, text, type PageContext } from './layout';

export interface PasswordFormView {
  /** The account the password is for, shown so the installer knows which one. */
  email: string;
  /** The link token, carried in a hidden field to the POST. */
  token: string;
  /** Problems from the last attempt (empty on first display). The typed password is never shown again. */
  problems: PasswordProblem[];
  /** Opened as a Teams dialog (the link from task/fetch): the saved page then closes the dialog. */
  inTeams?: boolean;
}

type Field = PasswordProblem['field'];

/** A password field with its own errors next to it. */
function passwordField(ctx: PageContext, field: Field, problems: PasswordProblem[], options: { label: string; hint?: string }): string {
  return fieldHtml({
    id: field,
    label: options.label,
    ...(options.hint ? { hint: options.hint } : {}),
    errors: problems.filter((p) => p.field === field).map((p) => text(ctx, `password.errors.${field}.${p.code}`)),
    attributes: ['type="password"', 'autocomplete="new-password"', 'autocapitalize="none"', 'spellcheck="false"', 'aria-required="true"'],
  });
}

/** The form that sets the password: two password fields, each with its own errors next to it. */
export function renderPasswordPage(ctx: PageContext, view: PasswordFormView): string {
  const { problems } = view;
  const summary = errorSummaryHtml(
    text(ctx, 'password.errorSummary'),
    problems.map((p) => ({ field: p.field, message: text(ctx, `password.errors.${p.field}.${p.code}`) })),
  );
  const body = `${summary}
<h1>${text(ctx, 'password.heading')}</h1>
<p>${text(ctx, 'password.intro')}<br><span class="account">${escapeHtml(view.email)}</span></p>
<form method="post" action="${PASSWORD_PAGE_PATH}" novalidate>
<input type="hidden" name="token" value="${escapeHtml(view.token)}">
<input type="hidden" name="lang" value="${ctx.language}">${view.inTeams ? `\n<input type="hidden" name="host" value="${TEAMS_DIALOG_HOST}">` : ''}
<input type="email" name="username" autocomplete="username" value="${escapeHtml(view.email)}" readonly hidden>
${passwordField(ctx, 'password', problems, { label: text(ctx, 'password.passwordLabel'), hint: text(ctx, 'password.passwordHint') })}
${passwordField(ctx, 'confirmation', problems, { label: text(ctx, 'password.confirmationLabel') })}
<button type="submit">${text(ctx, 'password.submit')}</button>
</form>
<p class="note">${text(ctx, 'password.privacy')}</p>`;
  return renderPage(ctx, { title: ctx.translator.t(ctx.language, 'pages:password.title'), body, hasErrors: problems.length > 0 });
}
