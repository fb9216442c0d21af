package explain

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"tokenlab/internal/vocab"
)

// jsonOf builds a header or payload in the test, so each case shows the
// exact token shape it is about.
func jsonOf(t *testing.T, v map[string]any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLessons: each thing tokenlab used to teach wrongly (and each kind it
// did not know) is explained right, with its source in the text a person
// reads. Every case builds its token, then checks the kind, how it was
// decided, the headline and the guide's key sentence.
func TestLessons(t *testing.T) {
	const exp, iat = 1714561200, 1714557600
	guide := func(field func(Purpose) string, want string) func(*testing.T, Explanation) {
		return func(t *testing.T, e Explanation) {
			t.Helper()
			if got := field(e.Purpose); !strings.Contains(got, want) {
				t.Errorf("guide text %q lacks %q", got, want)
			}
		}
	}
	summary := func(p Purpose) string { return p.Summary }
	sendTo := func(p Purpose) string { return p.SendTo }
	notFor := func(p Purpose) string { return p.NotFor }
	validatedBy := func(p Purpose) string { return p.ValidatedBy }
	steps := func(p Purpose) string {
		var b strings.Builder
		for _, s := range p.Steps {
			b.WriteString(s.Text + " (" + s.Ref + ") ")
		}
		return b.String()
	}
	finding := func(id, severity, want string) func(*testing.T, Explanation) {
		return func(t *testing.T, e Explanation) {
			t.Helper()
			i := slices.IndexFunc(e.Findings, func(f Finding) bool { return f.ID == id })
			if i < 0 || e.Findings[i].Severity != severity || !strings.Contains(e.Findings[i].Message, want) {
				t.Errorf("findings %+v lack %s (%s) saying %q", e.Findings, id, severity, want)
			}
		}
	}
	tests := []struct {
		name      string
		format    string
		header    map[string]any
		payload   map[string]any
		kind      vocab.Kind
		certainty string
		headline  string
		checks    []func(*testing.T, Explanation)
	}{
		{
			name:   "a sign-in ID token is sent only to the party in aud",
			header: map[string]any{"alg": "RS256", "typ": "JWT"},
			payload: map[string]any{"iss": "https://server.example.com", "sub": "248289761001", "aud": "s6BhdRkqt3",
				"nonce": "n-0S6_WzA2Mj", "exp": exp, "iat": iat},
			kind: vocab.IDToken, certainty: CertaintyLikely, headline: "ID token — has nonce",
			checks: []func(*testing.T, Explanation){
				guide(summary, "Send it only to the party named in aud; a sign-in ID token's aud is your client"),
				guide(notFor, "must reject the token (RFC 7519 §4.1.3)"),
				guide(steps, "azp appears only with extensions beyond OIDC Core"),
				guide(steps, "Several audiences no longer require azp (errata set 2). (OIDC Core §2, §3.1.3.7 (errata set 2))"),
			},
		},
		{
			name:   "a code-flow ID token with scope and no nonce is still an ID token",
			header: map[string]any{"alg": "RS256", "typ": "JWT"},
			payload: map[string]any{"iss": "https://idp.example.com", "sub": "u-1", "aud": "my-client", "exp": exp, "iat": iat,
				"auth_time": iat, "scope": "openid profile email", "name": "Jane Doe", "email": "jane@example.com"},
			kind: vocab.IDToken, certainty: CertaintyLikely, headline: "ID token — aud is a single client ID and no other claim names a client",
			checks: []func(*testing.T, Explanation){finding("id-token-scope", SeverityWarn, "carries scope")},
		},
		{
			name:   "amr and auth_time do not make an access token an ID token (RFC 9068 §2.2.1)",
			header: map[string]any{"alg": "RS256", "typ": "at+jwt"},
			payload: map[string]any{"iss": "https://as.example.com", "sub": "u-1", "aud": "https://api.example.com", "client_id": "c",
				"scope": "read", "jti": "j", "exp": exp, "iat": iat, "auth_time": iat, "amr": []string{"pwd", "mfa"}},
			kind: vocab.AccessToken, certainty: CertaintyDeclared, headline: "Access token — header typ is at+jwt",
		},
		{
			name:    "amr and auth_time alone settle nothing",
			header:  map[string]any{"alg": "RS256"},
			payload: map[string]any{"iss": "https://as.example.com", "sub": "u-1", "exp": exp, "auth_time": iat, "amr": []string{"pwd"}},
			kind:    vocab.JWT, certainty: CertaintyUnclear,
			headline: "JWT — kind unclear (no claim points to an OAuth or OpenID Connect token kind)",
		},
		{
			name:   "the access token guide: the client MUST NOT inspect it, the API may introspect",
			header: map[string]any{"alg": "ES256", "typ": "at+jwt"},
			payload: map[string]any{"iss": "https://as.example.com", "sub": "u-1", "aud": "https://api.example.com", "client_id": "c",
				"scope": "read", "jti": "j", "exp": exp, "iat": iat},
			kind: vocab.AccessToken, certainty: CertaintyDeclared, headline: "Access token — header typ is at+jwt (RFC 9068 JWT access token)",
			checks: []func(*testing.T, Explanation){
				guide(summary, "the client MUST NOT inspect it (RFC 9068 §6)"),
				guide(summary, "it may not be a JWT at all (RFC 6749 §1.4)"),
				guide(validatedBy, "token introspection (RFC 7662)"),
			},
		},
		{
			name:   "an Entra access token's headline shows the deciding signal",
			header: map[string]any{"typ": "JWT", "alg": "RS256", "kid": "i6lGk3FZzxRcUb2C3nEQ7syHJlY"},
			payload: map[string]any{"aud": "6e74172b-be56-4843-9ff4-e66a39bb12e3", "iss": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
				"iat": iat, "nbf": iat, "exp": exp, "azp": "6e74172b-be56-4843-9ff4-e66a39bb12e3", "azpacr": "0", "name": "Abe Lincoln", "oid": "690222be-ff1a-4d56-abd1-7e4f7d38e474",
				"scp": "access_as_user", "sub": "HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ", "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "ver": "2.0"},
			kind: vocab.AccessToken, certainty: CertaintyLikely, headline: "Access token — scp lists delegated scopes",
		},
		{
			name:   "a Microsoft Graph token's header nonce means only Graph can validate it",
			header: map[string]any{"typ": "JWT", "nonce": "AQABAAAAAAAGV_bv21oQQ4ROqh0_1-tAmp1pQ", "alg": "RS256", "x5t": "nOo3ZDrODXEK1jKWhXslHR_KXEg", "kid": "nOo3ZDrODXEK1jKWhXslHR_KXEg"},
			payload: map[string]any{"aud": "https://graph.microsoft.com", "iss": "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
				"iat": iat, "exp": exp, "appid": "de8bc8b5-d9f9-48b1-a8ad-b748da725064", "scp": "User.Read", "ver": "1.0"},
			kind: vocab.AccessToken, certainty: CertaintyLikely, headline: "Access token — ",
			checks: []func(*testing.T, Explanation){finding("graph-header-nonce", SeverityInfo, "only Graph validates Graph's tokens")},
		},
		{
			name:   "an RFC 8693 exchanged token with act is an access token",
			header: map[string]any{"alg": "ES256", "kid": "sts-1"},
			payload: map[string]any{"aud": "https://consumer.example.com", "iss": "https://issuer.example.com", "exp": exp, "nbf": iat,
				"sub": "user@example.com", "act": map[string]any{"sub": "admin@example.com"}},
			kind: vocab.AccessToken, certainty: CertaintyLikely, headline: "Access token — act names the party acting for sub: a token from a token exchange (RFC 8693 §4.1)",
		},
		{
			name:    "below the threshold a token only resembles a kind",
			header:  map[string]any{"alg": "RS256"},
			payload: map[string]any{"iss": "https://as.example.com", "sub": "svc", "aud": "https://api.example.com", "exp": exp, "scope": "read"},
			kind:    vocab.JWT, certainty: CertaintyUnclear, headline: "JWT — kind unclear (resembles an access token)",
			checks: []func(*testing.T, Explanation){
				func(t *testing.T, e Explanation) {
					if e.Resembles != vocab.AccessToken || e.Purpose.Kind != vocab.JWT || e.RuleKind != vocab.JWT {
						t.Errorf("resembles %q, purpose %q, rule kind %q; want access_token, jwt, jwt", e.Resembles, e.Purpose.Kind, e.RuleKind)
					}
				},
			},
		},
		{
			name:   "a GitHub Actions OIDC token is a workload identity token for the service in aud",
			header: map[string]any{"typ": "JWT", "alg": "RS256", "x5t": "example-thumbprint", "kid": "example-key-id"},
			payload: map[string]any{"jti": "example-id", "sub": "repo:octo-org/octo-repo:environment:prod", "aud": "sts.amazonaws.com",
				"repository": "octo-org/octo-repo", "job_workflow_ref": "octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main",
				"iss": "https://token.actions.githubusercontent.com", "nbf": iat, "exp": exp, "iat": iat},
			kind: vocab.Workload, certainty: CertaintyLikely, headline: "Workload identity token — iss is GitHub Actions' OIDC provider",
			checks: []func(*testing.T, Explanation){
				guide(sendTo, "The service named in aud"),
				guide(summary, "validates it or exchanges it for its own credentials at a security token service (RFC 8693)"),
				guide(notFor, "(RFC 7519 §4.1.3)"),
			},
		},
		{
			name:   "a Google service-account ID token for Cloud Run is a workload identity token",
			header: map[string]any{"alg": "RS256", "kid": "a3b762f8", "typ": "JWT"},
			payload: map[string]any{"aud": "https://my-service-abc123-uc.a.run.app", "azp": "102345678901234567890",
				"email": "invoker@my-project.iam.gserviceaccount.com", "email_verified": true, "exp": exp, "iat": iat,
				"iss": "https://accounts.google.com", "sub": "102345678901234567890"},
			kind: vocab.Workload, certainty: CertaintyLikely, headline: "Workload identity token — iss is Google and email is a service account",
		},
		{
			name:   "a projected Kubernetes service account token",
			header: map[string]any{"alg": "RS256", "kid": "OAjVVaejWFc0Yt9ykr0_8lMMuRNs67OXTWHsN02Pkyw"},
			payload: map[string]any{"aud": []string{"vault"}, "exp": exp, "iat": iat, "nbf": iat, "iss": "https://kubernetes.default.svc.cluster.local",
				"kubernetes.io": map[string]any{"namespace": "default", "serviceaccount": map[string]any{"name": "app", "uid": "e6a8680e"}},
				"sub":           "system:serviceaccount:default:app"},
			kind: vocab.Workload, certainty: CertaintyLikely, headline: "Workload identity token — has the kubernetes.io claim",
		},
		{
			name:   "a legacy Kubernetes token never expires",
			header: map[string]any{"alg": "RS256", "kid": "k"},
			payload: map[string]any{"iss": "kubernetes/serviceaccount", "kubernetes.io/serviceaccount/namespace": "default",
				"sub": "system:serviceaccount:default:app"},
			kind: vocab.Workload, certainty: CertaintyLikely, headline: "Workload identity token — iss is kubernetes/serviceaccount",
			checks: []func(*testing.T, Explanation){finding("missing-exp", SeverityWarn, "Legacy, secret-based Kubernetes service account tokens")},
		},
		{
			name:    "a SPIFFE JWT-SVID",
			header:  map[string]any{"alg": "ES256", "kid": "spire-1", "typ": "JWT"},
			payload: map[string]any{"sub": "spiffe://example.org/ns/prod/sa/billing", "aud": []string{"https://billing.example.org"}, "exp": exp, "iat": iat},
			kind:    vocab.Workload, certainty: CertaintyLikely, headline: "Workload identity token — sub is a SPIFFE ID",
		},
		{
			name:   "a Google self-signed service-account JWT for an API is a bearer token, not a client assertion",
			header: map[string]any{"alg": "RS256", "typ": "JWT", "kid": "370ab79b"},
			payload: map[string]any{"iss": "svc@my-project.iam.gserviceaccount.com", "sub": "svc@my-project.iam.gserviceaccount.com",
				"aud": "https://pubsub.googleapis.com/", "iat": iat, "exp": exp},
			kind: vocab.AccessToken, certainty: CertaintyLikely, headline: "Access token — a Google service account's self-signed JWT whose aud is a Google API",
		},
		{
			name:    "a private_key_jwt client assertion",
			header:  map[string]any{"alg": "PS256", "kid": "c1-key"},
			payload: map[string]any{"iss": "c1", "sub": "c1", "aud": "https://as.example.com/token", "exp": exp, "iat": iat, "jti": "j"},
			kind:    vocab.ClientAssertion, certainty: CertaintyLikely, headline: "Client assertion — iss equals sub and aud is a token endpoint",
			checks: []func(*testing.T, Explanation){guide(sendTo, "client_assertion"), guide(steps, "(RFC 7523 §3)")},
		},
		{
			name:    "a typed client assertion",
			header:  map[string]any{"alg": "ES256", "typ": "client-authentication+jwt"},
			payload: map[string]any{"iss": "c1", "sub": "c1", "aud": "https://as.example.com", "exp": exp, "jti": "j"},
			kind:    vocab.ClientAssertion, certainty: CertaintyDeclared, headline: "Client assertion — header typ is client-authentication+jwt",
		},
		{
			name:    "a DPoP proof needs no exp and no aud",
			header:  map[string]any{"typ": "dpop+jwt", "alg": "ES256", "jwk": map[string]any{"kty": "EC", "crv": "P-256", "x": "l8tF", "y": "9VE4"}},
			payload: map[string]any{"jti": "-BwC3ESc6acc2lTc", "htm": "POST", "htu": "https://server.example.com/token", "iat": iat},
			kind:    vocab.DPoPProof, certainty: CertaintyDeclared, headline: "DPoP proof — header typ is dpop+jwt",
			checks: []func(*testing.T, Explanation){
				guide(summary, "It has jti, htm, htu and iat; it needs no exp and no aud."),
				guide(steps, "iat is within an acceptable window of the server's clock (and nonce matches, if the server sent one). (RFC 9449 §4.3)"),
				func(t *testing.T, e Explanation) {
					if len(e.Findings) != 0 {
						t.Errorf("a DPoP proof without exp or aud has findings %+v", e.Findings)
					}
				},
			},
		},
		{
			name:   "a request object",
			header: map[string]any{"alg": "RS256", "typ": "oauth-authz-req+jwt"},
			payload: map[string]any{"iss": "s6BhdRkqt3", "aud": "https://server.example.com", "response_type": "code", "client_id": "s6BhdRkqt3",
				"redirect_uri": "https://client.example.org/cb", "scope": "openid", "nonce": "n"},
			kind: vocab.RequestObject, certainty: CertaintyDeclared, headline: "Request object — header typ is oauth-authz-req+jwt",
			checks: []func(*testing.T, Explanation){guide(steps, "(RFC 9101 §6.3)")},
		},
		{
			name:   "a security event token",
			header: map[string]any{"typ": "secevent+jwt", "alg": "RS256"},
			payload: map[string]any{"iss": "https://idp.example.com/", "jti": "756E", "iat": iat, "aud": "636C",
				"events": map[string]any{"https://schemas.openid.net/secevent/risc/event-type/account-disabled": map[string]any{}}},
			kind: vocab.SecurityEvent, certainty: CertaintyDeclared, headline: "Security event token — header typ is secevent+jwt",
			checks: []func(*testing.T, Explanation){guide(notFor, "(RFC 8417 §4.3)")},
		},
		{
			name:   "a logout token is checked for exp too (Back-Channel Logout §2.6)",
			header: map[string]any{"alg": "RS256", "typ": "logout+jwt"},
			payload: map[string]any{"iss": "https://server.example.com", "aud": "s6BhdRkqt3", "iat": iat, "exp": iat + 120, "jti": "bWJq",
				"sid": "08a5019c", "events": map[string]any{vocab.BackchannelLogoutEvent: map[string]any{}}},
			kind: vocab.LogoutToken, certainty: CertaintyDeclared, headline: "Logout token — header typ is logout+jwt",
			checks: []func(*testing.T, Explanation){guide(steps, "Check iss, aud, iat and exp as for an ID token")},
		},
		{
			name:   "an SD-JWT",
			header: map[string]any{"alg": "ES256", "typ": "example+sd-jwt"},
			payload: map[string]any{"iss": "https://issuer.example.com", "iat": iat, "exp": exp, "_sd_alg": "sha-256",
				"_sd": []string{"CrQe7S5kqBAHt-nMYXgc6bdt2SH5aTY1sU_M-PgkjPI"}},
			kind: vocab.SDJWT, certainty: CertaintyDeclared, headline: "SD-JWT — header typ is example+sd-jwt",
			checks: []func(*testing.T, Explanation){guide(summary, "(RFC 9901 §4)")},
		},
		{
			name:   "an SD-JWT VC",
			header: map[string]any{"alg": "ES256", "typ": "dc+sd-jwt"},
			payload: map[string]any{"iss": "https://example.com/issuer", "iat": iat, "vct": "https://credentials.example.com/identity_credential",
				"_sd_alg": "sha-256", "_sd": []string{"09vKrJMOlyTWM0sjpu_pdOBVBQ2M1y3KhpH515nXkpY"}},
			kind: vocab.SDJWTVC, certainty: CertaintyDeclared, headline: "SD-JWT VC — header typ is dc+sd-jwt",
			checks: []func(*testing.T, Explanation){guide(summary, "a vct claim naming the credential type")},
		},
		{
			name:   "a JWE says how it is encrypted",
			format: "JWE",
			header: map[string]any{"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": "JWT", "kid": "k"},
			kind:   vocab.Unknown, certainty: CertaintyUnclear,
			headline: "Encrypted token (JWE) — RSA-OAEP-256 key management, A256GCM content encryption",
			checks: []func(*testing.T, Explanation){
				func(t *testing.T, e Explanation) {
					enc := e.Encryption
					if enc == nil || !enc.Nested || enc.AlgMeaning == "" || enc.EncMeaning == "" || !strings.Contains(enc.Note, "an encrypted token — decrypt it to see its kind") {
						t.Errorf("encryption = %+v", enc)
					}
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			format, payload := tt.format, json.RawMessage("null")
			if format == "" {
				format = "JWS"
			}
			if tt.payload != nil {
				payload = jsonOf(t, tt.payload)
			}
			e := Explain(Input{Format: format, Header: jsonOf(t, tt.header), Payload: payload, Now: displayNow})
			if e.Kind != tt.kind || e.Certainty != tt.certainty || e.Purpose.Kind != e.Kind {
				t.Errorf("kind %s (%s), purpose %s; want %s (%s); signals %q", e.Kind, e.Certainty, e.Purpose.Kind, tt.kind, tt.certainty, e.Signals)
			}
			if !strings.HasPrefix(e.Headline, tt.headline) {
				t.Errorf("headline %q, want it to start %q", e.Headline, tt.headline)
			}
			if e.Format != format {
				t.Errorf("format %q, want %q", e.Format, format)
			}
			for _, f := range e.Findings {
				if f.Severity == SeverityError {
					t.Errorf("error finding on a well-formed token: %+v", f)
				}
			}
			for _, check := range tt.checks {
				check(t, e)
			}
		})
	}
}

// TestCatalogLessons: catalog entries that used to be wrong say what
// their source says.
func TestCatalogLessons(t *testing.T) {
	tests := []struct {
		where, name, value, want string
	}{
		{"payload", "uti", "", "the token identifier, equivalent to jti"},
		{"payload", "rh", "", "revalidate tokens"},
		{"payload", "ver", "", "accessTokenAcceptedVersion"},
		{"payload", "azp", "", "errata set 2"},
		{"header", "nonce", "", "only Graph can validate them"},
		{"payload", "acr", "phr", "OpenID Connect EAP ACR Values 1.0"},
		{"payload", "acr", "phrh", "OpenID Connect EAP ACR Values 1.0"},
		{"header", "typ", "trust-mark+jwt", "OpenID Federation"},
		{"header", "typ", "client-authentication+jwt", "rfc7523bis"},
	}
	c := loadCatalog()
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.value, func(t *testing.T) {
			e := c.lookup(tt.where, tt.name)
			if e == nil {
				t.Fatal("missing")
			}
			got := e.Meaning
			if tt.value != "" {
				got = e.Values[tt.value]
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("%q lacks %q", got, tt.want)
			}
		})
	}
}

// b64 is base64url without padding, for building tokens in tests.
func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
