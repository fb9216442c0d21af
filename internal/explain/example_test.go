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
	// The API, in the Authorization header (Authorization: Bearer …, or DPoP … with a DPoP proof when cnf.jkt is present). Never in a URL.
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
	fmt.Println(c.Kind, c.Confidence)
	fmt.Println(c.Signals[0])
	// Output:
	// jwt 0.85
	// aud is a token endpoint (https://as.example.com/oauth2/token): an assertion the client sends to an authorization server (RFC 7523), not a token issued to an app
}

func ExamplePurposes() {
	for _, p := range explain.Purposes() {
		fmt.Printf("%s: %s\n", p.Title, p.ValidatedBy)
	}
	// Output:
	// ID token: Your client app, once, when it receives the token, before trusting any claim in it.
	// Access token: The API, on every request, before acting on it.
	// Refresh token: The authorization server, when the client uses it: signature with its own key, the session still active, the same client.
	// Logout token: Your app's back end, when it receives the POST, before ending any session.
	// Other JWT: The recipient, with the rules of the profile it belongs to (for assertions, RFC 7523 §3).
	// Unknown token: Whoever its issuer intended, with the rules of that kind of token.
}
