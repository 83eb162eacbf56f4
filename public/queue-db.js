// The phone's store of waiting steps (docs/offline.md), shared by the service worker
// (public/sw.js, through importScripts) and the page script (public/pwa.js): IndexedDB
// `reengage`, with `queue` (the steps waiting to be sent) and `meta` (whose pages are kept).
'use strict';

self.reengageStore = (() => {
  function openDb() {
    return new Promise((resolve, reject) => {
      const opening = indexedDB.open('reengage', 1);
      opening.onupgradeneeded = () => {
        const db = opening.result;
        if (!db.objectStoreNames.contains('queue')) {
          db.createObjectStore('queue', { keyPath: 'id', autoIncrement: true });
        }
        if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta');
      };
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
  }

  // One request in its own transaction; resolves once the transaction has committed.
  async function one(store, mode, make) {
    const db = await openDb();
    try {
      return await new Promise((resolve, reject) => {
        const transaction = db.transaction(store, mode);
        const request = make(transaction.objectStore(store));
        transaction.oncomplete = () => resolve(request.result);
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
    } finally {
      db.close();
    }
  }

  return {
    getMeta: (key) => one('meta', 'readonly', (s) => s.get(key)),
    setMeta: (key, value) => one('meta', 'readwrite', (s) => s.put(value, key)),
    allItems: () => one('queue', 'readonly', (s) => s.getAll()),
    putItem: (item) => one('queue', 'readwrite', (s) => s.put(item)),
    deleteItem: (id) => one('queue', 'readwrite', (s) => s.delete(id)),
  };
})();
