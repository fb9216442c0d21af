// @ts-check
import { TlElement, template, KIND_NAMES } from "./base.js";

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
 * <tl-token-card token="…" kind="id_token" note="aud my-app"> shows a minted
 * token with one-click actions. It fires `tl-use-token` ({ token, kind, to:
 * "inspect" | "verify" }).
 */
export class TlTokenCard extends TlElement {
  static observedAttributes = ["token", "kind", "note", "heading"];
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
      this.emit("tl-use-token", { token: this.getAttribute("token") ?? "", kind: this.getAttribute("kind"), to: btn.dataset.to });
    }, { signal });
  }

  render() {
    const kind = this.getAttribute("kind") ?? "";
    const token = this.getAttribute("token") ?? "";
    const title = /** @type {HTMLElement} */ (this.querySelector(".card-title"));
    title.textContent = this.getAttribute("heading") ?? KIND_NAMES[kind] ?? "Token";
    /** @type {HTMLElement} */ (this.querySelector(".card-note")).textContent = this.getAttribute("note") ?? "";
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
