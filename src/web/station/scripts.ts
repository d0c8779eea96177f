import { escapeHtml } from '../pages/layout';
import { TEAMS_JS_URL } from '../staticAssets';

/**
 * The small scripts of the station pages. Each is inline under the response's CSP nonce, does
 * nothing harmful outside Teams (every call guarded, teams-js initialisation given up after a
 * timeout), and the pages work without them.
 */

function inlineScript(nonce: string, body: string): string {
  return `<script nonce="${escapeHtml(nonce)}">
(function () {
  try {
${body}
  } catch (e) { /* the page works without this script */ }
})();
</script>`;
}

/** Runs `then` once teams-js has initialised inside a Teams host; nothing happens elsewhere. */
function whenInTeams(then: string): string {
  return `    var teams = window.microsoftTeams;
    if (!teams || !teams.app) return;
    var timeout = new Promise(function (_resolve, reject) { setTimeout(function () { reject(new Error('timeout')); }, 5000); });
    Promise.race([teams.app.initialize(), timeout]).then(function () {
${then}
    }).catch(function () { /* not inside Teams */ });`;
}

function teamsJs(nonce: string): string {
  return `<script src="${escapeHtml(TEAMS_JS_URL)}" nonce="${escapeHtml(nonce)}"></script>`;
}

/** teams-js's error code when the user closes the scanner themselves. */
const USER_ABORT = 8000;

/**
 * Scan page, Teams mobile only: shows the "Scan the QR code" button when the host supports the
 * barcode scanner; the scanned text goes into the code field and the form is sent.
 */
export function scanScripts(nonce: string): string {
  const body = `    var box = document.getElementById('teams-scan');
    var button = document.getElementById('scan-button');
    var status = document.getElementById('scan-status');
    var code = document.getElementById('code');
    var form = document.getElementById('station-form');
    if (!teams || !teams.barCode || !box || !button || !status || !code || !form) return;
    try { if (!teams.barCode.isSupported()) return; } catch (e) { return; }
    box.hidden = false;
    button.addEventListener('click', function () {
      status.textContent = '';
      var failed = function (error) {
        if (!error || error.errorCode !== ${USER_ABORT}) status.textContent = status.getAttribute('data-failed') || '';
      };
      try {
        teams.barCode.scanBarCode({}).then(function (value) {
          if (typeof value !== 'string' || value === '') return failed();
          code.value = value;
          form.submit();
        }, failed);
      } catch (e) { failed(); }
    });`;
  return `${teamsJs(nonce)}\n${inlineScript(nonce, whenInTeams(body))}`;
}

/** Success page inside a Teams dialog: closes it, handing `result` back to the bot. */
export function submitScripts(nonce: string, result: Record<string, string | number | boolean>): string {
  const json = JSON.stringify(result).replace(/</g, '\\u003c');
  const body = `      if (!teams.dialog) return;
      setTimeout(function () {
        try { teams.dialog.url.submit(${json}); } catch (e) { /* not a Teams dialog */ }
      }, 2000);`;
  return `${teamsJs(nonce)}\n${inlineScript(nonce, whenInTeams(body))}`;
}

/**
 * Location page: "Use my position" fills the coordinate fields from the device (high accuracy,
 * 15 s) and says how precise the fix is, or why there is none. The texts come from data-*
 * attributes of #geo (%m stands for the metres).
 */
export function geolocationScript(nonce: string): string {
  return inlineScript(
    nonce,
    `    var box = document.getElementById('geo');
    var button = document.getElementById('geo-button');
    var status = document.getElementById('geo-status');
    var lat = document.getElementById('latitude');
    var lng = document.getElementById('longitude');
    var accuracy = document.getElementById('accuracy');
    if (!box || !button || !status || !lat || !lng || !accuracy || !navigator.geolocation) return;
    box.hidden = false;
    var decimal = box.getAttribute('data-decimal') || '.';
    var say = function (name, meters, problem) {
      status.textContent = (box.getAttribute('data-' + name) || '').replace('%m', String(meters));
      status.className = problem ? 'field-error' : 'note';
    };
    var format = function (n) { return n.toFixed(6).replace('.', decimal); };
    button.addEventListener('click', function () {
      say('locating', 0, false);
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        button.disabled = false;
        var meters = Math.round(position.coords.accuracy);
        lat.value = format(position.coords.latitude);
        lng.value = format(position.coords.longitude);
        accuracy.value = String(meters);
        say(meters > 50 ? 'inaccurate' : 'located', meters, meters > 50);
      }, function (error) {
        button.disabled = false;
        var code = error ? error.code : 0;
        say(code === 1 ? 'denied' : code === 3 ? 'timeout' : 'unavailable', 0, true);
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
    });
    var typed = function () { accuracy.value = ''; };
    lat.addEventListener('input', typed);
    lng.addEventListener('input', typed);`,
  );
}
