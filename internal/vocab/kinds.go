package vocab

import "strings"

// Kind is what a token is for. Its value is the name the API uses on the
// wire ("id_token"); [Kind.Name], [Kind.Title] and [Kind.Noun] spell it
// for people.
type Kind string

// The token kinds, in the order a guide lists them.
const (
	// IDToken is an OpenID Connect ID token (OIDC Core 1.0 §2): it proves
	// to the client who signed in.
	IDToken Kind = "id_token"
	// AccessToken is an OAuth 2.0 access token as a JWT in its issuer's
	// own format (RFC 9068 where the issuer follows it).
	AccessToken Kind = "access_token"
	// AccessTokenRFC9068 is a JWT access token held strictly to RFC 9068;
	// only Verify uses it, as a rule set the caller chooses.
	AccessTokenRFC9068 Kind = "access_token_rfc9068"
	// OpaqueAccessToken is an access token that is no JWT: a reference
	// only its issuer can read (RFC 6749 §1.4, RFC 7662).
	OpaqueAccessToken Kind = "opaque_access_token"
	// RefreshToken is a refresh token (RFC 6749 §1.5); some servers, such
	// as Keycloak, issue them as JWTs.
	RefreshToken Kind = "refresh_token"
	// LogoutToken is an OpenID Connect Back-Channel Logout token
	// (Back-Channel Logout 1.0 §2.4).
	LogoutToken Kind = "logout_token"
	// Workload is a workload identity token: issued by a CI system, a
	// cloud or a cluster to a workload (GitHub Actions, Google service
	// accounts, Kubernetes, SPIFFE JWT-SVID).
	Workload Kind = "workload_identity"
	// ClientAssertion is a JWT a client sends to an authorization server
	// to authenticate (RFC 7523 §3).
	ClientAssertion Kind = "client_assertion"
	// DPoPProof is a DPoP proof (RFC 9449 §4.2).
	DPoPProof Kind = "dpop_proof"
	// RequestObject is a signed authorization request (RFC 9101).
	RequestObject Kind = "request_object"
	// SecurityEvent is a Security Event Token (RFC 8417).
	SecurityEvent Kind = "security_event"
	// SDJWT is a selective-disclosure JWT (RFC 9901).
	SDJWT Kind = "sd_jwt"
	// SDJWTVC is an SD-JWT verifiable credential (typ dc+sd-jwt, vct).
	SDJWTVC Kind = "sd_jwt_vc"
	// JWT is a JWT of no particular OAuth or OpenID Connect kind, or one
	// whose kind is unclear.
	JWT Kind = "jwt"
	// Unknown is what a classifier says when nothing tells the kind (an
	// encrypted or empty claims set).
	Unknown Kind = "unknown"
	// Auto asks Verify to apply the rules of the kind a classifier
	// decides; it names a choice, not a kind of token.
	Auto Kind = "auto"
)

// kindInfo is one row of the vocabulary.
type kindInfo struct {
	kind Kind
	// name spells the kind inside a sentence: "access token".
	name string
	// verifyAs is the kind whose rules verify applies (see VerifyAs); ""
	// when a token of this kind cannot be verified (an opaque token) or
	// the kind is a choice rather than a kind (auto).
	verifyAs Kind
}

// kinds is the vocabulary, in guide order.
var kinds = [...]kindInfo{
	{IDToken, "ID token", IDToken},
	{AccessToken, "access token", AccessToken},
	{AccessTokenRFC9068, "RFC 9068 access token", AccessTokenRFC9068},
	{OpaqueAccessToken, "opaque access token", ""},
	{RefreshToken, "refresh token", RefreshToken},
	{LogoutToken, "logout token", LogoutToken},
	{Workload, "workload identity token", JWT},
	{ClientAssertion, "client assertion", JWT},
	{DPoPProof, "DPoP proof", DPoPProof},
	{RequestObject, "request object", JWT},
	{SecurityEvent, "security event token", JWT},
	{SDJWT, "SD-JWT", SDJWT},
	{SDJWTVC, "SD-JWT VC", SDJWTVC},
	{JWT, "JWT", JWT},
	{Unknown, "unknown token", JWT},
	{Auto, "auto-detected kind", ""},
}

// Kinds returns every kind, in guide order, Auto last.
func Kinds() []Kind {
	out := make([]Kind, len(kinds))
	for i, k := range kinds {
		out[i] = k.kind
	}
	return out
}

func (k Kind) info() (kindInfo, bool) {
	for _, info := range kinds {
		if info.kind == k {
			return info, true
		}
	}
	return kindInfo{}, false
}

// Known reports whether k is one of the kinds above.
func (k Kind) Known() bool {
	_, ok := k.info()
	return ok
}

// Name spells the kind inside a sentence: "ID token", "access token",
// "JWT". A kind that is not known is named "token".
func (k Kind) Name() string {
	if info, ok := k.info(); ok {
		return info.name
	}
	return "token"
}

// Title spells the kind as a heading or at the start of a sentence: "ID
// token", "Access token", "SD-JWT VC".
func (k Kind) Title() string {
	name := k.Name()
	return strings.ToUpper(name[:1]) + name[1:]
}

// Noun is the kind's name with its indefinite article: "an ID token", "an
// access token", "a DPoP proof".
func (k Kind) Noun() string { return WithArticle(k.Name()) }

// VerifyAs is the kind whose rules verify applies to a token of kind k:
// the kind itself for ID, access, refresh and logout tokens (whose rules
// live in internal/token), for DPoP proofs (RFC 9449, internal/dpop) and
// for SD-JWTs and SD-JWT VCs (RFC 9901, internal/sdjwt); JWT (the generic
// rules of RFC 7519 §7.2) for every other JWT; and "" for an opaque token,
// which only its issuer can check, and for Auto.
func (k Kind) VerifyAs() Kind {
	if info, ok := k.info(); ok {
		return info.verifyAs
	}
	return JWT
}

// OrList writes kinds by their wire names as a choice: "id_token",
// "id_token or jwt", "id_token, access_token or jwt".
func OrList(kinds []Kind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// WithArticle puts "a" or "an" before a noun phrase, by how its first
// word is said: an acronym by the name of its first letter ("an ID
// token", "an SD-JWT", "a DPoP proof", "a JWT"), any other word by its
// first letter ("an access token", "a GitHub token"). The phrase keeps its
// case.
func WithArticle(phrase string) string {
	if phrase == "" {
		return "a token"
	}
	first, _, _ := strings.Cut(phrase, " ")
	acronym := len(first) > 1 && strings.ToUpper(first[:2]) == first[:2]
	var an bool
	if acronym {
		// Letter names that start with a vowel sound: A, E, F, H, I, L,
		// M, N, O, R, S, X.
		an = strings.IndexByte("AEFHILMNORSX", first[0]) >= 0
	} else {
		an = strings.IndexByte("aeiouAEIOU", first[0]) >= 0
	}
	if an {
		return "an " + phrase
	}
	return "a " + phrase
}
