import type { NewVisit, VisitFlag, VisitView } from './types';

/*
 * The device's queue of visits not yet on the server, as a small state machine. Every visit goes
 * through it, online or not: it is queued with the id made on the device, then sent; the server takes
 * a replay of the same id as a no-op, so sending again after a lost answer stores nothing twice.
 *
 *   pending ──sent, stored──────────────▶ (gone from the queue)
 *   pending ──sent, stored with a flag──▶ flagged  (kept and shown until the coordinator has looked)
 *   pending ──no network, 5xx, 429, 401─▶ pending  (tried again when the network returns)
 *   pending ──any other 4xx─────────────▶ failed   (kept and shown, never deleted on its own)
 *   failed  ──"try again"───────────────▶ pending
 */

export type QueueState = 'pending' | 'flagged' | 'failed';

export type QueuedVisit = {
  visit: NewVisit;
  /** When it was queued (ISO): the order visits are sent in. */
  queuedAt: string;
  state: QueueState;
  /** The household's door, to name it when it shows as flagged or failed (kept encrypted like the rest). */
  door?: string;
  /** How many times it was sent without an answer that settled it. */
  attempts: number;
  /** The server's flags, once stored with some. */
  flags?: VisitFlag[];
  /** The household's due day after the visit, as the server answered it. */
  due?: string;
  /** Why it failed: the server's status, error code and message. */
  error?: { status: number; code: string; message?: string };
};

/** What a send of a queued visit came to: the stored visit, or the error (status 0 for no network). */
export type SendAnswer = { ok: VisitView } | { error: { status: number; code: string; message?: string } };

/** A new entry for a visit recorded on the device. */
export const queued = (visit: NewVisit, now: Date, door?: string): QueuedVisit => ({
  visit,
  queuedAt: now.toISOString(),
  state: 'pending',
  attempts: 0,
  ...(door ? { door } : {}),
});

/**
 * Whether an error may go away on its own: no network, the server busy or failing, a throttle, or the
 * sign-in expired (the visit waits for the next sign-in). Anything else the server said no to stays no.
 */
export function isRetryable(error: { status: number; code: string }): boolean {
  const { status } = error;
  return status === 0 || status === 401 || status === 408 || status === 429 || status >= 500;
}

/**
 * The entry after an answer (null: done, drop it), and whether to stop sending the rest for now
 * (a retryable error means the network or the server is not there: the next ones would fail alike).
 */
export function afterAnswer(entry: QueuedVisit, answer: SendAnswer): { next: QueuedVisit | null; stop: boolean } {
  if ('ok' in answer) {
    const flags = answer.ok.flags ?? [];
    if (flags.length === 0) return { next: null, stop: false };
    const { error: _dropped, ...rest } = entry;
    return { next: { ...rest, state: 'flagged', flags, ...(answer.ok.due ? { due: answer.ok.due } : {}) }, stop: false };
  }
  const attempts = entry.attempts + 1;
  if (isRetryable(answer.error)) return { next: { ...entry, state: 'pending', attempts }, stop: true };
  return { next: { ...entry, state: 'failed', attempts, error: answer.error }, stop: false };
}

/** The entries to send, oldest first. */
export const sendable = (entries: readonly QueuedVisit[]): QueuedVisit[] =>
  entries.filter((e) => e.state === 'pending').sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));

/** A failed entry the coordinator asks to send again. */
export const retried = (entry: QueuedVisit): QueuedVisit => {
  const { error: _dropped, ...rest } = entry;
  return { ...rest, state: 'pending' };
};

export type QueueSummary = { waiting: number; flagged: QueuedVisit[]; failed: QueuedVisit[] };

/** How many visits wait to be sent, and which need the coordinator's look. */
export function summarize(entries: readonly QueuedVisit[]): QueueSummary {
  return {
    waiting: entries.filter((e) => e.state === 'pending').length,
    flagged: entries.filter((e) => e.state === 'flagged'),
    failed: entries.filter((e) => e.state === 'failed'),
  };
}

/**
 * The households visited on `day` according to the queue: left off a due list the device shows
 * until the server's own list says so. A failed visit did not count, so its household stays due.
 */
export const visitedOn = (entries: readonly QueuedVisit[], day: string, dayOf: (iso: string) => string): Set<string> =>
  new Set(entries.filter((e) => e.state !== 'failed' && dayOf(e.visit.visitedAt) === day).map((e) => e.visit.householdId));
