// Re-engage on the phone (docs/offline.md): registers the service worker (public/sw.js), shows
// the steps waiting on this phone and asks for them to be sent when the network returns,
// warns two minutes before the session's idle end, and keeps what is typed in a form on this
// phone (sessionStorage) until it is saved. Plain JavaScript: it works before the wasm loads.
(function () {
  'use strict';

  const meta = (name) => {
    const tag = document.querySelector(`meta[name="${name}"]`);
    return tag ? tag.getAttribute('content') : null;
  };
  const person = meta('reengage-person');
  const idleMinutes = Number(meta('reengage-idle-minutes')) || 0;
  const path = location.pathname;
  const query = new URLSearchParams(location.search);

  const KINDS = {
    attempt: 'Contact attempt',
    contact: 'Contact made',
    missed: 'Missed activity',
  };
  const DRAFT = 'reengage.draft:';
  const SENT = 'reengage.sent';
  const RETURNING = 'reengage.returning';

  // ---- the queue, as the service worker keeps it ---------------------------------------

  const store = self.reengageStore;
  const allItems = () => store.allItems().catch(() => []);
  const { putItem, deleteItem } = store;

  const mine = (item) => !item.person || !person || item.person === person;

  function ask(type, more) {
    if (!('serviceWorker' in navigator)) return;
    navigator.serviceWorker.ready
      .then((registration) => registration.active && registration.active.postMessage({ type, ...more }))
      .catch(() => undefined);
  }

  // ---- the "waiting to send" panel (Today: every step; an episode: its own) ---------------

  function when(iso) {
    return new Date(iso).toLocaleString('en-US', {
      weekday: 'short',
      hour: 'numeric',
      minute: '2-digit',
    });
  }

  // "OffsiteVisit" → "offsite visit".
  const spoken = (value) => (value || '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

  function describe(item) {
    const f = item.fields || {};
    const parts = [KINDS[item.kind] || 'Step'];
    if (item.kind === 'attempt') {
      const said = [spoken(f.method), spoken(f.outcome)].filter(Boolean).join(', ');
      parts.push(said.charAt(0).toUpperCase() + said.slice(1));
      if (f.on) parts.push(`on ${f.on}`);
    } else if (item.kind === 'contact' && f.on) {
      parts.push(`on ${f.on}`);
    } else if (item.kind === 'missed' && f.what) {
      parts.push(f.what);
    }
    if (item.episode && path === '/today') parts.push(`episode ${item.episode}`);
    return parts.filter(Boolean).join(' — ');
  }

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    for (const child of children) node.append(child);
    return node;
  }

  async function showQueue() {
    const main = document.getElementById('main');
    if (!main) return;
    const episode = (path.match(/^\/episodes\/(\d+)$/) || [])[1];
    if (path !== '/today' && !episode) return;
    const items = (await allItems())
      .filter(mine)
      .filter((item) => path === '/today' || item.episode === Number(episode))
      .sort((a, b) => a.id - b.id);
    unsent = (await allItems()).filter(mine).length;
    const old = document.getElementById('queue');
    if (old) old.remove();
    if (!items.length) return;
    const list = element('ul', { class: 'queue-items' });
    for (const item of items) {
      const line = element('li', { class: `queue-item queue-${item.state}` });
      line.append(element('strong', {}, describe(item)));
      if (item.state === 'waiting') {
        line.append(element('span', { class: 'queue-state' }, ` · logged ${when(item.queuedAt)}, waiting to send`));
      } else if (item.state === 'reopened') {
        line.append(element('span', { class: 'queue-state' }, ' · being fixed in its form'));
      } else {
        line.append(element('span', { class: 'queue-state' }, ' · not saved'));
        line.append(element('p', { class: 'queue-reason' }, item.message || 'The server refused it.'));
        line.append(
          element(
            'p',
            { class: 'queue-what' },
            'Nothing was changed on the server. Open its form to see the episode as it is now and log it again, or discard it.',
          ),
        );
        const open = element('button', { type: 'button', class: 'button' }, 'Open its form');
        open.addEventListener('click', () => reopen(item));
        const discard = element('button', { type: 'button', class: 'button button-secondary' }, 'Discard');
        discard.addEventListener('click', async () => {
          if (confirm(`Discard “${describe(item)}”? It will not be sent.`)) {
            await deleteItem(item.id);
            showQueue();
          }
        });
        line.append(element('p', { class: 'queue-actions' }, open, ' ', discard));
      }
      list.append(line);
    }
    const waiting = items.filter((item) => item.state === 'waiting').length;
    const refused = items.filter((item) => item.state === 'refused').length;
    const heading = element('h2', { id: 'queue-heading' }, 'On this phone, not sent yet');
    const summary = element(
      'p',
      {},
      [
        waiting ? `${waiting} waiting to send — they go as soon as the network returns.` : '',
        refused ? `${refused} not saved: see why below.` : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
    const section = element(
      'section',
      { id: 'queue', class: refused ? 'queue alert alert-error' : 'queue alert alert-info', 'aria-labelledby': 'queue-heading' },
      heading,
      summary,
      list,
    );
    const banner = main.querySelector('.offline-banner');
    if (banner) banner.after(section);
    else main.prepend(section);
  }

  // A refused step back in its form, as it was typed, on the episode as it is now.
  async function reopen(item) {
    const fields = { ...(item.fields || {}) };
    delete fields.version;
    sessionStorage.setItem(draftKey(item.path), JSON.stringify({ fields, submitted: false }));
    await putItem({ ...item, state: 'reopened' });
    location.assign(item.path);
  }

  async function afterSaved() {
    // A form saved on this episode: its reopened queue item is done.
    const saved = query.get('saved');
    const episode = (path.match(/^\/episodes\/(\d+)$/) || [])[1];
    if (!saved || !episode) return;
    const items = await allItems();
    for (const item of items) {
      if (item.state === 'reopened' && item.episode === Number(episode) && item.kind === saved) {
        await deleteItem(item.id);
      }
    }
  }

  // ---- drafts: what is typed stays on this phone until it is saved -----------------------

  function draftKey(action) {
    return `${DRAFT}${person || 'anyone'}:${action}`;
  }

  const KEPT_TYPES = new Set(['text', 'textarea', 'select-one', 'date', 'time', 'number', 'email', 'tel', 'radio', 'checkbox', 'search']);
  // The forms a coach types into in the field: the quick forms, the appointment and notice,
  // good cause, missing information and the narratives. (The staffing workspace keeps its
  // narratives' drafts on the server.)
  const KEPT_FORMS = /^\/(missed|episodes\/\d+\/(attempt|contact|appointment|notice|good-cause|missing-info|narratives(\/\d+)?))$/;

  function keptForms() {
    return Array.from(document.querySelectorAll('form[method="post"]')).filter((form) =>
      KEPT_FORMS.test(new URL(form.action, location.href).pathname),
    );
  }

  // Every field's values by name (a name can repeat: checkboxes of one list).
  function read(form) {
    const fields = {};
    for (const field of form.elements) {
      if (!field.name || !KEPT_TYPES.has(field.type)) continue;
      if ((field.type === 'radio' || field.type === 'checkbox') && !field.checked) continue;
      (fields[field.name] = fields[field.name] || []).push(field.value);
    }
    return fields;
  }

  function restore(form, fields) {
    const values = (name) => [].concat(fields[name]);
    for (const field of form.elements) {
      if (!field.name || !KEPT_TYPES.has(field.type)) continue;
      if (field.type === 'radio' || field.type === 'checkbox') {
        field.checked = field.name in fields && values(field.name).includes(field.value);
      } else if (field.name in fields) {
        field.value = values(field.name)[0];
      } else {
        continue;
      }
      field.dispatchEvent(new Event('input', { bubbles: true }));
      field.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }

  function keepDrafts() {
    // The sign-in page a session ended on names the page to return to: there, a draft that was
    // being sent when the session ended comes back. Anywhere else a sent draft is done with —
    // saved, or answered in place with what was typed.
    if (path === '/signin' && query.get('next')) {
      sessionStorage.setItem(RETURNING, query.get('next'));
      return;
    }
    const returning = sessionStorage.getItem(RETURNING) === path;
    sessionStorage.removeItem(RETURNING);
    for (const key of Object.keys(sessionStorage)) {
      if (!key.startsWith(DRAFT)) continue;
      try {
        if (JSON.parse(sessionStorage.getItem(key)).submitted && !returning) sessionStorage.removeItem(key);
      } catch (error) {
        sessionStorage.removeItem(key);
      }
    }
    for (const form of keptForms()) {
      const key = draftKey(new URL(form.action, location.href).pathname);
      const refusedHere = document.querySelector('.alert-error[role="alert"]');
      const kept = sessionStorage.getItem(key);
      if (kept && !refusedHere) {
        try {
          const draft = JSON.parse(kept);
          if (Object.keys(draft.fields || {}).length) {
            restore(form, draft.fields);
            const note = element(
              'p',
              { class: 'alert alert-info draft-restored', role: 'status' },
              'What you typed before is back in this form: check it and save. ',
            );
            const clear = element('button', { type: 'button', class: 'button button-secondary' }, 'Clear it');
            clear.addEventListener('click', () => {
              sessionStorage.removeItem(key);
              location.reload();
            });
            note.append(clear);
            form.before(note);
          }
        } catch (error) {
          sessionStorage.removeItem(key);
        }
      }
      const save = () =>
        sessionStorage.setItem(key, JSON.stringify({ fields: read(form), submitted: false }));
      form.addEventListener('input', save);
      form.addEventListener('change', save);
      // Kept through the submit: a session that ended on the way brings the coach back here.
      form.addEventListener('submit', () =>
        sessionStorage.setItem(key, JSON.stringify({ fields: read(form), submitted: true })),
      );
    }
  }

  // ---- signing out: nothing of this person is left on the phone --------------------------

  // How many of this person's steps wait on the phone, read at load (the sign-out question
  // must be asked at once, while the submit is still the browser's).
  let unsent = 0;
  allItems().then((items) => (unsent = items.filter(mine).length));

  function guardSignOut() {
    for (const form of document.querySelectorAll('form[action="/signout"]')) {
      form.addEventListener('submit', (event) => {
        if (
          unsent &&
          !confirm(
            `${unsent} step(s) logged on this phone have not been saved on the server. ` +
              'Signing out deletes them from this phone. Sign out anyway?',
          )
        ) {
          event.preventDefault();
          return;
        }
        for (const key of Object.keys(sessionStorage)) {
          if (key.startsWith('reengage.')) sessionStorage.removeItem(key);
        }
      });
    }
  }

  // ---- the session's idle end -------------------------------------------------------------

  function watchSession() {
    if (!person || !idleMinutes) return;
    const lead = Math.min(120, (idleMinutes * 60) / 2);
    let warnTimer;
    let endTimer;
    const box = element('div', {
      class: 'session-warning alert alert-info',
      role: 'alertdialog',
      'aria-labelledby': 'session-warning-title',
      'aria-describedby': 'session-warning-text',
      hidden: '',
    });
    const title = element('h2', { id: 'session-warning-title' }, 'Still there?');
    const text = element('p', { id: 'session-warning-text' }, '');
    const stay = element('button', { type: 'button', class: 'button' }, 'Stay signed in');
    box.append(title, text, stay);
    document.body.append(box);
    const arm = () => {
      clearTimeout(warnTimer);
      clearTimeout(endTimer);
      warnTimer = setTimeout(warn, (idleMinutes * 60 - lead) * 1000);
      endTimer = setTimeout(ended, idleMinutes * 60 * 1000);
    };
    const warn = () => {
      text.textContent =
        'You will be signed out in 2 minutes because nothing was sent for a while. What you typed is kept on this phone either way.';
      stay.hidden = false;
      box.hidden = false;
      stay.focus();
    };
    const ended = () => {
      title.textContent = 'Your session has ended';
      text.textContent = 'Sign in again to go on: you come back to this page, with what you typed.';
      stay.hidden = true;
      const link = element('a', { class: 'button', href: `/signin?next=${path}` }, 'Sign in again');
      box.append(link);
      box.hidden = false;
      link.focus();
    };
    stay.addEventListener('click', async () => {
      try {
        const answer = await fetch('/session/alive', { method: 'POST', credentials: 'same-origin' });
        if (answer.status === 204) {
          box.hidden = true;
          arm();
          return;
        }
        ended();
      } catch (error) {
        text.textContent = 'There is no network just now: your session could not be kept. What you typed stays on this phone.';
      }
    });
    arm();
  }

  // ---- start ------------------------------------------------------------------------------

  function start() {
    if ('serviceWorker' in navigator) {
      navigator.serviceWorker.register('/sw.js').catch(() => undefined);
      navigator.serviceWorker.addEventListener('message', (event) => {
        const said = event.data || {};
        if (said.type !== 'queue') return;
        if (said.sent && (path === '/today' || /^\/episodes\/\d+$/.test(path))) {
          sessionStorage.setItem(SENT, String(said.sent));
          location.replace(path);
          return;
        }
        showQueue();
      });
    }
    const sent = sessionStorage.getItem(SENT);
    if (sent) {
      sessionStorage.removeItem(SENT);
      const main = document.getElementById('main');
      if (main) {
        main.prepend(
          element(
            'p',
            { class: 'alert alert-success', role: 'status' },
            `Back online: ${sent} step(s) logged on this phone were sent and saved.`,
          ),
        );
      }
    }
    afterSaved().then(showQueue);
    keepDrafts();
    guardSignOut();
    watchSession();
    if (navigator.onLine && person) ask('flush');
    // The first page, opened before the worker took over, is kept too.
    if (person && 'serviceWorker' in navigator && !navigator.serviceWorker.controller) {
      ask('keep', { path });
    }
    window.addEventListener('online', () => ask('flush'));
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
