import { type DutiesPlan, newId, type Post, type PostEvent, type PostPlan } from '@gridline/domain';
import { auditEntry } from '../audit';
import type { Change, CounterMove, Write } from '../ops';
import { postItems } from './items';

/**
 * The transactions of a town's post catalogue: each turns a plan of the posts rules (`@gridline/domain`,
 * posts/rules) into ONE transaction — the post at the version read (or created), its history entry, the
 * duties version, the audit entry. A town provisioned before the catalogue had items of its own reads
 * the seven posts of its configuration; its first change writes them all (`materialize`), so the
 * catalogue is stored whole or not at all. Pure: tested without DynamoDB.
 */
export function postChanges(townId: string, actor: string) {
  const items = postItems(townId);
  const k = items.keys;

  const events = (postId: string, list: PostEvent[], now: string): Write[] =>
    list.map((e) => ({ kind: 'put', item: items.event(postId, now, newId(Date.parse(now)), actor, e.kind, e.details) }));

  /** The catalogue's posts not yet stored (a town from before the catalogue), written as read. */
  const materialize = (virtual: readonly Post[], except: string): Write[] =>
    virtual.filter((p) => p.postId !== except).map((p) => ({ kind: 'create', item: items.post(p), conflictCode: 'post.changed' }));

  /**
   * The TOWN counter of posts in use: the change's own move, plus, when the catalogue is stored for the
   * first time, the posts in use it had (a town from before the catalogue never counted them).
   */
  const activeCount = (delta: number, virtual?: readonly Post[]): CounterMove[] => {
    const n = delta + (virtual ? virtual.filter((p) => !p.retired).length : 0);
    return n ? [{ key: k.counters('TOWN'), deltas: { posts_active: n } }] : [];
  };

  /** The post after: created when new or not stored yet, else replaced at the version read. */
  const postWrite = (plan: PostPlan, stored: boolean): Write =>
    !plan.before || !stored
      ? { kind: 'create', item: items.post(plan.after), conflictCode: plan.before ? 'post.changed' : 'post.exists' }
      : { kind: 'replace', item: items.post(plan.after), version: plan.before.version };

  return {
    items,

    /** Adding, renaming, retiring or restoring a post. `virtual` lists the catalogue when it is not stored yet. */
    postChange(plan: PostPlan, now: string, virtual?: readonly Post[]): Change {
      return {
        writes: [
          postWrite(plan, !virtual),
          ...(virtual ? materialize(virtual, plan.after.postId) : []),
          ...events(plan.after.postId, plan.events, now),
        ],
        audit: [auditEntry(k.audit, { actor, action: plan.audit.action, target: plan.after.postId, at: now, details: plan.audit.details })],
        counters: activeCount(plan.active, virtual),
      };
    },

    /**
     * A new duties version: the version item is created (so two editors of the same version cannot both
     * write it), the catalogue's copy of the current duties replaced, the post's duties version moved.
     */
    dutiesChange(plan: DutiesPlan, before: Post, now: string, virtual?: readonly Post[]): Change {
      const postId = plan.post.postId;
      return {
        writes: [
          { kind: 'create', item: items.version(postId, plan.duties), conflictCode: 'duties.changed' },
          { kind: 'put', item: items.current(postId, plan.duties) },
          virtual
            ? { kind: 'create', item: items.post(plan.post), conflictCode: 'post.changed' }
            : { kind: 'replace', item: items.post(plan.post), version: before.version },
          ...(virtual ? materialize(virtual, postId) : []),
          ...events(postId, [plan.event], now),
        ],
        audit: [auditEntry(k.audit, { actor, action: plan.audit.action, target: postId, at: now, details: plan.audit.details })],
        counters: activeCount(0, virtual),
      };
    },
  };
}
export type PostChanges = ReturnType<typeof postChanges>;
