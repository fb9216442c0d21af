// @ts-check
import { TlElement, h } from "./base.js";

/**
 * <tl-download-button for="id" filename="key.pem" type="application/x-pem-file">
 * saves the text of the element with that id as a file, made in the page
 * (a blob: URL); nothing is uploaded or fetched.
 */
export class TlDownloadButton extends TlElement {
  static tag = "tl-download-button";
  static observedAttributes = ["for", "filename", "label"];
  /** @type {HTMLButtonElement | null} */ #button = null;

  /** @param {AbortSignal} signal */
  connected(signal) {
    if (!this.#button) {
      this.#button = h("button", "btn btn-small");
      this.#button.type = "button";
      this.append(this.#button);
    }
    this.#button.addEventListener("click", () => this.download(), { signal });
  }

  /** The id of the element whose value or text is saved. */
  get htmlFor() { return this.stringAttr("for"); }
  set htmlFor(v) { this.setStringAttr("for", v); }

  /** The file's name. */
  get filename() { return this.stringAttr("filename", "download.txt"); }
  set filename(v) { this.setStringAttr("filename", v); }

  /** The file's media type. */
  get type() { return this.stringAttr("type", "text/plain"); }
  set type(v) { this.setStringAttr("type", v); }

  /** The button's text (default "Download"). */
  get label() { return this.stringAttr("label", "Download"); }
  set label(v) { this.setStringAttr("label", v); }

  /** Saves the target's text as a file. */
  download() {
    const root = /** @type {Document | ShadowRoot} */ (this.getRootNode());
    const target = root.getElementById?.(this.htmlFor);
    const text = target instanceof HTMLTextAreaElement ? target.value : target?.textContent ?? "";
    if (!text) return;
    const blob = new Blob([text], { type: this.type });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = this.filename;
    a.className = "offscreen";
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  render() {
    if (!this.#button) return;
    this.#button.textContent = this.label;
    this.#button.setAttribute("aria-label", `Download ${this.filename}`);
  }
}
