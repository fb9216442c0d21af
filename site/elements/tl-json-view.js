// @ts-check
import { TlElement, h } from "./base.js";

/**
 * A JSON Pointer (RFC 6901) for a path of member names and array indexes.
 * @param {(string | number)[]} path
 */
export function pointer(path) {
  return path.map((p) => `/${String(p).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/**
 * <tl-json-view> shows a JSON value as JSON.stringify(value, null, 2)
 * would, with every object member and array element in its own span that
 * carries its JSON Pointer (RFC 6901) in data-path, so a part of the
 * document can be pointed at:
 *
 *   <tl-json-view label="Processed payload" highlight="/address/locality"></tl-json-view>
 *   view.value = { address: { locality: "Berlin" } };
 *   view.marked = ["/address/locality"];
 *
 * Properties and attributes:
 *   value       the JSON value to show (property only)
 *   marked      JSON Pointers whose members are marked (property only):
 *               e.g. the claims that came from a disclosure
 *   highlight   one JSON Pointer whose member is highlighted, "" for none
 *   label       the accessible name of the scrollable, focusable block
 *
 * Text goes in with textContent: nothing of the value is parsed as markup.
 * Copying the element's text gives exactly the JSON.
 */
export class TlJsonView extends TlElement {
  static tag = "tl-json-view";
  static observedAttributes = ["highlight", "label"];
  /** @type {unknown} */ #value = undefined;
  /** @type {string[]} */ #marked = [];
  /** @type {HTMLPreElement | null} */ #pre = null;
  #drawn = "";

  /** The JSON value shown; undefined shows nothing. */
  get value() { return this.#value; }
  set value(v) { this.#value = v; this.invalidate(); }

  /** The JSON Pointers of the members to mark. @returns {string[]} */
  get marked() { return this.#marked; }
  set marked(v) { this.#marked = Array.isArray(v) ? v.map(String) : []; this.invalidate(); }

  /** The JSON Pointer of the member to highlight, or "". */
  get highlight() { return this.stringAttr("highlight"); }
  set highlight(v) { this.setStringAttr("highlight", v || null); }

  /** The accessible name of the block. */
  get label() { return this.stringAttr("label"); }
  set label(v) { this.setStringAttr("label", v); }

  /** The JSON text shown. */
  get text() {
    return this.#pre?.textContent ?? "";
  }

  render() {
    if (!this.#pre) {
      this.#pre = h("pre", "code json-view");
      this.#pre.tabIndex = 0;
      this.replaceChildren(this.#pre);
    }
    const pre = this.#pre;
    // A named group: a scrollable block reached with Tab needs a name.
    if (this.label) {
      pre.setAttribute("role", "group");
      pre.setAttribute("aria-label", this.label);
    } else {
      pre.removeAttribute("role");
      pre.removeAttribute("aria-label");
    }
    const key = JSON.stringify(this.#value) ?? "";
    if (key !== this.#drawn) {
      this.#drawn = key;
      pre.replaceChildren();
      if (this.#value !== undefined) node(pre, this.#value, [], "");
    }
    const marked = new Set(this.#marked);
    const hit = this.highlight;
    let target = null;
    for (const el of /** @type {NodeListOf<HTMLElement>} */ (pre.querySelectorAll("[data-path]"))) {
      const path = el.dataset.path ?? "";
      el.classList.toggle("json-marked", marked.has(path));
      const on = path === hit;
      el.classList.toggle("json-hit", on);
      if (on) target = el;
    }
    // Bring the highlighted member into the block's own view, without
    // scrolling the page.
    if (target && pre.scrollHeight > pre.clientHeight) {
      const top = target.offsetTop - pre.offsetTop;
      if (top < pre.scrollTop || top > pre.scrollTop + pre.clientHeight - 24) pre.scrollTop = Math.max(0, top - 24);
    }
  }
}

/**
 * Appends value's JSON text to parent, as JSON.stringify(value, null, 2)
 * formats it, wrapping each member and element in a span with its path.
 * @param {HTMLElement} parent
 * @param {unknown} value
 * @param {(string | number)[]} path
 * @param {string} indent
 */
function node(parent, value, path, indent) {
  if (value === null || typeof value !== "object") {
    parent.append(h("span", `json-${value === null ? "null" : typeof value}`, JSON.stringify(value) ?? "null"));
    return;
  }
  const array = Array.isArray(value);
  const entries = array ? value.map((v, i) => /** @type {[number, unknown]} */ ([i, v])) : Object.entries(value);
  const [open, close] = array ? ["[", "]"] : ["{", "}"];
  if (!entries.length) {
    parent.append(open + close);
    return;
  }
  parent.append(`${open}\n`);
  const inner = `${indent}  `;
  entries.forEach(([k, v], i) => {
    const member = h("span", "json-member");
    member.dataset.path = pointer([...path, k]);
    member.append(inner);
    if (!array) member.append(h("span", "json-key", JSON.stringify(k)), ": ");
    node(member, v, [...path, k], inner);
    parent.append(member, `${i < entries.length - 1 ? "," : ""}\n`);
  });
  parent.append(`${indent}${close}`);
}
