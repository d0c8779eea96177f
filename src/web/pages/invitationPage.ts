import { ACCOUNT_FIELD_MAX, type AccountField, type AccountSetupProblem } from '../../domain/accountSetup';
import { INVITATION_PAGE_PATH } from '../../domain/links';
import { errorSummaryHtml, fieldHtml } from './formParts';
import { escapeHtml, renderPage, text, type PageContext } from './layout';

export interface InvitationFormView {
  /** The link token, carried in a hidden field to the POST (it is what makes the form the installer's own). */
  token: string;
  /** The values shown: from the profile on first display, as typed after a refused submit. */
  firstName: string;
  lastName: string;
  company: string;
  termsAccepted: boolean;
  /** Problems from the last attempt (empty on first display). */
  problems: AccountSetupProblem[];
}

const TERMS = ['work', 'stations', 'account', 'data'] as const;

const problemText = (ctx: PageContext, problem: AccountSetupProblem): string =>
  text(ctx, `invitation.errors.${problem.field}.${problem.code}`, { max: ACCOUNT_FIELD_MAX });

function fieldErrors(ctx: PageContext, field: AccountField, problems: AccountSetupProblem[]): { html: string; ids: string[] } {
  const errors = problems.filter((p) => p.field === field);
  if (errors.length === 0) return { html: '', ids: [] };
  return { html: `<p class="field-error" id="${field}-error">${errors.map((p) => problemText(ctx, p)).join(' ')}</p>`, ids: [`${field}-error`] };
}

function textField(ctx: PageContext, field: 'firstName' | 'lastName' | 'company', view: InvitationFormView, autocomplete: string, hintKey?: string): string {
  return fieldHtml({
    id: field,
    label: text(ctx, `invitation.${field}Label`),
    ...(hintKey ? { hint: text(ctx, hintKey) } : {}),
    errors: view.problems.filter((p) => p.field === field).map((p) => problemText(ctx, p)),
    attributes: ['type="text"', `autocomplete="${autocomplete}"`, `maxlength="${ACCOUNT_FIELD_MAX * 2}"`, 'aria-required="true"', `value="${escapeHtml(view[field])}"`],
  });
}

/** The invitation page: name and company to confirm or correct, the terms and a checkbox to accept them. A plain form: no script needed. */
export function renderInvitationPage(ctx: PageContext, view: InvitationFormView): string {
  const { problems } = view;
  const summary = errorSummaryHtml(
    text(ctx, 'invitation.errorSummary'),
    problems.map((p) => ({ field: p.field, message: problemText(ctx, p) })),
  );
  const termsErrors = fieldErrors(ctx, 'terms', problems);
  const body = `${summary}
<h1>${text(ctx, 'invitation.heading')}</h1>
<p>${text(ctx, 'invitation.intro')}</p>
<form method="post" action="${INVITATION_PAGE_PATH}" novalidate>
<input type="hidden" name="token" value="${escapeHtml(view.token)}">
<input type="hidden" name="lang" value="${ctx.language}">
${textField(ctx, 'firstName', view, 'given-name')}
${textField(ctx, 'lastName', view, 'family-name')}
${textField(ctx, 'company', view, 'organization', 'invitation.companyHint')}
<section class="terms" aria-labelledby="terms-heading">
<h2 id="terms-heading">${text(ctx, 'invitation.termsHeading')}</h2>
<ul>
${TERMS.map((key) => `<li>${text(ctx, `invitation.terms.${key}`)}</li>`).join('\n')}
</ul>
</section>
<div class="field check${termsErrors.ids.length > 0 ? ' field--error' : ''}">
${termsErrors.html}<label for="terms"><input id="terms" name="terms" type="checkbox" value="accepted"${view.termsAccepted ? ' checked' : ''} aria-required="true"${termsErrors.ids.length > 0 ? ` aria-invalid="true" aria-describedby="${termsErrors.ids.join(' ')}"` : ''}>
<span>${text(ctx, 'invitation.termsLabel')}</span></label>
</div>
<button type="submit">${text(ctx, 'invitation.submit')}</button>
</form>`;
  return renderPage(ctx, { title: ctx.translator.t(ctx.language, 'pages:invitation.title'), body, hasErrors: problems.length > 0 });
}
