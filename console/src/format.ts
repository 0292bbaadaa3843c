/** A date-time as the person's language writes it (medium date, short time); a dash for none. */
export const when = (iso: string | null | undefined, language: string) =>
  iso ? new Date(iso).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
