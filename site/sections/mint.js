// @ts-check
/**
 * Section 3, Mint: play the identity provider. The form's values (and an
 * identity provider's shape) become an ID token, an access token or a
 * logout token signed with the current key; the minted tokens show as cards
 * and, for a pair, side by side with why they differ.
 */
import { tokenlab } from "../tokenlab.js";
import { randomNonce } from "../state.js";
import { hasPrivateKey } from "../privacy.js";
import { kindTitle, withArticle } from "../guides.js";
import { $, field, button, showError, messageOf } from "../dom.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../state.js").State} State */
/** @typedef {import("../elements/tl-token-card.js").TlTokenCard} TlTokenCard */
/** @typedef {import("../elements/tl-compare.js").TlCompare} TlCompare */
/** @typedef {{ signingKey: () => Promise<import("../state.js").Key> }} Keys */

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

/** What each minted token is for, on its card. */
const NOTES = /** @type {Record<string, string>} */ ({
  id_token: "for your app: who signed in",
  access_token: "for the API: what the app may do",
  logout_token: "for your app's back-channel logout endpoint",
});

/**
 * Drops empty values so the engine's defaults apply to them.
 * @param {Record<string, string>} obj
 */
function pick(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v.trim() !== "").map(([k, v]) => [k, v.trim()]));
}

/**
 * The extra claims the form asks for, as an object.
 * @param {string} text
 * @returns {Record<string, unknown>}
 */
function extraClaims(text) {
  if (!text.trim()) return {};
  let extra;
  try {
    extra = JSON.parse(text);
  } catch (err) {
    throw new Error(`More claims must be a JSON object: ${messageOf(err)}`);
  }
  if (!extra || typeof extra !== "object" || Array.isArray(extra)) throw new Error("More claims must be a JSON object, like {\"email\": \"alice@example.com\"}.");
  return extra;
}

/**
 * Wires the Mint section.
 * @param {{ store: Store, keys: Keys }} deps
 */
export function init({ store, keys }) {
  $("mint-form").addEventListener("input", (e) => {
    const t = /** @type {HTMLInputElement} */ (e.target);
    const f = MINT_FIELDS.find(([id]) => id === t.id);
    if (f && f[1] !== "preset") store.set("mint", { [f[1]]: t.value });
    if (t.id === "mint-lifetime") store.set("mint", { lifetime: Number(t.value) });
    if (t.name === "mint-kind") store.set("mint", { kind: t.value });
    renderAudiences();
  });

  $("mint-new-nonce").addEventListener("click", () => {
    const nonce = randomNonce();
    field("mint-nonce").value = nonce;
    store.set("mint", { nonce });
  });

  // The preset's own values fill the form, so what you see is what you mint.
  $("mint-preset").addEventListener("change", async () => {
    const preset = field("mint-preset").value;
    store.set("mint", { preset });
    store.set("mint", preset ? await presetValues(preset) : { scopeClaim: "scope", clientIdClaim: "client_id" });
    renderForm();
  });

  $("mint-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    button("mint-button").disabled = true;
    showError("mint-error");
    try {
      const kind = store.state.mint.kind;
      await mintTokens(kind);
      $("mint-status").textContent = kind === "pair" ? "Minted an ID token and an access token." : `Minted ${withArticle(await kindTitle(kind))}.`;
    } catch (err) {
      showError("mint-error", messageOf(err));
    } finally {
      button("mint-button").disabled = false;
    }
  });

  store.addEventListener("change", (e) => {
    if (["key", "*"].includes(/** @type {CustomEvent} */ (e).detail.section)) renderKeyNote();
  });

  /**
   * What a preset mints, learnt by minting with it: the form shows the
   * vendor's issuer, audiences, scope claim and client id claim.
   * @param {string} preset
   * @returns {Promise<Partial<State["mint"]>>}
   */
  async function presetValues(preset) {
    const probe = "tokenlab preset preview secret, never used to sign a real token";
    const [id, at] = await Promise.allSettled([
      tokenlab.mint({ kind: "id_token", key: probe, alg: "HS256", preset }),
      tokenlab.mint({ kind: "access_token", key: probe, alg: "HS256", preset }),
    ]);
    /** @type {Partial<State["mint"]>} */
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
    return patch;
  }

  /**
   * Mints what the form asks for, stores the tokens and shows them.
   * @param {string} kind "pair", "id_token", "access_token" or "logout_token"
   */
  async function mintTokens(kind) {
    const m = store.state.mint;
    const extra = extraClaims(m.extra);
    const key = await keys.signingKey();
    const base = pick({ iss: m.issuer, sub: m.subject });
    const common = { key, lifetime: m.lifetime, ...(m.preset ? { preset: m.preset } : {}) };
    /** @type {Record<string, string>} */
    const minted = {};
    if (kind === "pair" || kind === "access_token") {
      const claims = { ...base, ...pick({ aud: m.apiAudience, [m.clientIdClaim || "client_id"]: m.clientId, [m.scopeClaim || "scope"]: m.scope }), ...extra };
      minted.access_token = (await tokenlab.mint({ ...common, kind: "access_token", claims })).token;
    }
    if (kind === "pair" || kind === "id_token") {
      const claims = { ...base, ...pick({ aud: m.clientId, nonce: m.nonce }), ...extra };
      minted.id_token = (await tokenlab.mint({ ...common, kind: "id_token", claims, ...(minted.access_token ? { accessToken: minted.access_token } : {}) })).token;
    }
    if (kind === "logout_token") {
      const claims = { ...base, ...pick({ aud: m.clientId }), ...extra };
      minted.logout_token = (await tokenlab.mint({ ...common, kind: "logout_token", claims })).token;
    }
    store.set("minted", minted);
    renderMinted();
    return store.state.minted;
  }

  function renderForm() {
    const m = store.state.mint;
    for (const [id, name] of MINT_FIELDS) field(id).value = String(m[name] ?? "");
    field("mint-lifetime").value = String(m.lifetime);
    for (const radio of document.querySelectorAll("input[name=mint-kind]")) {
      /** @type {HTMLInputElement} */ (radio).checked = /** @type {HTMLInputElement} */ (radio).value === m.kind;
    }
    renderAudiences();
  }

  /** The simulators name the audiences of the form. */
  function renderAudiences() {
    $("sim-api-aud").textContent = store.state.mint.apiAudience;
    $("sim-client-id").textContent = store.state.mint.clientId;
  }

  function renderKeyNote() {
    const key = store.state.key.value;
    $("mint-key-note").textContent = key && hasPrivateKey(key) ? `Signs with the current ${key.alg} key.` : "No signing key yet: Mint generates an ES256 key for you.";
  }

  async function renderMinted() {
    const minted = /** @type {Record<string, string>} */ (store.state.minted);
    const order = ["id_token", "access_token", "logout_token"].filter((k) => minted[k]);
    const titles = await Promise.all(order.map((k) => kindTitle(k)));
    $("mint-output").hidden = order.length === 0;
    const grid = $("minted");
    grid.replaceChildren(...order.map((kind, i) => {
      const card = /** @type {TlTokenCard} */ (document.createElement("tl-token-card"));
      card.className = `token-card kind-${kind}`;
      card.kind = kind;
      card.heading = titles[i];
      card.token = minted[kind];
      card.note = NOTES[kind] ?? "";
      return card;
    }));
    grid.classList.toggle("pair", order.length > 1);
    const compare = /** @type {TlCompare} */ ($("compare"));
    if (!minted.id_token || !minted.access_token) {
      compare.pair = null;
      return;
    }
    try {
      const [id, access] = await Promise.all([tokenlab.decode(minted.id_token), tokenlab.decode(minted.access_token)]);
      compare.pair = { id, access };
    } catch {
      compare.pair = null; // tokens that do not decode have nothing to compare
    }
  }

  function render() {
    renderForm();
    renderKeyNote();
    renderMinted();
  }

  return { render, mintTokens };
}
