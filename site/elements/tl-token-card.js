// @ts-check
import { TlElement, template } from "./base.js";

const TEMPLATE = template(`
  <div class="card-head">
    <h3 class="card-title"></h3>
    <span class="card-note"></span>
  </div>
  <tl-token-view class="token-box" tabindex="0" role="group"></tl-token-view>
  <div class="actions">
    <button type="button" class="btn btn-small" data-to="inspect">Inspect</button>
    <button type="button" class="btn btn-small" data-to="verify">Verify</button>
    <tl-copy-button label="Copy token"></tl-copy-button>
  </div>`);

/**
 * <tl-token-card token="…" kind="id_token" heading="ID token" note="aud my-app">
 * shows a minted token with one-click actions. The heading names it (the
 * page takes kind titles from tokenlab.guide()); the kind colours it.
 *
 * @fires tl-use-token {{ token: string, kind: string, to: "inspect" | "verify" }}
 *   when the user presses Inspect or Verify
 */
export class TlTokenCard extends TlElement {
  static tag = "tl-token-card";
  static observedAttributes = ["token", "kind", "note", "heading"];

  /** The token shown. */
  get token() { return this.stringAttr("token"); }
  set token(v) { this.setStringAttr("token", v); }

  /** Its kind (id_token, access_token, logout_token), which colours the card. */
  get kind() { return this.stringAttr("kind"); }
  set kind(v) { this.setStringAttr("kind", v); }

  /** A short note beside the title. */
  get note() { return this.stringAttr("note"); }
  set note(v) { this.setStringAttr("note", v); }

  /** The title: the kind's name, or anything more specific. */
  get heading() { return this.stringAttr("heading"); }
  set heading(v) { this.setStringAttr("heading", v); }
  #built = false;

  /** @param {AbortSignal} signal */
  connected(signal) {
    if (!this.#built) {
      this.#built = true;
      this.append(TEMPLATE.content.cloneNode(true));
    }
    this.addEventListener("click", (e) => {
      const btn = /** @type {HTMLElement} */ (e.target).closest?.("button[data-to]");
      if (!(btn instanceof HTMLElement) || !this.contains(btn)) return;
      this.emit("tl-use-token", { token: this.token, kind: this.kind, to: btn.dataset.to });
    }, { signal });
  }

  render() {
    const token = this.token;
    const title = /** @type {HTMLElement} */ (this.querySelector(".card-title"));
    title.textContent = this.heading || "Token";
    /** @type {HTMLElement} */ (this.querySelector(".card-note")).textContent = this.note;
    const view = this.querySelector("tl-token-view");
    view?.setAttribute("token", token);
    view?.setAttribute("aria-label", `${title.textContent} text`);
    this.querySelector("tl-copy-button")?.setAttribute("value", token);
    for (const btn of this.querySelectorAll("button[data-to]")) {
      const to = /** @type {HTMLElement} */ (btn).dataset.to;
      btn.setAttribute("aria-label", `${to === "inspect" ? "Inspect" : "Verify"} the ${title.textContent}`);
    }
  }
}
