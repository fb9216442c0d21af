package engine

import (
	"encoding/json"
	"reflect"
	"testing"

	"tokenlab/internal/hostile"
	"tokenlab/internal/testvectors"
	"tokenlab/internal/token"
)

// TestInspectIsDecodePlusExplain: for every token the tests know (the
// published vectors, a JWE, opaque tokens, the hostile corpus's pasteable
// inputs), inspect returns exactly what decode and explain return, or
// rejects with decode's error when the input is no token.
func TestInspectIsDecodePlusExplain(t *testing.T) {
	e := New(Options{})
	inputs := map[string]string{
		"opaque (RFC 6749 §1.1)": "2YotnFZFEjr1zCsicMWpAA",
		"GitHub token":           "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
		"garbage":                "not a token",
		"empty":                  "",
	}
	for _, v := range testvectors.LoadJWS(t) {
		inputs[v.ID] = v.Token
	}
	key, _ := token.GenerateKey(token.GenerateOptions{Alg: "A128KW"})
	signer, _ := token.GenerateKey(token.GenerateOptions{})
	jwe, err := token.Mint(token.MintOptions{Kind: "id_token", Key: token.KeyInput(signer.PrivateJWK), Encrypt: &token.EncryptOptions{Key: token.KeyInput(key.PrivateJWK)}})
	if err != nil {
		t.Fatal(err)
	}
	inputs["JWE"] = jwe.Token
	for _, c := range hostile.Corpus(t) {
		if text, ok := c.Paste(); ok && c.Method != "importKey" {
			inputs["hostile: "+c.Name] = text
		}
	}
	opts := map[string]any{"now": 1700000000}
	for name, input := range inputs {
		t.Run(name, func(t *testing.T) {
			got, inspectErr := call(t, e, "inspect", input, opts)
			decoded, decodeErr := call(t, e, "decode", input)
			explained, explainErr := call(t, e, "explain", input, opts)
			if explainErr != nil {
				if inspectErr == nil || *inspectErr != *explainErr {
					t.Fatalf("inspect → %v, explain → %v: want the same error", inspectErr, explainErr)
				}
				return
			}
			if inspectErr != nil {
				t.Fatalf("inspect failed (%v) where explain succeeded", inspectErr)
			}
			want := map[string]json.RawMessage{"decoded": decoded, "explanation": explained}
			if decodeErr != nil {
				want["decoded"] = json.RawMessage("null") // an opaque token: nothing to decode
			}
			var have map[string]json.RawMessage
			decodeInto(t, got, &have)
			for _, part := range []string{"decoded", "explanation"} {
				var a, b any
				decodeInto(t, have[part], &a)
				decodeInto(t, want[part], &b)
				if !reflect.DeepEqual(a, b) {
					t.Errorf("inspect's %s differs:\n got %.400s\nwant %.400s", part, have[part], want[part])
				}
			}
			if len(have) != 2 {
				t.Errorf("inspect returned %d members, want decoded and explanation", len(have))
			}
		})
	}
}

// TestDefaultsMethod: defaults() hands the page the values the engine
// uses when an option is left out, and they are the ones it uses.
func TestDefaultsMethod(t *testing.T) {
	e := New(Options{})
	out, apiErr := call(t, e, "defaults")
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var d struct {
		Key struct {
			Alg     string `json:"alg"`
			RSABits int    `json:"rsaBits"`
			Crv     string `json:"crv"`
		} `json:"key"`
		Lifetime   int64 `json:"lifetime"`
		Identities struct {
			Issuer   string `json:"issuer"`
			ClientID string `json:"clientId"`
			Audience string `json:"audience"`
			Nonce    string `json:"nonce"`
		} `json:"identities"`
	}
	decodeInto(t, out, &d)
	var key struct {
		Alg string `json:"alg"`
	}
	k, _ := call(t, e, "generateKey", map[string]any{})
	decodeInto(t, k, &key)
	var rsa struct {
		Bits int `json:"bits"`
	}
	r, _ := call(t, e, "generateKey", map[string]any{"alg": "RS256"})
	decodeInto(t, r, &rsa)
	if d.Key.Alg != "ES256" || key.Alg != d.Key.Alg || d.Key.RSABits != 2048 || rsa.Bits != d.Key.RSABits || d.Key.Crv != "P-256" {
		t.Errorf("key defaults %+v; generateKey({}) made %s, RS256 %d bits", d.Key, key.Alg, rsa.Bits)
	}
	m, apiErr := call(t, e, "mint", map[string]any{"kind": "id_token", "key": json.RawMessage(k)})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var minted struct {
		Payload struct {
			Iss, Aud, Nonce string
			Exp, Iat        int64
		}
	}
	decodeInto(t, m, &minted)
	p := minted.Payload
	if d.Lifetime != 3600 || p.Exp-p.Iat != d.Lifetime || p.Iss != d.Identities.Issuer || p.Aud != d.Identities.ClientID || p.Nonce != d.Identities.Nonce || d.Identities.Audience == "" {
		t.Errorf("defaults %+v do not match the minted ID token %+v", d, p)
	}
}

// TestVerifyAutoFollowsExplain: verify with kind auto applies the rules of
// the kind explain names, from the claims verify decoded itself.
func TestVerifyAutoFollowsExplain(t *testing.T) {
	e := New(Options{})
	key, _ := call(t, e, "generateKey", map[string]any{})
	for _, kind := range []string{"id_token", "access_token", "logout_token", "refresh_token", "jwt"} {
		t.Run(kind, func(t *testing.T) {
			m, apiErr := call(t, e, "mint", map[string]any{"kind": kind, "key": json.RawMessage(key)})
			if apiErr != nil {
				t.Fatal(apiErr)
			}
			var minted struct{ Token string }
			decodeInto(t, m, &minted)
			x, _ := explainOf(t, e, minted.Token)
			v := verifyCall(t, e, minted.Token, map[string]any{"key": json.RawMessage(key)})
			if v.Kind != x.RuleKind {
				t.Errorf("verify applied %s, explain's rule kind is %s", v.Kind, x.RuleKind)
			}
		})
	}
}
