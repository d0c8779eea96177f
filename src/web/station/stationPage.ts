import type { TranslationVars } from '../../services/i18n/translator';
import { escapeHtml, renderPage, type PageContext, type PageShell } from '../pages/layout';

/** A translated text from locales/<lang>/station.json, not escaped (for titles, which renderPage escapes). */
export function stationPlain(ctx: PageContext, key: string, vars?: TranslationVars): string {
  return ctx.translator.t(ctx.language, `station:${key}`, vars);
}

/** A translated text from locales/<lang>/station.json, HTML-escaped. */
export function st(ctx: PageContext, key: string, vars?: TranslationVars): string {
  return escapeHtml(stationPlain(ctx, key, vars));
}

/** What the station pages add to the shared look: the file input, the secondary buttons, the "or". */
const STATION_CSS = `
input[type=file]{display:block;width:100%;min-height:56px;padding:.5rem;font-size:1.125rem;color:#111;background:#fff;border:2px dashed #111;border-radius:4px}
input[type=file]::file-selector-button{min-height:44px;margin-right:.75rem;padding:.5rem 1rem;font:inherit;font-weight:700;color:#0a3a8c;background:#fff;border:2px solid #0a3a8c;border-radius:4px}
.field--error input[type=file]{border-color:#b3001b;border-width:3px}
button.secondary{color:#0a3a8c;background:#fff}
button.secondary:hover{background:#eef3fb}
.action{margin:0 0 1.5rem}
.action p{margin:.5rem 0 0}
.or{display:flex;align-items:center;gap:.75rem;margin:0 0 1.5rem;color:#333;font-weight:700}
.or::before,.or::after{content:"";flex:1;border-top:2px solid #ccc}
.mac{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:700;letter-spacing:.03em;overflow-wrap:anywhere}
input.mac-input{font-family:ui-monospace,Menlo,Consolas,monospace;letter-spacing:.05em}
.next-link{display:block;min-height:48px;padding:.75rem 0;font-weight:700}
`;

/** The shared page shell with the station pages' extra style (allowed by the same nonce). */
export function renderStationPage(ctx: PageContext, shell: PageShell): string {
  return renderPage(ctx, { ...shell, body: `<style nonce="${escapeHtml(ctx.nonce)}">${STATION_CSS}</style>\n${shell.body}` });
}
