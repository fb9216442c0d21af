// Package dpop mints and verifies DPoP proofs (OAuth 2.0 Demonstrating
// Proof of Possession, RFC 9449) on top of package token's JWS pieces.
//
// A DPoP proof is a JWT a client signs for one HTTP request with a key
// whose public half it carries in the jwk header (§4.2); an access token
// bound to that key names its RFC 7638 thumbprint in cnf.jkt (§6.1), which
// token.Mint adds for an access token with token.MintOptions.DPoPKey.
//
//   - [Mint] makes a proof for a request (htm, htu, iat, a random jti;
//     ath for an access token, nonce when the server sent one).
//   - [Verify] checks a proof by RFC 9449 §4.3 and, given the access
//     token, the binding (§6.1, §7.1), in token's verdict model. It needs
//     no key: the proof carries it.
//
// Verify is stateless: it cannot see a replayed proof (the same jti twice
// within the window). Replay detection is the server's job (§11.1): it
// remembers the jtis it accepted until their iat leaves the window.
package dpop
