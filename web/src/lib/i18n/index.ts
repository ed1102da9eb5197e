import { derived, get, writable } from 'svelte/store';
import { en } from './en';
import { type MessageKey, type Messages, zhCN } from './zh-CN';

export type { MessageKey } from './zh-CN';
export type Locale = 'zh-CN' | 'en';
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
const catalogs: Record<Locale, Messages> = { 'zh-CN': zhCN, en };
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

locale.subscribe((l) => {
  if (typeof document !== 'undefined') document.documentElement.lang = l;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, l);
  } catch {
    // Not fatal: the choice just is not remembered.
  }
});

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zhCN, key);
}

function fill(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

const translateIn =
  (l: Locale): Translate =>
  (key, params) =>
    fill(catalogs[l][key], params);

/** The translate function for the current language: `$t('login.title')` in components. */
export const t = derived(locale, translateIn);

/** The same outside components, for the language in force right now. */
export const translate: Translate = (key, params) => translateIn(get(locale))(key, params);

export function toggleLocale() {
  locale.update((l) => (l === 'zh-CN' ? 'en' : 'zh-CN'));
}

/** A label the server sends in both languages (town configuration), in the current one. */
export const pickLabel = derived(
  locale,
  (l) =>
    (label: { zh: string; en: string }): string =>
      l === 'en' ? label.en : label.zh,
);
