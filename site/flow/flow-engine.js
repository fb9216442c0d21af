// @ts-check
/**
 * The sign-in flow simulator's logic, without DOM: one run of the OpenID
 * Connect authorization code flow with PKCE (OIDC Core 3.1, RFC 6749 §4.1,
 * RFC 7636), played in the page with tokenlab's own keys. No network.
 *
 * The client, my-app, is one kind of client throughout: a web application
 * with a back end, a confidential client (RFC 6749 §2.1). Its server
 * redeems the code, authenticating with its client secret, and keeps the
 * tokens in its server-side session; Alice's browser holds only a session
 * cookie. Step 3 says how a browser-based app (a public client) differs.
 *
 * What is real: the random code_verifier, state and nonce
 * (crypto.getRandomValues), the S256 code_challenge (crypto.subtle), every
 * token (tokenlab.mint with one generated key) and every JWT validation
 * (tokenlab.verify, so the ✓/✗ and messages are the engine's). What is
 * simulated in JavaScript: the authorization server's token endpoint checks
 * (code bound to client and redirect_uri, PKCE, refresh token) and the
 * API's scope check, which are not JWT checks.
 *
 * runFlow(api) returns a Run: the values and the six steps as plain data
 * (lanes for the sequence diagram, blocks for the detail card);
 * runMistake(api, run, id) returns one mistake in the same shape.
 *
 * It is over 400 lines because most of it is the simulator's teaching
 * text — six steps and ten mistakes, each with its messages, checks and
 * explanation — kept beside the code that computes the values it quotes.
 */

import { encodeBytes, encodeJSON, randomString } from "../base64url.js";
import { DpopApi } from "../dpop-api.js";

/** Who takes part, in the order they are drawn (left to right). */
export const ACTORS = /** @type {const} */ ([
  { id: "browser", name: "Browser", role: "user agent", ident: "Alice's browser" },
  { id: "client", name: "Client app", role: "my-app", ident: "client_id my-app, a web app's back end" },
  { id: "as", name: "Authorization server", short: "Auth server", role: "the issuer", ident: "issuer https://login.example.com" },
  { id: "api", name: "API", role: "resource server", ident: "audience https://api.example.com" },
]);

/** The fixed names of the simulated world. */
export const WORLD = Object.freeze({
  issuer: "https://login.example.com",
  authorizeEndpoint: "https://login.example.com/authorize",
  tokenEndpoint: "https://login.example.com/token",
  clientId: "my-app",
  redirectUri: "https://app.example.com/callback",
  api: "https://api.example.com",
  apiHost: "api.example.com",
  apiPath: "/v1/orders",
  otherApi: "https://billing.example.com",
  scope: "openid profile email api:read",
  requiredScope: "api:read",
  user: { sub: "248289761001", name: "Alice Example", email: "alice@example.com" },
  lifetime: 3600,
});

/** The mistakes to try, in the order they are offered. */
export const MISTAKES = /** @type {const} */ ([
  { id: "id-token-to-api", step: 5, title: "Send the ID token to the API", blurb: "The API must refuse it: wrong typ, wrong aud." },
  { id: "client-reads-access-token", step: 4, title: "Let the client read the access token", blurb: "It is not addressed to the client and proves nothing about the sign-in." },
  { id: "wrong-nonce", step: 4, title: "Replay an ID token with the wrong nonce", blurb: "A genuine token from another sign-in." },
  { id: "wrong-audience", step: 5, title: "Use the token at another API", blurb: "aud names api.example.com, not billing." },
  { id: "expired-token", step: 6, title: "Use an expired access token, then refresh", blurb: "401, then the refresh token saves the day." },
  { id: "alg-none", step: 5, title: "Strip the signature (alg: none)", blurb: "Edit the scope, drop the signature." },
  { id: "pkce-swap", step: 3, title: "Swap the PKCE verifier", blurb: "A stolen code injected into another sign-in." },
  { id: "dpop-no-proof", step: 5, title: "Send a DPoP-bound token without a proof", blurb: "401 with a DPoP challenge: the token is bound to a key." },
  { id: "dpop-wrong-request", step: 5, title: "Reuse the token request's DPoP proof at the API", blurb: "A proof names one request: htm, htu, ath." },
  { id: "dpop-replay", step: 5, title: "Replay a captured DPoP proof", blurb: "The API remembers each proof's jti." },
]);

/** Step titles, for the stepper before a run exists. */
export const STEP_TITLES = /** @type {const} */ ([
  "Authorization request",
  "Code returned to the redirect URI",
  "Token request and response",
  "Client validates the ID token",
  "Client calls the API",
  "Refresh the access token",
]);

/**
 * @typedef {{ id: string, ok: boolean, status?: string, message: string, ref?: string }} Check
 * @typedef {import("../elements/tl-verdict.js").VerifyResult} VerifyResult
 * @typedef {{ lead: string, result: VerifyResult }} EngineVerdict what tokenlab.verify said, and what the recipient does about it
 * @typedef {"browser" | "client" | "as" | "api"} Actor
 * @typedef {{ from: Actor, to: Actor, label: string, style?: "dashed" | "fail" | "ok" }} Lane
 * @typedef {{ kind: string, token: string, label: string, note: string, opaque?: boolean }} FlowToken
 * @typedef {(
 *   { type: "http", title: string, route: string, text: string, note?: string } |
 *   { type: "params", title: string, rows: { name: string, value: string, meaning: string }[] } |
 *   { type: "compute", title: string, ref?: string, rows: { label: string, value: string, ok?: boolean, field?: string }[] } |
 *   { type: "facts", title: string, rows: [string, string][] } |
 *   { type: "tokens", title: string, tokens: FlowToken[] } |
 *   { type: "checks", title: string, source: "engine" | "simulated", call: string, checks: Check[], valid: boolean, verdict: string | EngineVerdict } |
 *   { type: "code", title: string, text: string } |
 *   { type: "note", tone: "info" | "warn" | "ok", text: string }
 * )} Block
 * @typedef {{ n: number, id: string, title: string, route: string, refs: string[], lead: string, lanes: Lane[], blocks: Block[] }} Step
 * @typedef {Step & { step: number, why: string, fails: string[] }} Mistake
 * @typedef {{
 *   alg: string, key: any, publicKey: any, t0: number, t1: number,
 *   clientSecret: string, verifier: string, challenge: string, challengeHex: string, state: string, nonce: string, code: string, codeExpires: number,
 *   authorizeUrl: string, callbackUrl: string,
 *   idToken: string, idPayload: any, accessToken: string, accessPayload: any, refreshToken: string, atHash: string,
 *   tokenResponse: Record<string, unknown>,
 *   idResult: any, apiResult: any,
 *   newAccessToken: string, newRefreshToken: string, refreshResponse: Record<string, unknown>, newApiResult: any,
 *   steps: Step[],
 * }} Run
 */

// ------------------------------------------------------------ crypto helpers

/** @param {Uint8Array} bytes */
function hex(bytes) {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A PKCE code_verifier: 32 random octets, base64url, giving 43 characters
 * of the unreserved set [A-Z a-z 0-9 - . _ ~] (RFC 7636 §4.1).
 */
export function createVerifier() {
  return randomString(32);
}

/** SHA-256 of the ASCII/UTF-8 bytes of s. @param {string} s */
async function sha256(s) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)));
}

/**
 * The S256 code_challenge: BASE64URL-ENCODE(SHA256(ASCII(code_verifier)))
 * (RFC 7636 §4.2).
 * @param {string} verifier
 */
export async function s256(verifier) {
  return encodeBytes(await sha256(verifier));
}

/**
 * at_hash for an SHA-256 alg: the left half of SHA-256 of the access token,
 * base64url (OIDC Core 3.1.3.6, 3.1.3.8).
 * @param {string} token
 */
export async function halfHash(token) {
  return encodeBytes((await sha256(token)).slice(0, 16));
}

/** Shortens a long value for labels: "eyJhbGciOi…x3Q". @param {string} s @param {number} [n] */
export function ellipsis(s, n = 12) {
  return s.length > n * 2 ? `${s.slice(0, n)}…${s.slice(-4)}` : s;
}

/**
 * A form body with a line break before each parameter, "for display
 * purposes only" as the RFCs' own examples do.
 * @param {Record<string, string>} params
 */
function formBody(params) {
  return new URLSearchParams(params).toString().split("&").join("\n&");
}

/**
 * A URL with its query on separate lines, for display.
 * @param {string} url
 */
function displayUrl(url) {
  const u = new URL(url);
  const q = u.search.slice(1).split("&").join("\n  &");
  return `${u.origin}${u.pathname}${q ? `\n  ?${q}` : ""}`;
}

/** How the HTTP blocks note the display line breaks. */
const DISPLAY_NOTE = "line breaks in the query and body are for display only";

/**
 * A request to the token endpoint from my-app's back end, authenticated
 * with its client secret in HTTP Basic (client_secret_basic, RFC 6749
 * §2.3.1), so the body carries no client_id (RFC 6749 §4.1.3).
 * @param {Record<string, string>} params
 * @param {string} secret
 */
function tokenRequest(params, secret) {
  const basic = btoa(`${encodeURIComponent(WORLD.clientId)}:${encodeURIComponent(secret)}`);
  return `POST /token HTTP/1.1\nHost: login.example.com\nAuthorization: Basic ${basic}\nContent-Type: application/x-www-form-urlencoded\n\n${formBody(params)}`;
}

/** @param {number} t Unix seconds */
function iso(t) {
  return new Date(t * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * The verdict of an engine check block: what the recipient does (okText
 * when the token is valid, failText otherwise) and the verify result, which
 * <tl-verdict> shows in its three states with the engine's own summary.
 * @param {VerifyResult} r
 * @param {string} okText
 * @param {string} failText
 * @returns {EngineVerdict}
 */
function verdictOf(r, okText, failText) {
  return { lead: r.valid ? okText : failText, result: r };
}

/** @param {Check[]} checks */
function allOk(checks) {
  return checks.every((c) => c.ok);
}

// ------------------------------------------------------------------- the run

/**
 * @typedef {{
 *   generateKey: (opts: any) => Promise<any>,
 *   mint: (opts: any) => Promise<{token: string, header: any, payload: any}>,
 *   verify: (token: string, opts: any) => Promise<any>,
 *   explain: (token: string) => Promise<any>,
 *   decode: (token: string) => Promise<{header: any, payload: any, parts: string[]}>,
 * }} Api
 */

/**
 * Plays one sign-in: generates the issuer's key and the client's secrets,
 * mints the tokens and validates them as the client and the API would.
 * @param {Api} api
 * @param {{ alg?: string, now?: number }} [opts]
 * @returns {Promise<Run>}
 */
export async function runFlow(api, { alg = "ES256", now = Math.floor(Date.now() / 1000) } = {}) {
  const W = WORLD;
  const key = await api.generateKey({ alg });
  const publicKey = key.publicJwk ?? key;

  // my-app's client secret, as registered at the authorization server.
  const clientSecret = randomString(24);

  // Step 1: the client's one-time secrets and the authorization request.
  const verifier = createVerifier();
  const digest = await sha256(verifier);
  const challenge = encodeBytes(digest);
  const state = randomString(16);
  const nonce = randomString(16);
  const authorize = new URL(W.authorizeEndpoint);
  for (const [k, v] of [
    ["response_type", "code"], ["client_id", W.clientId], ["redirect_uri", W.redirectUri], ["scope", W.scope],
    ["state", state], ["nonce", nonce], ["code_challenge", challenge], ["code_challenge_method", "S256"],
  ]) authorize.searchParams.set(k, v);
  const authorizeUrl = authorize.toString();

  // Step 2: the authorization server remembers the request with a code.
  const code = randomString(24);
  const grant = { code, clientId: W.clientId, clientSecret, redirectUri: W.redirectUri, challenge, method: "S256", nonce, scope: W.scope, sub: W.user.sub, expires: now + 60, used: false };
  const callback = new URL(W.redirectUri);
  callback.searchParams.set("code", code);
  callback.searchParams.set("state", state);
  const callbackUrl = callback.toString();
  const returnedState = callback.searchParams.get("state") ?? "";

  // Step 3: the token request, the server's checks, the tokens.
  const t0 = now + 4;
  const tokenChecks = await tokenEndpointChecks(grant, { code, clientId: W.clientId, clientSecret, redirectUri: W.redirectUri, verifier }, t0);
  const at = await api.mint({
    kind: "access_token", key, lifetime: W.lifetime, now: t0,
    claims: { iss: W.issuer, sub: W.user.sub, aud: W.api, client_id: W.clientId, scope: W.scope },
  });
  const idt = await api.mint({
    kind: "id_token", key, lifetime: W.lifetime, now: t0, accessToken: at.token,
    claims: { iss: W.issuer, sub: W.user.sub, aud: W.clientId, nonce, auth_time: now + 2, name: W.user.name, email: W.user.email, email_verified: true },
  });
  const refreshToken = randomString(32);
  const tokenResponse = { access_token: at.token, token_type: "Bearer", expires_in: W.lifetime, refresh_token: refreshToken, id_token: idt.token, scope: W.scope };
  const atHash = await halfHash(at.token);

  // Step 4: the client validates the ID token (tokenlab's real verify).
  const idOpts = { key: publicKey, kind: "id_token", issuer: W.issuer, clientId: W.clientId, audience: W.clientId, nonce, accessToken: at.token, algorithms: [alg], now: t0 + 1 };
  const idResult = await api.verify(idt.token, idOpts);

  // Step 5: the API validates the access token, then checks the scope.
  const apiOpts = { key: publicKey, kind: "access_token_rfc9068", issuer: W.issuer, audience: W.api, algorithms: [alg], now: t0 + 2 };
  const apiResult = await api.verify(at.token, apiOpts);
  const scopeChecks = apiScopeChecks(apiResult.payload?.scope);

  // Step 6: an hour later, the refresh.
  const t1 = t0 + W.lifetime + 60;
  const refreshGrant = { token: refreshToken, clientId: W.clientId, clientSecret, scope: W.scope, active: true };
  const refreshChecks = refreshTokenChecks(refreshGrant, { token: refreshToken, clientId: W.clientId, clientSecret });
  const at2 = await api.mint({
    kind: "access_token", key, lifetime: W.lifetime, now: t1,
    claims: { iss: W.issuer, sub: W.user.sub, aud: W.api, client_id: W.clientId, scope: W.scope },
  });
  const newRefreshToken = randomString(32);
  const refreshResponse = { access_token: at2.token, token_type: "Bearer", expires_in: W.lifetime, refresh_token: newRefreshToken, scope: W.scope };
  const newApiResult = await api.verify(at2.token, { ...apiOpts, now: t1 + 1 });

  /** @type {Run} */
  const run = {
    alg, key, publicKey, t0, t1, clientSecret, verifier, challenge, challengeHex: hex(digest), state, nonce, code, codeExpires: grant.expires, authorizeUrl, callbackUrl,
    idToken: idt.token, idPayload: idt.payload, accessToken: at.token, accessPayload: at.payload, refreshToken, atHash, tokenResponse, idResult, apiResult,
    newAccessToken: at2.token, newRefreshToken, refreshResponse, newApiResult, steps: [],
  };

  run.steps = [
    step1(run),
    step2(run, returnedState),
    step3(run, tokenChecks),
    step4(run),
    step5(run, scopeChecks),
    step6(run, refreshChecks, at.payload, at2.payload),
  ];
  return run;
}

/**
 * The token endpoint's checks for grant_type=authorization_code (RFC 6749
 * §4.1.3, RFC 7636 §4.6), simulated here.
 * @param {{code: string, clientId: string, clientSecret: string, redirectUri: string, challenge: string, expires: number, used: boolean}} grant what the server stored
 * @param {{code: string, clientId: string, clientSecret: string, redirectUri: string, verifier: string}} req the token request
 * @param {number} now
 * @returns {Promise<Check[]>}
 */
export async function tokenEndpointChecks(grant, req, now) {
  const computed = await s256(req.verifier);
  const known = req.code === grant.code;
  return [
    clientAuth(grant, req),
    known && !grant.used && now < grant.expires
      ? { id: "code", ok: true, ref: "RFC 6749 §4.1.3", message: `the code is one this server issued, it has not been used before and it is valid for ${grant.expires - now} s more (codes are single use and live about a minute)` }
      : { id: "code", ok: false, ref: "RFC 6749 §4.1.3", message: "the code is unknown, expired or already used" },
    req.clientId === grant.clientId
      ? { id: "client_id", ok: true, ref: "RFC 6749 §4.1.3", message: `the code was issued to ${grant.clientId}, the client that authenticated` }
      : { id: "client_id", ok: false, ref: "RFC 6749 §4.1.3", message: `the code was issued to ${grant.clientId}, not to ${req.clientId}` },
    req.redirectUri === grant.redirectUri
      ? { id: "redirect_uri", ok: true, ref: "RFC 6749 §4.1.3", message: `redirect_uri is ${req.redirectUri}, identical to the authorization request's` }
      : { id: "redirect_uri", ok: false, ref: "RFC 6749 §4.1.3", message: `redirect_uri ${req.redirectUri} differs from the authorization request's ${grant.redirectUri}` },
    computed === grant.challenge
      ? { id: "code_verifier", ok: true, ref: "RFC 7636 §4.6", message: `BASE64URL(SHA-256(code_verifier)) = ${computed}, the code_challenge sent in step 1: the code is redeemed by the sign-in that asked for it` }
      : { id: "code_verifier", ok: false, ref: "RFC 7636 §4.6", message: `BASE64URL(SHA-256(code_verifier)) = ${computed}, but the code_challenge sent in step 1 was ${grant.challenge}: the verifier belongs to another sign-in than the one the code was issued for. Answer: 400 invalid_grant` },
  ];
}

/**
 * The token endpoint authenticates the confidential client (RFC 6749
 * §2.3.1, §3.2.1), simulated here.
 * @param {{clientId: string, clientSecret: string}} registered
 * @param {{clientId: string, clientSecret: string}} req
 * @returns {Check}
 */
function clientAuth(registered, req) {
  return req.clientId === registered.clientId && req.clientSecret === registered.clientSecret
    ? { id: "client_auth", ok: true, ref: "RFC 6749 §2.3.1, §3.2.1", message: `${req.clientId} authenticated with its client secret (HTTP Basic): the request comes from the registered client's back end` }
    : { id: "client_auth", ok: false, ref: "RFC 6749 §2.3.1, §3.2.1", message: "the client failed to authenticate. Answer: 401 invalid_client" };
}

/**
 * The API's own authorization decision after the token is valid: does its
 * scope allow this request (RFC 9068 §4 last paragraph, RFC 6750 §3.1).
 * @param {unknown} scope
 * @returns {Check[]}
 */
export function apiScopeChecks(scope) {
  const granted = typeof scope === "string" ? scope.split(" ").filter(Boolean) : [];
  const need = WORLD.requiredScope;
  return [granted.includes(need)
    ? { id: "scope", ok: true, ref: "RFC 9068 §4, RFC 6750 §3.1", message: `scope “${granted.join(" ")}” includes ${need}, which GET ${WORLD.apiPath} requires` }
    : { id: "scope", ok: false, ref: "RFC 9068 §4, RFC 6750 §3.1", message: `scope “${granted.join(" ")}” lacks ${need}, which GET ${WORLD.apiPath} requires: 403 insufficient_scope` }];
}

/**
 * The token endpoint's checks for grant_type=refresh_token (RFC 6749 §6,
 * RFC 9700 §4.14), simulated here.
 * @param {{token: string, clientId: string, clientSecret: string, scope: string, active: boolean}} grant
 * @param {{token: string, clientId: string, clientSecret: string}} req
 * @returns {Check[]}
 */
export function refreshTokenChecks(grant, req) {
  return [
    clientAuth(grant, req),
    req.token === grant.token && grant.active
      ? { id: "refresh_token", ok: true, ref: "RFC 6749 §6", message: "the refresh token is one this server issued and is still active (the server looks it up: it is opaque, a database key)" }
      : { id: "refresh_token", ok: false, ref: "RFC 6749 §6", message: "the refresh token is unknown or was revoked" },
    req.clientId === grant.clientId
      ? { id: "client_id", ok: true, ref: "RFC 6749 §6", message: `it was issued to ${grant.clientId}, the client that authenticated: a refresh token stolen from a confidential client is useless without its credentials` }
      : { id: "client_id", ok: false, ref: "RFC 6749 §6", message: `it was issued to ${grant.clientId}, not to ${req.clientId}` },
    { id: "scope", ok: true, ref: "RFC 6749 §6", message: `no scope was asked for, so the new access token gets the originally granted “${grant.scope}” (a refresh can narrow scope, never widen it)` },
    { id: "rotation", ok: true, ref: "RFC 9700 §4.14.2", message: "this server also rotates refresh tokens: it returns a new one and invalidates this one, so a copy stops working once either is used (required of public clients unless their refresh tokens are sender-constrained, RFC 9700 §4.14.2)" },
  ];
}

// ------------------------------------------------------------------ the steps

/** @param {Run} r @returns {Step} */
function step1(r) {
  const W = WORLD;
  const url = new URL(r.authorizeUrl);
  /** @type {Record<string, string>} */
  const meaning = {
    response_type: "code: ask for an authorization code, the code flow.",
    client_id: "Which app is asking. Registered at the authorization server.",
    redirect_uri: "Where to send the code back. Must exactly match a URI registered for this client.",
    scope: "openid makes this an OpenID Connect sign-in (you get an ID token); profile and email ask for claims about Alice; api:read asks for access to the API.",
    state: "Random, returned unchanged with the code: lets the client tell the answer belongs to a request it made (CSRF protection).",
    nonce: "Random, copied by the server into the ID token: lets the client tell the ID token was issued for this sign-in (replay protection).",
    code_challenge: "BASE64URL(SHA-256(code_verifier)). The verifier itself stays in the client.",
    code_challenge_method: "S256: the challenge is a SHA-256 hash. Never use plain.",
  };
  return {
    n: 1, id: "authorize", title: STEP_TITLES[0], route: "Client app → Browser → Authorization server",
    refs: ["OIDC Core 3.1.2.1", "RFC 6749 §4.1.1", "RFC 7636 §4.1–4.3", "RFC 9700 §2.1.1"],
    lead: "Alice presses “Sign in”. my-app's server creates three one-time random values — a PKCE code_verifier, a state and a nonce — keeps them in her session on the server, and redirects her browser to the authorization server. Only the hash of the verifier, the code_challenge, travels in the URL.",
    lanes: [
      { from: "client", to: "browser", label: "302 redirect to /authorize" },
      { from: "browser", to: "as", label: "GET /authorize?client_id&nonce&code_challenge…" },
    ],
    blocks: [
      { type: "compute", title: "PKCE, computed in this page with crypto.subtle", ref: "RFC 7636 §4.1, §4.2", rows: [
        { label: "code_verifier (32 random bytes, base64url: 43 unreserved characters)", value: r.verifier, field: "code_verifier" },
        { label: "SHA-256(ASCII(code_verifier)), hex", value: r.challengeHex },
        { label: "code_challenge = BASE64URL(SHA-256(code_verifier))", value: r.challenge, field: "code_challenge" },
      ] },
      { type: "http", title: "The client redirects the browser", route: "Client app → Browser", text: `HTTP/1.1 302 Found\nLocation: ${displayUrl(r.authorizeUrl)}`, note: DISPLAY_NOTE },
      { type: "params", title: "The authorization request's parameters", rows: [...url.searchParams].map(([name, value]) => ({ name, value, meaning: meaning[name] ?? "" })) },
      { type: "facts", title: "Kept by my-app's server, in Alice's session — never sent in the URL", rows: [["code_verifier", r.verifier], ["state", r.state], ["nonce", r.nonce]] },
      { type: "note", tone: "info", text: `Anyone who sees this URL — browser history, a proxy log, a Referer header — learns only the challenge. SHA-256 cannot be reversed, so they cannot produce the verifier that step 3 will require. ${W.clientId} is a web application with a back end: a confidential client, which also authenticates at the token endpoint with its client secret. For such a client PKCE is RECOMMENDED (it may rely on the OpenID Connect nonce instead); public clients — browser and mobile apps, which cannot keep a secret — MUST use it, and every authorization server MUST support it (RFC 9700 §2.1.1).` },
    ],
  };
}

/** @param {Run} r @param {string} returnedState @returns {Step} */
function step2(r, returnedState) {
  const W = WORLD;
  const stateOk = returnedState === r.state;
  return {
    n: 2, id: "code", title: STEP_TITLES[1], route: "Authorization server → Browser → Client app",
    refs: ["RFC 6749 §4.1.2", "OIDC Core 3.1.2.5", "RFC 6749 §10.12"],
    lead: "Alice signs in at the authorization server and consents. The server stores what it was asked — client, redirect_uri, code_challenge, nonce, scope — under a fresh one-time authorization code and sends her browser back to the client's redirect_uri. The code is not a token: without the client's secret and the code_verifier it is worth nothing.",
    lanes: [
      { from: "browser", to: "as", label: "Alice signs in and consents", style: "dashed" },
      { from: "as", to: "browser", label: "302 to redirect_uri?code&state" },
      { from: "browser", to: "client", label: "GET /callback?code=…&state=…" },
    ],
    blocks: [
      { type: "http", title: "The authorization server redirects back to the client", route: "Authorization server → Browser → Client app", text: `HTTP/1.1 302 Found\nLocation: ${displayUrl(r.callbackUrl)}`, note: DISPLAY_NOTE },
      { type: "facts", title: "The authorization server remembers, under this code", rows: [
        ["code", r.code], ["client_id", W.clientId], ["redirect_uri", W.redirectUri], ["code_challenge", `${r.challenge} (S256)`],
        ["nonce", r.nonce], ["scope", W.scope], ["user", `sub ${W.user.sub} (${W.user.name})`], ["expires", "in 60 seconds, single use"],
      ] },
      { type: "checks", title: "The client checks the callback (simulated in this page)", source: "simulated", call: "client: compare the state in the callback with the one stored in step 1",
        valid: stateOk, verdict: stateOk ? "✓ The callback answers the request this client made." : "✗ The state does not match: drop the callback.",
        checks: [stateOk
          ? { id: "state", ok: true, ref: "RFC 6749 §10.12", message: `state ${returnedState} equals the one the client stored in step 1, so this callback answers its own request (not a forged link)` }
          : { id: "state", ok: false, ref: "RFC 6749 §10.12", message: "the state differs from the stored one" }] },
    ],
  };
}

/** @param {Run} r @param {Check[]} tokenChecks @returns {Step} */
function step3(r, tokenChecks) {
  const W = WORLD;
  const request = tokenRequest({ grant_type: "authorization_code", code: r.code, redirect_uri: W.redirectUri, code_verifier: r.verifier }, r.clientSecret);
  const idClaims = r.idPayload;
  return {
    n: 3, id: "token", title: STEP_TITLES[2], route: "Client app → Authorization server → Client app",
    refs: ["RFC 6749 §4.1.3–4.1.4", "RFC 6749 §2.3.1", "RFC 7636 §4.5–4.6", "OIDC Core 3.1.3.1–3.1.3.3", "RFC 9068 §2"],
    lead: "my-app's server sends the code straight to the token endpoint — a back-channel request, server to server, not through the browser — authenticating with its client secret and adding the code_verifier it kept. The authorization server checks the client, that the code was issued to it for this redirect_uri, and that the verifier hashes to the challenge from step 1: proof that the code is redeemed by the sign-in that asked for it. Then it issues three tokens, each for a different recipient.",
    lanes: [
      { from: "client", to: "as", label: "POST /token (code, code_verifier)" },
      { from: "as", to: "client", label: "200 OK: id_token, access_token, refresh_token" },
    ],
    blocks: [
      { type: "http", title: "Token request, with the client's credentials in HTTP Basic", route: "Client app → Authorization server", text: request, note: DISPLAY_NOTE },
      { type: "checks", title: "The token endpoint's checks (simulated in this page)", source: "simulated", call: "authorization server: RFC 6749 §4.1.3 and RFC 7636 §4.6",
        checks: tokenChecks, valid: allOk(tokenChecks), verdict: allOk(tokenChecks) ? "✓ The code is redeemed: the server issues tokens." : "✗ 400 invalid_grant" },
      { type: "http", title: "Token response", route: "Authorization server → Client app", text: `HTTP/1.1 200 OK\nContent-Type: application/json\nCache-Control: no-store\n\n${JSON.stringify(r.tokenResponse, null, 2)}` },
      { type: "tokens", title: "Three tokens, three recipients", tokens: [
        { kind: "id_token", token: r.idToken, label: "ID token", note: "for the client: who signed in (aud my-app)" },
        { kind: "access_token", token: r.accessToken, label: "Access token", note: "for the API: what the client may do (aud api.example.com, typ at+jwt)" },
        { kind: "refresh_token", token: r.refreshToken, label: "Refresh token", note: "for the authorization server only", opaque: true },
      ] },
      { type: "compute", title: "at_hash links the two tokens", ref: "OIDC Core 3.1.3.6, 3.1.3.8", rows: [
        { label: "BASE64URL(left half of SHA-256(access_token)), computed here", value: r.atHash, field: "at_hash_computed" },
        { label: "at_hash in the ID token", value: String(idClaims.at_hash ?? ""), ok: idClaims.at_hash === r.atHash, field: "at_hash_claim" },
      ] },
      { type: "note", tone: "info", text: "The refresh token is an opaque random string, as most servers issue them: it is a handle into the authorization server's database, read by nobody else, so it needs no format. Revoking it is a row update." },
      { type: "note", tone: "info", text: "Where the tokens live: in my-app's server-side session. The token response went server to server; Alice's browser never sees a token and holds only my-app's session cookie. A browser-based app — a single-page app with no back end and no secret, a public client — would make this token request itself from JavaScript, without client authentication, and hold the tokens in the browser. That is why such an app MUST use PKCE (RFC 9700 §2.1.1) and why its refresh tokens must be sender-constrained or rotated (RFC 9700 §2.2.2)." },
    ],
  };
}

/** @param {Run} r @returns {Step} */
function step4(r) {
  const W = WORLD;
  const idPayload = r.idPayload;
  const res = r.idResult;
  return {
    n: 4, id: "validate-id-token", title: STEP_TITLES[3], route: "Client app (validates)",
    refs: ["OIDC Core 3.1.3.7", "OIDC Core 3.1.3.8", "OIDC Core 5.1"],
    lead: "The ID token is addressed to the client (aud my-app) and tells it who signed in. Before believing it, the client runs the checks of OIDC Core 3.1.3.7 — here tokenlab's real verify with the issuer's public key: signature, issuer, audience, expiry and the nonce the client stored in step 1.",
    lanes: [{ from: "client", to: "client", label: "validates the ID token", style: res.valid ? "ok" : "fail" }],
    blocks: [
      { type: "checks", title: "The client validates the ID token (tokenlab.verify)", source: "engine",
        call: `verify(id_token, { kind: "id_token", issuer: "${W.issuer}", clientId: "${W.clientId}", nonce: "${r.nonce}", accessToken, algorithms: ["${r.alg}"] })`,
        checks: res.checks, valid: res.valid, verdict: verdictOf(res, "The client accepts the ID token.", "The client must reject the ID token:") },
      { type: "compute", title: "The nonce ties the token to this sign-in", ref: "OIDC Core 3.1.3.7 step 11", rows: [
        { label: "nonce the client sent in step 1", value: r.nonce, field: "nonce_sent" },
        { label: "nonce in the ID token", value: String(idPayload.nonce ?? ""), ok: idPayload.nonce === r.nonce, field: "nonce_token" },
      ] },
      { type: "facts", title: "Who signed in", rows: [
        ["sub", `${idPayload.sub} — the stable identifier: key your user record on iss + sub, never on email`],
        ["name", String(idPayload.name ?? "")], ["email", `${idPayload.email ?? ""}${idPayload.email_verified ? " (verified)" : ""}`],
        ["auth_time", iso(Number(idPayload.auth_time))], ["iss", String(idPayload.iss ?? "")],
      ] },
      { type: "note", tone: "ok", text: "The ID token has done its job: my-app knows who Alice is and starts its own session, a cookie in her browser; the tokens stay on its server. It never sends the ID token to an API." },
    ],
  };
}

/** @param {Run} r @param {Check[]} scopeChecks @returns {Step} */
function step5(r, scopeChecks) {
  const W = WORLD;
  const res = r.apiResult;
  const ok = res.valid && allOk(scopeChecks);
  return {
    n: 5, id: "call-api", title: STEP_TITLES[4], route: "Client app → API → Client app",
    refs: ["RFC 6750 §2.1", "RFC 9068 §4", "RFC 6749 §7"],
    lead: "To the client the access token is an opaque string: it does not read it, it sends it in the Authorization header. The API validates it as RFC 9068 §4 requires — typ at+jwt, signature with the issuer's key, iss, aud equal to the API itself, exp — and then decides whether the scope allows this request.",
    lanes: [
      { from: "client", to: "api", label: "GET /v1/orders, Authorization: Bearer access_token" },
      { from: "api", to: "api", label: "validates token, scope", style: ok ? "ok" : "fail" },
      { from: "api", to: "client", label: ok ? "200 OK" : "401 Unauthorized" },
    ],
    blocks: [
      { type: "http", title: "API request", route: "Client app → API", text: `GET ${W.apiPath} HTTP/1.1\nHost: ${W.apiHost}\nAuthorization: Bearer ${r.accessToken}` },
      { type: "checks", title: "The API validates the access token (tokenlab.verify)", source: "engine",
        call: `verify(access_token, { kind: "access_token_rfc9068", issuer: "${W.issuer}", audience: "${W.api}", algorithms: ["${r.alg}"] })`,
        checks: res.checks, valid: res.valid, verdict: verdictOf(res, "The API accepts the access token.", "The API must reject the token:") },
      { type: "checks", title: "The API authorizes the request (simulated in this page)", source: "simulated", call: `API: does the scope allow GET ${W.apiPath}?`,
        checks: scopeChecks, valid: allOk(scopeChecks), verdict: allOk(scopeChecks) ? `✓ ${W.requiredScope} is granted.` : "✗ 403 insufficient_scope" },
      { type: "http", title: "API response", route: "API → Client app", text: `HTTP/1.1 200 OK\nContent-Type: application/json\n\n${JSON.stringify({ orders: [{ id: "A-1001", total: "42.00 EUR" }], owner: W.user.sub }, null, 2)}` },
    ],
  };
}

/** @param {Run} r @param {Check[]} refreshChecks @param {any} oldAt @param {any} newAt @returns {Step} */
function step6(r, refreshChecks, oldAt, newAt) {
  const W = WORLD;
  const request = tokenRequest({ grant_type: "refresh_token", refresh_token: r.refreshToken }, r.clientSecret);
  const res = r.newApiResult;
  return {
    n: 6, id: "refresh", title: STEP_TITLES[5], route: "Client app → Authorization server → Client app → API",
    refs: ["RFC 6749 §6", "RFC 9700 §4.14", "RFC 9068 §4"],
    lead: "An hour later the access token has expired (expires_in 3600). Rather than send Alice back to sign in, my-app's server trades the refresh token at the token endpoint for a new access token, authenticating with its client secret as in step 3. The refresh token goes only to the authorization server — never to an API.",
    lanes: [
      { from: "client", to: "as", label: "POST /token (grant_type=refresh_token)" },
      { from: "as", to: "client", label: "200 OK: new access_token (+ rotated refresh_token)" },
      { from: "client", to: "api", label: "GET /v1/orders, Bearer new access_token" },
      { from: "api", to: "client", label: res.valid ? "200 OK" : "401 Unauthorized", style: res.valid ? "ok" : "fail" },
    ],
    blocks: [
      { type: "http", title: "Refresh request", route: "Client app → Authorization server", text: request, note: DISPLAY_NOTE },
      { type: "checks", title: "The token endpoint's checks (simulated in this page)", source: "simulated", call: "authorization server: RFC 6749 §6",
        checks: refreshChecks, valid: allOk(refreshChecks), verdict: "✓ A new access token is issued. Alice is not involved." },
      { type: "http", title: "Refresh response", route: "Authorization server → Client app", text: `HTTP/1.1 200 OK\nContent-Type: application/json\nCache-Control: no-store\n\n${JSON.stringify(r.refreshResponse, null, 2)}` },
      { type: "tokens", title: "The new tokens", tokens: [
        { kind: "access_token", token: r.newAccessToken, label: "New access token", note: `valid until ${iso(Number(newAt.exp))}` },
        { kind: "refresh_token", token: r.newRefreshToken, label: "New refresh token", note: "rotated: the old one no longer works", opaque: true },
      ] },
      { type: "note", tone: "info", text: "The simulation moved its clock an hour ahead for this step. The inspector uses your real clock, so it sees the new access token as issued in the future." },
      { type: "compute", title: "Old and new access token", rows: [
        { label: "old exp (expired when the client refreshed)", value: `${iso(Number(oldAt.exp))}` },
        { label: "new exp", value: `${iso(Number(newAt.exp))}` },
        { label: "old jti → new jti", value: `${oldAt.jti} → ${newAt.jti}`, ok: oldAt.jti !== newAt.jti },
      ] },
      { type: "checks", title: "The API validates the new access token (tokenlab.verify, clock at the refresh)", source: "engine",
        call: `verify(new_access_token, { kind: "access_token_rfc9068", issuer: "${W.issuer}", audience: "${W.api}", now: ${r.t1 + 1} })`,
        checks: res.checks, valid: res.valid, verdict: verdictOf(res, "The API accepts the new access token.", "The API rejects the new token:") },
    ],
  };
}

// --------------------------------------------------------------- the mistakes

/**
 * Plays one mistake on top of a finished run.
 * @param {Api} api
 * @param {Run} run
 * @param {string} id one of MISTAKES' ids
 * @returns {Promise<Mistake>}
 */
export async function runMistake(api, run, id) {
  const meta = MISTAKES.find((m) => m.id === id);
  if (!meta) throw new Error(`Unknown mistake “${id}”. Try one of: ${MISTAKES.map((m) => m.id).join(", ")}.`);
  const W = WORLD;
  const apiOpts = { key: run.publicKey, kind: "access_token_rfc9068", issuer: W.issuer, audience: W.api, algorithms: [run.alg], now: run.t0 + 2 };
  const idOpts = { key: run.publicKey, kind: "id_token", issuer: W.issuer, clientId: W.clientId, audience: W.clientId, nonce: run.nonce, algorithms: [run.alg], now: run.t0 + 1 };
  const base = { id, step: meta.step, n: meta.step, title: meta.title };
  /** @param {any} r */
  const failedIds = (r) => r.checks.filter((/** @type {Check} */ c) => !c.ok).map((/** @type {Check} */ c) => c.id);
  /** @param {string} desc */
  const bearer401 = (desc) => `HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error="invalid_token",\n  error_description="${desc}"`;

  switch (id) {
    case "id-token-to-api": {
      const r = await api.verify(run.idToken, apiOpts);
      return { ...base, route: "Client app → API", refs: ["RFC 9068 §4", "RFC 8725 §3.11", "OIDC Core 2"], fails: failedIds(r),
        lead: "A classic bug: the client already holds a JWT that says who Alice is, so it sends the ID token as the Bearer token instead of the access token.",
        lanes: [
          { from: "client", to: "api", label: "GET /v1/orders, Bearer id_token", style: "fail" },
          { from: "api", to: "client", label: "401 invalid_token", style: "fail" },
        ],
        blocks: [
          { type: "http", title: "The wrong token in the Authorization header", route: "Client app → API", text: `GET ${W.apiPath} HTTP/1.1\nHost: ${W.apiHost}\nAuthorization: Bearer ${run.idToken}` },
          { type: "checks", title: "The API validates it as an access token (tokenlab.verify)", source: "engine",
            call: `verify(id_token, { kind: "access_token_rfc9068", issuer: "${W.issuer}", audience: "${W.api}" })`,
            checks: r.checks, valid: r.valid, verdict: verdictOf(r, "Accepted?!", "401: the API rejects the ID token.") },
          { type: "http", title: "The API's answer", route: "API → Client app", text: bearer401("not an access token for this API") },
          { type: "tokens", title: "The token that was sent", tokens: [{ kind: "id_token", token: run.idToken, label: "ID token", note: "aud my-app, typ JWT" }] },
        ],
        why: "The ID token is addressed to the client (aud my-app), not to the API, and says nothing about what the client may do — it has no scope. If APIs accepted ID tokens, any app Alice ever signed in to could replay its ID token at your API as her. RFC 9068 requires typ at+jwt and the API's own audience precisely so that one kind of token cannot be substituted for another (RFC 8725 §3.11, cross-JWT confusion)." };
    }
    case "client-reads-access-token": {
      const r = await api.verify(run.accessToken, idOpts);
      let purpose = null;
      try {
        purpose = (await api.explain(run.accessToken)).purpose;
      } catch {
        // The checks below still tell the story.
      }
      /** @type {Block[]} */
      const blocks = [
        { type: "code", title: "The buggy client code", text: `// ✗ The access token is not addressed to the client\nconst claims = jwtDecode(tokens.access_token);  // reads, verifies nothing\nsession.user = claims.sub;            // who signed in? not proven\nif (claims.scope.includes("api:read")) showOrders();\n\n// ✓ Validate the ID token for identity; forward the access token untouched\nsession.user = (await validateIdToken(tokens.id_token, { nonce })).sub;\nawait fetch("${W.api}${W.apiPath}", { headers: { Authorization: \`Bearer \${tokens.access_token}\` } });` },
        { type: "checks", title: "Checked as what the client needs — an ID token for this sign-in (tokenlab.verify)", source: "engine",
          call: `verify(access_token, { kind: "id_token", issuer: "${W.issuer}", clientId: "${W.clientId}", nonce: "${run.nonce}" })`,
          checks: r.checks, valid: r.valid, verdict: verdictOf(r, "Accepted?!", "It fails as proof of who signed in:") },
      ];
      if (purpose) blocks.push({ type: "facts", title: "What tokenlab's explain says about the access token", rows: /** @type {[string, string][]} */ ([["Meant for", purpose.for], ["Not for", purpose.notFor]].filter(([, v]) => v)) });
      blocks.push({ type: "tokens", title: "The token the client should forward, not read", tokens: [{ kind: "access_token", token: run.accessToken, label: "Access token", note: "aud api.example.com, typ at+jwt" }] });
      return { ...base, route: "Client app (reads the access token)", refs: ["RFC 9068 §6", "RFC 6749 §1.4", "OIDC Core 3.1.3.7"], fails: failedIds(r),
        lead: "The client decodes the access token to learn who signed in, or to decide what to show. It is a JWT, so it is readable — but it is not addressed to the client.",
        lanes: [{ from: "client", to: "client", label: "reads the access token", style: "fail" }],
        blocks,
        why: "The access token's audience is the API; its format is a private contract between the authorization server and the API and may become opaque or encrypted tomorrow, breaking your client (RFC 9068 §6: the client must not inspect it). It carries no nonce, so nothing ties it to this sign-in: an access token issued to another client could be substituted. Take identity from the validated ID token, and what was granted from the token response's scope and expires_in." };
    }
    case "wrong-nonce": {
      const oldNonce = randomString(16);
      const stolen = await api.mint({
        kind: "id_token", key: run.key, lifetime: W.lifetime, now: run.t0 - 900,
        claims: { iss: W.issuer, sub: W.user.sub, aud: W.clientId, nonce: oldNonce, auth_time: run.t0 - 902, name: W.user.name, email: W.user.email, email_verified: true },
      });
      const r = await api.verify(stolen.token, idOpts);
      return { ...base, route: "Attacker → Browser → Client app", refs: ["OIDC Core 3.1.3.7 step 11", "OIDC Core 15.5.2"], fails: failedIds(r),
        lead: "An attacker captured a genuine ID token from an earlier sign-in (a leaked log, a compromised page) and injects it into this login. Its signature is valid — the issuer really signed it — but its nonce is not the one this client stored for this sign-in.",
        lanes: [{ from: "browser", to: "client", label: "callback with a replayed ID token", style: "fail" }, { from: "client", to: "client", label: "nonce ≠ stored", style: "fail" }],
        blocks: [
          { type: "compute", title: "Two nonces", ref: "OIDC Core 3.1.3.7 step 11", rows: [
            { label: "nonce this client sent in step 1", value: run.nonce },
            { label: "nonce in the replayed ID token (from another sign-in)", value: oldNonce, ok: false },
          ] },
          { type: "checks", title: "The client validates the replayed ID token (tokenlab.verify)", source: "engine",
            call: `verify(replayed_id_token, { kind: "id_token", issuer: "${W.issuer}", clientId: "${W.clientId}", nonce: "${run.nonce}" })`,
            checks: r.checks, valid: r.valid, verdict: verdictOf(r, "Accepted?!", "The client rejects the replayed ID token:") },
          { type: "tokens", title: "The replayed token", tokens: [{ kind: "id_token", token: stolen.token, label: "Replayed ID token", note: `nonce ${ellipsis(oldNonce, 6)}` }] },
        ],
        why: "Everything else about the token is right, which is the point: only the nonce ties an ID token to this browser session. Without the check, a stolen ID token can be injected to sign someone in as Alice. The client must store the nonce with the session (a cookie-bound value) and compare it exactly." };
    }
    case "wrong-audience": {
      const r = await api.verify(run.accessToken, { ...apiOpts, audience: W.otherApi });
      return { ...base, route: "Client app → another API", refs: ["RFC 9068 §4", "RFC 8707 §2", "RFC 9700 §2.3"], fails: failedIds(r),
        lead: `The access token was issued for ${W.api}. The client — or a malicious API that received Alice's token — presents it to a different API, ${W.otherApi}, which validates it against its own identifier.`,
        lanes: [{ from: "client", to: "api", label: "Bearer token for api.example.com → billing API", style: "fail" }, { from: "api", to: "client", label: "401 invalid_token (aud)", style: "fail" }],
        blocks: [
          { type: "http", title: "The same token, another API", route: "Client app → billing API", text: `GET /v1/invoices HTTP/1.1\nHost: billing.example.com\nAuthorization: Bearer ${run.accessToken}` },
          { type: "checks", title: "The billing API validates it (tokenlab.verify)", source: "engine",
            call: `verify(access_token, { kind: "access_token_rfc9068", issuer: "${W.issuer}", audience: "${W.otherApi}" })`,
            checks: r.checks, valid: r.valid, verdict: verdictOf(r, "Accepted?!", "401: the billing API rejects a token meant for another API.") },
          { type: "http", title: "The billing API's answer", route: "billing API → Client app", text: bearer401("the token is not for this API") },
        ],
        why: "If APIs accepted tokens meant for others, every API that ever received a token could replay it as Alice everywhere else. Each API checks aud against its own identifier; a client that needs several APIs asks for a token per audience (RFC 8707 resource indicators)." };
    }
    case "expired-token": {
      const later = run.t0 + W.lifetime + 600;
      const expired = await api.verify(run.accessToken, { ...apiOpts, now: later });
      const fresh = await api.mint({
        kind: "access_token", key: run.key, lifetime: W.lifetime, now: later + 1,
        claims: { iss: W.issuer, sub: W.user.sub, aud: W.api, client_id: W.clientId, scope: W.scope },
      });
      const retry = await api.verify(fresh.token, { ...apiOpts, now: later + 2 });
      const request = tokenRequest({ grant_type: "refresh_token", refresh_token: run.refreshToken }, run.clientSecret);
      return { ...base, route: "Client app → API → Authorization server → API", refs: ["RFC 9068 §4", "RFC 6750 §3.1", "RFC 6749 §6", "RFC 7662"], fails: failedIds(expired),
        lead: `Seventy minutes after sign-in (${iso(later)}), the client calls the API with the access token it got in step 3. It expired ten minutes ago.`,
        lanes: [
          { from: "client", to: "api", label: "Bearer old access_token", style: "fail" },
          { from: "api", to: "client", label: "401 invalid_token (expired)", style: "fail" },
          { from: "client", to: "as", label: "POST /token (refresh_token)" },
          { from: "as", to: "client", label: "200 OK: new access_token" },
          { from: "client", to: "api", label: "retry with the new token", style: "ok" },
          { from: "api", to: "client", label: "200 OK", style: "ok" },
        ],
        blocks: [
          { type: "checks", title: `The API validates the old token at ${iso(later)} (tokenlab.verify with now)`, source: "engine",
            call: `verify(access_token, { kind: "access_token_rfc9068", issuer: "${W.issuer}", audience: "${W.api}", now: ${later} })`,
            checks: expired.checks, valid: expired.valid, verdict: verdictOf(expired, "Accepted?!", "401: the token has expired.") },
          { type: "http", title: "The API's answer", route: "API → Client app", text: bearer401("The access token expired") },
          { type: "http", title: "The client refreshes — Alice is not involved", route: "Client app → Authorization server", text: request, note: DISPLAY_NOTE },
          { type: "checks", title: "The API validates the refreshed token (tokenlab.verify)", source: "engine",
            call: `verify(new_access_token, { kind: "access_token_rfc9068", issuer: "${W.issuer}", audience: "${W.api}", now: ${later + 2} })`,
            checks: retry.checks, valid: retry.valid, verdict: verdictOf(retry, "200 OK: the retry succeeds.", "The refreshed token was rejected:") },
          { type: "tokens", title: "Expired and fresh", tokens: [
            { kind: "access_token", token: run.accessToken, label: "Expired access token", note: "from step 3" },
            { kind: "access_token", token: fresh.token, label: "Fresh access token", note: "from the refresh" },
          ] },
        ],
        why: "Short-lived access tokens limit the damage of a leaked one: an API that validates a JWT access token locally accepts it until exp, even if it was revoked meanwhile. An API that must notice revocation sooner can ask the authorization server whether the token is still active (token introspection, RFC 7662) — at the cost of a call per token. A 401 with error=\"invalid_token\" is not a reason to send the user to sign in again: the client refreshes with the refresh token and retries once. Refresh a little before expires_in runs out to avoid the round trip." };
    }
    case "alg-none": {
      const { parts } = await api.decode(run.accessToken);
      const forged = { ...run.accessPayload, scope: `${run.accessPayload.scope} api:write api:admin` };
      const header = { alg: "none", typ: "at+jwt" };
      const unsigned = `${encodeJSON(header)}.${encodeJSON(forged)}.`;
      const tampered = `${parts[0]}.${encodeJSON(forged)}.${parts[2]}`;
      const r = await api.verify(unsigned, apiOpts);
      const r2 = await api.verify(tampered, apiOpts);
      return { ...base, route: "Attacker → API", refs: ["RFC 8725 §3.1", "RFC 8725 §2.1", "RFC 7515 §5.2"], fails: failedIds(r),
        lead: "An attacker takes Alice's access token, adds api:write api:admin to its scope, sets the header's alg to none and drops the signature. A verifier that lets the token choose its algorithm would accept it.",
        lanes: [{ from: "client", to: "api", label: "Bearer forged token (alg: none)", style: "fail" }, { from: "api", to: "client", label: "401 invalid_token (alg)", style: "fail" }],
        blocks: [
          { type: "compute", title: "The forgery", rows: [
            { label: "header", value: JSON.stringify(header) },
            { label: "scope", value: String(forged.scope) },
            { label: "signature", value: "(empty)" },
          ] },
          { type: "checks", title: "The API validates the forged token (tokenlab.verify)", source: "engine",
            call: `verify(forged, { kind: "access_token_rfc9068", issuer: "${W.issuer}", audience: "${W.api}", algorithms: ["${run.alg}"] })`,
            checks: r.checks, valid: r.valid, verdict: verdictOf(r, "Accepted?!", "401: an unsigned token proves nothing.") },
          { type: "checks", title: "Variant: keep alg ES256 and the old signature over the edited payload", source: "engine",
            call: `verify(edited, { kind: "access_token_rfc9068", issuer: "${W.issuer}", audience: "${W.api}" })`,
            checks: r2.checks, valid: r2.valid, verdict: verdictOf(r2, "Accepted?!", "401: the signature no longer matches.") },
          { type: "tokens", title: "The forged tokens", tokens: [
            { kind: "access_token", token: unsigned, label: "alg none, no signature", note: "unsecured JWT" },
            { kind: "access_token", token: tampered, label: "Edited payload, old signature", note: "signature mismatch" },
          ] },
        ],
        why: "A JWT's claims are only as good as its signature, and the header is written by whoever made the token. Libraries that honoured alg none, or let the header pick the algorithm, let anyone mint tokens. The verifier fixes the accepted algorithms from its own configuration (here [\"ES256\"]) and never accepts none." };
    }
    case "pkce-swap": {
      const attackerVerifier = createVerifier();
      const grant = { code: run.code, clientId: W.clientId, clientSecret: run.clientSecret, redirectUri: W.redirectUri, challenge: run.challenge, expires: run.codeExpires, used: false };
      const checks = await tokenEndpointChecks(grant, { code: run.code, clientId: W.clientId, clientSecret: run.clientSecret, redirectUri: W.redirectUri, verifier: attackerVerifier }, run.t0);
      const request = tokenRequest({ grant_type: "authorization_code", code: run.code, redirect_uri: W.redirectUri, code_verifier: attackerVerifier }, run.clientSecret);
      return { ...base, route: "Attacker's browser → Client app → Authorization server", refs: ["RFC 9700 §4.5", "RFC 7636 §4.6", "RFC 9700 §2.1.1"], fails: checks.filter((c) => !c.ok).map((c) => c.id),
        lead: "An attacker got hold of Alice's authorization code — from a log, a Referer header or her browser history. A stolen code alone is useless at the token endpoint, which wants my-app's client secret, so the attacker injects it into a sign-in of its own: it starts signing in to my-app in its own browser (my-app keeps a fresh code_verifier in the attacker's session) and swaps Alice's code into the callback. my-app's server redeems the code with its real credentials — and the attacker's session's verifier.",
        lanes: [
          { from: "browser", to: "client", label: "attacker's browser: callback with Alice's code", style: "fail" },
          { from: "client", to: "as", label: "POST /token (Alice's code, the attacker session's verifier)", style: "fail" },
          { from: "as", to: "client", label: "400 invalid_grant", style: "fail" },
        ],
        blocks: [
          { type: "http", title: "my-app's token request in the attacker's session", route: "Client app → Authorization server", text: request, note: DISPLAY_NOTE },
          { type: "compute", title: "The authorization server compares", ref: "RFC 7636 §4.6", rows: [
            { label: "code_challenge stored with Alice's code in step 1", value: run.challenge },
            { label: "BASE64URL(SHA-256(code_verifier of the attacker's session))", value: await s256(attackerVerifier), ok: false },
          ] },
          { type: "checks", title: "The token endpoint's checks (simulated in this page)", source: "simulated", call: "authorization server: RFC 6749 §4.1.3 and RFC 7636 §4.6",
            checks, valid: allOk(checks), verdict: allOk(checks) ? "Accepted?!" : "✗ 400 invalid_grant: the attacker's session gets no tokens." },
          { type: "http", title: "The answer", route: "Authorization server → Client app", text: `HTTP/1.1 400 Bad Request\nContent-Type: application/json\nCache-Control: no-store\n\n${JSON.stringify({ error: "invalid_grant", error_description: "PKCE verification failed" }, null, 2)}` },
        ],
        why: "This is authorization code injection (RFC 9700 §4.5). Client authentication cannot stop it — the genuine client redeems the code — and without PKCE the attacker would be signed in to my-app as Alice. With S256 the code is bound to the verifier of the sign-in that asked for it, which never left that session, and the challenge an attacker may have seen cannot be turned back into the verifier: SHA-256 is one-way. RFC 9700 §2.1.1 therefore makes PKCE RECOMMENDED for confidential clients like my-app (which MAY rely on a carefully checked nonce instead), REQUIRED for public clients, for which a stolen code would otherwise be as good as tokens, and requires every authorization server to support it." };
    }
    case "dpop-no-proof":
    case "dpop-wrong-request":
    case "dpop-replay":
      return { ...base, ...(await dpopMistake(api, run, id)) };
  }
  throw new Error(`Unknown mistake “${id}”.`);
}

/** What the DPoP mistakes have in common: the premise that my-app asked for DPoP-bound tokens. */
const DPOP_PREMISE = "Suppose my-app had asked for DPoP-bound tokens: my-app's back end keeps a DPoP key pair next to its client secret and sent a DPoP proof with the token request in step 3, so the authorization server bound the access token to that key, naming the key's thumbprint in cnf.jkt (RFC 9449 §5, §6.1). Every API call must then carry a fresh proof signed by that key.";

/**
 * One of the DPoP mistakes, played against a simulated API that requires
 * DPoP (dpop-api.js): the engine checks the token and the proof; the API
 * remembers the jtis it accepted.
 * @param {Api} api
 * @param {Run} run
 * @param {"dpop-no-proof" | "dpop-wrong-request" | "dpop-replay"} id
 * @returns {Promise<Omit<Mistake, "id" | "step" | "n" | "title">>}
 */
async function dpopMistake(api, run, id) {
  const W = WORLD;
  const now = run.t0 + 2;
  const client = await api.generateKey({ alg: "ES256" });
  const bound = await api.mint({
    kind: "access_token", key: run.key, lifetime: W.lifetime, now: run.t0, dpopKey: client.publicJwk,
    claims: { iss: W.issuer, sub: W.user.sub, aud: W.api, client_id: W.clientId, scope: W.scope },
  });
  const server = new DpopApi(api, { key: run.publicKey, issuer: W.issuer, audience: W.api, algs: [run.alg] });
  const htu = `${W.api}${W.apiPath}`;
  /** @param {string} [proof] */
  const request = (proof) => `GET ${W.apiPath} HTTP/1.1\nHost: ${W.apiHost}\nAuthorization: DPoP ${bound.token}${proof ? `\nDPoP: ${proof}` : ""}`;
  /** @type {FlowToken} */
  const boundToken = { kind: "access_token", token: bound.token, label: "DPoP-bound access token", note: `cnf.jkt ${ellipsis(String(bound.payload.cnf?.jkt ?? ""), 8)}` };
  /** @param {import("../dpop-api.js").DpopAnswer} a @param {string} title @param {string} call */
  const checksOf = (a, title, call) => /** @type {Block} */ ({
    type: "checks", title, source: "engine", call,
    checks: a.result?.checks ?? [], valid: !!a.result?.valid,
    verdict: { lead: a.status === 200 ? `${a.status} OK: ${a.reason}` : `401: ${a.reason}`, result: a.result },
  });
  const proofCall = `verify(proof, { kind: "dpop_proof", htm: "GET", htu: "${htu}", accessToken: bound_token })`;
  switch (id) {
    case "dpop-no-proof": {
      const answer = await server.handle({ accessToken: bound.token, htm: "GET", htu, now });
      let bindingNote = "";
      try {
        bindingNote = ((await api.explain(bound.token)).findings ?? []).find((/** @type {any} */ f) => f.id === "dpop-bound")?.message ?? "";
      } catch {
        // The answer below tells the story.
      }
      /** @type {Block[]} */
      const blocks = [
        { type: "note", tone: "info", text: DPOP_PREMISE },
        { type: "http", title: "The token, and no DPoP header", route: "Client app → API", text: request() },
      ];
      if (bindingNote) blocks.push({ type: "facts", title: "What tokenlab's explain says about the token", rows: [["cnf.jkt", bindingNote]] });
      blocks.push(
        { type: "http", title: "The API's answer", route: "API → Client app", text: answer.response },
        { type: "tokens", title: "The token that was sent", tokens: [boundToken] },
      );
      return { route: "Client app → API", refs: ["RFC 9449 §7.1", "RFC 9449 §6.1"], fails: answer.failed,
        lead: "my-app's back end calls the API with the DPoP-bound access token as it would with a Bearer token: the Authorization header, and no DPoP proof.",
        lanes: [{ from: "client", to: "api", label: "GET /v1/orders, no DPoP proof", style: "fail" }, { from: "api", to: "client", label: "401 WWW-Authenticate: DPoP", style: "fail" }],
        blocks,
        why: `${answer.reason} That is the point of DPoP: a bound token is worth nothing to whoever copies it from a log or a compromised proxy, because only the holder of the private key can sign the proof each request needs. The client's fix is to send a proof with every call.` };
    }
    case "dpop-wrong-request": {
      const tokenProof = await api.mint({ kind: "dpop_proof", key: client.privateJwk, htm: "POST", htu: W.tokenEndpoint, now });
      const answer = await server.handle({ accessToken: bound.token, proof: tokenProof.token, htm: "GET", htu, now });
      return { route: "Client app → API", refs: ["RFC 9449 §4.2", "RFC 9449 §4.3", "RFC 9449 §7.1"], fails: answer.failed,
        lead: "To save a signature, my-app's back end sends the API the proof it made for the token request in step 3. It is signed by the right key — but for another request.",
        lanes: [{ from: "client", to: "api", label: "GET /v1/orders, DPoP: the proof for POST /token", style: "fail" }, { from: "api", to: "client", label: "401 invalid_dpop_proof", style: "fail" }],
        blocks: [
          { type: "note", tone: "info", text: DPOP_PREMISE },
          { type: "compute", title: "What the proof names, and the request it came with", ref: "RFC 9449 §4.2", rows: [
            { label: "htm, htu in the proof", value: `POST ${W.tokenEndpoint}`, ok: false },
            { label: "the request", value: `GET ${htu}` },
            { label: "ath in the proof", value: String(tokenProof.payload.ath ?? "(none: the token request had no access token)"), ok: false },
          ] },
          { type: "http", title: "The request", route: "Client app → API", text: request(tokenProof.token) },
          checksOf(answer, "The API checks the proof against the request (tokenlab.verify)", proofCall),
          { type: "http", title: "The API's answer", route: "API → Client app", text: answer.response },
          { type: "tokens", title: "The tokens sent", tokens: [boundToken, { kind: "dpop_proof", token: tokenProof.token, label: "DPoP proof for POST /token", note: "htm POST, no ath" }] },
        ],
        why: "A DPoP proof is made for one HTTP request: its method (htm), its URI without query and fragment (htu) and, at a resource server, the hash of the access token (ath). A proof captured from one request therefore cannot be used for another, even by the client itself: it signs a new proof, with a new jti, for every call (RFC 9449 §4.2, §4.3)." };
    }
    default: {
      const proof = await api.mint({ kind: "dpop_proof", key: client.privateJwk, htm: "GET", htu, accessToken: bound.token, now });
      const first = await server.handle({ accessToken: bound.token, proof: proof.token, htm: "GET", htu, now });
      const again = await server.handle({ accessToken: bound.token, proof: proof.token, htm: "GET", htu, now: now + 30 });
      return { route: "Attacker → API", refs: ["RFC 9449 §11.1", "RFC 9449 §4.3"], fails: again.failed,
        lead: "An attacker on the path (a logging proxy, a compromised TLS terminator) captures one of my-app's requests — the bound token and its proof — and sends it again thirty seconds later.",
        lanes: [
          { from: "client", to: "api", label: "GET /v1/orders with token + proof", style: "ok" },
          { from: "api", to: "client", label: "200 OK", style: "ok" },
          { from: "client", to: "api", label: "the same request, replayed", style: "fail" },
          { from: "api", to: "client", label: "401 invalid_dpop_proof (jti seen)", style: "fail" },
        ],
        blocks: [
          { type: "note", tone: "info", text: DPOP_PREMISE },
          { type: "http", title: "The captured request", route: "Client app → API", text: request(proof.token) },
          checksOf(first, "First use: the API checks the proof (tokenlab.verify) and remembers its jti", proofCall),
          checksOf(again, "The replay, 30 s later: the same checks pass again", proofCall),
          { type: "http", title: "The API's answer to the replay", route: "API → Attacker", text: again.response },
          { type: "tokens", title: "The captured token and proof", tokens: [boundToken, { kind: "dpop_proof", token: proof.token, label: "DPoP proof", note: `jti ${ellipsis(String(proof.payload.jti ?? ""), 8)}` }] },
        ],
        why: `${again.reason} A short iat window alone would leave the proof usable for minutes; remembering jtis for that window closes the gap. An API served by several machines needs a shared store for them, or a DPoP-Nonce of its own (RFC 9449 §9, §11.1).` };
    }
  }
}
