// What the import says about a row, before the page words it in the person's language: a key of the console's
// strings with its values, or the registry's own words where the console has none.
export type Message =
  | { key: string; values?: Record<string, string | number> }
  | { text: string }
  /** Several at once (a row that breaks several rules). */
  | { all: Message[] };

type Translate = (key: string, values?: Record<string, string | number>) => string;

/** Words a message, given the console's translate function. */
export const wordsOf =
  (t: Translate) =>
  (m: Message): string =>
    'text' in m ? m.text : 'all' in m ? m.all.map(wordsOf(t)).join('; ') : t(m.key, m.values);
