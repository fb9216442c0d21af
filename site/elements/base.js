// @ts-check
/**
 * TlElement is the small base every tokenlab element extends: it defines
 * itself once, wires listeners per connection with an AbortSignal that
 * disconnectedCallback aborts, and batches renders into one microtask.
 *
 * Subclasses override `connected(signal)` to add listeners and `render()`
 * to update their DOM; they call `invalidate()` when something changed.
 */
export class TlElement extends HTMLElement {
  /** @type {AbortController | null} */ #abort = null;
  #queued = false;

  /**
   * Registers the element under tag unless that tag is already defined (a
   * second import, or an embed that defined it first).
   * @param {string} tag
   * @param {CustomElementRegistry} [registry]
   */
  static define(tag, registry = customElements) {
    if (registry.get(tag)) return this;
    try {
      registry.define(tag, this);
    } catch {
      // The constructor is already registered under another tag: a subclass
      // is a distinct constructor, so the element is still usable here.
      registry.define(tag, class extends this {});
    }
    return this;
  }

  connectedCallback() {
    this.#abort = new AbortController();
    this.connected(this.#abort.signal);
    this.invalidate();
  }

  disconnectedCallback() {
    this.#abort?.abort();
    this.#abort = null;
  }

  attributeChangedCallback() {
    this.invalidate();
  }

  /** Override: add listeners with `{ signal }`. @param {AbortSignal} _signal */
  connected(_signal) {}

  /** Override: update the DOM from attributes and properties. */
  render() {}

  /** Schedules one render in a microtask, however often it is called. */
  invalidate() {
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      if (this.isConnected) this.render();
    });
  }

  /**
   * Dispatches a bubbling, composed tl- event.
   * @param {string} type
   * @param {any} [detail]
   */
  emit(type, detail) {
    return this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, cancelable: true, detail }));
  }
}

/**
 * Parses static markup once into a template. Only constant markup goes
 * through here; token text and claim values always go in with textContent.
 * @param {string} markup
 */
export function template(markup) {
  const t = document.createElement("template");
  t.innerHTML = markup;
  return t;
}

/**
 * Creates an element with a class and text.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Human names of token kinds. */
export const KIND_NAMES = /** @type {Record<string, string>} */ ({
  id_token: "ID token",
  access_token: "Access token",
  refresh_token: "Refresh token",
  logout_token: "Logout token",
  jwt: "JWT",
  unknown: "Unknown token",
});

/**
 * Renders a JSON value compactly for a table cell.
 * @param {unknown} value
 */
export function compact(value) {
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
