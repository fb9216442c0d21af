// @ts-check
/**
 * Section 3, Mint: play the identity provider. The form's values and an
 * identity provider's shape (tokenlab.presets(): each vendor's header and
 * claims as its documentation shows them, with the page it follows) become
 * an ID token, an access token or a logout token signed with the current
 * key; the minted tokens show as cards and, for a pair, side by side with
 * why they differ. Choosing a shape fills the form from the preset's data
 * — nothing is minted to learn it — and names its source and, for a
 * vendor's access token, how it departs from RFC 9068. Below it, the
 * SD-JWT issuer and holder (mint-sd-jwt.js) and the DPoP form
 * (mint-dpop.js) sign with the same current key.
 */
import { tokenlab } from "../tokenlab.js";
import { randomNonce } from "../state.js";
import { hasPrivateKey } from "../privacy.js";
import { kindTitle, withArticle } from "../guides.js";
import { h, refLink } from "../elements/base.js";
import { $, field, button, showError, messageOf } from "../dom.js";
import * as sdJwtForm from "./mint-sd-jwt.js";
import * as dpopForm from "./mint-dpop.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../state.js").State} State */
/** @typedef {import("../elements/tl-token-card.js").TlTokenCard} TlTokenCard */
/** @typedef {import("../elements/tl-compare.js").TlCompare} TlCompare */
/** @typedef {{ signingKey: () => Promise<import("../state.js").Key> }} Keys */
/** @typedef {import("../tokenlab.js").Presets} Presets */
/** @typedef {Presets["presets"][number]} Preset */

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

/** The preset the engine mints when none is named; the form's "" option. */
const STANDARD = "standard";

/** The kinds each "What to mint" choice mints. */
const CHOICES = /** @type {Record<string, string[]>} */ ({
  pair: ["id_token", "access_token"],
  id_token: ["id_token"],
  access_token: ["access_token"],
  logout_token: ["logout_token"],
});

/** What each minted token is for, on its card. */
const NOTES = /** @type {Record<string, string>} */ ({
  id_token: "for your app: who signed in",
  access_token: "for the API: what the app may do",
  logout_token: "for your app's back-channel logout endpoint",
});

/** The first of an aud that may be an array. @param {unknown} v */
const first = (v) => (Array.isArray(v) ? v[0] : v);

/** A template value the form can show: a string without placeholders. @param {unknown} v */
const plain = (v) => (typeof v === "string" && !v.includes("${") ? v : undefined);

/**
 * The form's values a preset implies, read from its templates: the
 * issuer, the user, the client (the ID token's aud), the API (the access
 * token's aud; none for Cognito, whose access tokens have none), the
 * scopes, and the names its access tokens give the scope and client
 * claims (Entra: scp and azp).
 * @param {Preset} preset
 * @returns {Partial<State["mint"]>}
 */
export function presetForm(preset) {
  /** @param {string} kind @returns {Record<string, unknown>} */
  const claims = (kind) => preset.kinds.find((k) => k.kind === kind)?.claims ?? {};
  const id = claims("id_token");
  const at = claims("access_token");
  const scopeClaim = "scope" in at ? "scope" : "scp" in at ? "scp" : "scope";
  const clientIdClaim = ["client_id", "azp", "cid", "appid"].find((c) => c in at) ?? "client_id";
  const scope = at[scopeClaim];
  return {
    issuer: plain(at.iss) ?? plain(id.iss) ?? "",
    subject: plain(id.sub) ?? plain(at.sub) ?? "",
    clientId: plain(first(id.aud)) ?? plain(at[clientIdClaim]) ?? "",
    apiAudience: plain(first(at.aud)) ?? "",
    scope: typeof scope === "string" ? scope : Array.isArray(scope) ? scope.join(" ") : "",
    scopeClaim,
    clientIdClaim,
  };
}

/**
 * The claims the form sets: each value the user typed that is not what the
 * preset already issues (so an unchanged form mints the preset exactly,
 * arrays and all), and none that is empty.
 * @param {[string, string, unknown][]} fields claim name, the form's value, the preset's value
 */
function changedClaims(fields) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [name, value, preset] of fields) {
    const v = value.trim();
    if (!v) continue;
    const shown = name === "aud" ? first(preset) : Array.isArray(preset) ? preset.join(" ") : preset;
    if (v === shown) continue;
    out[name] = Array.isArray(preset) && name !== "aud" ? v.split(/\s+/) : v;
  }
  return out;
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
  /** @type {Presets | null} */
  let presets = null;
  const sdJwt = sdJwtForm.init({ store, keys });
  const dpop = dpopForm.init({ store, keys });
  /** @type {import("../tokenlab.js").Defaults | null} */
  let engineDefaults = null;

  // The form starts from the engine's own defaults: the standard preset's
  // example identities and the lifetime.
  tokenlab.defaults().then((d) => {
    engineDefaults = d;
    const id = d.identities;
    store.seed("mint", { issuer: id.issuer, subject: id.subject, clientId: id.clientId, apiAudience: id.audience, scope: id.scope, lifetime: d.lifetime });
    renderForm();
    renderKeyNote();
  }, () => {}); // without the engine nothing can be minted; its failure shows in the header

  /** Every preset, from the engine once (asked again if it failed). */
  async function loadPresets() {
    presets ??= await tokenlab.presets();
    return presets;
  }

  /** The preset a form value names ("" is the standard one), or null. @param {string} name */
  async function presetNamed(name) {
    const all = await loadPresets();
    return all.presets.find((p) => p.name === (name || STANDARD)) ?? null;
  }

  loadPresets().then(
    (all) => {
      const select = /** @type {HTMLSelectElement} */ ($("mint-preset"));
      select.replaceChildren(...all.presets.map((p) => {
        const option = h("option", "", p.title);
        option.value = p.name === STANDARD ? "" : p.name;
        return option;
      }));
      select.value = store.state.mint.preset;
      renderPreset();
    },
    (err) => { $("mint-preset-info").replaceChildren(h("p", "error", `The identity provider shapes could not be loaded: ${messageOf(err)}`)); },
  );

  $("mint-form").addEventListener("input", (e) => {
    const t = /** @type {HTMLInputElement} */ (e.target);
    const f = MINT_FIELDS.find(([id]) => id === t.id);
    if (f && f[1] !== "preset") store.set("mint", { [f[1]]: t.value });
    if (t.id === "mint-lifetime") store.set("mint", { lifetime: Number(t.value) });
    if (t.name === "mint-kind") {
      store.set("mint", { kind: t.value });
      renderPreset();
    }
    renderAudiences();
  });

  $("mint-new-nonce").addEventListener("click", () => {
    const nonce = randomNonce();
    field("mint-nonce").value = nonce;
    store.set("mint", { nonce });
  });

  // The preset's own values fill the form, so what you see is what you mint.
  $("mint-preset").addEventListener("change", async () => {
    const name = field("mint-preset").value;
    store.set("mint", { preset: name });
    try {
      const preset = await presetNamed(name);
      if (preset) store.set("mint", presetForm(preset));
    } catch (err) {
      showError("mint-error", messageOf(err));
    }
    renderForm();
    renderPreset();
  });

  $("mint-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    button("mint-button").disabled = true;
    showError("mint-error");
    try {
      const kind = store.state.mint.kind;
      await mintTokens(kind);
      const titles = await Promise.all(CHOICES[kind].map((k) => kindTitle(k)));
      $("mint-status").textContent = `Minted ${titles.map(withArticle).join(" and ")}.`;
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
   * Mints what the form asks for, stores the tokens and shows them.
   * @param {string} kind "pair", "id_token", "access_token" or "logout_token"
   */
  async function mintTokens(kind) {
    const m = store.state.mint;
    const extra = extraClaims(m.extra);
    const key = await keys.signingKey();
    const preset = await presetNamed(m.preset).catch(() => null);
    /** @param {string} k @returns {Record<string, unknown>} */
    const own = (k) => preset?.kinds.find((x) => x.kind === k)?.claims ?? {};
    // A pair from a shape without JWT access tokens (Google's are opaque) is its ID token alone.
    const pairAccess = !preset || preset.kinds.some((x) => x.kind === "access_token");
    const common = { key, lifetime: m.lifetime, ...(m.preset ? { preset: m.preset } : {}) };
    /** @type {Record<string, string>} */
    const minted = {};
    if ((kind === "pair" && pairAccess) || kind === "access_token") {
      const at = own("access_token");
      const clientClaim = m.clientIdClaim || "client_id";
      const scopeClaim = m.scopeClaim || "scope";
      const claims = { ...changedClaims([["iss", m.issuer, at.iss], ["sub", m.subject, at.sub], ["aud", m.apiAudience, at.aud], [clientClaim, m.clientId, at[clientClaim]], [scopeClaim, m.scope, at[scopeClaim]]]), ...extra };
      minted.access_token = (await tokenlab.mint({ ...common, kind: "access_token", claims })).token;
    }
    if (kind === "pair" || kind === "id_token") {
      const id = own("id_token");
      const claims = { ...changedClaims([["iss", m.issuer, id.iss], ["sub", m.subject, id.sub], ["aud", m.clientId, id.aud], ["nonce", m.nonce, id.nonce]]), ...extra };
      minted.id_token = (await tokenlab.mint({ ...common, kind: "id_token", claims, ...(minted.access_token ? { accessToken: minted.access_token } : {}) })).token;
    }
    if (kind === "logout_token") {
      const lo = own("logout_token");
      const claims = { ...changedClaims([["iss", m.issuer, lo.iss], ["sub", m.subject, lo.sub], ["aud", m.clientId, lo.aud]]), ...extra };
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

  /**
   * What the chosen shape mints: the kinds it issues as JWTs (the others
   * are not offered, with the vendor's reason), the page each kind follows
   * and, for a vendor's access token, how it departs from RFC 9068.
   */
  async function renderPreset() {
    if (!presets) return;
    const preset = presets.presets.find((p) => p.name === (store.state.mint.preset || STANDARD));
    const info = $("mint-preset-info");
    if (!preset) {
      info.replaceChildren();
      return;
    }
    const issued = new Set(preset.kinds.map((k) => k.kind));
    /** @type {string[]} */
    const notIssued = [];
    for (const radio of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll("input[name=mint-kind]"))) {
      radio.disabled = !CHOICES[radio.value].every((k) => issued.has(k));
    }
    for (const [kind, why] of Object.entries(preset.notIssued)) {
      if (kind !== "jwt" && kind !== "refresh_token") notIssued.push(`${await kindTitle(kind)}: ${why}.`);
    }
    const note = $("mint-kind-note");
    note.textContent = notIssued.length ? `Not offered for this shape — ${notIssued.join(" ")}` : "";
    note.hidden = !notIssued.length;
    if (!CHOICES[store.state.mint.kind].every((k) => issued.has(k))) {
      const kind = Object.keys(CHOICES).find((c) => CHOICES[c].every((k) => issued.has(k))) ?? "id_token";
      store.set("mint", { kind });
      renderForm();
    }
    const parts = [];
    const lead = h("p", "preset-source");
    lead.append("Shapes as documented in ", refLink(preset.title, preset.url, "source-link"), ".");
    parts.push(lead);
    for (const kind of CHOICES[store.state.mint.kind]) {
      const shape = preset.kinds.find((k) => k.kind === kind);
      if (!shape) continue;
      const box = h("div", "preset-kind");
      box.dataset.kind = kind;
      const p = h("p");
      const typ = /** @type {any} */ (shape.header).typ;
      p.append(h("strong", "", await kindTitle(kind)), ` (${typeof typ === "string" ? `header typ ${typ}` : "no typ in the header"}): ${shape.note} `, refLink("Source", shape.source, "source-link"));
      box.append(p);
      if (shape.departures.length) {
        box.append(h("p", "departures-lead", "Not an RFC 9068 access token: it has the vendor's own format, as the vendor issues it. A verifier applying RFC 9068 warns where it departs:"));
        const ul = h("ul", "departures");
        for (const d of shape.departures) ul.append(h("li", "", d));
        box.append(ul);
      }
      parts.push(box);
    }
    info.replaceChildren(...parts);
  }

  /** The simulators name the audiences of the form. */
  function renderAudiences() {
    $("sim-api-aud").textContent = store.state.mint.apiAudience;
    $("sim-client-id").textContent = store.state.mint.clientId;
  }

  function renderKeyNote() {
    const key = store.state.key.value;
    $("mint-key-note").textContent = key && hasPrivateKey(key)
      ? `Signs with the current ${key.alg} key.`
      : `No signing key yet: Mint generates ${engineDefaults ? `an ${engineDefaults.key.alg} key` : "one"} for you.`;
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
    renderPreset();
    renderKeyNote();
    renderMinted();
    sdJwt.render();
    dpop.render();
  }

  return { render, mintTokens, dpopClientKey: dpop.clientKey };
}
