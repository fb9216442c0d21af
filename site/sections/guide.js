// @ts-check
/**
 * Section 5, Which token goes where: every kind's guide, grouped
 * (tokenlab.guide(), asked once per page through guides.js), and two
 * simulators — an API and a client app — that take the minted tokens and
 * accept or reject them with the engine's own verify.
 */
import { tokenlab } from "../tokenlab.js";
import { guides } from "../guides.js";
import { $, messageOf } from "../dom.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../elements/tl-guide-table.js").TlGuideTable} TlGuideTable */
/** @typedef {import("../elements/tl-verdict.js").TlVerdict} TlVerdict */
/** @typedef {import("../elements/tl-verdict.js").VerifyResult} VerifyResult */
/** @typedef {{ verificationKey: () => any }} Keys */
/** @typedef {{ mintTokens: (kind: string) => Promise<{ id_token?: string, access_token?: string }> }} Mint */

/**
 * Shows a simulator's answer: what the recipient did (lead), then the
 * engine's verdict with its warnings and, when it refused, the failed
 * checks.
 * @param {HTMLElement} out
 * @param {string} lead
 * @param {VerifyResult} r
 */
function renderSim(out, lead, r) {
  const v = /** @type {TlVerdict} */ (document.createElement("tl-verdict"));
  v.lead = lead;
  v.show = "failed";
  v.result = r;
  out.replaceChildren(v);
}

/**
 * Shows why a simulator could not run (no key, a failed mint).
 * @param {HTMLElement} out
 * @param {string} message
 */
function renderSimError(out, message) {
  const p = document.createElement("p");
  p.className = "error";
  p.textContent = message;
  out.replaceChildren(p);
}

/**
 * Wires the guide and its simulators.
 * @param {{ store: Store, keys: Keys, mint: Mint }} deps
 */
export function init({ store, keys, mint }) {
  const table = /** @type {TlGuideTable} */ ($("guide-table"));
  guides().then(
    (purposes) => { table.purposes = purposes; },
    (err) => {
      const p = document.createElement("p");
      p.className = "error";
      p.textContent = `The guide could not be loaded: ${messageOf(err)}`;
      table.replaceChildren(p);
    },
  );

  /** Whether token was signed by the current key (its kid, as the engine decodes the header). @param {string} token */
  async function signedByCurrentKey(token) {
    const key = store.state.key.value;
    if (!key) return false;
    try {
      return !key.kid || (await tokenlab.decode(token)).header.kid === key.kid;
    } catch {
      return false;
    }
  }

  /** A matching ID token and access token for the simulators, minted when there are none. */
  async function ensurePair() {
    const minted = store.state.minted;
    if (minted.id_token && minted.access_token && await signedByCurrentKey(minted.id_token)) return minted;
    return mint.mintTokens("pair");
  }

  document.addEventListener("click", async (e) => {
    const btn = /** @type {HTMLElement} */ (e.target).closest?.("button[data-sim]");
    if (!(btn instanceof HTMLButtonElement)) return;
    const sim = btn.dataset.sim ?? "";
    const send = /** @type {"id_token" | "access_token"} */ (btn.dataset.send ?? "");
    const out = $(`sim-${sim}-result`);
    btn.disabled = true;
    try {
      const pair = await ensurePair();
      const token = pair[send];
      const m = store.state.mint;
      const key = keys.verificationKey();
      if (sim === "api") {
        // tokenlab's demo API requires RFC 9068 access tokens, as an API
        // that chose the profile does: every rule of RFC 9068 §4 can fail.
        const r = await tokenlab.verify(token ?? "", { key, issuer: m.issuer, audience: m.apiAudience, kind: "access_token_rfc9068" });
        renderSim(out, r.valid
          ? `200 OK. The API accepted the access token: it is addressed to ${m.apiAudience}, typed at+jwt, signed by the issuer, and carries the scopes “${m.scope}”.`
          : send === "id_token"
            ? "401 Unauthorized. An ID token tells your app who signed in; it is not a credential for calling APIs. This API accepts only RFC 9068 access tokens for its audience, and rejected it:"
            : "401 Unauthorized. This API accepts only RFC 9068 access tokens (typ at+jwt) for its audience, and rejected this one:", r);
      } else {
        const r = await tokenlab.verify(token ?? "", { key, issuer: m.issuer, audience: m.clientId, clientId: m.clientId, nonce: m.nonce, kind: "id_token", ...(send === "id_token" ? { accessToken: pair.access_token } : {}) });
        renderSim(out, r.valid
          ? `Signed in as ${m.subject}. The app accepted the ID token: it is for this app (aud ${m.clientId}), its nonce matches the one the app sent, and at_hash binds it to the access token.`
          : send === "access_token"
            ? `Rejected, and the app should not read it at all. The access token is addressed to the API (${m.apiAudience}); its format is a private matter between the issuer and the API and may change or be encrypted at any time. To learn who signed in, the app reads the ID token; it just forwards the access token to the API. Checked as an ID token, it fails:`
            : "Rejected:", r);
      }
    } catch (err) {
      renderSimError(out, messageOf(err));
    } finally {
      btn.disabled = false;
    }
  });
}
