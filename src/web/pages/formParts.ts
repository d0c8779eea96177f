/** The pieces every server-rendered form is made of (account pages, station pages). */

export interface FieldView {
  id: string;
  /** Escaped label text. */
  label: string;
  /** Escaped hint text. */
  hint?: string;
  /** Escaped messages of the problems with this field (empty when none). */
  errors: string[];
  /** The <input> attributes besides id, name and the aria ones (already escaped). */
  attributes: string[];
}

/** One labelled input with its hint and its errors, tied together with aria-describedby. */
export function fieldHtml(view: FieldView): string {
  const describedBy: string[] = [];
  let hint = '';
  if (view.hint) {
    hint = `<p class="hint" id="${view.id}-hint">${view.hint}</p>`;
    describedBy.push(`${view.id}-hint`);
  }
  let error = '';
  if (view.errors.length > 0) {
    error = `<p class="field-error" id="${view.id}-error">${view.errors.join(' ')}</p>`;
    describedBy.push(`${view.id}-error`);
  }
  const attributes = [
    `id="${view.id}"`,
    `name="${view.id}"`,
    ...view.attributes,
    describedBy.length > 0 ? `aria-describedby="${describedBy.join(' ')}"` : '',
    view.errors.length > 0 ? 'aria-invalid="true"' : '',
  ].filter(Boolean);
  return `<div class="field${view.errors.length > 0 ? ' field--error' : ''}">
<label for="${view.id}">${view.label}</label>
${hint}${error}<input ${attributes.join(' ')}>
</div>`;
}

/** The box at the top of a re-shown form: what to fix, each item a link to its field. */
export function errorSummaryHtml(title: string, items: Array<{ field: string; message: string }>): string {
  if (items.length === 0) return '';
  return `<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
<h2 id="error-summary-title">${title}</h2>
<ul>
${items.map((item) => `<li><a href="#${item.field}">${item.message}</a></li>`).join('\n')}
</ul>
</div>`;
}
