import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import type { Problem } from '../api/client';
import { fieldProblems } from '../problems';

/**
 * Puts a problem's `errors` on the form fields their JSON Pointers name, each message naming the field as the form
 * labels it, in the user's language (the registry's own wording follows, as it explains the rule broken). Returns
 * the errors no field of the form has, for the page to show apart.
 */
export function showFieldProblems(
  form: FormInstance,
  problem: Problem | undefined,
  t: TFunction,
  labelOf: (path: (string | number)[]) => string | undefined,
  under: (string | number)[] = [],
): string[] {
  const unplaced: string[] = [];
  const fields = fieldProblems(problem?.errors, under).flatMap(({ path, message }) => {
    const label = path.length > 0 ? labelOf(path) : undefined;
    if (label === undefined) {
      unplaced.push(message);
      return [];
    }
    return [{ name: path, errors: [t('errors.field', { field: label, message })] }];
  });
  form.setFields(fields);
  return unplaced;
}
