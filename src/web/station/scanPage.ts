import { STATION_SCAN_PATH } from '../../domain/links';
import { escapeHtml, type PageContext } from '../pages/layout';
import type { ScanProblem } from './identify';
import { scanScripts } from './scripts';
import { errorSummaryHtml, fieldHtml } from '../pages/formParts';
import { renderStationPage, st, stationPlain } from './stationPage';

export interface ScanFormView {
  /** The link token, carried in a hidden field to the POST. */
  token: string;
  /** What was typed in the code field last time (not secret; shown again to be corrected). */
  code: string;
  problems: ScanProblem[];
}

const problemText = (ctx: PageContext, problem: ScanProblem) => st(ctx, `scan.errors.${problem.code}`);

/**
 * Identify the station: the Teams scanner (Teams mobile only, shown by script), a photo of the
 * QR code (decoded on the server, so it works without JavaScript), or the MAC address typed.
 */
export function renderScanPage(ctx: PageContext, view: ScanFormView): string {
  const { problems } = view;
  const errorsOf = (field: ScanProblem['field']) => problems.filter((p) => p.field === field).map((p) => problemText(ctx, p));
  const summary = errorSummaryHtml(
    st(ctx, 'scan.errorSummary'),
    problems.map((p) => ({ field: p.field, message: problemText(ctx, p) })),
  );
  const body = `${summary}
<h1>${st(ctx, 'scan.heading')}</h1>
<p>${st(ctx, 'scan.intro')}</p>
<form id="station-form" method="post" action="${STATION_SCAN_PATH}" enctype="multipart/form-data" novalidate>
<input type="hidden" name="token" value="${escapeHtml(view.token)}">
<input type="hidden" name="lang" value="${ctx.language}">
<div class="action" id="teams-scan" hidden>
<button type="button" id="scan-button" class="secondary">${st(ctx, 'scan.scanButton')}</button>
<p class="field-error" id="scan-status" role="status" aria-live="polite" data-failed="${st(ctx, 'scan.scanFailed')}"></p>
</div>
${fieldHtml({
  id: 'photo',
  label: st(ctx, 'scan.photoLabel'),
  hint: st(ctx, 'scan.photoHint'),
  errors: errorsOf('photo'),
  attributes: ['type="file"', 'accept="image/*"', 'capture="environment"'],
})}
<p class="or">${st(ctx, 'scan.or')}</p>
${fieldHtml({
  id: 'code',
  label: st(ctx, 'scan.codeLabel'),
  hint: st(ctx, 'scan.codeHint'),
  errors: errorsOf('code'),
  attributes: [
    'type="text"',
    'class="mac-input"',
    `value="${escapeHtml(view.code)}"`,
    'autocapitalize="characters"',
    'autocomplete="off"',
    'autocorrect="off"',
    'spellcheck="false"',
    'enterkeyhint="go"',
  ],
})}
<button type="submit">${st(ctx, 'scan.submit')}</button>
</form>`;
  return renderStationPage(ctx, {
    title: stationPlain(ctx, 'scan.title'),
    body,
    hasErrors: problems.length > 0,
    scripts: scanScripts(ctx.nonce),
  });
}
