// @ts-check
import { TlElement, h, listOf, refLink } from "./base.js";

/** The guide's facts, in the order a reader asks them. */
const FACTS = /** @type {const} */ ([
  ["issuedBy", "Issued by"],
  ["for", "Meant for"],
  ["validatedBy", "Validated by"],
  ["sendTo", "Send it to"],
  ["lifetime", "Lifetime"],
  ["notFor", "Not for"],
]);

/**
 * The facts of a guide as a definition list: "Not for" is marked, and
 * "Send it to" names the token's own aud when one is given.
 * @param {any} p a purpose
 * @param {string} [audience] the aud of the token the guide is shown for
 */
export function purposeFacts(p, audience = "") {
  const dl = h("dl", "facts");
  for (const [key, label] of FACTS) {
    const value = p[key];
    if (!value) continue;
    const row = h("div", key === "notFor" ? "fact fact-warn" : "fact");
    row.dataset.fact = key;
    const dd = h("dd", "", value);
    if (key === "sendTo" && audience) {
      const here = h("span", "fact-here");
      here.append("This token's aud: ", h("code", "", audience));
      dd.append(" ", here);
    }
    row.append(h("dt", "", label), dd);
    dl.append(row);
  }
  return dl;
}

/**
 * How the recipient validates a token, step by step with each rule's
 * reference; null when the guide lists no steps.
 * @param {any} p a purpose
 */
export function purposeSteps(p) {
  const steps = listOf(p.steps);
  if (!steps.length) return null;
  const ol = h("ol", "purpose-steps");
  for (const step of /** @type {{text: string, ref?: string}[]} */ (steps)) {
    const li = h("li", "", step.text);
    if (step.ref) li.append(" ", h("span", "ref", step.ref));
    ol.append(li);
  }
  return ol;
}

/**
 * The specifications and vendor pages a guide cites, as links.
 * @param {any} p a purpose
 */
export function purposeSources(p) {
  const sources = listOf(p.sources);
  if (!sources.length) return null;
  const box = h("p", "sources");
  box.append(h("span", "sources-label", "Sources: "));
  sources.forEach((/** @type {{ref: string, url?: string}} */ s, i) => {
    if (i) box.append(", ");
    box.append(refLink(s.ref, s.url, "source-link"));
  });
  return box;
}

/**
 * <tl-purpose> explains who a token is for: set `purpose` to a purpose
 * object of tokenlab.explain or tokenlab.guide ({kind, title, summary,
 * issuedBy, for, validatedBy, sendTo, notFor, lifetime, steps, versus,
 * sources}). The `audience` property, the token's own aud, is shown with
 * "Send it to", since the party in aud is the one a token is meant for
 * (RFC 7519 §4.1.3). It is a property, not an attribute, like `purpose`:
 * text from a token never goes into the DOM's attributes.
 */
export class TlPurpose extends TlElement {
  static tag = "tl-purpose";
  /** @type {any} */ #purpose = null;
  #audience = "";

  /** The purpose to explain, or null to show nothing. */
  get purpose() { return this.#purpose; }
  set purpose(v) { this.#purpose = v; this.invalidate(); }

  /** The aud of the token the guide is shown for, or "". */
  get audience() { return this.#audience; }
  set audience(v) { this.#audience = typeof v === "string" ? v : ""; this.invalidate(); }

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
    const dl = purposeFacts(p, this.#audience);
    if (dl.childElementCount) out.push(dl);
    if (p.versus) out.push(h("p", "purpose-versus", p.versus));
    const steps = purposeSteps(p);
    if (steps) {
      const details = h("details", "steps");
      details.append(h("summary", "", "How the recipient validates it"), steps);
      out.push(details);
    }
    const sources = purposeSources(p);
    if (sources) out.push(sources);
    this.replaceChildren(...out);
  }
}
