package token

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"tokenlab/internal/vocab"
)

// claimsOf decodes a minted payload.
func claimsOf(t *testing.T, m *Minted) map[string]any {
	t.Helper()
	var c map[string]any
	if err := json.Unmarshal(m.Payload, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMintDefaults(t *testing.T) {
	key := hsKey(t)
	tests := []struct {
		kind   vocab.Kind
		header string
		keys   []string
	}{
		{vocab.IDToken, `{"alg":"HS256","typ":"JWT","kid":"%s"}`, []string{"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce"}},
		{vocab.AccessToken, `{"alg":"HS256","typ":"at+jwt","kid":"%s"}`, []string{"iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope"}},
		{vocab.LogoutToken, `{"alg":"HS256","typ":"logout+jwt","kid":"%s"}`, []string{"iss", "sub", "aud", "iat", "exp", "jti", "events", "sid"}},
	}
	k, err := ImportKey(key, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(string(tc.kind), func(t *testing.T) {
			m := mustMint(t, MintOptions{Kind: tc.kind, Key: KeyInput(key), Lifetime: 600})
			if want := fmt.Sprintf(tc.header, k.Thumbprint); string(m.Header) != want {
				t.Errorf("header = %s, want %s", m.Header, want)
			}
			var ordered []string
			dec := json.NewDecoder(bytes.NewReader(m.Payload))
			if _, err := dec.Token(); err != nil {
				t.Fatal(err)
			}
			for dec.More() {
				tok, _ := dec.Token()
				ordered = append(ordered, tok.(string))
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					t.Fatal(err)
				}
			}
			if got, want := strings.Join(ordered, ","), strings.Join(tc.keys, ","); got != want {
				t.Errorf("claims = %s, want %s", got, want)
			}
			c := claimsOf(t, m)
			if c["exp"].(float64)-c["iat"].(float64) != 600 || c["iat"].(float64) != float64(mintAt.Unix()) {
				t.Errorf("iat %v exp %v", c["iat"], c["exp"])
			}
			if tc.kind == vocab.LogoutToken {
				if _, ok := c["nonce"]; ok {
					t.Error("logout token has a nonce")
				}
				ev, _ := c["events"].(map[string]any)
				if _, ok := ev[vocab.BackchannelLogoutEvent].(map[string]any); !ok {
					t.Errorf("events = %v", c["events"])
				}
			}
		})
	}
}

func TestMintOverridesAndHashes(t *testing.T) {
	m := mustMint(t, MintOptions{Kind: vocab.IDToken, Key: KeyInput(hsKey(t)), AccessToken: "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", Claims: json.RawMessage(`{"nonce":null,"sub":"alice","n":1.50,"new":{"x":[1,2]}}`)})
	want := `{"iss":"https://server.example.com","sub":"alice","aud":"s6BhdRkqt3","exp":1700003600,"iat":1700000000,"auth_time":1700000000,"at_hash":"77QmUPtjPfzWtF2AnpK9RQ","n":1.50,"new":{"x":[1,2]}}`
	if string(m.Payload) != want {
		t.Errorf("payload = %s\nwant      %s", m.Payload, want)
	}
}

func TestMintPresets(t *testing.T) {
	key := string(testKey(t, "ES256").PrivateJWK)
	tests := []struct {
		preset string
		kind   vocab.Kind
		want   map[string]any
		absent []string
	}{
		{"entra", vocab.IDToken, map[string]any{"ver": "2.0", "tid": "aaaabbbb-0000-cccc-1111-dddd2222eeee", "iss": "https://login.microsoftonline.com/aaaabbbb-0000-cccc-1111-dddd2222eeee/v2.0", "oid": "00000000-0000-0000-66f3-3332eca7ea81"}, nil},
		{"entra", vocab.AccessToken, map[string]any{"ver": "2.0", "scp": "access_as_user", "azp": "6cb04018-a3f5-46a7-b995-940c78f5aef3"}, []string{"scope"}},
		{"auth0", vocab.AccessToken, map[string]any{"azp": "AITOAWhlgXGdZbEXAMPLEclientID01", "iss": "https://dev-example.us.auth0.com/"}, nil},
		{"auth0", vocab.IDToken, map[string]any{"email_verified": true}, nil},
		{"okta", vocab.AccessToken, map[string]any{"ver": 1.0, "cid": "0oabskvc6442nkvQO0h7", "uid": "00uid4BxXw6I6TV4m0g3"}, []string{"client_id"}},
		{"okta", vocab.IDToken, map[string]any{"ver": 1.0, "idp": "00ok1u7AsAkrwdZL3z0g3"}, nil},
		{"keycloak", vocab.IDToken, map[string]any{"typ": "ID", "azp": "demo-app"}, nil},
		{"keycloak", vocab.AccessToken, map[string]any{"typ": "Bearer", "session_state": example.SessionID}, nil},
		{"keycloak", vocab.RefreshToken, map[string]any{"typ": "Refresh"}, []string{"nonce"}},
		{"keycloak", vocab.LogoutToken, map[string]any{"typ": "Logout", "sid": example.SessionID}, []string{"nonce"}},
		{"google", vocab.IDToken, map[string]any{"iss": "https://accounts.google.com", "hd": "example.com", "email_verified": true}, nil},
		{"cognito", vocab.IDToken, map[string]any{"token_use": "id", "cognito:username": "janedoe", "aud": "1example23456789"}, nil},
		{"cognito", vocab.AccessToken, map[string]any{"token_use": "access", "client_id": "1example23456789", "username": "janedoe"}, []string{"aud"}},
	}
	for _, tc := range tests {
		t.Run(tc.preset+"/"+string(tc.kind), func(t *testing.T) {
			c := claimsOf(t, mustMint(t, MintOptions{Kind: tc.kind, Key: KeyInput(key), Preset: tc.preset}))
			for name, want := range tc.want {
				if got, _ := json.Marshal(c[name]); string(got) != string(mustJSON(want)) {
					t.Errorf("%s = %s, want %s", name, got, mustJSON(want))
				}
			}
			for _, name := range tc.absent {
				if _, ok := c[name]; ok {
					t.Errorf("%s is present", name)
				}
			}
		})
	}
	// The vendor namespaced claim and the roles.
	c := claimsOf(t, mustMint(t, MintOptions{Kind: vocab.AccessToken, Key: KeyInput(key), Preset: "auth0"}))
	if _, ok := c["https://example.com/roles"]; !ok || c["permissions"] == nil {
		t.Errorf("auth0 access token lacks the namespaced claim or permissions: %v", c)
	}
	c = claimsOf(t, mustMint(t, MintOptions{Kind: vocab.AccessToken, Key: KeyInput(key), Preset: "keycloak"}))
	if c["realm_access"] == nil || c["resource_access"] == nil {
		t.Errorf("keycloak access token lacks roles: %v", c)
	}
}

func TestMintErrors(t *testing.T) {
	key := hsKey(t)
	tests := []struct {
		name string
		opts MintOptions
		want error
	}{
		{"no kind", MintOptions{Key: KeyInput(key)}, ErrBadRequest},
		{"unknown kind", MintOptions{Kind: "cookie", Key: KeyInput(key)}, ErrBadRequest},
		{"no key", MintOptions{Kind: vocab.IDToken}, ErrBadRequest},
		{"google access token", MintOptions{Kind: vocab.AccessToken, Key: KeyInput(key), Preset: "google"}, ErrUnsupported},
		{"cognito logout token", MintOptions{Kind: vocab.LogoutToken, Key: KeyInput(key), Preset: "cognito"}, ErrUnsupported},
		{"unknown preset", MintOptions{Kind: vocab.IDToken, Key: KeyInput(key), Preset: "acme"}, ErrUnsupported},
		{"alg none", MintOptions{Kind: vocab.IDToken, Key: KeyInput(key), Alg: "none"}, ErrUnsupported},
		{"public key", MintOptions{Kind: vocab.IDToken, Key: KeyInput(readFixture(t, "rsa-2048.spki.pem"))}, ErrBadKey},
		{"RSA key for ES256", MintOptions{Kind: vocab.IDToken, Key: KeyInput(readFixture(t, "rsa-2048.pkcs1.pem")), Alg: "ES256"}, ErrBadKey},
		{"claims not an object", MintOptions{Kind: vocab.IDToken, Key: KeyInput(key), Claims: json.RawMessage(`[1]`)}, ErrBadRequest},
		{"truncated claims", MintOptions{Kind: vocab.IDToken, Key: KeyInput(key), Claims: json.RawMessage(`{"a":`)}, ErrBadRequest},
		{"alg in header", MintOptions{Kind: vocab.IDToken, Key: KeyInput(key), Header: json.RawMessage(`{"alg":"none"}`)}, ErrBadRequest},
		{"at_hash on an access token", MintOptions{Kind: vocab.AccessToken, Key: KeyInput(key), AccessToken: "x"}, ErrBadRequest},
		{"encrypt with a signing alg", MintOptions{Kind: vocab.IDToken, Key: KeyInput(key), Encrypt: &EncryptOptions{Key: KeyInput(key), Alg: "HS256"}}, ErrUnsupported},
		{"dir key of the wrong size", MintOptions{Kind: vocab.IDToken, Key: KeyInput(key), Encrypt: &EncryptOptions{Key: KeyInput(string(testKey(t, "A128KW").PrivateJWK)), Alg: "dir", Enc: "A256GCM"}}, ErrBadKey},
		{"unknown enc", MintOptions{Kind: vocab.IDToken, Key: KeyInput(key), Encrypt: &EncryptOptions{Key: KeyInput(string(testKey(t, "A128KW").PrivateJWK)), Enc: "A1GCM"}}, ErrUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Now = mintAt
			if _, err := Mint(tc.opts); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// rfc9449Key is the public key of RFC 9449 §4.1's proof, whose RFC 7638
// thumbprint §6.1 prints as the cnf.jkt of the access token bound to it.
const (
	rfc9449Key = `{"kty":"EC","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA","crv":"P-256"}`
	rfc9449JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
)

// TestMintDPoPKey: an access token minted with DPoPKey carries cnf.jkt,
// the RFC 7638 thumbprint of the key's public key (RFC 9449 §6.1), whether
// the key is given as its public JWK or as the private key.
func TestMintDPoPKey(t *testing.T) {
	key := KeyInput(testKey(t, "ES256").PrivateJWK)
	client := testKey(t, "ES256")
	for name, tc := range map[string]struct {
		dpopKey KeyInput
		want    string
	}{
		"RFC 9449 §6.1": {rfc9449Key, rfc9449JKT},
		"private key":   {KeyInput(client.PrivateJWK), client.Thumbprint},
	} {
		t.Run(name, func(t *testing.T) {
			m := mustMint(t, MintOptions{Kind: vocab.AccessToken, Key: key, Claims: json.RawMessage(`{"scope":"orders"}`), DPoPKey: tc.dpopKey})
			var claims struct {
				Scope string
				Cnf   map[string]string
			}
			if err := json.Unmarshal(m.Payload, &claims); err != nil {
				t.Fatal(err)
			}
			if claims.Cnf["jkt"] != tc.want || len(claims.Cnf) != 1 || claims.Scope != "orders" {
				t.Errorf("payload = %s, want cnf {jkt: %s}", m.Payload, tc.want)
			}
		})
	}
	for name, tc := range map[string]struct {
		opts MintOptions
		want error
	}{
		"an ID token":     {MintOptions{Kind: vocab.IDToken, Key: key, DPoPKey: rfc9449Key}, ErrBadRequest},
		"cnf in claims":   {MintOptions{Kind: vocab.AccessToken, Key: key, DPoPKey: rfc9449Key, Claims: json.RawMessage(`{"cnf":{"x5t#S256":"a"}}`)}, ErrBadRequest},
		"a secret":        {MintOptions{Kind: vocab.AccessToken, Key: key, DPoPKey: "a-shared-secret-of-32-bytes-or-more!!"}, ErrBadKey},
		"an unusable JWK": {MintOptions{Kind: vocab.AccessToken, Key: key, DPoPKey: `{"kty":"EC"}`}, ErrUnsupported},
	} {
		t.Run(name, func(t *testing.T) {
			tc.opts.Now = mintAt
			if _, err := Mint(tc.opts); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}
