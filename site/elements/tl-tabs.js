// @ts-check
import { TlElement } from "./base.js";

/**
 * <tl-tabs selected="tab-id"> turns a [role=tablist] of [role=tab] buttons
 * (each with aria-controls) and their [role=tabpanel]s into accessible
 * tabs: arrow keys, Home and End move between visible tabs. The `selected`
 * attribute (a tab's id) is the source of truth; a hidden tab is skipped.
 *
 * @fires tl-tab-change {{ tab: string }} when the user picks another tab
 */
export class TlTabs extends TlElement {
  static tag = "tl-tabs";
  static observedAttributes = ["selected"];

  /** The id of the selected tab; the first visible tab when it names none. */
  get selected() { return this.stringAttr("selected"); }
  set selected(v) { this.setStringAttr("selected", v); }

  get tabs() {
    return /** @type {HTMLElement[]} */ ([...this.querySelectorAll(":scope > [role=tablist] [role=tab]")]);
  }

  /** @param {AbortSignal} signal */
  connected(signal) {
    const list = this.querySelector(":scope > [role=tablist]");
    list?.addEventListener("click", (e) => {
      const tab = /** @type {HTMLElement} */ (e.target).closest?.("[role=tab]");
      if (tab instanceof HTMLElement) this.#pick(tab, false);
    }, { signal });
    list?.addEventListener("keydown", (e) => {
      const ke = /** @type {KeyboardEvent} */ (e);
      const tabs = this.tabs.filter((t) => !t.hidden);
      const i = tabs.indexOf(/** @type {HTMLElement} */ (document.activeElement));
      if (i < 0) return;
      let next = -1;
      if (ke.key === "ArrowRight") next = (i + 1) % tabs.length;
      else if (ke.key === "ArrowLeft") next = (i - 1 + tabs.length) % tabs.length;
      else if (ke.key === "Home") next = 0;
      else if (ke.key === "End") next = tabs.length - 1;
      if (next < 0) return;
      ke.preventDefault();
      this.#pick(tabs[next], true);
    }, { signal });
  }

  /** @param {HTMLElement} tab @param {boolean} focus */
  #pick(tab, focus) {
    if (tab.id !== this.selected) {
      this.selected = tab.id;
      this.emit("tl-tab-change", { tab: tab.id });
    }
    if (focus) tab.focus();
  }

  render() {
    const tabs = this.tabs;
    const visible = tabs.filter((t) => !t.hidden);
    const current = visible.find((t) => t.id === this.selected) ?? visible[0];
    for (const tab of tabs) {
      const on = tab === current;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute("aria-controls") ?? "");
      if (panel) panel.hidden = !on;
    }
  }
}
