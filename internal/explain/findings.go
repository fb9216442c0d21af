package explain

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"tokenlab/internal/vocab"
)

// Finding severities.
const (
	SeverityInfo  = "info"  // worth knowing, not wrong
	SeverityWarn  = "warn"  // a risk or a likely mistake
	SeverityError = "error" // the token must not be accepted as it is
)

// clockSkew is the leeway before a time in the future is called wrong.
const clockSkew = time.Minute

// Finding is a security or correctness observation about a token, with a
// stable id, a severity (info, warn, error), a message for a person and the
// rule it comes from.
type Finding struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Ref      string `json:"ref"`
}

// tokenFacts is a token decoded once for the classifier and the lints.
type tokenFacts struct {
	format          string
	headerMembers   []member
	payloadMembers  []member
	header, payload map[string]any // payload is nil when it is not a JSON object
	kind            vocab.Kind
	now             time.Time
}

func newTokenFacts(format string, hm, pm []member, isObject bool, now time.Time) *tokenFacts {
	t := &tokenFacts{format: format, headerMembers: hm, payloadMembers: pm, header: object(hm), now: now}
	if isObject {
		t.payload = object(pm)
	}
	return t
}

// lints run in this order; each returns its findings.
var lints = []func(*tokenFacts) []Finding{
	lintAlg, lintCrit, lintKeyHeaders, lintKid, lintTyp, lintDuplicates,
	lintHeaderNonce, lintTimes, lintLifetime, lintAudience, lintScopeInIDToken, lintPII, lintLogoutNonce,
	lintBinding,
}

// lint runs every rule. shape is the payload's JSON type (see payloadShape).
func lint(t *tokenFacts, shape string) []Finding {
	out := []Finding{}
	if t.format != "JWE" && shape != "object" && shape != "null" && shape != "" {
		out = append(out, Finding{"payload-not-object", SeverityInfo,
			"The payload is a JSON " + shape + ", not an object: this JWS carries data but no JWT claims.", "RFC 7519 §7.2"})
	}
	for _, rule := range lints {
		out = append(out, rule(t)...)
	}
	return out
}

func one(id, severity, message, ref string) []Finding {
	return []Finding{{ID: id, Severity: severity, Message: message, Ref: ref}}
}

// lintAlg flags unsigned tokens, a missing alg, HMAC on tokens that look
// issued by an identity provider, and RSA1_5 key encryption.
func lintAlg(t *tokenFacts) []Finding {
	alg, hasAlg := t.header["alg"]
	name := str(alg)
	switch {
	case strings.EqualFold(name, "none") || t.format == "unsecured":
		return one("alg-none", SeverityError, "The token is not signed (alg none): anyone can write or change it. Never accept it; verifiers must allow only the algorithms they expect.", "RFC 8725 §3.1")
	case !hasAlg && len(t.headerMembers) > 0:
		return one("alg-missing", SeverityError, "The header has no alg. Every JWS and JWE must name its algorithm, and a verifier must check it against its allow-list.", "RFC 7515 §4.1.1")
	case name == "RSA1_5":
		return one("weak-alg", SeverityWarn, "The content key is encrypted with RSA1_5 (RSA PKCS#1 v1.5), which is open to padding-oracle attacks. Use RSA-OAEP-256 or ECDH-ES.", "RFC 8725 §3.2")
	case strings.HasPrefix(name, "HS") && strings.HasPrefix(str(t.payload["iss"]), "https://") &&
		(t.kind == vocab.IDToken || t.kind == vocab.AccessToken || t.kind == vocab.LogoutToken):
		return one("hmac-issued-token", SeverityWarn, "Signed with "+name+", a shared secret: whoever can verify this token can also forge one. Identity providers sign tokens with a private key (RS256, ES256) so apps and APIs verify with the public key. OIDC allows HS256 ID tokens keyed with the client secret, but then only that one client may hold the secret, never an API.", "RFC 8725 §3.2")
	}
	return nil
}

// standardHeaders may not appear in crit (RFC 7515 §4.1.11).
var standardHeaders = []string{"alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c"}

// lintCrit checks the crit header: a non-empty list of extension parameters
// that are present and that the catalog knows.
func lintCrit(t *tokenFacts) []Finding {
	v, ok := t.header["crit"]
	if !ok {
		return nil
	}
	const ref = "RFC 7515 §4.1.11"
	names, ok := stringList(v)
	if !ok || len(names) == 0 {
		return one("unknown-crit", SeverityError, "crit must be a non-empty list of header parameter names; a malformed crit makes the token invalid.", ref)
	}
	c := loadCatalog()
	var out []Finding
	for _, n := range names {
		switch {
		case slices.Contains(standardHeaders, n):
			out = append(out, Finding{"unknown-crit", SeverityError, "crit lists " + n + ", a standard parameter; crit may only list extensions. The token is invalid.", ref})
		case !has(t.header, n):
			out = append(out, Finding{"unknown-crit", SeverityError, "crit lists " + n + " but the header has no " + n + ". The token is invalid.", ref})
		case c.lookup("header", n) == nil:
			out = append(out, Finding{"unknown-crit", SeverityError, "crit lists " + n + ", an extension tokenlab does not know. A recipient that does not understand it must reject the token.", ref})
		}
	}
	return out
}

// lintKeyHeaders flags headers that point to or carry the verification key.
func lintKeyHeaders(t *tokenFacts) []Finding {
	const ref = "RFC 8725 §3.10"
	var out []Finding
	for _, h := range []string{"jku", "x5u"} {
		if has(t.header, h) {
			out = append(out, Finding{h + "-header", SeverityWarn, fmt.Sprintf("The header names a key URL (%s: %s). A verifier that fetches keys from a URL the token chooses lets an attacker sign with their own key, and the fetch itself is a server-side request forgery risk. Use only keys from the issuer's configured jwks_uri.", h, short(t.header[h])), ref})
		}
	}
	if has(t.header, "jwk") && mediaType(str(t.header["typ"])) != "dpop+jwt" {
		out = append(out, Finding{"jwk-header", SeverityWarn, "The header carries its own public key (jwk). Verifying with it proves nothing, since anyone can sign with a key they made; verify with the issuer's key and use jwk at most to pick among keys you already trust.", ref})
	}
	return out
}

// lintKid flags a kid that looks like an injection payload. Ordinary key
// IDs, including base64url thumbprints (RFC 7638) with "-", "_" or "--",
// and names with "/" or "*" inside, are left alone.
func lintKid(t *tokenFacts) []Finding {
	v, ok := t.header["kid"]
	if !ok {
		return nil
	}
	kid, isString := v.(string)
	if !isString {
		return one("kid-injection", SeverityWarn, "kid is not a string. Treat it as untrusted input and only look it up in your own key set.", "RFC 8725 §3.10")
	}
	if shape := injectionShape(kid); shape != "" {
		return one("kid-injection", SeverityWarn, "kid contains "+shape+". Use kid only as a lookup key in your own key set, never in a file path, query or command.", "RFC 8725 §3.10")
	}
	return nil
}

// sqlKeywords start the injected part of a SQL statement after a space.
var sqlKeywords = []string{"union", "select", "insert", "update", "delete", "drop", "exec", "sleep", "or", "and"}

// injectionShape describes the first path-traversal, SQL or command
// injection shape in s, or returns "" when it has none. It looks for
// shapes, not single characters, so that base64url and ordinary names pass.
func injectionShape(s string) string {
	lower := strings.ToLower(s)
	switch {
	case strings.Contains(s, "../") || strings.Contains(s, "..\\"):
		return "\"../\", a path traversal"
	case strings.Contains(lower, "%2e%2e") || strings.Contains(lower, "%00"):
		return "a percent-encoded path traversal or NUL"
	case strings.HasPrefix(s, "/") || strings.HasPrefix(s, "\\"):
		return "an absolute path"
	case len(s) >= 3 && isASCIILetter(s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/'):
		return "a Windows drive path"
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return fmt.Sprintf("the control character %q", r)
		}
	}
	for _, d := range []string{"'", "\"", "`", ";", "|", "$("} {
		if strings.Contains(s, d) {
			return fmt.Sprintf("%q, a character used in SQL or command injection", d)
		}
	}
	for i := 1; i < len(lower); i++ {
		if !isSpace(lower[i-1]) {
			continue
		}
		rest := lower[i:]
		if strings.HasPrefix(rest, "--") {
			return "\"--\" after a space, a SQL comment"
		}
		for _, k := range sqlKeywords {
			if !strings.HasPrefix(rest, k) || (len(rest) > len(k) && !isSpace(rest[len(k)]) && rest[len(k)] != '(') {
				continue
			}
			// "or" and "and" are words too; they inject a condition (OR 1=1).
			if (k == "or" || k == "and") && !strings.Contains(rest, "=") {
				continue
			}
			return fmt.Sprintf("the SQL keyword %q after a space", strings.ToUpper(k))
		}
	}
	return ""
}

func isASCIILetter(b byte) bool { return ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z') }

func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v'
}

// lintTyp flags an explicit header typ that the payload contradicts.
func lintTyp(t *tokenFacts) []Finding {
	const ref = "RFC 8725 §3.11"
	v, ok := t.header["typ"]
	if !ok {
		return nil
	}
	if _, isString := v.(string); !isString {
		return one("typ-mismatch", SeverityWarn, "typ is not a string, so explicit typing cannot work.", ref)
	}
	p := t.payload
	if p == nil {
		return nil
	}
	typ := mediaType(str(v))
	var conflict string
	switch typ {
	case "at+jwt":
		for _, c := range []string{"nonce", "at_hash", "c_hash"} {
			if has(p, c) {
				conflict = "the payload has " + c + ", an ID token claim"
				break
			}
		}
		if str(p["token_use"]) == "id" {
			conflict = "token_use is id"
		}
	case "logout+jwt":
		if ev, ok := p["events"].(map[string]any); !ok || ev[vocab.BackchannelLogoutEvent] == nil {
			conflict = "events has no back-channel logout event"
		}
	case "dpop+jwt":
		if !has(p, "htm") || !has(p, "htu") {
			conflict = "the payload lacks htm and htu, which every DPoP proof has"
		}
	}
	if conflict == "" {
		return nil
	}
	return one("typ-mismatch", SeverityWarn, "The header says typ "+str(v)+" but "+conflict+". Explicit types exist so one kind of JWT cannot pass as another; a verifier must reject this mix.", ref)
}

// lintDuplicates flags a name that appears twice in the header or payload.
func lintDuplicates(t *tokenFacts) []Finding {
	var out []Finding
	for _, part := range []struct {
		where string
		ms    []member
	}{{"header", t.headerMembers}, {"payload", t.payloadMembers}} {
		seen := map[string]bool{}
		for _, m := range part.ms {
			if seen[m.name] {
				out = append(out, Finding{"duplicate-claim", SeverityWarn, fmt.Sprintf("The %s has %q more than once. Parsers disagree on which copy wins (most take the last), which lets a token show one value to one check and another to the next; reject such tokens.", part.where, m.name), "RFC 7519 §4"})
			}
			seen[m.name] = true
		}
	}
	return out
}

// microsoftGraph names Microsoft Graph as an audience: its URL and its
// application ID.
var microsoftGraph = []string{"https://graph.microsoft.com", "https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000"}

// lintHeaderNonce explains a nonce in the header of a Microsoft token:
// Microsoft Graph access tokens (and other Microsoft first-party APIs')
// carry one, and Microsoft signs them in a way that only Graph can
// validate, so every standard JWT library, tokenlab included, fails their
// signature check by design.
func lintHeaderNonce(t *tokenFacts) []Finding {
	if !has(t.header, "nonce") {
		return nil
	}
	iss := issuerHost(str(t.payload["iss"]))
	graph := slices.ContainsFunc(audiences(t.payload), func(a string) bool { return slices.Contains(microsoftGraph, strings.ToLower(a)) })
	if !graph && iss != "sts.windows.net" && iss != "login.microsoftonline.com" {
		return nil
	}
	who := "a Microsoft first-party API's access token, as Microsoft Graph's are"
	if graph {
		who = "a Microsoft Graph access token"
	}
	return one("graph-header-nonce", SeverityInfo, "The header carries a nonce: this is "+who+". Microsoft signs these tokens over a hash of that nonce, not the nonce shown, so standard JWT libraries, tokenlab included, cannot verify the signature; Microsoft documents that only Graph validates Graph's tokens, and your code must not. If this token reached your own API, have the client request a token whose aud is your API instead.", "Microsoft identity platform: access tokens, Validate tokens")
}

// numericDate reads a NumericDate claim; present reports whether the claim
// exists at all.
func numericDate(p map[string]any, name string) (at time.Time, ok, present bool) {
	v, present := p[name]
	at, problem := vocab.NumericDate(v)
	return at, problem == "", present
}

// lintTimes checks exp, nbf and iat against the clock.
func lintTimes(t *tokenFacts) []Finding {
	p := t.payload
	if p == nil {
		return nil
	}
	var out []Finding
	for _, name := range []string{"exp", "nbf", "iat"} {
		if _, ok, present := numericDate(p, name); present && !ok {
			out = append(out, Finding{"invalid-date", SeverityError, name + " is not a usable NumericDate (a number of seconds since 1970-01-01 UTC).", "RFC 7519 §2"})
		}
	}
	exp, ok, present := numericDate(p, "exp")
	switch {
	case !present && expRequired(t):
		ref := expRefs[t.kind]
		if ref == "" {
			ref = "RFC 7519 §4.1.4"
		}
		msg := "The token has no exp, so it never expires: a leaked copy works forever. ID tokens, JWT access tokens, logout tokens and assertions must carry exp."
		if t.kind == vocab.Workload {
			msg = "The token has no exp, so it never expires: a leaked copy works forever. Legacy, secret-based Kubernetes service account tokens look like this; prefer bound, projected tokens that expire."
		}
		out = append(out, Finding{"missing-exp", SeverityWarn, msg, ref})
	case ok && !exp.After(t.now):
		out = append(out, Finding{"expired", SeverityInfo, "The token expired " + vocab.Duration(t.now.Sub(exp)) + " ago (" + vocab.Timestamp(exp) + "); a verifier rejects it now.", "RFC 7519 §4.1.4"})
	}
	if nbf, ok, _ := numericDate(p, "nbf"); ok && nbf.After(t.now.Add(clockSkew)) {
		out = append(out, Finding{"not-yet-valid", SeverityInfo, "The token is not valid before " + vocab.Timestamp(nbf) + " (in " + vocab.Duration(nbf.Sub(t.now)) + ").", "RFC 7519 §4.1.5"})
	}
	if iat, ok, _ := numericDate(p, "iat"); ok && iat.After(t.now.Add(clockSkew)) {
		out = append(out, Finding{"iat-in-future", SeverityWarn, "iat is " + vocab.Duration(iat.Sub(t.now)) + " in the future: the issuer's clock is wrong or the time was made up. Verifiers should reject tokens issued in the future beyond a small leeway.", "RFC 7519 §4.1.6"})
	}
	return out
}

// expRequired reports whether the token's kind requires exp: ID tokens
// (OIDC Core §2), JWT access tokens (RFC 9068 §2.2), logout tokens (OIDC
// Back-Channel Logout §2.4), client assertions (RFC 7523 §3) and workload
// tokens (SPIFFE JWT-SVID §3; a legacy Kubernetes token without exp never
// expires). DPoP proofs, security events, request objects and SD-JWTs rely
// on iat, jti or their own rules; an untyped JWT of unclear kind should
// still expire.
func expRequired(t *tokenFacts) bool {
	switch t.kind {
	case vocab.IDToken, vocab.AccessToken, vocab.LogoutToken, vocab.ClientAssertion, vocab.Workload:
		return true
	case vocab.JWT:
		_, typed := typedJWTs[mediaType(str(t.header["typ"]))]
		return !typed
	}
	return false
}

// expRefs cites the rule that makes exp mandatory, by kind.
var expRefs = map[vocab.Kind]string{
	vocab.IDToken:         "OIDC Core §2",
	vocab.AccessToken:     "RFC 9068 §2.2",
	vocab.LogoutToken:     "OIDC Back-Channel Logout §2.4",
	vocab.ClientAssertion: "RFC 7523 §3",
	vocab.Workload:        "SPIFFE JWT-SVID §3",
}

// maxLifetime is the longest ordinary lifetime of ID and access tokens.
const maxLifetime = 24 * time.Hour

// lintLifetime flags access and ID tokens valid for more than a day.
func lintLifetime(t *tokenFacts) []Finding {
	if t.payload == nil || (t.kind != vocab.AccessToken && t.kind != vocab.IDToken) {
		return nil
	}
	exp, ok, _ := numericDate(t.payload, "exp")
	if !ok {
		return nil
	}
	start, ok, _ := numericDate(t.payload, "iat")
	if !ok {
		if start, ok, _ = numericDate(t.payload, "nbf"); !ok {
			return nil
		}
	}
	life := exp.Sub(start)
	if life <= maxLifetime {
		return nil
	}
	if t.kind == vocab.AccessToken {
		return one("long-lifetime", SeverityWarn, "This access token is valid for "+vocab.Duration(life)+". Access tokens are bearer credentials: whoever holds one can use it until exp. Keep them short (minutes to an hour) and use refresh tokens for long sessions.", "RFC 6819 §5.1.5.3")
	}
	return one("long-lifetime", SeverityWarn, "This ID token is valid for "+vocab.Duration(life)+", far longer than the usual hour. An ID token is checked once at sign-in; a long life only helps whoever steals it.", "RFC 6819 §5.1.5.3")
}

// lintAudience flags an access token without aud.
func lintAudience(t *tokenFacts) []Finding {
	if t.kind != vocab.AccessToken || t.payload == nil || has(t.payload, "aud") {
		return nil
	}
	if has(t.payload, "token_use") {
		return one("access-token-no-aud", SeverityInfo, "This AWS Cognito access token has no aud; Cognito names the app in client_id instead, so your API must check client_id.", "RFC 9068 §2.2")
	}
	return one("access-token-no-aud", SeverityWarn, "This access token has no aud, so every API that trusts the issuer would accept it. RFC 9068 requires aud and APIs must check it names them.", "RFC 9068 §2.2")
}

// lintScopeInIDToken flags an ID token that carries scope.
func lintScopeInIDToken(t *tokenFacts) []Finding {
	if t.kind != vocab.IDToken || t.payload == nil || !has(t.payload, "scope") {
		return nil
	}
	return one("id-token-scope", SeverityWarn, "This ID token carries scope, an access token claim. An ID token proves sign-in to your app; an API must not accept it as an access token, and your app must not use an access token as an ID token.", "RFC 8725 §3.12")
}

// sensitiveClaims are personal data beyond a name or an email address.
var sensitiveClaims = []string{"phone_number", "address", "birthdate", "gender", "msisdn", "place_of_birth", "nationalities", "ssn", "national_id", "tax_id", "passport_number"}

// identityClaims are personal data commonly (if needlessly) put in access tokens.
var identityClaims = []string{"email", "name", "given_name", "family_name", "upn", "unique_name"}

// lintPII flags personal data in an access token.
func lintPII(t *tokenFacts) []Finding {
	if t.kind != vocab.AccessToken || t.payload == nil {
		return nil
	}
	present := func(names []string) []string {
		var out []string
		for _, m := range t.payloadMembers {
			if slices.Contains(names, m.name) && !slices.Contains(out, m.name) {
				out = append(out, m.name)
			}
		}
		return out
	}
	const why = ". Access tokens are readable by every party that holds them (the client, proxies, logs) unless encrypted; keep personal data in the ID token or the userinfo response."
	if s := present(sensitiveClaims); len(s) > 0 {
		return one("pii-in-access-token", SeverityWarn, "This access token carries sensitive personal data ("+strings.Join(s, ", ")+")"+why, "RFC 9068 §6")
	}
	if s := present(identityClaims); len(s) > 0 {
		return one("pii-in-access-token", SeverityInfo, "This access token carries personal data ("+strings.Join(s, ", ")+")"+why, "RFC 9068 §6")
	}
	return nil
}

// lintLogoutNonce flags a logout token with a nonce, which the spec forbids
// so that a logout token cannot pass as an ID token.
func lintLogoutNonce(t *tokenFacts) []Finding {
	if t.kind != vocab.LogoutToken || t.payload == nil || !has(t.payload, "nonce") {
		return nil
	}
	return one("logout-token-nonce", SeverityError, "A logout token must not contain nonce; the rule keeps logout tokens and ID tokens apart. Reject it.", "OIDC Back-Channel Logout §2.4")
}

// short renders a value for a message, cut to a readable length.
func short(v any) string {
	s := compact(v)
	if s2, ok := v.(string); ok {
		s = s2
	}
	if r := []rune(s); len(r) > 80 {
		return string(r[:77]) + "..."
	}
	return s
}
