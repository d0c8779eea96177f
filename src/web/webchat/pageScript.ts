/**
 * The help page's script (served at /static/help-page.js): gets a token from the page's own back
 * end and renders Web Chat with it. Everything it needs is in data-* attributes of #webchat.
 * The conversation is remembered on the device (localStorage: its id, the latest token and the
 * resume grant), so a reload, a new tab, the language switch or tomorrow's visit continues the
 * same chat; "start over" forgets it. Anything that no longer works starts a new chat quietly.
 */
export const HELP_PAGE_SCRIPT = `(function () {
  'use strict';
  var nonce = document.currentScript && document.currentScript.nonce;
  var host = document.getElementById('webchat');
  var status = document.getElementById('webchat-status');
  if (!host) return;
  var pageLocale = host.getAttribute('data-locale') || 'en-US';
  // one conversation per device, whatever the page's language: a new tab, the Norsk/English
  // switch or a later visit continues it
  var storageKey = 'webchat-conversation';
  // the browser's own locale when it is in the page's language (en-GB, en-CA, nn-NO …): the bot reads
  // the country from it (a UK browser is not told "I'd guess North America")
  var family = function (tag) { var l = String(tag || '').toLowerCase().split('-')[0]; return l === 'no' || l === 'nn' ? 'nb' : l; };
  var browserLocale = (navigator.languages && navigator.languages[0]) || navigator.language || '';
  var locale = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(browserLocale) && family(browserLocale) === family(pageLocale) ? browserLocale : pageLocale;

  // "try again in 40 seconds / 7 minutes": Retry-After as the server's waitText words it
  function waitText(seconds) {
    var s = Math.max(1, Math.ceil(Number(seconds) || 60));
    var n = s < 120 ? s : Math.ceil(s / 60);
    var form = host.getAttribute('data-wait-' + (s < 120 ? 'seconds' : 'minutes') + '-' + (n === 1 ? 'one' : 'other')) || '{n}';
    return form.replace('{n}', String(n));
  }

  function fail(reason, retryAfter) {
    if (!status) return;
    status.textContent = reason === 'busy' ? host.getAttribute('data-busy').replace('{wait}', waitText(retryAfter)) : host.getAttribute('data-error');
    status.setAttribute('role', 'alert');
    status.hidden = false;
  }

  function expiryOf(token) {
    try {
      var claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      if (typeof claims.exp === 'number') return claims.exp * 1000;
    } catch (e) { /* not a JWT we can read */ }
    return undefined;
  }

  function remember(session) {
    try {
      localStorage.setItem(storageKey, JSON.stringify({
        conversationId: session.conversationId,
        token: session.token,
        resume: session.resume,
        domain: session.domain,
        webSocket: session.webSocket
      }));
    } catch (e) { /* storage unavailable: the next visit just starts a new chat */ }
  }

  function forget() {
    try { localStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
  }

  function saved() {
    try {
      var session = JSON.parse(localStorage.getItem(storageKey) || 'null');
      return session && typeof session.conversationId === 'string' && typeof session.token === 'string' && typeof session.domain === 'string' ? session : null;
    } catch (e) {
      return null;
    }
  }

  // the page's own back end: with a resume grant kept from an earlier visit it continues that
  // conversation (resumed: true); without one, or when it no longer works, a new conversation
  function requestSession(resume) {
    return fetch(host.getAttribute('data-token-url'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(resume ? { locale: locale, resume: resume } : { locale: locale })
    }).then(function (response) {
      if (response.status === 429) {
        var busy = new Error('busy');
        busy.retryAfter = response.headers.get('Retry-After');
        throw busy;
      }
      if (!response.ok) throw new Error('token');
      return response.json();
    }).then(function (session) {
      session.domain = session.domain || location.origin + '/v3/directline';
      return session;
    });
  }

  // Direct Line 3.0: a token that has not expired is refreshed for the same conversation
  function refreshed(session) {
    var expiry = expiryOf(session.token);
    if (expiry !== undefined && expiry < Date.now() + 60000) return Promise.reject(new Error('expired'));
    return fetch(session.domain + '/tokens/refresh', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + session.token }
    }).then(function (response) {
      if (!response.ok) throw new Error('refresh');
      return response.json();
    }).then(function (body) {
      if (!body || typeof body.token !== 'string') throw new Error('refresh');
      return { token: body.token, conversationId: session.conversationId, resume: session.resume, domain: session.domain, webSocket: session.webSocket, resumed: true };
    });
  }

  function continued(previous) {
    return refreshed(previous).catch(function () { return requestSession(previous.resume); });
  }

  var current = null;

  function render(session) {
    if (current) current.end();
    // reconnecting to the kept conversation (no watermark: its history is shown once, then only what is new)
    var directLine = window.WebChat.createDirectLine({
      domain: session.domain,
      token: session.token,
      conversationId: session.resumed ? session.conversationId : undefined,
      webSocket: session.webSocket === true
    });
    current = directLine;
    remember(session);
    var kept = session.token;
    // the newest token of this conversation, while the device still keeps this conversation
    // (not after "start over" here or in another tab)
    var keep = function () {
      if (current !== directLine || !directLine.token || directLine.token === kept) return;
      var now = saved();
      if (!now || now.conversationId !== session.conversationId) return;
      kept = directLine.token;
      remember({ token: kept, conversationId: now.conversationId, resume: now.resume, domain: now.domain, webSocket: now.webSocket });
    };
    setInterval(keep, 60000);
    window.addEventListener('pagehide', keep);
    document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') keep(); });
    // a kept conversation that cannot be reached after all (gone meanwhile): quietly a new one
    directLine.connectionStatus$.subscribe(function (state) {
      if (state !== 4 || current !== directLine || !session.resumed) return;
      forget();
      requestSession().then(render).catch(function (error) { fail(error && error.message, error && error.retryAfter); });
    });
    if (status) status.hidden = true;
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        locale: locale,
        nonce: nonce || undefined,
        styleOptions: {
          rootHeight: '100%',
          rootWidth: '100%',
          primaryFont: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
          bubbleBorderRadius: 10,
          bubbleFromUserBorderRadius: 10,
          sendBoxHeight: 52,
          hideUploadButton: false,
          uploadAccept: 'image/*,application/pdf',
          uploadMultiple: true
        }
      },
      host
    );
  }

  // "Start over": this device forgets the conversation and the page opens a new one
  var startOver = document.getElementById('webchat-start-over');
  if (startOver) {
    startOver.hidden = false;
    startOver.addEventListener('click', function () {
      forget();
      location.reload();
    });
  }

  if (!window.WebChat || !window.fetch) { fail('unsupported'); return; }

  var previous = saved();
  (previous ? continued(previous) : requestSession())
    .then(render)
    .catch(function (error) { fail(error && error.message, error && error.retryAfter); });
})();
`;
