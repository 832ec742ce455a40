// Small DOM helpers: elements are built with textContent and attributes, never from data as markup.

type Attrs = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | undefined)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') e.className = String(v);
    else if (k === 'text') e.textContent = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== undefined) e.append(c);
  return e;
}

/** A toolbar button with a codicon and an accessible label. */
export function iconButton(icon: string, label: string, action: string, options: { text?: boolean; primary?: boolean } = {}): HTMLButtonElement {
  const b = el('button', { class: `button ${options.primary ? 'primary' : 'secondary'}${options.text ? '' : ' icon-only'}`, title: label, 'aria-label': label, 'data-action': action, type: 'button' });
  b.append(el('span', { class: `codicon codicon-${icon}`, 'aria-hidden': 'true' }));
  if (options.text) b.append(el('span', { class: 'label', text: label }));
  return b;
}

/** Calls `handler(action, element)` for clicks on elements with `data-action` inside `root`. */
export function onAction(root: HTMLElement, handler: (action: string, target: HTMLElement, event: Event) => void): void {
  root.addEventListener('click', (event) => {
    const target = (event.target as Element | null)?.closest<HTMLElement>('[data-action]');
    if (!target || !root.contains(target) || (target as HTMLButtonElement).disabled) return;
    event.preventDefault();
    handler(target.dataset.action ?? '', target, event);
  });
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => { timer = undefined; fn(...args); }, ms);
  };
}

/** A busy bar and an error banner, shared by every panel. */
export class StatusArea {
  readonly element = el('div', { class: 'status-area' });
  private readonly bar = el('div', { class: 'progress', role: 'progressbar', 'aria-hidden': 'true' });
  private readonly banner = el('div', { class: 'banner error', role: 'alert' });

  constructor() {
    this.bar.hidden = true;
    this.banner.hidden = true;
    this.element.append(this.bar, this.banner);
  }

  busy(on: boolean, message?: string): void {
    this.bar.hidden = !on;
    this.bar.setAttribute('aria-hidden', String(!on));
    this.bar.title = message ?? '';
    if (on) this.error(undefined);
  }

  error(message: string | undefined): void {
    this.banner.hidden = !message;
    this.banner.textContent = message ?? '';
  }
}
