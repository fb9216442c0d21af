// @ts-check
/**
 * The API benchmark page's module. `make bench` calls window.bench.* one
 * scenario at a time; every figure is measured here, in the page, with
 * performance.now(), so the numbers are what a page script would see:
 * tokenlab's include the postMessage round trip to its worker.
 */
import { tokenlab } from "/tokenlab.js";
import * as jose from "/bench/jose/index.js";

const enc = new TextEncoder();

/** @param {string} s */
function b64uBytes(s) {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
/** @param {string} s */
const b64uJSON = (s) => JSON.parse(new TextDecoder().decode(b64uBytes(s)));

/** WebCrypto parameters per JWS algorithm (import, verify). */
const WEBCRYPTO = {
  RS256: { import: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verify: { name: "RSASSA-PKCS1-v1_5" } },
  ES256: { import: { name: "ECDSA", namedCurve: "P-256" }, verify: { name: "ECDSA", hash: "SHA-256" } },
  EdDSA: { import: { name: "Ed25519" }, verify: { name: "Ed25519" } },
};

/** Whether tokenlab.js has inspect (decode and explain from one decode). */
const HAS_INSPECT = typeof (/** @type {any} */ (tokenlab)).inspect === "function";

/** Key generation specs: tokenlab's options and WebCrypto's equivalent. */
const KEYGEN = {
  "RSA-2048": { tokenlab: { alg: "RS256", bits: 2048 }, webcrypto: [{ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, ["sign", "verify"]] },
  "RSA-4096": { tokenlab: { alg: "RS256", bits: 4096 }, webcrypto: [{ name: "RSASSA-PKCS1-v1_5", modulusLength: 4096, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, ["sign", "verify"]] },
  "P-256": { tokenlab: { alg: "ES256" }, webcrypto: [{ name: "ECDSA", namedCurve: "P-256" }, ["sign", "verify"]] },
  Ed25519: { tokenlab: { alg: "EdDSA" }, webcrypto: [{ name: "Ed25519" }, ["sign", "verify"]] },
};

/** Claims that make a typical ~1 KB RS256 ID token. @param {string} sub */
export function typicalClaims(sub) {
  return {
    iss: "https://login.example.com/tenant-7c1d2e3f",
    sub,
    aud: "my-app-client-id-0123456789",
    name: "Ada Lovelace",
    given_name: "Ada",
    family_name: "Lovelace",
    email: "ada.lovelace@example.com",
    email_verified: true,
    preferred_username: "ada@example.com",
    locale: "en-GB",
    amr: ["pwd", "mfa"],
    acr: "urn:example:acr:mfa",
    sid: "f1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
    groups: ["engineering", "analytical-engines", "admins"],
  };
}

/** @type {Record<string, {key: any, jwk: any, token: string, jose: any, webcrypto: CryptoKey}>} */
const fixtures = {};

/** Readable copies of the JWK fields WebCrypto accepts. @param {any} jwk */
function bareJwk(jwk) {
  const { kty, n, e, crv, x, y } = jwk;
  return Object.fromEntries(Object.entries({ kty, n, e, crv, x, y }).filter(([, v]) => v !== undefined));
}

/** Long tasks that overlap [t0, t1], as durations in ms. @param {number} t0 @param {number} t1 */
function longTasks(t0, t1) {
  return /** @type {any} */ (window).__bench.longtasks
    .filter((/** @type {any} */ e) => e.start + e.duration >= t0 && e.start <= t1)
    .map((/** @type {any} */ e) => Math.round(e.duration));
}

/** Times one call. @param {() => Promise<unknown>} fn */
async function time(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Lets the long-task observer deliver entries of work just finished. */
const settle = () => new Promise((r) => setTimeout(r, 60));

async function setup() {
  await tokenlab.ready;
  for (const alg of /** @type {const} */ (["RS256", "ES256", "EdDSA"])) {
    const key = await tokenlab.generateKey(alg === "RS256" ? { alg, bits: 2048 } : { alg });
    const { token } = await tokenlab.mint({ kind: "id_token", key, alg, claims: typicalClaims(`bench-${alg}`) });
    const jwk = key.publicJwk;
    fixtures[alg] = {
      key,
      jwk,
      token,
      jose: await jose.importJWK(jwk, alg),
      webcrypto: await crypto.subtle.importKey("jwk", bareJwk(jwk), WEBCRYPTO[alg].import, false, ["verify"]),
    };
  }
  const check = await tokenlab.verify(fixtures.RS256.token, { key: fixtures.RS256.jwk });
  return {
    inspectMethod: HAS_INSPECT,
    tokenBytes: Object.fromEntries(Object.entries(fixtures).map(([alg, f]) => [alg, f.token.length])),
    rs256Valid: check.valid,
    rs256Failed: check.checks.filter((/** @type {any} */ c) => !c.ok).map((/** @type {any} */ c) => c.id),
  };
}

/**
 * The verification each baseline performs: tokenlab.verify (JWK parsed per
 * call, every rule checked and reported, worker round trip); jose.jwtVerify
 * with a key imported once (signature, alg, exp/nbf/iat); raw WebCrypto with
 * a key imported once (split, signature, JSON.parse, alg and exp).
 */
const IMPLS = {
  decode: {
    tokenlab: (/** @type {string} */ t) => tokenlab.decode(t),
    jose: async (/** @type {string} */ t) => [jose.decodeProtectedHeader(t), jose.decodeJwt(t)],
    js: async (/** @type {string} */ t) => t.split(".").slice(0, 2).map(b64uJSON),
  },
  explain: {
    tokenlab: (/** @type {string} */ t) => tokenlab.explain(t),
  },
  // What one paste costs: tokenlab.inspect (decode and explain from one
  // decode, one round trip) where tokenlab.js has it, else decode and
  // explain together; and decode and explain together, as
  // site/sections/inspect.js calls them.
  inspect: {
    tokenlab: (/** @type {string} */ t) => (HAS_INSPECT ? /** @type {any} */ (tokenlab).inspect(t) : Promise.all([tokenlab.decode(t), tokenlab.explain(t)])),
  },
  "decode + explain": {
    tokenlab: (/** @type {string} */ t) => Promise.all([tokenlab.decode(t), tokenlab.explain(t)]),
  },
};

/** The engine methods each operation's tokenlab call runs. @type {Record<string, string[]>} */
const ENGINE_METHODS = {
  decode: ["decode"],
  explain: ["explain"],
  inspect: HAS_INSPECT ? ["inspect"] : ["decode", "explain"],
  "decode + explain": ["decode", "explain"],
  "verify RS256": ["verify"],
  "verify ES256": ["verify"],
  "verify EdDSA": ["verify"],
};

/**
 * The engine's own time for the last call of each method, as the worker
 * measured it (tokenlab.stats().calls), summed; null on a build without it.
 * @param {string[]} methods
 */
async function engineTime(methods) {
  const calls = (await tokenlab.stats()).calls;
  if (!calls) return null;
  return methods.reduce((sum, m) => sum + (calls[m]?.last?.engineMs ?? NaN), 0);
}

/** @param {"RS256"|"ES256"|"EdDSA"} alg */
function verifiers(alg) {
  const f = fixtures[alg];
  return {
    tokenlab: async () => {
      const r = await tokenlab.verify(f.token, { key: f.jwk });
      if (!r.checks.find((/** @type {any} */ c) => c.id === "signature")?.ok) throw new Error(`tokenlab: ${alg} signature not ok`);
    },
    jose: () => jose.jwtVerify(f.token, f.jose, { algorithms: [alg] }),
    webcrypto: async () => {
      const [h, p, s] = f.token.split(".");
      const ok = await crypto.subtle.verify(WEBCRYPTO[alg].verify, f.webcrypto, b64uBytes(s), enc.encode(`${h}.${p}`));
      const header = b64uJSON(h);
      const payload = b64uJSON(p);
      if (!ok || header.alg !== alg || !(payload.exp > Date.now() / 1000)) throw new Error(`webcrypto: ${alg} not valid`);
    },
  };
}

/**
 * Round-trip latency: every implementation of every operation, interleaved
 * so machine noise hits them alike.
 * @param {number} n samples per implementation
 */
async function latency(n) {
  const t = fixtures.RS256.token;
  /** @type {Record<string, Record<string, () => Promise<unknown>>>} */
  const ops = {
    decode: Object.fromEntries(Object.entries(IMPLS.decode).map(([k, fn]) => [k, () => fn(t)])),
    explain: Object.fromEntries(Object.entries(IMPLS.explain).map(([k, fn]) => [k, () => fn(t)])),
    inspect: Object.fromEntries(Object.entries(IMPLS.inspect).map(([k, fn]) => [k, () => fn(t)])),
    "decode + explain": Object.fromEntries(Object.entries(IMPLS["decode + explain"]).map(([k, fn]) => [k, () => fn(t)])),
    "verify RS256": verifiers("RS256"),
    "verify ES256": verifiers("ES256"),
    "verify EdDSA": verifiers("EdDSA"),
  };
  /** @type {Record<string, Record<string, number[]>>} */
  const out = {};
  /** The engine's own time for each tokenlab sample. @type {Record<string, number[]>} */
  const engine = {};
  /** @type {Record<string, number[]>} */
  const lt = {};
  for (const [op, impls] of Object.entries(ops)) {
    out[op] = {};
    engine[op] = [];
    for (const [name, fn] of Object.entries(impls)) {
      out[op][name] = [];
      for (let i = 0; i < 3; i++) await fn(); // warm-up (JIT, tier-up)
    }
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      for (const [name, fn] of Object.entries(impls)) {
        out[op][name].push(await time(fn));
        if (name !== "tokenlab") continue;
        const ms = await engineTime(ENGINE_METHODS[op]);
        if (ms !== null) engine[op].push(ms);
      }
    }
    await settle();
    lt[op] = longTasks(t0, performance.now());
  }
  return { samples: out, engine, longtasks: lt };
}

/** Mint latency per algorithm. @param {number} n */
async function mint(n) {
  /** @type {Record<string, number[]>} */
  const out = {};
  const t0 = performance.now();
  for (const alg of /** @type {const} */ (["RS256", "ES256", "EdDSA"])) {
    const { key } = fixtures[alg];
    out[alg] = [];
    for (let i = 0; i < n; i++) {
      out[alg].push(await time(() => tokenlab.mint({ kind: "id_token", key, alg, claims: typicalClaims(`mint-${i}`) })));
    }
  }
  await settle();
  return { samples: out, longtasks: longTasks(t0, performance.now()) };
}

/**
 * Key generation, tokenlab (result: JWK, JWKS, PEM, thumbprint) against
 * WebCrypto generateKey alone, alternating.
 * @param {keyof typeof KEYGEN} spec
 * @param {number} n
 */
async function keygen(spec, n) {
  const s = KEYGEN[spec];
  /** @type {{tokenlab: number[], webcrypto: number[]}} */
  const out = { tokenlab: [], webcrypto: [] };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    out.tokenlab.push(await time(() => tokenlab.generateKey(s.tokenlab)));
    out.webcrypto.push(await time(() => crypto.subtle.generateKey(/** @type {any} */ (s.webcrypto[0]), true, /** @type {KeyUsage[]} */ (s.webcrypto[1]))));
  }
  await settle();
  return { samples: out, longtasks: longTasks(t0, performance.now()) };
}

/** Fresh ~1 KB tokens for the paste benchmark. @param {number} n */
async function pasteTokens(n) {
  const key = fixtures.RS256.key;
  const out = [];
  for (let i = 0; i < n; i++) {
    const sub = `paste-${i}-${Math.random().toString(36).slice(2, 10)}`;
    out.push({ sub, token: (await tokenlab.mint({ kind: "id_token", key, alg: "RS256", claims: typicalClaims(sub) })).token });
  }
  return out;
}

/**
 * Tokens for the embed scenarios: an ID token and an access token signed
 * with the EdDSA fixture key, with its public JWK and the access token's
 * audience (for a verify embed).
 */
async function embedTokens() {
  const { key, jwk } = fixtures.EdDSA;
  const audience = "https://api.example.com";
  const id = await tokenlab.mint({ kind: "id_token", key, claims: typicalClaims("embed-reader") });
  const access = await tokenlab.mint({ kind: "access_token", key, claims: { aud: audience, scope: "orders:read orders:write" } });
  return { id: id.token, access: access.token, jwk: JSON.stringify(jwk), audience };
}

/** @type {any} */ (window).bench = { setup, latency, mint, keygen, pasteTokens, embedTokens };
