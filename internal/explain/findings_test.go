package explain

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"testing"
)

// Clean tokens at displayNow: valid for an hour, nothing to report.
const (
	cleanIDHeader      = `{"alg":"RS256","kid":"k1","typ":"JWT"}`
	cleanIDPayload     = `{"iss":"https://idp.example.com","sub":"u1","aud":"client-1","exp":1714561200,"iat":1714557600,"nonce":"n-1"}`
	cleanAccessHeader  = `{"alg":"ES256","kid":"k1","typ":"at+jwt"}`
	cleanAccessPayload = `{"iss":"https://as.example.com","sub":"u1","aud":"https://api.example.com","client_id":"c1","scope":"read","exp":1714561200,"iat":1714557600,"jti":"j1"}`
)

func findingsOf(format, header, payload string) []Finding {
	return Explain(Input{Format: format, Header: json.RawMessage(header), Payload: json.RawMessage(payload), Now: displayNow}).Findings
}

func TestFindingsAbsentFromCleanTokens(t *testing.T) {
	tests := []struct{ name, header, payload string }{
		{"id token", cleanIDHeader, cleanIDPayload},
		{"access token", cleanAccessHeader, cleanAccessPayload},
		{"logout token", `{"alg":"RS256","typ":"logout+jwt"}`, `{"iss":"https://idp.example.com","aud":"client-1","iat":1714557600,"exp":1714557720,"jti":"j","sid":"s","events":{"http://schemas.openid.net/event/backchannel-logout":{}}}`},
		{"client assertion", `{"alg":"PS256","kid":"c1-key"}`, `{"iss":"c1","sub":"c1","aud":"https://as.example.com/token","exp":1714557900,"iat":1714557600,"jti":"j"}`},
		{"dpop proof", `{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"l8tF","y":"9VE4"}}`, `{"jti":"j","htm":"POST","htu":"https://as.example.com/token","iat":1714557600}`},
		{"keycloak HS512 refresh token", `{"alg":"HS512","typ":"JWT"}`, `{"iss":"https://sso.example.com/realms/a","aud":"https://sso.example.com/realms/a","typ":"Offline","sub":"u","iat":1714557600}`},
		{"understood crit", `{"alg":"HS256","b64":false,"crit":["b64"]}`, `{"iss":"a","sub":"b","exp":1714561200}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := findingsOf("JWS", tt.header, tt.payload); len(got) != 0 {
				t.Errorf("findings = %+v, want none", got)
			}
		})
	}
}

func TestFindingsTriggered(t *testing.T) {
	tests := []struct {
		id, severity            string
		format, header, payload string
	}{
		{"alg-none", SeverityError, "unsecured", `{"alg":"none"}`, cleanIDPayload},
		{"alg-missing", SeverityError, "JWS", `{"typ":"JWT"}`, cleanIDPayload},
		{"weak-alg", SeverityWarn, "JWE", `{"alg":"RSA1_5","enc":"A128GCM"}`, `null`},
		{"hmac-issued-token", SeverityWarn, "JWS", `{"alg":"HS256"}`, cleanIDPayload},
		{"unknown-crit", SeverityError, "JWS", `{"alg":"RS256","crit":["exp"],"exp":1}`, cleanIDPayload},
		{"jku-header", SeverityWarn, "JWS", `{"alg":"RS256","jku":"https://attacker.example/jwks"}`, cleanIDPayload},
		{"x5u-header", SeverityWarn, "JWS", `{"alg":"RS256","x5u":"https://attacker.example/cert"}`, cleanIDPayload},
		{"jwk-header", SeverityWarn, "JWS", `{"alg":"RS256","jwk":{"kty":"RSA","n":"AQAB","e":"AQAB"}}`, cleanIDPayload},
		{"kid-injection", SeverityWarn, "JWS", `{"alg":"HS256","kid":"../../dev/null"}`, `{"sub":"a"}`},
		{"typ-mismatch", SeverityWarn, "JWS", cleanAccessHeader, `{"iss":"https://as.example.com","aud":"a","exp":1714561200,"nonce":"n"}`},
		{"duplicate-claim", SeverityWarn, "JWS", cleanIDHeader, `{"iss":"https://idp.example.com","nonce":"n","exp":1,"exp":1714561200}`},
		{"invalid-date", SeverityError, "JWS", cleanIDHeader, `{"nonce":"n","exp":"tomorrow"}`},
		{"missing-exp", SeverityWarn, "JWS", cleanIDHeader, `{"iss":"https://idp.example.com","nonce":"n"}`},
		{"expired", SeverityInfo, "JWS", cleanIDHeader, `{"nonce":"n","exp":1714557000}`},
		{"not-yet-valid", SeverityInfo, "JWS", cleanIDHeader, `{"nonce":"n","exp":1714564800,"nbf":1714561200}`},
		{"iat-in-future", SeverityWarn, "JWS", cleanIDHeader, `{"nonce":"n","exp":1714564800,"iat":1714561200}`},
		{"long-lifetime", SeverityWarn, "JWS", cleanAccessHeader, `{"aud":"a","iat":1714557600,"exp":1714730400}`},
		{"access-token-no-aud", SeverityWarn, "JWS", cleanAccessHeader, `{"exp":1714561200}`},
		{"id-token-scope", SeverityWarn, "JWS", cleanIDHeader, `{"nonce":"n","exp":1714561200,"scope":"openid"}`},
		{"pii-in-access-token", SeverityWarn, "JWS", cleanAccessHeader, `{"aud":"a","exp":1714561200,"phone_number":"+1 425 555 1212"}`},
		{"logout-token-nonce", SeverityError, "JWS", `{"alg":"RS256","typ":"logout+jwt"}`, `{"exp":1714561200,"sid":"s","nonce":"n","events":{"http://schemas.openid.net/event/backchannel-logout":{}}}`},
		{"payload-not-object", SeverityInfo, "JWS", `{"alg":"EdDSA"}`, `"Example of Ed25519 signing"`},
		{"graph-header-nonce", SeverityInfo, "JWS", `{"typ":"JWT","nonce":"AQABAAAAAAAGV_bv21oQQ4ROqh0","alg":"RS256","x5t":"nOo3","kid":"nOo3"}`, `{"aud":"https://graph.microsoft.com","iss":"https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/","exp":1714561200,"scp":"User.Read","appid":"de8bc8b5-d9f9-48b1-a8ad-b748da725064"}`},
	}
	tested := map[string]bool{}
	for _, tt := range tests {
		tested[tt.id] = true
		t.Run(tt.id, func(t *testing.T) {
			got := findingsOf(tt.format, tt.header, tt.payload)
			i := slices.IndexFunc(got, func(f Finding) bool { return f.ID == tt.id })
			if i < 0 {
				t.Fatalf("findings = %+v, want %s", got, tt.id)
			}
			f := got[i]
			if f.Severity != tt.severity || f.Message == "" || f.Ref == "" {
				t.Errorf("finding = %+v, want severity %s with a message and a ref", f, tt.severity)
			}
		})
	}
	// Every finding id the code can emit has a case above.
	src, err := os.ReadFile("findings.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`"([a-z0-9][a-z0-9-]*)", Severity`).FindAllSubmatch(src, -1) {
		if !tested[string(m[1])] {
			t.Errorf("finding %s has no test case", m[1])
		}
	}
}

func TestFindingVariants(t *testing.T) {
	tests := []struct {
		name, header, payload, id, severity string
	}{
		{"cognito access token without aud", `{"alg":"RS256"}`, `{"token_use":"access","client_id":"c","exp":1714561200}`, "access-token-no-aud", SeverityInfo},
		{"identity claims in access token", cleanAccessHeader, `{"aud":"a","exp":1714561200,"email":"a@example.com"}`, "pii-in-access-token", SeverityInfo},
		{"crit names a missing header", `{"alg":"RS256","crit":["b64"]}`, cleanIDPayload, "unknown-crit", SeverityError},
		{"crit names an unknown extension", `{"alg":"RS256","crit":["x-ext"],"x-ext":1}`, cleanIDPayload, "unknown-crit", SeverityError},
		{"crit is empty", `{"alg":"RS256","crit":[]}`, cleanIDPayload, "unknown-crit", SeverityError},
		{"logout typ without event", `{"alg":"RS256","typ":"logout+jwt"}`, `{"exp":1714561200,"sid":"s"}`, "typ-mismatch", SeverityWarn},
		{"dpop typ without htm", `{"alg":"ES256","typ":"dpop+jwt"}`, `{"jti":"j"}`, "typ-mismatch", SeverityWarn},
		{"typ not a string", `{"alg":"RS256","typ":7}`, cleanIDPayload, "typ-mismatch", SeverityWarn},
		{"kid not a string", `{"alg":"RS256","kid":{"a":1}}`, cleanIDPayload, "kid-injection", SeverityWarn},
		{"kid with SQL", `{"alg":"RS256","kid":"x' OR '1'='1"}`, cleanIDPayload, "kid-injection", SeverityWarn},
		{"negative iat", cleanIDHeader, `{"nonce":"n","exp":1714561200,"iat":-1e20}`, "invalid-date", SeverityError},
		{"nbf after 9999", cleanIDHeader, `{"nonce":"n","exp":1714561200,"nbf":253402300800}`, "invalid-date", SeverityError},
		{"long-lived ID token", cleanIDHeader, `{"nonce":"n","iat":1714557600,"exp":1714730400}`, "long-lifetime", SeverityWarn},
		{"duplicate header", `{"alg":"RS256","alg":"none"}`, cleanIDPayload, "duplicate-claim", SeverityWarn},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := findingsOf("JWS", tt.header, tt.payload)
			if !slices.ContainsFunc(got, func(f Finding) bool { return f.ID == tt.id && f.Severity == tt.severity }) {
				t.Errorf("findings = %+v, want %s (%s)", got, tt.id, tt.severity)
			}
		})
	}
}

// TestKidInjectionShapes: kid-injection fires on path traversal, SQL and
// command injection shapes, not on characters that ordinary key IDs use.
func TestKidInjectionShapes(t *testing.T) {
	tests := []struct {
		name, kid string
		flagged   bool
	}{
		{"RFC 7638 thumbprint", "AFRyfwyepc6QCX4DKvDYLjGuN1tuCvQsOR1Xg1IsyNI", false},
		{"base64url with --", "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs--abc", false},
		{"base64url with __", "x5t__Tm2_-Q", false},
		{"leading --", "--abc", false},
		{"path inside", "keys/2024/rsa", false},
		{"KMS ARN", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", false},
		{"star and percent", "key*1%", false},
		{"the word or", "primary or backup", false},
		{"traversal", "../../dev/null", true},
		{"windows traversal", "..\\..\\boot.ini", true},
		{"encoded traversal", "%2E%2E%2Fetc%2Fpasswd", true},
		{"absolute path", "/dev/null", true},
		{"windows drive path", "C:\\keys\\k.pem", true},
		{"NUL", "k1\x00.pem", true},
		{"newline", "k1\nX-Injected: 1", true},
		{"SQL quote", "x' OR '1'='1", true},
		{"double quote", `k"1`, true},
		{"SQL union", "k1 UNION SELECT 'secret' --", true},
		{"SQL OR 1=1", "0 or 1=1", true},
		{"SQL comment", "k1 -- rest", true},
		{"command separator", "k1; rm -rf /", true},
		{"pipe", "k1|whoami", true},
		{"backtick", "k1`id`", true},
		{"command substitution", "k1$(id)", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header, _ := json.Marshal(map[string]string{"alg": "RS256", "kid": tt.kid})
			got := findingsOf("JWS", string(header), cleanIDPayload)
			flagged := slices.ContainsFunc(got, func(f Finding) bool { return f.ID == "kid-injection" })
			if flagged != tt.flagged {
				t.Errorf("kid %q: kid-injection = %v, want %v (%+v)", tt.kid, flagged, tt.flagged, got)
			}
		})
	}
}

// TestKidInjectionIgnoresBase64url: no 43-character base64url string (the
// length of a SHA-256 JWK thumbprint, RFC 7638) is an injection, whatever
// runs of "-" and "_" it has.
func TestKidInjectionIgnoresBase64url(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	rng := rand.New(rand.NewPCG(7638, 2))
	for i := range 400 {
		b := make([]byte, 43)
		for j := range b {
			b[j] = alphabet[rng.IntN(len(alphabet))]
		}
		if i%2 == 0 { // plant a run of "-" or "_" somewhere
			run := "--"
			if i%4 == 0 {
				run = "__"
			}
			if i%8 == 0 {
				run = "-_--__"
			}
			copy(b[rng.IntN(len(b)-len(run)+1):], run)
		}
		kid := string(b)
		header, _ := json.Marshal(map[string]string{"alg": "RS256", "kid": kid})
		if got := findingsOf("JWS", string(header), cleanIDPayload); len(got) != 0 {
			t.Fatalf("kid %q: findings = %+v, want none", kid, got)
		}
	}
}
