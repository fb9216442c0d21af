// @ts-check
/**
 * Section 5, Which token goes where: every kind's guide, grouped
 * (tokenlab.guide(), asked once per page through guides.js), and two
 * simulators — an API and a client app — that take the minted tokens and
 * accept or reject them with the engine's own verify — and a third, an API
 * that requires DPoP (dpop-api.js), which receives a DPoP-bound token with
 * no proof, a proof for another request, a replayed proof, a thief's proof
 * and a stale one, and the correct request.
 */
import { tokenlab } from "../tokenlab.js";
import { guides } from "../guides.js";
import { $, messageOf } from "../dom.js";
import { DpopApi } from "../dpop-api.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../elements/tl-guide-table.js").TlGuideTable} TlGuideTable */
/** @typedef {import("../elements/tl-verdict.js").TlVerdict} TlVerdict */
/** @typedef {import("../elements/tl-verdict.js").VerifyResult} VerifyResult */
/** @typedef {{ verificationKey: () => any, signingKey: () => Promise<import("../state.js").Key> }} Keys */
/** @typedef {{ mintTokens: (kind: string) => Promise<{ id_token?: string, access_token?: string }>, dpopClientKey: () => Promise<import("../state.js").Key> }} Mint */
/** @typedef {import("../dpop-api.js").DpopAnswer} DpopAnswer */

/** The request the DPoP simulator's API serves, and another one. */
const DPOP_REQUEST = Object.freeze({ htm: "GET", htu: "https://api.example.com/v1/orders" });
const OTHER_REQUEST = Object.freeze({ htm: "DELETE", htu: "https://api.example.com/v1/orders/7" });
/** The simulated API's identifier, its tokens' aud. */
const DPOP_AUDIENCE = "https://api.example.com";

/** A token shortened for an HTTP listing. @param {string} t */
const short = (t) => (t.length > 48 ? `${t.slice(0, 24)}…${t.slice(-12)}` : t);

/**
 * The request as the API receives it.
 * @param {{ htm: string, htu: string }} req
 * @param {string} accessToken
 * @param {string} [proof]
 */
function httpRequest(req, accessToken, proof) {
  const url = new URL(req.htu);
  return `${req.htm} ${url.pathname} HTTP/1.1\nHost: ${url.host}\nAuthorization: DPoP ${short(accessToken)}${proof ? `\nDPoP: ${short(proof)}` : ""}`;
}

/**
 * One exchange of the DPoP simulator: the request, the answer and, when
 * the API checked something, the engine's verdict on it.
 * @param {string} title
 * @param {string} request
 * @param {DpopAnswer} answer
 */
function dpopExchange(title, request, answer) {
  const box = document.createElement("div");
  box.className = "dpop-exchange";
  box.dataset.status = String(answer.status);
  box.dataset.fails = answer.failed.join(" ");
  const h = document.createElement("h5");
  h.className = "dpop-exchange-title";
  h.textContent = title;
  const pre = document.createElement("pre");
  pre.className = "code http";
  pre.tabIndex = 0;
  pre.setAttribute("aria-label", `${title}: request and answer`);
  pre.textContent = `${request}\n\n${answer.response}`;
  box.append(h, pre);
  // A refusal the engine's checks cannot see (a replay): the API's reason
  // first, then what the stateless engine says of the proof alone.
  const apiOnly = answer.status !== 200 && answer.result?.valid;
  if (apiOnly) {
    const p = document.createElement("p");
    p.className = "notice dpop-refusal";
    p.textContent = answer.reason;
    box.append(p);
  }
  if (answer.result) {
    const v = /** @type {TlVerdict} */ (document.createElement("tl-verdict"));
    v.lead = apiOnly ? "What tokenlab.verify says of the proof alone:" : answer.reason;
    v.show = "failed";
    v.result = answer.result;
    box.append(v);
  } else {
    const p = document.createElement("p");
    p.className = "verdict-lead";
    p.textContent = answer.reason;
    box.append(p);
  }
  return box;
}

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

  /**
   * Plays one DPoP case against a fresh simulated API: an access token the
   * current key signs, bound to the DPoP form's client key, and proofs by
   * that key (or by a thief's).
   * @param {string} scenario
   * @returns {Promise<HTMLElement[]>}
   */
  async function playDpop(scenario) {
    const m = store.state.mint;
    const client = await mint.dpopClientKey();
    const key = await keys.signingKey();
    const issuer = m.issuer ? { iss: m.issuer } : {};
    const at = (await tokenlab.mint({ kind: "access_token", key, dpopKey: client.publicJwk, claims: { ...issuer, aud: DPOP_AUDIENCE } })).token;
    const apiServer = new DpopApi(tokenlab, { key: keys.verificationKey(), audience: DPOP_AUDIENCE, ...(m.issuer ? { issuer: m.issuer } : {}) });
    /** @param {any} signer @param {{ htm: string, htu: string }} req @param {number} [now] */
    const proofFor = async (signer, req, now) => (await tokenlab.mint({ kind: "dpop_proof", key: signer.privateJwk, ...req, accessToken: at, ...(now ? { now } : {}) })).token;
    const send = (/** @type {string | undefined} */ proof) => apiServer.handle({ accessToken: at, proof, ...DPOP_REQUEST });
    switch (scenario) {
      case "no-proof":
        return [dpopExchange("The token alone, as a Bearer token would be sent", httpRequest(DPOP_REQUEST, at), await send(undefined))];
      case "other-request": {
        const proof = await proofFor(client, OTHER_REQUEST);
        return [dpopExchange(`A proof the client made for ${OTHER_REQUEST.htm} ${OTHER_REQUEST.htu}, sent with GET /v1/orders`, httpRequest(DPOP_REQUEST, at, proof), await send(proof))];
      }
      case "replay": {
        const proof = await proofFor(client, DPOP_REQUEST);
        const first = await send(proof);
        const again = await send(proof);
        return [dpopExchange("First use of the proof", httpRequest(DPOP_REQUEST, at, proof), first), dpopExchange("The same proof again (captured and replayed)", httpRequest(DPOP_REQUEST, at, proof), again)];
      }
      case "stolen": {
        const thief = await tokenlab.generateKey({ alg: "ES256" });
        const proof = await proofFor(thief, DPOP_REQUEST);
        return [dpopExchange("A thief's request: the stolen token, a proof signed by the thief's own key", httpRequest(DPOP_REQUEST, at, proof), await send(proof))];
      }
      case "stale": {
        const proof = await proofFor(client, DPOP_REQUEST, Math.floor(Date.now() / 1000) - 600);
        return [dpopExchange("A proof made ten minutes ago", httpRequest(DPOP_REQUEST, at, proof), await send(proof))];
      }
      default: {
        const proof = await proofFor(client, DPOP_REQUEST);
        return [dpopExchange("The client's request: the token and a fresh proof for it", httpRequest(DPOP_REQUEST, at, proof), await send(proof))];
      }
    }
  }

  $("dpop-sim").addEventListener("click", async (e) => {
    const btn = /** @type {HTMLElement} */ (e.target).closest?.("button[data-dpop]");
    if (!(btn instanceof HTMLButtonElement)) return;
    const out = $("sim-dpop-result");
    btn.disabled = true;
    out.setAttribute("aria-busy", "true");
    try {
      const shown = await playDpop(btn.dataset.dpop ?? "");
      out.dataset.scenario = btn.dataset.dpop ?? "";
      out.replaceChildren(...shown);
    } catch (err) {
      renderSimError(out, messageOf(err));
    } finally {
      btn.disabled = false;
      out.removeAttribute("aria-busy");
    }
  });

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
