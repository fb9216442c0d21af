// @ts-check
/**
 * The embed documentation page (embed-docs.html): live examples of both
 * embed forms and every scenario, with snippets that name this host, and
 * runnable examples of the JavaScript API.
 */
import { tokenlab } from "./tokenlab.js";
import { SCENARIOS } from "./scenarios.js";
import { NOW, KEYS, TOKENS } from "./scenario-tokens.js";
import { encodeJSON } from "./base64url.js";
import { defineElements } from "./elements/index.js";

defineElements();

const HOST = new URL("./", location.href);
const EMBED = new URL("embed.html", HOST).href;
const ELEMENT = new URL("tokenlab-element.js", HOST).href;
const ELEMENT_CSS = new URL("tokenlab-element.css", HOST).href;
/**
 * The iframe snippet's height: a compact view's (embed.css), plus the
 * footer's second line under 400 px wide. Opening "Show all" scrolls
 * inside the frame; the listener below sizes it to fit instead.
 */
const FRAME_HEIGHT = "370px";

/** @param {string} id @returns {HTMLElement} */
function $(id) {
  return /** @type {HTMLElement} */ (document.getElementById(id));
}

/** The docs page's theme as an embed option: light, dark or auto. */
function embedTheme() {
  const t = document.documentElement.dataset.theme;
  return t === "light" || t === "dark" ? t : "auto";
}

/**
 * An embed URL for these fragment parameters.
 * @param {Record<string, string | number | undefined>} params
 */
function embedURL(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") p.set(k, String(v));
  return `${EMBED}#${p}`;
}

/** @param {string} s */
const attr = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;");

// -------------------------------------------------------------- element

const demo = $("demo-element");
const API = "https://api.example.com";
const ISSUER = "https://login.example.com";

function elementSnippet() {
  const names = ["token", "mode", "view", "key", "issuer", "audience", "now"];
  const attrs = names.filter((n) => demo.hasAttribute(n)).map((n) => {
    const v = demo.getAttribute(n) ?? "";
    // A JWK reads best in single quotes; anything else is escaped.
    return v.includes('"') && !v.includes("'") ? `  ${n}='${v.replace(/&/g, "&amp;")}'` : `  ${n}="${attr(v)}"`;
  });
  return `<link rel="stylesheet" href="${ELEMENT_CSS}">\n<script type="module" src="${ELEMENT}"></script>\n\n<token-playground\n${attrs.join("\n")}>\n</token-playground>`;
}

/** @param {{ mode?: string, token?: string, view?: string }} change */
function setDemo(change) {
  if (change.token) demo.setAttribute("token", TOKENS[/** @type {keyof typeof TOKENS} */ (change.token)]);
  if (change.mode) demo.setAttribute("mode", change.mode);
  // compact is the default: the snippet names view only when it is full.
  if (change.view === "full") demo.setAttribute("view", "full");
  else if (change.view) demo.removeAttribute("view");
  const verify = demo.getAttribute("mode") === "verify";
  for (const [name, value] of [["key", JSON.stringify(KEYS.ed25519)], ["issuer", ISSUER], ["audience", API]]) {
    if (verify) demo.setAttribute(name, value);
    else demo.removeAttribute(name);
  }
  for (const btn of document.querySelectorAll(".docs-controls button")) {
    const b = /** @type {HTMLElement} */ (btn);
    const on = b.dataset.mode ? b.dataset.mode === demo.getAttribute("mode")
      : b.dataset.view ? b.dataset.view === (demo.getAttribute("view") ?? "compact")
      : TOKENS[/** @type {keyof typeof TOKENS} */ (b.dataset.token ?? "")] === demo.getAttribute("token");
    b.setAttribute("aria-pressed", String(on));
  }
  $("snippet-element").textContent = elementSnippet();
}

demo.setAttribute("now", String(NOW));
setDemo({ token: "accessToken", mode: "explain" });
document.querySelector(".docs-controls")?.addEventListener("click", (e) => {
  const btn = /** @type {HTMLElement} */ (e.target).closest?.("button");
  if (btn instanceof HTMLElement) setDemo({ mode: btn.dataset.mode, token: btn.dataset.token, view: btn.dataset.view });
});

// --------------------------------------------------------------- iframe

const frame = /** @type {HTMLIFrameElement} */ ($("demo-frame"));
frame.style.height = FRAME_HEIGHT;
const frameParams = { token: TOKENS.idToken, mode: "explain", now: NOW };

function frameSnippet() {
  return `<iframe\n  src="${attr(embedURL(frameParams))}"\n  title="The example ID token, explained by tokenlab"\n  style="width: 100%; height: ${FRAME_HEIGHT}; border: 0"\n  loading="lazy" referrerpolicy="no-referrer"></iframe>`;
}

const RESIZE_SNIPPET = `<script>
  // Size tokenlab frames to their content. Only the height is sent.
  addEventListener("message", (event) => {
    if (event.origin !== "${HOST.origin}" || event.data?.type !== "tokenlab:resize") return;
    for (const frame of document.querySelectorAll("iframe")) {
      if (frame.contentWindow === event.source) frame.style.height = event.data.height + "px";
    }
  });
</script>`;

// The same listener, for this page's scenario frames. The iframe example
// above stays exactly as its snippet says (a fixed height, scrolling inside
// when a reader opens "Show all"), so what you see is what you copy.
addEventListener("message", (event) => {
  if (event.origin !== HOST.origin || event.data?.type !== "tokenlab:resize") return;
  for (const f of document.querySelectorAll("#scenario-list iframe")) {
    if (!(f instanceof HTMLIFrameElement)) continue;
    if (f.contentWindow === event.source) f.style.height = `${Math.min(Number(event.data.height) || 0, 20000)}px`;
  }
});

$("snippet-resize").textContent = RESIZE_SNIPPET;

// ------------------------------------------------------------ scenarios

const list = $("scenario-list");
const scenarioTemplate = /** @type {HTMLTemplateElement} */ ($("scenario-template"));
/** @type {[HTMLIFrameElement, string][]} */
const scenarioFrames = [];
for (const [id, s] of Object.entries(SCENARIOS)) {
  const card = /** @type {HTMLElement} */ (/** @type {DocumentFragment} */ (scenarioTemplate.content.cloneNode(true)).firstElementChild);
  card.id = `scenario-${id}`;
  card.dataset.scenario = id;
  const q = (/** @type {string} */ sel) => /** @type {HTMLElement} */ (card.querySelector(sel));
  q(".scenario-id").textContent = `scenario="${id}"`;
  const f = /** @type {HTMLIFrameElement} */ (q("iframe"));
  f.title = `tokenlab scenario: ${s.title}`;
  scenarioFrames.push([f, id]);
  const el = q(".snippet-element");
  el.id = `snippet-scenario-${id}-element`;
  el.textContent = `<token-playground scenario="${id}"></token-playground>`;
  const fr = q(".snippet-iframe");
  fr.id = `snippet-scenario-${id}-iframe`;
  fr.textContent = `<iframe src="${embedURL({ scenario: id })}"\n  title="${attr(s.title)}" style="width: 100%; height: 40rem; border: 0"></iframe>`;
  const copies = card.querySelectorAll("tl-copy-button");
  copies[0].setAttribute("for", el.id);
  copies[1].setAttribute("for", fr.id);
  list.append(card);
}

// ---------------------------------------------------------------- share

$("snippet-share").textContent = `${HOST.href}#state=${encodeJSON({ v: 1, inspect: { token: "eyJ…" } }).slice(0, 24)}…`;

// ----------------------------------------------------------------- theme

/** Points every frame at the current theme (the fragment changes; no reload). */
function applyTheme() {
  const theme = embedTheme();
  demo.setAttribute("theme", theme);
  const src = embedURL({ ...frameParams, theme });
  if (frame.getAttribute("src") !== src) frame.src = src;
  $("snippet-iframe").textContent = frameSnippet();
  for (const [f, id] of scenarioFrames) {
    const s = embedURL({ scenario: id, theme });
    if (f.getAttribute("src") !== s) f.src = s;
  }
}

const toggle = document.querySelector("tl-theme-toggle");
toggle?.setAttribute("theme", document.documentElement.dataset.theme ?? "system");
document.addEventListener("tl-theme-change", () => queueMicrotask(applyTheme));
applyTheme();

// --------------------------------------------------------------- the API

$("snippet-import").textContent = `import { tokenlab } from "${HOST.href}tokenlab.js";\n\nawait tokenlab.ready; // the engine is running\nconsole.log(tokenlab.version);`;

/**
 * Runnable examples. Each shows its own source, so what you read is what
 * runs.
 * @type {{ name: string, desc: string, run: (tokenlab: import("./tokenlab.js").Tokenlab) => Promise<unknown> }[]}
 */
const EXAMPLES = [
  {
    name: "decode(token)",
    desc: "Header and payload, no key needed. Whitespace and a leading “Bearer ” are accepted.",
    run: async (tokenlab) => {
      const key = await tokenlab.generateKey({ alg: "ES256" });
      const { token } = await tokenlab.mint({ kind: "id_token", key });
      const { format, header, payload } = await tokenlab.decode(`Bearer ${token}`);
      return { format, header, payload };
    },
  },
  {
    name: "explain(token)",
    desc: "What kind of token it is and why, who it is for, every claim in plain words, and security findings.",
    run: async (tokenlab) => {
      const key = await tokenlab.generateKey({ alg: "EdDSA" });
      const { token } = await tokenlab.mint({ kind: "access_token", key, lifetime: 30 * 86400 });
      const { kind, signals, purpose, findings } = await tokenlab.explain(token);
      return { kind, signals, for: purpose?.for, findings: findings.map((f) => `${f.severity}: ${f.message}`) };
    },
  },
  {
    name: "generateKey(opts) and mint(opts)",
    desc: "Play the identity provider: a key pair, then an ID token signed with it. Claims merge over realistic defaults; null removes one.",
    run: async (tokenlab) => {
      const key = await tokenlab.generateKey({ alg: "ES256" });
      const { token, payload } = await tokenlab.mint({
        kind: "id_token",
        key,
        claims: { iss: "https://login.example.com", aud: "my-app", name: "Alice" },
      });
      return { kid: key.kid, jwks: key.jwks, payload, token: token.slice(0, 40) + "…" };
    },
  },
  {
    name: "verify(token, opts)",
    desc: "Every rule applied, in order, with its status: pass, fail, warn, or skip (not compared). verdict is valid, incomplete (nothing failed, but the issuer or audience was not compared) or invalid. Here the clock is moved two hours ahead, so exp fails.",
    run: async (tokenlab) => {
      const key = await tokenlab.generateKey({ alg: "ES256" });
      const { token } = await tokenlab.mint({ kind: "access_token", key, claims: { iss: "https://login.example.com", aud: "https://api.example.com" } });
      const later = Math.floor(Date.now() / 1000) + 2 * 3600;
      const { verdict, summary, checks } = await tokenlab.verify(token, { key: key.publicJwk, issuer: "https://login.example.com", audience: "https://api.example.com", now: later });
      const mark = { pass: "✓", fail: "✗", warn: "⚠", skip: "–" };
      return { verdict, summary, checks: checks.map((c) => `${mark[c.status]} ${c.id}: ${c.message}`) };
    },
  },
  {
    name: "importKey(input)",
    desc: "A JWK, JWKS, PEM (PKCS #1, PKCS #8, SPKI, certificate) or an HMAC secret, in any of its forms.",
    run: async (tokenlab) => {
      const { publicPem } = await tokenlab.generateKey({ alg: "RS256" });
      const key = await tokenlab.importKey(publicPem);
      return { alg: key.alg, kid: key.kid, publicJwk: key.publicJwk };
    },
  },
  {
    name: "Errors",
    desc: "A failed call rejects with a stable code and a message that says what to try.",
    run: async (tokenlab) => {
      return tokenlab.decode("not.a.token").then(
        () => "decoded?!",
        (err) => ({ code: err.code, message: err.message }),
      );
    },
  },
];

/** The body of an example function, dedented. @param {Function} fn */
function source(fn) {
  const text = fn.toString();
  const body = text.slice(text.indexOf("{") + 1, text.lastIndexOf("}")).replace(/^\n+|\s+$/g, "");
  const indent = Math.min(...body.split("\n").filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return body.split("\n").map((l) => l.slice(indent)).join("\n");
}

const apiList = $("api-list");
const apiTemplate = /** @type {HTMLTemplateElement} */ ($("api-template"));
EXAMPLES.forEach((ex, i) => {
  const card = /** @type {HTMLElement} */ (/** @type {DocumentFragment} */ (apiTemplate.content.cloneNode(true)).firstElementChild);
  const q = (/** @type {string} */ sel) => /** @type {HTMLElement} */ (card.querySelector(sel));
  q(".api-name").textContent = ex.name;
  q(".api-desc").textContent = ex.desc;
  const code = q(".api-code");
  code.id = `api-code-${i}`;
  code.textContent = source(ex.run);
  q("tl-copy-button").setAttribute("for", code.id);
  const out = q(".api-output");
  const button = /** @type {HTMLButtonElement} */ (q(".api-run"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    out.hidden = false;
    out.textContent = "Running…";
    try {
      await tokenlab.ready;
      out.textContent = JSON.stringify(await ex.run(tokenlab), null, 2);
    } catch (err) {
      const e = /** @type {{ code?: string, message?: string }} */ (err);
      out.textContent = `${e?.code ?? "error"}: ${e?.message ?? err}`;
    } finally {
      button.disabled = false;
    }
  });
  apiList.append(card);
});

tokenlab.ready.then(() => { $("version").textContent = tokenlab.version; }, () => {});
