package explain

import (
	"encoding/json"
	"math"
	"net/url"
	"strings"
	"time"

	"tokenlab/internal/vocab"
)

// Certainty says in words how a kind was decided.
const (
	// CertaintyDeclared: the token states its kind (header typ, Cognito
	// token_use, Keycloak's payload typ, the logout event, a vendor prefix).
	CertaintyDeclared = "declared"
	// CertaintyLikely: inferred from its claims with a confidence of at
	// least ConfidenceThreshold.
	CertaintyLikely = "likely"
	// CertaintyUnclear: the evidence is too weak or conflicting; Resembles
	// names the kind it is closest to, if any.
	CertaintyUnclear = "unclear"
)

// Classification is the token kind [Classify] decided, how sure it is
// (0..1), how it was decided (Certainty) and the readable facts that
// decided it, the deciding one first.
type Classification struct {
	// Kind is the kind; below ConfidenceThreshold it is "jwt" (or
	// "unknown") and Resembles holds the best guess.
	Kind vocab.Kind `json:"kind"`
	// Confidence is how sure the classifier is of Kind, or, when Certainty
	// is unclear, how strongly the token resembles Resembles.
	Confidence float64 `json:"confidence"`
	// Certainty is "declared", "likely" or "unclear".
	Certainty string `json:"certainty"`
	// Resembles is the kind an unclear token is closest to, or "".
	Resembles vocab.Kind `json:"resembles,omitempty"`
	// RuleKind is the verify kind whose rules fit this token (see
	// vocab.Kind.VerifyAs): id_token, access_token, refresh_token,
	// logout_token, dpop_proof (RFC 9449) or jwt (the generic rules, for
	// every other kind); "" for an opaque token, which cannot be verified
	// without its issuer. A classifier sees one JWT, so a JWT that looks
	// like an SD-JWT's issuer-signed JWT gets jwt: RFC 9901's rules need
	// the ~ and the disclosures, and ExplainSDJWT sets sd_jwt or sd_jwt_vc
	// for input that has them.
	RuleKind vocab.Kind `json:"ruleKind"`
	// Signals are the facts that decided, the deciding one first.
	Signals []string `json:"signals"`
}

// ConfidenceThreshold is the confidence from which a classification is
// trusted enough to apply that kind's rules and guide without the caller
// choosing the kind: below it the token only resembles the kind, its
// Certainty is unclear and its Kind is "jwt". 0.7 means the evidence for
// the winning kind outweighs the other by at least two points of the
// weights in score (one strong claim such as scp, act or aud naming the
// client, against nothing).
const ConfidenceThreshold = 0.7

// Confident reports whether the classification reaches ConfidenceThreshold.
func (c Classification) Confident() bool { return c.Confidence >= ConfidenceThreshold }

// typedJWTs maps explicit header typ values (RFC 8725 §3.11) to a kind and
// what the type means.
var typedJWTs = map[string]struct {
	kind vocab.Kind
	what string
}{
	"at+jwt":                    {vocab.AccessToken, "header typ is at+jwt (RFC 9068 JWT access token)"},
	"logout+jwt":                {vocab.LogoutToken, "header typ is logout+jwt (OIDC back-channel logout token)"},
	"dpop+jwt":                  {vocab.DPoPProof, "header typ is dpop+jwt (RFC 9449 DPoP proof)"},
	"oauth-authz-req+jwt":       {vocab.RequestObject, "header typ is oauth-authz-req+jwt (RFC 9101 request object)"},
	"secevent+jwt":              {vocab.SecurityEvent, "header typ is secevent+jwt (RFC 8417 Security Event Token)"},
	"client-authentication+jwt": {vocab.ClientAssertion, "header typ is client-authentication+jwt (a client assertion, draft-ietf-oauth-rfc7523bis)"},
	"dc+sd-jwt":                 {vocab.SDJWTVC, "header typ is dc+sd-jwt (SD-JWT VC, a verifiable digital credential)"},
	"vc+sd-jwt":                 {vocab.SDJWTVC, "header typ is vc+sd-jwt (the earlier type name of SD-JWT VC)"},
	"sd-jwt":                    {vocab.SDJWT, "header typ is sd-jwt (RFC 9901 SD-JWT)"},
	"kb+jwt":                    {vocab.JWT, "header typ is kb+jwt: an SD-JWT Key Binding JWT, the holder's proof at the end of a presentation (RFC 9901 §4.3)"},
	"token-introspection+jwt":   {vocab.JWT, "header typ is token-introspection+jwt: a signed introspection response (RFC 9701)"},
	"entity-statement+jwt":      {vocab.JWT, "header typ is entity-statement+jwt: an OpenID Federation entity statement"},
	"trust-mark+jwt":            {vocab.JWT, "header typ is trust-mark+jwt: an OpenID Federation trust mark"},
}

// keycloakTypes maps Keycloak's payload typ claim to a kind.
var keycloakTypes = map[string]vocab.Kind{
	"Bearer": vocab.AccessToken, "ID": vocab.IDToken, "Refresh": vocab.RefreshToken,
	"Offline": vocab.RefreshToken, "Logout": vocab.LogoutToken,
}

// profileClaims are OIDC Core §5.1 claims about the user, typical of ID tokens.
var profileClaims = []string{"name", "given_name", "family_name", "email", "picture", "nickname", "upn", "unique_name"}

// clientClaims name the client apart from aud; access tokens carry one
// (RFC 9068 §2.2 client_id, Okta cid, Entra appid/azpacr, Auth0 gty).
var clientClaims = []string{"client_id", "cid", "appid", "appidacr", "azpacr", "gty"}

// Classify decides which kind of token a decoded header and payload are,
// from evidence only: explicit types (header typ, Cognito token_use,
// Keycloak typ, the logout event), workload issuers (GitHub Actions,
// Kubernetes, SPIFFE, Google service accounts), the shape of requests,
// proofs and assertions, then OIDC-only claims (nonce, at_hash, c_hash)
// weighed against OAuth claims (scope, scp, client_id, cid, act). Below
// ConfidenceThreshold the kind is "jwt" and Resembles names the guess.
func Classify(header, payload json.RawMessage) Classification {
	hm, _ := members(header)
	pm, isObject := members(payload)
	t := newTokenFacts("", hm, pm, isObject, time.Time{})
	return classify(t.header, t.payload)
}

// ClassifyClaims is Classify for a signed token that is already decoded:
// the header's typ and the claims as encoding/json decodes a JSON object
// with UseNumber (nil when the payload is no JSON object). internal/token's
// Verify passes the claims it decoded, so verifying with kind auto decodes
// the token once.
func ClassifyClaims(typ string, claims map[string]any) Classification {
	return finish(evidence(typ, false, claims))
}

// classify is Classify on decoded maps; payload is nil when the payload is
// not a JSON object (a JWE, a non-JSON payload).
func classify(h, p map[string]any) Classification {
	return finish(evidence(str(h["typ"]), has(h, "enc"), p))
}

// evidence finds the kind before the threshold is applied, from the
// header's typ, whether the token is encrypted, and the claims.
func evidence(typ string, encrypted bool, p map[string]any) Classification {
	typ = mediaType(typ)
	if t, ok := typedJWTs[typ]; ok {
		return declared(t.kind, 0.95, t.what)
	}
	if strings.HasSuffix(typ, "+sd-jwt") {
		return declared(vocab.SDJWT, 0.9, "header typ is "+typ+": an SD-JWT of an application-specific type (RFC 9901)")
	}
	if p == nil {
		if encrypted {
			return decided(vocab.Unknown, 0, "the claims are encrypted (JWE): decrypt it to see its kind")
		}
		return decided(vocab.Unknown, 0, "the payload is not a JSON claims set: nothing to judge the kind by")
	}
	if ev, ok := p["events"].(map[string]any); ok {
		if _, ok := ev[vocab.BackchannelLogoutEvent]; ok {
			return declared(vocab.LogoutToken, 0.95, "events has the back-channel logout event (OIDC Back-Channel Logout §2.4)")
		}
		return decided(vocab.SecurityEvent, 0.85, "has events: a Security Event Token (RFC 8417 §2.2)")
	}
	switch str(p["token_use"]) {
	case "id":
		return declared(vocab.IDToken, 0.95, "token_use is id (AWS Cognito)")
	case "access":
		return declared(vocab.AccessToken, 0.95, "token_use is access (AWS Cognito)")
	}
	if k, ok := keycloakTypes[str(p["typ"])]; ok {
		return declared(k, 0.9, "payload typ is "+str(p["typ"])+" (Keycloak)")
	}
	if has(p, "response_type") || has(p, "redirect_uri") {
		return decided(vocab.RequestObject, 0.85, "has response_type or redirect_uri: a signed authorization request (RFC 9101 §4), not a token")
	}
	if has(p, "vct") {
		return decided(vocab.SDJWTVC, 0.85, "has vct, the credential type of an SD-JWT VC")
	}
	if has(p, "_sd_alg") || has(p, "_sd") {
		return decided(vocab.SDJWT, 0.85, "has _sd or _sd_alg: digests of selectively disclosable claims (RFC 9901 §4.1)")
	}
	if has(p, "htm") && has(p, "htu") {
		return decided(vocab.DPoPProof, 0.85, "has htm and htu, the HTTP method and URL a DPoP proof is made for (RFC 9449 §4.2)")
	}
	if c, ok := workload(p); ok {
		return c
	}
	if c, ok := assertion(p); ok {
		return c
	}
	return score(p)
}

// finish applies the threshold and fills Certainty, Resembles and RuleKind.
func finish(c Classification) Classification {
	if c.Certainty == "" {
		c.Certainty = CertaintyLikely
		if !c.Confident() {
			c.Certainty = CertaintyUnclear
			if c.Kind != vocab.JWT && c.Kind != vocab.Unknown {
				c.Resembles, c.Kind = c.Kind, vocab.JWT
			}
		}
	}
	c.RuleKind = c.Kind.VerifyAs()
	if c.RuleKind == vocab.SDJWT || c.RuleKind == vocab.SDJWTVC {
		c.RuleKind = vocab.JWT // see RuleKind: no ~, no SD-JWT rules
	}
	return c
}

// workload recognizes a workload identity token by its issuer or its
// platform's claims.
func workload(p map[string]any) (Classification, bool) {
	iss, sub := str(p["iss"]), str(p["sub"])
	host := issuerHost(iss)
	var signal string
	switch {
	case host == "token.actions.githubusercontent.com":
		signal = "iss is GitHub Actions' OIDC provider: a workflow's identity token, for the cloud or service in aud (GitHub Actions OIDC)"
	case has(p, "repository") && has(p, "job_workflow_ref") && strings.HasSuffix(iss, "/_services/token"):
		signal = "a GitHub Enterprise Server Actions token (iss ends in /_services/token, job_workflow_ref): a workflow's identity token"
	case isObjectClaim(p, "kubernetes.io"):
		signal = "has the kubernetes.io claim: a Kubernetes service account token, bound to a pod or secret"
	case iss == "kubernetes/serviceaccount":
		signal = "iss is kubernetes/serviceaccount: a legacy, secret-based Kubernetes service account token"
	case strings.HasPrefix(sub, "system:serviceaccount:"):
		signal = "sub is system:serviceaccount:…: a Kubernetes service account token"
	case strings.HasPrefix(strings.ToLower(sub), "spiffe://"):
		signal = "sub is a SPIFFE ID: a SPIFFE JWT-SVID (SPIFFE JWT-SVID §3)"
	case host == "accounts.google.com" && strings.HasSuffix(str(p["email"]), ".gserviceaccount.com") && (isURL(firstAudience(p)) || isObjectClaim(p, "google")):
		signal = "iss is Google and email is a service account: a Google-signed ID token for a workload, for the service in aud"
	case host == "accounts.google.com" && isObjectClaim(p, "google"):
		signal = "iss is Google and the google claim describes a Compute Engine instance: the VM's identity token"
	default:
		return Classification{}, false
	}
	return decided(vocab.Workload, 0.9, signal), true
}

// assertion recognizes JWTs a client sends to an authorization server
// (RFC 7523) and Google's self-signed service-account JWTs for APIs.
func assertion(p map[string]any) (Classification, bool) {
	if has(p, "nonce") || has(p, "at_hash") || has(p, "c_hash") {
		return Classification{}, false
	}
	iss := str(p["iss"])
	selfIssued := iss != "" && iss == str(p["sub"])
	if ep := tokenEndpoint(audiences(p)); ep != "" {
		c := decided(vocab.ClientAssertion, 0.85, "aud is a token endpoint ("+ep+"): an assertion the client sends to an authorization server (RFC 7523), not a token issued to an app")
		if selfIssued {
			c = decided(vocab.ClientAssertion, 0.9, "iss equals sub and aud is a token endpoint ("+ep+"): a client authenticating with its own JWT (RFC 7523 §3, private_key_jwt)")
		}
		if strings.HasSuffix(iss, ".gserviceaccount.com") {
			c.Signals = append(c.Signals, "iss is a Google service account")
		}
		return c, true
	}
	if !selfIssued {
		return Classification{}, false
	}
	if api := googleAPI(audiences(p)); api != "" && strings.HasSuffix(iss, ".gserviceaccount.com") {
		return decided(vocab.AccessToken, 0.85, "a Google service account's self-signed JWT whose aud is a Google API ("+api+"): sent to that API as its bearer token, not to a token endpoint"), true
	}
	return decided(vocab.ClientAssertion, 0.75, "iss equals sub: a client authenticating with its own JWT (RFC 7523 §3, private_key_jwt)"), true
}

// googleAPI returns the audience that is a Google API host, or "".
func googleAPI(auds []string) string {
	for _, a := range auds {
		if u, err := url.Parse(a); err == nil && u.Scheme == "https" && strings.HasSuffix(strings.ToLower(u.Hostname()), ".googleapis.com") {
			return a
		}
	}
	return ""
}

// weighed is one piece of soft evidence.
type weighed struct {
	kind   vocab.Kind
	weight float64
	signal string
}

// score weighs the softer evidence for an ID token against an access token.
// amr and auth_time count for neither: RFC 9068 §2.2.1 puts them in access
// tokens too.
func score(p map[string]any) Classification {
	var ev []weighed
	add := func(kind vocab.Kind, weight float64, signal string) {
		ev = append(ev, weighed{kind, weight, signal})
	}
	for _, c := range []struct {
		claim  string
		weight float64
		signal string
	}{
		{"nonce", 3, "has nonce, which only ID tokens carry (OIDC Core §2)"},
		{"at_hash", 3, "has at_hash (OIDC Core §3.1.3.6)"},
		{"c_hash", 3, "has c_hash (OIDC Core §3.3.2.11)"},
		{"s_hash", 2, "has s_hash (FAPI 1.0 Advanced)"},
	} {
		if has(p, c.claim) {
			add(vocab.IDToken, c.weight, c.signal)
		}
	}
	profile := ""
	for _, c := range profileClaims {
		if has(p, c) {
			profile = c
			add(vocab.IDToken, 1, "has profile claims such as "+c)
			break
		}
	}
	names := namesClient(p)
	grants := has(p, "scp") || has(p, "act") || has(p, "permissions")
	if aud := singleAudience(p); profile != "" && !names && !grants && aud != "" && !isURL(aud) {
		add(vocab.IDToken, 3, "aud is a single client ID and no other claim names a client, as in an ID token (OIDC Core §2)")
	}
	if jti := str(p["jti"]); has(p, "ver") && strings.HasPrefix(jti, "ID.") {
		add(vocab.IDToken, 3, "jti starts with ID. (Okta ID token)")
	} else if has(p, "ver") && strings.HasPrefix(jti, "AT.") {
		add(vocab.AccessToken, 3, "jti starts with AT. (Okta access token)")
	}
	if has(p, "scope") {
		if names {
			add(vocab.AccessToken, 2.5, "has scope, the access it grants (RFC 9068 §2.2.3)")
		} else {
			add(vocab.AccessToken, 1, "has scope, but no claim names a client (client_id, azp, cid)")
		}
	}
	for _, c := range []struct {
		claim, signal string
		weight        float64
	}{
		{"scp", "scp lists delegated scopes (Entra ID, Okta)", 3},
		{"act", "act names the party acting for sub: a token from a token exchange (RFC 8693 §4.1)", 3},
		{"may_act", "may_act names who may act for sub in a token exchange (RFC 8693 §4.4)", 2},
		{"client_id", "has client_id, the client it was issued to (RFC 9068 §2.2)", 2},
		{"cid", "has cid, the client it was issued to (Okta access token)", 3},
		{"appid", "has appid, the client app (Entra ID v1 access token)", 3},
		{"appidacr", "has appidacr (Entra ID v1 access token)", 1},
		{"azpacr", "has azpacr, how the client authenticated (Entra ID v2 access token)", 3},
		{"gty", "has gty, the grant type (Auth0 access token)", 3},
		{"permissions", "has permissions (Auth0 RBAC)", 2},
	} {
		if has(p, c.claim) {
			add(vocab.AccessToken, c.weight, c.signal)
		}
	}
	if str(p["idtyp"]) == "app" {
		add(vocab.AccessToken, 3, "idtyp is app (Entra ID app-only token)")
	}
	if aud, ok := p["aud"].([]any); ok && len(aud) > 1 {
		add(vocab.AccessToken, 0.5, "aud lists several audiences")
	}
	var id, access float64
	for _, e := range ev {
		if e.kind == vocab.IDToken {
			id += e.weight
		} else {
			access += e.weight
		}
	}
	switch iss := issuerHost(str(p["iss"])); {
	case iss == "accounts.google.com":
		add(vocab.IDToken, 3, "iss is Google, which issues only ID tokens as JWTs")
		id += 3
	case (iss == "login.microsoftonline.com" || iss == "sts.windows.net") && access == 0:
		add(vocab.IDToken, 2, "Entra ID token without scp, appid or azpacr: the ID token shape")
		id += 2
	}

	top, kind, other := id, vocab.IDToken, access
	if access > id {
		top, kind, other = access, vocab.AccessToken, id
	}
	switch {
	case top == 0 && len(p) == 0:
		return decided(vocab.Unknown, 0, "the claims set is empty")
	case top == 0:
		return decided(vocab.JWT, 0.3, "no claim points to an OAuth or OpenID Connect token kind")
	case top == other:
		return Classification{Kind: vocab.Unknown, Confidence: 0.2, Certainty: CertaintyUnclear,
			Signals: append([]string{"the evidence for an ID token and an access token is equal"}, signalsOf(ev, "")...)}
	}
	conf := math.Min(0.9, 0.5+0.1*(top-other))
	return Classification{Kind: kind, Confidence: math.Round(conf*100) / 100, Signals: signalsOf(ev, kind)}
}

// signalsOf lists the evidence, the winning kind's strongest first and,
// among equal weights, in the order found.
func signalsOf(ev []weighed, winner vocab.Kind) []string {
	rank := func(e weighed) float64 {
		if e.kind == winner {
			return e.weight + 100
		}
		return e.weight
	}
	// An insertion sort by hand: a handful of items, and a generic sort
	// would add its code to the compressed engine (bench/size_test.go).
	sorted := make([]weighed, 0, len(ev))
	for _, e := range ev {
		i := len(sorted)
		for i > 0 && rank(sorted[i-1]) < rank(e) {
			i--
		}
		sorted = append(sorted[:i], append([]weighed{e}, sorted[i:]...)...)
	}
	out := make([]string, len(sorted))
	for i, e := range sorted {
		out[i] = e.signal
	}
	return out
}

// namesClient reports whether a claim other than aud names the client:
// client_id, cid, appid, azpacr, gty, or an azp that differs from aud.
func namesClient(p map[string]any) bool {
	for _, c := range clientClaims {
		if has(p, c) {
			return true
		}
	}
	azp := str(p["azp"])
	return azp != "" && azp != singleAudience(p)
}

// decided is a classification by inference; finish turns it into likely or
// unclear.
func decided(kind vocab.Kind, confidence float64, signal string) Classification {
	return Classification{Kind: kind, Confidence: confidence, Signals: []string{signal}}
}

// declared is a classification the token states itself.
func declared(kind vocab.Kind, confidence float64, signal string) Classification {
	return Classification{Kind: kind, Confidence: confidence, Certainty: CertaintyDeclared, Signals: []string{signal}}
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

// isURL reports whether s is an http(s) URL with a host.
func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func has(p map[string]any, name string) bool {
	_, ok := p[name]
	return ok
}

func isObjectClaim(p map[string]any, name string) bool {
	_, ok := p[name].(map[string]any)
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

// firstAudience returns the first audience, or "".
func firstAudience(p map[string]any) string {
	if a := audiences(p); len(a) > 0 {
		return a[0]
	}
	return ""
}

// singleAudience returns aud when it names exactly one audience, or "".
func singleAudience(p map[string]any) string {
	if a := audiences(p); len(a) == 1 {
		return a[0]
	}
	return ""
}
