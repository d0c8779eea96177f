/**
 * The console's script (served at /static/agent-console.js): shows times in the agent's time zone
 * and keeps the live part of the page (#live: the queue, or a ticket's status, context and
 * transcript) current, and its status line (#live-status, the only live region: "3 venter, 1 ny",
 * or a ticket's newest message) with it. Every change the desk reports arrives as a server-sent event on
 * /agent/events; the script then fetches the part again, rendered by the server, and swaps it in.
 * Forms (with what the agent is typing) are outside #live and are never replaced; only when a
 * ticket's status changes under them (another agent took it, the installer left) is the page
 * loaded again, with the forms that now apply.
 */
export const AGENT_CONSOLE_SCRIPT = `(function () {
  'use strict';
  var locale = document.documentElement.lang === 'nb' ? 'nb-NO' : 'en-GB';
  function localTimes(root) {
    var times = root.querySelectorAll('time[datetime]');
    var today = new Date().toDateString();
    for (var i = 0; i < times.length; i++) {
      var at = new Date(times[i].getAttribute('datetime'));
      if (isNaN(at.getTime())) continue;
      // a time of another day says which (a transcript may reach back a week)
      times[i].textContent = times[i].hasAttribute('data-date')
        ? at.toLocaleString(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' })
        : at.toDateString() === today
          ? at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
          : at.toLocaleString(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
    }
  }
  localTimes(document);
  var live = document.getElementById('live');
  if (!live || !window.EventSource || !window.fetch) return;
  var since = live.getAttribute('data-since');
  var url = live.getAttribute('data-fragment') + (since ? '?since=' + encodeURIComponent(since) : '');
  // the one part read out on a change: the status line, set only when its text changed (the live part is not a live region)
  var statusLine = document.getElementById('live-status');
  function announce() {
    var source = live.querySelector('[data-live-status]');
    var text = source ? source.getAttribute('data-live-status') : null;
    if (statusLine && text !== null && statusLine.textContent !== text) statusLine.textContent = text;
    // the queue's count in the tab's title: "(3) Supportkø – …"
    var title = source ? source.getAttribute('data-title') : null;
    if (title && document.title !== title) document.title = title;
  }
  var ticketId = live.getAttribute('data-ticket');
  // a ticket page's forms (accept, or reply and actions) are for the status it was rendered with
  function statusOf() {
    var status = live.querySelector('.status[data-status]');
    return status ? status.getAttribute('data-status') : null;
  }
  var rendered = ticketId ? statusOf() : null;
  // a form sent (accept, reply, close …) brings its own page with its result: no reload over it
  var sending = false;
  document.addEventListener('submit', function () { sending = true; });
  var busy = false;
  var again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) {
        if (response.status === 401) { location.reload(); return null; }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (typeof html !== 'string') return;
        live.innerHTML = html;
        localTimes(live);
        announce();
        // taken by another agent, or closed (the installer went back to the bot): the page again, with the forms that now apply
        if (rendered && !sending && statusOf() !== rendered) location.replace(location.pathname);
      })
      .catch(function () { /* the next change or the minute tick tries again */ })
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }
  var events = new EventSource('/agent/events');
  events.addEventListener('change', function (event) {
    try {
      var change = JSON.parse(event.data);
      if (!ticketId || change.ticketId === ticketId) refresh();
    } catch (e) { /* not ours */ }
  });
  events.addEventListener('open', function () { document.body.setAttribute('data-live', 'connected'); });
  // waiting times grow by themselves
  setInterval(refresh, 60000);
})();
`;
