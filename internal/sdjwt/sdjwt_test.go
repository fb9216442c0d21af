package sdjwt

import (
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"tokenlab/internal/token"
	"tokenlab/internal/vocab"
)

var issuedAt = time.Unix(1700000000, 0)

func genKey(t *testing.T, alg string) *token.Key {
	t.Helper()
	k, err := token.GenerateKey(token.GenerateOptions{Alg: alg})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func statusOf(checks []token.Check, id string) token.Status {
	for _, c := range checks {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

func processedOf(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestIssuePresentVerify is the whole journey: issue with the defaults,
// present two claims with key binding, verify.
func TestIssuePresentVerify(t *testing.T) {
	issuer, holder := genKey(t, "ES256"), genKey(t, "EdDSA")
	issued, err := Issue(IssueOptions{Key: token.KeyInput(issuer.PrivateJWK), HolderKey: token.KeyInput(holder.PrivateJWK), Decoys: 2, Now: issuedAt})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(issued.Token, "~") || len(issued.Disclosures) != 9 {
		t.Fatalf("issued %d disclosures: %s", len(issued.Disclosures), issued.Token)
	}
	if !strings.HasPrefix(string(issued.Header), `{"alg":"ES256","kid":"`+issuer.Kid+`","typ":"example+sd-jwt"}`) {
		t.Errorf("header = %s", issued.Header)
	}
	var payload struct {
		SD    []string `json:"_sd"`
		SDAlg string   `json:"_sd_alg"`
		Cnf   struct {
			JWK map[string]any `json:"jwk"`
		} `json:"cnf"`
		Sub string `json:"sub"`
	}
	if err := json.Unmarshal(issued.Payload, &payload); err != nil {
		t.Fatal(err)
	}
	if len(payload.SD) != 11 || !sort.StringsAreSorted(payload.SD) || payload.SDAlg != "sha-256" || payload.Sub != "user_42" {
		t.Errorf("payload = %s: want 9 digests and 2 decoys, sorted", issued.Payload)
	}
	if payload.Cnf.JWK["x"] == nil || payload.Cnf.JWK["d"] != nil || payload.Cnf.JWK["kid"] != nil {
		t.Errorf("cnf.jwk = %v, want the holder's public key only", payload.Cnf.JWK)
	}
	salts := map[string]bool{}
	for _, d := range issued.Disclosures {
		if len(d.Salt) != 22 || salts[d.Salt] {
			t.Errorf("salt %q: want 128 random bits, unique", d.Salt)
		}
		salts[d.Salt] = true
	}

	presented, err := Present(issued.Token, PresentOptions{Disclose: []string{"given_name", "/address"}, HolderKey: token.KeyInput(holder.PrivateJWK), Audience: "https://verifier.example", Nonce: "n-123", Now: issuedAt.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if len(presented.Disclosures) != 2 || presented.KB == nil || len(presented.Warnings) != 0 {
		t.Fatalf("presented %+v", presented)
	}
	v, err := Verify(presented.Token, VerifyOptions{Key: token.KeyInput(issuer.PublicJWK), Issuer: "https://issuer.example.com", Audience: "https://verifier.example", Nonce: "n-123", RequireKeyBinding: true, Now: issuedAt.Add(time.Hour + time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if v.Verdict != token.VerdictValid {
		t.Fatalf("%s\n%s", v.Summary, checkList(v.Checks))
	}
	got := processedOf(t, v.Processed)
	if got["given_name"] != "John" || got["address"] == nil || got["email"] != nil || v.Undisclosed != 9 {
		t.Errorf("processed = %s, undisclosed %d", v.Processed, v.Undisclosed)
	}

	// The same presentation checked by a verifier that gave nothing to
	// compare: valid, but not complete.
	v, err = Verify(presented.Token, VerifyOptions{Key: token.KeyInput(issuer.PublicJWK), Now: issuedAt.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if v.Verdict != token.VerdictIncomplete || strings.Join(v.Missing, ",") != "iss,aud,nonce" {
		t.Errorf("verdict %s, missing %v: %s", v.Verdict, v.Missing, v.Summary)
	}
}

// TestNestedDisclosures issues recursive and array-element disclosures and
// presents parts of them.
func TestNestedDisclosures(t *testing.T) {
	issuer := genKey(t, "ES256")
	claims := `{"address":{"street_address":"Schulstr. 12","locality":"Schulpforta"},"nationalities":["DE","FR","UK"],"a/b":{"c~d":1}}`
	issued, err := Issue(IssueOptions{Key: token.KeyInput(issuer.PrivateJWK), Claims: json.RawMessage(claims), Now: issuedAt,
		Disclose: []string{"/address", "/address/street_address", "/address/locality", "/nationalities/1", "/a~1b/c~0d"}})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, d := range issued.Disclosures {
		paths = append(paths, d.Path)
	}
	if strings.Join(paths, " ") != "/address/street_address /address/locality /address /nationalities/1 /a~1b/c~0d" {
		t.Errorf("paths = %v", paths)
	}
	tests := []struct {
		disclose []string
		want     string
	}{
		{nil, `{"nationalities":["DE","UK"],"a/b":{}}`},
		{[]string{"/address/street_address"}, `{"nationalities":["DE","UK"],"a/b":{},"address":{"street_address":"Schulstr. 12"}}`},
		{[]string{"address"}, `{"nationalities":["DE","UK"],"a/b":{},"address":{"locality":"Schulpforta","street_address":"Schulstr. 12"}}`},
		{[]string{"/nationalities/1", "/a~1b/c~0d"}, `{"nationalities":["DE","FR","UK"],"a/b":{"c~d":1}}`},
	}
	for _, tc := range tests {
		p, err := Present(issued.Token, PresentOptions{Disclose: tc.disclose})
		if err != nil {
			t.Fatal(err)
		}
		d, err := Decode(p.Token)
		if err != nil {
			t.Fatal(err)
		}
		got := processedOf(t, d.Processed)
		delete(got, "iss")
		delete(got, "iat")
		delete(got, "exp")
		var want map[string]any
		_ = json.Unmarshal([]byte(tc.want), &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("disclose %v: processed %s, want %s", tc.disclose, d.Processed, tc.want)
		}
	}
	if _, err := Present(issued.Token, PresentOptions{Disclose: []string{"/nope"}}); !errors.Is(err, token.ErrBadRequest) {
		t.Errorf("disclosing a claim that does not exist: %v", err)
	}
	p, err := Present(issued.Token, PresentOptions{Disclose: []string{"iss"}})
	if err != nil || len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "plain text") {
		t.Errorf("disclosing a plain claim: %v %v", err, p)
	}
}

func TestIssueRefuses(t *testing.T) {
	ec := genKey(t, "ES256")
	key := token.KeyInput(ec.PrivateJWK)
	tests := []struct {
		name string
		opts IssueOptions
		want error
	}{
		{"no key", IssueOptions{}, token.ErrBadRequest},
		{"hmac", IssueOptions{Key: "a-shared-secret-of-32-bytes-or-more!!"}, token.ErrBadKey},
		{"public key", IssueOptions{Key: token.KeyInput(ec.PublicJWK)}, token.ErrBadKey},
		{"claims not an object", IssueOptions{Key: key, Claims: json.RawMessage(`[1]`)}, token.ErrBadRequest},
		{"reserved _sd", IssueOptions{Key: key, Claims: json.RawMessage(`{"x":{"_sd":[]}}`)}, token.ErrBadRequest},
		{"unknown pointer", IssueOptions{Key: key, Disclose: []string{"/address/zip"}}, token.ErrBadRequest},
		{"bad index", IssueOptions{Key: key, Disclose: []string{"/nationalities/01"}}, token.ErrBadRequest},
		{"bad escape", IssueOptions{Key: key, Disclose: []string{"/a~2"}}, token.ErrBadRequest},
		{"cnf", IssueOptions{Key: key, HolderKey: key, Disclose: []string{"cnf"}}, token.ErrBadRequest},
		{"cnf twice", IssueOptions{Key: key, HolderKey: key, Claims: json.RawMessage(`{"cnf":{}}`)}, token.ErrBadRequest},
		{"hmac holder", IssueOptions{Key: key, HolderKey: "a-shared-secret-of-32-bytes-or-more!!"}, token.ErrBadKey},
		{"sd alg", IssueOptions{Key: key, SDAlg: "md5"}, token.ErrUnsupported},
		{"decoys", IssueOptions{Key: key, Decoys: -1}, token.ErrBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Issue(tc.opts); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestIssueVCAndHashes(t *testing.T) {
	ec := genKey(t, "ES256")
	for _, alg := range []string{"sha-384", "sha-512"} {
		issued, err := Issue(IssueOptions{Key: token.KeyInput(ec.PrivateJWK), VCT: "https://credentials.example.com/identity_credential", SDAlg: alg, Now: issuedAt})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(issued.Header), `"typ":"dc+sd-jwt"`) || !strings.Contains(string(issued.Payload), `"vct":"https://credentials.example.com/identity_credential"`) {
			t.Errorf("header %s payload %s", issued.Header, issued.Payload)
		}
		v, err := Verify(issued.Token, VerifyOptions{Key: token.KeyInput(ec.PublicJWK), Issuer: "https://issuer.example.com", Now: issuedAt})
		if err != nil {
			t.Fatal(err)
		}
		if !v.Valid || v.SDAlg != alg || len(v.Disclosures[0].Digest) != map[string]int{"sha-384": 64, "sha-512": 86}[alg] {
			t.Errorf("%s: %s %+v", alg, v.Summary, v.Disclosures[0])
		}
	}
}

// sign makes an issuer-signed JWT over exactly this payload.
func sign(t *testing.T, key *token.Key, payload string) string {
	t.Helper()
	m, err := token.Sign(token.SignOptions{Key: string(key.PrivateJWK), Payload: []byte(payload)})
	if err != nil {
		t.Fatal(err)
	}
	return m.Token
}

// disclosure encodes a disclosure array.
func disclosure(array string) string { return b64(array) }

func digestOf(d string) string { return digest(hashes["sha-256"], d) }

// TestHostile verifies SD-JWTs built to deceive: each fails the check
// named, and nothing else is mistaken for valid.
func TestHostile(t *testing.T) {
	issuer, holder, other := genKey(t, "ES256"), genKey(t, "ES256"), genKey(t, "ES256")
	now := issuedAt
	given := disclosure(`["s1","given_name","Alice"]`)
	sdClaim := disclosure(`["s2","_sd",["x"]]`)
	dots := disclosure(`["s3","...","x"]`)
	element := disclosure(`["s4","FR"]`)
	named := disclosure(`["s5","sub","mallory"]`)
	exp := disclosure(`["s6","exp",1600000000]`)
	cnf := `"cnf":{"jwk":` + string(mustPublic(t, holder)) + `}`
	type tc struct {
		name, sdjwt string
		opts        VerifyOptions
		fail        string
	}
	base := func(extra string) string {
		return `{"iss":"https://issuer.example.com","iat":1700000000,"sub":"alice"` + extra + `}`
	}
	cases := []tc{
		{"digest twice in _sd", sign(t, issuer, base(`,"_sd":["`+digestOf(given)+`","`+digestOf(given)+`"]`)) + "~" + given + "~", VerifyOptions{}, "digests"},
		{"digest in _sd and in an array", sign(t, issuer, base(`,"_sd":["`+digestOf(element)+`"],"n":[{"...":"`+digestOf(element)+`"}]`)) + "~" + element + "~", VerifyOptions{}, "digests"},
		{"disclosure presented twice", sign(t, issuer, base(`,"_sd":["`+digestOf(given)+`"]`)) + "~" + given + "~" + given + "~", VerifyOptions{}, "digests"},
		{"disclosure claims _sd", sign(t, issuer, base(`,"_sd":["`+digestOf(sdClaim)+`"]`)) + "~" + sdClaim + "~", VerifyOptions{}, "claim_names"},
		{"disclosure claims ...", sign(t, issuer, base(`,"_sd":["`+digestOf(dots)+`"]`)) + "~" + dots + "~", VerifyOptions{}, "claim_names"},
		{"disclosure replaces a plain claim", sign(t, issuer, base(`,"_sd":["`+digestOf(named)+`"]`)) + "~" + named + "~", VerifyOptions{}, "claim_names"},
		{"disclosure referenced nowhere", sign(t, issuer, base("")) + "~" + given + "~", VerifyOptions{}, "disclosures"},
		{"array element in _sd", sign(t, issuer, base(`,"_sd":["`+digestOf(element)+`"]`)) + "~" + element + "~", VerifyOptions{}, "disclosures"},
		{"property as array element", sign(t, issuer, base(`,"n":[{"...":"`+digestOf(given)+`"}]`)) + "~" + given + "~", VerifyOptions{}, "disclosures"},
		{"_sd not strings", sign(t, issuer, base(`,"_sd":[1]`)) + "~", VerifyOptions{}, "digests"},
		{"nested _sd_alg", sign(t, issuer, base(`,"x":{"_sd_alg":"sha-256"}`)) + "~", VerifyOptions{}, "sd_alg"},
		{"disclosed exp in the past", sign(t, issuer, base(`,"_sd":["`+digestOf(exp)+`"]`)) + "~" + exp + "~", VerifyOptions{}, "exp"},
		{"key binding required", sign(t, issuer, base(","+cnf)) + "~", VerifyOptions{RequireKeyBinding: true}, "key_binding"},
		{"nonce expected, no KB-JWT", sign(t, issuer, base("")) + "~", VerifyOptions{Nonce: "n"}, "key_binding"},
		{"wrong issuer key", sign(t, other, base("")) + "~", VerifyOptions{}, "signature"},
		{"HMAC issuer", hmacSigned(t, base("")) + "~", VerifyOptions{Key: hmacSecret}, "issuer_key"},
	}
	// Presentations with KB-JWTs, made by Present and then tampered with.
	issued := sign(t, issuer, base(`,"_sd":["`+digestOf(given)+`"],`+cnf)) + "~" + given + "~"
	withKB := func(key *token.Key, opts PresentOptions) string {
		opts.HolderKey = token.KeyInput(key.PrivateJWK)
		if opts.Now.IsZero() {
			opts.Now = now
		}
		p, err := Present(issued, opts)
		if err != nil {
			t.Fatal(err)
		}
		return p.Token
	}
	good := withKB(holder, PresentOptions{Disclose: []string{"given_name"}, Audience: "v", Nonce: "n"})
	kbOf := good[strings.LastIndex(good, "~")+1:]
	cases = append(cases,
		tc{"KB-JWT signed by another key", withKB(other, PresentOptions{Audience: "v", Nonce: "n"}), VerifyOptions{Audience: "v", Nonce: "n"}, "kb_signature"},
		tc{"disclosure dropped after signing", sign(t, issuer, base(`,"_sd":["`+digestOf(given)+`"],`+cnf)) + "~" + kbOf, VerifyOptions{}, "sd_hash"},
		tc{"KB-JWT too old", withKB(holder, PresentOptions{Now: now.Add(-time.Hour)}), VerifyOptions{}, "kb_iat"},
		tc{"KB-JWT for another verifier", good, VerifyOptions{Audience: "elsewhere", Nonce: "n"}, "kb_aud"},
		tc{"KB-JWT for another transaction", good, VerifyOptions{Audience: "v", Nonce: "other"}, "kb_nonce"},
		tc{"KB-JWT with another typ", strings.TrimSuffix(good, kbOf) + signKB(t, holder, `{"typ":"JWT"}`, `{"iat":1700000000,"aud":"v","nonce":"n","sd_hash":"x"}`), VerifyOptions{}, "kb_typ"},
		tc{"KB-JWT without cnf", sign(t, issuer, base("")) + "~" + signKB(t, holder, `{"typ":"kb+jwt"}`, `{"iat":1700000000,"aud":"v","nonce":"n"}`), VerifyOptions{}, "kb_signature"},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.opts.Key == "" {
				c.opts.Key = token.KeyInput(issuer.PublicJWK)
			}
			c.opts.Now = now
			v, err := Verify(c.sdjwt, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if v.Valid || statusOf(v.Checks, c.fail) != token.StatusFail {
				t.Errorf("valid %v, %s = %q; want %s to fail\n%s", v.Valid, c.fail, statusOf(v.Checks, c.fail), c.fail, checkList(v.Checks))
			}
		})
	}
	// The honest presentation passes, and cnf without a KB-JWT warns.
	v, err := Verify(good, VerifyOptions{Key: token.KeyInput(issuer.PublicJWK), Now: now, Audience: "v", Nonce: "n", Issuer: "https://issuer.example.com"})
	if err != nil || v.Verdict != token.VerdictValid {
		t.Fatalf("honest presentation: %v %s\n%s", err, v.Summary, checkList(v.Checks))
	}
	v, err = Verify(issued, VerifyOptions{Key: token.KeyInput(issuer.PublicJWK), Now: now})
	if err != nil || !v.Valid || statusOf(v.Checks, "key_binding") != token.StatusWarn {
		t.Errorf("cnf without KB-JWT: %v %s\n%s", err, v.Summary, checkList(v.Checks))
	}
}

const hmacSecret = "a-shared-secret-of-32-bytes-or-more!!"

func hmacSigned(t *testing.T, payload string) string {
	t.Helper()
	m, err := token.Sign(token.SignOptions{Key: hmacSecret, Payload: []byte(payload)})
	if err != nil {
		t.Fatal(err)
	}
	return m.Token
}

func mustPublic(t *testing.T, k *token.Key) json.RawMessage {
	t.Helper()
	jwk, err := publicJWK(string(k.PrivateJWK), "key")
	if err != nil {
		t.Fatal(err)
	}
	return encodeJSON(jwk)
}

func signKB(t *testing.T, key *token.Key, header, payload string) string {
	t.Helper()
	m, err := token.Sign(token.SignOptions{Key: string(key.PrivateJWK), Header: json.RawMessage(header), Payload: []byte(payload)})
	if err != nil {
		t.Fatal(err)
	}
	return m.Token
}

// TestMalformed: input that is not an SD-JWT is refused with an error
// naming the part.
func TestMalformed(t *testing.T) {
	jwt := "eyJhbGciOiJub25lIn0." + b64(`{"a":1}`) + "."
	jwe := "eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aaaa.bbbb.cccc"
	tests := []struct {
		name, input string
		want        error
		says        string
	}{
		{"empty", "", token.ErrMalformed, "empty"},
		{"no tilde", jwt, token.ErrMalformed, "has a ~"},
		{"only a tilde", "~", token.ErrMalformed, "issuer-signed JWT"},
		{"a~b~", "a~b~", token.ErrMalformed, "issuer-signed JWT"},
		{"JWE", jwe + "~", token.ErrMalformed, "is a JWE"},
		{"empty disclosure", jwt + "~~", token.ErrMalformed, "disclosure 1 (part 2) is empty"},
		{"bad base64", jwt + "~WyJh!~", token.ErrMalformed, "disclosure 1 (part 2) is not base64url"},
		{"truncated JSON", jwt + "~" + b64(`["s","n"`) + "~", token.ErrMalformed, "is not valid JSON"},
		{"four elements", jwt + "~" + b64(`["s","n","v","w"]`) + "~", token.ErrMalformed, "disclosure 1 (part 2) is not a JSON array of 2 or 3 elements ([salt, value] or [salt, claim name, value], RFC 9901 §4.2): it is an array of 4 elements"},
		{"one element", jwt + "~" + b64(`["s"]`) + "~", token.ErrMalformed, "an array of 1 element"},
		{"object", jwt + "~" + b64(`{"a":1}`) + "~", token.ErrMalformed, "it is an object"},
		{"salt not a string", jwt + "~" + b64(`[1,"n","v"]`) + "~", token.ErrMalformed, "salt"},
		{"name not a string", jwt + "~" + b64(`["s",1,"v"]`) + "~", token.ErrMalformed, "claim name"},
		{"duplicate member", jwt + "~" + b64(`["s","n",{"a":1,"a":2}]`) + "~", token.ErrMalformed, "duplicate"},
		{"final tilde missing", jwt + "~" + b64(`["s","n","v"]`), token.ErrMalformed, "was the final ~ cut off"},
		{"JWT in the middle", jwt + "~" + jwt + "~", token.ErrMalformed, "only the last part"},
		{"KB-JWT broken", jwt + "~a.b", token.ErrMalformed, "Key Binding JWT"},
		{"payload not an object", "eyJhbGciOiJub25lIn0." + b64(`[1]`) + ".~", token.ErrMalformed, "not a JSON object"},
		{"sd_alg unknown", "eyJhbGciOiJub25lIn0." + b64(`{"_sd_alg":"sha3-256"}`) + ".~", token.ErrUnsupported, "sha-256, sha-384 and sha-512"},
		{"sd_alg case", "eyJhbGciOiJub25lIn0." + b64(`{"_sd_alg":"SHA-256"}`) + ".~", token.ErrMalformed, "case-sensitive"},
		{"sd_alg truncated", "eyJhbGciOiJub25lIn0." + b64(`{"_sd_alg":"sha-256-32"}`) + ".~", token.ErrUnsupported, "truncated"},
		{"sd_alg not a string", "eyJhbGciOiJub25lIn0." + b64(`{"_sd_alg":1}`) + ".~", token.ErrMalformed, "not a string"},
		{"too deep", "eyJhbGciOiJub25lIn0." + b64(`{"a":`+strings.Repeat("[", 200)+strings.Repeat("]", 200)+`}`) + ".~", token.ErrMalformed, "nested"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(tc.input)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("err = %v, want %v saying %q", err, tc.want, tc.says)
			}
		})
	}
	if LooksLikeSDJWT(jwt) || LooksLikeSDJWT(jwe) || !LooksLikeSDJWT(jwt+"~") || LooksLikeSDJWT("~abc") {
		t.Error("LooksLikeSDJWT misjudges")
	}
}

// TestDeepDisclosureChain: disclosures nested in disclosures may not
// build a payload deeper than the engine can return.
func TestDeepDisclosureChain(t *testing.T) {
	inner := disclosure(`["s","v",1]`)
	all := []string{inner}
	for i := range 120 {
		inner = disclosure(`["s` + string(rune('a'+i%26)) + `","k",{"_sd":["` + digestOf(inner) + `"]}]`)
		all = append(all, inner)
	}
	sdjwt := "eyJhbGciOiJub25lIn0." + b64(`{"_sd":["`+digestOf(inner)+`"]}`) + ".~" + strings.Join(all, "~") + "~"
	if _, err := Decode(sdjwt); !errors.Is(err, token.ErrMalformed) || !strings.Contains(err.Error(), "levels deep") {
		t.Errorf("err = %v", err)
	}
}

// TestVerifyKinds: kind auto (or none) names the result by what the
// SD-JWT declares, sd_jwt_vc by typ dc+sd-jwt or a vct claim; a kind the
// caller gives names it; any other kind, or no key, is refused.
func TestVerifyKinds(t *testing.T) {
	ec := genKey(t, "ES256")
	key := token.KeyInput(ec.PrivateJWK)
	plain, err := Issue(IssueOptions{Key: key, Now: issuedAt})
	if err != nil {
		t.Fatal(err)
	}
	vc, err := Issue(IssueOptions{Kind: vocab.SDJWTVC, Key: key, Typ: "example+sd-jwt", Now: issuedAt})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(vc.Payload), `"vct":"`+DefaultVCT+`"`) {
		t.Errorf("an SD-JWT VC issued without vct: payload %s, want vct %s", vc.Payload, DefaultVCT)
	}
	tests := []struct {
		name, sdjwt             string
		kind, wantKind, wantAsk vocab.Kind
	}{
		{"plain, auto", plain.Token, "", vocab.SDJWT, vocab.Auto},
		{"vct, auto", vc.Token, vocab.Auto, vocab.SDJWTVC, vocab.Auto},
		{"plain as a VC", plain.Token, vocab.SDJWTVC, vocab.SDJWTVC, vocab.SDJWTVC},
		{"vct as an SD-JWT", vc.Token, vocab.SDJWT, vocab.SDJWT, vocab.SDJWT},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := Verify(tc.sdjwt, VerifyOptions{Key: key, Kind: tc.kind, Now: issuedAt})
			if err != nil {
				t.Fatal(err)
			}
			if v.Kind != tc.wantKind || v.Requested != tc.wantAsk || !strings.HasPrefix(v.Summary, "Signature verified") {
				t.Errorf("kind %s, requested %s, summary %q; want %s, %s", v.Kind, v.Requested, v.Summary, tc.wantKind, tc.wantAsk)
			}
		})
	}
	if _, err := Verify(plain.Token, VerifyOptions{Key: key, Kind: vocab.IDToken}); !errors.Is(err, token.ErrBadRequest) {
		t.Errorf("kind id_token: err = %v, want ErrBadRequest", err)
	}
	if _, err := Verify(plain.Token, VerifyOptions{}); !errors.Is(err, token.ErrBadRequest) {
		t.Errorf("no key: err = %v, want ErrBadRequest", err)
	}
	if _, err := Issue(IssueOptions{Kind: vocab.DPoPProof, Key: key}); !errors.Is(err, token.ErrBadRequest) {
		t.Errorf("Issue kind dpop_proof: err = %v, want ErrBadRequest", err)
	}
}

// TestMissingOnce: an aud both in the processed payload and in the KB-JWT,
// compared with nothing, is missing once, so the summary names it once.
func TestMissingOnce(t *testing.T) {
	issuer, holder := genKey(t, "ES256"), genKey(t, "ES256")
	issued, err := Issue(IssueOptions{Key: token.KeyInput(issuer.PrivateJWK), HolderKey: token.KeyInput(holder.PrivateJWK), Claims: json.RawMessage(`{"aud":"https://verifier.example.org"}`), Disclose: []string{}, Now: issuedAt})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Present(issued.Token, PresentOptions{HolderKey: token.KeyInput(holder.PrivateJWK), Now: issuedAt})
	if err != nil {
		t.Fatal(err)
	}
	v, err := Verify(p.Token, VerifyOptions{Key: token.KeyInput(issuer.PublicJWK), Now: issuedAt})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(v.Missing, ",") != "iss,aud,nonce" || v.Summary != "Signature verified — issuer, audience and nonce not compared" {
		t.Errorf("missing %v, summary %q", v.Missing, v.Summary)
	}
}
