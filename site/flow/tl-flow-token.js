// @ts-check
import { TlElement, template } from "../elements/base.js";
import { tokenlab } from "../tokenlab.js";
import { kindTitle, knownTitle } from "../guides.js";

const TEMPLATE = template(`
  <div class="ft-head">
    <span class="ft-badge"></span>
    <strong class="ft-label"></strong>
    <span class="ft-note"></span>
  </div>
  <tl-token-view class="ft-text" tabindex="0" role="group"></tl-token-view>
  <details class="ft-explain">
    <summary>Who is it for?</summary>
    <div class="ft-purpose" aria-live="polite"></div>
  </details>
  <div class="ft-actions">
    <button type="button" class="btn btn-small ft-inspect">Open in inspector</button>
    <tl-copy-button label="Copy"></tl-copy-button>
  </div>`);

/**
 * <tl-flow-token token="…" kind="id_token" label="ID token" note="for the
 * client" [opaque]> shows one token of the sign-in flow: its text in
 * colour, who it is for (tokenlab.explain's purpose, fetched when opened),
 * and "Open in inspector". An opaque token (a random refresh token) has no
 * inspector: there is nothing in it to read.
 *
 * @fires tl-use-token {{ token: string, kind: string, to: "inspect" }} when
 *   the user presses "Open in inspector"
 */
export class TlFlowToken extends TlElement {
  static tag = "tl-flow-token";
  static observedAttributes = ["token", "kind", "label", "note", "opaque"];

  /** The token shown. */
  get token() { return this.stringAttr("token"); }
  set token(v) { this.setStringAttr("token", v); }

  /** Its kind: id_token, access_token or refresh_token. */
  get kind() { return this.stringAttr("kind"); }
  set kind(v) { this.setStringAttr("kind", v); }

  /** Its name in the flow; the kind's title (tokenlab.guide()) when empty. */
  get label() { return this.stringAttr("label"); }
  set label(v) { this.setStringAttr("label", v); }

  /** Who it is for, in a few words. */
  get note() { return this.stringAttr("note"); }
  set note(v) { this.setStringAttr("note", v); }

  /** Whether it is an opaque string rather than a JWT. */
  get opaque() { return this.boolAttr("opaque"); }
  set opaque(v) { this.setBoolAttr("opaque", v); }
  #built = false;
  #explained = "";

  /** @param {AbortSignal} signal */
  connected(signal) {
    if (!this.#built) {
      this.#built = true;
      this.append(TEMPLATE.content.cloneNode(true));
    }
    this.querySelector(".ft-inspect")?.addEventListener("click", () => {
      this.emit("tl-use-token", { token: this.token, kind: this.kind, to: "inspect" });
    }, { signal });
    this.querySelector(".ft-explain")?.addEventListener("toggle", () => this.#explain(), { signal });
  }

  render() {
    const { kind, token, opaque } = this;
    const label = this.label || "Token";
    this.className = `flow-token kind-${kind}`;
    const badge = /** @type {HTMLElement} */ (this.querySelector(".ft-badge"));
    badge.className = `ft-badge kind-badge-${kind}`;
    if (opaque) badge.textContent = "opaque";
    else if (knownTitle(kind)) badge.textContent = knownTitle(kind);
    else kindTitle(kind, kind).then((title) => { if (this.kind === kind && !this.opaque) badge.textContent = title; });
    /** @type {HTMLElement} */ (this.querySelector(".ft-label")).textContent = label;
    /** @type {HTMLElement} */ (this.querySelector(".ft-note")).textContent = this.note;
    const view = /** @type {HTMLElement} */ (this.querySelector("tl-token-view"));
    view.setAttribute("token", token);
    view.setAttribute("aria-label", `${label} text`);
    view.classList.toggle("ft-opaque", opaque);
    this.querySelector("tl-copy-button")?.setAttribute("value", token);
    const inspect = /** @type {HTMLButtonElement} */ (this.querySelector(".ft-inspect"));
    inspect.hidden = opaque;
    inspect.setAttribute("aria-label", `Open in inspector: ${label}`);
    /** @type {HTMLElement} */ (this.querySelector(".ft-explain")).hidden = opaque;
    if (token !== this.#explained) {
      const details = /** @type {HTMLDetailsElement} */ (this.querySelector(".ft-explain"));
      /** @type {HTMLElement} */ (this.querySelector(".ft-purpose")).replaceChildren();
      this.#explained = "";
      if (details.open) this.#explain();
    }
  }

  async #explain() {
    const details = /** @type {HTMLDetailsElement | null} */ (this.querySelector(".ft-explain"));
    const token = this.token;
    if (!details?.open || !token || this.#explained === token) return;
    this.#explained = token;
    const out = /** @type {HTMLElement} */ (this.querySelector(".ft-purpose"));
    out.textContent = "Asking the engine…";
    try {
      const e = await tokenlab.explain(token);
      if (this.token !== token) return;
      const p = e.purpose ?? {};
      const dl = document.createElement("dl");
      dl.className = "ft-facts";
      /** @type {[string, string | undefined][]} */
      const rows = [["tokenlab says", e.headline], ["Meant for", p.for], ["Send it to", p.sendTo], ["Not for", p.notFor]];
      for (const [k, v] of rows) {
        if (!v) continue;
        const dt = document.createElement("dt");
        dt.textContent = k;
        const dd = document.createElement("dd");
        dd.textContent = v;
        if (k === "Not for") dd.className = "ft-warn";
        dl.append(dt, dd);
      }
      out.replaceChildren(dl);
    } catch (err) {
      out.textContent = err instanceof Error ? err.message : String(err);
      this.#explained = "";
    }
  }
}
