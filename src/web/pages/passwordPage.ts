import type { PasswordProblem } from '../../domain/passwordPolicy';
import { PASSWORD_PAGE_PATH, TEAMS_DIALOG_HOST } from '../../domain/links';
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

function fieldHtml(
  ctx: PageContext,
  field: Field,
  problems: PasswordProblem[],
  options: { label: string; hint?: string },
): string {
  const errors = problems.filter((p) => p.field === field);
  const describedBy: string[] = [];
  let hint = '';
  if (options.hint) {
    hint = `<p class="hint" id="${field}-hint">${options.hint}</p>`;
    describedBy.push(`${field}-hint`);
  }
  let error = '';
  if (errors.length > 0) {
    const messages = errors.map((p) => text(ctx, `password.errors.${field}.${p.code}`)).join(' ');
    error = `<p class="field-error" id="${field}-error">${messages}</p>`;
    describedBy.push(`${field}-error`);
  }
  const attributes = [
    `id="${field}"`,
    `name="${field}"`,
    'type="password"',
    'autocomplete="new-password"',
    'autocapitalize="none"',
    'spellcheck="false"',
    'aria-required="true"',
    describedBy.length > 0 ? `aria-describedby="${describedBy.join(' ')}"` : '',
    errors.length > 0 ? 'aria-invalid="true"' : '',
  ].filter(Boolean);
  return `<div class="field${errors.length > 0 ? ' field--error' : ''}">
<label for="${field}">${options.label}</label>
${hint}${error}<input ${attributes.join(' ')}>
</div>`;
}

/** The form that sets the password: two password fields, each with its own errors next to it. */
export function renderPasswordPage(ctx: PageContext, view: PasswordFormView): string {
  const { problems } = view;
  const summary =
    problems.length === 0
      ? ''
      : `<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
<h2 id="error-summary-title">${text(ctx, 'password.errorSummary')}</h2>
<ul>
${problems.map((p) => `<li><a href="#${p.field}">${text(ctx, `password.errors.${p.field}.${p.code}`)}</a></li>`).join('\n')}
</ul>
</div>`;
  const body = `${summary}
<h1>${text(ctx, 'password.heading')}</h1>
<p>${text(ctx, 'password.intro')}<br><span class="account">${escapeHtml(view.email)}</span></p>
<form method="post" action="${PASSWORD_PAGE_PATH}" novalidate>
<input type="hidden" name="token" value="${escapeHtml(view.token)}">
<input type="hidden" name="lang" value="${ctx.language}">${view.inTeams ? `\n<input type="hidden" name="host" value="${TEAMS_DIALOG_HOST}">` : ''}
<input type="email" name="username" autocomplete="username" value="${escapeHtml(view.email)}" readonly hidden>
${fieldHtml(ctx, 'password', problems, { label: text(ctx, 'password.passwordLabel'), hint: text(ctx, 'password.passwordHint') })}
${fieldHtml(ctx, 'confirmation', problems, { label: text(ctx, 'password.confirmationLabel') })}
<button type="submit">${text(ctx, 'password.submit')}</button>
</form>
<p class="note">${text(ctx, 'password.privacy')}</p>`;
  return renderPage(ctx, { title: ctx.translator.t(ctx.language, 'pages:password.title'), body, hasErrors: problems.length > 0 });
}
