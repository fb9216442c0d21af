package engine

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"tokenlab/internal/dpop"
	"tokenlab/internal/sdjwt"
	"tokenlab/internal/token"
)

// optionRoot is an option type a method decodes its options into. form,
// when set, is the token form the type serves ("sd_jwt" for SD-JWTs and
// SD-JWT VCs, "dpop_proof" for DPoP proofs): its options are documented in
// that form's section of docs/API.md, and its cases are named
// "method[form]:option".
type optionRoot struct {
	method, form string
	typ          reflect.Type
}

// optionRoots are the option types the methods decode their options into:
// every field, and every field of the option structs inside them, is a
// JavaScript option.
var optionRoots = []optionRoot{
	{"generateKey", "", reflect.TypeFor[token.GenerateOptions]()},
	{"importKey", "", reflect.TypeFor[token.ImportOptions]()},
	{"mint", "", reflect.TypeFor[token.MintOptions]()},
	{"mint", "sd_jwt", reflect.TypeFor[sdjwt.IssueOptions]()},
	{"mint", "dpop_proof", reflect.TypeFor[dpop.MintOptions]()},
	{"present", "", reflect.TypeFor[sdjwt.PresentOptions]()},
	{"verify", "", reflect.TypeFor[token.VerifyOptions]()},
	{"verify", "sd_jwt", reflect.TypeFor[sdjwt.VerifyOptions]()},
	{"verify", "dpop_proof", reflect.TypeFor[dpop.VerifyOptions]()},
	{"decrypt", "", reflect.TypeFor[token.DecryptOptions]()},
	{"explain", "", reflect.TypeFor[explainOptions]()},
	{"inspect", "", reflect.TypeFor[explainOptions]()},
}

// caseName names the option case of an option of root r.
func (r optionRoot) caseName(option string) string {
	if r.form == "" {
		return r.method + ":" + option
	}
	return r.method + "[" + r.form + "]:" + option
}

// notOptions are the exported fields of option types that JavaScript must
// not set, with the reason.
var notOptions = map[string]string{
	"VerifyOptions.Classify": "a Go function: the engine sets explain's classifier for kind auto",
}

// jsOptions walks an option type and returns the JavaScript name of every
// field ("encrypt.pbes2Count" for a nested one), failing the test for an
// exported field without one.
func jsOptions(t *testing.T, typ reflect.Type, prefix string) []string {
	t.Helper()
	var names []string
	for f := range typ.Fields() {
		if !f.IsExported() {
			continue
		}
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		where := typ.Name() + "." + f.Name
		if why, exempt := notOptions[where]; exempt {
			if tag != "-" {
				t.Errorf("%s is not an option (%s) but its json tag is %q, not \"-\"", where, why, tag)
			}
			continue
		}
		if tag == "" || tag == "-" {
			t.Errorf("%s has no JavaScript name: give it a json tag (docs/API.md spells the option), or list it in notOptions with the reason", where)
			continue
		}
		if tag != lowerCamel(tag) {
			t.Errorf("%s is named %q; JavaScript options are lowerCamelCase", where, tag)
		}
		names = append(names, prefix+tag)
		inner := f.Type
		if inner.Kind() == reflect.Pointer {
			inner = inner.Elem()
		}
		if inner.Kind() == reflect.Struct && inner.PkgPath() == typ.PkgPath() {
			names = append(names, jsOptions(t, inner, prefix+tag+".")...)
		}
	}
	return names
}

func lowerCamel(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// optionCase sets one JavaScript option in a call and checks the result
// shows its effect.
type optionCase struct {
	args  func(f *fixture) []any
	check func(f *fixture, result map[string]any) error
}

// fixture holds the keys and tokens the option cases use.
type fixture struct {
	t                      *testing.T
	e                      *Engine
	es256, hs256, rsa, aes map[string]any // generated key objects
	pbes2, rs256, holder   map[string]any // holder: an Ed25519 key, an SD-JWT holder's
	idToken, accessToken   string         // ES256, iss/aud of the standard preset, at_hash and c_hash over "at"/"code"
	jwe                    string         // the ID token encrypted to aes
	// sdJwt is an SD-JWT by es256 bound to holder, every claim of RFC
	// 9901 §5.1 but sub selectively disclosable; presentation presents
	// given_name with a KB-JWT for aud https://verifier.example.org and
	// nonce n-1.
	sdJwt, presentation string
	// proof is a DPoP proof by es256 for GET https://api.example.com/x
	// with the access token "at" and the nonce "srv".
	proof string
}

func (f *fixture) call(method string, args ...any) map[string]any {
	f.t.Helper()
	out, apiErr := call(f.t, f.e, method, args...)
	if apiErr != nil {
		f.t.Fatalf("%s: %v", method, apiErr)
	}
	var m map[string]any
	decodeInto(f.t, out, &m)
	return m
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{t: t, e: New(Options{Now: func() time.Time { return time.Unix(1700000000, 0) }})}
	f.es256 = f.call("generateKey", map[string]any{"alg": "ES256"})
	f.hs256 = f.call("generateKey", map[string]any{"alg": "HS256"})
	f.rsa = f.call("generateKey", map[string]any{"alg": "RSA-OAEP-256"})
	f.aes = f.call("generateKey", map[string]any{"alg": "A128KW"})
	f.pbes2 = f.call("generateKey", map[string]any{"alg": "PBES2-HS256+A128KW"})
	f.idToken = f.call("mint", map[string]any{"kind": "id_token", "key": f.es256, "accessToken": "at", "code": "code"})["token"].(string)
	f.accessToken = f.call("mint", map[string]any{"kind": "access_token", "key": f.es256})["token"].(string)
	f.jwe = f.call("mint", map[string]any{"kind": "id_token", "key": f.es256, "encrypt": map[string]any{"key": f.aes}})["token"].(string)
	f.rs256 = f.call("generateKey", map[string]any{"alg": "RS256"})
	f.holder = f.call("generateKey", map[string]any{"alg": "EdDSA"})
	f.sdJwt = f.call("mint", map[string]any{"kind": "sd_jwt", "key": f.es256, "holderKey": f.holder})["token"].(string)
	f.presentation = f.call("present", f.sdJwt, map[string]any{"disclose": []string{"given_name"}, "holderKey": f.holder, "nonce": "n-1"})["token"].(string)
	f.proof = f.call("mint", map[string]any{"kind": "dpop_proof", "key": f.es256, "htm": "GET", "htu": "https://api.example.com/x", "accessToken": "at", "nonce": "srv"})["token"].(string)
	return f
}

// field reads a path such as "header.alg" from a decoded result.
func field(m map[string]any, path string) any {
	var v any = m
	for _, name := range strings.Split(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[name]
	}
	return v
}

// is checks that path holds want. at_hash and c_hash below are the left
// half of SHA-256 of "at" and "code", base64url (OIDC Core 3.1.3.6),
// computed independently with Python's hashlib.
func is(path string, want any) func(*fixture, map[string]any) error {
	return func(_ *fixture, m map[string]any) error {
		got, _ := json.Marshal(field(m, path))
		if w, _ := json.Marshal(want); string(got) != string(w) {
			return fmt.Errorf("%s = %s, want %s", path, got, w)
		}
		return nil
	}
}

// status checks the status of one verify check.
func status(id, want string) func(*fixture, map[string]any) error {
	return func(_ *fixture, m map[string]any) error {
		checks, _ := m["checks"].([]any)
		for _, c := range checks {
			if c := c.(map[string]any); c["id"] == id {
				if c["status"] != want {
					return fmt.Errorf("check %s is %v (%v), want %s", id, c["status"], c["message"], want)
				}
				return nil
			}
		}
		return fmt.Errorf("no %s check in %v", id, checks)
	}
}

// optionCases show the effect of every JavaScript option, by method and
// name.
var optionCases = map[string]optionCase{
	"generateKey:alg":  {func(f *fixture) []any { return []any{map[string]any{"alg": "PS384"}} }, is("alg", "PS384")},
	"generateKey:bits": {func(f *fixture) []any { return []any{map[string]any{"alg": "HS256", "bits": 512}} }, is("bits", 512)},
	"generateKey:crv":  {func(f *fixture) []any { return []any{map[string]any{"alg": "ECDH-ES", "crv": "P-384"}} }, is("crv", "P-384")},
	"generateKey:kid":  {func(f *fixture) []any { return []any{map[string]any{"alg": "ES256", "kid": "k-1"}} }, is("kid", "k-1")},

	"importKey:alg": {func(f *fixture) []any { return []any{f.rsa["publicPem"], map[string]any{"alg": "RSA-OAEP"}} }, is("alg", "RSA-OAEP")},
	"importKey:kid": {func(f *fixture) []any { return []any{f.rsa["publicPem"], map[string]any{"kid": "mine"}} }, is("kid", "mine")},

	"mint:kind": {func(f *fixture) []any { return []any{map[string]any{"kind": "logout_token", "key": f.es256}} }, is("header.typ", "logout+jwt")},
	"mint:key":  {func(f *fixture) []any { return []any{map[string]any{"kind": "jwt", "key": f.hs256}} }, is("header.alg", "HS256")},
	"mint:alg":  {func(f *fixture) []any { return []any{map[string]any{"kind": "jwt", "key": f.hs256, "alg": "HS512"}} }, is("header.alg", "HS512")},
	"mint:claims": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "jwt", "key": f.hs256, "claims": map[string]any{"sub": "ada"}}}
	}, is("payload.sub", "ada")},
	"mint:header": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "jwt", "key": f.hs256, "header": map[string]any{"kid": "h-1"}}}
	}, is("header.kid", "h-1")},
	"mint:lifetime": {func(f *fixture) []any { return []any{map[string]any{"kind": "jwt", "key": f.hs256, "lifetime": 60}} }, is("payload.exp", 1700000060)},
	"mint:preset": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "id_token", "key": f.hs256, "preset": "google"}}
	}, is("payload.iss", "https://accounts.google.com")},
	"mint:accessToken": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "id_token", "key": f.hs256, "accessToken": "at"}}
	}, is("payload.at_hash", "sda5G2fCr6XjIpiNlGJjjQ")},
	"mint:code": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "id_token", "key": f.hs256, "code": "code"}}
	}, is("payload.c_hash", "VpTQii5T_8rgwxA-Wtb2Bw")},
	"mint:now": {func(f *fixture) []any { return []any{map[string]any{"kind": "jwt", "key": f.hs256, "now": 1300819380}} }, is("payload.iat", 1300819380)},
	"mint:encrypt": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "jwt", "key": f.hs256, "encrypt": map[string]any{"key": f.aes}}}
	}, is("header.cty", "JWT")},
	"mint:encrypt.key": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "jwt", "key": f.hs256, "encrypt": map[string]any{"key": f.rsa}}}
	}, is("header.alg", "RSA-OAEP-256")},
	"mint:encrypt.alg": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "jwt", "key": f.hs256, "encrypt": map[string]any{"key": f.rsa, "alg": "RSA-OAEP"}}}
	}, is("header.alg", "RSA-OAEP")},
	"mint:encrypt.enc": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "jwt", "key": f.hs256, "encrypt": map[string]any{"key": f.aes, "enc": "A128GCM"}}}
	}, is("header.enc", "A128GCM")},
	"mint:encrypt.pbes2Count": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "jwt", "key": f.hs256, "encrypt": map[string]any{"key": f.pbes2, "pbes2Count": 1000}}}
	}, is("header.p2c", 1000)},

	"verify:key": {func(f *fixture) []any { return []any{f.idToken, map[string]any{"key": f.es256["publicJwk"]}} }, status("signature", "pass")},
	"verify:issuer": {func(f *fixture) []any {
		return []any{f.idToken, map[string]any{"key": f.es256, "issuer": "https://other.example"}}
	}, status("iss", "fail")},
	"verify:audience": {func(f *fixture) []any { return []any{f.idToken, map[string]any{"key": f.es256, "audience": "other"}} }, status("aud", "fail")},
	"verify:nonce":    {func(f *fixture) []any { return []any{f.idToken, map[string]any{"key": f.es256, "nonce": "other"}} }, status("nonce", "fail")},
	"verify:clientId": {func(f *fixture) []any {
		return []any{f.accessToken, map[string]any{"key": f.es256, "clientId": "other"}}
	}, status("client_id", "fail")},
	"verify:now": {func(f *fixture) []any { return []any{f.idToken, map[string]any{"key": f.es256, "now": 1700007200}} }, status("exp", "fail")},
	"verify:leeway": {func(f *fixture) []any {
		return []any{f.idToken, map[string]any{"key": f.es256, "now": 1700003610, "leeway": 60}}
	}, status("exp", "pass")},
	"verify:kind": {func(f *fixture) []any { return []any{f.idToken, map[string]any{"key": f.es256, "kind": "jwt"}} }, is("kind", "jwt")},
	"verify:algorithms": {func(f *fixture) []any {
		return []any{f.idToken, map[string]any{"key": f.es256, "algorithms": []string{"RS256"}}}
	}, status("alg", "fail")},
	"verify:accessToken": {func(f *fixture) []any {
		return []any{f.idToken, map[string]any{"key": f.es256, "accessToken": "other"}}
	}, status("at_hash", "fail")},
	"verify:code": {func(f *fixture) []any { return []any{f.idToken, map[string]any{"key": f.es256, "code": "other"}} }, status("c_hash", "fail")},

	"mint:dpopKey": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "access_token", "key": f.es256, "dpopKey": f.holder["publicJwk"]}}
	}, func(f *fixture, m map[string]any) error { return is("payload.cnf.jkt", f.holder["thumbprint"])(f, m) }},

	"mint[sd_jwt]:kind": {func(f *fixture) []any { return []any{map[string]any{"kind": "sd_jwt_vc", "key": f.es256}} }, is("payload.vct", "https://credentials.example.com/identity_credential")},
	"mint[sd_jwt]:key":  {func(f *fixture) []any { return []any{map[string]any{"kind": "sd_jwt", "key": f.rs256}} }, is("header.alg", "RS256")},
	"mint[sd_jwt]:alg":  {func(f *fixture) []any { return []any{map[string]any{"kind": "sd_jwt", "key": f.rs256, "alg": "PS384"}} }, is("header.alg", "PS384")},
	"mint[sd_jwt]:claims": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "sd_jwt", "key": f.es256, "claims": map[string]any{"given_name": "Ada"}, "disclose": []string{}}}
	}, is("payload.given_name", "Ada")},
	"mint[sd_jwt]:disclose": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "sd_jwt", "key": f.es256, "disclose": []string{"/address/locality"}}}
	}, disclosed("/address/locality")},
	"mint[sd_jwt]:decoys": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "sd_jwt", "key": f.es256, "disclose": []string{}, "decoys": 3}}
	}, func(_ *fixture, m map[string]any) error {
		if sd, _ := field(m, "payload._sd").([]any); len(sd) != 3 {
			return fmt.Errorf("payload._sd = %v, want 3 decoy digests", field(m, "payload._sd"))
		}
		return nil
	}},
	"mint[sd_jwt]:holderKey": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "sd_jwt", "key": f.es256, "holderKey": f.holder}}
	}, func(f *fixture, m map[string]any) error {
		return is("payload.cnf.jwk.x", field(f.holder, "publicJwk.x"))(f, m)
	}},
	"mint[sd_jwt]:vct": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "sd_jwt", "key": f.es256, "vct": "https://vc.example/pid"}}
	}, is("header.typ", "dc+sd-jwt")},
	"mint[sd_jwt]:typ": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "sd_jwt", "key": f.es256, "typ": "vc+sd-jwt"}}
	}, is("header.typ", "vc+sd-jwt")},
	"mint[sd_jwt]:sdAlg": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "sd_jwt", "key": f.es256, "sdAlg": "sha-384"}}
	}, is("payload._sd_alg", "sha-384")},
	"mint[sd_jwt]:lifetime": {func(f *fixture) []any { return []any{map[string]any{"kind": "sd_jwt", "key": f.es256, "lifetime": 60}} }, is("payload.exp", 1700000060)},
	"mint[sd_jwt]:now": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "sd_jwt", "key": f.es256, "now": 1300819380}}
	}, is("payload.iat", 1300819380)},

	"mint[dpop_proof]:kind": {func(f *fixture) []any { return []any{map[string]any{"kind": "dpop_proof", "key": f.es256}} }, is("header.typ", "dpop+jwt")},
	"mint[dpop_proof]:key": {func(f *fixture) []any { return []any{map[string]any{"kind": "dpop_proof", "key": f.holder}} }, func(f *fixture, m map[string]any) error {
		return is("header.jwk.x", field(f.holder, "publicJwk.x"))(f, m)
	}},
	"mint[dpop_proof]:alg": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "dpop_proof", "key": f.rs256, "alg": "PS384"}}
	}, is("header.alg", "PS384")},
	"mint[dpop_proof]:htm": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "dpop_proof", "key": f.es256, "htm": "DELETE"}}
	}, is("payload.htm", "DELETE")},
	"mint[dpop_proof]:htu": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "dpop_proof", "key": f.es256, "htu": "https://api.example.com/x?page=2#top"}}
	}, is("payload.htu", "https://api.example.com/x")},
	// ath of RFC 9449 §7.1's access token, as the RFC prints it.
	"mint[dpop_proof]:accessToken": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "dpop_proof", "key": f.es256, "accessToken": "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"}}
	}, is("payload.ath", "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo")},
	"mint[dpop_proof]:nonce": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "dpop_proof", "key": f.es256, "nonce": "srv"}}
	}, is("payload.nonce", "srv")},
	"mint[dpop_proof]:now": {func(f *fixture) []any {
		return []any{map[string]any{"kind": "dpop_proof", "key": f.es256, "now": 1300819380}}
	}, is("payload.iat", 1300819380)},

	"present:disclose":  {func(f *fixture) []any { return []any{f.sdJwt, map[string]any{"disclose": []string{"/address"}}} }, disclosed("/address")},
	"present:holderKey": {func(f *fixture) []any { return []any{f.sdJwt, map[string]any{"holderKey": f.holder}} }, is("kb.header", map[string]any{"alg": "EdDSA", "typ": "kb+jwt"})},
	"present:audience": {func(f *fixture) []any {
		return []any{f.sdJwt, map[string]any{"holderKey": f.holder, "audience": "https://shop.example"}}
	}, is("kb.payload.aud", "https://shop.example")},
	"present:nonce": {func(f *fixture) []any { return []any{f.sdJwt, map[string]any{"holderKey": f.holder, "nonce": "abc"}} }, is("kb.payload.nonce", "abc")},
	"present:now": {func(f *fixture) []any {
		return []any{f.sdJwt, map[string]any{"holderKey": f.holder, "now": 1700000300}}
	}, is("kb.payload.iat", 1700000300)},

	"verify[sd_jwt]:key": {func(f *fixture) []any { return []any{f.presentation, map[string]any{"key": f.es256["publicJwk"]}} }, status("signature", "pass")},
	"verify[sd_jwt]:issuer": {func(f *fixture) []any {
		return []any{f.presentation, map[string]any{"key": f.es256, "issuer": "https://other.example"}}
	}, status("iss", "fail")},
	"verify[sd_jwt]:audience": {func(f *fixture) []any {
		return []any{f.presentation, map[string]any{"key": f.es256, "audience": "other"}}
	}, status("kb_aud", "fail")},
	"verify[sd_jwt]:nonce": {func(f *fixture) []any { return []any{f.presentation, map[string]any{"key": f.es256, "nonce": "other"}} }, status("kb_nonce", "fail")},
	"verify[sd_jwt]:requireKeyBinding": {func(f *fixture) []any {
		return []any{f.sdJwt, map[string]any{"key": f.es256, "requireKeyBinding": true}}
	}, status("key_binding", "fail")},
	"verify[sd_jwt]:now": {func(f *fixture) []any {
		return []any{f.presentation, map[string]any{"key": f.es256, "now": 1800000000}}
	}, status("exp", "fail")},
	// The KB-JWT was made at 1700000000: 30 s in the future is within a
	// leeway of 60 s, and 10 minutes later within a window of an hour.
	"verify[sd_jwt]:leeway": {func(f *fixture) []any {
		return []any{f.presentation, map[string]any{"key": f.es256, "now": 1699999970, "leeway": 60}}
	}, status("kb_iat", "pass")},
	"verify[sd_jwt]:iatWindow": {func(f *fixture) []any {
		return []any{f.presentation, map[string]any{"key": f.es256, "now": 1700000600, "iatWindow": 3600}}
	}, status("kb_iat", "pass")},
	"verify[sd_jwt]:algorithms": {func(f *fixture) []any {
		return []any{f.presentation, map[string]any{"key": f.es256, "algorithms": []string{"RS256"}}}
	}, status("alg", "fail")},
	"verify[sd_jwt]:kind": {func(f *fixture) []any {
		return []any{f.presentation, map[string]any{"key": f.es256, "kind": "sd_jwt_vc"}}
	}, is("kind", "sd_jwt_vc")},

	"verify[dpop_proof]:htm": {func(f *fixture) []any { return []any{f.proof, map[string]any{"kind": "dpop_proof", "htm": "POST"}} }, status("htm", "fail")},
	"verify[dpop_proof]:htu": {func(f *fixture) []any {
		return []any{f.proof, map[string]any{"kind": "dpop_proof", "htu": "https://evil.example/x"}}
	}, status("htu", "fail")},
	"verify[dpop_proof]:accessToken": {func(f *fixture) []any {
		return []any{f.proof, map[string]any{"kind": "dpop_proof", "accessToken": "other"}}
	}, status("ath", "fail")},
	"verify[dpop_proof]:nonce": {func(f *fixture) []any { return []any{f.proof, map[string]any{"kind": "dpop_proof", "nonce": "other"}} }, status("nonce", "fail")},
	"verify[dpop_proof]:now":   {func(f *fixture) []any { return []any{f.proof, map[string]any{"kind": "dpop_proof", "now": 1700003600}} }, status("iat", "fail")},
	"verify[dpop_proof]:leeway": {func(f *fixture) []any {
		return []any{f.proof, map[string]any{"kind": "dpop_proof", "now": 1699999970, "leeway": 60}}
	}, status("iat", "pass")},
	"verify[dpop_proof]:iatWindow": {func(f *fixture) []any {
		return []any{f.proof, map[string]any{"kind": "dpop_proof", "now": 1700000600, "iatWindow": 3600}}
	}, status("iat", "pass")},
	"verify[dpop_proof]:algorithms": {func(f *fixture) []any {
		return []any{f.proof, map[string]any{"kind": "dpop_proof", "algorithms": []string{"RS256"}}}
	}, status("alg", "fail")},
	"verify[dpop_proof]:key": {func(f *fixture) []any { return []any{f.proof, map[string]any{"kind": "dpop_proof", "key": f.holder}} }, status("key", "fail")},

	"decrypt:key": {func(f *fixture) []any { return []any{f.jwe, map[string]any{"key": f.aes}} }, is("nested.format", "JWS")},

	"explain:now": {func(f *fixture) []any { return []any{f.idToken, map[string]any{"now": 1700007200}} }, finding("expired")},
	"inspect:now": {func(f *fixture) []any { return []any{f.idToken, map[string]any{"now": 1700007200}} }, func(f *fixture, m map[string]any) error {
		x, _ := m["explanation"].(map[string]any)
		return finding("expired")(f, x)
	}},
}

// disclosed checks that the disclosures of a mint or present result are
// exactly the one at path.
func disclosed(path string) func(*fixture, map[string]any) error {
	return func(_ *fixture, m map[string]any) error {
		list, _ := m["disclosures"].([]any)
		if len(list) != 1 || field(list[0].(map[string]any), "path") != path {
			return fmt.Errorf("disclosures = %v, want the one at %s", list, path)
		}
		return nil
	}
}

// finding checks that an explanation has a finding.
func finding(id string) func(*fixture, map[string]any) error {
	return func(_ *fixture, m map[string]any) error {
		fs, _ := m["findings"].([]any)
		for _, f := range fs {
			if f.(map[string]any)["id"] == id {
				return nil
			}
		}
		return fmt.Errorf("no %s finding in %v", id, fs)
	}
}

// TestEveryOptionHasItsJavaScriptName: every exported field of every
// option type the engine decodes has its JavaScript name (its json tag),
// and setting that option in a call through the API shows its effect. A
// field that loses its tag, or a new field without a case here, fails.
func TestEveryOptionHasItsJavaScriptName(t *testing.T) {
	var want []string
	for _, r := range optionRoots {
		for _, name := range jsOptions(t, r.typ, "") {
			want = append(want, r.caseName(name))
		}
	}
	slices.Sort(want)
	var have []string
	for k := range optionCases {
		have = append(have, k)
	}
	slices.Sort(have)
	if !slices.Equal(want, have) {
		for _, k := range want {
			if _, ok := optionCases[k]; !ok {
				t.Errorf("option %s has no case showing it reaches the core: add one to optionCases", k)
			}
		}
		for _, k := range have {
			if !slices.Contains(want, k) {
				t.Errorf("optionCases has %s, which is no option", k)
			}
		}
	}
	for _, r := range optionRoots {
		if !slices.Contains(New(Options{}).MethodNames(), r.method) {
			t.Errorf("optionRoots names %s, which is no method", r.method)
		}
	}

	f := newFixture(t)
	for _, name := range have {
		c := optionCases[name]
		t.Run(name, func(t *testing.T) {
			f.t = t
			method, _, _ := strings.Cut(name, ":")
			method, _, _ = strings.Cut(method, "[")
			if err := c.check(f, f.call(method, c.args(f)...)); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestOptionsDecodeByTheirJavaScriptNames: the option types decode from
// the JSON the page sends, including the fields whose JSON form differs
// from Go's (keys given as objects, times and durations in seconds).
func TestOptionsDecodeByTheirJavaScriptNames(t *testing.T) {
	var v token.VerifyOptions
	if err := json.Unmarshal([]byte(`{"key":{"kty":"oct","k":"c2VjcmV0"},"issuer":"i","clientId":"c","now":1700000000.5,"leeway":1.5,"kind":"id_token","algorithms":["ES256"]}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.Key != `{"kty":"oct","k":"c2VjcmV0"}` || v.Issuer != "i" || v.ClientID != "c" || !v.Now.Equal(time.Unix(1700000000, 5e8)) ||
		v.Leeway != 1500*time.Millisecond || v.Kind != "id_token" || !slices.Equal(v.Algorithms, []string{"ES256"}) {
		t.Errorf("decoded %+v", v)
	}
	var m token.MintOptions
	if err := json.Unmarshal([]byte(`{"kind":"jwt","key":"a secret","now":1300819380,"encrypt":{"key":[{"kty":"oct","k":"c2VjcmV0"}],"pbes2Count":1000}}`), &m); err != nil {
		t.Fatal(err)
	}
	if m.Key != "a secret" || m.Now.Unix() != 1300819380 || m.Encrypt == nil || m.Encrypt.Key != `[{"kty":"oct","k":"c2VjcmV0"}]` || m.Encrypt.PBES2Count != 1000 {
		t.Errorf("decoded %+v %+v", m, m.Encrypt)
	}
	var sv sdjwt.VerifyOptions
	if err := json.Unmarshal([]byte(`{"key":{"kty":"EC"},"now":1700000000,"leeway":2,"iatWindow":60.5,"kind":"sd_jwt_vc","requireKeyBinding":true}`), &sv); err != nil {
		t.Fatal(err)
	}
	if sv.Key != `{"kty":"EC"}` || sv.Now.Unix() != 1700000000 || sv.Leeway != 2*time.Second || sv.IATWindow != 60500*time.Millisecond || sv.Kind != "sd_jwt_vc" || !sv.RequireKeyBinding {
		t.Errorf("decoded %+v", sv)
	}
	var dv dpop.VerifyOptions
	if err := json.Unmarshal([]byte(`{"key":"k","htm":"GET","now":1700000000.25,"iatWindow":1}`), &dv); err != nil {
		t.Fatal(err)
	}
	if dv.Key != "k" || dv.HTM != "GET" || !dv.Now.Equal(time.Unix(1700000000, 25e7)) || dv.IATWindow != time.Second {
		t.Errorf("decoded %+v", dv)
	}
	for _, bad := range []struct {
		into any
		json string
	}{
		{&sdjwt.VerifyOptions{}, `{"iatWindow":-1}`}, {&dpop.VerifyOptions{}, `{"leeway":-5}`},
		{&sdjwt.IssueOptions{}, `{"now":-1}`}, {&sdjwt.PresentOptions{}, `{"now":1e300}`}, {&dpop.MintOptions{}, `{"now":"soon"}`},
	} {
		if err := json.Unmarshal([]byte(bad.json), bad.into); err == nil {
			t.Errorf("%T from %s decoded without an error", bad.into, bad.json)
		}
	}
}
