// @ts-check
import { TlElement, h } from "./base.js";
import { knownTitle } from "../guides.js";
import { statusOf } from "./tl-checklist.js";

/**
 * @typedef {import("../tokenlab.js").Verified} VerifyResult
 * @typedef {"valid" | "incomplete" | "invalid"} VerdictState
 */

/** Each state's colour class and mark (the mark's shape differs too: never colour alone). */
const LOOK = /** @type {Record<VerdictState, { tone: string, mark: string }>} */ ({
  valid: { tone: "ok", mark: "✓" },
  incomplete: { tone: "warn", mark: "!" },
  invalid: { tone: "fail", mark: "✗" },
});

/** The comparisons a result can lack, in words. */
const CLAIM_WORDS = /** @type {Record<string, string>} */ ({ iss: "issuer", aud: "audience", htm: "method (htm)", htu: "URL (htu)", cnf: "holder key (cnf)" });

/** What to enter for a comparison not made, on the fill buttons. */
const FILL_WORDS = /** @type {Record<string, string>} */ ({ htm: "Enter the request's method", htu: "Enter the request's URL" });

/** Kinds with an article, for sentences ("Checked as an ID token"). */
const NOUNS = /** @type {Record<string, string>} */ ({
  jwt: "a JWT",
  id_token: "an ID token",
  access_token: "an access token",
  access_token_rfc9068: "an RFC 9068 access token",
  logout_token: "a logout token",
  refresh_token: "a refresh token",
  unknown: "a token of unknown kind",
});

/** What an explicitly chosen kind means, after "Checked as …, the kind asked for". */
const CHOSEN = /** @type {Record<string, string>} */ ({
  jwt: ": only the rules of every JWT (RFC 7519 §7.2)",
  access_token: " in the issuer's own format: RFC 9068's rules are warnings",
  access_token_rfc9068: ": every rule of RFC 9068 §4 can fail",
  sd_jwt: ": the rules of RFC 9901 §7.1 and §7.3",
  sd_jwt_vc: ": the rules of RFC 9901 §7.1 and §7.3",
  dpop_proof: ": the rules of RFC 9449 §4.3, with the key in its own header",
});

/**
 * A kind with its article: "an ID token", "a DPoP proof".
 * @param {string} kind
 */
export function nounOf(kind) {
  if (NOUNS[kind]) return NOUNS[kind];
  let name = knownTitle(kind) || kind.replace(/_/g, " ");
  // "Access token" → "access token", but "ID token" and "DPoP proof" keep their capitals.
  if (!/^.[A-Z]/.test(name)) name = name.charAt(0).toLowerCase() + name.slice(1);
  return `${/^(?:[aeiou]|ID\b|RFC\b|SD-)/i.test(name) ? "an" : "a"} ${name}`;
}

/** @param {string[]} ids */
function claimWords(ids) {
  return ids.map((id) => CLAIM_WORDS[id] ?? id).join(" and ");
}

/** @param {number} n */
const percent = (n) => `${Math.round(n * 100)}%`;

/**
 * Which rules a result applied and why, in one sentence: the kind asked
 * for, or for kind auto what the classifier decided and how sure it was.
 * @param {VerifyResult} r
 */
export function appliedRules(r) {
  const noun = nounOf(r.kind);
  if (r.requested && r.requested !== "auto") return `Checked as ${noun}, the kind asked for${CHOSEN[r.requested] ?? ""}.`;
  if (r.resembles === undefined || r.confidence === undefined || r.threshold === undefined) return `Checked as ${noun}.`;
  const confidence = `confidence ${percent(r.confidence)}; a kind's rules apply from ${percent(r.threshold)}`;
  if (r.kind !== "jwt") {
    const how = r.strict
      ? " It declares its kind itself, so a claim that kind requires cannot be missing."
      : r.kind === "access_token" ? " RFC 9068's rules are warnings: many issuers use their own access token format." : "";
    return `Checked as ${noun}: detected (${confidence}).${how}`;
  }
  if (r.resembles === "jwt" || r.resembles === "unknown" || !r.resembles) return "Checked as a JWT: tokenlab cannot tell which kind of token it is.";
  if (r.confidence < r.threshold) return `Checked as a JWT: it resembles ${nounOf(r.resembles)} (${confidence}).`;
  return `Checked as a JWT: it is ${nounOf(r.resembles)} (confidence ${percent(r.confidence)}), which tokenlab checks with the rules of every JWT.`;
}

/**
 * <tl-verdict> is the one place a verify result is summed up, in one of
 * three states:
 *
 * - valid (green): "Valid ‹kind›: every check passed";
 * - incomplete (amber): "Signature verified — issuer and audience not
 *   compared", naming what to fill in;
 * - invalid (red): "Not valid: N of M checks failed (…)".
 *
 * The headline is the engine's own summary. Under it: what the recipient
 * decided (`lead`), which rules were applied and why, what was not
 * compared, and every warning, whatever the state; then the checks.
 *
 * Properties and attributes:
 *   result          the tokenlab.verify result (property only)
 *   lead            a sentence before the summary, e.g. "401 Unauthorized."
 *   show            which checks to list below: all (default), failed or none
 *   fillable        the comparisons not made become buttons that fire
 *                   tl-verdict-fill with detail { claim: "iss" | "aud" }
 *   self-compared   claim ids whose expected values were taken from the
 *                   token itself: a valid result then shows amber, since
 *                   comparing a token with itself proves nothing
 *   state           (read-only attribute) the state shown
 */
export class TlVerdict extends TlElement {
  static tag = "tl-verdict";
  static observedAttributes = ["lead", "show", "fillable", "self-compared"];

  /** @type {VerifyResult | null} */ #result = null;
  /**
   * The parts that stay across renders, so that the headline is one live
   * region whose changes screen readers announce.
   * @type {{ box: HTMLElement, icon: HTMLElement, text: HTMLElement, rest: HTMLElement } | null}
   */
  #parts = null;

  /** The verify result to show; null shows nothing. */
  get result() { return this.#result; }
  set result(v) { this.#result = v && typeof v === "object" && Array.isArray(v.checks) ? v : null; this.invalidate(); }

  /** A sentence shown before the summary: who decided what. */
  get lead() { return this.stringAttr("lead"); }
  /** @param {string | null} v */
  set lead(v) { this.setStringAttr("lead", v || null); }

  /** Which checks to list: "all", "failed" or "none". */
  get show() { return this.stringAttr("show", "all"); }
  set show(v) { this.setStringAttr("show", v); }

  /** Whether the comparisons not made are offered as buttons. */
  get fillable() { return this.boolAttr("fillable"); }
  set fillable(v) { this.setBoolAttr("fillable", v); }

  /** The claims whose expected values came from the token itself. @returns {string[]} */
  get selfCompared() { return this.stringAttr("self-compared").split(/\s+/).filter(Boolean); }
  set selfCompared(v) { this.setStringAttr("self-compared", Array.isArray(v) && v.length ? v.join(" ") : null); }

  /** The state shown: valid, incomplete or invalid ("" when there is no result). @returns {VerdictState | ""} */
  get state() {
    const r = this.#result;
    if (!r) return "";
    /** @type {VerdictState} */
    const engine = r.verdict === "valid" || r.verdict === "incomplete" || r.verdict === "invalid"
      ? r.verdict : !r.valid ? "invalid" : r.complete === false ? "incomplete" : "valid";
    return engine === "valid" && this.#selfCompared(r).length ? "incomplete" : engine;
  }

  /** @param {AbortSignal} signal */
  connected(signal) {
    this.addEventListener("click", (e) => {
      const btn = /** @type {HTMLElement} */ (e.target).closest?.("button[data-claim]");
      if (btn instanceof HTMLButtonElement && this.contains(btn)) this.emit("tl-verdict-fill", { claim: btn.dataset.claim });
    }, { signal });
  }

  /** The self-compared claims this result actually compared. @param {VerifyResult} r */
  #selfCompared(r) {
    const compared = new Set(r.checks.filter((c) => statusOf(c) !== "skip").map((c) => c.id));
    return this.selfCompared.filter((id) => compared.has(id));
  }

  #build() {
    const icon = h("span", "verdict-mark");
    icon.setAttribute("aria-hidden", "true");
    const text = h("div", "verdict-text");
    text.setAttribute("role", "status");
    const rest = h("div", "verdict-rest");
    const body = h("div", "verdict-body");
    body.append(text, rest);
    const box = h("div", "verdict");
    box.append(icon, body);
    this.replaceChildren(box);
    return { box, icon, text, rest };
  }

  render() {
    const r = this.#result;
    const state = this.state;
    const parts = this.#parts?.box.parentNode === this ? this.#parts : (this.#parts = this.#build());
    const { box, icon, text, rest } = parts;
    let list = /** @type {import("./tl-checklist.js").TlChecklist | null} */ (this.querySelector(":scope > tl-checklist"));
    if (!r || !state) {
      this.removeAttribute("state");
      box.hidden = true;
      text.replaceChildren();
      list?.remove();
      return;
    }
    this.setAttribute("state", state);
    const { tone, mark } = LOOK[state];
    const self = this.#selfCompared(r);

    box.hidden = false;
    box.className = `verdict ${tone}`;
    icon.textContent = mark;
    /** @type {HTMLElement[]} */
    const said = [];
    if (this.lead) said.push(h("p", "verdict-lead", this.lead));
    said.push(h("p", "verdict-head", this.#headline(r, state, self)));
    text.replaceChildren(...said);
    /** @type {HTMLElement[]} */
    const more = [h("p", "verdict-applied", appliedRules(r))];
    if (state === "incomplete") more.push(this.#missing(r, self));
    const warnings = r.checks.filter((c) => statusOf(c) === "warn");
    if (warnings.length) more.push(warningList(warnings));
    rest.replaceChildren(...more);

    const listed = this.show === "none" ? [] : this.show === "failed" ? r.checks.filter((c) => statusOf(c) === "fail") : r.checks;
    if (!listed.length) {
      list?.remove();
      return;
    }
    list ??= /** @type {import("./tl-checklist.js").TlChecklist} */ (this.appendChild(document.createElement("tl-checklist")));
    list.checks = listed;
  }

  /**
   * The headline: the engine's summary, or, when a valid result compared
   * values taken from the token itself, what that means.
   * @param {VerifyResult} r @param {VerdictState} state @param {string[]} self
   */
  #headline(r, state, self) {
    if (state === "incomplete" && r.verdict === "valid") return `Signature verified — ${claimWords(self)} compared with the token itself`;
    if (r.summary) return r.summary;
    const failed = r.checks.filter((c) => statusOf(c) === "fail");
    if (state === "invalid") return `Not valid: ${failed.length} of ${r.checks.length} checks failed (${failed.map((c) => c.id).join(", ")})`;
    if (state === "incomplete") return `Signature verified — ${claimWords(r.missing ?? [])} not compared`;
    return `Valid ${nounOf(r.kind).replace(/^an? /, "")}: every check passed`;
  }

  /**
   * What was not compared and what to do about it.
   * @param {VerifyResult} r @param {string[]} self
   */
  #missing(r, self) {
    const notGiven = r.missing ?? [];
    const p = h("p", "verdict-missing");
    if (notGiven.length) p.append(`${missingWhy(r.kind, notGiven)} `);
    if (self.length) {
      p.append(`The expected ${claimWords(self)} ${self.length === 1 ? "was" : "were"} taken from the token itself, so ${self.length === 1 ? "that check proves" : "those checks prove"} nothing about who issued it or whom it is for. `);
    }
    const missing = [...new Set([...notGiven, ...self])];
    if (this.fillable) {
      const actions = h("span", "verdict-actions");
      for (const claim of missing.filter((c) => c !== "cnf")) { // a key by reference: nothing to enter
        const b = h("button", "btn btn-small", FILL_WORDS[claim] ?? `Enter the expected ${CLAIM_WORDS[claim] ?? claim}`);
        b.type = "button";
        b.dataset.claim = claim;
        actions.append(b);
      }
      p.append(actions);
    }
    return p;
  }
}

/**
 * Why the comparisons not made matter, for the kind checked.
 * @param {string} kind @param {string[]} missing
 */
function missingWhy(kind, missing) {
  const words = claimWords(missing);
  if (kind === "dpop_proof") return `The signature holds with the key in the proof's own header; to know the proof was made for this request, compare its ${words} with the request's.`;
  if (kind === "sd_jwt" || kind === "sd_jwt_vc") {
    const cnf = missing.includes("cnf") ? " The issuer names the holder's key by reference (cnf), which tokenlab cannot resolve, so the Key Binding JWT was not checked." : "";
    const rest = missing.filter((m) => m !== "cnf");
    return rest.length ? `The issuer's signature holds; to know the credential comes from your issuer and this presentation is meant for you, compare its ${claimWords(rest)} with the values you expect.${cnf}` : cnf.trim();
  }
  return `The signature holds; to know the token comes from your issuer and is meant for you, compare its ${words} with the values you expect.`;
}

/**
 * The warnings, listed under the verdict whatever its state.
 * @param {import("./tl-checklist.js").Check[]} warnings
 */
function warningList(warnings) {
  const box = h("div", "verdict-warnings");
  box.append(h("p", "verdict-warnings-title", warnings.length === 1 ? "1 warning" : `${warnings.length} warnings`));
  const ul = h("ul", "");
  for (const c of warnings) {
    const li = h("li", "");
    li.dataset.check = c.id;
    const mark = h("span", "mark", "⚠\uFE0E");
    mark.setAttribute("aria-hidden", "true");
    li.append(mark, h("span", "sr-only", "Warning: "), h("code", "check-id", c.id), " ", h("span", "", c.message));
    ul.append(li);
  }
  box.append(ul);
  return box;
}
