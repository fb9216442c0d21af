package token

import (
	"crypto"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"tokenlab/internal/vocab"
)

// The claim checks: the time claims, the comparisons with what the caller
// expects, and the claims each profile requires.

// dateState says whether a time claim is there and usable.
type dateState int

const (
	dateAbsent dateState = iota
	dateUnusable
	dateUsable
)

// date reads a time claim as a NumericDate.
func (v *verifier) date(name string) (time.Time, dateState) {
	value, present := v.claims[name]
	if !present {
		return time.Time{}, dateAbsent
	}
	at, problem := vocab.NumericDate(value)
	if problem != "" {
		return time.Time{}, dateUnusable
	}
	return at, dateUsable
}

// checkTimes applies exp, nbf and iat (RFC 7519 §4.1.4–§4.1.6) at Now with
// Leeway. They compare as numbers, fractions included (RFC 7519 §2 allows
// them): an exp half a second ahead has not passed. A value that is not a
// usable NumericDate fails its own check; a missing exp or iat is a rule
// of the profile.
func (v *verifier) checkTimes() {
	leeway := v.opts.Leeway
	within := ""
	if leeway > 0 {
		within = fmt.Sprintf(", within the allowed clock skew of %s", vocab.Duration(leeway))
	}
	switch exp, state := v.date("exp"); {
	case state == dateUnusable:
		v.addUnusableDate("exp")
	case state == dateAbsent:
		if v.rules.requires("exp") {
			v.require("exp", v.ref("exp"), "the token has no exp claim, so it never expires; %s must say when it expires. Ask the issuer for tokens with a lifetime", v.rules.noun())
		}
	case !v.now.Before(exp.Add(leeway)):
		v.add("exp", StatusFail, v.ref("exp"), "the token expired at %s, %s before now (%s)%s. Get a new token (use the refresh token or sign in again)", vocab.Timestamp(exp), vocab.Duration(v.now.Sub(exp)), vocab.Timestamp(v.now), leewayNote(leeway))
	case !v.now.Before(exp):
		v.add("exp", StatusPass, v.ref("exp"), "the token expired at %s, %s before now%s", vocab.Timestamp(exp), vocab.Duration(v.now.Sub(exp)), within)
	default:
		v.add("exp", StatusPass, v.ref("exp"), "the token expires at %s, %s from now", vocab.Timestamp(exp), vocab.Duration(exp.Sub(v.now)))
	}
	switch nbf, state := v.date("nbf"); {
	case state == dateUnusable:
		v.addUnusableDate("nbf")
	case state == dateAbsent:
	case v.now.Add(leeway).Before(nbf):
		v.add("nbf", StatusFail, v.ref("nbf"), "the token is not valid before %s, %s from now (%s)%s: it was issued for later use, or a clock is off", vocab.Timestamp(nbf), vocab.Duration(nbf.Sub(v.now)), vocab.Timestamp(v.now), leewayNote(leeway))
	case v.now.Before(nbf):
		v.add("nbf", StatusPass, v.ref("nbf"), "the token becomes valid at %s, %s from now%s", vocab.Timestamp(nbf), vocab.Duration(nbf.Sub(v.now)), within)
	default:
		v.add("nbf", StatusPass, v.ref("nbf"), "the token became valid at %s, %s ago", vocab.Timestamp(nbf), vocab.Duration(v.now.Sub(nbf)))
	}
	switch iat, state := v.date("iat"); {
	case state == dateUnusable:
		v.addUnusableDate("iat")
	case state == dateAbsent:
		if v.rules.requires("iat") {
			v.require("iat", v.ref("iat"), "the token has no iat claim; %s must say when it was issued", v.rules.noun())
		}
	case v.now.Add(leeway).Before(iat):
		v.add("iat", StatusFail, v.ref("iat"), "the token claims to be issued at %s, %s in the future%s: the issuer's clock is off or the token is forged", vocab.Timestamp(iat), vocab.Duration(iat.Sub(v.now)), leewayNote(leeway))
	case v.now.Before(iat):
		v.add("iat", StatusPass, v.ref("iat"), "the token was issued at %s, %s in the future%s", vocab.Timestamp(iat), vocab.Duration(iat.Sub(v.now)), within)
	default:
		v.add("iat", StatusPass, v.ref("iat"), "the token was issued at %s, %s ago", vocab.Timestamp(iat), vocab.Duration(v.now.Sub(iat)))
	}
}

// leewayNote mentions the leeway in a failure message.
func leewayNote(leeway time.Duration) string {
	if leeway == 0 {
		return ""
	}
	return fmt.Sprintf(", beyond the allowed clock skew of %s", vocab.Duration(leeway))
}

// addUnusableDate fails the check of a time claim whose value is not a
// usable NumericDate, saying what the value is and why.
func (v *verifier) addUnusableDate(name string) {
	_, problem := vocab.NumericDate(v.claims[name])
	if problem == vocab.NotANumber {
		v.add(name, StatusFail, v.ref(name)+", RFC 7519 §2", "%s is %s, not a NumericDate (a number of seconds since 1970-01-01 UTC)", name, v.claimText(name))
		return
	}
	v.add(name, StatusFail, v.ref(name)+", RFC 7519 §2", "%s is %s, which is not a usable NumericDate (a number of seconds since 1970-01-01 UTC): %s", name, v.claimText(name), problem)
}

// checkIssuer compares iss exactly (OIDC Core 3.1.3.7 step 2, RFC 9068 §4).
// An iss that is not a string fails whatever is expected (RFC 7519
// §4.1.1); an empty one fails any expected issuer.
func (v *verifier) checkIssuer() {
	ref, want := v.ref("iss"), v.opts.Issuer
	raw, present := v.claims["iss"]
	iss, isString := raw.(string)
	switch {
	case !present && want != "":
		v.add("iss", StatusFail, ref, "the token has no iss claim, so nothing says who issued it, and %q was expected", want)
	case !present:
		if v.rules.requires("iss") {
			v.require("iss", ref, "the token has no iss claim, so nothing says who issued it; %s must name its issuer", v.rules.noun())
			v.skipped("iss")
		}
	case !isString:
		v.add("iss", StatusFail, ref+", RFC 7519 §4.1.1", "%s, not a string; the issuer is a case-sensitive string, so this token names no issuer and matches none. The issuer produced a malformed token, or it was forged", v.valueWithType("iss", ""))
	case iss == "" && want != "":
		v.add("iss", StatusFail, ref, "iss is \"\" (empty), so it names no issuer, and %q was expected", want)
	case iss == "":
		v.notCompared("iss", StatusWarn, ref, "iss is \"\" (empty), so nothing says who issued the token; it would fail any expected issuer")
	case want == "":
		v.notCompared("iss", StatusSkip, ref, "the issuer is %q; not compared: give the expected issuer to compare it (exactly, character for character)", iss)
	case iss != want:
		v.add("iss", StatusFail, ref, "the issuer is %q, but %q was expected; the comparison is exact, so a trailing slash or http/https difference matters", iss, want)
	default:
		v.add("iss", StatusPass, ref, "the issuer is %q, as expected", iss)
	}
}

// skipped notes a mandatory comparison that could not be made.
func (v *verifier) skipped(id string) {
	if v.rules.mandatory(id, v) {
		v.missing = append(v.missing, id)
	}
}

// expectedAudience is the audience to compare: Audience, or for ID tokens
// the client ID (OIDC Core 3.1.3.7 step 3).
func (v *verifier) expectedAudience() string {
	if v.opts.Audience == "" && v.rules.kind == vocab.IDToken {
		return v.opts.ClientID
	}
	return v.opts.Audience
}

// audiences reads aud (RFC 7519 §4.1.3: a string or an array of
// strings). problem says what is wrong with its JSON type; empty says
// that it names no recipient (an empty string or array, or empty members).
func audiences(raw any) (list []string, problem string, empty bool) {
	switch a := raw.(type) {
	case string:
		return []string{a}, "", a == ""
	case []any:
		for _, el := range a {
			s, ok := el.(string)
			if !ok {
				return nil, fmt.Sprintf("an array with a member that is %s, not a string", jsonKind(el)), false
			}
			empty = empty || s == ""
			list = append(list, s)
		}
		return list, "", empty || len(list) == 0
	}
	return nil, jsonKind(raw), false
}

// checkAudience requires aud to contain the expected audience. An aud of
// the wrong JSON type fails whatever is expected; one that names no
// recipient fails any expected audience.
func (v *verifier) checkAudience() {
	ref, want := v.ref("aud"), v.expectedAudience()
	raw, present := v.claims["aud"]
	auds, problem, empty := audiences(raw)
	switch {
	case !present:
		v.checkAbsentAudience(ref, want)
	case problem != "":
		v.add("aud", StatusFail, ref+", RFC 7519 §4.1.3", "%s; the audience is a string or an array of strings, so this token is addressed to no one and matches no expected audience. The issuer produced a malformed token, or it was forged", v.valueWithType("aud", problem))
	case empty && want != "":
		v.add("aud", StatusFail, ref, "aud is %s, which names no recipient (an empty string or array, or an empty member), so it does not include %q", v.claimText("aud"), want)
	case empty:
		v.notCompared("aud", StatusWarn, ref, "aud is %s, which names no recipient (an empty string or array, or an empty member); it would fail any expected audience", v.claimText("aud"))
	case want == "":
		v.notCompared("aud", StatusSkip, ref, "the audience is %s; not compared: give the expected audience (%s) to compare it", quoteList(auds), v.audienceHint())
	case !contains(auds, want):
		v.add("aud", StatusFail, ref, "the token is meant for %s, not for %q: a token for someone else must be refused", quoteList(auds), want)
	default:
		v.add("aud", StatusPass, ref, "the audience %s includes %q", quoteList(auds), want)
	}
}

// audienceHint says what the expected audience is for the kind.
func (v *verifier) audienceHint() string {
	switch v.rules.kind {
	case vocab.IDToken, vocab.LogoutToken:
		return "your client ID"
	case vocab.AccessToken, vocab.AccessTokenRFC9068:
		return "your API's identifier"
	}
	return "the identifier of whoever receives the token"
}

// checkAbsentAudience handles a token without aud. Amazon Cognito access
// tokens never carry one: they name the app client in client_id and say
// token_use "access", and AWS has client_id compared instead, so under
// the issuer's own format a matching client_id stands in for aud.
func (v *verifier) checkAbsentAudience(ref, want string) {
	cognito := v.cognitoClient()
	lenient := v.rules.kind == vocab.AccessToken && !v.strict
	switch {
	case lenient && cognito != "" && (cognito == want || cognito == v.opts.ClientID):
		v.add("aud", StatusPass, ref, "the token has no aud, as Amazon Cognito access tokens never do; its client_id %q is the expected client, which is the check AWS documents in place of aud", cognito)
	case want != "":
		v.add("aud", StatusFail, ref, "the token has no aud claim, so it is not addressed to %q (or to anyone)%s", want, cognitoHint(cognito))
	case v.rules.requires("aud"):
		v.require("aud", ref, "the token has no aud claim, so nothing says who it is meant for%s", cognitoHint(cognito))
		v.skipped("aud")
	}
}

// cognitoClient is the client_id of a token shaped like an Amazon Cognito
// access token (token_use "access"), or "".
func (v *verifier) cognitoClient() string {
	if use, _ := v.claims["token_use"].(string); use != "access" {
		return ""
	}
	cid, _ := v.claims["client_id"].(string)
	return cid
}

func cognitoHint(client string) string {
	if client == "" {
		return ""
	}
	return fmt.Sprintf(". Amazon Cognito access tokens carry no aud: they name the app client in client_id (%q) and their use in token_use \"access\"; give the app client ID as the client ID to compare client_id instead", client)
}

// checkAzp applies OIDC Core 1.0 incorporating errata set 2, §2 and
// §3.1.3.7 steps 4–5: azp is optional and only needed by extensions; when
// it is present, a client may check that azp is its client ID. It fails
// only against a given ClientID; several audiences without azp are fine
// (the errata removed that rule).
func (v *verifier) checkAzp() {
	ref := v.ref("azp") + " (errata set 2)"
	raw, present := v.claims["azp"]
	azp, isString := raw.(string)
	switch {
	case !present:
	case !isString:
		v.add("azp", StatusFail, ref, "%s, not a string; the authorized party is a client ID string", v.valueWithType("azp", ""))
	case v.opts.ClientID == "":
		v.add("azp", StatusSkip, ref, "azp (the authorized party) is %q; not compared: give your client ID to check that the token was issued to you", azp)
	case azp != v.opts.ClientID:
		v.add("azp", StatusFail, ref, "azp is %q, but your client ID is %q: the token was issued to another client. (Some issuers name one client in aud and another in azp: Google does for an Android app that signs in for the web server of the same project. If %q is yours too, give it as the client ID.)", azp, v.opts.ClientID, azp)
	default:
		v.add("azp", StatusPass, ref, "azp is %q, your client ID", azp)
	}
}

// checkNonce compares the nonce with the one the client sent (OIDC Core
// 3.1.3.7 step 11); a logout token must have none (Back-Channel Logout
// §2.4).
func (v *verifier) checkNonce() {
	ref := v.ref("nonce")
	raw, present := v.claims["nonce"]
	want := v.opts.Nonce
	nonce, isString := raw.(string)
	switch {
	case v.rules.kind == vocab.LogoutToken && present:
		v.require("nonce", ref, "the token has a nonce, which a logout token must not have (so that an ID token cannot pass for one)")
	case v.rules.kind == vocab.LogoutToken:
		v.add("nonce", StatusPass, ref, "no nonce, as a logout token requires")
	case want == "" && present && v.rules.kind == vocab.IDToken:
		v.add("nonce", StatusSkip, ref, "the nonce is %s; not compared: give the nonce your client sent in the authentication request to detect a replayed token", v.claimText("nonce"))
	case want == "":
	case !present:
		v.add("nonce", StatusFail, ref, "the token has no nonce, but the client sent %q: it may be a replay of a token from another login", want)
	case !isString || subtle.ConstantTimeCompare([]byte(nonce), []byte(want)) != 1:
		v.add("nonce", StatusFail, ref, "the nonce is %s, but the client sent %q: the token belongs to another login (a replay?)", v.claimText("nonce"), want)
	default:
		v.add("nonce", StatusPass, ref, "the nonce matches the one the client sent")
	}
}

// checkHashes compares at_hash and c_hash with the access token and code
// given (OIDC Core 3.1.3.6, 3.2.2.9, 3.3.2.11).
func (v *verifier) checkHashes() {
	v.checkHash("at_hash", v.opts.AccessToken, "access token")
	v.checkHash("c_hash", v.opts.Code, "authorization code")
}

// checkHash compares one hash claim; it is skipped when alg names no hash
// (none, unknown): the alg check fails then.
func (v *verifier) checkHash(id, given, what string) {
	ref := v.ref(id)
	raw, present := v.claims[id]
	claimed, _ := raw.(string)
	switch {
	case !present && given != "" && v.rules.kind == vocab.IDToken:
		v.add(id, StatusSkip, ref, "the token has no %s, so the %s given cannot be bound to it (%s is optional in the authorization code flow)", id, what, id)
	case !present:
	case given == "":
		v.add(id, StatusSkip, ref, "%s is %s; not compared: give the %s issued with the token to check that they belong together", id, v.claimText(id), what)
	default:
		want, err := halfHash(v.alg, given)
		switch {
		case err != nil:
			// No hash for this alg: the alg check has already failed.
		case claimed != want:
			v.add(id, StatusFail, ref, "%s is %s, but the %s given hashes to %q: they were not issued together", id, v.claimText(id), what, want)
		default:
			v.add(id, StatusPass, ref, "%s matches the %s given", id, what)
		}
	}
}

// halfHash is the left half of the hash of s, with the hash of the JWS
// alg (OIDC Core 3.1.3.6; SHA-512 for EdDSA with Ed25519), base64url.
func halfHash(alg, s string) (string, error) {
	var h crypto.Hash
	switch {
	case alg == "EdDSA":
		h = crypto.SHA512
	case strings.HasSuffix(alg, "256"):
		h = crypto.SHA256
	case strings.HasSuffix(alg, "384"):
		h = crypto.SHA384
	case strings.HasSuffix(alg, "512"):
		h = crypto.SHA512
	default:
		return "", fmt.Errorf("%w: no hash is defined for alg %q", ErrUnsupported, alg)
	}
	d := h.New()
	d.Write([]byte(s))
	sum := d.Sum(nil)
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2]), nil
}

// checkSub requires a subject (OIDC Core §2, RFC 9068 §2.2); a logout
// token needs sub, sid or both (Back-Channel Logout §2.4).
func (v *verifier) checkSub() {
	ref := v.ref("sub")
	raw, present := v.claims["sub"]
	sub, isString := raw.(string)
	if present && !isString {
		v.add("sub", StatusFail, ref, "%s, not a string; the subject is a string (RFC 7519 §4.1.2)", v.valueWithType("sub", ""))
		return
	}
	if v.rules.kind == vocab.LogoutToken {
		sid, _ := v.claims["sid"].(string)
		if sub == "" && sid == "" {
			v.require("sub", ref, "a logout token must name the user (sub), the session (sid) or both, and this one has neither")
		} else {
			v.add("sub", StatusPass, ref, "the logout names %s", joinNonEmpty("sub "+quoteIf(sub), "sid "+quoteIf(sid)))
		}
		return
	}
	if sub == "" {
		v.require("sub", ref, "the token has no sub (subject) string, which %s must have: it says whom the token is about", v.rules.noun())
	} else {
		v.add("sub", StatusPass, ref, "the subject is %q", sub)
	}
}

// clientEquivalents are the claims vendors use instead of RFC 9068's
// client_id, with who uses them (Microsoft identity platform and Okta
// access token references, Auth0 access token profiles).
var clientEquivalents = []struct{ claim, who string }{
	{"azp", "Entra ID v2 and Auth0 access tokens do"},
	{"appid", "Entra ID v1 access tokens do"},
	{"cid", "Okta access tokens do"},
}

// checkClientID requires client_id in an access token (RFC 9068 §2.2)
// and compares it, or the vendor's equivalent, with ClientID when given.
func (v *verifier) checkClientID() {
	ref := v.ref("client_id")
	want := v.opts.ClientID
	raw, present := v.claims["client_id"]
	cid, isString := raw.(string)
	switch {
	case present && !isString:
		v.add("client_id", StatusFail, ref, "%s, not a string; it must be the client's ID string", v.valueWithType("client_id", ""))
		return
	case present && want != "" && cid != want:
		v.add("client_id", StatusFail, ref, "client_id is %q, but %q was expected: the token was issued to another client", cid, want)
		return
	case present && want != "":
		v.add("client_id", StatusPass, ref, "client_id is %q, as expected", cid)
		return
	case present:
		v.add("client_id", StatusPass, ref, "the token names its client: client_id is %q (give the client ID to compare it)", cid)
		return
	}
	for _, eq := range clientEquivalents {
		other, ok := v.claims[eq.claim].(string)
		if !ok {
			continue
		}
		switch {
		case want != "" && other != want:
			v.add("client_id", StatusFail, ref, "the token has no client_id, and its %s %q (where %s name the client) is not the expected %q: the token was issued to another client", eq.claim, other, strings.TrimSuffix(eq.who, " do"), want)
		case v.strict:
			v.require("client_id", ref, "the token has no client_id, which an RFC 9068 access token must have; it names its client in %s %q instead, as %s", eq.claim, other, eq.who)
		case want != "":
			v.add("client_id", StatusWarn, ref, "the token has no client_id (RFC 9068 §2.2); its %s %q, where %s name the client, is the expected client", eq.claim, other, strings.TrimSuffix(eq.who, " do"))
		default:
			v.require("client_id", ref, "the token has no client_id (RFC 9068 §2.2); it names its client in %s %q instead, as %s", eq.claim, other, eq.who)
		}
		return
	}
	if want != "" {
		v.add("client_id", StatusFail, ref, "the token names no client (no client_id, nor azp, appid or cid), so it cannot be the expected client %q", want)
		return
	}
	v.require("client_id", ref, "the token has no client_id naming the client it was issued to (RFC 9068 §2.2), nor a vendor's equivalent (azp, appid, cid)")
}

// checkClient compares client_id, else azp, with ClientID for kinds whose
// profile does not define the claim.
func (v *verifier) checkClient() {
	want := v.opts.ClientID
	if want == "" {
		return
	}
	for _, claim := range []string{"client_id", "azp"} {
		raw, present := v.claims[claim]
		if !present {
			continue
		}
		ref := v.ref(claim)
		if got, _ := raw.(string); got != want {
			v.add(claim, StatusFail, ref, "%s is %s, but %q was expected: the token was issued to another client", claim, v.claimText(claim), want)
		} else {
			v.add(claim, StatusPass, ref, "%s is %q, as expected", claim, got)
		}
		return
	}
	v.add("client_id", StatusSkip, v.ref("client_id"), "not compared: the token names no client (no client_id or azp claim), so it cannot be compared with %q", want)
}

// checkJTI requires a token ID (RFC 9068 §2.2, Back-Channel Logout §2.4).
// Entra ID puts its token identifier in uti instead.
func (v *verifier) checkJTI() {
	ref := v.ref("jti")
	raw, present := v.claims["jti"]
	jti, isString := raw.(string)
	switch {
	case present && !isString:
		v.add("jti", StatusFail, ref, "%s, not a string; the token ID is a string", v.valueWithType("jti", ""))
	case jti != "":
		v.add("jti", StatusPass, ref, "the token ID is %q; a receiver may remember it to refuse replays", jti)
	default:
		if uti, ok := v.claims["uti"].(string); ok {
			v.require("jti", ref, "the token has no jti, which %s must have; Entra ID puts its token identifier in uti (%q) instead, which serves the same purpose", v.rules.noun(), uti)
			return
		}
		v.require("jti", ref, "the token has no jti (a unique ID that lets a receiver detect replays), which %s must have", v.rules.noun())
	}
}

// checkEvents requires the logout event (Back-Channel Logout §2.4).
func (v *verifier) checkEvents() {
	ref := v.ref("events")
	if hasLogoutEvent(v.claims) {
		v.add("events", StatusPass, ref, "events contains the back-channel logout event")
		return
	}
	v.require("events", ref, "a logout token must have an events claim with the member %q whose value is a JSON object; this one has %s", vocab.BackchannelLogoutEvent, orNone(v.claimText("events"), hasClaim(v.claims, "events")))
}

// valueWithType renders a claim and what is wrong with its JSON type for
// messages: `aud is 7 (a number)`, `iss is null`.
func (v *verifier) valueWithType(name, problem string) string {
	raw := v.claims[name]
	if raw == nil {
		return name + " is null"
	}
	if problem == "" {
		problem = jsonKind(raw)
	}
	return fmt.Sprintf("%s is %s (%s)", name, v.claimText(name), problem)
}

// claimText renders a claim value for messages.
func (v *verifier) claimText(name string) string {
	b, err := json.Marshal(v.claims[name])
	if err != nil {
		return "unprintable"
	}
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

func hasClaim(claims map[string]any, name string) bool {
	_, ok := claims[name]
	return ok
}

// jsonKind names the JSON type of a decoded value: "a number", "null".
func jsonKind(value any) string {
	switch value.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("a %T", value)
}
