import { claimIdempotency, completeIdempotency, digest, releaseIdempotency } from '@gridline/data';
import { AppError } from '@gridline/domain';
import type { RouteSpec } from '../routes';
import { logger } from './log';
import { inScope } from './scope';
import { type Middleware, stateOf } from './state';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_SHAPE = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Routes whose method is not GET but that change nothing worth replaying: a search reads, and a reveal
 * must never be answered from a stored copy (the full number would sit in the table, and a replay
 * would skip the allowance and the audit), and provisioning is idempotent already.
 */
const NOT_KEYED = new Set([
  'book.person.search',
  'book.person.reveal',
  // Provisioning converges by itself (decision 7), and its 201 carries a one-time password that must not be kept.
  'towns.put',
]);

/** Whether a route takes an Idempotency-Key: every write of a signed-in caller (decision 29). */
export function keyedRoute(spec: RouteSpec): boolean {
  return spec.method !== 'GET' && spec.audience !== 'public' && !NOT_KEYED.has(spec.id);
}

/**
 * Retries that cannot apply a change twice. With an `Idempotency-Key` header, the first attempt claims
 * the key (in the tenant's own partition) and its transactions mark it applied; its 2xx answer is kept.
 * The same key with the same input gets that answer again, with a different input 422; while the first
 * attempt runs, 409. Without the header a request runs as before.
 */
export const idempotencyMiddleware = (spec: RouteSpec): Middleware[] => {
  // Routes that take no key have no idempotency middleware at all.
  if (!keyedRoute(spec)) return [];
  const middleware: Middleware = {
    before: async (request) => {
      const raw = request.event.headers?.[IDEMPOTENCY_HEADER];
      if (raw === undefined) return;
      if (!KEY_SHAPE.test(raw))
        throw new AppError('request.invalid', 400, 'Idempotency-Key must be 8 to 128 letters, digits or ._:-', {
          field: `headers.${IDEMPOTENCY_HEADER}`,
        });
      const state = stateOf(request.event, spec);
      const who = state.principal?.userId ?? 'anonymous';
      const fingerprint = digest(JSON.stringify(state.input ?? null));
      const claim = await inScope(state, () => claimIdempotency(`${spec.id}\n${who}\n${raw}`, fingerprint, state.requestId));
      if (claim.kind === 'run') {
        if (state.scope) state.scope.idempotency = { key: claim.key, attempt: claim.attempt };
        return;
      }
      if (claim.kind === 'replay') {
        state.replay = claim.response;
        return;
      }
      if (claim.kind === 'mismatch')
        throw new AppError('idempotency.key_reused', 422, 'This Idempotency-Key was already used for a different request.', {
          field: `headers.${IDEMPOTENCY_HEADER}`,
        });
      if (claim.kind === 'in_progress')
        throw new AppError('idempotency.in_progress', 409, 'The same request is already being handled; try again in a moment.');
      throw new AppError(
        'idempotency.applied',
        409,
        'Your earlier attempt of this change was saved, but its answer was lost; reload to see the result.',
      );
    },
    after: async (request) => {
      const state = stateOf(request.event, spec);
      const held = state.scope?.idempotency;
      if (!held || state.replay) return;
      const status = request.response?.statusCode ?? 200;
      if (status >= 300) {
        await inScope(state, () => releaseIdempotency(held));
        return;
      }
      try {
        await inScope(state, () => completeIdempotency(held, { status, body: request.response?.body ?? '' }));
      } catch (e) {
        // The change is in and its answer goes out; a retry that finds no stored answer learns it was applied.
        logger.warn('idempotency answer not kept', { error: e as Error });
      }
    },
    onError: async (request) => {
      const state = stateOf(request.event, spec);
      const held = state.scope?.idempotency;
      // Not awaited: when the database is what failed, waiting for the release would spend another
      // failure budget before the answer; a release that does not arrive is covered by the lock's end.
      if (held) void inScope(state, () => releaseIdempotency(held));
    },
  };
  return [middleware];
};
