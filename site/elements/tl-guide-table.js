// @ts-check
import { TlElement, h, KIND_NAMES, listOf } from "./base.js";

const ROWS = [
  ["summary", "In one line"],
  ["issuedBy", "Who issues it"],
  ["for", "Who it is for (audience)"],
  ["validatedBy", "Who reads and validates it"],
  ["sendTo", "Where it is sent"],
  ["lifetime", "Lifetime"],
  ["notFor", "Never use it for"],
];

/**
 * <tl-guide-table kinds="id_token access_token refresh_token"> compares
 * token kinds side by side: who issues each, who it is for, who reads it,
 * where it goes and how long it lives. Set `purposes` to tokenlab.guide().
 * Wide screens get a table; narrow ones one card per kind.
 */
export class TlGuideTable extends TlElement {
  static tag = "tl-guide-table";
  static observedAttributes = ["kinds"];
  /** @type {any[]} */ #purposes = [];

  /** Every kind's purpose (tokenlab.guide()). */
  get purposes() { return this.#purposes; }
  set purposes(v) { this.#purposes = listOf(v); this.invalidate(); }

  /** The kinds to compare, space-separated, in column order. */
  get kinds() { return this.stringAttr("kinds", "id_token access_token refresh_token"); }
  set kinds(v) { this.setStringAttr("kinds", v); }

  render() {
    const wanted = this.kinds.split(/\s+/);
    const cols = wanted.map((k) => this.#purposes.find((p) => p.kind === k)).filter(Boolean);
    if (!cols.length) {
      this.replaceChildren();
      return;
    }
    const table = h("table", "guide guide-wide");
    const thead = h("thead");
    const hr = h("tr");
    const corner = h("td");
    hr.append(corner);
    for (const p of cols) {
      const th = h("th", `kind-col kind-${p.kind}`, KIND_NAMES[p.kind] ?? p.title);
      th.scope = "col";
      hr.append(th);
    }
    thead.append(hr);
    const tbody = h("tbody");
    for (const [key, label] of ROWS) {
      const tr = h("tr", key === "notFor" ? "row-warn" : "");
      const th = h("th", "", label);
      th.scope = "row";
      tr.append(th);
      for (const p of cols) tr.append(h("td", "", p[key] ?? "—"));
      tbody.append(tr);
    }
    table.append(thead, tbody);

    const cards = h("div", "guide-cards");
    for (const p of cols) {
      const card = h("article", `guide-card kind-${p.kind}`);
      card.append(h("h3", "", KIND_NAMES[p.kind] ?? p.title));
      const dl = h("dl", "facts");
      for (const [key, label] of ROWS) {
        if (!p[key]) continue;
        const row = h("div", key === "notFor" ? "fact fact-warn" : "fact");
        row.append(h("dt", "", label), h("dd", "", p[key]));
        dl.append(row);
      }
      card.append(dl);
      cards.append(card);
    }
    this.replaceChildren(table, cards);
  }
}
