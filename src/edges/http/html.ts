/** Text placed in HTML: every character that could open markup or end an attribute, escaped. */
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);

/** Whether a browser asked (Accept names text/html and does not put JSON first). */
export const acceptsHtml = (accept: string | undefined) => {
  const value = accept ?? '';
  return value.includes('text/html') && !value.startsWith('application/json');
};
