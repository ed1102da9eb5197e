import { isFresh } from './offline-rules';
import type { QueuedVisit } from './queue';

/*
 * The coordinator's encrypted offline store in IndexedDB. One AES-GCM key, made by WebCrypto with
 * `extractable: false` and kept in the same database: scripts can use it to encrypt and decrypt but
 * never read its bytes, and deleting the database (sign-out) leaves every copy unreadable. Each value
 * (a due list, a household, a queued visit) is stored as its own ciphertext with a fresh IV; only its
 * name and when it was saved are in clear, and the names are made of ids, never of anything personal.
 * Whose store it is is itself an encrypted value: another user signing in on the device wipes it.
 */

const DB_NAME = 'gridline-offline';
const KEYS = 'keys';
const CACHE = 'cache';
const QUEUE = 'queue';
const OWNER = 'owner';

type Sealed = { iv: Uint8Array; data: ArrayBuffer; savedAt: number };

const promised = <T>(req: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

const done = (tx: IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const name of [KEYS, CACHE, QUEUE]) if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
    };
    req.onsuccess = () => {
      // A deletion (sign-out, in this tab or another) must not wait for this connection.
      req.result.onversionchange = () => req.result.close();
      resolve(req.result);
    };
    req.onerror = () => reject(req.error);
  });
}

/** Whether this browser can keep an encrypted offline store at all (IndexedDB and WebCrypto in a secure context). */
export const offlineSupported = (): boolean =>
  typeof indexedDB !== 'undefined' && typeof crypto !== 'undefined' && crypto.subtle !== undefined;

async function deviceKey(db: IDBDatabase): Promise<CryptoKey> {
  const found = await promised(db.transaction(KEYS).objectStore(KEYS).get('aes'));
  if (found) return found as CryptoKey;
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const tx = db.transaction(KEYS, 'readwrite');
  tx.objectStore(KEYS).put(key, 'aes');
  await done(tx);
  return key;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One user's view of the store. Values come back null when missing, expired or unreadable. */
export type OfflineStore = {
  get<T>(name: string, now?: number): Promise<T | null>;
  /** When `name` was saved (ms), if it is there and fresh. */
  savedAt(name: string, now?: number): Promise<number | null>;
  put(name: string, value: unknown, now?: number): Promise<void>;
  queue(): Promise<QueuedVisit[]>;
  putQueued(entry: QueuedVisit): Promise<void>;
  dropQueued(visitId: string): Promise<void>;
};

/**
 * Opens the store for `username`: makes the key on first use, wipes a store left by someone else,
 * and drops cached values past their three days. Null where the browser cannot keep one.
 */
export async function openOffline(username: string, now = Date.now()): Promise<OfflineStore | null> {
  if (!offlineSupported()) return null;
  let db = await openDb();
  let key = await deviceKey(db);

  const seal = async (value: unknown, at: number): Promise<Sealed> => {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, encoder.encode(JSON.stringify(value)));
    return { iv, data, savedAt: at };
  };
  const open = async <T>(sealed: Sealed): Promise<T | null> => {
    try {
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv as Uint8Array<ArrayBuffer> }, key, sealed.data);
      return JSON.parse(decoder.decode(plain)) as T;
    } catch {
      return null;
    }
  };

  const owner = (await promised(db.transaction(CACHE).objectStore(CACHE).get(OWNER))) as Sealed | undefined;
  const ownerName = owner ? await open<string>(owner) : null;
  if (ownerName !== username) {
    if (owner) {
      db.close();
      await wipeOffline();
      db = await openDb();
      key = await deviceKey(db);
    }
    const tx = db.transaction(CACHE, 'readwrite');
    tx.objectStore(CACHE).put(await seal(username, now), OWNER);
    await done(tx);
  }

  // Past three days a cached value is deleted, not just hidden.
  {
    const tx = db.transaction(CACHE, 'readwrite');
    const store = tx.objectStore(CACHE);
    const names = (await promised(store.getAllKeys())) as string[];
    const values = (await promised(store.getAll())) as Sealed[];
    names.forEach((name, i) => {
      const v = values[i];
      if (name !== OWNER && v && !isFresh(v.savedAt, now)) store.delete(name);
    });
    await done(tx);
  }

  const read = async (name: string, at: number): Promise<Sealed | null> => {
    const v = (await promised(db.transaction(CACHE).objectStore(CACHE).get(name))) as Sealed | undefined;
    return v && isFresh(v.savedAt, at) ? v : null;
  };

  return {
    async get<T>(name: string, at = Date.now()) {
      const v = await read(name, at);
      return v ? open<T>(v) : null;
    },
    async savedAt(name: string, at = Date.now()) {
      return (await read(name, at))?.savedAt ?? null;
    },
    async put(name, value, at = Date.now()) {
      const sealed = await seal(value, at);
      const tx = db.transaction(CACHE, 'readwrite');
      tx.objectStore(CACHE).put(sealed, name);
      await done(tx);
    },
    async queue() {
      const all = (await promised(db.transaction(QUEUE).objectStore(QUEUE).getAll())) as Sealed[];
      const entries = await Promise.all(all.map((s) => open<QueuedVisit>(s)));
      return entries.filter((e): e is QueuedVisit => e !== null);
    },
    async putQueued(entry) {
      const sealed = await seal(entry, Date.now());
      const tx = db.transaction(QUEUE, 'readwrite');
      tx.objectStore(QUEUE).put(sealed, entry.visit.visitId);
      await done(tx);
    },
    async dropQueued(visitId) {
      const tx = db.transaction(QUEUE, 'readwrite');
      tx.objectStore(QUEUE).delete(visitId);
      await done(tx);
    },
  };
}

/** Deletes the whole store, the key with it (sign-out). Resolves even when the browser has none. */
export function wipeOffline(): Promise<void> {
  if (typeof indexedDB === 'undefined') return Promise.resolve();
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(DB_NAME);
    req.onsuccess = () => resolve();
    req.onerror = () => resolve();
    // Another tab holding it open: the deletion completes once it closes; do not wait for that.
    req.onblocked = () => resolve();
  });
}
