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
 *
 * @fires tl-share {{ url: string, includePrivate: boolean }} when the user
 *   opens the panel or ticks or unticks "include private keys", with the
 *   link the panel now shows
 * @fires tl-share-close {{ includePrivate: boolean }} when the user closes
 *   the panel (Close, Escape or a click outside it)
 */
export class TlShare extends TlElement {
  static tag = "tl-share";
  static observedAttributes = ["open", "include-private"];
  /** @type {((opts: {includePrivate: boolean}) => string) | null} */ #source = null;
  #built = false;

  /** Makes the link to show for the chosen options. */
  get source() { return this.#source; }
  set source(fn) { this.#source = typeof fn === "function" ? fn : null; this.invalidate(); }

  /** Whether the panel is open. */
  get open() { return this.boolAttr("open"); }
  set open(v) { this.setBoolAttr("open", v); }

  /** Whether the link includes private keys and secrets. */
  get includePrivate() { return this.boolAttr("include-private"); }
  set includePrivate(v) { this.setBoolAttr("include-private", v); }

  /** The link for the current options, as the panel shows it. */
  get url() {
    return this.#source ? this.#source({ includePrivate: this.includePrivate }) : "";
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
    this.#q(".share-button").addEventListener("click", () => {
      if (this.open) this.#close(false);
      else this.#show({ open: true });
    }, { signal });
    this.#q(".share-close").addEventListener("click", () => this.#close(true), { signal });
    this.#q(".share-private-box").addEventListener("change", (e) => {
      this.#show({ includePrivate: /** @type {HTMLInputElement} */ (e.target).checked });
    }, { signal });
    this.#q(".share-url").addEventListener("focus", (e) => /** @type {HTMLInputElement} */ (e.target).select(), { signal });
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.open) this.#close(true);
    }, { signal });
    document.addEventListener("click", (e) => {
      if (this.open && !e.composedPath().includes(this)) this.#close(false);
    }, { signal });
  }

  /**
   * Applies what the user chose and announces the link the panel shows.
   * @param {{ open?: boolean, includePrivate?: boolean }} change
   */
  #show(change) {
    if (change.open !== undefined) this.open = change.open;
    if (change.includePrivate !== undefined) this.includePrivate = change.includePrivate;
    const url = this.url;
    if (url) this.emit("tl-share", { url, includePrivate: this.includePrivate });
  }

  /** @param {boolean} focus */
  #close(focus) {
    this.open = false;
    this.emit("tl-share-close", { includePrivate: this.includePrivate });
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
    if (!open) return;
    const url = this.url;
    const input = /** @type {HTMLInputElement} */ (this.#q(".share-url"));
    input.value = url;
    this.querySelector("tl-copy-button")?.setAttribute("value", url);
    if (!wasOpen) input.focus();
  }
}
