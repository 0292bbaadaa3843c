/**
 * Names the open list of every antd select after its field. antd (rc-select) renders the list, in a layer of its
 * own, as `role="listbox"` with the id `<select's id>_list` but no name, so a screen reader announces a nameless
 * list (axe: aria-input-field-name). The list takes the select's own name: what the select is labelled by, else
 * its `aria-label`, else its field's label (given an id if it has none). A select whose list is unnamed is fixed here once,
 * for every select, rather than in each; React leaves these attributes alone, as it did not set them.
 */
export function nameListboxes(root: HTMLElement = document.body): MutationObserver {
  const observer = new MutationObserver(() => {
    for (const list of root.querySelectorAll<HTMLElement>(
      '[role="listbox"][id$="_list"]:not([aria-label]):not([aria-labelledby])',
    )) {
      nameAfterSelect(list);
    }
  });
  observer.observe(root, { childList: true, subtree: true });
  return observer;
}

/** As the select's own name is computed: its aria-labelledby, else its aria-label, else its label element. */
function nameAfterSelect(list: HTMLElement) {
  const selectId = list.id.slice(0, -'_list'.length);
  const select = document.getElementById(selectId);
  if (!select) return;
  const labelledBy = select.getAttribute('aria-labelledby');
  const named = select.getAttribute('aria-label');
  const label = document.querySelector<HTMLLabelElement>(`label[for="${CSS.escape(selectId)}"]`);
  if (labelledBy) list.setAttribute('aria-labelledby', labelledBy);
  else if (named) list.setAttribute('aria-label', named);
  else if (label) {
    label.id ||= `${selectId}_label`;
    list.setAttribute('aria-labelledby', label.id);
  }
}
