// @ts-check
import { TlElement, h, listOf, refLink } from "./base.js";

/** The claims an expert reads first, with their labels. */
const GLANCE = [
  ["payload", "iss", "Issuer"],
  ["payload", "sub", "Subject"],
  ["payload", "aud", "Audience"],
  ["payload", "exp", "Expires"],
  ["header", "alg", "Signed with"],
];

/** The format in words. */
const FORMATS = /** @type {Record<string, string>} */ ({
  JWS: "Signed JWT (JWS)",
  JWE: "Encrypted (JWE)",
  unsecured: "Unsecured JWT (alg none)",
  opaque: "Not a JWT (opaque string)",
});

/** What declared a kind, from the start of the deciding signal. */
const DECLARED_BY = /** @type {[RegExp, string][]} */ ([
  [/^header typ\b/, "typ"],
  [/^payload typ\b/, "its payload typ (Keycloak)"],
  [/^token_use\b/, "token_use (Cognito)"],
  [/^events\b/, "its events claim"],
  [/^starts with\b/, "its prefix"],
]);

/**
 * How the kind was decided, in words: "declared by typ", "likely" or
 * "unclear".
 * @param {string} certainty @param {string} signal
 */
export function certaintyWords(certainty, signal) {
  if (certainty === "declared") {
    const by = DECLARED_BY.find(([re]) => re.test(signal));
    return `declared by ${by ? by[1] : "the token itself"}`;
  }
  return certainty === "likely" ? "likely" : "unclear";
}

/**
 * @typedef {{name: string, where: string, value: unknown, display?: string}} GlanceClaim
 * @typedef {{
 *   kind: string, format?: string, headline?: string, certainty?: string, resembles?: string,
 *   signals?: string[], claims?: GlanceClaim[], findings?: {id: string, message: string, ref?: string}[],
 *   encryption?: {alg: string, algMeaning?: string, enc: string, encMeaning?: string, nested?: boolean, note?: string} | null,
 *   opaque?: {prefix: string, vendor: string, name: string, note?: string, ref?: string, url?: string} | null,
 * }} Explanation
 */

/**
 * <tl-kind-summary> says what a token is and why, in the engine's words:
 * its headline (the kind and the signal that decided it), its format, how
 * sure the kind is ("declared by typ", "likely", "unclear") with every
 * signal behind it in a disclosure, and then what a reader needs first —
 * that it has expired, how a JWE is encrypted, which vendor's format an
 * opaque token has, and who issued it, for whom, until when.
 * Set `explanation` to the result of tokenlab.explain (or inspect's
 * explanation).
 */
export class TlKindSummary extends TlElement {
  static tag = "tl-kind-summary";
  /** @type {Explanation | null} */ #data = null;

  /** The explanation to summarise (tokenlab.explain's result), or null. */
  get explanation() { return this.#data; }
  set explanation(v) { this.#data = v; this.invalidate(); }

  render() {
    const d = this.#data;
    if (!d) {
      this.replaceChildren();
      return;
    }
    const signals = listOf(d.signals);
    const format = d.format ?? "";
    const [title, ...why] = (d.headline || d.kind).split(" — ");
    const line = h("p", `kind-line kind-${d.kind}`);
    line.append(h("span", "kind-badge", title));
    if (why.length) line.append(h("span", "kind-why", why.join(" — ")));
    const certainty = certaintyWords(d.certainty ?? "", signals[0] ?? "");
    const meta = h("p", "kind-meta", [FORMATS[format] ?? format, `kind ${certainty}`].filter(Boolean).join(" · "));
    /** @type {HTMLElement[]} */
    const parts = [line, meta];
    if (signals.length) {
      const details = h("details", "kind-signals");
      details.append(h("summary", "", `How tokenlab decided (${signals.length === 1 ? "1 signal" : `${signals.length} signals`})`));
      const list = h("ul", "signals");
      for (const s of signals) list.append(h("li", "", s));
      details.append(list);
      parts.push(details);
    }
    if (d.certainty === "unclear" && !d.encryption) {
      const p = h("p", "kind-unclear", "Its claims do not say clearly what it is, so tokenlab shows no guide for it and verifies it as a plain JWT. Compare the kinds in ");
      const a = h("a", "", "Which token goes where");
      a.href = "#guide";
      p.append(a, ".");
      parts.push(p);
    }
    const expired = listOf(d.findings).find((f) => f.id === "expired");
    const claims = listOf(d.claims);
    if (expired) parts.push(this.#expired(expired, claims));
    if (d.encryption) parts.push(...this.#encryption(d.encryption));
    if (d.opaque) parts.push(this.#vendor(d.opaque));
    const glance = h("dl", "glance");
    for (const [where, name, label] of GLANCE) {
      if (d.encryption && name === "alg") continue; // a JWE's alg encrypts the key: shown above
      const claim = claims.find((c) => c.where === where && c.name === name);
      if (!claim) continue;
      const row = h("div");
      const value = name === "exp" && claim.display ? claim.display : Array.isArray(claim.value) ? claim.value.join(", ") : String(claim.value);
      row.append(h("dt", "", label), h("dd", name === "exp" ? (expired ? "fail" : "") : "mono", value));
      glance.append(row);
    }
    if (glance.childElementCount) parts.push(glance);
    this.replaceChildren(...parts);
  }

  /**
   * An expired token, as a failure-coloured fact: "Expired 3 days ago".
   * @param {{message: string, ref?: string}} finding @param {GlanceClaim[]} claims
   */
  #expired(finding, claims) {
    const display = claims.find((c) => c.where === "payload" && c.name === "exp")?.display ?? "";
    const ago = /\((expired [^)]+)\)$/.exec(display)?.[1];
    const p = h("p", "kind-fact fact-fail");
    p.dataset.fact = "expired";
    p.append(h("strong", "", ago ? ago.charAt(0).toUpperCase() + ago.slice(1) : "Expired"));
    p.append(` — ${ago ? "a verifier rejects it now" : finding.message}`);
    if (finding.ref) p.append(" ", h("span", "ref", finding.ref));
    return p;
  }

  /** How a JWE is encrypted, with the algorithms' meanings. @param {NonNullable<Explanation["encryption"]>} e */
  #encryption(e) {
    const dl = h("dl", "glance jwe-algs");
    for (const [label, alg, meaning] of [["Key management", e.alg, e.algMeaning], ["Content encryption", e.enc, e.encMeaning]]) {
      if (!alg) continue;
      const row = h("div");
      const dd = h("dd");
      dd.append(h("code", "", alg));
      if (meaning) dd.append(` — ${meaning}`);
      row.append(h("dt", "", label ?? ""), dd);
      dl.append(row);
    }
    /** @type {HTMLElement[]} */
    const out = [dl];
    if (e.note) out.push(h("p", "kind-note", e.note));
    return out;
  }

  /** A recognised vendor format of an opaque token. @param {NonNullable<Explanation["opaque"]>} o */
  #vendor(o) {
    const box = h("div", "opaque-format");
    const p = h("p");
    p.append(h("strong", "", o.name), ` (${o.vendor}, prefix `, h("code", "", o.prefix), ")");
    if (o.note) p.append(`. ${o.note}`);
    box.append(p);
    if (o.ref) box.append(refLink(o.ref, o.url, "ref source-link"));
    return box;
  }
}
