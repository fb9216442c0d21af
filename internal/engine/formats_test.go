package engine

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The SD-JWT and DPoP paths of the API: the examples of RFC 9901 and
// RFC 9449 through decode, explain and verify, and mint, present and
// verify round trips, as the page calls them.

func rfcFile(t *testing.T, pkg, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", pkg, "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func mustCall(t *testing.T, e *Engine, method string, args ...any) json.RawMessage {
	t.Helper()
	out, apiErr := call(t, e, method, args...)
	if apiErr != nil {
		t.Fatalf("%s: %v", method, apiErr)
	}
	return out
}

type apiCheck struct{ ID, Status, Message, Ref string }

type apiVerdict struct {
	Valid, Complete bool
	Verdict         string
	Summary         string
	Kind            string
	Missing         []string
	Checks          []apiCheck
	Undisclosed     int
	Processed       map[string]any
	JKT             string
}

func statusOf(v apiVerdict, id string) string {
	for _, c := range v.Checks {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

func TestSDJWTThroughTheAPI(t *testing.T) {
	e := New(Options{})
	presentation := rfcFile(t, "sdjwt", "rfc9901-5.2-presentation.txt")

	var d struct {
		Format      string
		Parts       []string
		Disclosures []struct {
			Disclosure, Digest, Path string
			Name                     *string
		}
		Processed   map[string]any
		Undisclosed int
		KB          *struct{ Header json.RawMessage }
	}
	decodeInto(t, mustCall(t, e, "decode", presentation), &d)
	if d.Format != "SD-JWT" || len(d.Parts) != 3 || len(d.Disclosures) != 4 || d.Undisclosed != 6 || d.KB == nil || d.Processed["family_name"] != "Doe" {
		t.Fatalf("decode = %+v", d)
	}
	if d.Disclosures[3].Name != nil || d.Disclosures[3].Path != "/nationalities/0" || d.Disclosures[0].Digest != "TGf4oLbgwd5JQaHyKVQZU9UdGE0w5rtDsrZzfUaomLo" {
		t.Errorf("disclosures = %+v", d.Disclosures)
	}

	var x struct {
		Kind, Headline string
		Claims         []struct{ Name, Where, Path, Meaning string }
		Findings       []struct{ ID, Message string }
	}
	decodeInto(t, mustCall(t, e, "explain", presentation), &x)
	disclosed := map[string]string{}
	for _, c := range x.Claims {
		if c.Where == "disclosure" {
			disclosed[c.Path] = c.Meaning
		}
	}
	if x.Kind != "sd_jwt" || disclosed["/family_name"] != "The user's family name (surname)." || !strings.Contains(disclosed["/address"], "postal address") || len(disclosed) != 4 {
		t.Errorf("explain = %s %v", x.Kind, disclosed)
	}

	// inspect gives decode and explain from one call.
	var in struct {
		Decoded struct {
			Format      string
			Undisclosed int
		}
		Explanation struct{ Kind, RuleKind string }
	}
	decodeInto(t, mustCall(t, e, "inspect", presentation), &in)
	if in.Decoded.Format != "SD-JWT" || in.Decoded.Undisclosed != 6 || in.Explanation.Kind != "sd_jwt" || in.Explanation.RuleKind != "sd_jwt" {
		t.Errorf("inspect = %+v", in)
	}

	var v apiVerdict
	decodeInto(t, mustCall(t, e, "verify", presentation, map[string]any{
		"key": json.RawMessage(rfcFile(t, "sdjwt", "rfc9901-a5-issuer-key.json")), "issuer": "https://issuer.example.com",
		"audience": "https://verifier.example.org", "nonce": "1234567890", "now": 1748537243 + 60,
	}), &v)
	if v.Verdict != "valid" || v.Kind != "sd_jwt" || statusOf(v, "sd_hash") != "pass" {
		t.Errorf("verify = %+v", v)
	}
}

func TestSDJWTMintPresentVerify(t *testing.T) {
	e := New(Options{Now: func() time.Time { return time.Unix(1700000000, 0) }})
	var issuer, holder struct{ PrivateJWK, PublicJWK json.RawMessage }
	decodeInto(t, mustCall(t, e, "generateKey", map[string]any{"alg": "ES256"}), &issuer)
	decodeInto(t, mustCall(t, e, "generateKey", map[string]any{"alg": "EdDSA"}), &holder)

	var issued struct {
		Token       string
		Disclosures []struct{ Path string }
	}
	decodeInto(t, mustCall(t, e, "mint", map[string]any{"kind": "sd_jwt_vc", "key": issuer.PrivateJWK, "holderKey": holder.PrivateJWK,
		"claims": map[string]any{"given_name": "Erika", "address": map[string]any{"locality": "Berlin", "country": "DE"}}, "disclose": []string{"given_name", "/address/locality"}}), &issued)
	if len(issued.Disclosures) != 2 || issued.Disclosures[0].Path != "/address/locality" || issued.Disclosures[1].Path != "/given_name" {
		t.Fatalf("mint = %+v", issued)
	}
	var x struct{ Kind string }
	decodeInto(t, mustCall(t, e, "explain", issued.Token), &x)
	if x.Kind != "sd_jwt_vc" {
		t.Errorf("explain kind = %s", x.Kind)
	}

	var presented struct {
		Token    string
		Warnings []string
	}
	decodeInto(t, mustCall(t, e, "present", issued.Token, map[string]any{"disclose": []string{"/address/locality"}, "holderKey": holder.PrivateJWK, "audience": "https://shop.example", "nonce": "abc"}), &presented)
	var v apiVerdict
	decodeInto(t, mustCall(t, e, "verify", presented.Token, map[string]any{"key": issuer.PublicJWK, "issuer": "https://issuer.example.com", "audience": "https://shop.example", "nonce": "abc"}), &v)
	if v.Verdict != "valid" || v.Kind != "sd_jwt_vc" || v.Summary != "Valid SD-JWT VC: every check passed" || v.Processed["given_name"] != nil || v.Processed["address"] == nil {
		t.Errorf("verify = %+v", v)
	}
	// Without key binding the same SD-JWT warns; asking for it fails.
	decodeInto(t, mustCall(t, e, "verify", issued.Token, map[string]any{"key": issuer.PublicJWK, "issuer": "https://issuer.example.com"}), &v)
	if !v.Valid || statusOf(v, "key_binding") != "warn" {
		t.Errorf("without KB-JWT: %+v", v)
	}
	decodeInto(t, mustCall(t, e, "verify", issued.Token, map[string]any{"key": issuer.PublicJWK, "requireKeyBinding": true}), &v)
	if v.Valid || statusOf(v, "key_binding") != "fail" {
		t.Errorf("key binding required: %+v", v)
	}
}

func TestDPoPThroughTheAPI(t *testing.T) {
	e := New(Options{Now: func() time.Time { return time.Unix(1700000000, 0) }})
	var vec struct {
		Proof41 struct {
			Proof, HTM, HTU string
			IAT             int64
		} `json:"proof_4_1"`
	}
	if err := json.Unmarshal([]byte(rfcFile(t, "dpop", "rfc9449.json")), &vec); err != nil {
		t.Fatal(err)
	}
	var v apiVerdict
	decodeInto(t, mustCall(t, e, "verify", vec.Proof41.Proof, map[string]any{"kind": "dpop_proof", "htm": "POST", "htu": vec.Proof41.HTU, "now": vec.Proof41.IAT}), &v)
	if v.Verdict != "valid" || v.Kind != "dpop_proof" || v.JKT != "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I" {
		t.Errorf("RFC 9449 §4.1 proof: %+v", v)
	}
	// kind auto finds the DPoP rules by typ, with no key; without the
	// request it is not complete, and it says what the classifier said.
	var auto struct {
		apiVerdict
		Requested, Resembles string
		Confidence           float64
	}
	decodeInto(t, mustCall(t, e, "verify", vec.Proof41.Proof, map[string]any{"now": vec.Proof41.IAT}), &auto)
	if auto.Verdict != "incomplete" || auto.Kind != "dpop_proof" || auto.Requested != "auto" || auto.Resembles != "dpop_proof" || auto.Confidence < 0.9 || strings.Join(auto.Missing, ",") != "htm,htu" {
		t.Errorf("auto: %+v", auto)
	}

	var issuer, client struct {
		PrivateJWK json.RawMessage
		Thumbprint string
	}
	decodeInto(t, mustCall(t, e, "generateKey", map[string]any{"alg": "ES256"}), &issuer)
	decodeInto(t, mustCall(t, e, "generateKey", map[string]any{"alg": "ES256"}), &client)
	var at struct {
		Token   string
		Payload struct{ Cnf struct{ Jkt string } }
	}
	decodeInto(t, mustCall(t, e, "mint", map[string]any{"kind": "access_token", "key": issuer.PrivateJWK, "dpopKey": client.PrivateJWK}), &at)
	if at.Payload.Cnf.Jkt != client.Thumbprint {
		t.Fatalf("cnf.jkt = %q, want %q", at.Payload.Cnf.Jkt, client.Thumbprint)
	}
	var proof struct{ Token string }
	decodeInto(t, mustCall(t, e, "mint", map[string]any{"kind": "dpop_proof", "key": client.PrivateJWK, "htm": "GET", "htu": "https://api.example.com/orders?id=7", "accessToken": at.Token}), &proof)
	decodeInto(t, mustCall(t, e, "verify", proof.Token, map[string]any{"kind": "dpop_proof", "htm": "GET", "htu": "https://api.example.com/orders", "accessToken": at.Token}), &v)
	if v.Verdict != "valid" || statusOf(v, "jkt") != "pass" || statusOf(v, "ath") != "pass" {
		t.Errorf("bound token: %+v", v)
	}
	// The simulator's cases: a proof for another URL or method fails.
	decodeInto(t, mustCall(t, e, "verify", proof.Token, map[string]any{"kind": "dpop_proof", "htm": "POST", "htu": "https://api.example.com/admin", "accessToken": at.Token}), &v)
	if v.Valid || statusOf(v, "htm") != "fail" || statusOf(v, "htu") != "fail" {
		t.Errorf("another request: %+v", v)
	}
}

func TestFormatErrors(t *testing.T) {
	e := New(Options{})
	var ec struct{ PrivateJWK json.RawMessage }
	decodeInto(t, mustCall(t, e, "generateKey", map[string]any{"alg": "ES256"}), &ec)
	jwt := "eyJhbGciOiJub25lIn0.e30."
	presentation := rfcFile(t, "sdjwt", "rfc9901-5.2-presentation.txt")
	tests := []struct {
		name, method string
		args         []any
		code, says   string
	}{
		{"four-element disclosure", "decode", []any{jwt + "~WyJzIiwibiIsInYiLCJ3Il0~"}, CodeMalformed, "disclosure 1 (part 2) is not a JSON array of 2 or 3 elements"},
		{"JWE before ~", "decode", []any{"eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aaaa.bbbb.cccc~"}, CodeMalformed, "is a JWE"},
		{"explain broken SD-JWT", "explain", []any{jwt + "~!~"}, CodeMalformed, "not base64url"},
		{"SD-JWT as an ID token", "verify", []any{presentation, map[string]any{"key": ec.PrivateJWK, "kind": "id_token"}}, CodeBadRequest, "kind auto, sd_jwt or sd_jwt_vc"},
		{"SD-JWT without a key", "verify", []any{presentation, map[string]any{}}, CodeBadRequest, "issuer's public key"},
		{"JWT as an SD-JWT", "verify", []any{jwt, map[string]any{"key": ec.PrivateJWK, "kind": "sd_jwt"}}, CodeMalformed, "~"},
		{"HMAC issuer", "mint", []any{map[string]any{"kind": "sd_jwt", "key": "a-long-enough-secret-for-hs256-0123456789"}}, CodeBadKey, "private key"},
		{"HMAC DPoP key", "mint", []any{map[string]any{"kind": "dpop_proof", "key": "a-long-enough-secret-for-hs256-0123456789"}}, CodeBadKey, "asymmetric"},
		{"dpopKey on an ID token", "mint", []any{map[string]any{"kind": "id_token", "key": ec.PrivateJWK, "dpopKey": ec.PrivateJWK}}, CodeBadRequest, "kind access_token"},
		{"present a presentation", "present", []any{presentation, map[string]any{}}, CodeBadRequest, "already ends with a Key Binding JWT"},
		{"present nothing", "present", []any{}, CodeBadRequest, "the token is missing"},
		{"two DPoP proofs", "verify", []any{"a.b.c, a.b.c", map[string]any{"kind": "dpop_proof"}}, CodeMalformed, "more than one value"},
		{"negative window", "verify", []any{jwt, map[string]any{"kind": "dpop_proof", "iatWindow": -1}}, CodeBadRequest, "iatWindow"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, apiErr := call(t, e, tc.method, tc.args...)
			if apiErr == nil || apiErr.Code != tc.code || !strings.Contains(apiErr.Message, tc.says) || strings.HasPrefix(apiErr.Message, "token: ") {
				t.Errorf("%s: %v, want %s saying %q", tc.method, apiErr, tc.code, tc.says)
			}
		})
	}
}

// TestOpaqueTokenWithTilde: RFC 6750's token characters include "." and
// "~", so an opaque access token may hold both; it is explained as opaque,
// not taken for a broken SD-JWT, whose first part is a JOSE header.
func TestOpaqueTokenWithTilde(t *testing.T) {
	e := New(Options{})
	for _, tok := range []string{"AbCdEfGhIjKl.mnopqr~stuvwx", "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"} {
		var in struct {
			Decoded     any
			Explanation struct{ Kind, Format string }
		}
		decodeInto(t, mustCall(t, e, "inspect", tok), &in)
		if in.Decoded != nil || in.Explanation.Kind != "opaque_access_token" || in.Explanation.Format != "opaque" {
			t.Errorf("inspect(%s) = %+v, want an opaque access token", tok, in)
		}
	}
}
