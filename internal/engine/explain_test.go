package engine

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

// explanation is the part of explain's result these tests read.
type explanation struct {
	Kind, Format, Headline, Certainty, Resembles, RuleKind string
	Opaque                                                 *struct{ Prefix, Vendor, Name string }
	Encryption                                             *struct {
		Alg, Enc, Note string
		Nested         bool
	}
	Purpose  struct{ Kind, Title, Summary string }
	Findings []struct{ ID, Severity, Message string }
}

func explainOf(t *testing.T, e *Engine, token string) (explanation, *Error) {
	t.Helper()
	out, apiErr := call(t, e, "explain", token)
	var x explanation
	if apiErr == nil {
		if err := json.Unmarshal(out, &x); err != nil {
			t.Fatal(err)
		}
	}
	return x, apiErr
}

// TestExplainOpaqueTokens: a string that is not a JWT is explained as an
// opaque token, with no error, and vendor formats are named.
func TestExplainOpaqueTokens(t *testing.T) {
	e := New(Options{})
	tests := []struct {
		name, token, kind, prefix string
	}{
		{"RFC 6749 example", "2YotnFZFEjr1zCsicMWpAA", "opaque_access_token", ""},
		{"RFC 6750 example with the scheme", "Bearer mF_9.B5f-4.1JqM", "opaque_access_token", ""},
		{"Google", "ya29.a0AfB_byC3xampleXampleXampleXample-_0163", "opaque_access_token", "ya29."},
		{"GitHub classic PAT", "ghp_A1bC2dE3fH4iJ5kL6mN7oP8qR9sT0uV1wX2y", "opaque_access_token", "ghp_"},
		{"GitHub App refresh token", "ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34", "refresh_token", "ghr_"},
		{"Slack bot token", "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy", "opaque_access_token", "xoxb-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, apiErr := explainOf(t, e, tt.token)
			if apiErr != nil {
				t.Fatalf("explain failed: %v", apiErr)
			}
			if x.Kind != tt.kind || x.Format != "opaque" || x.Purpose.Kind != tt.kind || x.RuleKind != "" {
				t.Errorf("kind %s, format %s, purpose %s, rule kind %q", x.Kind, x.Format, x.Purpose.Kind, x.RuleKind)
			}
			if (x.Opaque == nil) != (tt.prefix == "") || (x.Opaque != nil && x.Opaque.Prefix != tt.prefix) {
				t.Errorf("opaque = %+v, want prefix %q", x.Opaque, tt.prefix)
			}
			for _, f := range x.Findings {
				if f.Severity != "info" {
					t.Errorf("finding %+v is not info", f)
				}
			}
		})
	}
}

// TestExplainStillRejectsBrokenJWTs: a cut-off JWT or bad base64 in a
// three-segment token is a malformed token, not an opaque one.
func TestExplainStillRejectsBrokenJWTs(t *testing.T) {
	e := New(Options{})
	for name, token := range map[string]string{
		"header only":        "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9",
		"two segments":       "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0",
		"cut in the payload": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMj",
		"bad base64":         "eyJhbGciOiJSUzI1NiJ9.eyJzd!WIiOiIxIn0.c2ln",
		"damaged header":     "xxxhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2ln",
		"standard base64":    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIx+n0.c2ln",
		"JWE cut off":        "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.OKOawDo13gRp2oj",
		"empty":              "",
	} {
		t.Run(name, func(t *testing.T) {
			x, apiErr := explainOf(t, e, token)
			if apiErr == nil || apiErr.Code != CodeMalformed {
				t.Errorf("explain = %+v, %v; want code malformed", x, apiErr)
			}
		})
	}
}

// TestExplainReportsWhatDecodeTolerated: a Bearer prefix and line breaks
// are info findings of the explanation. Decode still lists them among its
// warnings, which the page must not show a second time.
func TestExplainReportsWhatDecodeTolerated(t *testing.T) {
	e := New(Options{})
	const jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	x, apiErr := explainOf(t, e, "Bearer "+jwt[:40]+"\n"+jwt[40:])
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var ids []string
	for _, f := range x.Findings {
		if strings.HasPrefix(f.ID, "input-") {
			ids = append(ids, f.ID+":"+f.Severity)
		}
	}
	if want := []string{"input-bearer:info", "input-whitespace:info"}; !slices.Equal(ids, want) {
		t.Errorf("input findings %q, want %q", ids, want)
	}
	if x.Certainty != "unclear" || x.Kind != "jwt" || x.Resembles != "id_token" || x.Headline != "JWT — kind unclear (resembles an ID token)" {
		t.Errorf("jwt.io's sample: kind %s (%s) resembles %s, headline %q", x.Kind, x.Certainty, x.Resembles, x.Headline)
	}
}

// TestExplainJWE: a JWE's headline names its algorithms, and a nested JWT
// says to decrypt it to see its kind.
func TestExplainJWE(t *testing.T) {
	e := New(Options{})
	out, apiErr := call(t, e, "generateKey", map[string]any{"alg": "ES256"})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var sig struct{ PrivateJWK json.RawMessage }
	_ = json.Unmarshal(out, &sig)
	out, apiErr = call(t, e, "generateKey", map[string]any{"alg": "A256KW"})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var enc struct{ PrivateJWK json.RawMessage }
	_ = json.Unmarshal(out, &enc)
	out, apiErr = call(t, e, "mint", map[string]any{"kind": "id_token", "key": sig.PrivateJWK, "encrypt": map[string]any{"key": enc.PrivateJWK, "enc": "A128GCM"}})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var minted struct{ Token string }
	_ = json.Unmarshal(out, &minted)
	x, apiErr := explainOf(t, e, minted.Token)
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	if x.Format != "JWE" || x.Headline != "Encrypted token (JWE) — A256KW key management, A128GCM content encryption" {
		t.Errorf("format %s, headline %q", x.Format, x.Headline)
	}
	if x.Encryption == nil || !x.Encryption.Nested || !strings.Contains(x.Encryption.Note, "decrypt it to see its kind") {
		t.Errorf("encryption = %+v", x.Encryption)
	}
}

// TestPresetsMethod: presets() lists every shape mint issues, and each
// minted preset is explained as its kind and verifies with its own key.
func TestPresetsMethod(t *testing.T) {
	e := New(Options{})
	out, apiErr := call(t, e, "presets")
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var got struct {
		Placeholders map[string]string
		Presets      []struct {
			Name, Title, URL string
			Kinds            []struct {
				Kind, Source, Note string
				Header, Claims     map[string]any
				Departures         []string
			}
			NotIssued map[string]string
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if got.Placeholders["${iat}"] == "" || len(got.Presets) < 7 {
		t.Fatalf("presets() = %s", out)
	}
	out, apiErr = call(t, e, "generateKey", map[string]any{"alg": "ES256"})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var key struct{ PrivateJWK, PublicJWK json.RawMessage }
	_ = json.Unmarshal(out, &key)
	now := float64(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC).Unix())
	for _, p := range got.Presets {
		for _, k := range p.Kinds {
			t.Run(p.Name+"/"+k.Kind, func(t *testing.T) {
				if k.Header["alg"] != "${alg}" || k.Source == "" {
					t.Errorf("header %v, source %q", k.Header, k.Source)
				}
				out, apiErr := call(t, e, "mint", map[string]any{"kind": k.Kind, "key": key.PrivateJWK, "preset": p.Name, "now": now})
				if apiErr != nil {
					t.Fatal(apiErr)
				}
				var minted struct{ Token string }
				_ = json.Unmarshal(out, &minted)
				// A JWT refresh token or plain JWT with no vendor marker
				// cannot be told from other kinds by its claims.
				if !(p.Name == "standard" && (k.Kind == "refresh_token" || k.Kind == "jwt")) {
					x, apiErr := explainOf(t, e, minted.Token)
					if apiErr != nil || x.Kind != k.Kind || x.Certainty == "unclear" {
						t.Errorf("explain = %s (%s), %v; want %s", x.Kind, x.Certainty, apiErr, k.Kind)
					}
				}
				out, apiErr = call(t, e, "verify", minted.Token, map[string]any{"key": key.PublicJWK, "kind": "jwt", "now": now + 60})
				if apiErr != nil {
					t.Fatal(apiErr)
				}
				var res struct{ Valid bool }
				_ = json.Unmarshal(out, &res)
				if !res.Valid {
					t.Errorf("not valid with its own key: %s", out)
				}
			})
		}
	}
}

// TestVerifyAutoUsesTheRuleKind: verify's auto kind applies the rule set
// that fits what explain calls the token: a DPoP proof (here a JWT minted
// with typ dpop+jwt) gets the rules of RFC 9449, and the key given is
// compared with the one the proof carries.
func TestVerifyAutoUsesTheRuleKind(t *testing.T) {
	e := New(Options{})
	out, apiErr := call(t, e, "generateKey", map[string]any{"alg": "ES256"})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var key struct{ PrivateJWK, PublicJWK json.RawMessage }
	_ = json.Unmarshal(out, &key)
	now := float64(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC).Unix())
	out, apiErr = call(t, e, "mint", map[string]any{"kind": "jwt", "key": key.PrivateJWK, "now": now, "header": map[string]any{"typ": "dpop+jwt"},
		"claims": map[string]any{"iss": nil, "sub": nil, "aud": nil, "exp": nil, "jti": "-BwC3ESc6acc2lTc", "htm": "POST", "htu": "https://server.example.com/token"}})
	if apiErr != nil {
		t.Fatal(apiErr)
	}
	var minted struct{ Token string }
	_ = json.Unmarshal(out, &minted)
	if x, _ := explainOf(t, e, minted.Token); x.Kind != "dpop_proof" || x.RuleKind != "dpop_proof" {
		t.Fatalf("explain = %s, rule kind %s; want dpop_proof, dpop_proof", x.Kind, x.RuleKind)
	}
	out, apiErr = call(t, e, "verify", minted.Token, map[string]any{"key": key.PublicJWK, "now": now})
	if apiErr != nil {
		t.Fatalf("verify refused a DPoP proof: %v", apiErr)
	}
	var res struct {
		Valid   bool
		Kind    string
		Missing []string
		Checks  []struct{ ID, Status string }
	}
	_ = json.Unmarshal(out, &res)
	// The minted JWT has no jwk header: the DPoP rules fail it for that,
	// and its key is not the one given since it carries none.
	failed := map[string]bool{}
	for _, c := range res.Checks {
		if c.Status == "fail" {
			failed[c.ID] = true
		}
	}
	if res.Valid || res.Kind != "dpop_proof" || !failed["jwk"] || !failed["key"] || strings.Join(res.Missing, ",") != "htm,htu" {
		t.Errorf("verify = %s", out)
	}
}
