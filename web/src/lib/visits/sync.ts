import { newId } from '@gridline/domain/new-id';
import { visitDay } from '@gridline/domain/visits/cycle';
import { get, writable } from 'svelte/store';
import { ApiError } from '../api';
import { session } from '../session';
import { visits } from './api';
import { openOffline, type OfflineStore, wipeOffline } from './offline';
import { maskNote } from './offline-rules';
import { afterAnswer, type QueuedVisit, queued, retried, type SendAnswer, sendable, summarize, visitedOn } from './queue';
import type { NewVisit } from './types';

/*
 * The visits' offline runtime: the signed-in coordinator's store, the queue and its sending. A visit
 * is always queued first (encrypted, with its id made here) and then sent, so a visit recorded with no
 * signal and one recorded with full signal take the same path. Sending runs on start, when the
 * browser says the network is back (`online`), and after each visit recorded; one run at a time.
 */

export type OfflineStatus = {
  online: boolean;
  /** Visits waiting to be sent. */
  waiting: number;
  /** Stored with a flag: the household changed or closed meanwhile. Kept until looked at. */
  flagged: QueuedVisit[];
  /** Refused by the server for a reason that will not pass on its own. Kept until retried or let go. */
  failed: QueuedVisit[];
  /** The households visited today per the queue (kept off the due lists until the server agrees). */
  visitedToday: string[];
  syncing: boolean;
  /** Bumped after each run that stored something: pages reload their lists. */
  stored: number;
};

const initial = (): OfflineStatus => ({
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  waiting: 0,
  flagged: [],
  failed: [],
  visitedToday: [],
  syncing: false,
  stored: 0,
});

export const offlineStatus = writable<OfflineStatus>(initial());

let storeFor: { username: string; store: Promise<OfflineStore | null> } | null = null;

/** The store of the signed-in user (null when signed out or the browser cannot keep one). */
export function offlineStore(): Promise<OfflineStore | null> {
  const username = get(session)?.user.username;
  if (!username) return Promise.resolve(null);
  if (storeFor?.username !== username) {
    storeFor = { username, store: openOffline(username).catch(() => null) };
  }
  return storeFor.store;
}

async function publish(store: OfflineStore, patch: Partial<OfflineStatus> = {}) {
  const entries = await store.queue();
  const s = summarize(entries);
  const today = visitDay(new Date());
  offlineStatus.update((o) => ({
    ...o,
    ...patch,
    waiting: s.waiting,
    flagged: s.flagged,
    failed: s.failed,
    visitedToday: [...visitedOn(entries, today, visitDay)],
  }));
}

const errorOf = (e: unknown) =>
  e instanceof ApiError ? { status: e.status, code: e.code, message: e.message } : { status: 0, code: 'network' };

let running: Promise<void> | null = null;
let askedAgain = false;

/** One pass over the queue: every pending visit, oldest first, stopping at the first that cannot get through. */
async function sendPending(store: OfflineStore): Promise<boolean> {
  let storedAny = false;
  for (const entry of sendable(await store.queue())) {
    if (typeof navigator !== 'undefined' && !navigator.onLine) break;
    let answer: SendAnswer;
    try {
      answer = { ok: await visits.record(entry.visit) };
    } catch (e) {
      answer = { error: errorOf(e) };
    }
    const { next, stop } = afterAnswer(entry, answer);
    if ('ok' in answer) storedAny = true;
    if (next) await store.putQueued(next);
    else await store.dropQueued(entry.visit.visitId);
    await publish(store);
    if (stop) return storedAny;
  }
  return storedAny;
}

/**
 * Sends every pending visit. One run at a time; a call during a run (a visit recorded meanwhile) makes
 * the run go over the queue once more when it ends.
 */
export function syncNow(): Promise<void> {
  if (running) {
    askedAgain = true;
    return running;
  }
  running = (async () => {
    const store = await offlineStore();
    if (!store) return;
    offlineStatus.update((o) => ({ ...o, syncing: true }));
    let storedAny = false;
    try {
      do {
        askedAgain = false;
        if (await sendPending(store)) storedAny = true;
      } while (askedAgain);
    } finally {
      await publish(store, { syncing: false });
      if (storedAny) offlineStatus.update((o) => ({ ...o, stored: o.stored + 1 }));
    }
  })().finally(() => {
    running = null;
  });
  return running;
}

/** Records a visit: queued on the device with its own id (the note masked), then sent when it can be. */
export async function recordVisit(visit: Omit<NewVisit, 'visitId' | 'visitedAt'>, door?: string, now = new Date()): Promise<string> {
  const store = await offlineStore();
  if (!store) throw new ApiError(0, 'visits.no_offline_store', 'this browser cannot keep visits');
  const note = visit.note?.trim();
  const body: NewVisit = {
    ...visit,
    visitId: newId(now.getTime()),
    visitedAt: now.toISOString(),
    ...(note ? { note: maskNote(note) } : {}),
  };
  if (!note) delete body.note;
  await store.putQueued(queued(body, now, door));
  await publish(store);
  void syncNow();
  return body.visitId;
}

/** Sends a failed visit again. */
export async function retryVisit(visitId: string): Promise<void> {
  const store = await offlineStore();
  const entry = (await store?.queue())?.find((e) => e.visit.visitId === visitId);
  if (!store || !entry) return;
  await store.putQueued(retried(entry));
  await publish(store);
  void syncNow();
}

/** Lets a flagged or failed visit go from the device once the coordinator has looked at it. */
export async function dismissVisit(visitId: string): Promise<void> {
  const store = await offlineStore();
  if (!store) return;
  await store.dropQueued(visitId);
  await publish(store);
}

/** The queue's entries for one household (shown on its page as waiting, flagged or failed). */
export async function queuedFor(householdId: string): Promise<QueuedVisit[]> {
  const store = await offlineStore();
  return ((await store?.queue()) ?? []).filter((e) => e.visit.householdId === householdId);
}

let started = false;

/** Starts the sending: now, and each time the browser says the network is back. Safe to call again. */
export function startSync(): void {
  if (typeof window === 'undefined') return;
  if (!started) {
    started = true;
    window.addEventListener('online', () => {
      offlineStatus.update((o) => ({ ...o, online: true }));
      void syncNow();
    });
    window.addEventListener('offline', () => offlineStatus.update((o) => ({ ...o, online: false })));
  }
  offlineStatus.update((o) => ({ ...o, online: navigator.onLine }));
  void offlineStore().then((store) => (store ? publish(store) : undefined));
  void syncNow();
}

/** How many visits would be lost by signing out now (not yet on the server). */
export async function unsentCount(): Promise<number> {
  const store = await offlineStore();
  return ((await store?.queue()) ?? []).filter((e) => e.state !== 'flagged').length;
}

/** Forgets everything the device keeps for visits: the key, the cache and the queue (sign-out). */
export async function forgetDevice(): Promise<void> {
  const open = storeFor;
  storeFor = null;
  await open?.store.catch(() => null);
  await wipeOffline();
  offlineStatus.set(initial());
}
