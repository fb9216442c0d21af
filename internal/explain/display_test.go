package explain

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// displayNow is 2024-05-01T10:00:00Z, Unix 1714557600.
var displayNow = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)

func claimOf(t *testing.T, where, header, payload, name string) Claim {
	t.Helper()
	e := Explain(Input{Format: "JWS", Header: json.RawMessage(header), Payload: json.RawMessage(payload), Now: displayNow})
	for _, c := range e.Claims {
		if c.Where == where && c.Name == name {
			return c
		}
	}
	t.Fatalf("no %s claim %q in %+v", where, name, e.Claims)
	return Claim{}
}

func TestDisplay(t *testing.T) {
	tests := []struct {
		name, payload, claim string
		display              string
		items                []DisplayItem
	}{
		{"exp in future", `{"exp":1714560120}`, "exp", "2024-05-01T10:42:00Z (in 42 minutes)", nil},
		{"exp in past", `{"exp":1714298400}`, "exp", "2024-04-28T10:00:00Z (expired 3 days ago)", nil},
		{"iat in past", `{"iat":1714554000}`, "iat", "2024-05-01T09:00:00Z (1 hour ago)", nil},
		{"fractional date", `{"nbf":1714557600.5}`, "nbf", "2024-05-01T10:00:00.5Z (in 500 milliseconds)", nil},
		{"huge date", `{"exp":1e400}`, "exp", "1e400 (not a usable date: NumericDate is seconds since 1970)", nil},
		{"negative date", `{"iat":-1e20}`, "iat", "-1e20 (not a usable date: NumericDate is seconds since 1970)", nil},
		{"date after 9999", `{"nbf":253402300800}`, "nbf", "253402300800 (not a usable date: NumericDate is seconds since 1970)", nil},
		{"date not a number", `{"exp":"tomorrow"}`, "exp", "tomorrow", nil},
		{"scope string", `{"scope":"openid  read:orders"}`, "scope", "openid, read:orders", []DisplayItem{
			{"openid", "Asks for OpenID Connect sign-in: an ID token and the user's sub (OIDC Core §3.1.2.1)."}, {"read:orders", ""}}},
		{"scp array", `{"scp":["offline_access"]}`, "scp", "offline_access", []DisplayItem{
			{"offline_access", "Asks for a refresh token that works while the user is not present (OIDC Core §11)."}}},
		{"amr", `{"amr":["pwd","mfa","x"]}`, "amr", "pwd, mfa, x", []DisplayItem{
			{"pwd", "Password"}, {"mfa", "Multiple-factor authentication"}, {"x", ""}}},
		{"acr value", `{"acr":"0"}`, "acr", "0 — Does not meet ISO/IEC 29115 level 1, e.g. a sign-in remembered by a long-lived cookie (OIDC Core §2)",
			[]DisplayItem{{"0", "Does not meet ISO/IEC 29115 level 1, e.g. a sign-in remembered by a long-lived cookie (OIDC Core §2)"}}},
		{"numeric value", `{"ver":1}`, "ver", "1 — Okta token format version 1", []DisplayItem{{"1", "Okta token format version 1"}}},
		{"aud string", `{"aud":"api"}`, "aud", "api", nil},
		{"cnf object", `{"cnf":{"jkt":"0ZcO"}}`, "cnf", "object with 1 member: jkt", []DisplayItem{
			{"jkt: 0ZcO", "SHA-256 thumbprint of the client's DPoP key; each request needs a DPoP proof signed with it (RFC 9449 §6.1)"}}},
		{"nested unknown object", `{"x":{"a":[1,{"b":2}],"c":"d"}}`, "x", "object with 2 members: a, c", []DisplayItem{{"a: [1,{\"b\":2}]", ""}, {"c: d", ""}}},
		{"big number kept", `{"n":123456789012345678901234567890}`, "n", "123456789012345678901234567890", nil},
		{"bool", `{"email_verified":true}`, "email_verified", "true", nil},
		{"null", `{"x":null}`, "x", "null", nil},
		{"empty string", `{"head_ref":""}`, "head_ref", "(empty string)", nil},
		{"duration", `{"exi":5400}`, "exi", "5400 seconds (1 hour 30 minutes)", nil},
		{"html not escaped", `{"x":["<a&b>"]}`, "x", "<a&b>", []DisplayItem{{"<a&b>", ""}}},
		{"Apple real user", `{"real_user_status":2}`, "real_user_status", "2 — Likely real", []DisplayItem{{"2", "Likely real"}}},
		{"Entra sign-in state", `{"signin_state":["kmsi","dvc_cmp"]}`, "signin_state", "kmsi, dvc_cmp", []DisplayItem{
			{"kmsi", "Keep me signed in was used"}, {"dvc_cmp", "The device is compliant"}}},
		{"EAP ACR value", `{"acr":"phrh"}`, "acr", "phrh — Phishing-resistant authentication with a hardware-protected key (OpenID Connect EAP ACR Values 1.0)",
			[]DisplayItem{{"phrh", "Phishing-resistant authentication with a hardware-protected key (OpenID Connect EAP ACR Values 1.0)"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := claimOf(t, "payload", `{"alg":"RS256"}`, tt.payload, tt.claim)
			if c.Display != tt.display {
				t.Errorf("display = %q, want %q", c.Display, tt.display)
			}
			if !reflect.DeepEqual(c.Items, tt.items) {
				t.Errorf("items = %#v, want %#v", c.Items, tt.items)
			}
		})
	}
}

func TestClaimKnowledge(t *testing.T) {
	tests := []struct {
		name, where, header, payload, claim string
		known, custom                       bool
		ref                                 string
	}{
		{"registered", "payload", `{}`, `{"iss":"x"}`, "iss", true, false, "RFC 7519 §4.1.1"},
		{"header", "header", `{"kid":"k"}`, `{}`, "kid", true, false, "RFC 7515 §4.1.4"},
		{"vendor prefix", "payload", `{}`, `{"xms_ssm":"1"}`, "xms_ssm", true, false, "Microsoft Entra ID access token claims"},
		{"namespaced", "payload", `{}`, `{"https://example.com/roles":["a"]}`, "https://example.com/roles", false, true, "RFC 7519 §4.2"},
		{"unknown", "payload", `{}`, `{"flavour":"vanilla"}`, "flavour", false, false, "RFC 7519 §4.3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := claimOf(t, tt.where, tt.header, tt.payload, tt.claim)
			if c.Known != tt.known || c.Custom != tt.custom || c.Ref != tt.ref || c.Meaning == "" || c.RefURL == "" {
				t.Errorf("claim = %+v, want known %v custom %v ref %q", c, tt.known, tt.custom, tt.ref)
			}
		})
	}
}

func TestClaimsInTokenOrder(t *testing.T) {
	e := Explain(Input{Header: json.RawMessage(`{"typ":"JWT","alg":"RS256"}`), Payload: json.RawMessage(`{"z":1,"a":2,"z":3}`), Now: displayNow})
	var got []string
	for _, c := range e.Claims {
		got = append(got, c.Where+"/"+c.Name+"="+string(c.Value))
	}
	want := []string{`header/typ="JWT"`, `header/alg="RS256"`, "payload/z=1", "payload/a=2", "payload/z=3"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("claims = %q, want %q", got, want)
	}
}

func TestRelative(t *testing.T) {
	tests := []struct {
		offset time.Duration
		expiry bool
		want   string
	}{
		{0, false, "now"},
		{42 * time.Minute, true, "in 42 minutes"},
		{-3 * 24 * time.Hour, true, "expired 3 days ago"},
		{-time.Second, false, "1 second ago"},
		{400 * 24 * time.Hour, false, "in 1 year 35 days"},
		{-500 * time.Millisecond, false, "500 milliseconds ago"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := relative(displayNow.Add(tt.offset), displayNow, tt.expiry); got != tt.want {
				t.Errorf("relative = %q, want %q", got, tt.want)
			}
		})
	}
}
