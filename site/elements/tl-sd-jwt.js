// @ts-check
import { TlElement, h, listOf } from "./base.js";
import { pointer } from "./tl-json-view.js";

/**
 * @typedef {import("../tokenlab.js").Decoded} Decoded
 * @typedef {import("../tokenlab.js").Disclosure} Disclosure
 * @typedef {{ id: string, severity: string, message: string, ref?: string }} Finding
 * @typedef {import("./tl-json-view.js").TlJsonView} TlJsonView
 * @typedef {import("./tl-disclosures.js").TlDisclosures} TlDisclosures
 */

/** The explanation's findings this element states itself, in its own words' order. */
export const SD_JWT_FINDINGS = Object.freeze(["sd-jwt-hidden", "sd-jwt-visible"]);

/**
 * Where a digest sits in an issuer-signed payload: the JSON Pointer of its
 * entry in an `_sd` array, or of the `{"...": digest}` array element
 * (RFC 9901 §4.2.4); "" when it is not there (a recursive disclosure's
 * digest is inside another disclosure's value).
 * @param {unknown} value
 * @param {string} digest
 * @param {(string | number)[]} [path]
 * @returns {string}
 */
export function digestPointer(value, digest, path = []) {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const el = value[i];
      if (el && typeof el === "object" && !Array.isArray(el) && Object.keys(el).length === 1 && /** @type {any} */ (el)["..."] === digest) return pointer([...path, i]);
      const inner = digestPointer(el, digest, [...path, i]);
      if (inner) return inner;
    }
    return "";
  }
  if (!value || typeof value !== "object") return "";
  for (const [k, v] of Object.entries(value)) {
    if (k === "_sd" && Array.isArray(v)) {
      const i = v.indexOf(digest);
      if (i >= 0) return pointer([...path, "_sd", i]);
      continue;
    }
    const inner = digestPointer(v, digest, [...path, k]);
    if (inner) return inner;
  }
  return "";
}

/**
 * The number (from 1) of the disclosure whose value holds digest, 0 when
 * none does.
 * @param {Disclosure[]} disclosures
 * @param {string} digest
 */
function parentDisclosure(disclosures, digest) {
  return disclosures.findIndex((d) => digestPointer(d.value, digest) !== "") + 1;
}

/** @param {number} n @param {string} one @param {string} many */
const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/**
 * <tl-sd-jwt> shows what an SD-JWT (RFC 9901) discloses: how many
 * disclosures are presented and how many digests have none ("hidden claims
 * or decoys"), what selective disclosure hides and what it does not (the
 * explanation's sd-jwt-hidden and sd-jwt-visible findings), the
 * disclosures (<tl-disclosures>), the issuer-signed payload beside the
 * processed payload (<tl-json-view>s, the disclosed claims marked), and the
 * Key Binding JWT's header and payload. Pointing at or focusing a
 * disclosure highlights its digest in the issuer-signed payload and its
 * claim in the processed payload, and says so in a status line.
 *
 * Properties:
 *   decoded    tokenlab.decode(sdJwt) (or inspect's decoded); null shows nothing
 *   findings   the explanation's findings (tokenlab.explain(sdJwt).findings)
 */
export class TlSdJwt extends TlElement {
  static tag = "tl-sd-jwt";
  /** @type {Decoded | null} */ #decoded = null;
  /** @type {Finding[]} */ #findings = [];
  #drawn = "";
  /** @type {{ signed: TlJsonView, processed: TlJsonView, table: TlDisclosures, status: HTMLElement } | null} */ #parts = null;

  /** The decoded SD-JWT, or null. */
  get decoded() { return this.#decoded; }
  set decoded(v) { this.#decoded = v && typeof v === "object" && v.format === "SD-JWT" ? v : null; this.invalidate(); }

  /** The explanation's findings. */
  get findings() { return this.#findings; }
  set findings(v) { this.#findings = listOf(v); this.invalidate(); }

  /** @param {AbortSignal} signal */
  connected(signal) {
    this.addEventListener("tl-disclosure-focus", (e) => {
      const { index } = /** @type {CustomEvent} */ (e).detail;
      this.#point(index);
    }, { signal });
  }

  render() {
    const d = this.#decoded;
    const key = JSON.stringify([d, this.#findings]);
    if (key === this.#drawn) return;
    this.#drawn = key;
    this.#parts = null;
    if (!d) {
      this.replaceChildren();
      return;
    }
    const disclosures = listOf(/** @type {Disclosure[]} */ (d.disclosures));
    const undisclosed = d.undisclosed ?? 0;
    /** @type {HTMLElement[]} */
    const out = [];

    const facts = h("ul", "sd-facts");
    const presented = h("li", "sd-fact");
    presented.dataset.fact = "disclosed";
    presented.append(h("strong", "", count(disclosures.length, "disclosure", "disclosures")), " presented");
    const hidden = h("li", "sd-fact");
    hidden.dataset.fact = "undisclosed";
    hidden.append(h("strong", "", count(undisclosed, "digest", "digests")), " without a disclosure: hidden claims or decoys");
    const alg = h("li", "sd-fact");
    alg.append("Digests: ", h("code", "", d.sdAlg ?? "sha-256"));
    const kb = h("li", "sd-fact");
    kb.dataset.fact = "kb";
    kb.append(d.kb ? "Key Binding JWT: " : "No Key Binding JWT", ...(d.kb ? [h("strong", "", "present")] : []));
    facts.append(presented, hidden, alg, kb);
    out.push(facts);

    const boxes = this.#hidesAndShows();
    if (boxes) out.push(boxes);

    out.push(h("h4", "sd-title", "Disclosures"));
    const table = /** @type {TlDisclosures} */ (document.createElement("tl-disclosures"));
    table.disclosures = disclosures;
    out.push(table);
    const status = h("p", "sd-point hint", disclosures.length ? "Point at or focus a disclosure to see where its digest is and where its claim lands." : "");
    status.setAttribute("aria-live", "polite");
    out.push(status);

    const grid = h("div", "sd-payloads");
    const signed = jsonBox(grid, "Issuer-signed payload", "What the issuer signed: digests (_sd, “...”) where the disclosable claims go.", "sd-signed");
    signed.value = d.payload;
    signed.marked = disclosures.map((x) => digestPointer(d.payload, x.digest)).filter(Boolean);
    const processed = jsonBox(grid, "Processed payload", "What the verifier reads: each presented disclosure in its place, the digests removed (RFC 9901 §7.1).", "sd-processed");
    processed.value = d.processed ?? {};
    processed.marked = disclosures.map((x) => x.path ?? "").filter(Boolean);
    out.push(grid);

    if (d.kb) {
      out.push(h("h4", "sd-title", "Key Binding JWT"));
      out.push(h("p", "hint", "Signed by the holder with the key in cnf: its aud and nonce bind this presentation to one verifier and one request, and sd_hash covers the issuer-signed JWT and exactly the disclosures presented (RFC 9901 §4.3)."));
      const kbGrid = h("div", "sd-payloads");
      jsonBox(kbGrid, "KB-JWT header", "", "sd-kb-header").value = d.kb.header;
      jsonBox(kbGrid, "KB-JWT payload", "", "sd-kb-payload").value = d.kb.payload;
      out.push(kbGrid);
    }
    this.replaceChildren(...out);
    this.#parts = { signed, processed, table, status };
  }

  /** What selective disclosure hides and what it does not, from the findings; null without them. */
  #hidesAndShows() {
    const [hidden, visible] = SD_JWT_FINDINGS.map((id) => this.#findings.find((f) => f.id === id));
    if (!hidden && !visible) return null;
    const box = h("div", "sd-hides");
    for (const [f, title, cls] of /** @type {[Finding | undefined, string, string][]} */ ([[hidden, "What selective disclosure hides", "sd-hidden"], [visible, "What it does not hide", "sd-visible"]])) {
      if (!f) continue;
      const part = h("div", `explain-box ${cls}`);
      part.dataset.finding = f.id;
      part.append(h("h4", "", title), h("p", "", f.message));
      if (f.ref) part.append(h("p", "ref", f.ref));
      box.append(part);
    }
    return box;
  }

  /**
   * Shows where disclosure number index (from 1) is: its digest in the
   * issuer-signed payload, its claim in the processed payload; 0 clears.
   * @param {number} index
   */
  #point(index) {
    const parts = this.#parts;
    const d = this.#decoded;
    if (!parts || !d) return;
    const disclosures = listOf(/** @type {Disclosure[]} */ (d.disclosures));
    const x = disclosures[index - 1];
    parts.table.active = x ? index : 0;
    if (!x) {
      parts.signed.highlight = "";
      parts.processed.highlight = "";
      parts.status.textContent = "Point at or focus a disclosure to see where its digest is and where its claim lands.";
      return;
    }
    const at = digestPointer(d.payload, x.digest);
    parts.signed.highlight = at;
    parts.processed.highlight = x.path ?? "";
    const what = x.name !== undefined ? x.name : "an array element";
    const where = at
      ? `its digest is at ${at} in the issuer-signed payload`
      : (() => {
        const parent = parentDisclosure(disclosures, x.digest);
        return parent ? `its digest is inside disclosure ${parent} (a recursive disclosure)` : "no digest in this SD-JWT refers to it";
      })();
    parts.status.textContent = `Disclosure ${index} (${what}): ${where}${x.path ? `; its claim lands at ${x.path} in the processed payload` : ""}.`;
  }
}

/**
 * A titled JSON block with a copy button, appended to parent.
 * @param {HTMLElement} parent
 * @param {string} title
 * @param {string} hint
 * @param {string} className
 * @returns {TlJsonView}
 */
function jsonBox(parent, title, hint, className) {
  const box = h("div", `sd-json ${className}`);
  const head = h("div", "code-head");
  head.append(h("h5", "table-title", title));
  const view = /** @type {TlJsonView} */ (document.createElement("tl-json-view"));
  view.label = title;
  const copy = document.createElement("tl-copy-button");
  copy.setAttribute("label", "Copy");
  copy.addEventListener("click", () => copy.setAttribute("value", view.text), { capture: true });
  head.append(copy);
  box.append(head);
  if (hint) box.append(h("p", "hint", hint));
  box.append(view);
  parent.append(box);
  return view;
}
