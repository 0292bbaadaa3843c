// The console's two languages and how the first one is chosen: the one the user picked before (kept in
// localStorage: a preference, not a secret), else the browser's, else English.

export const LANGUAGES = ['zh-CN', 'en-US'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'robotid.language';

/** The console language for a list of BCP 47 tags in preference order (navigator.languages). */
export function languageFor(tags: readonly string[]): Language {
  for (const tag of tags) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en-US';
  }
  return 'en-US';
}

export function initialLanguage(): Language {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (saved === 'zh-CN' || saved === 'en-US') return saved;
  const nav = globalThis.navigator;
  return languageFor(nav ? [...(nav.languages ?? []), nav.language].filter(Boolean) : []);
}

export function rememberLanguage(language: Language): void {
  globalThis.localStorage?.setItem(STORAGE_KEY, language);
}
