// @ts-check
import { TlElement, h } from "./base.js";

/** Each severity's label and sign: the label says it in words, so colour is never the only cue. */
const SEVERITY = /** @type {Record<string, [string, string]>} */ ({ error: ["Error", "✗"], warn: ["Warning", "⚠"], info: ["Note", "ℹ"] });
const ORDER = /** @type {Record<string, number>} */ ({ error: 0, warn: 1, info: 2 });

/** @typedef {{ id: string, severity: string, message: string, ref?: string }} Finding */

/**
 * Decode warnings that an explanation finding already says, in the
 * engine's words: the finding stays, the warning goes, so nothing is said
 * twice.
 */
const SAID_BY_FINDING = /** @type {[string, RegExp][]} */ ([
  ["input-bearer", /^a leading "Bearer "/],
  ["input-whitespace", /^whitespace inside the token/],
  ["alg-missing", /^the header has no "alg"/],
  ["payload-not-object", /^the payload is JSON but not an object/],
]);

/**
 * The findings to list: the decode warnings no explanation finding repeats
 * (as warnings), then the explanation's own, without "expired", which the
 * summary states as a fact.
 * @param {{ warnings?: string[] } | null} decoded
 * @param {{ findings?: Finding[] }} explanation
 * @returns {Finding[]}
 */
export function findingsOf(decoded, explanation) {
  const own = explanation.findings ?? [];
  const ids = new Set(own.map((f) => f.id));
  const warnings = (decoded?.warnings ?? [])
    .filter((w) => !SAID_BY_FINDING.some(([id, re]) => ids.has(id) && re.test(w)))
    .map((message, i) => ({ id: `decode-${i}`, severity: "warn", message }));
  return [...warnings, ...own.filter((f) => f.id !== "expired")];
}

/**
 * <tl-findings> lists security and correctness observations, most severe
 * first, each marked by its severity in words and colour: an error, a
 * warning, or a note (info: something tolerated or worth knowing, not a
 * problem). Set `findings` to tokenlab.explain(token).findings.
 */
export class TlFindings extends TlElement {
  static tag = "tl-findings";
  /** @type {{id: string, severity: string, message: string, ref?: string}[] | null} */ #findings = null;

  /** The findings to list (an explanation's `findings`); null shows nothing, [] says there are none. */
  get findings() { return this.#findings; }
  set findings(v) { this.#findings = Array.isArray(v) ? v : null; this.invalidate(); }

  render() {
    const list = this.#findings;
    if (!list) {
      this.replaceChildren();
      return;
    }
    if (!list.length) {
      this.replaceChildren(h("p", "empty", "No findings: nothing unusual in this token's header and claims."));
      return;
    }
    const sorted = [...list].sort((a, b) => (ORDER[a.severity] ?? 3) - (ORDER[b.severity] ?? 3));
    const ul = h("ul", "findings");
    for (const f of sorted) {
      const li = h("li", `finding sev-${f.severity}`);
      li.dataset.id = f.id;
      const [label, sign] = SEVERITY[f.severity] ?? [f.severity, "•"];
      const sev = h("span", "sev");
      const icon = h("span", "sev-icon", sign);
      icon.setAttribute("aria-hidden", "true");
      sev.append(icon, label);
      li.append(sev, h("span", "finding-msg", f.message));
      if (f.ref) li.append(h("span", "ref", f.ref));
      ul.append(li);
    }
    this.replaceChildren(ul);
  }
}
