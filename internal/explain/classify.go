package explain

import (
	"encoding/json"
	"math"
	"net/url"
	"strings"
	"time"
)

// Token kinds, as used by Classification.Kind, Explanation.Kind and Purpose.Kind.
const (
	KindIDToken      = "id_token"      // OpenID Connect ID token
	KindAccessToken  = "access_token"  // OAuth access token (RFC 9068 or vendor JWT)
	KindRefreshToken = "refresh_token" // refresh token issued as a JWT (Keycloak)
	KindLogoutToken  = "logout_token"  // OpenID Connect back-channel logout token
	KindJWT          = "jwt"           // a JWT of no OAuth/OIDC token kind: assertion, DPoP proof, SET...
	KindUnknown      = "unknown"       // not enough evidence
)

// backchannelLogoutEvent is the event type of OIDC Back-Channel Logout §2.4.
const backchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"

// Classification is the token kind [Classify] decided, how sure it is
// (0..1) and the readable facts that decided it.
type Classification struct {
	Kind       string   `json:"kind"`
	Confidence float64  `json:"confidence"`
	Signals    []string `json:"signals"`
}

// ConfidenceThreshold is the confidence from which a classification is
// trusted enough to apply that kind's rules without the caller choosing
// the kind: below it, a token only resembles the kind.
const ConfidenceThreshold = 0.7

// Confident reports whether the classification reaches ConfidenceThreshold.
func (c Classification) Confident() bool { return c.Confidence >= ConfidenceThreshold }

// otherJWTTypes are explicit header typ values of JWTs that are not tokens
// an authorization server issues to an app (RFC 8725 §3.11).
var otherJWTTypes = map[string]string{
	"dpop+jwt":                  "a DPoP proof (RFC 9449)",
	"secevent+jwt":              "a Security Event Token (RFC 8417)",
	"oauth-authz-req+jwt":       "a signed authorization request (RFC 9101)",
	"token-introspection+jwt":   "a signed introspection response (RFC 9701)",
	"entity-statement+jwt":      "an OpenID Federation entity statement",
	"trust-mark+jwt":            "an OpenID Federation trust mark",
	"kb+jwt":                    "an SD-JWT key binding JWT",
	"dc+sd-jwt":                 "an SD-JWT verifiable credential",
	"vc+sd-jwt":                 "an SD-JWT verifiable credential",
	"client-authentication+jwt": "a client authentication assertion",
}

// keycloakTypes maps Keycloak's payload typ claim to a kind.
var keycloakTypes = map[string]string{
	"Bearer": KindAccessToken, "ID": KindIDToken, "Refresh": KindRefreshToken,
	"Offline": KindRefreshToken, "Logout": KindLogoutToken,
}

// profileClaims are OIDC Core §5.1 claims about the user, typical of ID tokens.
var profileClaims = []string{"name", "given_name", "family_name", "email", "picture", "nickname", "upn", "unique_name"}

// Classify decides which kind of token a decoded header and payload are,
// from evidence only: explicit types (header typ, Cognito token_use,
// Keycloak typ), OIDC-only claims (nonce, at_hash, c_hash), OAuth claims
// (scope, scp, client_id, cid), vendor shapes, and the shape of assertions
// (aud is a token endpoint, iss equals sub), which are JWTs sent to an
// authorization server rather than tokens it issued. Weak evidence gives a
// low confidence; no evidence gives "jwt" or "unknown".
func Classify(header, payload json.RawMessage) Classification {
	hm, _ := members(header)
	pm, isObject := members(payload)
	t := newTokenFacts("", hm, pm, isObject, time.Time{})
	return classify(t.header, t.payload)
}

// classify is Classify on decoded maps; payload is nil when the payload is
// not a JSON object (a JWE, a non-JSON payload).
func classify(h, p map[string]any) Classification {
	typ := mediaType(str(h["typ"]))
	switch {
	case typ == "at+jwt":
		return decided(KindAccessToken, 0.95, "header typ is at+jwt (RFC 9068 JWT access token)")
	case typ == "logout+jwt":
		return decided(KindLogoutToken, 0.95, "header typ is logout+jwt (OIDC back-channel logout token)")
	}
	if p == nil {
		if what, ok := otherJWTTypes[typ]; ok {
			return decided(KindJWT, 0.8, "header typ is "+typ+": "+what)
		}
		return decided(KindUnknown, 0, "the payload is not a JSON claims set (encrypted or not JSON): nothing to judge the kind by")
	}
	if ev, ok := p["events"].(map[string]any); ok {
		if _, ok := ev[backchannelLogoutEvent]; ok {
			return decided(KindLogoutToken, 0.95, "events has the back-channel logout event")
		}
	}
	if what, ok := otherJWTTypes[typ]; ok {
		return decided(KindJWT, 0.9, "header typ is "+typ+": "+what+", not a token issued to an app")
	}
	switch str(p["token_use"]) {
	case "id":
		return decided(KindIDToken, 0.95, "token_use is id (AWS Cognito)")
	case "access":
		return decided(KindAccessToken, 0.95, "token_use is access (AWS Cognito)")
	}
	if k, ok := keycloakTypes[str(p["typ"])]; ok {
		return decided(k, 0.9, "payload typ is "+str(p["typ"])+" (Keycloak)")
	}
	if has(p, "response_type") || has(p, "redirect_uri") {
		return decided(KindJWT, 0.85, "has response_type or redirect_uri: a signed authorization request (RFC 9101), not a token")
	}
	oidc := has(p, "nonce") || has(p, "at_hash") || has(p, "c_hash")
	if !oidc {
		if ep := tokenEndpoint(audiences(p)); ep != "" {
			sig := []string{"aud is a token endpoint (" + ep + "): an assertion the client sends to an authorization server (RFC 7523), not a token issued to an app"}
			if strings.HasSuffix(str(p["iss"]), ".iam.gserviceaccount.com") {
				sig = append(sig, "iss is a Google service account")
			}
			return Classification{Kind: KindJWT, Confidence: 0.85, Signals: sig}
		}
		if iss := str(p["iss"]); iss != "" && iss == str(p["sub"]) {
			return decided(KindJWT, 0.8, "iss equals sub: a client authenticating with its own JWT (RFC 7523 client assertion, private_key_jwt)")
		}
	}
	return score(p)
}

// score weighs the softer evidence for an ID token against an access token.
func score(p map[string]any) Classification {
	var id, access float64
	var signals []string
	add := func(w *float64, weight float64, signal string) {
		*w += weight
		signals = append(signals, signal)
	}
	for _, c := range []struct {
		claim  string
		weight float64
	}{{"nonce", 3}, {"at_hash", 3}, {"c_hash", 3}, {"s_hash", 2}} {
		if has(p, c.claim) {
			add(&id, c.weight, "has "+c.claim)
		}
	}
	if has(p, "auth_time") {
		add(&id, 0.5, "has auth_time")
	}
	if has(p, "amr") {
		add(&id, 0.5, "has amr")
	}
	for _, c := range profileClaims {
		if has(p, c) {
			add(&id, 1, "has profile claims such as "+c)
			break
		}
	}
	if jti := str(p["jti"]); has(p, "ver") && strings.HasPrefix(jti, "ID.") {
		add(&id, 3, "jti starts with ID. (Okta ID token)")
	} else if has(p, "ver") && strings.HasPrefix(jti, "AT.") {
		add(&access, 3, "jti starts with AT. (Okta access token)")
	}
	for _, c := range []struct {
		claim, signal string
		weight        float64
	}{
		{"scope", "has scope", 2.5},
		{"scp", "has scp (delegated scopes)", 3},
		{"client_id", "has client_id (RFC 9068)", 2},
		{"cid", "has cid (Okta access token)", 3},
		{"appid", "has appid (Entra ID v1 access token)", 3},
		{"appidacr", "has appidacr (Entra ID v1 access token)", 1},
		{"azpacr", "has azpacr (Entra ID v2 access token)", 3},
		{"gty", "has gty (Auth0 grant type)", 3},
		{"permissions", "has permissions (Auth0 RBAC)", 2},
	} {
		if has(p, c.claim) {
			add(&access, c.weight, c.signal)
		}
	}
	if str(p["idtyp"]) == "app" {
		add(&access, 3, "idtyp is app (Entra ID app-only token)")
	}
	if aud, ok := p["aud"].([]any); ok && len(aud) > 1 {
		add(&access, 0.5, "aud lists several audiences")
	}
	iss := issuerHost(str(p["iss"]))
	switch {
	case iss == "accounts.google.com":
		add(&id, 3, "iss is Google, which issues only ID tokens as JWTs")
	case iss == "token.actions.githubusercontent.com":
		add(&id, 3, "iss is GitHub Actions: a workload's OIDC ID token, to exchange with a cloud provider")
	case (iss == "login.microsoftonline.com" || iss == "sts.windows.net") && access == 0:
		add(&id, 2, "Entra ID token without scp, appid or azpacr: the ID token shape")
	}

	top, kind, other := id, KindIDToken, access
	if access > id {
		top, kind, other = access, KindAccessToken, id
	}
	switch {
	case top == 0 && len(p) == 0:
		return decided(KindUnknown, 0, "the claims set is empty")
	case top == 0:
		return decided(KindJWT, 0.3, "no claim points to an OAuth or OpenID Connect token kind")
	case top == other:
		return Classification{Kind: KindUnknown, Confidence: 0.2, Signals: append(signals, "the evidence for an ID token and an access token is equal")}
	}
	conf := math.Min(0.9, 0.4+0.1*(top-other))
	return Classification{Kind: kind, Confidence: math.Round(conf*100) / 100, Signals: signals}
}

func decided(kind string, confidence float64, signal string) Classification {
	return Classification{Kind: kind, Confidence: confidence, Signals: []string{signal}}
}

// mediaType normalizes a typ value: case-insensitive, application/ optional
// (RFC 7515 §4.1.9).
func mediaType(typ string) string {
	typ = strings.ToLower(strings.TrimSpace(typ))
	return strings.TrimPrefix(typ, "application/")
}

// tokenEndpoint returns the audience that is an OAuth token endpoint URL
// (path ending in /token), or "".
func tokenEndpoint(auds []string) string {
	for _, a := range auds {
		u, err := url.Parse(a)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
			continue
		}
		if strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/token") {
			return a
		}
	}
	return ""
}

// issuerHost returns the lower-case host of an issuer URL (Google also uses
// the bare host as iss).
func issuerHost(iss string) string {
	if u, err := url.Parse(iss); err == nil && u.Host != "" {
		return strings.ToLower(u.Hostname())
	}
	return strings.ToLower(iss)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func has(p map[string]any, name string) bool {
	_, ok := p[name]
	return ok
}

// audiences returns aud as a list of strings.
func audiences(p map[string]any) []string {
	switch a := p["aud"].(type) {
	case string:
		return []string{a}
	case []any:
		var out []string
		for _, el := range a {
			if s, ok := el.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
