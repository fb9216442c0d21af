// @ts-check
import { TlElement, h, compact } from "./base.js";
import { pointer } from "./tl-json-view.js";

/**
 * <tl-disclose-picker> is the SD-JWT issuer's checklist: every member of a
 * claims object, nested members and array elements included, each with a
 * checkbox that makes it selectively disclosable (RFC 9901 §4.2). What is
 * ticked is a list of JSON Pointers (RFC 6901) into the claims, as
 * tokenlab.mint({kind: "sd_jwt", disclose}) takes them; ticking a member
 * and one of its children makes a recursive disclosure (§4.2.6).
 *
 *   picker.claims = { given_name: "Erika", address: { locality: "Berlin" } };
 *   picker.selected = ["/given_name", "/address/locality"];
 *
 * Properties:
 *   claims     the claims object (property only); anything else lists nothing
 *   selected   the JSON Pointers ticked
 *   locked     top-level claim names that stay in plain text, shown unticked
 *              and disabled (iss, exp, cnf…: a verifier needs them to
 *              process the credential)
 *
 * @fires tl-disclose-change {{ selected: string[] }} when the user ticks or unticks
 */
export class TlDisclosePicker extends TlElement {
  static tag = "tl-disclose-picker";
  /** @type {unknown} */ #claims = null;
  /** @type {string[]} */ #selected = [];
  /** @type {string[]} */ #locked = [];
  #drawn = "";

  /** The claims object the checklist is built from. */
  get claims() { return this.#claims; }
  set claims(v) { this.#claims = v; this.invalidate(); }

  /** The JSON Pointers ticked. @returns {string[]} */
  get selected() { return [...this.#selected]; }
  set selected(v) { this.#selected = Array.isArray(v) ? v.map(String) : []; this.invalidate(); }

  /** Top-level names that cannot be made disclosable. @returns {string[]} */
  get locked() { return [...this.#locked]; }
  set locked(v) { this.#locked = Array.isArray(v) ? v.map(String) : []; this.invalidate(); }

  /** @param {AbortSignal} signal */
  connected(signal) {
    this.addEventListener("change", (e) => {
      const box = /** @type {HTMLInputElement} */ (e.target);
      if (box.type !== "checkbox" || !box.dataset.path) return;
      const path = box.dataset.path;
      const rest = this.#selected.filter((p) => p !== path);
      this.#selected = box.checked ? [...rest, path] : rest;
      this.emit("tl-disclose-change", { selected: this.selected });
    }, { signal });
  }

  render() {
    const claims = this.#claims;
    const key = JSON.stringify([claims, this.#locked]);
    if (key !== this.#drawn) {
      this.#drawn = key;
      if (!claims || typeof claims !== "object" || Array.isArray(claims) || !Object.keys(claims).length) {
        this.replaceChildren(h("p", "empty", "No claims to choose from: write a JSON object of claims."));
      } else {
        const ul = h("ul", "disclose-tree");
        for (const [name, value] of Object.entries(claims)) ul.append(this.#item(name, value, [name], this.#locked.includes(name)));
        this.replaceChildren(ul);
      }
    }
    const on = new Set(this.#selected);
    for (const box of /** @type {NodeListOf<HTMLInputElement>} */ (this.querySelectorAll("input[data-path]"))) {
      box.checked = !box.disabled && on.has(box.dataset.path ?? "");
    }
  }

  /**
   * One member or element with its children.
   * @param {string} label the member's name, or "" for an array element
   * @param {unknown} value
   * @param {(string | number)[]} path
   * @param {boolean} locked
   */
  #item(label, value, path, locked) {
    const li = h("li");
    const row = h("label", "checkbox disclose-item");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.dataset.path = pointer(path);
    box.disabled = locked;
    const leaf = !value || typeof value !== "object";
    row.append(box);
    if (label) row.append(h("code", "", label));
    else row.append(h("span", "muted", `element ${path[path.length - 1]}`));
    if (leaf || !label) row.append(h("span", "disclose-value", compact(value)));
    if (locked) {
      row.append(h("span", "muted", "kept in plain text"));
      row.title = "A verifier needs this claim to process the credential; it stays in plain text.";
    }
    li.append(row);
    if (!leaf && !locked) {
      const entries = Array.isArray(value) ? value.map((v, i) => /** @type {[number, unknown]} */ ([i, v])) : Object.entries(/** @type {object} */ (value));
      if (entries.length) {
        const ul = h("ul", "disclose-tree");
        for (const [k, v] of entries) ul.append(this.#item(typeof k === "number" ? "" : k, v, [...path, k], false));
        li.append(ul);
      }
    }
    return li;
  }
}
