import type { TFunction } from 'i18next';

// What the import says about a row, before the page words it in the person's language: a key of the console's
// strings with its values, or the registry's own words where the console has none.
export type Message =
  | { key: string; values?: Record<string, string | number> }
  | { text: string }
  /** Several at once (a row that breaks several rules). */
  | { all: Message[] };

/** A translate function as these modules take it: the key, and its values or `defaultValue`. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** i18next's `t` as a Translate. */
export const asTranslate =
  (t: TFunction): Translate =>
  (key, options) =>
    String(t(key, options ?? {}));

/** Words a message, given the console's translate function. */
export const wordsOf =
  (t: Translate) =>
  (m: Message): string =>
    'text' in m ? m.text : 'all' in m ? m.all.map(wordsOf(t)).join('; ') : t(m.key, m.values);
