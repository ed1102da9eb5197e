import { newId } from '@gridline/domain';
import type { Key } from './keys';
import type { AuditEntry, Item } from './ops';

/** An audit entry at `key(at, id)`; entries are written once and never changed. */
export function auditEntry(
  keyOf: (at: string, id: string) => Key,
  e: { actor: string; action: string; target: string; at: string; details?: Item },
): AuditEntry {
  return { key: keyOf(e.at, newId(Date.parse(e.at))), ...e };
}
