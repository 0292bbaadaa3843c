import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import type { Problem } from '../api/client';
import { fieldProblems, localMessage } from '../problems';

/**
 * Puts a problem's `errors` on the form fields their JSON Pointers name, each message naming the field as the form
 * labels it, in the user's language (the registry's own wording follows where the console has none). Returns the
 * messages no field of the form can show (a pointer to a group of fields, or to nothing in the form), worded the
 * same way, for the page to show apart.
 */
export function showFieldProblems(
  form: FormInstance,
  problem: Problem | undefined,
  t: TFunction,
  labelOf: (path: (string | number)[]) => string | undefined,
  under: (string | number)[] = [],
): string[] {
  const registered = new Set(form.getFieldsError().map((f) => JSON.stringify(f.name)));
  const unplaced: string[] = [];
  const fields = fieldProblems(problem?.errors, under).flatMap(({ path, message }) => {
    const label = path.length > 0 ? labelOf(path) : undefined;
    const local = localMessage(message);
    const text = local ? t(local.key, local.values) : message;
    const worded = label === undefined ? message : t('errors.field', { field: label, message: text });
    if (!registered.has(JSON.stringify(path))) {
      unplaced.push(worded);
      return [];
    }
    return [{ name: path, errors: [worded] }];
  });
  form.setFields(fields);
  return unplaced;
}
