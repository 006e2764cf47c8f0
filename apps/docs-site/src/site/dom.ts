/** The element with `id`, checked to be a `type`: a page and its script must agree on their markup. */
export function element<T extends HTMLElement>(id: string, type: { new (): T; readonly name: string }): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) {
    throw new Error(
      `page markup: #${id} should be a ${type.name}, found ${found === null ? 'nothing' : found.tagName}`,
    );
  }
  return found;
}

/** Fills a `<select>` with `values` (label = value), keeping `selected` chosen. */
export function fillSelect(
  select: HTMLSelectElement,
  values: readonly (string | number)[],
  selected: string | number,
): void {
  select.replaceChildren(
    ...values.map((value) => {
      const option = document.createElement('option');
      option.value = option.textContent = String(value);
      option.selected = value === selected;
      return option;
    }),
  );
}

/** Shows an error on the page (and in the console, where the end-to-end tests look for it). */
export function showError(target: HTMLElement, error: unknown): void {
  const text = error instanceof Error ? error.message : String(error);
  target.textContent = text;
  target.hidden = false;
  console.error(error);
}
