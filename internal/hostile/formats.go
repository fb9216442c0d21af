package hostile

import (
	"crypto/sha256"
	"encoding/json"
	"strings"
	"testing"

	"tokenlab/internal/testvectors"
	"tokenlab/internal/token"
)

// formatCases are the hostile SD-JWTs (RFC 9901) and DPoP proofs (RFC
// 9449): parts that are not what they claim to be, disclosures built to
// smuggle a claim in or to be read two ways, presentations altered after
// the holder signed them, and proofs with keys and algorithms an attacker
// chooses. Issuers sign with the P-256 key of the shared fixtures, holders
// and clients with the Ed25519 one; a thief has a fresh Ed25519 key, and
// "another kind of key" is the RSA one.
func formatCases(t testing.TB) []Case {
	issuer := fixtureKey(t, "ec-p256.sec1.pem")
	holder := fixtureKey(t, "ed25519.pkcs8.pem")
	other := fixtureKey(t, "rsa-2048.pkcs1.pem")
	thief, err := token.GenerateKey(token.GenerateOptions{Alg: "EdDSA"})
	if err != nil {
		t.Fatalf("hostile: %v", err)
	}
	sign := func(key *token.Key, header, payload string) string {
		m, err := token.Sign(token.SignOptions{Key: string(key.PrivateJWK), Header: json.RawMessage(header), Payload: []byte(payload)})
		if err != nil {
			t.Fatalf("hostile: signing %s: %v", payload, err)
		}
		return m.Token
	}
	given := b64url([]byte(`["salt-given","given_name","Alice"]`))
	family := b64url([]byte(`["salt-family","family_name","Smith"]`))
	admin := b64url([]byte(`["salt-admin","_sd",["x"]]`))
	fourParts := b64url([]byte(`["s","n","v","w"]`))
	cnf := `"cnf":{"jwk":` + string(holder.PublicJWK) + `}`
	issued := func(extra string) string {
		return sign(issuer, `{"typ":"example+sd-jwt"}`, `{"iss":"https://issuer.example","iat":1699999000,"exp":1800000000,"_sd_alg":"sha-256"`+extra+`}`)
	}
	bound := issued(`,"_sd":["` + sdDigest(given) + `","` + sdDigest(family) + `"],` + cnf)
	presented := bound + "~" + given + "~" + family + "~"
	kb := func(key *token.Key, presentation string) string {
		return sign(key, `{"typ":"kb+jwt"}`, `{"nonce":"n-1","aud":"https://verifier.example","iat":1700000000,"sd_hash":"`+sdDigest(presentation)+`"}`)
	}
	sdOptions := func(extra map[string]any) map[string]any {
		o := map[string]any{"key": issuer.PublicJWK, "issuer": "https://issuer.example", "audience": "https://verifier.example", "nonce": "n-1", "now": Now}
		for k, v := range extra {
			o[k] = v
		}
		return o
	}
	deep := b64url([]byte(`["s","deep",` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `]`))

	proofPayload := `{"jti":"j-1","htm":"POST","htu":"https://server.example.com/token","iat":1700000000}`
	proof := func(key *token.Key, header string) string {
		return sign(key, header, proofPayload)
	}
	holderJWK := string(holder.PublicJWK)
	dpopOptions := map[string]any{"kind": "dpop_proof", "htm": "POST", "htu": "https://server.example.com/token", "now": Now}
	goodProof := proof(holder, `{"typ":"dpop+jwt","jwk":`+holderJWK+`}`)

	return []Case{
		// SD-JWTs whose parts are not what they claim to be.
		{Name: "SD-JWT: a disclosure of four elements", Method: "decode", Args: args(issued("") + "~" + fourParts + "~"), Code: "malformed", Msg: []string{"disclosure 1 (part 2)", "2 or 3 elements"}, Pasteable: true},
		{Name: "SD-JWT: a JWE before the ~", Method: "decode", Args: args("eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aaaa.bbbb.cccc~"), Code: "malformed", Msg: []string{"is a jwe"}, Pasteable: true},
		{Name: "SD-JWT: two ~ in a row", Method: "decode", Args: args(issued("") + "~~"), Code: "malformed", Msg: []string{"two ~ in a row"}, Pasteable: true},
		{Name: "SD-JWT: the final ~ cut off", Method: "decode", Args: args(bound + "~" + given), Code: "malformed", Msg: []string{"final ~ cut off"}, Pasteable: true},
		{Name: "SD-JWT: a disclosure that is a JWT", Method: "explain", Args: args(bound + "~" + goodProof + "~"), Code: "malformed", Msg: []string{"disclosure 1", "only the last part"}, Pasteable: true},
		{Name: "SD-JWT: _sd_alg twice", Method: "decode", Args: args(issued(`,"_sd_alg":"md5"`) + "~"), Code: "malformed", Msg: []string{"duplicate", "_sd_alg"}, Pasteable: true},
		{Name: "SD-JWT: an unknown _sd_alg", Method: "decode", Args: args(sign(issuer, `{}`, `{"_sd_alg":"md5"}`) + "~"), Code: "unsupported", Msg: []string{`"md5"`, "sha-256"}, Pasteable: true},
		{Name: "SD-JWT: a disclosure nested 5000 levels", Browser: inWorkerStack, Method: "decode", Args: args(issued("") + "~" + deep + "~"), Code: "malformed", Msg: []string{"disclosure 1", "nested more than 100 levels"}, Pasteable: true},

		// SD-JWTs that smuggle claims in or break the digest rules.
		{Name: "SD-JWT: a disclosure named _sd", Method: "verify", Args: args(issued(`,"_sd":["`+sdDigest(admin)+`"]`)+"~"+admin+"~", sdOptions(nil)), Check: wantCheck(false, "claim_names", false, `"_sd"`, "reserved")},
		{Name: "SD-JWT: one digest twice", Method: "verify", Args: args(issued(`,"_sd":["`+sdDigest(given)+`"],"again":{"_sd":["`+sdDigest(given)+`"]}`)+"~"+given+"~", sdOptions(nil)), Check: wantCheck(false, "digests", false, "more than once")},
		{Name: "SD-JWT: a disclosure the issuer never signed", Method: "verify", Args: args(issued("")+"~"+given+"~", sdOptions(nil)), Check: wantCheck(false, "disclosures", false, "referenced by no digest")},
		{Name: "SD-JWT: issued with an HMAC secret", Method: "verify", Args: args(JWS(`{"alg":"HS256"}`, `{"iss":"https://issuer.example","exp":1800000000}`)+"~", sdOptions(map[string]any{"key": Secret})), Check: wantCheck(false, "issuer_key", false, "forge")},

		// Presentations altered after the holder signed them.
		{Name: "SD-JWT+KB: a disclosure dropped", Method: "verify", Args: args(bound+"~"+given+"~"+kb(holder, presented), sdOptions(nil)), Check: wantCheck(false, "sd_hash", false, "disclosures were added or removed")},
		{Name: "SD-JWT+KB: signed by another key", Method: "verify", Args: args(presented+kb(thief, presented), sdOptions(nil)), Check: wantCheck(false, "kb_signature", false, "signature")},
		{Name: "SD-JWT+KB: signed by another kind of key", Method: "verify", Args: args(presented+kb(other, presented), sdOptions(nil)), Check: wantCheck(false, "kb_alg", false, "RS256", "Ed25519")},
		{Name: "SD-JWT+KB: replayed to another verifier", Method: "verify", Args: args(presented+kb(holder, presented), sdOptions(map[string]any{"audience": "https://other-verifier.example"})), Check: wantCheck(false, "kb_aud", false, "another verifier")},
		{Name: "SD-JWT+KB: as the holder made it", Method: "verify", Args: args(presented+kb(holder, presented), sdOptions(nil)), Check: wantCheck(true, "sd_hash", true)},
		{Name: "SD-JWT: key binding stripped", Method: "verify", Args: args(presented, sdOptions(nil)), Check: wantCheck(false, "key_binding", false, "nonce")},

		// DPoP proofs with keys and algorithms an attacker chooses.
		{Name: "DPoP: a private key in jwk", Method: "verify", Args: args(proof(holder, `{"typ":"dpop+jwt","jwk":`+string(holder.PrivateJWK)+`}`), dpopOptions), Check: wantCheck(false, "jwk", false, "private key")},
		{Name: "DPoP: alg none", Method: "verify", Args: args(b64url([]byte(`{"typ":"dpop+jwt","alg":"none","jwk":`+holderJWK+`}`))+"."+b64url([]byte(proofPayload))+".", dpopOptions), Check: wantCheck(false, "alg", false, "unsigned")},
		{Name: "DPoP: HS256 with a shared secret", Method: "verify", Args: args(JWS(`{"typ":"dpop+jwt","alg":"HS256","jwk":`+holderJWK+`}`, proofPayload), dpopOptions), Check: wantCheck(false, "alg", false, "MAC")},
		{Name: "DPoP: jwk of one key, signed by another", Method: "verify", Args: args(proof(thief, `{"typ":"dpop+jwt","jwk":`+holderJWK+`}`), dpopOptions), Check: wantCheck(false, "signature", false)},
		{Name: "DPoP: jwk of one key, signed by another kind", Method: "verify", Args: args(proof(other, `{"typ":"dpop+jwt","jwk":`+holderJWK+`}`), dpopOptions), Check: wantCheck(false, "alg", false, "RS256", "Ed25519")},
		{Name: "DPoP: a proof for another host", Method: "verify", Args: args(goodProof, map[string]any{"kind": "dpop_proof", "htm": "POST", "htu": "https://evil.example/token", "now": Now}), Check: wantCheck(false, "htu", false, "another URL")},
		{Name: "DPoP: a replayed proof", Method: "verify", Args: args(goodProof, dpopOptions), Check: wantCheck(true, "jti", true, "cannot see a replay")},
		{Name: "DPoP: two proofs in one header", Method: "verify", Args: args(goodProof+", "+goodProof, dpopOptions), Code: "malformed", Msg: []string{"more than one value"}},
		{Name: "DPoP proof explained", Method: "explain", Args: args(goodProof), Check: func(t testing.TB, raw json.RawMessage) {
			if e := decodeInto[explainResult](t, raw); e.Kind != "dpop_proof" {
				t.Errorf("kind = %s, want dpop_proof", e.Kind)
			}
		}, Pasteable: true},
	}
}

// fixtureKey imports a key of the shared fixtures.
func fixtureKey(t testing.TB, name string) *token.Key {
	t.Helper()
	k, err := token.ImportKey(string(testvectors.Fixture(t, name)), token.ImportOptions{})
	if err != nil {
		t.Fatalf("hostile: %s: %v", name, err)
	}
	return k
}

// sdDigest is an SD-JWT digest with sha-256 (RFC 9901 §4.2.3): of a
// disclosure, or of a presentation for sd_hash (§4.3.1).
func sdDigest(text string) string {
	sum := sha256.Sum256([]byte(text))
	return b64url(sum[:])
}
