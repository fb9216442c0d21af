package explain_test

import (
	"encoding/json"
	"fmt"
	"time"

	"tokenlab/internal/explain"
)

func ExampleExplain() {
	e := explain.Explain(explain.Input{
		Format:  "JWS",
		Header:  json.RawMessage(`{"alg":"RS256","typ":"at+jwt","kid":"k1"}`),
		Payload: json.RawMessage(`{"iss":"https://as.example.com","aud":"https://api.example.com","client_id":"s6BhdRkqt3","scope":"openid email","exp":1714560120}`),
		Now:     time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC),
	})
	fmt.Println(e.Kind, e.Confidence, e.Signals)
	fmt.Println(e.Purpose.SendTo)
	for _, c := range e.Claims {
		if c.Where == "payload" {
			fmt.Printf("%s: %s\n", c.Name, c.Display)
		}
	}
	fmt.Println(len(e.Findings), "findings")
	// Output:
	// access_token 0.95 [header typ is at+jwt (RFC 9068 JWT access token)]
	// The API, in the Authorization header (Authorization: Bearer …, RFC 6750 §2.1; or DPoP … with a DPoP proof when cnf.jkt is present, RFC 9449 §7.1). Never in a URL (RFC 6750 §5.3).
	// iss: https://as.example.com
	// aud: https://api.example.com
	// client_id: s6BhdRkqt3
	// scope: openid, email
	// exp: 2024-05-01T10:42:00Z (in 42 minutes)
	// 0 findings
}

func ExampleClassify() {
	// A private_key_jwt client assertion (RFC 7523): the client signs it and
	// sends it to the token endpoint. It is not a token issued to the app.
	c := explain.Classify(
		json.RawMessage(`{"alg":"RS256","kid":"client-key"}`),
		json.RawMessage(`{"iss":"s6BhdRkqt3","sub":"s6BhdRkqt3","aud":"https://as.example.com/oauth2/token","jti":"a1","exp":1714557900}`),
	)
	fmt.Println(c.Kind, c.Certainty, c.Confidence, c.RuleKind)
	fmt.Println(c.Signals[0])
	// Output:
	// client_assertion likely 0.9 jwt
	// iss equals sub and aud is a token endpoint (https://as.example.com/oauth2/token): a client authenticating with its own JWT (RFC 7523 §3, private_key_jwt)
}

func ExampleExplainOpaque() {
	// RFC 6749 §1.4's example access token is not a JWT: it is explained,
	// not rejected as a copy mistake.
	e, ok := explain.ExplainOpaque("Bearer 2YotnFZFEjr1zCsicMWpAA")
	fmt.Println(ok, e.Kind, e.Format, e.Certainty)
	fmt.Println(e.Headline)
	for _, f := range e.Findings {
		fmt.Println(f.Severity, f.ID)
	}
	_, ok = explain.ExplainOpaque("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0") // a JWT cut off
	fmt.Println(ok)
	// Output:
	// true opaque_access_token opaque likely
	// Opaque access token — not a JWT: only its issuer can read it
	// info input-bearer
	// false
}

func ExamplePurposes() {
	for _, p := range explain.Purposes() {
		fmt.Printf("%s (%s): %s\n", p.Title, p.Kind, p.SendTo)
	}
	// Output:
	// ID token (id_token): Only the party named in aud. For a sign-in that is your client, so the token stays in your app; you may also send it back to the same provider as id_token_hint (OIDC Core §3.1.2.1). Workload identity tokens, which name a service in aud, are the other case: see that guide.
	// Access token (access_token): The API, in the Authorization header (Authorization: Bearer …, RFC 6750 §2.1; or DPoP … with a DPoP proof when cnf.jkt is present, RFC 9449 §7.1). Never in a URL (RFC 6750 §5.3).
	// Opaque access token (opaque_access_token): The API, in the Authorization header (Authorization: Bearer …, RFC 6750 §2.1). Never in a URL (RFC 6750 §5.3).
	// Refresh token (refresh_token): Only the issuer's token endpoint, with grant_type=refresh_token, over TLS (RFC 6749 §6).
	// Logout token (logout_token): Nowhere: the provider sends it to you, server to server.
	// Workload identity token (workload_identity): The service named in aud, usually once: to exchange it at a security token service (RFC 8693 §2.1) or in the Authorization header of a call to that service.
	// Client assertion (client_assertion): The authorization server's token endpoint, once, as client_assertion (or as assertion with grant_type urn:ietf:params:oauth:grant-type:jwt-bearer).
	// DPoP proof (dpop_proof): The DPoP header of exactly one HTTP request, next to Authorization: DPoP <access token> when calling an API (RFC 9449 §7.1).
	// Request object (request_object): The authorization endpoint, in the request parameter, or fetched by the server from request_uri (RFC 9101 §5).
	// Security event token (security_event): The receiver, pushed to its endpoint (RFC 8935) or collected by polling (RFC 8936).
	// SD-JWT (sd_jwt): The verifier the holder chooses, with only the disclosures needed and, with key binding, a KB-JWT whose aud and nonce bind it to that verifier.
	// SD-JWT VC (sd_jwt_vc): Verifiers the holder chooses, with only the claims needed, for example through OpenID for Verifiable Presentations.
	// JWT (jwt): Only where its issuer's documentation says it belongs, and only to the party in aud (RFC 7519 §4.1.3).
	// Unknown token (unknown): Only where the issuer's documentation says it belongs.
}
