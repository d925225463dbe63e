'use strict';
// The dashboard's only script: live updates from server-sent events (the server tells which Rollout
// changed; this page re-reads its own region, rendered and escaped by the server), countdowns, and
// the actions' confirmation. Without it the pages still work: plain links, forms and a reload.
(function () {
  const live = document.getElementById('live');
  const connection = document.getElementById('connection');
  const notice = document.getElementById('notice');
  const match = location.pathname.match(/^\/rollouts\/([^/]+)\/([^/]+)$/);
  const shown = match ? decodeURIComponent(match[1]) + '/' + decodeURIComponent(match[2]) : null;
  let loading = false;
  let again = false;
  let timer = null;

  async function refresh() {
    if (loading) { again = true; return; }
    loading = true;
    try {
      const url = location.pathname + (location.search ? location.search + '&' : '?') + 'fragment=1';
      const res = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
      if (res.ok) {
        live.innerHTML = await res.text();
        bind();
        tick();
        document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
      }
    } catch (e) {
      connection.textContent = 'offline';
    } finally {
      loading = false;
      if (again) { again = false; schedule(); }
    }
  }

  function schedule() {
    if (timer === null) {
      timer = setTimeout(() => { timer = null; refresh(); }, 100);
    }
  }

  function connect() {
    const events = new EventSource('/events');
    events.onopen = () => { connection.textContent = 'live'; connection.className = 'connection on'; };
    events.onerror = () => { connection.textContent = 'reconnecting…'; connection.className = 'connection off'; };
    events.onmessage = (e) => { if (shown === null || shown === e.data) schedule(); };
  }

  function tick() {
    document.querySelectorAll('time.countdown').forEach((t) => {
      const left = Math.round((Date.parse(t.dataset.until) - Date.now()) / 1000);
      t.textContent = left > 0 ? Math.floor(left / 60) + 'm ' + (left % 60) + 's left' : 'ends now';
    });
  }

  function bind() {
    document.querySelectorAll('form[data-confirm]').forEach((form) => {
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        if (!window.confirm(form.dataset.confirm)) {
          return;
        }
        const token = form.querySelector('input[name=token]').value;
        try {
          const res = await fetch(form.action, { method: 'POST', headers: { 'X-Vigie-Token': token }, credentials: 'same-origin' });
          notice.textContent = await res.text();
          notice.className = res.ok ? 'ok' : 'error';
        } catch (e) {
          notice.textContent = 'the dashboard server did not answer';
          notice.className = 'error';
        }
        schedule();
      });
    });
  }

  bind();
  tick();
  setInterval(tick, 1000);
  connect();
})();
