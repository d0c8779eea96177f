/**
 * The help page's script (served at /static/help-page.js): gets a token from the page's own back
 * end and renders Web Chat with it. Everything it needs is in data-* attributes of #webchat.
 * The conversation is kept in sessionStorage (per page language), so a phone reloading the
 * tab — common on a building site — picks the same chat up again instead of starting over.
 */
export const HELP_PAGE_SCRIPT = `(function () {
  'use strict';
  var nonce = document.currentScript && document.currentScript.nonce;
  var host = document.getElementById('webchat');
  var status = document.getElementById('webchat-status');
  if (!host) return;
  var pageLocale = host.getAttribute('data-locale') || 'en-US';
  var storageKey = 'webchat-session:' + pageLocale;
  // the browser's own locale when it is in the page's language (en-GB, en-CA, nn-NO …): the bot reads
  // the country from it (a UK browser is not told "I'd guess North America")
  var family = function (tag) { var l = String(tag || '').toLowerCase().split('-')[0]; return l === 'no' || l === 'nn' ? 'nb' : l; };
  var browserLocale = (navigator.languages && navigator.languages[0]) || navigator.language || '';
  var locale = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(browserLocale) && family(browserLocale) === family(pageLocale) ? browserLocale : pageLocale;

  function fail(reason) {
    if (!status) return;
    status.textContent = host.getAttribute(reason === 'busy' ? 'data-busy' : 'data-error');
    status.setAttribute('role', 'alert');
    status.hidden = false;
  }

  function expiryOf(token) {
    try {
      var claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      if (typeof claims.exp === 'number') return claims.exp * 1000;
    } catch (e) { /* not a JWT */ }
    return Date.now() + 10 * 60 * 1000;
  }

  function remember(session) {
    try {
      sessionStorage.setItem(storageKey, JSON.stringify({
        token: session.token,
        conversationId: session.conversationId,
        domain: session.domain,
        webSocket: session.webSocket,
        expiresAt: expiryOf(session.token)
      }));
    } catch (e) { /* storage unavailable: the chat just starts over on reload */ }
  }

  function forget() {
    try { sessionStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
  }

  function saved() {
    try {
      var session = JSON.parse(sessionStorage.getItem(storageKey) || 'null');
      return session && session.token && session.conversationId && session.expiresAt > Date.now() + 60000 ? session : null;
    } catch (e) {
      return null;
    }
  }

  function newSession() {
    return fetch(host.getAttribute('data-token-url'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ locale: locale })
    }).then(function (response) {
      if (response.status === 429) throw new Error('busy');
      if (!response.ok) throw new Error('token');
      return response.json();
    }).then(function (session) {
      session.domain = session.domain || location.origin + '/v3/directline';
      return session;
    });
  }

  function resumed(session) {
    return fetch(session.domain + '/tokens/refresh', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + session.token }
    }).then(function (response) {
      if (!response.ok) throw new Error('refresh');
      return response.json();
    }).then(function (body) {
      return { token: body.token, conversationId: session.conversationId, domain: session.domain, webSocket: session.webSocket, resume: true };
    });
  }

  function render(session) {
    var directLine = window.WebChat.createDirectLine({
      domain: session.domain,
      token: session.token,
      conversationId: session.resume ? session.conversationId : undefined,
      webSocket: session.webSocket === true
    });
    remember(session);
    var keep = function () {
      if (directLine.token) remember({ token: directLine.token, conversationId: session.conversationId, domain: session.domain, webSocket: session.webSocket });
    };
    window.addEventListener('pagehide', keep);
    document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'hidden') keep(); });
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

  if (!window.WebChat || !window.fetch) { fail('unsupported'); return; }

  var previous = saved();
  (previous ? resumed(previous).catch(function () { forget(); return newSession(); }) : newSession())
    .then(render)
    .catch(function (error) { fail(error && error.message); });
})();
`;
