// @ts-check
import { TlElement, h } from "./base.js";

const NEXT = /** @type {Record<string, string>} */ ({ system: "light", light: "dark", dark: "system" });
const LABEL = /** @type {Record<string, string>} */ ({ system: "Theme: auto", light: "Theme: light", dark: "Theme: dark" });
const ICON = /** @type {Record<string, string>} */ ({ system: "◐", light: "☀", dark: "☾" });

/**
 * <tl-theme-toggle theme="system|light|dark"> cycles the colour theme. It
 * sets data-theme on <html> ("system" removes it, following
 * prefers-color-scheme).
 *
 * @fires tl-theme-change {{ theme: "system" | "light" | "dark" }} when the
 *   user picks the next theme
 */
export class TlThemeToggle extends TlElement {
  static tag = "tl-theme-toggle";
  static observedAttributes = ["theme"];
  /** @type {HTMLButtonElement | null} */ #button = null;

  /** @param {AbortSignal} signal */
  connected(signal) {
    if (!this.#button) {
      this.#button = h("button", "btn btn-ghost theme-button");
      this.#button.type = "button";
      const icon = h("span", "theme-icon");
      icon.setAttribute("aria-hidden", "true");
      this.#button.append(icon, h("span", "theme-label"));
      this.append(this.#button);
    }
    this.#button.addEventListener("click", () => {
      this.theme = NEXT[this.theme] ?? "system";
      this.emit("tl-theme-change", { theme: this.theme });
    }, { signal });
  }

  /** The theme: "system" (follows prefers-color-scheme), "light" or "dark". */
  get theme() {
    const t = this.stringAttr("theme", "system");
    return t in NEXT ? t : "system";
  }

  set theme(v) { this.setStringAttr("theme", v); }

  render() {
    const theme = this.theme;
    const root = document.documentElement;
    if (theme === "system") delete root.dataset.theme;
    else root.dataset.theme = theme;
    if (this.#button) {
      /** @type {HTMLElement} */ (this.#button.querySelector(".theme-icon")).textContent = ICON[theme];
      /** @type {HTMLElement} */ (this.#button.querySelector(".theme-label")).textContent = LABEL[theme];
      this.#button.title = "Switch between automatic (follows your system), light and dark";
    }
  }
}
