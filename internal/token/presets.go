package token

import (
	"fmt"
	"strings"
)

// Example identities used by the default claims. They are the example
// values of the specifications where one exists (OIDC Core 1.0 §A uses
// client s6BhdRkqt3 and nonce n-0S6_WzA2Mj), so minted tokens read like
// the documentation.
const (
	defaultIssuer   = "https://server.example.com"
	defaultSubject  = "248289761001"
	defaultClientID = "s6BhdRkqt3"
	defaultAPI      = "https://api.example.com"
	defaultNonce    = "n-0S6_WzA2Mj"
	defaultSID      = "08a5019c-17e1-4977-8f42-65a12843ea02"
)

// presetNames lists the vendor presets for messages.
const presetNames = `"entra", "auth0", "okta", "keycloak", "google" and "cognito"`

// mintTimes are the times and IDs a claim set is built from.
type mintTimes struct {
	iat, exp int64
	jti      string
}

// defaultClaims builds the claims of kind, shaped like the preset vendor's
// tokens when preset is not "". Unknown presets and kinds a vendor does
// not issue as JWTs fail with ErrUnsupported.
func defaultClaims(preset string, kind Kind, t mintTimes) (*claimSet, error) {
	switch strings.ToLower(preset) {
	case "":
		return standardClaims(kind, t), nil
	case "entra":
		return entraClaims(kind, t)
	case "auth0":
		return auth0Claims(kind, t)
	case "okta":
		return oktaClaims(kind, t)
	case "keycloak":
		return keycloakClaims(kind, t)
	case "google":
		return googleClaims(kind, t)
	case "cognito":
		return cognitoClaims(kind, t)
	}
	return nil, fmt.Errorf("%w: preset %q; tokenlab has %s", ErrUnsupported, preset, presetNames)
}

// standardClaims are the claims the specifications require: OIDC Core 1.0
// §2 for ID tokens, RFC 9068 §2.2 for access tokens, Back-Channel Logout
// 1.0 §2.4 for logout tokens, RFC 7519 §4.1 otherwise.
func standardClaims(kind Kind, t mintTimes) *claimSet {
	c := newClaimSet()
	c.set("iss", defaultIssuer)
	c.set("sub", defaultSubject)
	switch kind {
	case KindIDToken:
		c.set("aud", defaultClientID)
		c.set("exp", t.exp)
		c.set("iat", t.iat)
		c.set("auth_time", t.iat)
		c.set("nonce", defaultNonce)
	case KindAccessToken:
		c.set("aud", defaultAPI)
		c.set("exp", t.exp)
		c.set("iat", t.iat)
		c.set("jti", t.jti)
		c.set("client_id", defaultClientID)
		c.set("scope", "openid profile")
	case KindLogoutToken:
		c.set("aud", defaultClientID)
		c.set("iat", t.iat)
		c.set("exp", t.exp)
		c.set("jti", t.jti)
		c.set("events", map[string]any{backchannelLogoutEvent: map[string]any{}})
		c.set("sid", defaultSID)
	case KindRefreshToken:
		c.set("aud", defaultIssuer)
		c.set("exp", t.exp)
		c.set("iat", t.iat)
		c.set("jti", t.jti)
		c.set("client_id", defaultClientID)
	default:
		c.set("aud", defaultAPI)
		c.set("exp", t.exp)
		c.set("iat", t.iat)
	}
	return c
}

// vendorLogout is a logout token from a vendor issuer (Back-Channel Logout
// 1.0 §2.4).
func vendorLogout(iss, sub, aud string, t mintTimes) *claimSet {
	c := newClaimSet()
	c.set("iss", iss)
	c.set("sub", sub)
	c.set("aud", aud)
	c.set("iat", t.iat)
	c.set("exp", t.exp)
	c.set("jti", t.jti)
	c.set("events", map[string]any{backchannelLogoutEvent: map[string]any{}})
	c.set("sid", defaultSID)
	return c
}

// notIssued reports a token kind a vendor does not issue as a JWT.
func notIssued(vendor string, kind Kind, why string) error {
	return fmt.Errorf("%w: the %s preset has no %s: %s", ErrUnsupported, vendor, kindName(kind), why)
}

// entraClaims follow Microsoft identity platform v2.0 tokens
// (learn.microsoft.com/entra/identity-platform/id-token-claims-reference
// and access-token-claims-reference).
func entraClaims(kind Kind, t mintTimes) (*claimSet, error) {
	const (
		tid    = "aaaabbbb-0000-cccc-1111-dddd2222eeee"
		oid    = "00000000-0000-0000-66f3-3332eca7ea81"
		client = "6cb04018-a3f5-46a7-b995-940c78f5aef3"
		sub    = "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ"
	)
	iss := "https://login.microsoftonline.com/" + tid + "/v2.0"
	c := newClaimSet()
	switch kind {
	case KindIDToken:
		c.set("ver", "2.0")
		c.set("iss", iss)
		c.set("sub", sub)
		c.set("aud", client)
		c.set("exp", t.exp)
		c.set("iat", t.iat)
		c.set("nbf", t.iat)
		c.set("name", "Abe Lincoln")
		c.set("preferred_username", "AbeLi@microsoft.com")
		c.set("oid", oid)
		c.set("tid", tid)
		c.set("nonce", defaultNonce)
	case KindAccessToken:
		c.set("aud", "api://"+client)
		c.set("iss", iss)
		c.set("iat", t.iat)
		c.set("nbf", t.iat)
		c.set("exp", t.exp)
		c.set("azp", client)
		c.set("azpacr", "0")
		c.set("name", "Abe Lincoln")
		c.set("oid", oid)
		c.set("preferred_username", "AbeLi@microsoft.com")
		c.set("scp", "access_as_user")
		c.set("sub", sub)
		c.set("tid", tid)
		c.set("uti", t.jti)
		c.set("ver", "2.0")
	case KindLogoutToken:
		return vendorLogout(iss, sub, client, t), nil
	default:
		return nil, notIssued("entra", kind, "Microsoft refresh tokens are opaque")
	}
	return c, nil
}

// auth0Claims follow Auth0 tokens (auth0.com/docs/secure/tokens): the
// issuer ends in a slash, custom claims are namespaced URLs, access tokens
// carry permissions and azp.
func auth0Claims(kind Kind, t mintTimes) (*claimSet, error) {
	const (
		iss    = "https://dev-example.us.auth0.com/"
		sub    = "auth0|64d2f7b1c0ffee0123456789"
		client = "AITOAWhlgXGdZbEXAMPLEclientID01"
		ns     = "https://example.com/roles"
	)
	c := newClaimSet()
	switch kind {
	case KindIDToken:
		c.set("nickname", "alice")
		c.set("name", "alice@example.com")
		c.set("picture", "https://s.gravatar.com/avatar/0?s=480&r=pg")
		c.set("updated_at", "2024-01-01T00:00:00.000Z")
		c.set("email", "alice@example.com")
		c.set("email_verified", true)
		c.set(ns, []string{"admin"})
		c.set("iss", iss)
		c.set("aud", client)
		c.set("sub", sub)
		c.set("iat", t.iat)
		c.set("exp", t.exp)
		c.set("sid", defaultSID)
		c.set("nonce", defaultNonce)
	case KindAccessToken:
		c.set(ns, []string{"admin"})
		c.set("iss", iss)
		c.set("sub", sub)
		c.set("aud", []string{defaultAPI, iss + "userinfo"})
		c.set("iat", t.iat)
		c.set("exp", t.exp)
		c.set("jti", t.jti)
		c.set("client_id", client)
		c.set("scope", "openid profile email read:messages")
		c.set("azp", client)
		c.set("permissions", []string{"read:messages"})
	case KindLogoutToken:
		return vendorLogout(iss, sub, client, t), nil
	default:
		return nil, notIssued("auth0", kind, "Auth0 refresh tokens are opaque")
	}
	return c, nil
}

// oktaClaims follow Okta custom authorization server tokens
// (developer.okta.com/docs/api/openapi/okta-oauth/guides/overview/): ver 1,
// jti "ID."/"AT.", cid and uid, scp as an array.
func oktaClaims(kind Kind, t mintTimes) (*claimSet, error) {
	const (
		iss    = "https://dev-123456.okta.com/oauth2/default"
		uid    = "00uid4BxXw6I6TV4m0g3"
		client = "0oabskvc6442nkvQO0h7"
	)
	c := newClaimSet()
	switch kind {
	case KindIDToken:
		c.set("sub", uid)
		c.set("name", "John Doe")
		c.set("ver", 1)
		c.set("iss", iss)
		c.set("aud", client)
		c.set("iat", t.iat)
		c.set("exp", t.exp)
		c.set("jti", "ID."+t.jti)
		c.set("amr", []string{"pwd"})
		c.set("idp", "00ok1u7AsAkrwdZL3z0g3")
		c.set("nonce", defaultNonce)
		c.set("preferred_username", "john.doe@example.com")
		c.set("auth_time", t.iat)
	case KindAccessToken:
		c.set("ver", 1)
		c.set("jti", "AT."+t.jti)
		c.set("iss", iss)
		c.set("aud", "api://default")
		c.set("iat", t.iat)
		c.set("exp", t.exp)
		c.set("cid", client)
		c.set("uid", uid)
		c.set("scp", []string{"openid", "profile"})
		c.set("auth_time", t.iat)
		c.set("sub", "john.doe@example.com")
	case KindLogoutToken:
		return vendorLogout(iss, uid, client, t), nil
	default:
		return nil, notIssued("okta", kind, "Okta refresh tokens are opaque")
	}
	return c, nil
}

// keycloakClaims follow Keycloak tokens (keycloak.org/docs): typ "ID",
// "Bearer", "Refresh" or "Logout" in the payload, azp, session_state,
// realm_access and resource_access roles.
func keycloakClaims(kind Kind, t mintTimes) (*claimSet, error) {
	const (
		iss    = "https://keycloak.example.com/realms/demo"
		sub    = "f1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b"
		client = "demo-app"
	)
	c := newClaimSet()
	head := func(typ, aud string) {
		c.set("exp", t.exp)
		c.set("iat", t.iat)
		if kind != KindRefreshToken {
			c.set("auth_time", t.iat)
		}
		c.set("jti", t.jti)
		c.set("iss", iss)
		c.set("aud", aud)
		c.set("sub", sub)
		c.set("typ", typ)
		c.set("azp", client)
	}
	switch kind {
	case KindIDToken:
		head("ID", client)
		c.set("nonce", defaultNonce)
		c.set("session_state", defaultSID)
		c.set("acr", "1")
		c.set("sid", defaultSID)
		c.set("email_verified", true)
		c.set("name", "Alice Liddell")
		c.set("preferred_username", "alice")
		c.set("given_name", "Alice")
		c.set("family_name", "Liddell")
		c.set("email", "alice@example.com")
	case KindAccessToken:
		head("Bearer", "account")
		c.set("session_state", defaultSID)
		c.set("acr", "1")
		c.set("allowed-origins", []string{"https://app.example.com"})
		c.set("realm_access", map[string]any{"roles": []string{"offline_access", "uma_authorization", "default-roles-demo"}})
		c.set("resource_access", map[string]any{"account": map[string]any{"roles": []string{"manage-account", "view-profile"}}})
		c.set("scope", "openid profile email")
		c.set("sid", defaultSID)
		c.set("client_id", client)
		c.set("email_verified", true)
		c.set("preferred_username", "alice")
	case KindRefreshToken:
		head("Refresh", iss)
		c.set("session_state", defaultSID)
		c.set("scope", "openid profile email")
		c.set("sid", defaultSID)
	case KindLogoutToken:
		c = vendorLogout(iss, sub, client, t)
		c.set("typ", "Logout")
	default:
		return nil, notIssued("keycloak", kind, "choose id_token, access_token, refresh_token or logout_token")
	}
	return c, nil
}

// googleClaims follow Google Sign-In ID tokens
// (developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload).
// Google's access and refresh tokens are opaque strings, not JWTs.
func googleClaims(kind Kind, t mintTimes) (*claimSet, error) {
	const client = "1234987819200-okc3ua0ic2r6vm8ihd6ccbdb4nqp4ot7.apps.googleusercontent.com"
	if kind != KindIDToken {
		return nil, notIssued("google", kind, "Google issues only ID tokens as JWTs; its access and refresh tokens are opaque strings checked with the tokeninfo endpoint, and it sends no back-channel logout tokens")
	}
	c := newClaimSet()
	c.set("iss", "https://accounts.google.com")
	c.set("azp", client)
	c.set("aud", client)
	c.set("sub", "110169484474386276334")
	c.set("hd", "example.com")
	c.set("email", "jsmith@example.com")
	c.set("email_verified", true)
	c.set("nonce", defaultNonce)
	c.set("name", "Jane Smith")
	c.set("picture", "https://lh3.googleusercontent.com/a/default-user")
	c.set("given_name", "Jane")
	c.set("family_name", "Smith")
	c.set("iat", t.iat)
	c.set("exp", t.exp)
	return c, nil
}

// cognitoClaims follow Amazon Cognito user pool tokens
// (docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-with-identity-providers.html):
// token_use id/access, cognito:username in ID tokens, and access tokens
// with client_id and username but no aud.
func cognitoClaims(kind Kind, t mintTimes) (*claimSet, error) {
	const (
		iss    = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE"
		sub    = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
		client = "1example23456789"
		event  = "64f513be-32db-42b0-b78e-b02127b4f463"
	)
	c := newClaimSet()
	switch kind {
	case KindIDToken:
		c.set("sub", sub)
		c.set("email_verified", true)
		c.set("iss", iss)
		c.set("cognito:username", "janedoe")
		c.set("nonce", defaultNonce)
		c.set("origin_jti", t.jti)
		c.set("aud", client)
		c.set("event_id", event)
		c.set("token_use", "id")
		c.set("auth_time", t.iat)
		c.set("exp", t.exp)
		c.set("iat", t.iat)
		c.set("jti", t.jti)
		c.set("email", "janedoe@example.com")
	case KindAccessToken:
		c.set("sub", sub)
		c.set("iss", iss)
		c.set("client_id", client)
		c.set("origin_jti", t.jti)
		c.set("event_id", event)
		c.set("token_use", "access")
		c.set("scope", "aws.cognito.signin.user.admin openid profile")
		c.set("auth_time", t.iat)
		c.set("exp", t.exp)
		c.set("iat", t.iat)
		c.set("jti", t.jti)
		c.set("username", "janedoe")
	default:
		return nil, notIssued("cognito", kind, "Cognito refresh tokens are encrypted opaque blobs and Cognito sends no back-channel logout tokens")
	}
	return c, nil
}
