// @ts-check
import { TlElement, h, KIND_NAMES } from "./base.js";

/** The claims an expert reads first, with their labels. */
const GLANCE = [
  ["payload", "iss", "Issuer"],
  ["payload", "sub", "Subject"],
  ["payload", "aud", "Audience"],
  ["payload", "exp", "Expires"],
  ["header", "alg", "Signed with"],
];

/**
 * <tl-kind-summary format="JWS"> says what a token is and why: the kind the
 * classifier chose, the signals that decided it, and its confidence.
 * Set `explanation` to the result of tokenlab.explain (kind, confidence,
 * signals, claims); `format` is the decoded format (JWS, JWE, unsecured).
 * It also lists at a glance who issued the token, for whom, until when.
 */
export class TlKindSummary extends TlElement {
  static tag = "tl-kind-summary";
  static observedAttributes = ["format"];
  /** @type {{kind: string, confidence: number, signals: string[], claims?: {name: string, where: string, value: unknown, display?: string}[]} | null} */ #data = null;

  /** The explanation to summarise (tokenlab.explain's result), or null. */
  get explanation() { return this.#data; }
  set explanation(v) { this.#data = v; this.invalidate(); }

  /** The decoded format: "JWS", "JWE" or "unsecured"; empty when unknown. */
  get format() { return this.stringAttr("format"); }
  set format(v) { this.setStringAttr("format", v); }

  render() {
    const d = this.#data;
    if (!d) {
      this.replaceChildren();
      return;
    }
    const signals = d.signals ?? [];
    const title = h("p", `kind-line kind-${d.kind}`);
    const badge = h("span", "kind-badge", KIND_NAMES[d.kind] ?? d.kind);
    title.append(badge);
    if (signals[0]) title.append(h("span", "kind-why", ` — ${signals[0]}`));
    const meta = h("p", "kind-meta");
    const format = this.format;
    const bits = [];
    if (format) bits.push(format === "unsecured" ? "Unsecured JWT (alg none)" : format === "JWE" ? "JWE (encrypted)" : "JWS (signed)");
    if (typeof d.confidence === "number") bits.push(`confidence ${Math.round(d.confidence * 100)}%`);
    meta.textContent = bits.join(" · ");
    /** @type {HTMLElement[]} */
    const parts = [title, meta];
    if (signals.length > 1) {
      const list = h("ul", "signals");
      list.setAttribute("aria-label", "Why tokenlab thinks so");
      for (const s of signals.slice(1)) list.append(h("li", "", s));
      parts.push(list);
    }
    const glance = h("dl", "glance");
    for (const [where, name, label] of GLANCE) {
      const claim = (d.claims ?? []).find((c) => c.where === where && c.name === name);
      if (!claim) continue;
      const row = h("div");
      const value = name === "exp" && claim.display ? claim.display : Array.isArray(claim.value) ? claim.value.join(", ") : String(claim.value);
      row.append(h("dt", "", label), h("dd", name === "exp" ? "" : "mono", value));
      glance.append(row);
    }
    if (glance.childElementCount) parts.push(glance);
    this.replaceChildren(...parts);
  }
}
