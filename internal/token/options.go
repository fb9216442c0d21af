package token

import "fmt"

// Kind is what a token is for; it decides which rules Verify applies and
// which claims Mint fills in.
type Kind string

// Token kinds.
const (
	// KindAuto lets Verify apply the rules of the kind a classifier
	// guessed (VerifyOptions.Guess) when the guess is confident enough,
	// else the generic KindJWT rules.
	KindAuto Kind = "auto"
	// KindJWT is a JWT of no particular OAuth/OIDC kind: only the
	// algorithm, signature, critical headers and the time claims present
	// are checked (RFC 7519 §7.2), plus whatever the caller expects.
	KindJWT Kind = "jwt"
	// KindIDToken is an OpenID Connect ID token (OIDC Core 1.0 §2, checked
	// per §3.1.3.7).
	KindIDToken Kind = "id_token"
	// KindAccessToken is an access token in its issuer's own JWT format:
	// what RFC 9068 asks and the token lacks (typ at+jwt, client_id, jti,
	// even aud) is a warning, unless the token types itself at+jwt.
	KindAccessToken Kind = "access_token"
	// KindAccessTokenRFC9068 is a JWT access token held strictly to
	// RFC 9068: every rule of §4 and every claim of §2.2 can fail.
	KindAccessTokenRFC9068 Kind = "access_token_rfc9068"
	// KindLogoutToken is a Back-Channel Logout token (OIDC Back-Channel
	// Logout 1.0 §2.4, checked per §2.6).
	KindLogoutToken Kind = "logout_token"
	// KindRefreshToken is a refresh token some servers (e.g. Keycloak) issue
	// as a JWT; it is meant for the authorization server only, so Verify
	// applies the generic KindJWT rules to it.
	KindRefreshToken Kind = "refresh_token"
	// KindUnknown is what a classifier reports when it cannot tell; Verify
	// treats it like KindJWT.
	KindUnknown Kind = "unknown"
)

// verifyKinds are the kinds Verify accepts, for messages.
const verifyKinds = "auto, jwt, id_token, access_token, access_token_rfc9068, logout_token or refresh_token"

// checkVerifyKind accepts "" (generic) and the kinds Verify has rules for.
func checkVerifyKind(k Kind) error {
	switch k {
	case "", KindAuto, KindJWT, KindUnknown, KindIDToken, KindAccessToken, KindAccessTokenRFC9068, KindLogoutToken, KindRefreshToken:
		return nil
	}
	return fmt.Errorf("%w: kind %q; use %s", ErrBadRequest, k, verifyKinds)
}

// checkMintKind accepts the kinds Mint issues.
func checkMintKind(k Kind) error {
	switch k {
	case KindJWT, KindIDToken, KindAccessToken, KindLogoutToken, KindRefreshToken:
		return nil
	}
	return fmt.Errorf("%w: kind %q; mint id_token, access_token, logout_token, refresh_token or jwt", ErrBadRequest, k)
}

// kindName spells a kind for people: "ID token", "access token", "JWT".
func kindName(k Kind) string {
	if r := ruleSets[k]; r != nil {
		return r.name
	}
	return "JWT"
}
