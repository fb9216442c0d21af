package token

import (
	"slices"

	"tokenlab/internal/vocab"
)

// rules is the rule set of one kind: the claims its profile requires, the
// comparisons its specification makes mandatory, what each check cites,
// and the claim checks that run after the common ones (alg, signature,
// crit, typ, exp, nbf, iat, iss, aud).
type rules struct {
	kind vocab.Kind
	// profile is the kind whose specification the rules about missing
	// claims come from, when it is not kind itself: the issuer-format
	// access token is held to RFC 9068, as warnings.
	profile vocab.Kind
	// generic rule sets (jwt, refresh_token) have no profile: a payload
	// that is not JSON is fine, and only an aud that is present must be
	// compared.
	generic bool
	// strictWhenChosen: when the caller chooses this kind, a claim the
	// profile requires and the token lacks fails. Otherwise (and always
	// for the issuer-format access_token) it is a warning.
	strictWhenChosen bool
	// declaredTyp is the header typ by which a token declares this kind,
	// making the profile's rules strict (RFC 8725 §3.11).
	declaredTyp string
	// required are the claims the profile requires.
	required []string
	// compare are the comparisons the specification makes mandatory: a
	// result without them is not Complete.
	compare []string
	// refs cite each check under this kind; genericRefs fill the rest.
	refs map[string]string
	// claimChecks run after the common checks, in order.
	claimChecks []func(*verifier)
}

// Refs shared by the rule sets.
const (
	refBCL24   = "OIDC Back-Channel Logout 1.0 §2.4"
	refBCL26   = "OIDC Back-Channel Logout 1.0 §2.6"
	refRFC9068 = "RFC 9068 §4"
	refClaims  = "RFC 9068 §2.2"
)

// genericRefs cite the checks of RFC 7515 and RFC 7519 themselves.
var genericRefs = map[string]string{
	"signature": "RFC 7515 §5.2",
	"exp":       "RFC 7519 §4.1.4",
	"nbf":       "RFC 7519 §4.1.5",
	"iat":       "RFC 7519 §4.1.6",
	"iss":       "RFC 7519 §4.1.1",
	"aud":       "RFC 7519 §4.1.3",
	"sub":       "RFC 7519 §4.1.2",
	"jti":       "RFC 7519 §4.1.7",
	"typ":       "RFC 8725 §3.11",
	"nonce":     "OIDC Core 3.1.3.7 step 11",
	"at_hash":   "OIDC Core 3.2.2.9, 3.1.3.8",
	"c_hash":    "OIDC Core 3.3.2.11",
	"azp":       "OIDC Core 1.0 §2, §3.1.3.7 steps 4–5",
	"client_id": refClaims,
	"events":    refBCL24,
}

var (
	idTokenRules = &rules{
		kind:             vocab.IDToken,
		strictWhenChosen: true,
		required:         []string{"iss", "sub", "aud", "exp", "iat"},
		compare:          []string{"iss", "aud"},
		refs: map[string]string{
			"signature": "OIDC Core 3.1.3.7 step 6",
			"iss":       "OIDC Core 3.1.3.7 step 2",
			"aud":       "OIDC Core 3.1.3.7 step 3",
			"exp":       "OIDC Core 3.1.3.7 step 9",
			"iat":       "OIDC Core 3.1.3.7 step 10",
			"sub":       "OIDC Core 1.0 §2",
		},
		claimChecks: []func(*verifier){(*verifier).checkAzp, (*verifier).checkNonce, (*verifier).checkHashes, (*verifier).checkSub},
	}
	accessTokenRefs = map[string]string{
		"signature": refRFC9068, "iss": refRFC9068, "aud": refRFC9068, "exp": refRFC9068,
		"iat": refClaims, "sub": refClaims, "client_id": refClaims, "jti": refClaims,
		"typ": "RFC 9068 §2.1, §4",
	}
	accessTokenClaims = []string{"iss", "exp", "aud", "sub", "client_id", "iat", "jti"}
	accessTokenChecks = []func(*verifier){(*verifier).checkSub, (*verifier).checkClientID, (*verifier).checkJTI, (*verifier).checkNonce, (*verifier).checkHashes}
	accessTokenRules  = &rules{
		kind: vocab.AccessToken, profile: vocab.AccessTokenRFC9068,
		declaredTyp: "at+jwt",
		required:    accessTokenClaims, compare: []string{"iss", "aud"},
		refs: accessTokenRefs, claimChecks: accessTokenChecks,
	}
	rfc9068Rules = &rules{
		kind:             vocab.AccessTokenRFC9068,
		strictWhenChosen: true, declaredTyp: "at+jwt",
		required: accessTokenClaims, compare: []string{"iss", "aud"},
		refs: accessTokenRefs, claimChecks: accessTokenChecks,
	}
	logoutTokenRules = &rules{
		kind:             vocab.LogoutToken,
		strictWhenChosen: true, declaredTyp: "logout+jwt",
		required: []string{"iss", "aud", "iat", "exp", "jti", "events"},
		compare:  []string{"iss", "aud"},
		refs: map[string]string{
			"signature": refBCL26, "iss": refBCL26, "aud": refBCL26, "exp": refBCL26,
			"iat": refBCL24, "sub": refBCL24, "jti": refBCL24, "events": refBCL24,
			"nonce": "OIDC Back-Channel Logout 1.0 §2.4, §2.6", "typ": refBCL24,
		},
		claimChecks: []func(*verifier){(*verifier).checkSub, (*verifier).checkEvents, (*verifier).checkNonce, (*verifier).checkJTI},
	}
	genericChecks = []func(*verifier){(*verifier).checkNonce, (*verifier).checkHashes, (*verifier).checkClient}
	jwtRules      = &rules{
		kind: vocab.JWT, generic: true,
		claimChecks: genericChecks,
	}
	refreshTokenRules = &rules{
		kind: vocab.RefreshToken, generic: true,
		claimChecks: genericChecks,
	}
)

// ruleSets are the kinds Verify has rules for; vocab.Unknown (a classifier
// that could not tell) gets the generic ones.
var ruleSets = map[vocab.Kind]*rules{
	vocab.JWT:                jwtRules,
	vocab.Unknown:            jwtRules,
	vocab.IDToken:            idTokenRules,
	vocab.AccessToken:        accessTokenRules,
	vocab.AccessTokenRFC9068: rfc9068Rules,
	vocab.LogoutToken:        logoutTokenRules,
	vocab.RefreshToken:       refreshTokenRules,
}

// noun names, with its article, the kind whose profile requires the
// claims: "an ID token", "an RFC 9068 access token".
func (r *rules) noun() string {
	if r.profile != "" {
		return r.profile.Noun()
	}
	return r.kind.Noun()
}

// ref is the citation of check id under these rules.
func (r *rules) ref(id string) string {
	if ref, ok := r.refs[id]; ok {
		return ref
	}
	return genericRefs[id]
}

// requires reports whether the profile requires claim id.
func (r *rules) requires(id string) bool { return slices.Contains(r.required, id) }

// mandatory reports whether comparison id must be made for a complete
// result: the kind's mandatory comparisons, or for a generic kind an aud
// the token carries (RFC 7519 §4.1.3: a recipient that does not find
// itself in a present aud must reject the token).
func (r *rules) mandatory(id string, v *verifier) bool {
	if r.generic {
		_, present := v.claims["aud"]
		return id == "aud" && present
	}
	return slices.Contains(r.compare, id)
}

// declared reports whether the token declares this kind itself: by its
// typ (RFC 9068 §2.1 at+jwt, Back-Channel Logout §2.4 logout+jwt) or, for
// logout tokens, by the logout event, which "declares that the JWT is a
// Logout Token" (Back-Channel Logout 1.0 §2.4).
func (r *rules) declared(v *verifier) bool {
	if r.declaredTyp != "" && v.typ() == r.declaredTyp {
		return true
	}
	return r.kind == vocab.LogoutToken && hasLogoutEvent(v.claims)
}

// hasLogoutEvent reports whether events holds the back-channel logout
// event as a JSON object.
func hasLogoutEvent(claims map[string]any) bool {
	events, _ := claims["events"].(map[string]any)
	_, ok := events[vocab.BackchannelLogoutEvent].(map[string]any)
	return ok
}
