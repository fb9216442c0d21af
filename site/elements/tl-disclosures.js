// @ts-check
import { TlElement, h, compact, listOf } from "./base.js";

/** @typedef {import("../tokenlab.js").Disclosure} Disclosure */

/**
 * <tl-disclosures> lists an SD-JWT's disclosures (RFC 9901 §4.2): for each,
 * its number (coloured as in the token), the claim it discloses (a name, or
 * an array element), its value, where it lands in the processed payload
 * (a JSON Pointer), its salt and its digest. Set `disclosures` to
 * tokenlab.decode(sdJwt).disclosures.
 *
 * Each row can be focused; pointing at a row or focusing it names that
 * disclosure in a tl-disclosure-focus event, and leaving the table names
 * none, so the page can show where the disclosure lands. The `active`
 * attribute (a disclosure's number, 0 for none) marks a row.
 *
 * @fires tl-disclosure-focus {{ index: number, path: string, digest: string } | { index: 0 }}
 *   when the user points at or focuses a row (index from 1), or leaves the table (index 0)
 */
export class TlDisclosures extends TlElement {
  static tag = "tl-disclosures";
  static observedAttributes = ["active", "caption"];
  /** @type {Disclosure[]} */ #disclosures = [];
  #drawn = "";

  /** The disclosures to list, in the order presented. */
  get disclosures() { return this.#disclosures; }
  set disclosures(v) { this.#disclosures = listOf(v); this.invalidate(); }

  /** The number (from 1) of the row marked, 0 for none. */
  get active() { return this.numberAttr("active", 0); }
  set active(v) { this.setStringAttr("active", v ? v : null); }

  /** The table's caption; none when empty. */
  get caption() { return this.stringAttr("caption"); }
  set caption(v) { this.setStringAttr("caption", v); }

  /** @param {AbortSignal} signal */
  connected(signal) {
    /** @param {Event} e */
    const point = (e) => {
      const row = /** @type {HTMLElement} */ (e.target).closest?.("tr[data-index]");
      if (!(row instanceof HTMLElement) || !this.contains(row)) return;
      const index = Number(row.dataset.index);
      if (index === this.active) return;
      const d = this.#disclosures[index - 1];
      if (d) this.emit("tl-disclosure-focus", { index, path: d.path ?? "", digest: d.digest });
    };
    /** @param {Event} e */
    const leave = (e) => {
      const to = /** @type {FocusEvent | MouseEvent} */ (e).relatedTarget;
      if (to instanceof Node && this.contains(to)) return;
      if (this.active) this.emit("tl-disclosure-focus", { index: 0 });
    };
    this.addEventListener("mouseover", point, { signal });
    this.addEventListener("focusin", point, { signal });
    this.addEventListener("mouseleave", leave, { signal });
    this.addEventListener("focusout", leave, { signal });
  }

  render() {
    const list = this.#disclosures;
    const key = this.caption + JSON.stringify(list);
    if (key !== this.#drawn) {
      this.#drawn = key;
      this.#draw(list);
    }
    const active = this.active;
    for (const row of /** @type {NodeListOf<HTMLElement>} */ (this.querySelectorAll("tr[data-index]"))) {
      row.classList.toggle("active", Number(row.dataset.index) === active);
    }
  }

  /** @param {Disclosure[]} list */
  #draw(list) {
    if (!list.length) {
      this.replaceChildren(h("p", "empty", "No disclosures are presented: a verifier sees only the claims the issuer signed in plain text."));
      return;
    }
    const table = h("table", "claims disclosures");
    if (this.caption) table.append(h("caption", "", this.caption));
    const hr = h("tr");
    for (const label of ["#", "Claim", "Value", "Lands at", "Salt", "Digest"]) {
      const th = h("th", "", label);
      th.scope = "col";
      hr.append(th);
    }
    const thead = h("thead");
    thead.append(hr);
    const tbody = h("tbody");
    list.forEach((d, i) => tbody.append(row(d, i + 1)));
    table.append(thead, tbody);
    this.replaceChildren(table);
  }
}

/**
 * One disclosure's row.
 * @param {Disclosure} d
 * @param {number} index from 1
 */
function row(d, index) {
  const tr = h("tr");
  tr.dataset.index = String(index);
  tr.tabIndex = 0;
  const num = h("td", `disclosure-num seg-disclosure ${index % 2 ? "seg-odd" : "seg-even"}`, String(index));
  const name = h("th", "claim-name");
  name.scope = "row";
  if (d.name !== undefined) name.append(h("code", "", d.name));
  else name.append(h("span", "muted", "array element"));
  /** @type {[string, string, string][]} */
  const cells = [
    ["Value", "claim-value", compact(d.value)],
    ["Lands at", "disclosure-path", d.path ?? ""],
    ["Salt", "disclosure-salt", d.salt],
    ["Digest", "disclosure-digest", d.digest],
  ];
  tr.append(num, name);
  for (const [label, className, text] of cells) {
    const td = h("td", className);
    td.dataset.label = label;
    if (label === "Lands at" && !text) td.append(h("span", "fail-text", "nowhere: no digest refers to it"));
    else td.append(h("code", "", text));
    tr.append(td);
  }
  return tr;
}
