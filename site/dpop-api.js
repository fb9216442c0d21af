// @ts-check
/**
 * A simulated API (an OAuth resource server) that accepts DPoP-bound
 * access tokens (RFC 9449 §7), for the "Which token goes where" simulator
 * and the sign-in flow's DPoP mistakes. Every JWT check is the engine's
 * (tokenlab.verify of the access token, then of the proof with the
 * request's htm and htu and the token, which checks ath and cnf.jkt); what
 * is simulated here is the state a real API keeps that the engine, being
 * stateless, cannot: the jti values of the proofs it accepted, remembered
 * for as long as a proof's iat is acceptable, so that a replayed proof is
 * refused (RFC 9449 §11.1).
 *
 * Nothing here touches the DOM.
 */

/** @typedef {import("./elements/tl-verdict.js").VerifyResult} VerifyResult */
/**
 * What the page's engine offers the simulator (tokenlab or the flow's api).
 * @typedef {{ verify: (token: string, opts: Record<string, unknown>) => Promise<any>, decode: (token: string) => Promise<any>, explain: (token: string) => Promise<any> }} Engine
 */
/**
 * One request to the API.
 * @typedef {{ accessToken: string, proof?: string, htm: string, htu: string, now?: number }} DpopRequest
 */
/**
 * The API's answer: the HTTP status line and headers it sends, why, and
 * the engine's verdict on what was checked last (the proof, or the access
 * token when that failed first; none when there was no proof).
 * @typedef {{ status: 200 | 401, response: string, reason: string, failed: string[], result: VerifyResult | null, checked: "proof" | "token" | "" }} DpopAnswer
 */

/** How long a proof's iat is acceptable, in seconds: the engine's default window (RFC 9449 §11.1). */
export const IAT_WINDOW = 300;

/**
 * The WWW-Authenticate challenge of a 401 (RFC 9449 §7.1): the DPoP
 * scheme, the error and the algorithms the API accepts.
 * @param {string} error invalid_token or invalid_dpop_proof
 * @param {string} description
 * @param {string[]} algs
 */
function challenge(error, description, algs) {
  return `HTTP/1.1 401 Unauthorized\nWWW-Authenticate: DPoP error="${error}",\n  error_description="${description}",\n  algs="${algs.join(" ")}"`;
}

/** The ids of the checks that failed. @param {any} r */
const failedIds = (r) => (r?.checks ?? []).filter((/** @type {any} */ c) => c.status === "fail").map((/** @type {any} */ c) => String(c.id));

/**
 * A resource server that requires DPoP: it holds the issuer's public key
 * and its own audience, and remembers the jti of each proof it accepted.
 */
export class DpopApi {
  /** @type {Engine} */ #engine;
  /** @type {{ key: unknown, issuer?: string, audience?: string, algs: string[] }} */ #config;
  /** jti → the time until which it is remembered (Unix seconds). @type {Map<string, number>} */ #seen = new Map();

  /**
   * @param {Engine} engine
   * @param {{ key: unknown, issuer?: string, audience?: string, algs?: string[] }} config the issuer's verification key, and what the API expects
   */
  constructor(engine, config) {
    this.#engine = engine;
    this.#config = { ...config, algs: config.algs ?? ["ES256", "ES384", "EdDSA", "PS256", "RS256"] };
  }

  /**
   * Handles one request: Authorization: DPoP <accessToken> with the proof
   * in the DPoP header.
   * @param {DpopRequest} req
   * @returns {Promise<DpopAnswer>}
   */
  async handle(req) {
    const now = req.now ?? Math.floor(Date.now() / 1000);
    const { key, issuer, audience, algs } = this.#config;
    for (const [jti, until] of this.#seen) if (until < now) this.#seen.delete(jti);

    // The token first: it must be the issuer's, for this API, unexpired.
    /** @type {Record<string, unknown>} */
    const tokenOpts = { key, kind: "access_token", now };
    if (issuer) tokenOpts.issuer = issuer;
    if (audience) tokenOpts.audience = audience;
    const token = await this.#engine.verify(req.accessToken, tokenOpts);
    if (!token.valid) {
      return { status: 401, response: challenge("invalid_token", "The access token is not valid", algs), reason: "The access token itself fails:", failed: failedIds(token), result: token, checked: "token" };
    }
    if (!req.proof) {
      return {
        status: 401,
        response: challenge("invalid_token", "DPoP proof required for this DPoP-bound token", algs),
        reason: "The token is genuine, but its cnf.jkt binds it to a key, and nothing in the request proves the sender holds that key. Sent this way, a stolen copy would work as well as the real one, so the API refuses it.",
        failed: ["proof"],
        result: null,
        checked: "",
      };
    }
    const r = await this.#engine.verify(req.proof, { kind: "dpop_proof", htm: req.htm, htu: req.htu, accessToken: req.accessToken, now, iatWindow: IAT_WINDOW });
    const failed = failedIds(r);
    if (!r.valid) {
      const binding = failed.includes("jkt");
      return {
        status: 401,
        response: binding ? challenge("invalid_token", "The token is bound to another key", algs) : challenge("invalid_dpop_proof", `The DPoP proof fails: ${failed.join(", ")}`, algs),
        reason: binding
          ? "The proof is signed, but by a key that is not the one the token is bound to (cnf.jkt):"
          : failed.length === 1 && failed[0] === "iat"
            ? `The proof is too old: the API accepts a proof only within ${IAT_WINDOW / 60} minutes of its iat, which limits how long a captured one could be replayed (RFC 9449 §11.1):`
            : "The proof does not fit this request:",
        failed,
        result: r,
        checked: "proof",
      };
    }
    const jti = String((await this.#engine.decode(req.proof)).payload?.jti ?? "");
    if (this.#seen.has(jti)) {
      return {
        status: 401,
        response: challenge("invalid_dpop_proof", "DPoP proof replayed (jti already used)", algs),
        reason: `Every check of the proof passes — it is the very proof the client sent before — but this API already accepted a proof with jti ${jti} and remembers it while the proof's iat is within its ${IAT_WINDOW / 60}-minute window, so it refuses the second use. tokenlab.verify alone cannot see a replay: it keeps no state, by design; the API must (RFC 9449 §11.1).`,
        failed: ["jti"],
        result: r,
        checked: "proof",
      };
    }
    this.#seen.set(jti, now + IAT_WINDOW);
    return { status: 200, response: "HTTP/1.1 200 OK\nContent-Type: application/json", reason: "The token is genuine and the proof is fresh, made for this very request, by the key the token is bound to, and not seen before:", failed: [], result: r, checked: "proof" };
  }
}
