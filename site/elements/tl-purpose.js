// @ts-check
import { TlElement, h } from "./base.js";

/**
 * <tl-purpose> explains who a token is for: set `purpose` to a purpose
 * object of tokenlab.explain or tokenlab.guide ({title, summary, issuedBy,
 * for, validatedBy, sendTo, notFor, lifetime, steps, versus}).
 */
export class TlPurpose extends TlElement {
  static tag = "tl-purpose";
  /** @type {any} */ #purpose = null;

  /** The purpose to explain, or null to show nothing. */
  get purpose() { return this.#purpose; }
  set purpose(v) { this.#purpose = v; this.invalidate(); }

  render() {
    const p = this.#purpose;
    if (!p) {
      this.replaceChildren();
      return;
    }
    if (p.kind) this.dataset.kind = p.kind;
    const out = [];
    if (p.title) out.push(h("h3", "purpose-title", p.title));
    if (p.summary) out.push(h("p", "purpose-summary", p.summary));
    const dl = h("dl", "facts");
    /** @type {[string, string][]} */
    const rows = [
      ["Issued by", p.issuedBy],
      ["Meant for", p.for],
      ["Validated by", p.validatedBy],
      ["Send it to", p.sendTo],
      ["Lifetime", p.lifetime],
      ["Not for", p.notFor],
    ];
    for (const [label, value] of rows) {
      if (!value) continue;
      const row = h("div", label === "Not for" ? "fact fact-warn" : "fact");
      row.append(h("dt", "", label), h("dd", "", value));
      dl.append(row);
    }
    if (dl.childElementCount) out.push(dl);
    if (p.versus) out.push(h("p", "purpose-versus", p.versus));
    if (Array.isArray(p.steps) && p.steps.length) {
      const details = h("details", "steps");
      details.append(h("summary", "", "How the recipient validates it"));
      const ol = h("ol");
      for (const step of p.steps) {
        const li = h("li", "", step.text);
        if (step.ref) li.append(" ", h("span", "ref", step.ref));
        ol.append(li);
      }
      details.append(ol);
      out.push(details);
    }
    this.replaceChildren(...out);
  }
}
