// @ts-check
import { TlElement, h, listOf } from "./base.js";

/**
 * A check as tokenlab.verify returns it, or as the sign-in flow's simulated
 * checks (which have no status) are written.
 * @typedef {{ id: string, ok: boolean, status?: string, message: string, ref?: string }} Check
 */
/** @typedef {"pass" | "fail" | "warn" | "skip"} Status */

/**
 * How each status is shown: a mark whose shape differs (never colour
 * alone), the words a screen reader hears first, and for the two statuses
 * a glance at the mark could misread, a visible tag.
 */
const STATUS = /** @type {Record<Status, { mark: string, said: string, tag?: string }>} */ ({
  pass: { mark: "✓", said: "Passed: " },
  fail: { mark: "✗", said: "Failed: " },
  // U+FE0E asks for the text glyph, not an emoji.
  warn: { mark: "⚠\uFE0E", said: "Warning: ", tag: "warning" },
  skip: { mark: "–", said: "Not compared: ", tag: "not compared" },
});

/**
 * A check's status: its own, or for checks that predate statuses (the sign-in
 * flow's simulated checks), pass or fail from ok.
 * @param {{ ok: boolean, status?: string }} c
 * @returns {Status}
 */
export function statusOf(c) {
  return c.status && c.status in STATUS ? /** @type {Status} */ (c.status) : c.ok ? "pass" : "fail";
}

/**
 * <tl-checklist> shows verification checks in the order they ran, by
 * status: ✓ passed, ✗ failed, ⚠ warning, – not compared (no expected value
 * was given, or the rule does not apply); then the rule's id, what was
 * found, and the rule's reference. Set `checks` to
 * tokenlab.verify(...).checks. Each item carries data-check (the id) and
 * data-status, and the status as its class.
 */
export class TlChecklist extends TlElement {
  static tag = "tl-checklist";
  /** @type {Check[]} */ #checks = [];

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
      const status = statusOf(c);
      const shown = STATUS[status];
      const li = h("li", `check ${status}`);
      li.dataset.check = c.id;
      li.dataset.status = status;
      const mark = h("span", "mark", shown.mark);
      mark.setAttribute("aria-hidden", "true");
      const body = h("div", "check-body");
      const head = h("p", "check-head");
      head.append(h("span", "sr-only", shown.said), h("code", "check-id", c.id));
      if (shown.tag) {
        const tag = h("span", "check-tag", shown.tag);
        tag.setAttribute("aria-hidden", "true"); // said already, before the id
        head.append(tag);
      }
      if (c.ref) head.append(h("span", "ref", c.ref));
      body.append(head, h("p", "check-msg", c.message));
      li.append(mark, body);
      ol.append(li);
    }
    this.replaceChildren(ol);
  }
}
