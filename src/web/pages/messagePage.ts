import type { LinkTokenFailure } from '../../services/tokens/hmacLinkTokens';
import { CONFIRM_LINK_TTL_MS, INVITATION_LINK_TTL_MS, PASSWORD_LINK_TTL_MS, type TokenPurpose } from '../../services/tokens/linkTokens';
import { escapeHtml, renderPage, text, type PageContext } from './layout';

/** The one-message pages: the outcome of a link, or what went wrong with it. */
export type PageMessage =
  | { kind: 'saved' }
  | { kind: 'confirmed' }
  | { kind: 'alreadyConfirmed' }
  /** The installer account was set up on the invitation page. */
  | { kind: 'accountReady' }
  | { kind: 'error' }
  | { kind: 'problem'; purpose: TokenPurpose; reason: LinkTokenFailure };

const REASONS: readonly LinkTokenFailure[] = ['invalid', 'expired', 'used', 'replaced', 'wrong_purpose'];
const PURPOSES: readonly TokenPurpose[] = ['password', 'confirm', 'invitation'];

/** A stable name for a message, used in /account/message/<name> (the language switch of these pages). */
export function messageName(message: PageMessage): string {
  return message.kind === 'problem' ? `${message.purpose}-${message.reason}` : message.kind;
}

export function messageFromName(name: string): PageMessage | undefined {
  if (name === 'saved' || name === 'confirmed' || name === 'alreadyConfirmed' || name === 'accountReady' || name === 'error') return { kind: name };
  const separator = name.indexOf('-');
  const purpose = PURPOSES.find((p) => p === name.slice(0, separator));
  const reason = REASONS.find((r) => r === name.slice(separator + 1));
  return separator > 0 && purpose && reason ? { kind: 'problem', purpose, reason } : undefined;
}

/** The HTTP status that fits a problem with a link. */
export function problemStatus(reason: LinkTokenFailure): number {
  return reason === 'expired' || reason === 'used' || reason === 'replaced' ? 410 : 400;
}

/** Where the page loads teams-js from (served by staticAssets). */
export interface TeamsSubmit {
  scriptSrc: string;
  /** What the Teams dialog hands back to the bot. */
  result: Record<string, string | number | boolean>;
}

/**
 * Inside a Teams dialog: initialise teams-js, then close the dialog handing the result to the bot.
 * In a browser tab nothing happens: every call is guarded, and initialisation is given up after a timeout.
 */
function teamsSubmitScript(nonce: string, submit: TeamsSubmit): string {
  const result = JSON.stringify(submit.result).replace(/</g, '\\u003c');
  return `<script src="${escapeHtml(submit.scriptSrc)}" nonce="${escapeHtml(nonce)}"></script>
<script nonce="${escapeHtml(nonce)}">
(function () {
  try {
    var teams = window.microsoftTeams;
    if (!teams || !teams.app || !teams.dialog) return;
    var timeout = new Promise(function (_resolve, reject) { setTimeout(function () { reject(new Error('timeout')); }, 5000); });
    Promise.race([teams.app.initialize(), timeout]).then(function () {
      setTimeout(function () {
        try { teams.dialog.url.submit(${result}); } catch (e) { /* not a Teams dialog */ }
      }, 1500);
    }).catch(function () { /* not inside Teams */ });
  } catch (e) { /* not inside Teams */ }
})();
</script>`;
}

function contentOf(ctx: PageContext, message: PageMessage): { title: string; paragraphs: string[]; tone: 'ok' | 'problem' } {
  const t = (key: string, vars?: Record<string, number>) => ctx.translator.t(ctx.language, `pages:${key}`, vars);
  switch (message.kind) {
    case 'saved':
      return { title: t('saved.heading'), paragraphs: [text(ctx, 'saved.body'), text(ctx, 'saved.next')], tone: 'ok' };
    case 'confirmed':
    case 'alreadyConfirmed':
    case 'accountReady':
      return { title: t(`${message.kind}.heading`), paragraphs: [text(ctx, `${message.kind}.body`), text(ctx, `${message.kind}.next`)], tone: 'ok' };
    case 'error':
      return { title: t('error.heading'), paragraphs: [text(ctx, 'error.body'), text(ctx, 'error.hint')], tone: 'problem' };
    case 'problem': {
      const base = `problem.${message.purpose}.${message.reason}`;
      const vars = { minutes: Math.round(PASSWORD_LINK_TTL_MS / 60_000), hours: Math.round(CONFIRM_LINK_TTL_MS / 3_600_000), days: Math.round(INVITATION_LINK_TTL_MS / 86_400_000) };
      return {
        title: t(`${base}.heading`),
        paragraphs: [text(ctx, `${base}.body`, vars), `<strong>${text(ctx, `problem.hint.${message.purpose}`)}</strong>`],
        tone: 'problem',
      };
    }
  }
}

/** A page with one message. `teamsSubmit` adds the script that closes the Teams dialog. */
export function renderMessagePage(ctx: PageContext, message: PageMessage, teamsSubmit?: TeamsSubmit): string {
  const content = contentOf(ctx, message);
  const extra = message.kind === 'saved' && teamsSubmit ? `<p class="note">${text(ctx, 'saved.teams')}</p>` : '';
  const body = `<div role="${content.tone === 'ok' ? 'status' : 'alert'}">
<h1>${escapeHtml(content.title)}</h1>
${content.paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
</div>
${extra}`;
  return renderPage(ctx, {
    title: content.title,
    body,
    bodyClass: `message--${content.tone}`,
    scripts: teamsSubmit ? teamsSubmitScript(ctx.nonce, teamsSubmit) : undefined,
  });
}
