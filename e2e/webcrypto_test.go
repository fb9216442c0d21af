//go:build browser

package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// webcryptoJS defines window.wc: the browser's own WebCrypto used as an
// independent JOSE implementation to cross-check tokenlab in both
// directions.
const webcryptoJS = `(() => {
  const enc = new TextEncoder();
  const b64u = {
    encode(bytes) {
      let s = "";
      for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
      return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    },
    decode(str) {
      const s = atob(str.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((str.length + 3) % 4));
      return Uint8Array.from(s, (c) => c.charCodeAt(0));
    },
  };
  const hashOf = (alg) => "SHA-" + alg.slice(2);
  function params(alg) {
    switch (alg.slice(0, 2)) {
      case "HS": return { importAlg: { name: "HMAC", hash: hashOf(alg) }, sign: { name: "HMAC" } };
      case "RS": return { importAlg: { name: "RSASSA-PKCS1-v1_5", hash: hashOf(alg) }, sign: { name: "RSASSA-PKCS1-v1_5" }, gen: { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: hashOf(alg) } };
      case "PS": return { importAlg: { name: "RSA-PSS", hash: hashOf(alg) }, sign: { name: "RSA-PSS", saltLength: Number(alg.slice(2)) / 8 }, gen: { name: "RSA-PSS", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: hashOf(alg) } };
      case "ES": {
        const crv = { ES256: "P-256", ES384: "P-384", ES512: "P-521" }[alg];
        return { importAlg: { name: "ECDSA", namedCurve: crv }, sign: { name: "ECDSA", hash: hashOf(alg) }, gen: { name: "ECDSA", namedCurve: crv } };
      }
      case "Ed": return { importAlg: { name: "Ed25519" }, sign: { name: "Ed25519" }, gen: { name: "Ed25519" } };
    }
    throw new Error("no WebCrypto mapping for " + alg);
  }
  // verify checks a compact JWS with a JWK (public, or oct for HMAC).
  async function verify(token, jwk, alg) {
    const p = params(alg);
    const [h, pl, sig] = token.split(".");
    const clean = { ...jwk }; delete clean.alg; delete clean.use; delete clean.kid; delete clean.key_ops;
    const key = await crypto.subtle.importKey("jwk", clean, p.importAlg, false, ["verify"]);
    return crypto.subtle.verify(p.sign, key, b64u.decode(sig), enc.encode(h + "." + pl));
  }
  // sign makes a compact JWS with a fresh WebCrypto key and returns it with the public JWK.
  async function sign(alg, header, payload) {
    const p = params(alg);
    let signKey, publicJwk;
    if (alg.startsWith("HS")) {
      const raw = crypto.getRandomValues(new Uint8Array(Number(alg.slice(2)) / 8));
      signKey = await crypto.subtle.importKey("raw", raw, p.importAlg, true, ["sign"]);
      publicJwk = { kty: "oct", k: b64u.encode(raw) };
    } else {
      const pair = await crypto.subtle.generateKey(p.gen, true, ["sign", "verify"]);
      signKey = pair.privateKey;
      publicJwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
      delete publicJwk.key_ops; delete publicJwk.ext;
    }
    const input = b64u.encode(enc.encode(JSON.stringify({ ...header, alg }))) + "." + b64u.encode(enc.encode(JSON.stringify(payload)));
    const sig = await crypto.subtle.sign(p.sign, signKey, enc.encode(input));
    return { token: input + "." + b64u.encode(sig), jwk: publicJwk };
  }
  // decryptJWE decrypts RSA-OAEP-256 + A256GCM compact JWE with a private JWK.
  async function decryptJWE(token, privateJwk) {
    const [protectedB64, ekB64, ivB64, ctB64, tagB64] = token.split(".");
    const clean = { ...privateJwk }; delete clean.alg; delete clean.use; delete clean.kid; delete clean.key_ops;
    const rsa = await crypto.subtle.importKey("jwk", clean, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["decrypt"]);
    const cek = await crypto.subtle.decrypt({ name: "RSA-OAEP" }, rsa, b64u.decode(ekB64));
    const aes = await crypto.subtle.importKey("raw", cek, { name: "AES-GCM" }, false, ["decrypt"]);
    const ct = b64u.decode(ctB64), tag = b64u.decode(tagB64);
    const joined = new Uint8Array(ct.length + tag.length); joined.set(ct); joined.set(tag, ct.length);
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: b64u.decode(ivB64), additionalData: enc.encode(protectedB64), tagLength: 128 }, aes, joined);
    return { header: JSON.parse(new TextDecoder().decode(b64u.decode(protectedB64))), plaintext: new TextDecoder().decode(plain) };
  }
  // encryptJWE encrypts plaintext to a public JWK with RSA-OAEP-256 + A256GCM.
  async function encryptJWE(plaintext, publicJwk) {
    const clean = { ...publicJwk }; delete clean.alg; delete clean.use; delete clean.kid; delete clean.key_ops;
    const rsa = await crypto.subtle.importKey("jwk", clean, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["encrypt"]);
    const cek = crypto.getRandomValues(new Uint8Array(32));
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const protectedB64 = b64u.encode(enc.encode(JSON.stringify({ alg: "RSA-OAEP-256", enc: "A256GCM", cty: "JWT" })));
    const ek = await crypto.subtle.encrypt({ name: "RSA-OAEP" }, rsa, cek);
    const aes = await crypto.subtle.importKey("raw", cek, { name: "AES-GCM" }, false, ["encrypt"]);
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: enc.encode(protectedB64), tagLength: 128 }, aes, enc.encode(plaintext)));
    return [protectedB64, b64u.encode(ek), b64u.encode(iv), b64u.encode(sealed.slice(0, -16)), b64u.encode(sealed.slice(-16))].join(".");
  }
  window.wc = { verify, sign, decryptJWE, encryptJWE };
  return true;
})()`

var jwsAlgorithms = []string{"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

// TestTokenlabTokensVerifyWithWebCrypto mints a token with every JWS
// algorithm and verifies its signature with the browser's WebCrypto and
// the exported key: tokenlab's signatures are standard, not just
// self-consistent.
func TestTokenlabTokensVerifyWithWebCrypto(t *testing.T) {
	page := NewPage(t)
	page.Open("/")
	page.Eval(webcryptoJS)
	for _, alg := range jwsAlgorithms {
		t.Run(alg, func(t *testing.T) {
			page := page.For(t)
			var key map[string]json.RawMessage
			page.MustCall(&key, "generateKey", map[string]any{"alg": alg})
			var minted struct {
				Token  string         `json:"token"`
				Header map[string]any `json:"header"`
			}
			page.MustCall(&minted, "mint", map[string]any{"kind": "access_token", "key": key})
			if minted.Header["alg"] != alg {
				t.Fatalf("minted header alg = %v, want %s", minted.Header["alg"], alg)
			}
			verifyKey := key["publicJwk"]
			if alg[:2] == "HS" {
				verifyKey = key["privateJwk"]
			}
			ok := page.Eval(fmt.Sprintf(`wc.verify(%q, %s, %q)`, minted.Token, verifyKey, alg))
			if string(ok) != "true" {
				t.Fatalf("WebCrypto rejected tokenlab's %s signature (key %s)", alg, verifyKey)
			}
			// And WebCrypto must reject the same token with one byte changed.
			parts := strings.Split(minted.Token, ".")
			tampered := parts[0] + "." + parts[1] + "x." + parts[2]
			if ok := page.Eval(fmt.Sprintf(`wc.verify(%q, %s, %q)`, tampered, verifyKey, alg)); string(ok) != "false" {
				t.Fatalf("WebCrypto accepted a tampered token: the cross-check cannot fail")
			}
		})
	}
}

// TestWebCryptoTokensVerifyWithTokenlab signs with WebCrypto and verifies
// with tokenlab, for every JWS algorithm.
func TestWebCryptoTokensVerifyWithTokenlab(t *testing.T) {
	page := NewPage(t)
	page.Open("/")
	page.Eval(webcryptoJS)
	const now = 1700000000
	payload := map[string]any{"iss": "https://webcrypto.example", "sub": "bob", "aud": "api", "iat": now, "exp": now + 600}
	for _, alg := range jwsAlgorithms {
		t.Run(alg, func(t *testing.T) {
			page := page.For(t)
			enc, _ := json.Marshal(payload)
			var signed struct {
				Token string          `json:"token"`
				JWK   json.RawMessage `json:"jwk"`
			}
			if err := json.Unmarshal(page.Eval(fmt.Sprintf(`wc.sign(%q, {typ: "JWT"}, %s)`, alg, enc)), &signed); err != nil {
				t.Fatal(err)
			}
			var res struct {
				Valid  bool `json:"valid"`
				Checks []struct {
					ID      string `json:"id"`
					OK      bool   `json:"ok"`
					Message string `json:"message"`
				} `json:"checks"`
			}
			page.MustCall(&res, "verify", signed.Token, map[string]any{"key": signed.JWK, "now": now, "kind": "jwt", "issuer": "https://webcrypto.example", "audience": "api"})
			if !res.Valid {
				t.Fatalf("tokenlab rejected a WebCrypto %s token: %+v", alg, res.Checks)
			}
			var sawSignature bool
			for _, c := range res.Checks {
				if c.ID == "signature" && c.OK {
					sawSignature = true
				}
			}
			if !sawSignature {
				t.Errorf("no passing signature check in %+v", res.Checks)
			}
		})
	}
}

// TestJWEInteropWithWebCrypto: tokenlab encrypts an ID token to an
// RSA-OAEP-256 key with A256GCM and WebCrypto decrypts it; WebCrypto
// encrypts and tokenlab decrypts.
func TestJWEInteropWithWebCrypto(t *testing.T) {
	page := NewPage(t)
	page.Open("/")
	page.Eval(webcryptoJS)
	var signing, encryption map[string]json.RawMessage
	page.MustCall(&signing, "generateKey", map[string]any{"alg": "ES256"})
	page.MustCall(&encryption, "generateKey", map[string]any{"alg": "RSA-OAEP-256"})

	var minted struct {
		Token string `json:"token"`
	}
	page.MustCall(&minted, "mint", map[string]any{
		"kind": "id_token", "key": signing,
		"encrypt": map[string]any{"key": encryption["publicJwk"], "alg": "RSA-OAEP-256", "enc": "A256GCM"},
	})
	if n := strings.Count(minted.Token, "."); n != 4 {
		t.Fatalf("minted token has %d dots, want a 5-part JWE", n)
	}
	var opened struct {
		Header    map[string]any `json:"header"`
		Plaintext string         `json:"plaintext"`
	}
	if err := json.Unmarshal(page.Eval(fmt.Sprintf(`wc.decryptJWE(%q, %s)`, minted.Token, encryption["privateJwk"])), &opened); err != nil {
		t.Fatal(err)
	}
	if opened.Header["alg"] != "RSA-OAEP-256" || opened.Header["enc"] != "A256GCM" || opened.Header["cty"] != "JWT" {
		t.Errorf("JWE header = %v, want RSA-OAEP-256/A256GCM with cty JWT", opened.Header)
	}
	var inner struct {
		Format  string         `json:"format"`
		Payload map[string]any `json:"payload"`
	}
	page.MustCall(&inner, "decode", opened.Plaintext)
	if inner.Format != "JWS" || inner.Payload["nonce"] == nil {
		t.Errorf("WebCrypto's plaintext decodes as %s with payload %v, want the nested signed ID token", inner.Format, inner.Payload)
	}

	sealed := page.Eval(fmt.Sprintf(`wc.encryptJWE(%q, %s)`, opened.Plaintext, encryption["publicJwk"]))
	var sealedToken string
	if err := json.Unmarshal(sealed, &sealedToken); err != nil {
		t.Fatal(err)
	}
	var decrypted struct {
		Plaintext string `json:"plaintext"`
		Nested    *struct {
			Format string `json:"format"`
		} `json:"nested"`
	}
	page.MustCall(&decrypted, "decrypt", sealedToken, map[string]any{"key": encryption["privateJwk"]})
	if decrypted.Plaintext != opened.Plaintext {
		t.Errorf("tokenlab decrypted %q, want %q", decrypted.Plaintext, opened.Plaintext)
	}
	if decrypted.Nested == nil || decrypted.Nested.Format != "JWS" {
		t.Errorf("nested = %+v, want the inner JWS decoded", decrypted.Nested)
	}

	// A wrong key is a bad_key error, and the engine keeps answering.
	var other map[string]json.RawMessage
	page.MustCall(&other, "generateKey", map[string]any{"alg": "RSA-OAEP-256"})
	if _, apiErr := page.Call("decrypt", sealedToken, map[string]any{"key": other["privateJwk"]}); apiErr == nil || apiErr.Code != "bad_key" {
		t.Errorf("decrypt with the wrong key → %+v, want bad_key", apiErr)
	}
}
