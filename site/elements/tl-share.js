// @ts-check
import { TlElement, template } from "./base.js";

const TEMPLATE = template(`
  <button type="button" class="btn btn-ghost share-button" aria-expanded="false">Share</button>
  <div class="share-panel" role="dialog" aria-label="Share this playground" hidden>
    <p class="share-lede">This link opens the playground as it is now: its tokens, public keys and forms.
      Everything is in the part after <code>#</code>, which browsers never send to any server.</p>
    <label class="checkbox share-private"><input type="checkbox" class="share-private-box">
      Include private keys and secrets</label>
    <p class="notice share-warning" hidden>Anyone with this link can sign tokens with your private key or
      secret. Include it only for throwaway test keys, and only in a link you send to yourself.</p>
    <label class="field-label share-label">Link</label>
    <input type="text" class="share-url mono" readonly spellcheck="false">
    <div class="actions">
      <tl-copy-button label="Copy link"></tl-copy-button>
      <button type="button" class="btn btn-small btn-ghost share-close">Close</button>
    </div>
  </div>`);

let ids = 0;

/**
 * <tl-share open include-private> is the playground's Share button and its
 * panel. The `open` and `include-private` attributes are the source of
 * truth. Set `source` to a function ({includePrivate}) → URL; share.js does.
 * It fires `tl-share` ({ url, includePrivate }) whenever it shows a link,
 * and `tl-share-close` ({ includePrivate }) when the panel closes.
 */
export class TlShare extends TlElement {
  static observedAttributes = ["open", "include-private"];
  /** @type {((opts: {includePrivate: boolean}) => string) | null} */ #source = null;
  #built = false;
  #shown = "";

  get source() {
    return this.#source;
  }

  set source(fn) {
    this.#source = typeof fn === "function" ? fn : null;
    this.invalidate();
  }

  get open() {
    return this.hasAttribute("open");
  }

  set open(v) {
    this.toggleAttribute("open", !!v);
  }

  get includePrivate() {
    return this.hasAttribute("include-private");
  }

  /** @param {AbortSignal} signal */
  connected(signal) {
    if (!this.#built) {
      this.#built = true;
      this.append(TEMPLATE.content.cloneNode(true));
      const id = `tl-share-${++ids}`;
      this.#q(".share-panel").id = `${id}-panel`;
      this.#q(".share-button").setAttribute("aria-controls", `${id}-panel`);
      this.#q(".share-url").id = `${id}-url`;
      this.#q(".share-label").setAttribute("for", `${id}-url`);
    }
    this.#q(".share-button").addEventListener("click", () => { this.open = !this.open; }, { signal });
    this.#q(".share-close").addEventListener("click", () => this.#close(true), { signal });
    this.#q(".share-private-box").addEventListener("change", (e) => {
      this.toggleAttribute("include-private", /** @type {HTMLInputElement} */ (e.target).checked);
    }, { signal });
    this.#q(".share-url").addEventListener("focus", (e) => /** @type {HTMLInputElement} */ (e.target).select(), { signal });
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.open) this.#close(true);
    }, { signal });
    document.addEventListener("click", (e) => {
      if (this.open && !e.composedPath().includes(this)) this.#close(false);
    }, { signal });
  }

  /** @param {boolean} focus */
  #close(focus) {
    this.open = false;
    if (focus) this.#q(".share-button").focus();
  }

  /** @param {string} sel @returns {HTMLElement} */
  #q(sel) {
    return /** @type {HTMLElement} */ (this.querySelector(sel));
  }

  render() {
    if (!this.#built) return;
    const open = this.open;
    const priv = this.includePrivate;
    const panel = this.#q(".share-panel");
    const wasOpen = !panel.hidden;
    panel.hidden = !open;
    this.#q(".share-button").setAttribute("aria-expanded", String(open));
    /** @type {HTMLInputElement} */ (this.#q(".share-private-box")).checked = priv;
    this.#q(".share-warning").hidden = !priv;
    this.classList.toggle("share-includes-private", priv);
    if (!open) {
      if (wasOpen) this.emit("tl-share-close", { includePrivate: priv });
      this.#shown = "";
      return;
    }
    const url = this.#source ? this.#source({ includePrivate: priv }) : "";
    const input = /** @type {HTMLInputElement} */ (this.#q(".share-url"));
    input.value = url;
    this.querySelector("tl-copy-button")?.setAttribute("value", url);
    if (!wasOpen) input.focus();
    if (url && url !== this.#shown) {
      this.#shown = url;
      this.emit("tl-share", { url, includePrivate: priv });
    }
  }
}
