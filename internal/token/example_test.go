package token_test

import (
	"encoding/json"
	"fmt"
	"time"

	"tokenlab/internal/token"
	"tokenlab/internal/vocab"
)

// RFC 7515 Appendix A.4 (ES512 over the text "Payload") and its key.
const (
	es512Token = "eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA.AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn"
	es512Key   = `{"kty":"EC","crv":"P-521","x":"AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk","y":"ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2"}`
	// RFC 7515 Appendix A.1: HS256 with an oct JWK.
	hs256Token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	hs256Key   = `{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}`
)

func ExampleDecode() {
	d, err := token.Decode("Bearer " + hs256Token)
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Format)
	fmt.Println(string(d.Header))
	fmt.Println(string(d.Payload))
	fmt.Println(d.Warnings[0])
	// Output:
	// JWS
	// {"typ":"JWT","alg":"HS256"}
	// {"iss":"joe","exp":1300819380,"http://example.com/is_root":true}
	// a leading "Bearer " was stripped: it is the HTTP Authorization scheme (RFC 6750 §2.1), not part of the token
}

func ExampleVerify() {
	res, err := token.Verify(hs256Token, token.VerifyOptions{Key: token.KeyInput(hs256Key), Issuer: "joe", Now: time.Unix(1300819380, 0)})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Verdict+":", res.Summary)
	for _, c := range res.Checks {
		fmt.Printf("%s %s: %s [%s]\n", c.ID, c.Status, c.Message, c.Ref)
	}
	// Output:
	// invalid: Not valid: 1 of 4 checks failed (exp)
	// alg pass: alg HS256 fits a 64-byte secret [RFC 8725 §3.1]
	// signature pass: the HS256 signature is valid for a 64-byte secret [RFC 7515 §5.2]
	// exp fail: the token expired at 2011-03-22T18:43:00Z, 0 seconds before now (2011-03-22T18:43:00Z). Get a new token (use the refresh token or sign in again) [RFC 7519 §4.1.4]
	// iss pass: the issuer is "joe", as expected [RFC 7519 §4.1.1]
}

func ExampleVerify_textPayload() {
	res, err := token.Verify(es512Token, token.VerifyOptions{Key: token.KeyInput(es512Key)})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Valid, string(res.Payload), len(res.Checks))
	// Output:
	// true "Payload" 2
}

func ExampleImportKey() {
	// The example key of RFC 7638 §3.1.
	k, err := token.ImportKey(`{"kty":"RSA","e":"AQAB","alg":"RS256","kid":"2011-04-29","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"}`, token.ImportOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println(k.Kty, k.Alg, k.Kid, k.Thumbprint)
	// Output:
	// RSA RS256 2011-04-29 NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs
}

func ExampleGenerateKey() {
	k, err := token.GenerateKey(token.GenerateOptions{Alg: "ES384"})
	if err != nil {
		panic(err)
	}
	var jwk struct{ Kty, Crv, Alg, Use string }
	if err := json.Unmarshal(k.PublicJWK, &jwk); err != nil {
		panic(err)
	}
	fmt.Println(jwk.Kty, jwk.Crv, jwk.Alg, jwk.Use, k.Kid == k.Thumbprint)
	// Output:
	// EC P-384 ES384 sig true
}

func ExampleMint() {
	m, err := token.Mint(token.MintOptions{
		Kind:   vocab.IDToken,
		Key:    token.KeyInput(hs256Key),
		Claims: json.RawMessage(`{"sub":"alice","auth_time":null}`),
		Now:    time.Unix(1700000000, 0),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(m.Header))
	fmt.Println(string(m.Payload))
	res, err := token.Verify(m.Token, token.VerifyOptions{Key: token.KeyInput(hs256Key), Kind: vocab.IDToken, Audience: "s6BhdRkqt3", Now: time.Unix(1700000060, 0)})
	if err != nil {
		panic(err)
	}
	fmt.Println("valid:", res.Valid)
	// Output:
	// {"alg":"HS256","typ":"JWT","kid":"y_x3gCJnL6oKGBBIXScabduwxTVy2Wd2bzRVEUbdUzc"}
	// {"iss":"https://server.example.com","sub":"alice","aud":"s6BhdRkqt3","exp":1700003600,"iat":1700000000,"nonce":"n-0S6_WzA2Mj"}
	// valid: true
}

func ExampleDecrypt() {
	// A 256-bit AES key-wrapping key as an oct JWK.
	const kek = `{"kty":"oct","k":"GawgguFyGrWKav7AX4VKUg2HLqY0UyYfB-5MCIRl0O0"}`
	m, err := token.Mint(token.MintOptions{
		Kind:    vocab.IDToken,
		Key:     token.KeyInput(hs256Key),
		Now:     time.Unix(1700000000, 0),
		Encrypt: &token.EncryptOptions{Key: token.KeyInput(kek), Alg: "A256KW", Enc: "A128CBC-HS256"},
	})
	if err != nil {
		panic(err)
	}
	d, err := token.Decrypt(m.Token, token.DecryptOptions{Key: token.KeyInput(kek)})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(d.Header))
	fmt.Println(d.Nested.Format, string(d.Nested.Payload) == string(m.Payload))
	// Output:
	// {"alg":"A256KW","cty":"JWT","enc":"A128CBC-HS256"}
	// JWS true
}
