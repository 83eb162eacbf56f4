// Re-engage's service worker: the phone keeps working with no network (docs/offline.md).
//
// * The built assets are kept, so pages and core's instant feedback (the wasm) work offline.
// * Today, the missed-activity form, each episode and its attempt and contact forms are kept
//   as last seen, filed under the signed-in person's opaque key (the `x-reengage-person`
//   header). A page of another person empties the cache first, and so does signing out:
//   the cache never holds another person's pages.
// * An attempt, a contact or a missed activity sent with no network waits in IndexedDB (the
//   `queue` store) with the episode version it was based on, and is sent when the network
//   returns: Background Sync where the browser has it, else when a page says it is back
//   online or loads. The server checks each as usual; what it refuses (the policy, or a newer
//   change) stays on the phone with its reason, never dropped and never applied over it.
'use strict';

const ASSETS = 'reengage-assets-v1';
const PAGES = 'reengage-pages-';
const SHELL = [
  '/pkg/reengage.css',
  '/pkg/reengage.js',
  '/pkg/reengage.wasm',
  '/pwa.js',
  '/queue-db.js',
  '/manifest.webmanifest',
  '/icons/icon.svg',
  '/icons/icon-192.png',
];
// The pages a coach opens at a door.
const PAGE = /^\/(today|missed|episodes\/\d+(\/(attempt|contact))?)$/;
// The quick forms that may wait on the phone: [path, episode id, kind].
const QUEUED = /^\/(?:missed|episodes\/(\d+)\/(attempt|contact))$/;
// How long a form's answer is waited for before it waits on the phone instead.
const SEND_TIMEOUT_MS = 20000;

// ---- IndexedDB (public/queue-db.js) ---------------------------------------------------

importScripts('/queue-db.js');
const { getMeta, setMeta, allItems, putItem, deleteItem } = self.reengageStore;

// ---- lifecycle ------------------------------------------------------------------------

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(ASSETS)
      .then((cache) => cache.addAll(SHELL))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith('reengage-assets-') && name !== ASSETS)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// ---- requests -------------------------------------------------------------------------

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST') {
    if (url.pathname === '/signout') {
      event.respondWith(signOut(request));
    } else if (request.mode === 'navigate' && QUEUED.test(url.pathname)) {
      event.respondWith(submit(request, url));
    }
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate' && PAGE.test(url.pathname)) {
    event.respondWith(page(request, url));
  } else if (SHELL.includes(url.pathname) || url.pathname.startsWith('/pkg/')) {
    event.respondWith(asset(request, url));
  }
});

// The network's copy, kept for later; the kept one when there is no network.
async function asset(request, url) {
  const cache = await caches.open(ASSETS);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(url.pathname, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(url.pathname);
    if (kept) return kept;
    throw error;
  }
}

// A page: the network's answer (kept under its person), else the kept copy marked offline.
async function page(request, url) {
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    return (await recall(url.pathname)) || notKept();
  }
  const person = response.headers.get('x-reengage-person');
  const html = (response.headers.get('content-type') || '').startsWith('text/html');
  if (response.ok && person && html) {
    await remember(person, url.pathname, response.clone()).catch(() => undefined);
  }
  return response;
}

// Pages of one person at a time: a page of someone else empties the cache first.
async function remember(person, path, response) {
  if ((await getMeta('person')) !== person) {
    await dropPages();
    await setMeta('person', person);
  }
  const headers = new Headers({
    'content-type': 'text/html; charset=utf-8',
    'x-reengage-kept-at': new Date().toISOString(),
  });
  const policy = response.headers.get('content-security-policy');
  if (policy) headers.set('content-security-policy', policy);
  const cache = await caches.open(PAGES + person);
  await cache.put(path, new Response(await response.text(), { headers }));
}

async function recall(path) {
  const person = await getMeta('person').catch(() => undefined);
  if (!person) return null;
  const cache = await caches.open(PAGES + person);
  const kept = await cache.match(path);
  if (!kept) return null;
  const keptAt = new Date(kept.headers.get('x-reengage-kept-at'));
  const time = keptAt.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
  const banner =
    `<p class="alert alert-info offline-banner" role="status"><strong>Offline — as of ${time}.</strong> ` +
    'This is the page as last seen on this phone. Attempts, contacts and missed activities you ' +
    'log now are kept here and sent when the network returns.</p>';
  const html = (await kept.text()).replace(/<main\b[^>]*>/, (main) => main + banner);
  const headers = new Headers(kept.headers);
  return new Response(html, { headers });
}

function notKept() {
  const html =
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>Offline · Re-engage</title><link rel="stylesheet" href="/pkg/reengage.css"></head>' +
    '<body><main id="main" class="page"><h1>You are offline</h1>' +
    '<p>This page was not opened on this phone while it had a network, so there is no copy of it here.</p>' +
    '<p><a href="/today">Open Today</a> — it and the episodes you opened are kept on this phone.</p>' +
    '</main></body></html>';
  return new Response(html, {
    status: 503,
    headers: { 'content-type': 'text/html; charset=utf-8' },
  });
}

async function dropPages() {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PAGES)).map((n) => caches.delete(n)));
}

// Signing out empties the kept pages and this person's waiting steps (the page asked first
// when any are waiting), whether or not the network answers.
async function signOut(request) {
  const person = await getMeta('person').catch(() => undefined);
  await dropPages();
  await setMeta('person', null).catch(() => undefined);
  const items = await allItems().catch(() => []);
  await Promise.all(
    items.filter((item) => item.person === person || !item.person).map((item) => deleteItem(item.id)),
  );
  try {
    return await fetch(request);
  } catch (error) {
    return new Response(
      '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Signed out on this phone · Re-engage</title>' +
        '<link rel="stylesheet" href="/pkg/reengage.css"></head><body><main id="main" class="page">' +
        '<h1>Signed out on this phone</h1><p>The pages kept on this phone were deleted. ' +
        'There is no network, so sign out again when there is one to end the session on the server too.</p>' +
        '</main></body></html>',
      { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } },
    );
  }
}

// A quick form: sent as usual; with no network (or none within SEND_TIMEOUT_MS) it waits on
// the phone and the coach goes back to the episode (or Today), which says it is waiting.
async function submit(request, url) {
  const body = await request.clone().text();
  try {
    return await withTimeout(fetch(request), SEND_TIMEOUT_MS);
  } catch (error) {
    const [, episode, kind] = url.pathname.match(QUEUED);
    const fields = Object.fromEntries(new URLSearchParams(body));
    await putItem({
      person: (await getMeta('person').catch(() => undefined)) || null,
      path: url.pathname,
      kind: kind || 'missed',
      episode: episode ? Number(episode) : null,
      version: fields.version ? Number(fields.version) : null,
      body,
      fields,
      queuedAt: new Date().toISOString(),
      state: 'waiting',
      message: null,
    });
    if (self.registration.sync) {
      await self.registration.sync.register('reengage-queue').catch(() => undefined);
    }
    const back = episode ? `/episodes/${episode}?queued=${kind}` : '/today?queued=missed';
    return Response.redirect(back, 303);
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

// ---- sending what waits ---------------------------------------------------------------

self.addEventListener('sync', (event) => {
  if (event.tag === 'reengage-queue') event.waitUntil(flush());
});

self.addEventListener('message', (event) => {
  const type = event.data && event.data.type;
  if (type === 'flush') event.waitUntil(flush());
  // A page opened before this worker took over: kept now, as if it had come through here.
  if (type === 'keep' && PAGE.test(event.data.path || '')) event.waitUntil(keep(event.data.path));
});

async function keep(path) {
  try {
    const response = await fetch(path, { credentials: 'same-origin', redirect: 'manual' });
    const person = response.headers.get('x-reengage-person');
    if (response.ok && person) await remember(person, path, response);
  } catch (error) {
    // No network: nothing to keep.
  }
}

let flushing = null;
function flush() {
  if (!flushing) flushing = send().finally(() => (flushing = null));
  return flushing;
}

// Sends the person's waiting steps, oldest first. Steps logged on one episode were all based
// on the version the phone had; once the first is saved, the next is based on the version the
// first left (the server names it), never on a change someone else made meanwhile.
// An answer that sending the same step again cannot change: the policy refused it (422), a
// newer change overtook it (409), it is out of reach (403, 404), or the server cannot read it
// as typed (400: a control character; 413: too long). Such a step stays on the phone with
// the reason and the steps after it go on. A 408, a 429 or a 5xx is the server busy or
// failing: the step, and the rest behind it, wait for the next try.
function refusedForGood(status) {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

// What to tell the coach of a refused step: the form's own reason (its refusal header), the
// server's plain-text sentence, or, for an answer with neither, what to do next.
async function refusal(response) {
  const reason = response.headers.get('x-reengage-refusal');
  if (reason) return decodeURIComponent(reason.replace(/\+/g, ' '));
  const type = response.headers.get('content-type') || '';
  const text = type.startsWith('text/plain') ? (await response.text()).trim().slice(0, 500) : '';
  return text || `The server could not take this step as it was typed (${response.status}). Open its form, check it and save it again.`;
}

async function send() {
  const person = (await getMeta('person').catch(() => undefined)) || null;
  const items = (await allItems())
    .filter((item) => item.state === 'waiting' && (!item.person || item.person === person))
    .sort((a, b) => a.id - b.id);
  const rebased = new Map();
  let sent = 0;
  let refused = 0;
  let signIn = false;
  for (const item of items) {
    const params = new URLSearchParams(item.body);
    const own = item.episode !== null && rebased.get(item.episode);
    if (own && item.version === own.from) params.set('version', String(own.to));
    let response;
    try {
      response = await withTimeout(
        fetch(item.path, {
          method: 'POST',
          body: params.toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          credentials: 'same-origin',
          redirect: 'follow',
        }),
        SEND_TIMEOUT_MS,
      );
    } catch (error) {
      break; // still no network: the rest waits too
    }
    const landed = new URL(response.url);
    if (landed.pathname === '/signin') {
      signIn = true; // the session ended: everything waits until the coach signs in
      break;
    }
    if (refusedForGood(response.status)) {
      await putItem({ ...item, state: 'refused', message: await refusal(response), refusedAt: new Date().toISOString() });
      refused += 1;
      continue;
    }
    if (!response.ok) break; // the server is busy or failing: try again later
    const version = Number(landed.searchParams.get('version'));
    if (item.episode !== null && item.version !== null && version) {
      rebased.set(item.episode, { from: item.version, to: version });
    }
    await deleteItem(item.id);
    sent += 1;
  }
  const clients = await self.clients.matchAll({ includeUncontrolled: true });
  for (const client of clients) client.postMessage({ type: 'queue', sent, refused, signIn });
}
