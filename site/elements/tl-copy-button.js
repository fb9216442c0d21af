// @ts-check
import { TlElement, h } from "./base.js";

/**
 * <tl-copy-button for="id" label="Copy"> copies the value (form field) or
 * text of the element with that id, or its own `value` attribute, and says
 * "Copied" on the button and to screen readers.
 *
 * @fires tl-copied {{ text: string }} after the user's click copied text
 */
export class TlCopyButton extends TlElement {
  static tag = "tl-copy-button";
  static observedAttributes = ["label", "for", "value"];
  /** @type {HTMLButtonElement | null} */ #button = null;
  /** @type {HTMLElement | null} */ #live = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */ #timer;

  /** @param {AbortSignal} signal */
  connected(signal) {
    if (!this.#button) {
      this.#button = h("button", "btn btn-small");
      this.#button.type = "button";
      this.#live = h("span", "sr-only");
      this.#live.setAttribute("role", "status");
      this.append(this.#button, this.#live);
    }
    this.#button.addEventListener("click", async () => {
      const text = await this.copy();
      if (text) this.emit("tl-copied", { text });
    }, { signal });
    signal.addEventListener("abort", () => clearTimeout(this.#timer));
  }

  /** The button's text (default "Copy"). */
  get label() { return this.stringAttr("label", "Copy"); }
  set label(v) { this.setStringAttr("label", v); }

  /** The id of the element whose value or text is copied. */
  get htmlFor() { return this.stringAttr("for"); }
  set htmlFor(v) { this.setStringAttr("for", v); }

  /** The text to copy instead of a `for` target's; null to use the target. */
  get value() { return this.getAttribute("value"); }
  set value(v) { this.setStringAttr("value", v); }

  /** The text to copy. */
  get text() {
    if (this.value !== null) return this.value;
    const root = this.getRootNode();
    const target = root instanceof Document || root instanceof ShadowRoot ? root.getElementById(this.htmlFor) : null;
    if (!target) return "";
    if (target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement) return target.value;
    return target.getAttribute("token") ?? target.textContent ?? "";
  }

  /** Copies the text and shows the outcome; resolves to what was copied ("" when nothing was). */
  async copy() {
    const text = this.text;
    let ok = false;
    if (text) {
      try {
        // A browser that neither grants nor refuses (no user activation
        // recorded, a pending permission) must not leave the button mute.
        await Promise.race([
          navigator.clipboard.writeText(text),
          new Promise((_, reject) => setTimeout(() => reject(new Error("clipboard timeout")), 1000)),
        ]);
        ok = true;
      } catch {
        ok = fallbackCopy(text);
      }
    }
    this.#feedback(ok ? "Copied ✓" : text ? "Copy failed: select and press Ctrl+C" : "Nothing to copy", ok);
    return ok ? text : "";
  }

  /** @param {string} message @param {boolean} ok */
  #feedback(message, ok) {
    if (!this.#button || !this.#live) return;
    this.#button.textContent = ok ? "Copied ✓" : "Copy";
    this.#button.classList.toggle("btn-done", ok);
    this.#live.textContent = message;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#live && (this.#live.textContent = "");
      this.invalidate();
      this.#button?.classList.remove("btn-done");
    }, 1800);
  }

  render() {
    if (!this.#button || this.#button.classList.contains("btn-done")) return;
    this.#button.textContent = this.label;
  }
}

/** Copies through a temporary selection when the Clipboard API is refused. @param {string} text */
function fallbackCopy(text) {
  const ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.className = "offscreen";
  document.body.append(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}
