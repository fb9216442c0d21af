// @ts-check
import { TlElement } from "./base.js";
import { paint } from "./segments.js";

/**
 * <tl-token-view token="eyJ…"> shows a token read-only, its segments in
 * colour. The token attribute is the source of truth.
 */
export class TlTokenView extends TlElement {
  static tag = "tl-token-view";
  static observedAttributes = ["token"];
  #painted = "";

  /** The token shown. */
  get token() { return this.stringAttr("token"); }
  set token(v) { this.setStringAttr("token", v); }

  render() {
    const token = this.token;
    if (token === this.#painted) return;
    this.#painted = token;
    this.classList.add("token-text");
    paint(this, token);
  }
}
