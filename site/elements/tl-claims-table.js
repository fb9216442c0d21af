// @ts-check
import { TlElement, h, compact, listOf, refLink } from "./base.js";

/**
 * <tl-claims-table where="payload"> lists a token's claims with their
 * meaning, reference and a human rendering. Set `claims` to
 * tokenlab.explain(token).claims; the `where` attribute picks header or
 * payload claims (or "disclosure": an SD-JWT's disclosed claims, each with
 * the JSON Pointer where it lands).
 *
 * @typedef {{name: string, where: string, value: unknown, known: boolean, meaning: string, ref?: string, refUrl?: string, display?: string, path?: string, items?: {value: string, meaning?: string}[]}} Claim
 */
export class TlClaimsTable extends TlElement {
  static tag = "tl-claims-table";
  static observedAttributes = ["where", "caption"];
  /** @type {Claim[]} */ #claims = [];
  #key = "";

  /** The claims (an explanation's `claims`); only those of `where` show. */
  get claims() { return this.#claims; }
  set claims(v) { this.#claims = listOf(v); this.invalidate(); }

  /** Which claims to list: "header" or "payload" (the default). */
  get where() { return this.stringAttr("where", "payload"); }
  set where(v) { this.setStringAttr("where", v); }

  /** The table's caption; none when empty. */
  get caption() { return this.stringAttr("caption"); }
  set caption(v) { this.setStringAttr("caption", v); }

  render() {
    const where = this.where;
    const claims = this.#claims.filter((c) => c.where === where);
    const key = where + JSON.stringify(claims);
    if (key === this.#key) return; // unchanged: keep the DOM (and any selection in it)
    this.#key = key;
    if (!claims.length) {
      this.replaceChildren(h("p", "empty", where === "payload" ? "No payload claims to show." : where === "disclosure" ? "No claims are disclosed." : "No header parameters."));
      return;
    }
    const table = h("table", "claims");
    const caption = this.caption;
    if (caption) table.append(h("caption", "", caption));
    const thead = h("thead");
    const hr = h("tr");
    for (const label of ["Claim", "Value", "Meaning"]) {
      const th = h("th", "", label);
      th.scope = "col";
      hr.append(th);
    }
    thead.append(hr);
    const tbody = h("tbody");
    for (const c of claims) tbody.append(this.#row(c));
    table.append(thead, tbody);
    this.replaceChildren(table);
  }

  /** @param {Claim} c */
  #row(c) {
    const tr = h("tr", c.known ? "" : "claim-unknown");
    const name = h("th", "claim-name");
    name.scope = "row";
    name.append(h("code", "", c.name));
    if (!c.known) name.append(h("span", "tag", "custom"));
    if (c.path && c.path !== `/${c.name}`) name.append(h("span", "claim-path", c.path));
    const value = h("td", "claim-value");
    value.dataset.label = "Value";
    if (Array.isArray(c.items) && c.items.length) {
      const ul = h("ul", "chips");
      ul.setAttribute("aria-label", `${c.name} values`);
      for (const item of c.items) {
        const li = h("li", "chip");
        li.append(h("code", "", String(item.value)));
        if (item.meaning) {
          li.title = item.meaning;
          li.append(h("span", "sr-only", `: ${item.meaning}`));
        }
        ul.append(li);
      }
      value.append(ul);
    } else {
      value.append(h("code", "raw", compact(c.value)));
      if (c.display && c.display !== compact(c.value)) value.append(h("span", "display", c.display));
    }
    const meaning = h("td", "claim-meaning");
    meaning.dataset.label = "Meaning";
    meaning.append(h("span", "", c.meaning || (c.known ? "" : "Not a registered claim: its meaning is defined by whoever issued the token.")));
    if (c.ref) meaning.append(" ", refLink(c.ref, c.refUrl));
    tr.append(name, value, meaning);
    return tr;
  }
}
