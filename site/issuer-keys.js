// @ts-check
/**
 * The opt-in "fetch keys from issuer": OpenID Connect Discovery 1.0 §4
 * (GET {issuer}/.well-known/openid-configuration), then the jwks_uri it
 * names. Runs only when the user clicks; sends no token, no key, no cookies
 * and no referrer. The keys it returns belong to the issuer they were
 * fetched for, and only to it: the Verify section pins the expected issuer
 * to it.
 */

/**
 * The discovery URL for an issuer, or an Error saying why there is none.
 * @param {string} issuer
 * @returns {string}
 */
export function discoveryUrl(issuer) {
  let url;
  try {
    url = new URL(issuer.trim());
  } catch {
    throw new Error(`“${issuer}” is not a URL; an OpenID issuer is an https:// URL such as https://login.example.com.`);
  }
  if (url.protocol !== "https:") throw new Error(`The issuer ${url.href} is not https://, so it has no discovery document a browser may fetch.`);
  if (url.search || url.hash) throw new Error("An issuer URL has no query or fragment (OpenID Connect Discovery §2).");
  return url.href.replace(/\/$/, "") + "/.well-known/openid-configuration";
}

/**
 * Fetches the issuer's discovery document and then its JWKS. The keys are
 * the issuer's only if the document says so: its issuer must be identical
 * to the issuer it was fetched for, or it "MUST NOT be used" (OpenID
 * Connect Discovery 1.0 §4.3), and then no JWKS is requested at all.
 * @param {string} issuer
 * @param {{ signal?: AbortSignal }} [opts]
 * @returns {Promise<{ discovery: string, jwksUri: string, jwks: { keys: any[] } }>}
 */
export async function fetchIssuerKeys(issuer, { signal } = {}) {
  const discovery = discoveryUrl(issuer);
  const config = await getJSON(discovery, signal);
  if (!config || typeof config !== "object" || Array.isArray(config)) throw new Error(`${discovery} did not return a discovery document (a JSON object).`);
  if (config.issuer !== issuer.trim()) {
    const named = typeof config.issuer === "string" ? `names the issuer “${config.issuer}”` : "names no issuer";
    throw new Error(`Refused: the discovery document at ${discovery} ${named}, not “${issuer.trim()}”. A document for another issuer must not be used (OpenID Connect Discovery 1.0 §4.3), so tokenlab did not fetch its keys. Check the expected issuer, character for character.`);
  }
  const jwksUri = typeof config.jwks_uri === "string" ? config.jwks_uri : "";
  if (!jwksUri.startsWith("https://")) throw new Error(`The discovery document at ${discovery} has no https jwks_uri.`);
  const jwks = await getJSON(jwksUri, signal);
  if (!jwks || !Array.isArray(jwks.keys)) throw new Error(`${jwksUri} did not return a JWK Set (a JSON object with "keys").`);
  return { discovery, jwksUri, jwks };
}

/** @param {string} url @param {AbortSignal} [signal] */
async function getJSON(url, signal) {
  let res;
  try {
    res = await fetch(url, { credentials: "omit", referrerPolicy: "no-referrer", cache: "no-store", redirect: "follow", signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new Error(`Could not fetch ${url}: the server may not allow requests from web pages (CORS), or you are offline. Open it in a new tab and paste the keys instead.`);
  }
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}.`);
  try {
    return await res.json();
  } catch {
    throw new Error(`${url} did not return JSON.`);
  }
}
