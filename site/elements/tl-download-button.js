// @ts-check
import { TlElement, h } from "./base.js";

/**
 * <tl-download-button for="id" filename="key.pem" type="application/x-pem-file">
 * saves the text of the element with that id as a file, made in the page
 * (a blob: URL); nothing is uploaded or fetched.
 */
export class TlDownloadButton extends TlElement {
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

  download() {
    const root = /** @type {Document | ShadowRoot} */ (this.getRootNode());
    const target = root.getElementById?.(this.getAttribute("for") ?? "");
    const text = target instanceof HTMLTextAreaElement ? target.value : target?.textContent ?? "";
    if (!text) return;
    const blob = new Blob([text], { type: this.getAttribute("type") ?? "text/plain" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = this.getAttribute("filename") ?? "download.txt";
    a.className = "offscreen";
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  render() {
    if (!this.#button) return;
    const name = this.getAttribute("filename") ?? "";
    this.#button.textContent = this.getAttribute("label") ?? "Download";
    this.#button.setAttribute("aria-label", `Download ${name}`);
  }
}
