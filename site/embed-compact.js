// @ts-check
/**
 * The compact view of an embed (view=compact, the default of mode=explain
 * and mode=verify): what a documentation reader needs first, in a fixed
 * number of one-line rows — in verify mode the verdict and a tally of the
 * checks; then the kind and why, the format and expiry, the findings in one
 * line, the token's key claims — and every check, claim, finding and the
 * token's purpose behind a "Show all" disclosure.
 *
 * Every row is one line (longer text ends in an ellipsis; the full value is
 * in the disclosure, and no attribute carries text from the token), so the
 * view is exactly as tall before the engine answers (compactSkeleton) as
 * after: the frame reports its height once, and the documentation page
 * around it never jumps.
 */
import { h } from "./elements/base.js";
import { findingsOf } from "./elements/tl-findings.js";
import { statusOf } from "./elements/tl-checklist.js";

/** How many key claims a compact view lists: always this many rows. */
export const KEY_ROWS = 5;

/**
 * The claims a reader looks for first, by kind, most important first. An ID
 * token says who signed in (OIDC Core §2, §5.1); an access token whom it
 * lets do what (RFC 9068 §2.2, §2.2.3). The expiry is in the summary line.
 */
const KEY_CLAIMS = /** @type {Record<string, string[]>} */ ({
  id_token: ["iss", "sub", "name", "preferred_username", "email", "aud"],
  access_token: ["iss", "sub", "aud", "scope", "scp", "roles", "client_id", "azp"],
  logout_token: ["iss", "sub", "sid", "aud", "events"],
  other: ["iss", "sub", "aud", "scope", "client_id"],
});

/** Times already said by the summary line, and header parameters: never a key row. */
const NOT_KEY = new Set(["exp", "iat", "nbf", "auth_time"]);

/** Each severity's sign and word (never colour alone), most severe first. */
const SEVERITY = /** @type {[string, string, string][]} */ ([
  ["error", "✗", "error"],
  ["warn", "⚠", "warning"],
  ["info", "ℹ", "note"],
]);

/** A verdict's colour class and mark, as <tl-verdict> shows them. */
const VERDICT = /** @type {Record<string, [string, string]>} */ ({
  valid: ["ok", "✓"],
  incomplete: ["warn", "!"],
  invalid: ["fail", "✗"],
});

/** The check statuses in the tally, in words. */
const TALLY = /** @type {[string, string, string][]} */ ([
  ["fail", "failed", "failed"],
  ["warn", "warning", "warnings"],
  ["skip", "not compared", "not compared"],
  ["pass", "passed", "passed"],
]);

/** @typedef {{name: string, where: string, value: unknown, display?: string, meaning?: string}} Claim */
/** @typedef {import("./tokenlab.js").Verified} Verified */
/** @typedef {{ id: string, severity: string, message: string }} Finding */

/**
 * The key claims of a token: its kind's list first, then its other payload
 * claims in order, KEY_ROWS of them at most.
 * @param {string} kind
 * @param {Claim[]} claims
 * @returns {Claim[]}
 */
export function keyClaims(kind, claims) {
  const payload = claims.filter((c) => c.where === "payload" && !NOT_KEY.has(c.name));
  const wanted = KEY_CLAIMS[kind] ?? KEY_CLAIMS.other;
  const first = wanted.map((n) => payload.find((c) => c.name === n)).filter((c) => c !== undefined);
  const rest = payload.filter((c) => !first.includes(c));
  return [...first, ...rest].slice(0, KEY_ROWS);
}

/** A claim's value on one line. @param {Claim} c */
function valueText(c) {
  if (Array.isArray(c.value)) return c.value.map(String).join(", ");
  if (c.value !== null && typeof c.value === "object") return JSON.stringify(c.value);
  return String(c.value);
}

/**
 * The expiry in words: the engine's rendering of exp, or that there is none.
 * @param {Claim[]} claims
 */
function expiryText(claims) {
  const exp = claims.find((c) => c.where === "payload" && c.name === "exp");
  if (!exp) return "no exp: it never expires by itself";
  return `expires ${exp.display || valueText(exp)}`;
}

/**
 * The findings in one line: how many of each severity and the most severe
 * one's message.
 * @param {Finding[]} findings
 */
function findingsLine(findings) {
  const p = h("p", "compact-row compact-findings");
  if (!findings.length) {
    p.dataset.severity = "none";
    p.append(h("span", "sev-icon", "✓"), " No findings");
    return p;
  }
  const counts = SEVERITY.map(([sev, , word]) => {
    const n = findings.filter((f) => f.severity === sev).length;
    return n ? `${n} ${word}${n > 1 ? "s" : ""}` : "";
  }).filter(Boolean);
  const worst = SEVERITY.find(([sev]) => findings.some((f) => f.severity === sev)) ?? SEVERITY[2];
  const first = findings.find((f) => f.severity === worst[0]) ?? findings[0];
  p.dataset.severity = worst[0];
  const icon = h("span", "sev-icon", worst[1]);
  icon.setAttribute("aria-hidden", "true");
  p.append(icon, h("strong", "", counts.join(", ")), `: ${first.message}`);
  return p;
}

/**
 * The verdict in one line: the engine's summary, in the verdict's colour
 * and mark.
 * @param {Verified} r
 */
function verdictRow(r) {
  const state = r.verdict in VERDICT ? r.verdict : r.valid ? "valid" : "invalid";
  const [tone, sign] = VERDICT[state];
  const row = h("p", `compact-row compact-verdict verdict ${tone}`);
  row.dataset.state = state;
  const mark = h("span", "compact-mark", sign);
  mark.setAttribute("aria-hidden", "true");
  const text = r.summary || (state === "valid" ? "Valid: every check passed" : state === "invalid" ? "Not valid" : "Signature verified, not every claim compared");
  row.append(mark, h("strong", "", text));
  return row;
}

/**
 * The checks in one line: how many, and which failed, warned or were not
 * compared.
 * @param {Verified} r
 */
function tallyRow(r) {
  const checks = Array.isArray(r.checks) ? r.checks : [];
  const parts = TALLY.map(([status, one, many]) => {
    const ids = checks.filter((c) => statusOf(c) === status).map((c) => c.id);
    if (!ids.length) return "";
    const named = status === "pass" ? "" : ` (${ids.join(", ")})`;
    return `${ids.length} ${ids.length === 1 ? one : many}${named}`;
  }).filter(Boolean);
  const row = h("p", "compact-row compact-tally", `${checks.length} checks: ${parts.join(" · ")}`);
  return row;
}

/**
 * The rows of the view, filled from an inspection or, before the engine
 * answers (explanation null), as placeholders of the same height.
 * @param {any} decoded inspect's decoding (null for an opaque token)
 * @param {any} explanation inspect's explanation, or null for the skeleton
 * @returns {HTMLElement[]}
 */
function rows(decoded, explanation) {
  const e = explanation;
  const line = h("p", `compact-row kind-line${e ? ` kind-${e.kind}` : ""}`);
  const meta = h("p", "compact-row compact-meta");
  const claimsList = h("dl", "glance compact-claims");
  /** @type {HTMLElement} */
  let findings;
  if (!e) {
    line.append(h("span", "compact-wait", "Starting tokenlab…"));
    meta.textContent = "\u00a0";
    findings = h("p", "compact-row compact-findings", "\u00a0");
    for (let i = 0; i < KEY_ROWS; i++) {
      const row = h("div");
      row.append(h("dt", "", "\u00a0"), h("dd", "", "\u00a0"));
      claimsList.append(row);
    }
    return [line, meta, findings, claimsList];
  }
  const [title, ...why] = (e.headline || e.kind).split(" — ");
  line.append(h("span", "kind-badge", title));
  if (why.length) line.append(h("span", "kind-why", why.join(" — ")));
  const claims = /** @type {Claim[]} */ (Array.isArray(e.claims) ? e.claims : []);
  const alg = claims.find((c) => c.where === "header" && c.name === "alg");
  meta.textContent = [e.format, alg && !e.encryption ? String(alg.value) : "", decoded === null ? "" : expiryText(claims)].filter(Boolean).join(" · ");
  findings = findingsLine(findingsOf(decoded, e));
  const key = keyClaims(e.kind, claims);
  for (let i = 0; i < KEY_ROWS; i++) {
    const c = key[i];
    const row = h("div");
    if (c) {
      const value = valueText(c);
      row.append(h("dt", "", ""), h("dd", "mono", value));
      /** @type {HTMLElement} */ (row.firstChild).append(h("code", "", c.name));
    } else {
      // A row kept empty, so every compact view has the same height; the
      // first says why there are no claims when there are none.
      const why = i === 0 && !key.length ? (e.encryption ? "Encrypted: only the recipient can read its claims." : e.opaque ? `${e.opaque.name} (${e.opaque.vendor}): not a JWT, no claims to read.` : "No payload claims.") : "\u00a0";
      row.append(h("dt", "", "\u00a0"), h("dd", "compact-none", why));
    }
    claimsList.append(row);
  }
  return [line, meta, findings, claimsList];
}

/**
 * The compact view's placeholder: its rows, empty, at their final height.
 * @param {boolean} verify whether it will show a verdict
 * @returns {HTMLElement}
 */
export function compactSkeleton(verify) {
  const box = h("div", "compact compact-skeleton");
  box.setAttribute("aria-busy", "true");
  if (verify) box.append(h("p", "compact-row compact-verdict", "\u00a0"), h("p", "compact-row compact-tally", "\u00a0"));
  const more = h("p", "compact-row compact-more-wait", "\u00a0");
  box.append(...rows(null, null), more);
  return box;
}

/**
 * The compact view of an inspected token, and a function that fills its
 * "Show all claims" disclosure: the caller runs it after the first paint,
 * as few readers open it (opening it fills it at once).
 * @param {any} decoded inspect's decoding
 * @param {any} explanation inspect's explanation
 * @param {(label: string) => HTMLDetailsElement} disclosure makes the
 *   disclosure
 * @param {() => HTMLElement[]} everything builds what the disclosure holds
 * @param {Verified} [verified] verify's result, in verify mode
 * @returns {{ box: HTMLElement, fill: () => void }}
 */
export function compactView(decoded, explanation, disclosure, everything, verified) {
  const box = h("div", "compact");
  const claims = Array.isArray(explanation.claims) ? explanation.claims : [];
  const count = claims.filter((/** @type {Claim} */ c) => c.where === "payload").length;
  const what = count ? `all ${count} claims and findings` : "the findings and header";
  const more = disclosure(verified ? `Show every check, ${what}` : `Show ${what}`);
  more.classList.add("compact-more");
  let filled = false;
  const fill = () => {
    if (filled) return;
    filled = true;
    more.append(...everything());
  };
  more.addEventListener("toggle", () => { if (more.open) fill(); });
  if (verified) box.append(verdictRow(verified), tallyRow(verified));
  box.append(...rows(decoded, explanation), more);
  return { box, fill };
}
