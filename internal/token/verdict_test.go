package token

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"tokenlab/internal/vocab"
)

// hsSecret is a 32-byte HMAC secret, long enough for HS256.
const hsSecret = "tokenlab-verdict-test-secret-032"

// signed makes an HS256 token over exactly this header and payload.
func signed(t testing.TB, header, payload string) string {
	t.Helper()
	tok, err := signJWS("HS256", []byte(hsSecret), []byte(header), []byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// check returns the check with id, or fails the test.
func check(t testing.TB, res *Verified, id string) Check {
	t.Helper()
	for _, c := range res.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no %s check\n%s", id, dump(res))
	return Check{}
}

// statuses renders "id:status" for every check.
func statuses(res *Verified) string {
	var out []string
	for _, c := range res.Checks {
		out = append(out, c.ID+":"+string(c.Status))
	}
	return strings.Join(out, " ")
}

// TestVerifyJWTIOSample: jwt.io's HS256 sample with its secret is valid by
// the generic rules (the classifier is not confident it is an ID token),
// with the signature passing and a warning that the 19-byte secret is
// shorter than RFC 7518 §3.2 allows.
func TestVerifyJWTIOSample(t *testing.T) {
	const sample = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	res := mustVerify(t, sample, VerifyOptions{Key: "your-256-bit-secret", Kind: vocab.Auto, Classify: func(string, map[string]any) Guess {
		return Guess{Resembles: "id_token", Confidence: 0.5, Threshold: 0.7}
	}, Now: time.Unix(1700000000, 0)})
	if !res.Valid || res.Kind != vocab.JWT || res.Requested != vocab.Auto || res.Strict || res.Guess == nil || res.Resembles != "id_token" {
		t.Fatalf("valid %v kind %s requested %s strict %v guess %+v\n%s", res.Valid, res.Kind, res.Requested, res.Strict, res.Guess, dump(res))
	}
	if got, want := statuses(res), "alg:pass signature:pass key_size:warn iat:pass"; got != want {
		t.Errorf("checks = %s, want %s", got, want)
	}
	if c := check(t, res, "key_size"); !strings.Contains(c.Message, "only 19 bytes") || !strings.Contains(c.Message, "at least 32 bytes") || c.Ref != "RFC 7518 §3.2" {
		t.Errorf("key_size = %+v", c)
	}
	if !res.Complete || res.Verdict != VerdictValid || res.Summary != "Valid JWT: no check failed, 1 warning" {
		t.Errorf("complete %v verdict %s summary %q", res.Complete, res.Verdict, res.Summary)
	}
}

// TestVerifyClaimTypesAgainstExpectations: an aud or iss of the wrong
// JSON type, or one that names no one, must never match an expected value.
// golang-jwt reported several of these as missing or dropped non-string
// members, so they used to pass.
func TestVerifyClaimTypesAgainstExpectations(t *testing.T) {
	const api, issuer = "https://api.example.com", "https://issuer.example.com"
	tests := []struct {
		claim, value string
		// statusNone is the check's status when nothing is expected.
		statusNone Status
		message    string
	}{
		{"aud", `[]`, StatusWarn, "names no recipient"},
		{"aud", `""`, StatusWarn, "names no recipient"},
		{"aud", `[""]`, StatusWarn, "names no recipient"},
		{"aud", `["https://api.example.com",""]`, StatusWarn, "names no recipient"},
		{"aud", `7`, StatusFail, "aud is 7 (a number)"},
		{"aud", `true`, StatusFail, "aud is true (a boolean)"},
		{"aud", `null`, StatusFail, "aud is null"},
		{"aud", `{}`, StatusFail, "aud is {} (an object)"},
		{"aud", `{"https://api.example.com":true}`, StatusFail, "(an object)"},
		{"aud", `["https://api.example.com",7]`, StatusFail, "member that is a number"},
		{"iss", `""`, StatusWarn, "empty"},
		{"iss", `7`, StatusFail, "iss is 7 (a number)"},
		{"iss", `null`, StatusFail, "iss is null"},
		{"iss", `{}`, StatusFail, "(an object)"},
		{"iss", `["https://issuer.example.com"]`, StatusFail, "(an array)"},
	}
	for _, tc := range tests {
		for _, kind := range []vocab.Kind{vocab.JWT, vocab.IDToken, vocab.AccessToken} {
			t.Run(fmt.Sprintf("%s %s %s", tc.claim, tc.value, kind), func(t *testing.T) {
				claims := map[string]string{"iss": `"` + issuer + `"`, "aud": `"` + api + `"`}
				claims[tc.claim] = tc.value
				tok := signed(t, `{"alg":"HS256"}`, fmt.Sprintf(`{"iss":%s,"sub":"alice","aud":%s,"exp":1800000000,"iat":1700000000,"client_id":"c","jti":"j"}`, claims["iss"], claims["aud"]))
				res := mustVerify(t, tok, VerifyOptions{Key: KeyInput(hsSecret), Kind: kind, Issuer: issuer, Audience: api, Now: mintAt})
				if res.Valid || failing(res) != tc.claim {
					t.Fatalf("valid %v failing %q, want only %s to fail\n%s", res.Valid, failing(res), tc.claim, dump(res))
				}
				if c := check(t, res, tc.claim); !strings.Contains(c.Message, tc.message) {
					t.Errorf("message %q does not say %q", c.Message, tc.message)
				}
				res = mustVerify(t, tok, VerifyOptions{Key: KeyInput(hsSecret), Kind: kind, Now: mintAt})
				if c := check(t, res, tc.claim); c.Status != tc.statusNone {
					t.Errorf("with nothing expected, %s is %s, want %s: %s", tc.claim, c.Status, tc.statusNone, c.Message)
				}
			})
		}
	}
}

// TestVerifyFractionalNumericDates: NumericDates compare as numbers, with
// their fractions (RFC 7519 §2), and messages about a future instant never
// say "before now".
func TestVerifyFractionalNumericDates(t *testing.T) {
	now := time.Unix(1700000000, 0)
	tests := []struct {
		name, payload string
		leeway        time.Duration
		id            string
		status        Status
		message       string
	}{
		{"exp half a second ahead", `{"exp":1700000000.5}`, 0, "exp", StatusPass, "expires at 2023-11-14T22:13:20.5Z, 500 milliseconds from now"},
		{"exp a quarter second ago", `{"exp":1699999999.75}`, 0, "exp", StatusFail, "expired at 2023-11-14T22:13:19.75Z, 250 milliseconds before now"},
		{"exp a quarter second ago within leeway", `{"exp":1699999999.75}`, time.Second, "exp", StatusPass, "within the allowed clock skew of 1 second"},
		{"exp exactly now", `{"exp":1700000000.0}`, 0, "exp", StatusFail, "0 seconds before now"},
		{"nbf half a second ahead", `{"nbf":1700000000.5}`, 0, "nbf", StatusFail, "not valid before 2023-11-14T22:13:20.5Z, 500 milliseconds from now"},
		{"nbf half a second ahead within leeway", `{"nbf":1700000000.5}`, time.Second, "nbf", StatusPass, "becomes valid at"},
		{"iat 0.2 seconds ahead", `{"iat":1700000000.2}`, 0, "iat", StatusFail, "200 milliseconds in the future"},
		{"iat 0.2 seconds ago", `{"iat":1699999999.8}`, 0, "iat", StatusPass, "200 milliseconds ago"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := mustVerify(t, signed(t, `{"alg":"HS256"}`, tc.payload), VerifyOptions{Key: KeyInput(hsSecret), Now: now, Leeway: tc.leeway})
			c := check(t, res, tc.id)
			if c.Status != tc.status || !strings.Contains(c.Message, tc.message) {
				t.Errorf("%s = %s %q, want %s saying %q", tc.id, c.Status, c.Message, tc.status, tc.message)
			}
			if c.Status == StatusPass && strings.Contains(c.Message, "before now") && !strings.Contains(c.Message, "clock skew") {
				t.Errorf("a passing %s says %q", tc.id, c.Message)
			}
		})
	}
}

// TestVerifyCompleteness: a comparison without an expected value is a
// skip, never a pass, and Complete/Missing say which mandatory ones were
// skipped: iss and aud for ID, access and logout tokens, a present aud for
// a generic JWT.
func TestVerifyCompleteness(t *testing.T) {
	key := testKey(t, "ES256")
	priv, pub := string(key.PrivateJWK), string(key.PublicJWK)
	id := mustMint(t, MintOptions{Kind: vocab.IDToken, Key: KeyInput(priv)}).Token
	at := mustMint(t, MintOptions{Kind: vocab.AccessToken, Key: KeyInput(priv)}).Token
	lt := mustMint(t, MintOptions{Kind: vocab.LogoutToken, Key: KeyInput(priv)}).Token
	noAud := mustMint(t, MintOptions{Kind: vocab.JWT, Key: KeyInput(priv), Claims: json.RawMessage(`{"aud":null}`)}).Token
	now := mintAt.Add(time.Minute)
	tests := []struct {
		name, token string
		opts        VerifyOptions
		missing     string
		verdict     Verdict
		summary     string
	}{
		{"ID token, nothing expected", id, VerifyOptions{Kind: vocab.IDToken}, "iss,aud", VerdictIncomplete, "Signature verified — issuer and audience not compared"},
		{"ID token, issuer only", id, VerifyOptions{Kind: vocab.IDToken, Issuer: example.Issuer}, "aud", VerdictIncomplete, "Signature verified — audience not compared"},
		{"ID token, client ID as audience", id, VerifyOptions{Kind: vocab.IDToken, Issuer: example.Issuer, ClientID: example.ClientID}, "", VerdictValid, "Valid ID token: no check failed, 1 not compared"},
		{"ID token, everything", id, VerifyOptions{Kind: vocab.IDToken, Issuer: example.Issuer, Audience: example.ClientID, Nonce: example.Nonce}, "", VerdictValid, "Valid ID token: every check passed"},
		{"ID token, wrong audience", id, VerifyOptions{Kind: vocab.IDToken, Issuer: example.Issuer, Audience: "x"}, "", VerdictInvalid, "Not valid: 1 of 9 checks failed (aud)"},
		{"access token", at, VerifyOptions{Kind: vocab.AccessToken}, "iss,aud", VerdictIncomplete, ""},
		{"access token, strictly", at, VerifyOptions{Kind: vocab.AccessTokenRFC9068, Issuer: example.Issuer, Audience: example.Audience}, "", VerdictValid, "Valid RFC 9068 access token: every check passed"},
		{"logout token", lt, VerifyOptions{Kind: vocab.LogoutToken, Issuer: example.Issuer}, "aud", VerdictIncomplete, ""},
		{"JWT with aud", at, VerifyOptions{Kind: vocab.JWT}, "aud", VerdictIncomplete, "Signature verified — audience not compared"},
		{"JWT with aud compared", at, VerifyOptions{Kind: vocab.JWT, Audience: example.Audience}, "", VerdictValid, ""},
		{"JWT without aud", noAud, VerifyOptions{Kind: vocab.JWT}, "", VerdictValid, ""},
		{"refresh token with aud", at, VerifyOptions{Kind: vocab.RefreshToken}, "aud", VerdictIncomplete, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Key, tc.opts.Now = KeyInput(pub), now
			res := mustVerify(t, tc.token, tc.opts)
			if got := strings.Join(res.Missing, ","); got != tc.missing || res.Complete != (tc.missing == "") || res.Missing == nil {
				t.Errorf("missing %q complete %v, want %q", got, res.Complete, tc.missing)
			}
			if res.Verdict != tc.verdict || (tc.summary != "" && res.Summary != tc.summary) {
				t.Errorf("verdict %s %q, want %s %q\n%s", res.Verdict, res.Summary, tc.verdict, tc.summary, dump(res))
			}
			for _, id := range res.Missing {
				if c := check(t, res, id); c.Status == StatusPass {
					t.Errorf("%s was not compared but passed: %s", id, c.Message)
				}
			}
			for _, id := range []string{"iss", "aud"} {
				for _, c := range res.Checks {
					if c.ID == id && c.Status == StatusSkip && !strings.Contains(c.Message, "not compared: give the expected") {
						t.Errorf("a skipped %s does not say what to give: %s", id, c.Message)
					}
				}
			}
		})
	}
}

// TestVerifyAutoKind: kind auto applies a guessed kind's rules only when
// the guess reaches its threshold and Verify has rules for the kind; a
// guessed kind's missing claims are warnings, unless the token declares
// its kind itself (typ at+jwt, typ logout+jwt, a logout event).
func TestVerifyAutoKind(t *testing.T) {
	key := testKey(t, "ES256")
	priv, pub := string(key.PrivateJWK), string(key.PublicJWK)
	noSub := mustMint(t, MintOptions{Kind: vocab.IDToken, Key: KeyInput(priv), Claims: json.RawMessage(`{"sub":null}`)}).Token
	typedNoClient := mustMint(t, MintOptions{Kind: vocab.AccessToken, Key: KeyInput(priv), Claims: json.RawMessage(`{"client_id":null}`)}).Token
	untypedNoClient := mustMint(t, MintOptions{Kind: vocab.AccessToken, Key: KeyInput(priv), Header: json.RawMessage(`{"typ":"JWT"}`), Claims: json.RawMessage(`{"client_id":null}`)}).Token
	logoutNoJTI := mustMint(t, MintOptions{Kind: vocab.LogoutToken, Key: KeyInput(priv), Header: json.RawMessage(`{"typ":null}`), Claims: json.RawMessage(`{"jti":null}`)}).Token
	keycloakLogout := mustMint(t, MintOptions{Kind: vocab.JWT, Key: KeyInput(priv), Claims: json.RawMessage(`{"typ":"Logout","sid":"s","jti":"j"}`)}).Token
	guess := func(kind vocab.Kind, confidence float64) *Guess {
		return &Guess{Resembles: kind, Confidence: confidence, Threshold: 0.7}
	}
	tests := []struct {
		name, token string
		kind        vocab.Kind
		guess       *Guess
		applied     vocab.Kind
		strict      bool
		failing     string
		warn        string // a check expected to warn
	}{
		{"confident ID token", noSub, vocab.Auto, guess("id_token", 0.9), vocab.IDToken, false, "", "sub"},
		{"chosen ID token", noSub, vocab.IDToken, nil, vocab.IDToken, true, "sub", ""},
		{"unsure ID token", noSub, vocab.Auto, guess("id_token", 0.5), vocab.JWT, false, "", ""},
		{"at the threshold", noSub, vocab.Auto, guess("id_token", 0.7), vocab.IDToken, false, "", "sub"},
		{"a kind without rules", noSub, vocab.Auto, guess("dpop_proof", 0.95), vocab.JWT, false, "", ""},
		{"no guess", noSub, vocab.Auto, nil, vocab.JWT, false, "", ""},
		{"access token typed at+jwt", typedNoClient, vocab.Auto, guess("access_token", 0.95), vocab.AccessToken, true, "client_id", ""},
		{"access token in the issuer's format", untypedNoClient, vocab.Auto, guess("access_token", 0.9), vocab.AccessToken, false, "", "client_id"},
		{"chosen issuer-format access token", untypedNoClient, vocab.AccessToken, nil, vocab.AccessToken, false, "", "client_id"},
		{"chosen RFC 9068 access token", untypedNoClient, vocab.AccessTokenRFC9068, nil, vocab.AccessTokenRFC9068, true, "typ,client_id", ""},
		{"logout token with its event", logoutNoJTI, vocab.Auto, guess("logout_token", 0.95), vocab.LogoutToken, true, "jti", "typ"},
		{"Keycloak logout token without event", keycloakLogout, vocab.Auto, guess("logout_token", 0.9), vocab.LogoutToken, false, "", "events"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := VerifyOptions{Key: KeyInput(pub), Kind: tc.kind, Now: mintAt}
			if tc.guess != nil {
				opts.Classify = func(string, map[string]any) Guess { return *tc.guess }
			}
			res := mustVerify(t, tc.token, opts)
			if res.Kind != tc.applied || res.Strict != tc.strict || failing(res) != tc.failing || res.Requested != tc.kind {
				t.Fatalf("kind %s requested %s strict %v failing %q; want %s %s %v %q\n%s", res.Kind, res.Requested, res.Strict, failing(res), tc.applied, tc.kind, tc.strict, tc.failing, dump(res))
			}
			if tc.warn != "" {
				if c := check(t, res, tc.warn); c.Status != StatusWarn {
					t.Errorf("%s = %s, want warn: %s", tc.warn, c.Status, c.Message)
				}
			}
			out, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			var top map[string]json.RawMessage
			if err := json.Unmarshal(out, &top); err != nil {
				t.Fatal(err)
			}
			_, hasResembles := top["resembles"]
			_, hasThreshold := top["threshold"]
			if want := tc.guess != nil; hasResembles != want || hasThreshold != want {
				t.Errorf("JSON has resembles %v threshold %v, want %v: %s", hasResembles, hasThreshold, want, out)
			}
		})
	}
}

// TestVerifyVendorEquivalents: what an issuer's own access-token format
// lacks is a warning that names the vendor's equivalent, and the
// equivalent is compared when the caller gives the client ID.
func TestVerifyVendorEquivalents(t *testing.T) {
	base := `"iss":"https://issuer.example.com","sub":"s","exp":1800000000,"iat":1700000000`
	tests := []struct {
		name, claims string
		opts         VerifyOptions
		id           string
		status       Status
		message      string
		missing      string
	}{
		{"azp for client_id", `"aud":"api","azp":"c1"`, VerifyOptions{}, "client_id", StatusWarn, `azp "c1" instead, as Entra ID v2 and Auth0 access tokens do`, "iss,aud"},
		{"appid for client_id", `"aud":"api","appid":"c1"`, VerifyOptions{}, "client_id", StatusWarn, "Entra ID v1", "iss,aud"},
		{"cid for client_id", `"aud":"api","cid":"c1"`, VerifyOptions{}, "client_id", StatusWarn, "Okta", "iss,aud"},
		{"azp of the expected client", `"aud":"api","azp":"c1"`, VerifyOptions{ClientID: "c1"}, "client_id", StatusWarn, "is the expected client", "iss,aud"},
		{"azp of another client", `"aud":"api","azp":"c2"`, VerifyOptions{ClientID: "c1"}, "client_id", StatusFail, "not the expected", "iss,aud"},
		{"no client at all, one expected", `"aud":"api"`, VerifyOptions{ClientID: "c1"}, "client_id", StatusFail, "names no client", "iss,aud"},
		{"uti for jti", `"aud":"api","uti":"u1"`, VerifyOptions{}, "jti", StatusWarn, `uti ("u1")`, "iss,aud"},
		{"Cognito without aud", `"client_id":"c1","token_use":"access"`, VerifyOptions{}, "aud", StatusWarn, "Amazon Cognito access tokens carry no aud", "iss,aud"},
		{"Cognito with its client", `"client_id":"c1","token_use":"access"`, VerifyOptions{ClientID: "c1", Issuer: "https://issuer.example.com"}, "aud", StatusPass, "the check AWS documents in place of aud", ""},
		{"Cognito with another client", `"client_id":"c1","token_use":"access"`, VerifyOptions{Audience: "c2"}, "aud", StatusFail, "not addressed to", "iss"},
		{"no typ", `"aud":"api"`, VerifyOptions{}, "typ", StatusWarn, `typ is absent, not "at+jwt"`, "iss,aud"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok := signed(t, `{"alg":"HS256"}`, "{"+base+","+tc.claims+"}")
			tc.opts.Key, tc.opts.Kind, tc.opts.Now = hsSecret, vocab.AccessToken, mintAt
			res := mustVerify(t, tok, tc.opts)
			c := check(t, res, tc.id)
			if c.Status != tc.status || !strings.Contains(c.Message, tc.message) {
				t.Errorf("%s = %s %q, want %s saying %q", tc.id, c.Status, c.Message, tc.status, tc.message)
			}
			if got := strings.Join(res.Missing, ","); got != tc.missing {
				t.Errorf("missing = %q, want %q", got, tc.missing)
			}
			strict := tc.opts
			strict.Kind = vocab.AccessTokenRFC9068
			if c := check(t, mustVerify(t, tok, strict), tc.id); c.Status == StatusWarn {
				t.Errorf("strictly, %s still only warns: %s", tc.id, c.Message)
			}
		})
	}
}

// TestVerifyMessagesSayWhatToDo: messages use the right article and no
// failure or warning ends without a way forward.
func TestVerifyMessagesSayWhatToDo(t *testing.T) {
	tok := signed(t, `{"alg":"HS256","typ":"JWT"}`, `{"aud":[],"iss":""}`)
	var all []Check
	for _, kind := range []vocab.Kind{vocab.IDToken, vocab.AccessToken, vocab.AccessTokenRFC9068, vocab.LogoutToken, vocab.JWT} {
		all = append(all, mustVerify(t, tok, VerifyOptions{Key: KeyInput(hsSecret), Kind: kind, Now: mintAt}).Checks...)
	}
	for _, c := range all {
		for _, wrong := range []string{"a ID token", "a access token", "an logout", "an JWT", "a RFC"} {
			if strings.Contains(c.Message, wrong) {
				t.Errorf("%s: %q says %q", c.ID, c.Message, wrong)
			}
		}
	}
	if !slices.ContainsFunc(all, func(c Check) bool { return strings.Contains(c.Message, "an ID token must") }) {
		t.Error(`no message says "an ID token must"`)
	}
}

// TestEveryKindHasRules: every kind of the vocabulary that can be verified
// names a rule set Verify has, and the kinds Verify and Mint accept are
// spelled from the vocabulary.
func TestEveryKindHasRules(t *testing.T) {
	for _, k := range vocab.Kinds() {
		if as := k.VerifyAs(); as != "" && ruleSets[as] == nil && !rulesElsewhere(as) {
			t.Errorf("%s is verified as %s, which has no rule set", k, as)
		}
	}
	for _, k := range []vocab.Kind{vocab.DPoPProof, vocab.SDJWT, vocab.SDJWTVC} {
		if !rulesElsewhere(k) || !errors.Is(checkVerifyKind(k), ErrBadRequest) {
			t.Errorf("%s: rules elsewhere %v, checkVerifyKind %v; internal/dpop and internal/sdjwt hold them", k, rulesElsewhere(k), checkVerifyKind(k))
		}
	}
	for k, r := range ruleSets {
		if !k.Known() || (r.kind != k && k != vocab.Unknown) {
			t.Errorf("rule set %s (kind %s) does not match the vocabulary", k, r.kind)
		}
	}
	if got, want := vocab.OrList(verifyKinds()), "id_token, access_token, access_token_rfc9068, refresh_token, logout_token, dpop_proof, sd_jwt, sd_jwt_vc, jwt or auto"; got != want {
		t.Errorf("verify kinds = %s, want %s", got, want)
	}
	if got, want := vocab.OrList(MintKinds()), "id_token, access_token, refresh_token, logout_token or jwt"; got != want {
		t.Errorf("mint kinds = %s, want %s", got, want)
	}
}

// TestClassifyReceivesTheDecodedClaims: with kind auto, Verify asks its
// classifier once, with the header's typ and the very claims it decoded
// for its own checks, so a token is decoded once per verify.
func TestClassifyReceivesTheDecodedClaims(t *testing.T) {
	key := string(testKey(t, "ES256").PrivateJWK)
	tok := mustMint(t, MintOptions{Kind: vocab.AccessToken, Key: KeyInput(key), Claims: json.RawMessage(`{"scope":"a b","n":1.50}`)}).Token
	calls := 0
	var got map[string]any
	res := mustVerify(t, tok, VerifyOptions{Key: KeyInput(key), Kind: vocab.Auto, Classify: func(typ string, claims map[string]any) Guess {
		calls++
		got = claims
		if typ != "at+jwt" {
			t.Errorf("typ = %q, want at+jwt", typ)
		}
		return Guess{Resembles: vocab.AccessToken, Confidence: 0.95, Threshold: 0.7}
	}})
	if calls != 1 {
		t.Fatalf("the classifier was asked %d times, want once", calls)
	}
	if got["scope"] != "a b" || got["n"] != json.Number("1.50") || got["iss"] != example.Issuer {
		t.Errorf("claims = %v, want the token's claims with numbers as json.Number", got)
	}
	if res.Kind != vocab.AccessToken || res.Guess == nil || res.Resembles != vocab.AccessToken {
		t.Errorf("kind %s, guess %+v; want the classifier's access_token", res.Kind, res.Guess)
	}
	calls = 0
	mustVerify(t, tok, VerifyOptions{Key: KeyInput(key), Kind: vocab.IDToken, Classify: func(string, map[string]any) Guess { calls++; return Guess{} }})
	if calls != 0 {
		t.Errorf("the classifier was asked although the caller chose the kind")
	}
}

// TestVerifyRulesElsewhere: with kind auto, a confident guess marked
// Elsewhere (a DPoP proof, whose rules internal/dpop holds) stops Verify
// with ErrRulesElsewhere before the key is needed; an unconfident one
// gets the generic rules, and a caller's kind never asks the classifier.
func TestVerifyRulesElsewhere(t *testing.T) {
	key := string(testKey(t, "ES256").PrivateJWK)
	tok := mustMint(t, MintOptions{Kind: vocab.JWT, Key: KeyInput(key), Header: json.RawMessage(`{"typ":"dpop+jwt"}`)}).Token
	dpop := func(confidence float64) func(string, map[string]any) Guess {
		return func(string, map[string]any) Guess {
			return Guess{Resembles: vocab.DPoPProof, Confidence: confidence, Threshold: 0.7, Elsewhere: true}
		}
	}
	if _, err := Verify(tok, VerifyOptions{Kind: vocab.Auto, Classify: dpop(0.95)}); !errors.Is(err, ErrRulesElsewhere) {
		t.Errorf("a confident DPoP guess without a key: err = %v, want ErrRulesElsewhere", err)
	}
	res := mustVerify(t, tok, VerifyOptions{Key: KeyInput(key), Kind: vocab.Auto, Classify: dpop(0.5)})
	if res.Kind != vocab.JWT || res.Resembles != vocab.DPoPProof {
		t.Errorf("an unconfident guess: kind %s, resembles %s; want jwt rules, resembling dpop_proof", res.Kind, res.Resembles)
	}
	if b, _ := json.Marshal(res); strings.Contains(string(b), "lsewhere") {
		t.Errorf("the result shows Elsewhere: %s", b)
	}
	if _, err := Verify(tok, VerifyOptions{Key: KeyInput(key), Kind: vocab.DPoPProof}); !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), "internal/dpop") {
		t.Errorf("kind dpop_proof: err = %v, want ErrBadRequest naming internal/dpop", err)
	}
}
