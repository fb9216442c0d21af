// @ts-check
/**
 * <token-playground>: a live, explained token in one line of HTML, on any
 * site.
 *
 *   <script type="module" src="https://tokenlab.example/tokenlab-element.js"></script>
 *   <token-playground token="eyJ…" mode="explain"></token-playground>
 *
 * The element renders an <iframe> of embed.html from this script's own
 * origin. The engine, its Web Worker and the embed's Content-Security-Policy
 * all stay on the tokenlab origin (a page cannot start a worker from another
 * origin's script), so the documentation site needs nothing but this
 * module, which the tokenlab host serves with Access-Control-Allow-Origin: *.
 *
 * Attributes (all reactive; they are the source of truth):
 *   token      the JWT to show
 *   mode       decode | explain (default) | verify
 *   key        a public JWK, JWKS or PEM to verify with
 *   secret     an HMAC secret to verify with (public docs: prefer key)
 *   issuer, audience, nonce, client-id, kind, leeway   verify expectations
 *   now        a fixed clock, Unix seconds, for screenshots that never drift
 *   scenario   a documentation scenario (id-vs-access, expired, wrong-audience,
 *              alg-none, algorithm-confusion) instead of a token
 *   theme      light | dark | auto (default: the reader's system setting)
 *   label      the iframe's accessible name
 *
 * Everything goes to the frame in the URL fragment, which is never sent to
 * any server. Changing an attribute changes only the fragment, so the frame
 * re-renders without reloading the engine. The frame reports its height with
 * a {type: "tokenlab:resize", height} message; the element accepts it only
 * from its own frame and the tokenlab origin.
 */

const EMBED_URL = new URL("./embed.html", import.meta.url);

/** Attribute → fragment parameter of embed.html. */
const PARAMS = /** @type {const} */ ({
  scenario: "scenario",
  flow: "flow",
  token: "token",
  mode: "mode",
  key: "key",
  secret: "secret",
  issuer: "iss",
  audience: "aud",
  nonce: "nonce",
  "client-id": "client_id",
  kind: "kind",
  leeway: "leeway",
  now: "now",
  theme: "theme",
});

/** The tallest frame the element accepts, in CSS pixels. */
const MAX_HEIGHT = 20000;

/** @type {CSSStyleSheet | null} */
let sheet = null;

/** Constructed, so it works under a strict style-src CSP on the host page. */
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(`
      :host { display: block; min-width: 0; }
      :host([hidden]) { display: none; }
      iframe { display: block; width: 100%; height: 10rem; border: 0; background: transparent; color-scheme: light dark; }
      iframe[data-theme="light"] { color-scheme: light; }
      iframe[data-theme="dark"] { color-scheme: dark; }
    `);
  }
  return sheet;
}

export class TokenPlayground extends HTMLElement {
  static observedAttributes = [...Object.keys(PARAMS), "label"];

  /**
   * Registers the element (by default as <token-playground>) unless the tag
   * is already taken, e.g. by a second copy of this script.
   * @param {string} [tag]
   * @param {CustomElementRegistry} [registry]
   */
  static define(tag = "token-playground", registry = customElements) {
    if (registry.get(tag)) return this;
    try {
      registry.define(tag, this);
    } catch {
      registry.define(tag, class extends this {});
    }
    return this;
  }

  /** @type {HTMLIFrameElement} */ #frame;
  /** @type {AbortController | null} */ #abort = null;
  #queued = false;
  #loaded = false;
  #src = "";
  #height = 0;

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [styles()];
    this.#frame = document.createElement("iframe");
    this.#frame.loading = "lazy";
    this.#frame.referrerPolicy = "no-referrer";
    this.#frame.allow = "clipboard-write";
    this.#frame.addEventListener("load", () => { this.#loaded = true; });
    root.append(this.#frame);
  }

  /** The embed URL the frame shows (its fragment holds the attributes). */
  get src() {
    const params = new URLSearchParams();
    for (const [attr, param] of Object.entries(PARAMS)) {
      const v = this.getAttribute(attr);
      if (v !== null && v !== "") params.set(param, v);
    }
    const url = new URL(EMBED_URL);
    url.hash = params.toString();
    return url.href;
  }

  /** The frame's last reported height in CSS pixels (0 until it reports). */
  get height() {
    return this.#height;
  }

  connectedCallback() {
    this.#abort = new AbortController();
    addEventListener("message", (e) => this.#onMessage(e), { signal: this.#abort.signal });
    // Moving the element reloads the frame from its src attribute, which
    // may predate fragment-only updates: point it at the current state.
    if (this.#src && this.#frame.getAttribute("src") !== this.#src) {
      this.#loaded = false;
      this.#frame.src = this.#src;
    }
    this.#invalidate();
  }

  disconnectedCallback() {
    this.#abort?.abort();
    this.#abort = null;
  }

  attributeChangedCallback() {
    this.#invalidate();
  }

  #invalidate() {
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      if (this.isConnected) this.#render();
    });
  }

  #render() {
    const theme = this.getAttribute("theme");
    if (theme === "light" || theme === "dark") this.#frame.dataset.theme = theme;
    else delete this.#frame.dataset.theme;
    this.#frame.title = this.getAttribute("label") || "tokenlab: a token, decoded and explained";
    const src = this.src;
    if (src === this.#src) return;
    this.#src = src;
    if (this.#loaded && this.#frame.contentWindow) {
      // Same document, new fragment: no reload, and no entry in the host
      // page's history for every attribute change.
      this.#frame.contentWindow.location.replace(src);
    } else {
      this.#frame.src = src;
    }
  }

  /** @param {MessageEvent} e */
  #onMessage(e) {
    if (e.source !== this.#frame.contentWindow || e.origin !== EMBED_URL.origin) return;
    const data = e.data;
    if (!data || data.type !== "tokenlab:resize") return;
    const height = Number(data.height);
    if (!Number.isFinite(height) || height < 0) return;
    this.#height = Math.min(Math.ceil(height), MAX_HEIGHT);
    this.#frame.style.height = `${this.#height}px`;
  }
}

TokenPlayground.define();
