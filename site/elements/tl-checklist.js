// @ts-check
import { TlElement, h, listOf } from "./base.js";

/**
 * <tl-checklist> shows verification checks in the order they ran: ✓ or ✗,
 * the rule's id, what was found, and the rule's reference. Set `checks`
 * to tokenlab.verify(...).checks.
 */
export class TlChecklist extends TlElement {
  static tag = "tl-checklist";
  /** @type {{id: string, ok: boolean, message: string, ref?: string}[]} */ #checks = [];

  /** The checks to show, in order (a verify result's `checks`). */
  get checks() { return this.#checks; }
  set checks(v) { this.#checks = listOf(v); this.invalidate(); }

  render() {
    if (!this.#checks.length) {
      this.replaceChildren();
      return;
    }
    const ol = h("ol", "checks");
    for (const c of this.#checks) {
      const li = h("li", c.ok ? "check ok" : "check fail");
      li.dataset.check = c.id;
      const mark = h("span", "mark", c.ok ? "✓" : "✗");
      mark.setAttribute("aria-hidden", "true");
      const body = h("div", "check-body");
      const head = h("p", "check-head");
      head.append(h("span", "sr-only", c.ok ? "Passed: " : "Failed: "), h("code", "check-id", c.id));
      if (c.ref) head.append(h("span", "ref", c.ref));
      body.append(head, h("p", "check-msg", c.message));
      li.append(mark, body);
      ol.append(li);
    }
    this.replaceChildren(ol);
  }
}
