// Cross-checks tokenlab's SD-JWTs (RFC 9901) and DPoP proofs (RFC 9449)
// against independent implementations, driven by interop_test.go:
//
//   - @sd-jwt/core verifies tokenlab's SD-JWT+KB and reads its claims;
//     it also issues and presents an SD-JWT for tokenlab to verify.
//   - jose (panva) verifies tokenlab's DPoP proof with its embedded jwk and
//     computes the RFC 7638 thumbprint; dpop (panva) makes a proof for
//     tokenlab to verify.
//
// Input on stdin: {sdjwt: {issuerJwk, issued, presented, audience, nonce},
// dpop: {proof, htm, htu, accessToken}}. Output on stdout: what the
// independent implementations found and made. Any failure exits non-zero
// with the reason on stderr.
import { createHash } from "node:crypto";
import { SDJwtInstance } from "@sd-jwt/core";
import { ES256, digest, generateSalt } from "@sd-jwt/crypto-nodejs";
import * as jose from "jose";
import * as dpop from "dpop";

const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
}));

const kbVerifier = async (data, sig, payload) => {
  const verify = await ES256.getVerifier(payload.cnf.jwk);
  return verify(data, sig);
};

/** Verifies tokenlab's SD-JWT as issued and as presented with a KB-JWT. */
async function verifyTokenlabSDJWT({ issuerJwk, issued, presented, audience, nonce }) {
  const sd = new SDJwtInstance({ hasher: digest, verifier: await ES256.getVerifier(issuerJwk), kbVerifier });
  const all = await sd.verify(issued);
  const shown = await sd.verify(presented, { keyBindingNonce: nonce });
  if (!shown.kb || shown.kb.payload.aud !== audience || shown.kb.header.typ !== "kb+jwt") {
    throw new Error(`the KB-JWT is not for ${audience}: ${JSON.stringify(shown.kb)}`);
  }
  return { issuedClaims: all.payload, presentedClaims: shown.payload };
}

/** Issues and presents an SD-JWT with nested, array and recursive disclosures. */
async function issueSDJWT() {
  const issuer = await ES256.generateKeyPair();
  const holder = await ES256.generateKeyPair();
  const now = Math.floor(Date.now() / 1000);
  const sd = new SDJwtInstance({
    hasher: digest, hashAlg: "sha-256", saltGenerator: generateSalt,
    signer: await ES256.getSigner(issuer.privateKey), signAlg: ES256.alg,
    verifier: await ES256.getVerifier(issuer.publicKey),
    kbSigner: await ES256.getSigner(holder.privateKey), kbSignAlg: ES256.alg, kbVerifier,
  });
  const claims = {
    iss: "https://issuer.node.example", iat: now, exp: now + 3600, sub: "user_7",
    given_name: "Ada", family_name: "Lovelace",
    address: { street_address: "12 St James's Square", locality: "London", country: "GB" },
    nationalities: ["GB", "IT"],
    cnf: { jwk: holder.publicKey },
  };
  const frame = {
    _sd: ["given_name", "family_name", "address"],
    _sd_decoy: 2,
    address: { _sd: ["street_address", "locality"] },
    nationalities: { _sd: [0, 1] },
  };
  const issued = await sd.issue(claims, frame, { header: { typ: "example+sd-jwt" } });
  const audience = "https://verifier.tokenlab.example";
  const nonce = "n-" + now;
  const presented = await sd.present(issued, { given_name: true, address: { locality: true }, nationalities: { 1: true } },
    { kb: { payload: { iat: now, aud: audience, nonce } } });
  const all = await sd.verify(issued);
  const shown = await sd.verify(presented, { keyBindingNonce: nonce });
  return { issuerJwk: issuer.publicKey, issued, presented, audience, nonce, issuedClaims: all.payload, presentedClaims: shown.payload };
}

/** Verifies tokenlab's DPoP proof with jose and recomputes ath and jkt. */
async function verifyTokenlabProof({ proof, htm, htu, accessToken }) {
  const { payload, protectedHeader } = await jose.jwtVerify(proof, jose.EmbeddedJWK, { typ: "dpop+jwt", algorithms: ["ES256", "EdDSA", "PS256", "RS256"] });
  const ath = createHash("sha256").update(accessToken).digest("base64url");
  if (payload.htm !== htm || payload.htu !== htu || payload.ath !== ath || typeof payload.jti !== "string" || typeof payload.iat !== "number") {
    throw new Error(`the proof's claims do not match the request: ${JSON.stringify(payload)}`);
  }
  if (protectedHeader.jwk.d !== undefined) throw new Error("the proof's jwk has a private member");
  return { jkt: await jose.calculateJwkThumbprint(protectedHeader.jwk, "sha256") };
}

/** Makes a DPoP proof with panva/dpop for an access token. */
async function makeProof() {
  const keypair = await dpop.generateKeyPair("ES256");
  const htm = "PATCH", htu = "https://api.node.example/items/7";
  const accessToken = "node-access-token-" + Date.now();
  const nonce = "server-nonce-1";
  const proof = await dpop.generateProof(keypair, htu + "?verbose=1", htm, nonce, accessToken);
  const jkt = await jose.calculateJwkThumbprint(await jose.exportJWK(keypair.publicKey), "sha256");
  return { proof, htm, htu, accessToken, nonce, jkt };
}

const out = {
  tokenlabSDJWT: await verifyTokenlabSDJWT(input.sdjwt),
  nodeSDJWT: await issueSDJWT(),
  tokenlabProof: await verifyTokenlabProof(input.dpop),
  nodeProof: await makeProof(),
};
process.stdout.write(JSON.stringify(out));
