import { STATION_LOCATION_PATH } from '../../domain/links';
import { escapeHtml, type PageContext } from '../pages/layout';
import type { PositionField, PositionFieldProblem } from './identify';
import { geolocationScript } from './scripts';
import { errorSummaryHtml, fieldHtml } from '../pages/formParts';
import { renderStationPage, st, stationPlain } from './stationPage';

export interface LocationFormView {
  token: string;
  /** The normalised MAC address of the station being pinpointed. */
  mac: string;
  /** What the fields held last time (shown again to be corrected). */
  latitude: string;
  longitude: string;
  accuracy: string;
  problems: PositionFieldProblem[];
}

const problemText = (ctx: PageContext, problem: PositionFieldProblem) => st(ctx, `location.errors.${problem.field}.${problem.code}`);

function coordinateField(ctx: PageContext, field: PositionField, value: string, problems: PositionFieldProblem[]): string {
  return fieldHtml({
    id: field,
    label: st(ctx, `location.${field}Label`),
    hint: st(ctx, `location.${field}Hint`),
    errors: problems.filter((p) => p.field === field).map((p) => problemText(ctx, p)),
    attributes: ['type="text"', 'inputmode="decimal"', `value="${escapeHtml(value)}"`, 'autocomplete="off"', 'spellcheck="false"'],
  });
}

/**
 * Pinpoint the station: "Use my position" (geolocation, shown by script) fills the two
 * coordinate fields, which can also be typed (decimal comma or point) without JavaScript.
 */
export function renderLocationPage(ctx: PageContext, view: LocationFormView): string {
  const { problems } = view;
  // the texts the script shows, %m standing for the metres of uncertainty
  const geoText = (key: string) => st(ctx, `location.${key}`, { meters: '%m' });
  const summary = errorSummaryHtml(
    st(ctx, 'location.errorSummary'),
    problems.map((p) => ({ field: p.field, message: problemText(ctx, p) })),
  );
  const body = `${summary}
<h1>${st(ctx, 'location.heading')}</h1>
<p>${st(ctx, 'location.station')} <span class="mac">${escapeHtml(view.mac)}</span></p>
<p>${st(ctx, 'location.intro')}</p>
<form method="post" action="${STATION_LOCATION_PATH}" novalidate>
<input type="hidden" name="token" value="${escapeHtml(view.token)}">
<input type="hidden" name="lang" value="${ctx.language}">
<input type="hidden" name="mac" value="${escapeHtml(view.mac)}">
<input type="hidden" name="accuracy" id="accuracy" value="${escapeHtml(view.accuracy)}">
<div class="action" id="geo" hidden data-decimal="${ctx.language === 'nb' ? ',' : '.'}" data-locating="${geoText('locating')}" data-located="${geoText('located')}" data-inaccurate="${geoText('inaccurate')}" data-denied="${geoText('denied')}" data-unavailable="${geoText('unavailable')}" data-timeout="${geoText('timeout')}">
<button type="button" id="geo-button" class="secondary">${st(ctx, 'location.useMyPosition')}</button>
<p id="geo-status" role="status" aria-live="polite"></p>
</div>
${coordinateField(ctx, 'latitude', view.latitude, problems)}
${coordinateField(ctx, 'longitude', view.longitude, problems)}
<button type="submit">${st(ctx, 'location.submit')}</button>
</form>`;
  return renderStationPage(ctx, {
    title: stationPlain(ctx, 'location.title'),
    body,
    hasErrors: problems.length > 0,
    scripts: geolocationScript(ctx.nonce),
  });
}
