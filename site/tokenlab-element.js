// @ts-check
/**
 * <token-playground>: a live, explained token in one line of HTML, on any
 * site.
 *
 *   <link rel="stylesheet" href="https://tokenlab.example/tokenlab-element.css">
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
 *   view       compact (the default in explain mode: the summary, key claims
 *              and a "Show all claims" disclosure) | full (every section open)
 *   key        a public JWK, JWKS or PEM to verify with
 *   secret     an HMAC secret to verify with (public docs: prefer key)
 *   issuer, audience, nonce, client-id, kind, leeway   verify expectations
 *   htm, htu, access-token   a DPoP proof's request (RFC 9449): with them,
 *              verify needs no key, the proof carries its own
 *   require-kb an SD-JWT must come with a Key Binding JWT (RFC 9901 §7.3)
 *   now        a fixed clock, Unix seconds, for screenshots that never drift
 *   scenario   a documentation scenario (id-vs-access, expired, wrong-audience,
 *              alg-none, algorithm-confusion) instead of a token
 *   theme      light | dark | auto (default: the reader's system setting)
 *   label      the iframe's accessible name
 *
 * Before the frame has said anything, the element reserves the height the
 * embed will take (an estimate per mode and view; a compact explanation is
 * always the same height), so the documentation page does not jump when
 * the engine answers. The frame reports its real height as soon as its
 * placeholder is laid out, before the engine is ready.
 *
 * Each attribute has a property that reflects it (token, mode, view, key, secret,
 * issuer, audience, nonce, clientId, kind, leeway, htm, htu, accessToken,
 * requireKb, now, scenario, flow, theme, label). Everything goes to the frame in the URL fragment, which is
 * never sent to any server. Changing an attribute changes only the
 * fragment, so the frame re-renders without reloading the engine. The frame
 * reports its height with a {type: "tokenlab:resize", height} message; the
 * element accepts it only from its own frame and the tokenlab origin.
 */
import { TlElement } from "./elements/base.js";

const EMBED_URL = new URL("./embed.html", import.meta.url);

/** Attribute → fragment parameter of embed.html. */
const PARAMS = /** @type {const} */ ({
  scenario: "scenario",
  flow: "flow",
  token: "token",
  mode: "mode",
  view: "view",
  key: "key",
  secret: "secret",
  issuer: "iss",
  audience: "aud",
  nonce: "nonce",
  "client-id": "client_id",
  kind: "kind",
  leeway: "leeway",
  htm: "htm",
  htu: "htu",
  "access-token": "access_token",
  "require-kb": "require_kb",
  now: "now",
  theme: "theme",
});

/** The tallest frame the element accepts, in CSS pixels. */
const MAX_HEIGHT = 20000;

/**
 * What an embed is expected to measure until its frame reports, in CSS
 * pixels, measured in Chromium (embed.css): the compact views' rows have
 * fixed heights, decode's boxes too; full views vary with the token. At
 * widths under 400 px the footer takes a second line (+23 px).
 * tokenlab-element.css repeats these for the page's first paint.
 */
const RESERVED = /** @type {const} */ ({
  compact: 346,
  decode: 744,
  verify: 414,
  full: 1400,
  scenario: 1600,
});

/**
 * The height to reserve for an embed of these attributes.
 * @param {{ mode: string, view: string, scenario: string }} a
 */
export function reservedHeight({ mode, view, scenario }) {
  // In the order of tokenlab-element.css, which says the same for the
  // page's first paint, before this module has run.
  if (scenario) return RESERVED.scenario;
  if (mode === "decode") return RESERVED.decode;
  if (view === "full") return RESERVED.full;
  return mode === "verify" ? RESERVED.verify : RESERVED.compact;
}

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

export class TokenPlayground extends TlElement {
  static tag = "token-playground";
  static observedAttributes = [...Object.keys(PARAMS), "label"];

  /** @type {HTMLIFrameElement} */ #frame;
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

  /** The JWT to show. */
  get token() { return this.stringAttr("token"); }
  set token(v) { this.setStringAttr("token", v); }

  /** decode, explain (the default) or verify. */
  get mode() { return this.stringAttr("mode", "explain"); }
  set mode(v) { this.setStringAttr("mode", v); }

  /** compact (the default of explain mode) or full. */
  get view() { return this.stringAttr("view", "compact"); }
  set view(v) { this.setStringAttr("view", v); }

  /** A public JWK, JWKS or PEM to verify with. */
  get key() { return this.stringAttr("key"); }
  set key(v) { this.setStringAttr("key", v); }

  /** An HMAC secret to verify with (public docs: prefer key). */
  get secret() { return this.stringAttr("secret"); }
  set secret(v) { this.setStringAttr("secret", v); }

  /** The issuer verify expects. */
  get issuer() { return this.stringAttr("issuer"); }
  set issuer(v) { this.setStringAttr("issuer", v); }

  /** The audience verify expects. */
  get audience() { return this.stringAttr("audience"); }
  set audience(v) { this.setStringAttr("audience", v); }

  /** The nonce verify expects. */
  get nonce() { return this.stringAttr("nonce"); }
  set nonce(v) { this.setStringAttr("nonce", v); }

  /** The client id verify expects (attribute client-id). */
  get clientId() { return this.stringAttr("client-id"); }
  set clientId(v) { this.setStringAttr("client-id", v); }

  /** The kind to verify as (auto when empty). */
  get kind() { return this.stringAttr("kind"); }
  set kind(v) { this.setStringAttr("kind", v); }

  /** Clock leeway for verify, in seconds. */
  get leeway() { return this.numberAttr("leeway", 0); }
  set leeway(v) { this.setStringAttr("leeway", v); }

  /** A DPoP proof's request method, compared with its htm. */
  get htm() { return this.stringAttr("htm"); }
  set htm(v) { this.setStringAttr("htm", v); }

  /** A DPoP proof's request URL, compared with its htu. */
  get htu() { return this.stringAttr("htu"); }
  set htu(v) { this.setStringAttr("htu", v); }

  /** The access token sent with a DPoP proof: checks ath and cnf.jkt (attribute access-token). */
  get accessToken() { return this.stringAttr("access-token"); }
  set accessToken(v) { this.setStringAttr("access-token", v); }

  /** Whether an SD-JWT must have a Key Binding JWT (attribute require-kb, "1" when set). */
  get requireKb() { return this.stringAttr("require-kb") === "1"; }
  set requireKb(v) { this.setStringAttr("require-kb", v ? "1" : null); }

  /** A fixed clock in Unix seconds; 0 means the reader's clock. */
  get now() { return this.numberAttr("now", 0); }
  set now(v) { this.setStringAttr("now", v || null); }

  /** A documentation scenario to show instead of a token. */
  get scenario() { return this.stringAttr("scenario"); }
  set scenario(v) { this.setStringAttr("scenario", v); }

  /** A sign-in flow view (flow=step-4, flow=mistake-…). */
  get flow() { return this.stringAttr("flow"); }
  set flow(v) { this.setStringAttr("flow", v); }

  /** light, dark or auto (the reader's system setting, the default). */
  get theme() { return this.stringAttr("theme", "auto"); }
  set theme(v) { this.setStringAttr("theme", v); }

  /** The frame's accessible name. */
  get label() { return this.stringAttr("label", "tokenlab: a token, decoded and explained"); }
  set label(v) { this.setStringAttr("label", v); }

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

  /** @param {AbortSignal} signal */
  connected(signal) {
    addEventListener("message", (e) => this.#onMessage(e), { signal });
    // Moving the element reloads the frame from its src attribute, which
    // may predate fragment-only updates: point it at the current state.
    if (this.#src && this.#frame.getAttribute("src") !== this.#src) {
      this.#loaded = false;
      this.#frame.src = this.#src;
    }
  }

  render() {
    const theme = this.theme;
    if (theme === "light" || theme === "dark") this.#frame.dataset.theme = theme;
    else delete this.#frame.dataset.theme;
    this.#frame.title = this.label;
    // Until the frame reports, reserve what it will most likely take.
    if (!this.#height) this.#frame.style.height = `${reservedHeight(this)}px`;
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
