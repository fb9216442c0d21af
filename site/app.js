// @ts-check
/**
 * The playground's page controller: the one module that talks to the
 * engine. Elements render what it gives them and tell it what the user did
 * through tl- events; the page state lives in state.js.
 */
import { tokenlab } from "./tokenlab.js";
import { Store, randomNonce, publicOnly, canSign } from "./state.js";
import { discoveryUrl, fetchIssuerKeys } from "./issuer-keys.js";
import { KIND_NAMES } from "./elements/base.js";
import { TlTokenEditor } from "./elements/tl-token-editor.js";
import { TlTokenView } from "./elements/tl-token-view.js";
import { TlKindSummary } from "./elements/tl-kind-summary.js";
import { TlPurpose } from "./elements/tl-purpose.js";
import { TlClaimsTable } from "./elements/tl-claims-table.js";
import { TlFindings } from "./elements/tl-findings.js";
import { TlChecklist } from "./elements/tl-checklist.js";
import { TlCopyButton } from "./elements/tl-copy-button.js";
import { TlDownloadButton } from "./elements/tl-download-button.js";
import { TlTabs } from "./elements/tl-tabs.js";
import { TlThemeToggle } from "./elements/tl-theme-toggle.js";
import { TlTokenCard } from "./elements/tl-token-card.js";
import { TlCompare } from "./elements/tl-compare.js";
import { TlGuideTable } from "./elements/tl-guide-table.js";
import { initShare } from "./share.js"; // share links: restore #state=…, wire <tl-share>

TlTokenEditor.define("tl-token-editor");
TlTokenView.define("tl-token-view");
TlKindSummary.define("tl-kind-summary");
TlPurpose.define("tl-purpose");
TlClaimsTable.define("tl-claims-table");
TlFindings.define("tl-findings");
TlChecklist.define("tl-checklist");
TlCopyButton.define("tl-copy-button");
TlDownloadButton.define("tl-download-button");
TlTabs.define("tl-tabs");
TlThemeToggle.define("tl-theme-toggle");
TlTokenCard.define("tl-token-card");
TlCompare.define("tl-compare");
TlGuideTable.define("tl-guide-table");

/** @typedef {import("./state.js").Key} Key */

const store = new Store();
initShare(store); // before the first render below

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @returns {T}
 */
function $(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`tokenlab page: #${id} is missing`);
  return /** @type {T} */ (el);
}

/** @param {string} id @returns {HTMLInputElement} */
const input = (id) => $(id);

/**
 * Shows or hides an error paragraph.
 * @param {string} id
 * @param {string} [message]
 */
function showError(id, message) {
  const el = $(id);
  el.textContent = message ?? "";
  el.hidden = !message;
}

/** @param {unknown} err */
function messageOf(err) {
  if (err && typeof err === "object" && "message" in err) return String(/** @type {any} */ (err).message);
  return String(err);
}

/** @param {string} id */
function scrollToSection(id) {
  const reduce = matchMedia("(prefers-reduced-motion: reduce)").matches;
  $(id).scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "start" });
}

// ---------------------------------------------------------------- engine

const status = $("engine-status");
tokenlab.ready.then(
  () => {
    status.dataset.state = "ready";
    status.textContent = "Engine ready";
    $("version").textContent = tokenlab.version;
    warmUp();
  },
  (err) => {
    status.dataset.state = "failed";
    status.textContent = messageOf(err);
  },
);

/**
 * Runs decode, explain and verify once on a throwaway token so that the
 * engine's code for them is compiled before the user's first paste (the
 * first call into a fresh WebAssembly module is many times slower).
 */
function warmUp() {
  const b64 = (/** @type {object} */ o) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  const sample = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ iss: "https://warm-up.invalid", sub: "warm-up", aud: "warm-up", exp: 1, nonce: "n" })}.c2ln`;
  const quiet = () => {};
  tokenlab.decode(sample).catch(quiet);
  tokenlab.explain(sample).catch(quiet);
  tokenlab.verify(sample, { key: "warm-up secret" }).catch(quiet);
}

// ----------------------------------------------------------------- theme

const themeToggle = /** @type {TlThemeToggle} */ (document.querySelector("tl-theme-toggle"));
themeToggle.setAttribute("theme", store.state.theme);
document.addEventListener("tl-theme-change", (e) => {
  store.set("theme", /** @type {CustomEvent} */ (e).detail.theme);
});

// --------------------------------------------------------------- inspect

const editor = /** @type {TlTokenEditor} */ ($("token-editor"));
const kindSummary = /** @type {TlKindSummary} */ ($("kind-summary"));
const findings = /** @type {TlFindings} */ ($("findings"));
const purpose = /** @type {TlPurpose} */ ($("purpose"));
const claimsHeader = /** @type {TlClaimsTable} */ ($("claims-header"));
const claimsPayload = /** @type {TlClaimsTable} */ ($("claims-payload"));
let inspectSeq = 0;
let inspected = "";

/** @param {string} text */
async function inspect(text) {
  const seq = ++inspectSeq;
  const token = text.trim();
  $("inspect-to-verify").toggleAttribute("disabled", !token);
  if (!token) {
    inspected = "";
    showError("token-error");
    $("inspect-empty").hidden = false;
    $("inspect-result").hidden = true;
    $("inspect-claims").hidden = true;
    purpose.hidden = true;
    $("inspect-status").textContent = "";
    return;
  }
  const [decoded, explained] = await Promise.allSettled([tokenlab.decode(token), tokenlab.explain(token)]);
  if (seq !== inspectSeq) return; // a newer paste won
  if (decoded.status === "rejected") {
    inspected = "";
    const message = messageOf(decoded.reason);
    showError("token-error", message);
    $("inspect-empty").hidden = true;
    $("inspect-result").hidden = false;
    $("inspect-claims").hidden = true;
    kindSummary.removeAttribute("format");
    kindSummary.explanation = null;
    purpose.purpose = null;
    purpose.hidden = true;
    findings.findings = [{ id: "malformed", severity: "error", message: "tokenlab cannot decode this. A JWT is three base64url parts separated by dots — header.payload.signature — or five for an encrypted JWE. Check that the whole token was copied.", ref: "RFC 7519 §7.2" }];
    $("inspect-status").textContent = `Cannot decode: ${message}`;
    return;
  }
  showError("token-error");
  const d = decoded.value;
  /** @type {any} */
  const e = explained.status === "fulfilled" ? explained.value : fallbackExplanation(d, explained.reason);
  inspected = token;
  $("inspect-empty").hidden = true;
  $("inspect-result").hidden = false;
  $("inspect-claims").hidden = false;
  kindSummary.setAttribute("format", d.format);
  kindSummary.explanation = e;
  findings.findings = [...(d.warnings ?? []).map((/** @type {string} */ w, /** @type {number} */ i) => ({ id: `decode-${i}`, severity: "warn", message: w })), ...(e.findings ?? [])];
  purpose.purpose = e.purpose ?? null;
  purpose.hidden = !e.purpose;
  $("jwe-box").hidden = d.format !== "JWE";
  $("jwe-status").textContent = "";
  $("jwe-inner").hidden = true;
  claimsHeader.claims = e.claims ?? [];
  claimsPayload.claims = e.claims ?? [];
  $("json-header").textContent = JSON.stringify(d.header, null, 2);
  $("json-payload").textContent = d.format === "JWE" ? "(encrypted: only the recipient's private key can read the payload)" : typeof d.payload === "string" ? d.payload : JSON.stringify(d.payload, null, 2);
  const counts = (e.findings ?? []).filter((/** @type {any} */ f) => f.severity !== "info").length;
  $("inspect-status").textContent = `${KIND_NAMES[e.kind] ?? "Token"} decoded: ${(e.claims ?? []).length} claims, ${counts} warnings.`;
}

/**
 * Claims from the decoded token alone, for when explain fails.
 * @param {any} d
 * @param {unknown} reason
 */
function fallbackExplanation(d, reason) {
  /** @type {any[]} */
  const claims = [];
  for (const [where, obj] of [["header", d.header], ["payload", d.payload]]) {
    if (obj && typeof obj === "object") for (const [name, value] of Object.entries(obj)) claims.push({ name, where, value, known: false, meaning: "" });
  }
  return { kind: "unknown", confidence: 0, signals: [`could not explain: ${messageOf(reason)}`], purpose: null, claims, findings: [] };
}

document.addEventListener("tl-token-change", (e) => {
  const target = /** @type {HTMLElement} */ (e.target);
  const { token } = /** @type {CustomEvent} */ (e).detail;
  if (target.id === "token-editor") {
    store.set("inspect", { token });
    inspect(token);
  } else if (target.id === "verify-editor") {
    store.set("verify", { token });
    updateFetchUrl();
    if (!$("verify-result").hidden) scheduleVerify();
  }
});

$("inspect-clear").addEventListener("click", () => {
  editor.value = "";
  input("token-input").focus();
});

$("inspect-to-verify").addEventListener("click", () => {
  useToken(inspected || editor.value.trim(), "verify");
});

$("inspect-example").addEventListener("click", async () => {
  const btn = /** @type {HTMLButtonElement} */ ($("inspect-example"));
  btn.disabled = true;
  try {
    await mintTokens("pair");
    renderMinted();
    const t = store.state.minted;
    if (t.id_token) editor.value = t.id_token;
    input("token-input").focus();
  } catch (err) {
    showError("token-error", messageOf(err));
  } finally {
    btn.disabled = false;
  }
});

/** The inner token of the last decrypted JWE. */
let innerToken = "";

$("jwe-decrypt").addEventListener("click", async () => {
  const key = store.state.key.value;
  const statusEl = $("jwe-status");
  if (!canSign(key)) {
    statusEl.textContent = "There is no private key to decrypt with: import the recipient's private key (JWK or PEM) in Keys.";
    return;
  }
  try {
    const r = await tokenlab.decrypt(inspected, { key });
    if (r.nested && Array.isArray(r.nested.parts)) {
      innerToken = r.nested.parts.join(".");
      statusEl.textContent = "Decrypted: it wraps a signed token.";
      $("jwe-inner").hidden = false;
    } else {
      statusEl.textContent = `Decrypted payload: ${r.payload !== undefined && r.payload !== null ? JSON.stringify(r.payload) : r.plaintext}`;
    }
    $("json-payload").textContent = r.payload !== undefined && r.payload !== null ? JSON.stringify(r.payload, null, 2) : r.plaintext;
  } catch (err) {
    statusEl.textContent = messageOf(err);
  }
});

$("jwe-inner").addEventListener("click", () => {
  if (innerToken) editor.value = innerToken;
  input("token-input").focus();
});

// ------------------------------------------------------------------ keys

const algSelect = /** @type {HTMLSelectElement} */ ($("keygen-alg"));
const bitsSelect = /** @type {HTMLSelectElement} */ ($("keygen-bits"));
/** @type {AbortController | null} */
let keygenAbort = null;

function syncBitsField() {
  $("keygen-bits-field").hidden = !/^(RS|PS)/.test(algSelect.value);
}
algSelect.addEventListener("change", syncBitsField);

$("keygen-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  if (keygenAbort) return;
  const alg = algSelect.value;
  const rsa = /^(RS|PS)/.test(alg);
  const bits = rsa ? Number(bitsSelect.value) : undefined;
  showError("keygen-error");
  keygenAbort = new AbortController();
  const button = /** @type {HTMLButtonElement} */ ($("keygen-button"));
  button.disabled = true;
  $("keygen-progress-text").textContent = rsa ? `Generating a ${bits}-bit RSA key… this can take a few seconds.` : `Generating an ${alg} key…`;
  // Show progress only when the work is slow enough to notice.
  const shown = setTimeout(() => { $("keygen-progress").hidden = false; }, rsa ? 0 : 150);
  try {
    const key = await tokenlab.generateKey(bits ? { alg, bits } : { alg }, { signal: keygenAbort.signal });
    setKey(key);
  } catch (err) {
    if (keygenAbort.signal.aborted) showError("keygen-error", "Cancelled: no key was generated.");
    else showError("keygen-error", messageOf(err));
  } finally {
    clearTimeout(shown);
    keygenAbort = null;
    button.disabled = false;
    $("keygen-progress").hidden = true;
  }
});

$("keygen-cancel").addEventListener("click", () => {
  keygenAbort?.abort(new DOMException("Key generation cancelled", "AbortError"));
  /** @type {HTMLButtonElement} */ ($("keygen-button")).focus();
});

$("import-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = input("import-input").value.trim();
  if (!text) {
    showError("import-error", "Paste a key first: a JWK, a JWKS, a PEM (public, private or certificate) or an HMAC secret.");
    return;
  }
  showError("import-error");
  try {
    setKey(await tokenlab.importKey(text));
    input("import-input").value = "";
  } catch (err) {
    showError("import-error", messageOf(err));
  }
});

/** @param {Key} key */
function setKey(key) {
  store.set("key", { value: key });
  renderKey();
  $("key-output").scrollIntoView({ block: "nearest" });
}

input("remember-private").addEventListener("change", () => {
  store.set("key", { remember: input("remember-private").checked });
});

function renderKey() {
  const key = store.state.key.value;
  input("remember-private").checked = store.state.key.remember;
  $("verify-key-current").textContent = key ? `The current key (${key.alg}${key.kid ? `, kid ${short(key.kid)}` : ""})` : "The current key (none yet: generate or import one above)";
  $("mint-key-note").textContent = canSign(key) ? `Signs with the current ${key?.alg} key.` : "No signing key yet: Mint generates an ES256 key for you.";
  if (!key) {
    $("key-output").hidden = true;
    return;
  }
  $("key-output").hidden = false;
  const symmetric = key.kty === "oct" || /^HS/.test(key.alg) || (!!key.secret && !key.publicJwk);
  $("key-explain-asym").hidden = symmetric;
  $("key-explain-sym").hidden = !symmetric;
  $("key-no-private").hidden = canSign(key);
  const roles = /^(RSA-OAEP|ECDH-ES)/.test(key.alg) ? KEY_ROLES.encryption : KEY_ROLES.signing;
  $("key-private-title").textContent = roles.privateTitle;
  $("key-private-text").textContent = roles.privateText;
  $("key-public-title").textContent = roles.publicTitle;
  $("key-public-text").textContent = roles.publicText;
  const facts = $("key-facts");
  facts.replaceChildren();
  /** @type {[string, string | undefined][]} */
  const rows = [
    ["Algorithm", key.alg],
    ["Type", describeKeyType(key)],
    ["Key ID (kid)", key.kid],
    ["Thumbprint", key.thumbprint],
  ];
  for (const [label, value] of rows) {
    if (!value) continue;
    const div = document.createElement("div");
    const dt = document.createElement("dt");
    dt.textContent = label;
    const dd = document.createElement("dd");
    dd.textContent = value;
    if (label !== "Type" && label !== "Algorithm") dd.className = "mono";
    div.append(dt, dd);
    facts.append(div);
  }
  /** @type {[string, string, unknown][]} */
  const formats = [
    ["public-jwk", "key-public-jwk", key.publicJwk],
    ["jwks", "key-jwks", key.jwks],
    ["public-pem", "key-public-pem", key.publicPem],
    ["private-jwk", "key-private-jwk", key.privateJwk],
    ["private-pem", "key-private-pem", key.privatePem],
    ["secret", "key-secret", key.secret],
  ];
  for (const [tab, pre, value] of formats) {
    $(`ktab-${tab}`).hidden = !value;
    $(pre).textContent = !value ? "" : typeof value === "string" ? value : JSON.stringify(value, null, 2);
  }
  $("key-tabs").setAttribute("selected", $("key-tabs").getAttribute("selected") ?? "ktab-public-jwk");
  /** @type {TlTabs} */ ($("key-tabs")).invalidate();
}

/** Who holds which half of a key pair, for signing and for encryption keys. */
const KEY_ROLES = {
  signing: {
    privateTitle: "Private key — the identity provider keeps it",
    privateText: "It signs tokens. It never leaves the provider: not in your app, not in your API, not in a repository.",
    publicTitle: "Public key — your API and app need it",
    publicText: "It only verifies. The provider publishes it as a JWKS at its jwks_uri; verifiers pick the key by kid.",
  },
  encryption: {
    privateTitle: "Private key — the recipient keeps it",
    privateText: "It decrypts tokens encrypted for the recipient (your app or API). Only the recipient holds it.",
    publicTitle: "Public key — the issuer needs it",
    publicText: "The issuer encrypts tokens with it so that only the recipient can read them. Publish it freely.",
  },
};

/** @param {Key} key */
function describeKeyType(key) {
  const jwk = key.publicJwk ?? key.privateJwk ?? {};
  const kty = key.kty ?? jwk.kty;
  if (kty === "EC") return `Elliptic curve ${jwk.crv ?? ""}`.trim();
  if (kty === "OKP") return `Edwards curve ${jwk.crv ?? ""}`.trim();
  if (kty === "RSA" && typeof jwk.n === "string") return `RSA ${Math.round((jwk.n.length * 6) / 1024) * 1024} bits`;
  if (kty === "oct") return "Shared secret (HMAC)";
  return kty ?? "";
}

/** @param {string} s */
function short(s) {
  return s.length > 14 ? `${s.slice(0, 12)}…` : s;
}

/** The key verifiers need: the public part when there is one. */
function verificationKey() {
  const key = store.state.key.value;
  if (!key) return null;
  if (key.publicJwk) return key.publicJwk;
  if (key.secret || key.privateJwk) return key;
  return null;
}

/** Returns a key that can sign, generating an ES256 key when there is none. */
async function signingKey() {
  const key = store.state.key.value;
  if (canSign(key)) return /** @type {Key} */ (key);
  const fresh = await tokenlab.generateKey({ alg: "ES256" });
  store.set("key", { value: fresh });
  renderKey();
  return fresh;
}

// ------------------------------------------------------------------ mint

/** The mint form's fields and their state names. */
const MINT_FIELDS = /** @type {const} */ ([
  ["mint-issuer", "issuer"],
  ["mint-subject", "subject"],
  ["mint-client", "clientId"],
  ["mint-api", "apiAudience"],
  ["mint-scope", "scope"],
  ["mint-nonce", "nonce"],
  ["mint-extra", "extra"],
  ["mint-preset", "preset"],
]);

function renderMintForm() {
  const m = store.state.mint;
  for (const [id, name] of MINT_FIELDS) input(id).value = String(m[name] ?? "");
  input("mint-lifetime").value = String(m.lifetime);
  for (const radio of document.querySelectorAll("input[name=mint-kind]")) {
    /** @type {HTMLInputElement} */ (radio).checked = /** @type {HTMLInputElement} */ (radio).value === m.kind;
  }
  $("sim-api-aud").textContent = m.apiAudience;
  $("sim-client-id").textContent = m.clientId;
}

$("mint-form").addEventListener("input", (e) => {
  const t = /** @type {HTMLInputElement} */ (e.target);
  const field = MINT_FIELDS.find(([id]) => id === t.id);
  if (field && field[1] !== "preset") store.set("mint", { [field[1]]: t.value });
  if (t.id === "mint-lifetime") store.set("mint", { lifetime: Number(t.value) });
  if (t.name === "mint-kind") store.set("mint", { kind: t.value });
  $("sim-api-aud").textContent = store.state.mint.apiAudience;
  $("sim-client-id").textContent = store.state.mint.clientId;
});

$("mint-new-nonce").addEventListener("click", () => {
  const nonce = randomNonce();
  input("mint-nonce").value = nonce;
  store.set("mint", { nonce });
});

/** The preset's own values fill the form, so what you see is what you mint. */
$("mint-preset").addEventListener("change", async () => {
  const preset = input("mint-preset").value;
  store.set("mint", { preset });
  if (!preset) {
    store.set("mint", { scopeClaim: "scope", clientIdClaim: "client_id" });
    return;
  }
  const probe = "tokenlab preset preview secret, never used to sign a real token";
  const [id, at] = await Promise.allSettled([
    tokenlab.mint({ kind: "id_token", key: probe, alg: "HS256", preset }),
    tokenlab.mint({ kind: "access_token", key: probe, alg: "HS256", preset }),
  ]);
  /** @type {Partial<import("./state.js").State["mint"]>} */
  const patch = { scopeClaim: "scope", clientIdClaim: "client_id" };
  /** @param {unknown} aud */
  const first = (aud) => (Array.isArray(aud) ? aud[0] : aud);
  if (id.status === "fulfilled") {
    const p = id.value.payload;
    if (typeof p.iss === "string") patch.issuer = p.iss;
    if (typeof p.sub === "string") patch.subject = p.sub;
    if (typeof first(p.aud) === "string") patch.clientId = first(p.aud);
  }
  if (at.status === "fulfilled") {
    const p = at.value.payload;
    if (typeof p.iss === "string") patch.issuer = p.iss;
    if (typeof first(p.aud) === "string") patch.apiAudience = first(p.aud);
    const scopeClaim = "scope" in p ? "scope" : "scp" in p ? "scp" : "scope";
    const scope = p[scopeClaim];
    patch.scopeClaim = scopeClaim;
    if (typeof scope === "string") patch.scope = scope;
    else if (Array.isArray(scope)) patch.scope = scope.join(" ");
    patch.clientIdClaim = "client_id" in p ? "client_id" : "azp" in p ? "azp" : "client_id";
  }
  store.set("mint", patch);
  renderMintForm();
});

$("mint-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const button = /** @type {HTMLButtonElement} */ ($("mint-button"));
  button.disabled = true;
  showError("mint-error");
  try {
    await mintTokens(store.state.mint.kind);
    renderMinted();
    $("mint-status").textContent = store.state.mint.kind === "pair" ? "Minted an ID token and an access token." : `Minted an ${KIND_NAMES[store.state.mint.kind] ?? "token"}.`;
  } catch (err) {
    showError("mint-error", messageOf(err));
  } finally {
    button.disabled = false;
  }
});

/**
 * Mints what the form asks for and stores the tokens.
 * @param {string} kind "pair", "id_token", "access_token" or "logout_token"
 */
async function mintTokens(kind) {
  const m = store.state.mint;
  /** @type {Record<string, unknown>} */
  let extra = {};
  if (m.extra.trim()) {
    try {
      extra = JSON.parse(m.extra);
    } catch (err) {
      throw new Error(`More claims must be a JSON object: ${messageOf(err)}`);
    }
    if (!extra || typeof extra !== "object" || Array.isArray(extra)) throw new Error("More claims must be a JSON object, like {\"email\": \"alice@example.com\"}.");
  }
  const key = await signingKey();
  const base = pick({ iss: m.issuer, sub: m.subject });
  const scopeClaim = m.scopeClaim || "scope";
  const clientIdClaim = m.clientIdClaim || "client_id";
  const common = { key, lifetime: m.lifetime, ...(m.preset ? { preset: m.preset } : {}) };
  /** @type {Record<string, string>} */
  const minted = {};
  if (kind === "pair" || kind === "access_token") {
    const at = await tokenlab.mint({ ...common, kind: "access_token", claims: { ...base, ...pick({ aud: m.apiAudience, [clientIdClaim]: m.clientId, [scopeClaim]: m.scope }), ...extra } });
    minted.access_token = at.token;
  }
  if (kind === "pair" || kind === "id_token") {
    const idt = await tokenlab.mint({ ...common, kind: "id_token", claims: { ...base, ...pick({ aud: m.clientId, nonce: m.nonce }), ...extra }, ...(minted.access_token ? { accessToken: minted.access_token } : {}) });
    minted.id_token = idt.token;
  }
  if (kind === "logout_token") {
    const lt = await tokenlab.mint({ ...common, kind: "logout_token", claims: { ...base, ...pick({ aud: m.clientId }), ...extra } });
    minted.logout_token = lt.token;
  }
  store.set("minted", minted);
  return minted;
}

/**
 * Drops empty values so the engine's defaults apply to them.
 * @param {Record<string, string>} obj
 */
function pick(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v.trim() !== "").map(([k, v]) => [k, v.trim()]));
}

const NOTES = /** @type {Record<string, string>} */ ({
  id_token: "for your app: who signed in",
  access_token: "for the API: what the app may do",
  logout_token: "for your app's back-channel logout endpoint",
});

async function renderMinted() {
  const minted = store.state.minted;
  const order = ["id_token", "access_token", "logout_token"].filter((k) => /** @type {any} */ (minted)[k]);
  $("mint-output").hidden = order.length === 0;
  const grid = $("minted");
  grid.replaceChildren(...order.map((kind) => {
    const card = /** @type {TlTokenCard} */ (document.createElement("tl-token-card"));
    card.className = `token-card kind-${kind}`;
    card.setAttribute("kind", kind);
    card.setAttribute("token", /** @type {any} */ (minted)[kind]);
    card.setAttribute("note", NOTES[kind] ?? "");
    return card;
  }));
  grid.classList.toggle("pair", order.length > 1);
  const compare = /** @type {TlCompare} */ ($("compare"));
  if (minted.id_token && minted.access_token) {
    try {
      const [id, at] = await Promise.all([tokenlab.decode(minted.id_token), tokenlab.decode(minted.access_token)]);
      compare.pair = { id, access: at };
    } catch {
      compare.pair = null;
    }
  } else {
    compare.pair = null;
  }
}

document.addEventListener("tl-use-token", (e) => {
  const { token, to } = /** @type {CustomEvent} */ (e).detail;
  useToken(token, to);
});

/**
 * Sends a token to the inspector or the verifier.
 * @param {string} token
 * @param {"inspect" | "verify"} to
 */
async function useToken(token, to) {
  if (to === "inspect") {
    editor.value = token;
    scrollToSection("inspect");
    input("token-input").focus({ preventScroll: true });
    return;
  }
  $("verify-result").hidden = true; // the old verdict is not about this token
  /** @type {TlTokenEditor} */ ($("verify-editor")).value = token;
  await fillExpectations(token);
  scrollToSection("verify");
  input("verify-token").focus({ preventScroll: true });
  runVerify();
}

// ---------------------------------------------------------------- verify

const VERIFY_FIELDS = /** @type {const} */ ([
  ["verify-issuer", "issuer"],
  ["verify-audience", "audience"],
  ["verify-nonce", "nonce"],
  ["verify-client", "clientId"],
  ["verify-kind", "kind"],
  ["verify-now", "now"],
  ["verify-key", "keyText"],
]);

function renderVerifyForm() {
  const v = store.state.verify;
  /** @type {TlTokenEditor} */ ($("verify-editor")).value = v.token;
  for (const [id, name] of VERIFY_FIELDS) input(id).value = String(v[name] ?? "");
  input("verify-leeway").value = String(v.leeway || 0);
  for (const radio of document.querySelectorAll("input[name=verify-key-source]")) {
    /** @type {HTMLInputElement} */ (radio).checked = /** @type {HTMLInputElement} */ (radio).value === v.keySource;
  }
  $("verify-key-paste").hidden = v.keySource !== "pasted";
  updateFetchUrl();
}

$("verify-form").addEventListener("input", (e) => {
  const t = /** @type {HTMLInputElement} */ (e.target);
  const field = VERIFY_FIELDS.find(([id]) => id === t.id);
  if (field) store.set("verify", { [field[1]]: t.value });
  if (t.id === "verify-leeway") store.set("verify", { leeway: Math.max(0, Number(t.value) || 0) });
  if (t.name === "verify-key-source") {
    store.set("verify", { keySource: /** @type {any} */ (t.value) });
    $("verify-key-paste").hidden = t.value !== "pasted";
  }
  if (t.id === "verify-issuer") updateFetchUrl();
  if (t.id !== "verify-token" && !$("verify-result").hidden) scheduleVerify();
});

/** @type {ReturnType<typeof setTimeout> | undefined} */
let verifyTimer;
function scheduleVerify() {
  clearTimeout(verifyTimer);
  verifyTimer = setTimeout(runVerify, 250);
}

$("verify-form").addEventListener("submit", (e) => {
  e.preventDefault();
  runVerify();
});

/** @param {number} seconds */
function shiftClock(seconds) {
  const el = input("verify-now");
  const base = el.value ? new Date(el.value).getTime() : Date.now();
  el.value = toLocalInput(new Date(base + seconds * 1000));
  store.set("verify", { now: el.value });
  if (!$("verify-result").hidden || store.state.verify.token) runVerify();
}
$("verify-plus-hour").addEventListener("click", () => shiftClock(3600));
$("verify-plus-day").addEventListener("click", () => shiftClock(86400));
$("verify-now-reset").addEventListener("click", () => {
  input("verify-now").value = "";
  store.set("verify", { now: "" });
  if (!$("verify-result").hidden) runVerify();
});

/** @param {Date} d a datetime-local value in the local time zone */
function toLocalInput(d) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

$("verify-fill").addEventListener("click", () => fillExpectations(store.state.verify.token, true));

/**
 * Fills the expected values for token from the mint form: the issuer, and
 * the audience and nonce its kind calls for.
 * @param {string} token
 * @param {boolean} [overwrite]
 */
async function fillExpectations(token, overwrite = true) {
  let kind = "auto";
  try {
    kind = (await tokenlab.explain(token.trim())).kind;
  } catch {
    // Not decodable: leave the fields; verify will say what is wrong.
  }
  const m = store.state.mint;
  const minted = store.state.minted;
  const isOurs = Object.values(minted).includes(token.trim());
  /** @type {Partial<import("./state.js").State["verify"]>} */
  const patch = { kind: ["id_token", "access_token", "logout_token"].includes(kind) ? kind : "auto" };
  if (isOurs || overwrite) {
    patch.issuer = m.issuer;
    patch.audience = kind === "access_token" ? m.apiAudience : m.clientId;
    patch.nonce = kind === "id_token" ? m.nonce : "";
    patch.clientId = kind === "id_token" || kind === "access_token" ? m.clientId : "";
    if (isOurs) patch.keySource = "generated";
  }
  store.set("verify", patch);
  renderVerifyForm();
}

let verifySeq = 0;
async function runVerify() {
  const seq = ++verifySeq;
  const v = store.state.verify;
  const token = v.token.trim();
  showError("verify-error");
  if (!token) {
    showError("verify-error", "Paste a token to verify, or mint one and press its Verify button.");
    $("verify-result").hidden = true;
    return;
  }
  let key = null;
  if (v.keySource === "pasted") {
    key = v.keyText.trim() || null;
    if (!key) {
      showError("verify-error", "Paste the key to verify with (a JWK, JWKS, PEM, certificate or secret), or choose the current key.");
      return;
    }
  } else {
    key = verificationKey();
    if (!key) {
      showError("verify-error", store.state.key.value ? "The current key has no usable verification material (the secret was not saved). Generate or import a key, or paste one." : "There is no current key yet: generate or import one in Keys, paste one here, or fetch the issuer's keys.");
      return;
    }
  }
  /** @type {Record<string, unknown>} */
  const opts = { key, kind: v.kind || "auto", leeway: v.leeway || 0 };
  for (const [name, value] of /** @type {[string, string][]} */ ([["issuer", v.issuer], ["audience", v.audience], ["nonce", v.nonce], ["clientId", v.clientId]])) {
    if (value.trim()) opts[name] = value.trim();
  }
  if (v.now) {
    const t = new Date(v.now).getTime();
    if (!Number.isNaN(t)) opts.now = Math.floor(t / 1000);
  }
  const minted = store.state.minted;
  if (token === minted.id_token && minted.access_token) opts.accessToken = minted.access_token;
  try {
    const r = await tokenlab.verify(token, opts);
    if (seq !== verifySeq) return;
    renderVerdict(r);
  } catch (err) {
    if (seq !== verifySeq) return;
    showError("verify-error", messageOf(err));
    $("verify-result").hidden = true;
  }
}

/** @param {{valid: boolean, kind: string, checks: {id: string, ok: boolean}[]}} r */
function renderVerdict(r) {
  const failed = r.checks.filter((c) => !c.ok);
  const verdict = $("verdict");
  const name = KIND_NAMES[r.kind] ?? "Token";
  verdict.className = `verdict ${r.valid ? "ok" : "fail"}`;
  verdict.textContent = r.valid
    ? `✓ Valid ${name.toLowerCase().replace("id token", "ID token")}: all ${r.checks.length} checks passed.`
    : `✗ Not valid: ${failed.length} of ${r.checks.length} checks failed (${failed.map((c) => c.id).join(", ")}).`;
  /** @type {TlChecklist} */ ($("checklist")).checks = r.checks;
  $("verify-result").hidden = false;
}

// Fetch keys from the issuer: only on a click, and only the issuer's URLs.

function fetchIssuer() {
  const v = store.state.verify;
  if (v.issuer.trim()) return v.issuer.trim();
  const token = v.token.trim();
  try {
    const body = token.replace(/^bearer\s+/i, "").split(".")[1] ?? "";
    const json = JSON.parse(atob(body.replace(/-/g, "+").replace(/_/g, "/")));
    return typeof json.iss === "string" ? json.iss : "";
  } catch {
    return "";
  }
}

function updateFetchUrl() {
  const issuer = fetchIssuer();
  const el = $("fetch-url");
  const button = /** @type {HTMLButtonElement} */ ($("fetch-keys"));
  try {
    el.textContent = issuer ? discoveryUrl(issuer) : "the discovery document of the issuer (enter an issuer, or a token with iss)";
    button.disabled = !issuer;
  } catch (err) {
    el.textContent = messageOf(err);
    button.disabled = true;
  }
}

$("fetch-keys").addEventListener("click", async () => {
  const issuer = fetchIssuer();
  const statusEl = $("fetch-status");
  if (!issuer) return;
  statusEl.textContent = `Requesting ${discoveryUrl(issuer)}…`;
  try {
    const { jwksUri, jwks, issuerMatches } = await fetchIssuerKeys(issuer);
    store.set("verify", { keySource: "pasted", keyText: JSON.stringify(jwks, null, 2) });
    renderVerifyForm();
    statusEl.textContent = `Fetched ${jwks.keys.length} key${jwks.keys.length === 1 ? "" : "s"} from ${jwksUri}; verification picks one by kid.${issuerMatches ? "" : " Warning: the discovery document names a different issuer."}`;
  } catch (err) {
    statusEl.textContent = messageOf(err);
  }
});

// ----------------------------------------------------------------- guide

tokenlab.guide().then(
  (purposes) => { /** @type {TlGuideTable} */ ($("guide-table")).purposes = purposes; },
  () => {},
);

/** Makes sure a matching ID token and access token exist for the simulators. */
async function ensurePair() {
  const minted = store.state.minted;
  const key = store.state.key.value;
  if (minted.id_token && minted.access_token && canVerifyMinted(minted.id_token, key)) return minted;
  await mintTokens("pair");
  renderMinted();
  return store.state.minted;
}

/** Whether token was signed by the current key (same kid). @param {string} token @param {Key | null} key */
function canVerifyMinted(token, key) {
  if (!key) return false;
  try {
    const header = JSON.parse(atob(token.split(".")[0].replace(/-/g, "+").replace(/_/g, "/")));
    return !key.kid || header.kid === key.kid;
  } catch {
    return false;
  }
}

document.addEventListener("click", async (e) => {
  const btn = /** @type {HTMLElement} */ (e.target).closest?.("button[data-sim]");
  if (!(btn instanceof HTMLButtonElement)) return;
  const sim = btn.dataset.sim ?? "";
  const send = btn.dataset.send ?? "";
  const out = $(`sim-${sim}-result`);
  btn.disabled = true;
  try {
    const pair = await ensurePair();
    const token = /** @type {any} */ (pair)[send];
    const m = store.state.mint;
    const key = verificationKey();
    if (sim === "api") {
      const r = await tokenlab.verify(token, { key, issuer: m.issuer, audience: m.apiAudience, kind: "access_token" });
      renderSim(out, r.valid, r.valid
        ? `200 OK. The API accepted the access token: it is addressed to ${m.apiAudience}, typed at+jwt, signed by the issuer, and carries the scopes “${m.scope}”.`
        : `401 Unauthorized. ${send === "id_token" ? "An ID token tells your app who signed in; it is not a credential for calling APIs. " : ""}The API rejected it:`, r.checks);
    } else {
      const r = await tokenlab.verify(token, { key, issuer: m.issuer, audience: m.clientId, clientId: m.clientId, nonce: m.nonce, kind: "id_token", ...(send === "id_token" ? { accessToken: pair.access_token } : {}) });
      renderSim(out, r.valid, r.valid
        ? `Signed in as ${m.subject}. The app accepted the ID token: it is for this app (aud ${m.clientId}), its nonce matches the one the app sent, and at_hash binds it to the access token.`
        : send === "access_token"
          ? `Rejected, and the app should not read it at all. The access token is addressed to the API (${m.apiAudience}); its format is a private matter between the issuer and the API and may change or be encrypted at any time. To learn who signed in, the app reads the ID token; it just forwards the access token to the API. Checked as an ID token, it fails:`
          : "Rejected:", r.checks);
    }
  } catch (err) {
    renderSim(out, false, messageOf(err), []);
  } finally {
    btn.disabled = false;
  }
});

/**
 * @param {HTMLElement} out
 * @param {boolean} ok
 * @param {string} message
 * @param {{id: string, ok: boolean, message: string, ref?: string}[]} checks
 */
function renderSim(out, ok, message, checks) {
  const p = document.createElement("p");
  p.className = `verdict ${ok ? "ok" : "fail"}`;
  p.textContent = `${ok ? "✓" : "✗"} ${message}`;
  const parts = [p];
  const failed = checks.filter((c) => !c.ok);
  if (!ok && failed.length) {
    const list = /** @type {TlChecklist} */ (document.createElement("tl-checklist"));
    list.checks = failed;
    parts.push(list);
  }
  out.replaceChildren(...parts);
}

// ---------------------------------------------------------------- global

$("forget").addEventListener("click", () => {
  store.clear();
  location.reload();
});

addEventListener("pagehide", () => store.save());

// First render from the saved state.
syncBitsField();
renderKey();
renderMintForm();
renderVerifyForm();
renderMinted();
if (store.state.inspect.token) editor.value = store.state.inspect.token;
else inspect("");
