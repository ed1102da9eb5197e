import { isMessageKey, type Locale, type Translate } from '../i18n';
import type { ColumnMappingView, ImportIssue, ImportRecordView as ImportRecord, PreviewOptions } from '@gridline/domain';

/** Whether an import has stopped moving (a failed one moves again only when a person resumes it). */
export const finished = (r: Pick<ImportRecord, 'status'>) => r.status === 'done' || r.status === 'failed' || r.status === 'abandoned';

/** Whether committing the preview would change anything at all. */
export const hasWork = (r: ImportRecord) => r.fileErrors.length === 0 && r.stats.create + r.stats.update > 0;

/**
 * The text of an import finding in the UI language: the server's own message (it names the row,
 * column or tag concerned), else the catalog's text for the code, else the code itself.
 */
export function issueText(issue: ImportIssue, locale: Locale, t: Translate): string {
  const own = locale === 'en' ? issue.message?.en : issue.message?.zh;
  if (own) return own;
  const key = `err.${issue.code}`;
  return isMessageKey(key) ? t(key) : issue.code;
}

/** A book column's name in the UI language (the field names of packages/book/src/columns.ts). */
export function fieldLabel(field: string | undefined, t: Translate): string {
  if (!field) return '';
  const key = `bookField.${field}`;
  return isMessageKey(key) ? t(key) : field;
}

/** A book field, or null for a column the import ignores. */
export type FieldChoice = NonNullable<PreviewOptions['mapping']>[number]['field'];

/**
 * The mapping to send with the next preview: the columns whose field the user changed here, and those
 * a user placed before (given earlier, or remembered for the town). Columns decided by name, alias or
 * content are left to the server to decide again, so the preview keeps saying how it read them. A
 * header-less column cannot be named in a mapping; a repeated header carries one choice (the first).
 */
export function mappingFor(columns: readonly ColumnMappingView[], chosen: ReadonlyMap<number, FieldChoice>) {
  const seen = new Set<string>();
  const mapping: Array<{ header: string; field: FieldChoice }> = [];
  for (const c of columns) {
    const header = c.header.trim();
    if (!header || seen.has(header)) continue;
    seen.add(header);
    const mine = chosen.has(c.column) && chosen.get(c.column) !== c.field;
    if (mine) mapping.push({ header, field: chosen.get(c.column) ?? null });
    else if (c.how === 'user') mapping.push({ header, field: c.field });
  }
  return mapping;
}

/** Whether a preview names communities or grids the import would have to create. */
export const plansOrg = (r: Pick<ImportRecord, 'org'>) => !!r.org && r.org.communities.length + r.org.grids.length > 0;

/** A label (`{ zh, en }`) in the UI language. */
export const labelText = (l: { zh: string; en: string }, locale: Locale) => (locale === 'en' ? l.en : l.zh);
