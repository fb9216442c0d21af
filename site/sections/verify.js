// @ts-check
/**
 * Section 4, Verify: a token checked with a key (the current one, a pasted
 * one, or the issuer's, fetched on request) against the expected values
 * and a clock the user can move; every check shown in order.
 */
import { tokenlab } from "../tokenlab.js";
import { discoveryUrl, fetchIssuerKeys } from "../issuer-keys.js";
import { kindTitle } from "../guides.js";
import { $, field, button, showError, messageOf, scrollToSection } from "../dom.js";
import { short } from "./keys.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../state.js").State} State */
/** @typedef {import("../elements/tl-token-editor.js").TlTokenEditor} TlTokenEditor */
/** @typedef {import("../elements/tl-checklist.js").TlChecklist} TlChecklist */
/** @typedef {{ verificationKey: () => unknown }} Keys */

/** The verify form's text fields and their state names. */
const VERIFY_FIELDS = /** @type {const} */ ([
  ["verify-issuer", "issuer"],
  ["verify-audience", "audience"],
  ["verify-nonce", "nonce"],
  ["verify-client", "clientId"],
  ["verify-kind", "kind"],
  ["verify-now", "now"],
  ["verify-key", "keyText"],
]);

/** @param {Date} d a datetime-local value in the local time zone */
function toLocalInput(d) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * Wires the Verify section.
 * @param {{ store: Store, keys: Keys }} deps
 */
export function init({ store, keys }) {
  const editor = /** @type {TlTokenEditor} */ ($("verify-editor"));
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let seq = 0;
  /** The iss of the token to verify, as the engine decodes it ("" when none). */
  let tokenIssuer = "";
  let issuerSeq = 0;

  const resultShown = () => !$("verify-result").hidden;

  editor.addEventListener("tl-token-change", (e) => {
    store.set("verify", { token: /** @type {CustomEvent} */ (e).detail.token });
    readTokenIssuer();
    if (resultShown()) schedule();
  });

  $("verify-form").addEventListener("input", (e) => {
    const t = /** @type {HTMLInputElement} */ (e.target);
    const f = VERIFY_FIELDS.find(([id]) => id === t.id);
    if (f) store.set("verify", { [f[1]]: t.value });
    if (t.id === "verify-leeway") store.set("verify", { leeway: Math.max(0, Number(t.value) || 0) });
    if (t.name === "verify-key-source") {
      store.set("verify", { keySource: /** @type {"generated" | "pasted"} */ (t.value) });
      $("verify-key-paste").hidden = t.value !== "pasted";
    }
    if (t.id === "verify-issuer") updateFetchUrl();
    if (t.id !== "verify-token" && resultShown()) schedule();
  });

  $("verify-form").addEventListener("submit", (e) => {
    e.preventDefault();
    run();
  });

  $("verify-plus-hour").addEventListener("click", () => shiftClock(3600));
  $("verify-plus-day").addEventListener("click", () => shiftClock(86400));
  $("verify-now-reset").addEventListener("click", () => {
    field("verify-now").value = "";
    store.set("verify", { now: "" });
    if (resultShown()) run();
  });

  $("verify-fill").addEventListener("click", () => fillExpectations(store.state.verify.token, true));

  $("fetch-keys").addEventListener("click", async () => {
    const issuer = fetchIssuer();
    const status = $("fetch-status");
    if (!issuer) return;
    status.textContent = `Requesting ${discoveryUrl(issuer)}…`;
    try {
      const { jwksUri, jwks, issuerMatches } = await fetchIssuerKeys(issuer);
      store.set("verify", { keySource: "pasted", keyText: JSON.stringify(jwks, null, 2) });
      render();
      status.textContent = `Fetched ${jwks.keys.length} key${jwks.keys.length === 1 ? "" : "s"} from ${jwksUri}; verification picks one by kid.${issuerMatches ? "" : " Warning: the discovery document names a different issuer."}`;
    } catch (err) {
      status.textContent = messageOf(err);
    }
  });

  store.addEventListener("change", (e) => {
    if (["key", "*"].includes(/** @type {CustomEvent} */ (e).detail.section)) renderKeyChoice();
  });

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  }

  /** @param {number} seconds */
  function shiftClock(seconds) {
    const el = field("verify-now");
    const base = el.value ? new Date(el.value).getTime() : Date.now();
    el.value = toLocalInput(new Date(base + seconds * 1000));
    store.set("verify", { now: el.value });
    if (resultShown() || store.state.verify.token) run();
  }

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
    const isOurs = Object.values(store.state.minted).includes(token.trim());
    /** @type {Partial<State["verify"]>} */
    const patch = { kind: ["id_token", "access_token", "logout_token"].includes(kind) ? kind : "auto" };
    if (isOurs || overwrite) {
      patch.issuer = m.issuer;
      patch.audience = kind === "access_token" ? m.apiAudience : m.clientId;
      patch.nonce = kind === "id_token" ? m.nonce : "";
      patch.clientId = kind === "id_token" || kind === "access_token" ? m.clientId : "";
      if (isOurs) patch.keySource = "generated";
    }
    store.set("verify", patch);
    render();
  }

  /** The key verify uses, or undefined after saying why there is none. */
  function chosenKey() {
    const v = store.state.verify;
    if (v.keySource === "pasted") {
      const key = v.keyText.trim();
      if (!key) showError("verify-error", "Paste the key to verify with (a JWK, JWKS, PEM, certificate or secret), or choose the current key.");
      return key || undefined;
    }
    const key = keys.verificationKey();
    if (!key) showError("verify-error", store.state.key.value ? "The current key has no usable verification material (the secret was not saved). Generate or import a key, or paste one." : "There is no current key yet: generate or import one in Keys, paste one here, or fetch the issuer's keys.");
    return key ?? undefined;
  }

  async function run() {
    const mine = ++seq;
    const v = store.state.verify;
    const token = v.token.trim();
    showError("verify-error");
    if (!token) {
      showError("verify-error", "Paste a token to verify, or mint one and press its Verify button.");
      $("verify-result").hidden = true;
      return;
    }
    const key = chosenKey();
    if (key === undefined) return;
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
      const name = await kindTitle(r.kind);
      if (mine === seq) renderVerdict(r, name);
    } catch (err) {
      if (mine !== seq) return;
      showError("verify-error", messageOf(err));
      $("verify-result").hidden = true;
    }
  }

  /**
   * @param {{valid: boolean, kind: string, checks: {id: string, ok: boolean, message: string, ref?: string}[]}} r
   * @param {string} name the title of its kind (guide())
   */
  function renderVerdict(r, name) {
    const failed = r.checks.filter((c) => !c.ok);
    const verdict = $("verdict");
    verdict.className = `verdict ${r.valid ? "ok" : "fail"}`;
    verdict.textContent = r.valid
      ? `✓ Valid ${name.toLowerCase().replace("id token", "ID token")}: all ${r.checks.length} checks passed.`
      : `✗ Not valid: ${failed.length} of ${r.checks.length} checks failed (${failed.map((c) => c.id).join(", ")}).`;
    /** @type {TlChecklist} */ ($("checklist")).checks = r.checks;
    $("verify-result").hidden = false;
  }

  // Fetch keys from the issuer: only on a click, and only the issuer's URLs.

  /** The issuer whose keys "Fetch keys" asks for: the expected one, else the token's. */
  function fetchIssuer() {
    return store.state.verify.issuer.trim() || tokenIssuer;
  }

  /** Asks the engine for the iss of the token to verify. */
  async function readTokenIssuer() {
    const mine = ++issuerSeq;
    const token = store.state.verify.token.trim();
    let iss = "";
    try {
      const d = token ? await tokenlab.decode(token) : null;
      if (typeof d?.payload?.iss === "string") iss = d.payload.iss;
    } catch {
      // Not decodable: there is no issuer to offer.
    }
    if (mine !== issuerSeq) return;
    tokenIssuer = iss;
    updateFetchUrl();
  }

  function updateFetchUrl() {
    const issuer = fetchIssuer();
    const el = $("fetch-url");
    try {
      el.textContent = issuer ? discoveryUrl(issuer) : "the discovery document of the issuer (enter an issuer, or a token with iss)";
      button("fetch-keys").disabled = !issuer;
    } catch (err) {
      el.textContent = messageOf(err);
      button("fetch-keys").disabled = true;
    }
  }

  function renderKeyChoice() {
    const key = store.state.key.value;
    $("verify-key-current").textContent = key ? `The current key (${key.alg}${key.kid ? `, kid ${short(key.kid)}` : ""})` : "The current key (none yet: generate or import one above)";
  }

  function render() {
    const v = store.state.verify;
    editor.value = v.token;
    for (const [id, name] of VERIFY_FIELDS) field(id).value = String(v[name] ?? "");
    field("verify-leeway").value = String(v.leeway || 0);
    for (const radio of document.querySelectorAll("input[name=verify-key-source]")) {
      /** @type {HTMLInputElement} */ (radio).checked = /** @type {HTMLInputElement} */ (radio).value === v.keySource;
    }
    $("verify-key-paste").hidden = v.keySource !== "pasted";
    renderKeyChoice();
    updateFetchUrl();
    readTokenIssuer();
  }

  /**
   * Verifies token: fills the expectations the mint form implies, brings
   * the section into view and shows the verdict.
   * @param {string} token
   */
  async function show(token) {
    $("verify-result").hidden = true; // the old verdict is not about this token
    store.set("verify", { token });
    editor.value = token;
    await fillExpectations(token);
    scrollToSection("verify");
    field("verify-token").focus({ preventScroll: true });
    run();
  }

  return { render, show };
}
