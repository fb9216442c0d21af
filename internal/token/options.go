package token

import "fmt"

// Kind is what a token is for; it decides which rules Verify applies and
// which claims Mint fills in.
type Kind string

// Token kinds.
const (
	// KindJWT is a JWT of no particular OAuth/OIDC kind: only the signature,
	// algorithm and the time claims present are checked (RFC 7519 §7.2).
	KindJWT Kind = "jwt"
	// KindIDToken is an OpenID Connect ID token (OIDC Core 1.0 §2, checked
	// per §3.1.3.7).
	KindIDToken Kind = "id_token"
	// KindAccessToken is a JWT access token (RFC 9068, checked per §4).
	KindAccessToken Kind = "access_token"
	// KindLogoutToken is a Back-Channel Logout token (OIDC Back-Channel
	// Logout 1.0 §2.4, checked per §2.6).
	KindLogoutToken Kind = "logout_token"
	// KindRefreshToken is a refresh token some servers (e.g. Keycloak) issue
	// as a JWT; it is meant for the authorization server only.
	KindRefreshToken Kind = "refresh_token"
	// KindUnknown is what a classifier reports when it cannot tell; Verify
	// treats it like KindJWT.
	KindUnknown Kind = "unknown"
)

// checkKind accepts "" (generic) and the kinds above.
func checkKind(k Kind) error {
	switch k {
	case "", KindJWT, KindUnknown, KindIDToken, KindAccessToken, KindLogoutToken, KindRefreshToken:
		return nil
	}
	return fmt.Errorf("%w: kind %q; use id_token, access_token, logout_token, refresh_token or jwt", ErrBadRequest, k)
}
