// @ts-check
/**
 * TlElement is the small base every tokenlab element extends: it defines
 * itself once under its default tag, wires listeners per connection with an
 * AbortSignal that disconnectedCallback aborts, batches renders into one
 * microtask, and gives subclasses one-line typed attribute accessors.
 *
 * Subclasses set `static tag`, override `connected(signal)` to add
 * listeners and `render()` to update their DOM, and call `invalidate()`
 * when something changed. Attributes are the source of truth; a property
 * reflects to its attribute (as in GitHub's relative-time-element):
 *
 *   static tag = "tl-token-view";
 *   static observedAttributes = ["token"];
 *   get token() { return this.stringAttr("token"); }
 *   set token(v) { this.setStringAttr("token", v); }
 *
 * Events are fired from what the user did (a click, a paste), never from
 * render(); setting a property or attribute fires none.
 */
export class TlElement extends HTMLElement {
  /** The tag define() registers when given none. */
  static tag = "";

  /** @type {AbortController | null} */ #abort = null;
  #queued = false;

  /**
   * Registers the element under tag (its default tag unless given) unless
   * that tag is already defined (a second import, or an embed that defined
   * it first).
   * @param {string} [tag]
   * @param {CustomElementRegistry} [registry]
   */
  static define(tag = this.tag, registry = customElements) {
    if (!tag) throw new Error(`${this.name}.define: no tag given and no static tag`);
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

  /**
   * Re-renders when an observed attribute changes.
   * @param {string} _name @param {string | null} _old @param {string | null} _value
   */
  attributeChangedCallback(_name, _old, _value) {
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

  // ---------------------------------------------------- attribute accessors

  /** A string attribute, or fallback when it is absent. @param {string} name @param {string} [fallback] */
  stringAttr(name, fallback = "") {
    return this.getAttribute(name) ?? fallback;
  }

  /** Reflects a string property: null or undefined removes the attribute. @param {string} name @param {unknown} value */
  setStringAttr(name, value) {
    if (value === null || value === undefined) this.removeAttribute(name);
    else this.setAttribute(name, String(value));
  }

  /** A boolean attribute: present or not. @param {string} name */
  boolAttr(name) {
    return this.hasAttribute(name);
  }

  /** Reflects a boolean property. @param {string} name @param {unknown} value */
  setBoolAttr(name, value) {
    this.toggleAttribute(name, !!value);
  }

  /** A number attribute, or fallback when it is absent or not a number. @param {string} name @param {number} fallback */
  numberAttr(name, fallback) {
    const n = Number(this.getAttribute(name) ?? NaN);
    return this.hasAttribute(name) && Number.isFinite(n) ? n : fallback;
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

/**
 * An array property's value: v when it is an array, otherwise empty.
 * @template T
 * @param {T[] | unknown} v
 * @returns {T[]}
 */
export function listOf(v) {
  return Array.isArray(v) ? v : [];
}

/**
 * A link to a specification or vendor page, opening in a new tab; plain
 * text when the URL is not https (the engine's data has only https links,
 * so anything else is not followed).
 * @param {string} text
 * @param {string | undefined} url
 * @param {string} [className]
 */
export function refLink(text, url, className = "ref") {
  if (!url || !/^https:\/\//.test(url)) return h("span", className, text);
  const a = h("a", className, text);
  a.href = url;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  return a;
}

/**
 * Renders a JSON value compactly for a table cell.
 * @param {unknown} value
 */
export function compact(value) {
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
