// Building DOM from data. Text always goes in as text nodes, never as HTML: a customer's name
// with markup in it shows literally, as on the card.

type Attrs = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;
export type Child = Node | string | number | false | null | undefined;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs,
  ...children: Child[]
): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces what `parent` shows, keeping keyboard focus on the same lead or control if it is still there. */
export function replace(parent: Element, ...children: Child[]): void {
  const focused = document.activeElement;
  const key =
    focused instanceof HTMLElement && parent.contains(focused) ? focused.dataset.focusKey : undefined;
  parent.replaceChildren();
  append(parent, children);
  if (key) parent.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`)?.focus();
}

/** SVG elements (charts): attributes only, no style strings (the CSP allows no inline style). */
export function svg(
  tag: string,
  attrs: Record<string, string | number> = {},
  ...children: Child[]
): SVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  append(el, children);
  return el;
}
