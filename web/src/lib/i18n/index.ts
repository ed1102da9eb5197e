import { derived, get, writable } from 'svelte/store';
import type { MessageKey, Messages } from './zh-CN';

export type { MessageKey } from './zh-CN';
export type Locale = 'zh-CN' | 'en';
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
/**
 * Each language's catalog comes in two chunks, fetched when first needed: the shell (name, header,
 * sign-in, errors) and the pages. The login page loads the active language's shell only (the login
 * page's JavaScript budget, issue 10); the root layout waits for the pages too on every other page.
 */
export type CatalogPart = 'shell' | 'pages';
const loaders: Record<Locale, Record<CatalogPart, () => Promise<Partial<Messages>>>> = {
  'zh-CN': { shell: () => import('./zh-CN.shell').then((m) => m.zhCNShell), pages: () => import('./zh-CN').then((m) => m.zhCN) },
  en: { shell: () => import('./en.shell').then((m) => m.enShell), pages: () => import('./en').then((m) => m.en) },
};
const catalogs: Partial<Record<Locale, Partial<Messages>>> = {};
const loadedParts: Record<Locale, Set<CatalogPart>> = { 'zh-CN': new Set(), en: new Set() };

/** Fetches the parts of a language's catalog not yet loaded; later calls answer at once. */
export async function loadCatalog(l: Locale, parts: readonly CatalogPart[] = ['shell', 'pages']): Promise<void> {
  const missing = parts.filter((p) => !loadedParts[l].has(p));
  if (missing.length === 0) return;
  const loaded = await Promise.all(missing.map((p) => loaders[l][p]()));
  catalogs[l] = Object.assign({}, catalogs[l], ...loaded);
  for (const p of missing) loadedParts[l].add(p);
}
/** Only the language choice is kept in localStorage; it says nothing about the person. */
const STORAGE_KEY = 'gridline.lang';

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'zh-CN' || saved === 'en') return saved;
  } catch {
    // Storage may be blocked; Chinese is the default.
  }
  return 'zh-CN';
}

export const locale = writable<Locale>(initialLocale());

/**
 * Loads the saved (or default) language's catalog — only its shell for the pages before sign-in — ;
 * the root layout awaits it before a page shows.
 */
export const catalogReady = (parts: readonly CatalogPart[] = ['shell', 'pages']): Promise<void> => loadCatalog(get(locale), parts);

locale.subscribe((l) => {
  if (typeof document !== 'undefined') document.documentElement.lang = l;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, l);
  } catch {
    // Not fatal: the choice just is not remembered.
  }
});

/** Whether `key` names a message; every catalog has the same keys, so the loaded one answers. */
export function isMessageKey(key: string): key is MessageKey {
  const loaded = catalogs[get(locale)] ?? Object.values(catalogs)[0];
  return loaded !== undefined && Object.hasOwn(loaded, key);
}

function fill(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

const translateIn =
  (l: Locale): Translate =>
  (key, params) =>
    // Before its catalog arrives (only if the layout's wait was skipped) a message shows its key.
    fill(catalogs[l]?.[key] ?? key, params);

/** The translate function for the current language: `$t('login.title')` in components. */
export const t = derived(locale, translateIn);

/** The same outside components, for the language in force right now. */
export const translate: Translate = (key, params) => translateIn(get(locale))(key, params);

/** Switches language once the other catalog is loaded, so no page ever shows a half-translated frame. */
export async function toggleLocale(): Promise<void> {
  const current = get(locale);
  const next: Locale = current === 'zh-CN' ? 'en' : 'zh-CN';
  await loadCatalog(next, [...loadedParts[current]]);
  locale.set(next);
}

/** A label the server sends in both languages (town configuration), in the current one. */
export const pickLabel = derived(
  locale,
  (l) =>
    (label: { zh: string; en: string }): string =>
      l === 'en' ? label.en : label.zh,
);
