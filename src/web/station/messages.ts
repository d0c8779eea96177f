import type { LinkTokenFailure } from '../../services/tokens/hmacLinkTokens';
import { STATION_LINK_TTL_MS } from '../../services/tokens/linkTokens';
import { escapeHtml, type PageContext } from '../pages/layout';
import { submitScripts } from './scripts';
import { renderStationPage, st, stationPlain } from './stationPage';

/** A station link that cannot be used, and how to get a new one (type "stasjon"/"station" in the chat). */
export function renderStationProblemPage(ctx: PageContext, reason: LinkTokenFailure): string {
  const title = stationPlain(ctx, `problem.${reason}.heading`);
  const body = `<div role="alert">
<h1>${escapeHtml(title)}</h1>
<p>${st(ctx, `problem.${reason}.body`, { hours: Math.round(STATION_LINK_TTL_MS / 3_600_000) })}</p>
<p><strong>${st(ctx, 'problem.hint')}</strong></p>
</div>`;
  return renderStationPage(ctx, { title, body, bodyClass: 'message--problem' });
}

export interface LocalizedView {
  mac: string;
  /** Back to the scan page with the same link, for the next station on the site. */
  anotherHref: string;
}

/** The station is recorded: say so, offer the next one, and close the Teams dialog when in one. */
export function renderLocalizedPage(ctx: PageContext, view: LocalizedView): string {
  const title = stationPlain(ctx, 'done.heading');
  const body = `<div role="status">
<h1>${escapeHtml(title)}</h1>
<p>${st(ctx, 'done.body', { mac: view.mac })}</p>
<p>${st(ctx, 'done.next')}</p>
</div>
<p><a class="next-link" href="${escapeHtml(view.anotherHref)}">${st(ctx, 'done.another')}</a></p>
<p class="note">${st(ctx, 'done.teams')}</p>`;
  return renderStationPage(ctx, {
    title,
    body,
    bodyClass: 'message--ok',
    scripts: submitScripts(ctx.nonce, { stationLocalized: view.mac }),
  });
}
