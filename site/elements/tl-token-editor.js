// @ts-check
import { TlElement, h } from "./base.js";
import { paint, split, PART_NAMES } from "./segments.js";

/**
 * <tl-token-editor> wraps a labelled <textarea> and paints the token's
 * segments (header, payload, signature; an SD-JWT's disclosures and Key
 * Binding JWT too) behind the text, in colour, as you type, with a legend
 * of the parts. It grows with its content.
 *
 *   <label for="t">Token</label>
 *   <tl-token-editor><textarea id="t"></textarea></tl-token-editor>
 *
 * The `opaque` attribute says the text is an opaque token, not a JWT (the
 * page sets it when the engine says so): it is shown as one plain string,
 * with no parts in the legend.
 *
 * @fires tl-token-change {{ token: string }} when the user changed the
 *   text: at once on a paste or drop, after a short pause while typing.
 *   Setting `value` fires nothing, as with a native field.
 */
export class TlTokenEditor extends TlElement {
  static tag = "tl-token-editor";
  static observedAttributes = ["opaque"];

  /** Whether the text is an opaque token rather than a JWT. */
  get opaque() { return this.boolAttr("opaque"); }
  set opaque(v) { this.setBoolAttr("opaque", v); }
  /** @type {HTMLElement | null} */ #backdrop = null;
  /** @type {HTMLElement | null} */ #legend = null;
  #last = "";
  /** @type {ReturnType<typeof setTimeout> | undefined} */ #timer;

  get textarea() {
    return /** @type {HTMLTextAreaElement | null} */ (this.querySelector("textarea"));
  }

  /** @param {AbortSignal} signal */
  connected(signal) {
    const ta = this.textarea;
    if (!ta) return;
    if (!this.#backdrop) {
      const wrap = h("div", "editor-stack");
      this.#backdrop = h("div", "editor-backdrop token-text");
      this.#backdrop.setAttribute("aria-hidden", "true");
      ta.classList.add("editor-input", "token-text");
      ta.replaceWith(wrap);
      wrap.append(this.#backdrop, ta);
      this.#legend = h("p", "legend");
      this.#legend.setAttribute("aria-hidden", "true");
      this.append(this.#legend);
    }
    ta.addEventListener("input", (event) => {
      this.invalidate();
      clearTimeout(this.#timer);
      // A paste or drop is a whole token: inspect it at once. Typing waits
      // for a pause so each keystroke does not start an engine call.
      const whole = ["insertFromPaste", "insertFromDrop"].includes(/** @type {InputEvent} */ (event).inputType);
      this.#timer = setTimeout(() => this.#changed(), whole ? 0 : 120);
    }, { signal });
    ta.addEventListener("paste", () => {
      // The value updates after the paste event: emit on the next task.
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#changed(), 0);
    }, { signal });
    signal.addEventListener("abort", () => clearTimeout(this.#timer));
  }

  /** The current text. */
  get value() {
    return this.textarea?.value ?? "";
  }

  /** Sets the text. @param {string} v */
  set value(v) {
    const ta = this.textarea;
    if (!ta) return;
    clearTimeout(this.#timer);
    ta.value = v;
    this.#last = v;
    this.invalidate();
  }

  #changed() {
    const token = this.value;
    if (token === this.#last) return;
    this.#last = token;
    this.emit("tl-token-change", { token });
  }

  render() {
    if (!this.#backdrop || !this.#legend) return;
    const text = this.value;
    // A trailing newline needs a character after it to take up a line.
    paint(this.#backdrop, text.endsWith("\n") ? text + " " : text, this.opaque);
    const { parts, disclosures } = split(text, this.opaque);
    const frag = document.createDocumentFragment();
    if (parts.length > 1) {
      for (const p of parts) {
        const name = p === "disclosure" ? `${PART_NAMES[p]} (${disclosures})` : PART_NAMES[p];
        frag.append(h("span", `legend-item seg-${p}`, name));
      }
    }
    this.#legend.replaceChildren(frag);
  }
}
