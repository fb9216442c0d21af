// @ts-check
/**
 * Section 4, Verify: a token checked with a key (the current one, a pasted
 * one, or the issuer's, fetched on request and bound to that issuer)
 * against the values the user expects and a clock the user can move; the
 * verdict in one of three states, then every check in order.
 *
 * The expected values are the user's. Nothing fills them in unasked: the
 * two actions that do ("Take iss and aud from the token", "Use the mint
 * form's values") mark what they filled, and values taken from the token
 * itself make the verdict say that comparing a token with itself proves
 * nothing.
 *
 * The form follows the kind (the one chosen, or for "Detect the kind" the
 * token's own): a DPoP proof (RFC 9449) is compared with the request it
 * came with (method, URL, access token, the server's nonce) and needs no
 * key; an SD-JWT (RFC 9901) can require key binding, and its audience and
 * nonce are the Key Binding JWT's. Elements with data-for="jwt sd-jwt
 * dpop" show only for those kinds of form.
 *
 * It is over 400 lines because the form serves every verify kind (JWS
 * kinds, SD-JWT, DPoP proof), each with its own fields, and the
 * issuer-pinned key fetch belongs with the form that asks for it.
 */
import { tokenlab } from "../tokenlab.js";
import { discoveryUrl, fetchIssuerKeys } from "../issuer-keys.js";
import { $, field, button, showError, messageOf, scrollToSection } from "../dom.js";
import { short } from "./keys.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../state.js").State} State */
/** @typedef {import("../elements/tl-token-editor.js").TlTokenEditor} TlTokenEditor */
/** @typedef {import("../elements/tl-verdict.js").TlVerdict} TlVerdict */
/** @typedef {{ verificationKey: () => unknown }} Keys */
/** @typedef {"" | "token" | "mint"} Origin where an expected value came from: "" is the user's own typing */
/** @typedef {{ issuer: string, jwksUri: string, jwks: { keys: unknown[] } }} FetchedKeys */

/** The verify form's text fields and their state names. */
const VERIFY_FIELDS = /** @type {const} */ ([
  ["verify-issuer", "issuer"],
  ["verify-audience", "audience"],
  ["verify-nonce", "nonce"],
  ["verify-client", "clientId"],
  ["verify-kind", "kind"],
  ["verify-now", "now"],
  ["verify-key", "keyText"],
  ["verify-htm", "htm"],
  ["verify-htu", "htu"],
  ["verify-access-token", "accessToken"],
]);

/** What each kind of the "Verify as" select applies. */
const KIND_HELP = /** @type {Record<string, string>} */ ({
  auto: "tokenlab's classifier decides the kind. Its rules apply only when the classifier is confident; otherwise the token is checked as a JWT and the verdict says what it resembles.",
  jwt: "What every JWT must pass (RFC 7519 §7.2): the algorithm, the signature, crit, and the time claims it carries; a present aud must be compared.",
  id_token: "For the client that asked for it (OIDC Core 3.1.3.7): iss, aud (your client id), exp, iat, sub, and the nonce, azp and at_hash it carries.",
  access_token: "An access token in its issuer's own format, as Entra ID, Auth0, Okta, Keycloak and Cognito issue them by default: RFC 9068's rules (typ at+jwt, client_id, jti) are warnings.",
  access_token_rfc9068: "A strict RFC 9068 §4 access token, as an API that requires the profile checks it: typ at+jwt, client_id, jti, iat and sub can each fail.",
  logout_token: "An OpenID Connect Back-Channel Logout 1.0 token (§2.4, §2.6): the logout event, jti, sub or sid, and no nonce.",
  refresh_token: "Refresh tokens are for the authorization server alone and most are opaque; a JWT one gets the rules of every JWT.",
  sd_jwt: "An SD-JWT or a presentation of one (RFC 9901 §7.1, §7.3): the issuer's signature, every disclosure's digest, and a Key Binding JWT signed by the holder's key, for your audience and nonce.",
  sd_jwt_vc: "An SD-JWT VC: the rules of RFC 9901 §7, as for any SD-JWT.",
  dpop_proof: "A DPoP proof (RFC 9449 §4.3): typ dpop+jwt, an asymmetric alg, the signature by the key in its own header, jti, iat within 5 minutes, and the request's method and URL; with the access token, ath and the token's cnf.jkt.",
});

/** Which form a kind of the "Verify as" select needs. @param {string} kind @returns {"jwt" | "sd-jwt" | "dpop"} */
function formFor(kind) {
  if (kind === "dpop_proof") return "dpop";
  if (kind === "sd_jwt" || kind === "sd_jwt_vc") return "sd-jwt";
  return "jwt";
}

/** What the nonce field is compared with, by form. */
const NONCE_HINT = /** @type {Record<string, string>} */ ({
  "sd-jwt": "The nonce you sent the holder: compared with the Key Binding JWT's.",
  dpop: "The DPoP-Nonce your server sent the client (RFC 9449 §8), if it sent one.",
});

/** The expected values the verdict can say were not compared, by claim. */
const EXPECTED_FIELD = /** @type {Record<string, string>} */ ({ iss: "verify-issuer", aud: "verify-audience", nonce: "verify-nonce", htm: "verify-htm", htu: "verify-htu" });

/** @param {Date} d a datetime-local value in the local time zone */
function toLocalInput(d) {
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * The audience to expect from a token's own aud: the string, or the first
 * string of an array; "" when there is none.
 * @param {unknown} aud
 */
function firstAudience(aud) {
  if (typeof aud === "string") return aud;
  return Array.isArray(aud) && typeof aud[0] === "string" ? aud[0] : "";
}

/**
 * The iss of a claims object written as JSON (the SD-JWT issuer's form),
 * "" when there is none or the text is not JSON.
 * @param {string} text
 */
function issuerOf(text) {
  try {
    const claims = JSON.parse(text);
    return typeof claims?.iss === "string" ? claims.iss : "";
  } catch {
    return "";
  }
}

/**
 * Wires the Verify section.
 * @param {{ store: Store, keys: Keys }} deps
 */
export function init({ store, keys }) {
  const editor = /** @type {TlTokenEditor} */ ($("verify-editor"));
  const verdict = /** @type {TlVerdict} */ ($("verdict"));
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let seq = 0;
  /** The iss of the token to verify, as the engine decodes it ("" when none). */
  let tokenIssuer = "";
  /** The kind the engine explains the token to verify as ("" when none). */
  let tokenKind = "";
  let issuerSeq = 0;
  /** Where the expected issuer and audience came from; reset when the user types. */
  const origin = /** @type {{ issuer: Origin, audience: Origin }} */ ({ issuer: "", audience: "" });
  /**
   * The keys fetched from an issuer, bound to it: used only while the
   * expected issuer is exactly that issuer. Kept in memory only: fetching
   * again is one click, and a pin cannot travel in a link or survive a
   * reload that no longer knows where the keys came from.
   * @type {FetchedKeys | null}
   */
  let fetched = null;
  /** Whether verify uses the fetched keys (the third key choice). */
  let useFetched = false;

  const resultShown = () => !$("verify-result").hidden;

  editor.addEventListener("tl-token-change", (e) => {
    const token = /** @type {CustomEvent} */ (e).detail.token;
    if (token.trim() !== store.state.verify.token.trim()) forgetTakenFromToken();
    store.set("verify", { token });
    readTokenIssuer();
    if (resultShown()) schedule();
  });

  $("verify-form").addEventListener("input", (e) => {
    const t = /** @type {HTMLInputElement} */ (e.target);
    const f = VERIFY_FIELDS.find(([id]) => id === t.id);
    if (f) store.set("verify", { [f[1]]: t.value });
    if (t.id === "verify-leeway") store.set("verify", { leeway: Math.max(0, Number(t.value) || 0) });
    if (t.name === "verify-key-source") chooseKeySource(t.value);
    if (t.id === "verify-issuer") {
      origin.issuer = "";
      checkPin();
      updateFetchUrl();
      renderOrigins();
    }
    if (t.id === "verify-audience") {
      origin.audience = "";
      renderOrigins();
    }
    if (t.id === "verify-require-kb") store.set("verify", { requireKeyBinding: t.checked });
    if (t.id === "verify-kind") renderKindHelp();
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

  $("verify-from-token").addEventListener("click", () => takeFromToken());
  $("verify-fill").addEventListener("click", () => fillFromMintForm());

  // The amber verdict's "Enter the expected issuer" and "… audience".
  verdict.addEventListener("tl-verdict-fill", (e) => {
    const id = EXPECTED_FIELD[/** @type {CustomEvent} */ (e).detail.claim];
    if (!id) return;
    const input = field(id);
    input.focus({ preventScroll: true });
    input.select();
    const reduce = matchMedia("(prefers-reduced-motion: reduce)").matches;
    input.scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "center" });
  });

  $("fetch-keys").addEventListener("click", () => {
    const issuer = fetchIssuer();
    if (!issuer) return;
    if (store.state.verify.issuer.trim()) {
      fetchKeys(issuer, false);
      return;
    }
    // The issuer is the one the token names: anyone can write any iss, so
    // the user confirms before tokenlab contacts it.
    $("fetch-confirm-issuer").textContent = issuer;
    button("fetch-confirm-yes").textContent = `Fetch keys from ${issuer}`;
    $("fetch-confirm").hidden = false;
    $("fetch-confirm").dataset.issuer = issuer;
    button("fetch-confirm-yes").focus();
  });
  $("fetch-confirm-yes").addEventListener("click", () => {
    const issuer = $("fetch-confirm").dataset.issuer ?? "";
    hideConfirm();
    if (issuer && issuer === fetchIssuer()) fetchKeys(issuer, true);
  });
  const cancelConfirm = () => {
    hideConfirm();
    button("fetch-keys").focus();
  };
  $("fetch-confirm-no").addEventListener("click", cancelConfirm);
  $("fetch-confirm").addEventListener("keydown", (e) => {
    if (e.key === "Escape") cancelConfirm();
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

  // ------------------------------------------------------ expected values

  /**
   * Sets expected values from an action (not typing), marks where they came
   * from, and verifies again.
   * @param {{ issuer?: string, audience?: string, nonce?: string, clientId?: string, htm?: string, htu?: string, accessToken?: string }} values
   * @param {Origin} from
   */
  function setExpected(values, from) {
    store.set("verify", values);
    if (values.issuer !== undefined) origin.issuer = values.issuer ? from : "";
    if (values.audience !== undefined) origin.audience = values.audience ? from : "";
    for (const [id, name] of VERIFY_FIELDS) field(id).value = String(store.state.verify[name] ?? "");
    checkPin();
    updateFetchUrl();
    renderOrigins();
    if (store.state.verify.token.trim()) run();
  }

  /** Fills the expected issuer and audience with the token's own iss and aud. */
  async function takeFromToken() {
    const token = store.state.verify.token.trim();
    showError("verify-error");
    if (!token) {
      showError("verify-error", "Paste a token first: its iss and aud are what this fills in.");
      return;
    }
    let payload;
    try {
      payload = (await tokenlab.decode(token)).payload;
    } catch (err) {
      showError("verify-error", messageOf(err));
      return;
    }
    const issuer = typeof payload?.iss === "string" ? payload.iss : "";
    const audience = firstAudience(payload?.aud);
    if (!issuer && !audience) {
      showError("verify-error", "The token has no string iss or aud to take.");
      return;
    }
    setExpected({ ...(issuer ? { issuer } : {}), ...(audience ? { audience } : {}) }, "token");
  }

  /**
   * Fills the expected values from the mint form, for a token minted here:
   * the issuer, and the audience, nonce and client id its kind calls for.
   */
  async function fillFromMintForm() {
    const token = store.state.verify.token.trim();
    let kind = "";
    try {
      kind = token ? (await tokenlab.explain(token)).kind : "";
    } catch {
      // Not decodable: fill the ID token's values; verify will say what is wrong.
    }
    if (kind === "dpop_proof") {
      const d = store.state.dpop;
      setExpected({ htm: d.htm, htu: d.htu, nonce: d.nonce, accessToken: store.state.minted.dpop_access_token ?? "" }, "mint");
      return;
    }
    if (kind === "sd_jwt" || kind === "sd_jwt_vc") {
      const sd = store.state.sdjwt;
      // The issuer form's iss, or the engine's default the issued SD-JWT got.
      let issuer = issuerOf(sd.claims);
      if (!issuer && store.state.minted.sd_jwt) {
        try {
          const iss = (await tokenlab.decode(store.state.minted.sd_jwt)).payload?.iss;
          if (typeof iss === "string") issuer = iss;
        } catch {
          // The issued SD-JWT does not decode: no issuer to offer.
        }
      }
      setExpected({ issuer, audience: sd.keyBinding ? sd.audience : "", nonce: sd.keyBinding ? sd.nonce : "" }, "mint");
      return;
    }
    const m = store.state.mint;
    const access = kind === "access_token";
    setExpected({
      issuer: m.issuer,
      audience: access ? m.apiAudience : m.clientId,
      nonce: kind === "id_token" ? m.nonce : "",
      clientId: kind === "id_token" || access ? m.clientId : "",
    }, "mint");
  }

  /** Clears the expected values taken from a token that is no longer the one to verify. */
  function forgetTakenFromToken() {
    /** @type {Partial<State["verify"]>} */
    const patch = {};
    if (origin.issuer === "token") patch.issuer = "";
    if (origin.audience === "token") patch.audience = "";
    if (!Object.keys(patch).length) return;
    store.set("verify", patch);
    if (patch.issuer !== undefined) { origin.issuer = ""; field("verify-issuer").value = ""; }
    if (patch.audience !== undefined) { origin.audience = ""; field("verify-audience").value = ""; }
    updateFetchUrl();
    renderOrigins();
  }

  /** Shows where the expected issuer and audience came from. */
  function renderOrigins() {
    const pinned = !!fetched && useFetched;
    /** @type {[string, Origin | "pinned"][]} */
    const tags = [["verify-issuer-origin", pinned ? "pinned" : origin.issuer], ["verify-audience-origin", origin.audience]];
    for (const [id, from] of tags) {
      const tag = $(id);
      tag.hidden = !from;
      tag.dataset.origin = from;
      tag.textContent = from === "pinned" ? "pinned: the fetched keys' issuer" : from === "token" ? "from the token itself" : from === "mint" ? "from the mint form" : "";
    }
    const self = [origin.issuer === "token" && !pinned ? "iss" : "", origin.audience === "token" ? "aud" : ""].filter(Boolean);
    const note = $("verify-origin-note");
    note.hidden = !self.length;
    note.textContent = self.length
      ? `The expected ${self.map((c) => c === "iss" ? "issuer" : "audience").join(" and ")} ${self.length === 1 ? "was" : "were"} taken from the token itself, so the token is compared with itself: this only shows the other checks. Enter the values your app or API expects to trust it.`
      : "";
    verdict.selfCompared = self;
  }

  function renderKindHelp() {
    $("verify-kind-hint").textContent = KIND_HELP[field("verify-kind").value] ?? "";
    renderForm();
  }

  /** The form the kind needs: the one chosen, or for auto the token's own. */
  function form() {
    const kind = store.state.verify.kind || "auto";
    return formFor(kind === "auto" ? tokenKind : kind);
  }

  /** Shows the fields of the form the kind needs, and only those. */
  function renderForm() {
    const mode = form();
    for (const el of /** @type {NodeListOf<HTMLElement>} */ ($("verify-form").querySelectorAll("[data-for]"))) {
      el.hidden = !(el.dataset.for ?? "").split(" ").includes(mode);
    }
    $("verify-nonce-hint").textContent = NONCE_HINT[mode] ?? "";
    $("verify-nonce-hint").hidden = !NONCE_HINT[mode];
    /** @type {HTMLInputElement} */ ($("verify-require-kb")).checked = store.state.verify.requireKeyBinding;
  }

  // ------------------------------------------------------------- verify

  /** The key verify uses, or undefined after saying why there is none. */
  function chosenKey() {
    const v = store.state.verify;
    if (fetched && useFetched) return JSON.stringify(fetched.jwks);
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
    const mode = form();
    // A DPoP proof carries its own key; a key given would be compared with it.
    const key = mode === "dpop" ? null : chosenKey();
    if (key === undefined) return;
    /** @type {Record<string, unknown>} */
    const opts = { kind: v.kind || "auto", leeway: v.leeway || 0 };
    if (key !== null) opts.key = key;
    /** @type {[string, string][]} */
    const given = mode === "dpop"
      ? [["htm", v.htm], ["htu", v.htu], ["accessToken", v.accessToken], ["nonce", v.nonce]]
      : mode === "sd-jwt"
        ? [["issuer", v.issuer], ["audience", v.audience], ["nonce", v.nonce]]
        : [["issuer", v.issuer], ["audience", v.audience], ["nonce", v.nonce], ["clientId", v.clientId]];
    for (const [name, value] of given) {
      if (value.trim()) opts[name] = value.trim();
    }
    if (mode === "sd-jwt" && v.requireKeyBinding) opts.requireKeyBinding = true;
    // Fetched keys vouch only for their own issuer.
    if (fetched && useFetched && key !== null) opts.issuer = fetched.issuer;
    if (v.now) {
      const t = new Date(v.now).getTime();
      if (!Number.isNaN(t)) opts.now = Math.floor(t / 1000);
    }
    const minted = store.state.minted;
    if (token === minted.id_token && minted.access_token) opts.accessToken = minted.access_token;
    try {
      const r = await tokenlab.verify(token, opts);
      if (mine !== seq) return;
      verdict.lead = fetched && useFetched && key !== null ? `Verified with the keys fetched from ${fetched.issuer}, which pin the expected issuer to it.` : null;
      verdict.result = r;
      $("verify-result").hidden = false;
    } catch (err) {
      if (mine !== seq) return;
      showError("verify-error", messageOf(err));
      $("verify-result").hidden = true;
    }
  }

  // ------------------------------------------------------------------ keys

  /** @param {string} source generated, pasted or fetched */
  function chooseKeySource(source) {
    useFetched = source === "fetched" && !!fetched;
    if (source === "generated" || source === "pasted") store.set("verify", { keySource: source });
    if (useFetched && fetched) setExpected({ issuer: fetched.issuer }, "");
    renderKeyChoice();
    renderOrigins();
  }

  /**
   * Drops the fetched keys when the expected issuer is no longer theirs:
   * they vouch for tokens of that one issuer only.
   */
  function checkPin() {
    if (!fetched || store.state.verify.issuer.trim() === fetched.issuer) return;
    const was = fetched.issuer;
    const inUse = useFetched;
    fetched = null;
    useFetched = false;
    delete $("fetch-status").dataset.state;
    $("fetch-status").textContent = `The keys fetched from ${was} were dropped: they are bound to that issuer, and the expected issuer changed. Fetch the keys of the new issuer, or choose another key.`;
    if (inUse) $("verify-result").hidden = true;
    renderKeyChoice();
    renderOrigins();
  }

  /**
   * Fetches the issuer's keys, binds them to it and verifies with them.
   * @param {string} issuer
   * @param {boolean} fromToken the issuer is the one the token names, confirmed by the user
   */
  async function fetchKeys(issuer, fromToken) {
    const status = $("fetch-status");
    let url;
    try {
      url = discoveryUrl(issuer);
    } catch (err) {
      status.textContent = messageOf(err);
      status.dataset.state = "error";
      return;
    }
    status.textContent = `Requesting ${url}…`;
    delete status.dataset.state;
    button("fetch-keys").disabled = true;
    try {
      const { jwksUri, jwks } = await fetchIssuerKeys(issuer);
      fetched = { issuer, jwksUri, jwks };
      useFetched = true;
      renderKeyChoice();
      setExpected({ issuer }, "");
      const n = jwks.keys.length;
      status.textContent = `Fetched ${n} key${n === 1 ? "" : "s"} from ${jwksUri}; verification picks one by kid. They are bound to ${issuer}: verify expects exactly this iss${fromToken ? " (the issuer the token names, which you chose to trust)" : ""}, and changing the expected issuer drops them.`;
    } catch (err) {
      status.textContent = messageOf(err);
      status.dataset.state = "error";
    } finally {
      updateFetchUrl();
    }
  }

  function hideConfirm() {
    $("fetch-confirm").hidden = true;
    delete $("fetch-confirm").dataset.issuer;
  }

  /** The issuer whose keys "Fetch keys" asks for: the expected one, else the token's. */
  function fetchIssuer() {
    return store.state.verify.issuer.trim() || tokenIssuer;
  }

  /** Asks the engine for the iss and the kind of the token to verify. */
  async function readTokenIssuer() {
    const mine = ++issuerSeq;
    const token = store.state.verify.token.trim();
    let iss = "";
    let kind = "";
    try {
      const r = token ? await tokenlab.inspect(token) : null;
      if (typeof r?.decoded?.payload?.iss === "string") iss = r.decoded.payload.iss;
      kind = r?.explanation.kind ?? "";
    } catch {
      // Not decodable: there is no issuer to offer.
    }
    if (mine !== issuerSeq) return;
    tokenIssuer = iss;
    tokenKind = kind;
    updateFetchUrl();
    renderForm();
  }

  function updateFetchUrl() {
    hideConfirm();
    const typed = store.state.verify.issuer.trim();
    const issuer = fetchIssuer();
    const el = $("fetch-url");
    $("fetch-source").textContent = typed
      ? "The issuer is the expected issuer you entered."
      : issuer
        ? "No expected issuer is entered, so this is the issuer the token names; tokenlab asks you to confirm before contacting it."
        : "";
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
    $("verify-key-fetched-choice").hidden = !fetched;
    if (fetched) {
      const n = fetched.jwks.keys.length;
      $("verify-key-fetched").textContent = `The keys of ${fetched.issuer} (${n} fetched from its jwks_uri)`;
    }
    const source = fetched && useFetched ? "fetched" : store.state.verify.keySource;
    for (const radio of document.querySelectorAll("input[name=verify-key-source]")) {
      /** @type {HTMLInputElement} */ (radio).checked = /** @type {HTMLInputElement} */ (radio).value === source;
    }
    $("verify-key-paste").hidden = source !== "pasted";
  }

  function render() {
    const v = store.state.verify;
    editor.value = v.token;
    for (const [id, name] of VERIFY_FIELDS) field(id).value = String(v[name] ?? "");
    field("verify-leeway").value = String(v.leeway || 0);
    checkPin();
    renderKeyChoice();
    renderOrigins();
    renderKindHelp();
    updateFetchUrl();
    readTokenIssuer();
  }

  /**
   * Verifies token as it is, against the expectations the user set (none
   * are copied from anywhere), with the current key when it minted the
   * token; brings the section into view and shows the verdict. A DPoP
   * proof comes with its kind, and is verified by its rules.
   * @param {string} token
   * @param {string} [kind] the token's kind, when the sender knows it
   */
  async function show(token, kind) {
    if (kind === "dpop_proof" && store.state.verify.kind !== kind) {
      store.set("verify", { kind });
      field("verify-kind").value = kind;
      renderKindHelp();
    }
    $("verify-result").hidden = true; // the old verdict is not about this token
    if (token.trim() !== store.state.verify.token.trim()) forgetTakenFromToken();
    store.set("verify", { token });
    editor.value = token;
    readTokenIssuer();
    if (Object.values(store.state.minted).includes(token.trim())) {
      useFetched = false;
      store.set("verify", { keySource: "generated" });
      renderKeyChoice();
      renderOrigins();
    }
    scrollToSection("verify");
    field("verify-token").focus({ preventScroll: true });
    run();
  }

  return { render, show };
}
