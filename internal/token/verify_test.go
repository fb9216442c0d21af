package token

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"tokenlab/internal/vocab"
)

// mintAt is the fixed issue time of the claim-check tests.
var mintAt = time.Unix(1700000000, 0)

// hsKey is the RFC 7515 A.1 HMAC key.
func hsKey(t testing.TB) string { return string(loadVectors(t)[0].Key) }

func mustMint(t testing.TB, opts MintOptions) *Minted {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = mintAt
	}
	m, err := Mint(opts)
	if err != nil {
		t.Fatalf("mint: %v", err)
	}
	return m
}

func mustVerify(t testing.TB, token string, opts VerifyOptions) *Verified {
	t.Helper()
	res, err := Verify(token, opts)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if res.Valid != (failing(res) == "") {
		t.Fatalf("valid = %v but failing = %q", res.Valid, failing(res))
	}
	return res
}

// unsecured re-encodes a token's payload under {"alg":"none"}.
func unsecured(token string) string {
	parts := strings.Split(token, ".")
	return base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + "."
}

// confused signs a token with HS256 using the text of a public key PEM as
// the HMAC secret: the algorithm-confusion attack of RFC 8725 §2.1.
func confused(t testing.TB, pemText string) string {
	t.Helper()
	header := []byte(`{"alg":"HS256","typ":"JWT"}`)
	payload := []byte(fmt.Sprintf(`{"iss":%q,"sub":"x","aud":%q,"exp":%d,"iat":%d,"nonce":%q}`, example.Issuer, example.ClientID, mintAt.Unix()+3600, mintAt.Unix(), example.Nonce))
	tok, err := signJWS("HS256", []byte(pemText), header, payload)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestVerifyIDTokenChecks(t *testing.T) {
	key := hsKey(t)
	idOpts := func(claims, header string) MintOptions {
		return MintOptions{Kind: vocab.IDToken, Key: KeyInput(key), AccessToken: "access-token-1", Code: "code-1", Claims: json.RawMessage(claims), Header: json.RawMessage(header)}
	}
	good := VerifyOptions{Key: KeyInput(key), Kind: vocab.IDToken, Issuer: example.Issuer, Audience: example.ClientID, Nonce: example.Nonce, Now: mintAt.Add(time.Minute), AccessToken: "access-token-1", Code: "code-1"}
	with := func(change func(*VerifyOptions)) VerifyOptions {
		o := good
		change(&o)
		return o
	}
	base := mustMint(t, idOpts("", "")).Token
	rsaPEM := readFixture(t, "rsa-2048.spki.pem")
	tests := []struct {
		name    string
		token   string
		opts    VerifyOptions
		failing string
	}{
		{"valid", base, good, ""},
		{"expired", base, with(func(o *VerifyOptions) { o.Now = mintAt.Add(2 * time.Hour) }), "exp"},
		{"expired but within leeway", base, with(func(o *VerifyOptions) { o.Now = mintAt.Add(time.Hour + 30*time.Second); o.Leeway = time.Minute }), ""},
		{"exactly at exp", base, with(func(o *VerifyOptions) { o.Now = mintAt.Add(time.Hour) }), "exp"},
		{"not yet valid", mustMint(t, idOpts(fmt.Sprintf(`{"nbf":%d}`, mintAt.Unix()+600), "")).Token, good, "nbf"},
		{"issued in the future", base, with(func(o *VerifyOptions) { o.Now = mintAt.Add(-10 * time.Minute) }), "iat"},
		{"wrong issuer", base, with(func(o *VerifyOptions) { o.Issuer = "https://server.example.com/" }), "iss"},
		{"wrong audience", base, with(func(o *VerifyOptions) { o.Audience = "another-client" }), "aud"},
		{"audience from client id", base, with(func(o *VerifyOptions) { o.Audience = ""; o.ClientID = example.ClientID }), ""},
		{"wrong nonce", base, with(func(o *VerifyOptions) { o.Nonce = "other" }), "nonce"},
		{"wrong at_hash", base, with(func(o *VerifyOptions) { o.AccessToken = "another-access-token" }), "at_hash"},
		{"wrong c_hash", base, with(func(o *VerifyOptions) { o.Code = "another-code" }), "c_hash"},
		{"alg none", unsecured(base), good, "alg"},
		{"alg none without a key", unsecured(base), with(func(o *VerifyOptions) { o.Key = "" }), "alg"},
		{"algorithm confusion", confused(t, rsaPEM), with(func(o *VerifyOptions) { o.Key = KeyInput(rsaPEM); o.AccessToken, o.Code = "", "" }), "alg"},
		{"alg not allowed", base, with(func(o *VerifyOptions) { o.Algorithms = []string{"RS256", "ES256"} }), "alg"},
		{"unknown crit", mustMint(t, idOpts("", `{"crit":["urn:example:x"],"urn:example:x":1}`)).Token, good, "crit"},
		// OIDC Core errata set 2 dropped "azp is required with several
		// audiences"; azp is compared only with a given client ID.
		{"multiple audiences without azp", mustMint(t, idOpts(`{"aud":["s6BhdRkqt3","other"]}`, "")).Token, good, ""},
		{"azp of another client, no client ID given", mustMint(t, idOpts(`{"azp":"other"}`, "")).Token, good, ""},
		{"azp of another client", mustMint(t, idOpts(`{"azp":"other"}`, "")).Token, with(func(o *VerifyOptions) { o.ClientID = example.ClientID }), "azp"},
		{"azp of this client", mustMint(t, idOpts(`{"azp":"s6BhdRkqt3","aud":["s6BhdRkqt3","other"]}`, "")).Token, with(func(o *VerifyOptions) { o.ClientID = example.ClientID }), ""},
		{"no sub", mustMint(t, idOpts(`{"sub":null}`, "")).Token, good, "sub"},
		{"access token typ", mustMint(t, idOpts("", `{"typ":"at+jwt"}`)).Token, good, "typ"},
		{"exp not a number", mustMint(t, idOpts(`{"exp":"tomorrow"}`, "")).Token, good, "exp"},
		{"no exp", mustMint(t, idOpts(`{"exp":null}`, "")).Token, good, "exp"},
		{"kid not in the JWKS", base, with(func(o *VerifyOptions) { o.Key = `{"keys":[{"kty":"oct","kid":"other","k":"c2VjcmV0"}]}` }), "signature"},
		{"wrong secret", base, with(func(o *VerifyOptions) { o.Key = "not the secret" }), "signature"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := mustVerify(t, tc.token, tc.opts)
			if got := failing(res); got != tc.failing {
				t.Fatalf("failing = %q, want %q\n%s", got, tc.failing, dump(res))
			}
		})
	}
}

func dump(res *Verified) string {
	var b strings.Builder
	for _, c := range res.Checks {
		fmt.Fprintf(&b, "  %-9s %-5v %s [%s]\n", c.ID, c.OK, c.Message, c.Ref)
	}
	return b.String()
}

func TestVerifyCheckOrderAndRefs(t *testing.T) {
	key := hsKey(t)
	m := mustMint(t, MintOptions{Kind: vocab.IDToken, Key: KeyInput(key), AccessToken: "at"})
	res := mustVerify(t, m.Token, VerifyOptions{Key: KeyInput(key), Kind: vocab.IDToken, Issuer: example.Issuer, ClientID: example.ClientID, Nonce: example.Nonce, Now: mintAt, AccessToken: "at"})
	if got, want := ids(res), "alg,signature,typ,exp,iat,iss,aud,nonce,at_hash,sub"; got != want {
		t.Fatalf("ids = %s, want %s", got, want)
	}
	refs := map[string]string{"signature": "OIDC Core 3.1.3.7 step 6", "exp": "OIDC Core 3.1.3.7 step 9", "iss": "OIDC Core 3.1.3.7 step 2", "aud": "OIDC Core 3.1.3.7 step 3", "nonce": "OIDC Core 3.1.3.7 step 11", "alg": "RFC 8725 §3.1"}
	for _, c := range res.Checks {
		if want, ok := refs[c.ID]; ok && c.Ref != want {
			t.Errorf("%s ref = %q, want %q", c.ID, c.Ref, want)
		}
	}
	if string(res.Header) != string(m.Header) || string(res.Payload) != string(m.Payload) {
		t.Error("verify changed the header or payload")
	}
}

func TestVerifyAlgorithmConfusionMessage(t *testing.T) {
	pemText := readFixture(t, "rsa-2048.spki.pem")
	res := mustVerify(t, confused(t, pemText), VerifyOptions{Key: KeyInput(pemText), Now: mintAt})
	c := res.Checks[0]
	if c.ID != "alg" || c.OK || !strings.Contains(c.Message, "algorithm-confusion") || !strings.Contains(c.Ref, "RFC 8725 §2.1") {
		t.Fatalf("alg check = %+v", c)
	}
	for _, c := range res.Checks {
		if c.ID == "signature" {
			t.Fatal("the signature was checked with a public key as HMAC secret")
		}
	}
}

func TestVerifyAccessAndLogoutTokens(t *testing.T) {
	key := testKey(t, "ES256")
	priv, pub := string(key.PrivateJWK), string(key.PublicJWK)
	at := mustMint(t, MintOptions{Kind: vocab.AccessToken, Key: KeyInput(priv)}).Token
	lt := mustMint(t, MintOptions{Kind: vocab.LogoutToken, Key: KeyInput(priv)}).Token
	now := mintAt.Add(time.Second)
	atOpts := VerifyOptions{Key: KeyInput(pub), Kind: vocab.AccessToken, Issuer: example.Issuer, Audience: example.Audience, ClientID: example.ClientID, Now: now}
	ltOpts := VerifyOptions{Key: KeyInput(pub), Kind: vocab.LogoutToken, Issuer: example.Issuer, Audience: example.ClientID, Now: now}
	strict := atOpts
	strict.Kind = vocab.AccessTokenRFC9068
	typedJWT := mustMint(t, MintOptions{Kind: vocab.AccessToken, Key: KeyInput(priv), Header: json.RawMessage(`{"typ":"JWT"}`)}).Token
	idToken := mustMint(t, MintOptions{Kind: vocab.IDToken, Key: KeyInput(priv), Claims: json.RawMessage(`{"aud":"https://api.example.com"}`)}).Token
	tests := []struct {
		name, token      string
		opts             VerifyOptions
		wantIDs, failing string
	}{
		{"access token", at, atOpts, "alg,signature,typ,exp,iat,iss,aud,sub,client_id,jti", ""},
		// The issuer's own format keeps RFC 9068 as warnings; the strict
		// kind, or the token's own typ at+jwt, makes them fail.
		{"access token typed JWT", typedJWT, atOpts, "", ""},
		{"access token typed JWT, strictly", typedJWT, strict, "", "typ"},
		{"access token of another client", at, func() VerifyOptions { o := atOpts; o.ClientID = "x"; return o }(), "", "client_id"},
		{"typed access token without jti", mustMint(t, MintOptions{Kind: vocab.AccessToken, Key: KeyInput(priv), Claims: json.RawMessage(`{"jti":null}`)}).Token, atOpts, "", "jti"},
		{"ID token as access token of an expected client", idToken, atOpts, "", "client_id"},
		{"ID token as access token, strictly", idToken, strict, "", "typ,client_id,jti"},
		{"logout token", lt, ltOpts, "alg,signature,typ,exp,iat,iss,aud,sub,events,nonce,jti", ""},
		{"logout token with nonce", mustMint(t, MintOptions{Kind: vocab.LogoutToken, Key: KeyInput(priv), Claims: json.RawMessage(`{"nonce":"n"}`)}).Token, ltOpts, "", "nonce"},
		{"logout token without events", mustMint(t, MintOptions{Kind: vocab.LogoutToken, Key: KeyInput(priv), Claims: json.RawMessage(`{"events":null}`)}).Token, ltOpts, "", "events"},
		{"logout token with sid only", mustMint(t, MintOptions{Kind: vocab.LogoutToken, Key: KeyInput(priv), Claims: json.RawMessage(`{"sub":null}`)}).Token, ltOpts, "", ""},
		{"logout token without sub or sid", mustMint(t, MintOptions{Kind: vocab.LogoutToken, Key: KeyInput(priv), Claims: json.RawMessage(`{"sub":null,"sid":null}`)}).Token, ltOpts, "", "sub"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := mustVerify(t, tc.token, tc.opts)
			if tc.wantIDs != "" && ids(res) != tc.wantIDs {
				t.Errorf("ids = %s, want %s", ids(res), tc.wantIDs)
			}
			if got := failing(res); got != tc.failing {
				t.Fatalf("failing = %q, want %q\n%s", got, tc.failing, dump(res))
			}
		})
	}
}

func TestVerifyErrors(t *testing.T) {
	key := hsKey(t)
	tok := mustMint(t, MintOptions{Kind: vocab.IDToken, Key: KeyInput(key)}).Token
	jwe := mustMint(t, MintOptions{Kind: vocab.IDToken, Key: KeyInput(key), Encrypt: &EncryptOptions{Key: KeyInput(string(testKey(t, "A256KW").PrivateJWK))}}).Token
	tests := []struct {
		name, token string
		opts        VerifyOptions
		want        error
	}{
		{"malformed", "a.b", VerifyOptions{Key: KeyInput(key)}, ErrMalformed},
		{"JWE", jwe, VerifyOptions{Key: KeyInput(key)}, ErrUnsupported},
		{"no key", tok, VerifyOptions{}, ErrBadRequest},
		{"broken key", tok, VerifyOptions{Key: `{"kty":`}, ErrBadKey},
		{"unknown kind", tok, VerifyOptions{Key: KeyInput(key), Kind: "cookie"}, ErrBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Verify(tc.token, tc.opts); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestRoundTripEveryAlgorithm(t *testing.T) {
	for _, alg := range signingAlgs {
		t.Run(alg, func(t *testing.T) {
			k := testKey(t, alg)
			m := mustMint(t, MintOptions{Kind: vocab.IDToken, Key: KeyInput(keyJSON(t, k)), Alg: alg, AccessToken: "at"})
			d, err := Decode(m.Token)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := string(d.Header), fmt.Sprintf(`{"alg":%q,"typ":"JWT","kid":%q}`, alg, k.Kid); got != want {
				t.Errorf("header = %s, want %s", got, want)
			}
			keys := map[string]string{"key object": keyJSON(t, k), "private JWK": string(k.PrivateJWK)}
			if k.Kty != "oct" {
				keys = map[string]string{"public JWK": string(k.PublicJWK), "JWKS": string(k.JWKS), "public PEM": k.PublicPEM}
			}
			for form, key := range keys {
				res := mustVerify(t, m.Token, VerifyOptions{Key: KeyInput(key), Kind: vocab.IDToken, Issuer: example.Issuer, Audience: example.ClientID, Nonce: example.Nonce, Now: mintAt, AccessToken: "at", Algorithms: []string{alg}})
				if !res.Valid {
					t.Errorf("%s: not valid\n%s", form, dump(res))
				}
			}
		})
	}
}

// TestVerifyAcceptsFullySpecifiedEd25519Keys: WebCrypto exports Ed25519
// keys with "alg": "Ed25519" (RFC 9864), and they must verify EdDSA tokens;
// a key declared for another algorithm must not.
func TestVerifyAcceptsFullySpecifiedEd25519Keys(t *testing.T) {
	var vec vector
	for _, v := range loadVectors(t) {
		if v.Alg == "EdDSA" {
			vec = v
		}
	}
	tests := []struct {
		declared string
		valid    bool
	}{{"Ed25519", true}, {"EdDSA", true}, {"ES256", false}}
	for _, tc := range tests {
		t.Run(tc.declared, func(t *testing.T) {
			var jwk map[string]any
			if err := json.Unmarshal(vec.Key, &jwk); err != nil {
				t.Fatal(err)
			}
			jwk["alg"] = tc.declared
			key, _ := json.Marshal(jwk)
			res, err := Verify(vec.Token, VerifyOptions{Key: KeyInput(string(key)), Kind: vocab.JWT})
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid != tc.valid {
				t.Errorf("key declared %s: valid = %v, want %v (%+v)", tc.declared, res.Valid, tc.valid, res.Checks)
			}
		})
	}
}

// TestVerifyUnusableNumericDates: a time claim outside 1970…9999 (RFC 7519
// §2) fails its own check with a message saying so, instead of wrapping
// around in golang-jwt's float-to-int64 conversion to a date in year
// 292277026596 (or before 1970) that passes or fails by accident.
func TestVerifyUnusableNumericDates(t *testing.T) {
	const key = "tokenlab-numericdate-test-secret-0123456789"
	now := time.Unix(1700000000, 0)
	sign := func(payload string) string {
		tok, err := signJWS("HS256", []byte(key), []byte(`{"alg":"HS256"}`), []byte(payload))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	tests := []struct {
		name, payload string
		leeway        time.Duration
		failing       string
		unusable      bool // the failing check says "not a usable NumericDate"
	}{
		{"exp of 1e308", `{"exp":1e308}`, 0, "exp", true},
		{"exp beyond float64", `{"exp":1e400}`, 0, "exp", true},
		{"exp just after 9999", `{"exp":253402300800}`, 0, "exp", true},
		{"exp at the end of 9999", `{"exp":253402300799}`, 0, "", false},
		{"negative exp", `{"exp":-1}`, 0, "exp", true},
		{"fractional exp", `{"exp":1800000000.5}`, 0, "", false},
		{"iat of 1e20", `{"exp":1800000000,"iat":1e20}`, 0, "iat", true},
		{"iat of -1e20", `{"exp":1800000000,"iat":-1e20}`, 0, "iat", true},
		{"iat of -9223372036854775808", `{"exp":1800000000,"iat":-9223372036854775808}`, 0, "iat", true},
		{"iat of 1e20 despite leeway", `{"exp":1800000000,"iat":1e20}`, time.Hour, "iat", true},
		{"nbf of 1e308", `{"exp":1800000000,"nbf":1e308}`, 0, "nbf", true},
		{"nbf of -1e20", `{"exp":1800000000,"nbf":-1e20}`, 0, "nbf", true},
		{"iat ten minutes ahead", `{"exp":1800000000,"iat":1700000600}`, 0, "iat", false},
		{"iat ten minutes ahead within leeway", `{"exp":1800000000,"iat":1700000600}`, time.Hour, "", false},
		{"iat of 0", `{"exp":1800000000,"iat":0}`, 0, "", false},
		{"exp as a string", `{"exp":"1800000000"}`, 0, "exp", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := mustVerify(t, sign(tc.payload), VerifyOptions{Key: KeyInput(key), Now: now, Leeway: tc.leeway})
			if got := failing(res); got != tc.failing {
				t.Fatalf("failing = %q, want %q\n%s", got, tc.failing, dump(res))
			}
			for _, c := range res.Checks {
				if strings.Contains(c.Message, "292277026596") || strings.Contains(c.Message, "-292277022657") {
					t.Errorf("%s check renders a wrapped-around date: %s", c.ID, c.Message)
				}
				if c.ID == tc.failing && strings.Contains(c.Message, "not a usable NumericDate") != tc.unusable {
					t.Errorf("%s check = %q, want \"not a usable NumericDate\" %v", c.ID, c.Message, tc.unusable)
				}
			}
		})
	}
}
