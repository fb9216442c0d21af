package token

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"tokenlab/internal/vocab"
)

// presetTime is the issue time of the preset tests.
var presetTime = time.Unix(1714557600, 0)

// presetKey generates a signing key with the exported API, so these tests
// depend on no other test file.
func presetKey(t *testing.T, alg string) *Key {
	t.Helper()
	k, err := GenerateKey(GenerateOptions{Alg: alg})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestPresetsData: every preset names its source, every template fills
// completely, and every vendor access token lists its RFC 9068 departures.
func TestPresetsData(t *testing.T) {
	ps := AllPresets()
	if ps.Presets[0].Name != StandardPreset {
		t.Fatalf("first preset is %q, want %q", ps.Presets[0].Name, StandardPreset)
	}
	for _, ph := range []string{"${iat}", "${exp}", "${jti}", "${alg}", "${kid}"} {
		if ps.Placeholders[ph] == "" {
			t.Errorf("placeholder %s is not described", ph)
		}
	}
	seen := map[string]bool{}
	for _, p := range ps.Presets {
		t.Run(p.Name, func(t *testing.T) {
			if seen[p.Name] || p.Title == "" || !isHTTPS(p.URL) {
				t.Errorf("preset %q: duplicate, no title or no https url (%q)", p.Name, p.URL)
			}
			seen[p.Name] = true
			kinds := map[vocab.Kind]bool{}
			for _, k := range p.Kinds {
				if kinds[k.Kind] || checkMintKind(k.Kind) != nil {
					t.Errorf("kind %q is repeated or not a kind", k.Kind)
				}
				kinds[k.Kind] = true
				if p.NotIssued[k.Kind] != "" {
					t.Errorf("%s is both issued and not issued", k.Kind)
				}
				if !isHTTPS(k.Source) || !strings.HasSuffix(k.Note, ".") {
					t.Errorf("%s: source %q, note %q", k.Kind, k.Source, k.Note)
				}
				filled := string(fill(k.Header, templateValues{1, 2, "j", "ES256", "k"})) + string(fill(k.Claims, templateValues{1, 2, "j", "ES256", "k"}))
				if strings.Contains(filled, "${") {
					t.Errorf("%s: a placeholder is left: %s", k.Kind, filled)
				}
				if !bytes.Contains(k.Header, []byte(`"alg":"${alg}"`)) && !bytes.Contains(k.Header, []byte(`"alg": "${alg}"`)) {
					t.Errorf("%s: the header template must take alg from the key: %s", k.Kind, k.Header)
				}
				vendorAccess := p.Name != StandardPreset && k.Kind == vocab.AccessToken
				if vendorAccess != (len(k.Departures) > 0) {
					t.Errorf("%s: departures %q; vendor access tokens list theirs, other shapes have none", k.Kind, k.Departures)
				}
				for _, d := range k.Departures {
					if !strings.Contains(d, "RFC 9068 §") {
						t.Errorf("%s: departure %q cites no RFC 9068 section", k.Kind, d)
					}
				}
			}
			for k, why := range p.NotIssued {
				if checkMintKind(k) != nil || why == "" {
					t.Errorf("notIssued %q: %q", k, why)
				}
			}
		})
	}
}

func isHTTPS(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

// example holds the example identities, read from presets.json.
var example = AllDefaults().Identities

// TestExampleIdentities: the defaults read the example identities of the
// specifications from the standard preset, and every standard kind uses
// them.
func TestExampleIdentities(t *testing.T) {
	want := Identities{
		Issuer: "https://server.example.com", Subject: "248289761001", ClientID: "s6BhdRkqt3", Audience: "https://api.example.com",
		Nonce: "n-0S6_WzA2Mj", Scope: "openid profile", SessionID: "08a5019c-17e1-4977-8f42-65a12843ea02",
	}
	if example != want {
		t.Errorf("identities = %+v, want %+v", example, want)
	}
	claimsOf := map[vocab.Kind]map[string]any{
		vocab.IDToken:      {"iss": example.Issuer, "sub": example.Subject, "aud": example.ClientID, "nonce": example.Nonce},
		vocab.AccessToken:  {"iss": example.Issuer, "sub": example.Subject, "aud": example.Audience, "client_id": example.ClientID},
		vocab.LogoutToken:  {"iss": example.Issuer, "aud": example.ClientID, "sid": example.SessionID},
		vocab.RefreshToken: {"iss": example.Issuer, "aud": example.Issuer, "client_id": example.ClientID},
	}
	for kind, claims := range claimsOf {
		k, err := presetKind("", kind)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(k.Claims, &got); err != nil {
			t.Fatal(err)
		}
		for name, v := range claims {
			if got[name] != v {
				t.Errorf("%s %s = %v, want %v", kind, name, got[name], v)
			}
		}
	}
}

// TestPresetHeaders: vendor presets keep the vendor's header; only the
// standard access token says at+jwt.
func TestPresetHeaders(t *testing.T) {
	key := presetKey(t, "ES256")
	tests := []struct {
		preset string
		kind   vocab.Kind
		want   string // the header with KID for the key's kid
	}{
		{"", vocab.AccessToken, `{"alg":"ES256","typ":"at+jwt","kid":KID}`},
		{"standard", vocab.LogoutToken, `{"alg":"ES256","typ":"logout+jwt","kid":KID}`},
		{"entra", vocab.AccessToken, `{"typ":"JWT","alg":"ES256","kid":KID}`},
		{"entra", vocab.IDToken, `{"typ":"JWT","alg":"ES256","kid":KID}`},
		{"auth0", vocab.AccessToken, `{"alg":"ES256","typ":"JWT","kid":KID}`},
		{"okta", vocab.AccessToken, `{"kid":KID,"alg":"ES256"}`},
		{"keycloak", vocab.AccessToken, `{"alg":"ES256","typ":"JWT","kid":KID}`},
		{"google", vocab.IDToken, `{"alg":"ES256","kid":KID,"typ":"JWT"}`},
		{"cognito", vocab.AccessToken, `{"kid":KID,"alg":"ES256"}`},
	}
	for _, tt := range tests {
		t.Run(tt.preset+"/"+string(tt.kind), func(t *testing.T) {
			m, err := Mint(MintOptions{Kind: tt.kind, Key: KeyInput(string(key.PrivateJWK)), Preset: tt.preset, Now: presetTime})
			if err != nil {
				t.Fatal(err)
			}
			want := strings.ReplaceAll(tt.want, "KID", string(marshal(key.Kid)))
			if string(m.Header) != want {
				t.Errorf("header %s, want %s", m.Header, want)
			}
		})
	}
}

// TestEveryPresetVerifiesWithItsKey: every preset kind mints a token that
// verifies with its own public key under the generic JWT rules (signature,
// algorithm, the time claims present), with each placeholder filled.
func TestEveryPresetVerifiesWithItsKey(t *testing.T) {
	for _, alg := range []string{"ES256", "RS256"} {
		key := presetKey(t, alg)
		for _, p := range AllPresets().Presets {
			for _, k := range p.Kinds {
				t.Run(alg+"/"+p.Name+"/"+string(k.Kind), func(t *testing.T) {
					m, err := Mint(MintOptions{Kind: k.Kind, Key: KeyInput(string(key.PrivateJWK)), Preset: p.Name, Lifetime: 600, Now: presetTime})
					if err != nil {
						t.Fatal(err)
					}
					var claims map[string]any
					if err := json.Unmarshal(m.Payload, &claims); err != nil {
						t.Fatal(err)
					}
					if strings.Contains(string(m.Payload)+string(m.Header), "${") {
						t.Errorf("unfilled placeholder in %s %s", m.Header, m.Payload)
					}
					if claims["exp"] != float64(presetTime.Unix()+600) || claims["iat"] != float64(presetTime.Unix()) {
						t.Errorf("iat %v, exp %v", claims["iat"], claims["exp"])
					}
					res, err := Verify(m.Token, VerifyOptions{Key: KeyInput(string(key.PublicJWK)), Kind: vocab.JWT, Now: presetTime.Add(time.Minute)})
					if err != nil {
						t.Fatal(err)
					}
					if !res.Valid {
						t.Errorf("not valid with its own key: %+v", res.Checks)
					}
				})
			}
		}
	}
}

// TestPresetShapes pins the claims the vendor pages show and the issue
// found wrong: Entra's aud is the API's client ID, Auth0's default profile
// has no client_id or jti, Okta and Cognito keep their own client claims.
func TestPresetShapes(t *testing.T) {
	key := string(presetKey(t, "ES256").PrivateJWK)
	tests := []struct {
		preset string
		kind   vocab.Kind
		want   map[string]any
		absent []string
	}{
		{"entra", vocab.AccessToken, map[string]any{"aud": "00001111-aaaa-2222-bbbb-3333cccc4444", "azp": "6cb04018-a3f5-46a7-b995-940c78f5aef3", "ver": "2.0", "scp": "access_as_user"}, []string{"scope", "client_id", "jti"}},
		{"auth0", vocab.AccessToken, map[string]any{"azp": "AITOAWhlgXGdZbEXAMPLEclientID01"}, []string{"client_id", "jti"}},
		{"okta", vocab.AccessToken, map[string]any{"cid": "0oabskvc6442nkvQO0h7", "ver": 1.0}, []string{"client_id"}},
		{"keycloak", vocab.AccessToken, map[string]any{"typ": "Bearer", "azp": "demo-app", "aud": "account"}, []string{"client_id"}},
		{"cognito", vocab.AccessToken, map[string]any{"token_use": "access", "client_id": "1example23456789"}, []string{"aud"}},
		{"keycloak", vocab.LogoutToken, map[string]any{"typ": "Logout", "sid": example.SessionID}, []string{"nonce"}},
	}
	for _, tt := range tests {
		t.Run(tt.preset+"/"+string(tt.kind), func(t *testing.T) {
			m, err := Mint(MintOptions{Kind: tt.kind, Key: KeyInput(key), Preset: tt.preset, Now: presetTime})
			if err != nil {
				t.Fatal(err)
			}
			var c map[string]any
			if err := json.Unmarshal(m.Payload, &c); err != nil {
				t.Fatal(err)
			}
			for name, want := range tt.want {
				if c[name] != want {
					t.Errorf("%s = %v, want %v", name, c[name], want)
				}
			}
			for _, name := range tt.absent {
				if _, ok := c[name]; ok {
					t.Errorf("%s is present", name)
				}
			}
			if jti, _ := c["jti"].(string); tt.preset == "okta" && !strings.HasPrefix(jti, "AT.") {
				t.Errorf("okta jti %q lacks AT.", jti)
			}
		})
	}
}

// TestPresetsNotIssued: kinds a vendor does not issue as JWTs fail with
// the vendor's reason.
func TestPresetsNotIssued(t *testing.T) {
	key := string(presetKey(t, "ES256").PrivateJWK)
	for _, tt := range []struct {
		preset string
		kind   vocab.Kind
		why    string
	}{
		{"entra", vocab.LogoutToken, "front-channel"},
		{"okta", vocab.LogoutToken, "back-channel"},
		{"google", vocab.AccessToken, "opaque"},
		{"cognito", vocab.RefreshToken, "opaque"},
		{"acme", vocab.IDToken, `"standard", "entra"`},
	} {
		_, err := Mint(MintOptions{Kind: tt.kind, Key: KeyInput(key), Preset: tt.preset, Now: presetTime})
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), tt.why) {
			t.Errorf("%s %s: err = %v, want ErrUnsupported saying %q", tt.preset, tt.kind, err, tt.why)
		}
	}
}

// TestAllPresetsIsACopy: callers cannot change the embedded data.
func TestAllPresetsIsACopy(t *testing.T) {
	a := AllPresets()
	a.Presets[0].Kinds[0].Claims[2] = 'X'
	a.Presets[0].Title = "changed"
	a.Presets[1].NotIssued[vocab.JWT] = "changed"
	b := AllPresets()
	if b.Presets[0].Title == "changed" || b.Presets[0].Kinds[0].Claims[2] == 'X' || b.Presets[1].NotIssued[vocab.JWT] == "changed" {
		t.Error("AllPresets shares its data")
	}
	if !slices.ContainsFunc(b.Presets, func(p Preset) bool { return p.Name == "entra" }) {
		t.Error("no entra preset")
	}
}
