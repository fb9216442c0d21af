package e2e

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tokenlab/internal/token"
)

// The hostile-input corpus (SECURITY.md, "Hostile input"): what people and
// attackers paste into a token playground. Every case gets a specific
// structured error or a correct result through the real page's API, the
// page's main thread keeps running while the engine works, the engine
// answers a valid token right afterwards, and nothing from the token
// reaches Object.prototype. TestHostileInputInInspector then pastes the
// token-shaped cases into the inspector's "Token" field and checks what a
// person sees.

// hostileSecret signs the corpus' HS256 tokens.
const hostileSecret = "tokenlab-hostile-corpus-secret-0123456789"

// hostileNow is the clock of every verify case (2023-11-14T22:13:20Z).
const hostileNow = 1700000000

// hostileBudget bounds one call: the engine must answer every case, error
// or not, well within it.
const hostileBudget = 15 * time.Second

// frozenBudget is the longest the page's main thread may stall during a
// call: the engine runs in a worker, so only copying the arguments happens
// on the page.
const frozenBudget = 750 * time.Millisecond

// hostileCase is one input and what must come of it.
type hostileCase struct {
	name   string
	method string
	args   []any
	// argsJS, when set, is a JavaScript expression building the arguments
	// in the page (for multi-megabyte inputs).
	argsJS string
	// code is the expected error code; "" means the call must succeed.
	code string
	// msg are fragments the error message must contain, naming the
	// problem (lower-cased comparison).
	msg []string
	// check inspects a successful result.
	check func(t *testing.T, result json.RawMessage)
	// ui marks a case whose first argument is a token a person could paste
	// into the inspector.
	ui bool
}

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// jws builds a compact HS256 JWS over the exact header and payload bytes
// given (so duplicate keys, odd numbers and invalid UTF-8 survive).
func jws(header, payload string) string {
	in := b64url([]byte(header)) + "." + b64url([]byte(payload))
	m := hmac.New(sha256.New, []byte(hostileSecret))
	m.Write([]byte(in))
	return in + "." + b64url(m.Sum(nil))
}

// jwsKey is jws signed with another HMAC secret.
func jwsKey(header, payload string, secret []byte) string {
	in := b64url([]byte(header)) + "." + b64url([]byte(payload))
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(in))
	return in + "." + b64url(m.Sum(nil))
}

// unsecured builds an alg-none style token with an empty signature.
func unsecured(alg, payload string) string {
	return b64url([]byte(`{"alg":"`+alg+`"}`)) + "." + b64url([]byte(payload)) + "."
}

func verifyOpts(extra map[string]any) map[string]any {
	o := map[string]any{"key": hostileSecret, "now": hostileNow}
	for k, v := range extra {
		o[k] = v
	}
	return o
}

// result helpers -----------------------------------------------------------

type decodedResult struct {
	Format   string          `json:"format"`
	Header   json.RawMessage `json:"header"`
	Payload  json.RawMessage `json:"payload"`
	Parts    []string        `json:"parts"`
	Warnings []string        `json:"warnings"`
}

type verifyResult struct {
	Valid  bool `json:"valid"`
	Checks []struct {
		ID      string `json:"id"`
		OK      bool   `json:"ok"`
		Message string `json:"message"`
		Ref     string `json:"ref"`
	} `json:"checks"`
}

type explainResult struct {
	Kind   string `json:"kind"`
	Claims []struct {
		Name    string          `json:"name"`
		Where   string          `json:"where"`
		Value   json.RawMessage `json:"value"`
		Display string          `json:"display"`
	} `json:"claims"`
	Findings []struct {
		ID       string `json:"id"`
		Severity string `json:"severity"`
		Message  string `json:"message"`
	} `json:"findings"`
}

func decodeInto[T any](t *testing.T, raw json.RawMessage) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decoding the result: %v (%.300s)", err, raw)
	}
	return v
}

// wantDecoded checks the format and that payload member name equals want.
func wantDecoded(format string, claims map[string]any) func(*testing.T, json.RawMessage) {
	return func(t *testing.T, raw json.RawMessage) {
		t.Helper()
		d := decodeInto[decodedResult](t, raw)
		if d.Format != format {
			t.Errorf("format = %q, want %q", d.Format, format)
		}
		var payload map[string]any
		if err := json.Unmarshal(d.Payload, &payload); err != nil {
			t.Fatalf("payload is not an object: %.200s", d.Payload)
		}
		for k, want := range claims {
			if got := payload[k]; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("payload[%q] = %#v, want %#v", k, got, want)
			}
		}
	}
}

// wantCheck asserts a verify result's validity and one check's outcome
// and message fragments.
func wantCheck(valid bool, id string, ok bool, fragments ...string) func(*testing.T, json.RawMessage) {
	return func(t *testing.T, raw json.RawMessage) {
		t.Helper()
		v := decodeInto[verifyResult](t, raw)
		if v.Valid != valid {
			t.Errorf("valid = %v, want %v (checks %+v)", v.Valid, valid, v.Checks)
		}
		for _, c := range v.Checks {
			if c.ID != id {
				continue
			}
			if c.OK != ok {
				t.Errorf("check %s ok = %v, want %v: %s", id, c.OK, ok, c.Message)
			}
			for _, f := range fragments {
				if !strings.Contains(c.Message, f) {
					t.Errorf("check %s message %q lacks %q", id, c.Message, f)
				}
			}
			return
		}
		t.Errorf("no %s check in %+v", id, v.Checks)
	}
}

func wantFinding(id string, fragments ...string) func(*testing.T, json.RawMessage) {
	return func(t *testing.T, raw json.RawMessage) {
		t.Helper()
		e := decodeInto[explainResult](t, raw)
		for _, f := range e.Findings {
			if f.ID == id {
				for _, frag := range fragments {
					if !strings.Contains(f.Message, frag) {
						t.Errorf("finding %s message %q lacks %q", id, f.Message, frag)
					}
				}
				return
			}
		}
		t.Errorf("no finding %s in %+v", id, e.Findings)
	}
}

// nested10 is a JWS whose payload is a JWS, ten levels deep (cty JWT,
// RFC 7519 §5.2), with the innermost claims at the bottom. It returns every
// level, outermost first.
func nested10() []string {
	levels := make([]string, 10)
	inner := jws(`{"alg":"HS256","typ":"JWT"}`, `{"iss":"https://innermost.example","level":10}`)
	levels[9] = inner
	for i := 8; i >= 0; i-- {
		inner = jws(`{"alg":"HS256","cty":"JWT"}`, inner)
		levels[i] = inner
	}
	return levels
}

// jweFixture mints a nested JWT encrypted to one dir key and returns it
// with a different dir key.
func jweFixture(t *testing.T) (jwe, rightKey, wrongKey string) {
	t.Helper()
	k1, err := token.GenerateKey(token.GenerateOptions{Alg: "dir", Bits: 256})
	if err != nil {
		t.Fatal(err)
	}
	k2, err := token.GenerateKey(token.GenerateOptions{Alg: "dir", Bits: 256})
	if err != nil {
		t.Fatal(err)
	}
	signer, err := token.GenerateKey(token.GenerateOptions{Alg: "ES256"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := token.Mint(token.MintOptions{Kind: token.KindIDToken, Key: string(signer.PrivateJWK),
		Encrypt: &token.EncryptOptions{Key: string(k1.PrivateJWK), Alg: "dir"}, Now: time.Unix(hostileNow, 0)})
	if err != nil {
		t.Fatal(err)
	}
	return m.Token, string(k1.PrivateJWK), string(k2.PrivateJWK)
}

func readHostile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "hostile", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// hostileCorpus is the corpus. Keep names stable: they are test names.
func hostileCorpus(t *testing.T) []hostileCase {
	t.Helper()
	valid := jws(`{"alg":"HS256","typ":"JWT"}`, `{"iss":"https://issuer.example","sub":"alice","exp":1800000000}`)
	h, p, s := strings.Split(valid, ".")[0], strings.Split(valid, ".")[1], strings.Split(valid, ".")[2]
	rsaPub, err := os.ReadFile(filepath.Join("..", "internal", "token", "testdata", "rsa-2048.spki.pem"))
	if err != nil {
		t.Fatal(err)
	}
	levels := nested10()
	jwe, rightKey, wrongKey := jweFixture(t)
	big := jws(`{"alg":"HS256"}`, `{"blob":"`+strings.Repeat("A", 740_000)+`","exp":1800000000}`)
	if len(big) >= token.MaxTokenBytes || len(big) < 900_000 {
		t.Fatalf("the near-limit token is %d bytes; keep it just under 1 MiB", len(big))
	}
	deep := strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000)

	return []hostileCase{
		// Shape: what is not a compact token at all.
		{name: "empty", method: "decode", args: []any{""}, code: "malformed", msg: []string{"empty"}, ui: true},
		{name: "whitespace only", method: "decode", args: []any{" \n\t\r  "}, code: "malformed", msg: []string{"empty"}, ui: true},
		{name: "1 segment", method: "decode", args: []any{h}, code: "malformed", msg: []string{"no dots"}, ui: true},
		{name: "2 segments", method: "decode", args: []any{h + "." + p}, code: "malformed", msg: []string{"2 segments", "cut off"}, ui: true},
		{name: "4 segments", method: "decode", args: []any{valid + ".extra"}, code: "malformed", msg: []string{"4 segments"}, ui: true},
		{name: "6 segments", method: "decode", args: []any{valid + ".a.b.c"}, code: "malformed", msg: []string{"6 segments"}, ui: true},
		{name: "bad base64url character", method: "decode", args: []any{h + ".not-base64!." + s}, code: "malformed", msg: []string{"payload (segment 2)", "illegal character '!'"}, ui: true},
		{name: "base64 with padding", method: "decode", args: []any{h + "." + base64.URLEncoding.EncodeToString([]byte(`{"a":1}`)) + "." + s}, code: "malformed", msg: []string{"payload (segment 2)", "padding"}, ui: true},
		{name: "standard base64 alphabet", method: "decode", args: []any{h + ".ab+/cd." + s}, code: "malformed", msg: []string{"standard base64"}, ui: true},
		{name: "impossible base64 length", method: "decode", args: []any{h + "A." + p + "." + s}, code: "malformed", msg: []string{"header (segment 1)", "impossible"}, ui: true},
		{name: "non-JSON header", method: "decode", args: []any{b64url([]byte("alg: HS256")) + "." + p + "." + s}, code: "malformed", msg: []string{"header (segment 1) is not valid json"}, ui: true},
		{name: "JSON array header", method: "decode", args: []any{b64url([]byte(`["alg","HS256"]`)) + "." + p + "." + s}, code: "malformed", msg: []string{"header (segment 1)", "not an object"}, ui: true},
		{name: "JSON null header", method: "decode", args: []any{b64url([]byte(`null`)) + "." + p + "." + s}, code: "malformed", msg: []string{"header (segment 1)", "null"}, ui: true},
		{name: "deeply nested header", method: "decode", args: []any{b64url([]byte(strings.Repeat(`{"a":`, 20000)+"1"+strings.Repeat("}", 20000))) + "." + p + "." + s}, code: "malformed", msg: []string{"header (segment 1)", "max depth"}, ui: true},
		{name: "deeply nested payload array", method: "decode", args: []any{jws(`{"alg":"HS256"}`, strings.Repeat("[", 100000))}, check: func(t *testing.T, raw json.RawMessage) {
			d := decodeInto[decodedResult](t, raw)
			var text string
			if err := json.Unmarshal(d.Payload, &text); err != nil || len(text) != 100000 {
				t.Errorf("payload = %.80s…, want the 100000 brackets shown as text", d.Payload)
			}
			if !strings.Contains(strings.Join(d.Warnings, " "), "not JSON") {
				t.Errorf("warnings %q do not say the payload is not JSON", d.Warnings)
			}
		}, ui: true},
		{name: "payload nested 5000 levels explained", method: "explain", args: []any{jws(`{"alg":"HS256"}`, deep)}, code: "malformed", msg: []string{"payload", "5000 levels deep", "at most 100"}, ui: true},
		{name: "payload nested 5000 levels verified", method: "verify", args: []any{jws(`{"alg":"HS256"}`, deep), verifyOpts(nil)}, code: "malformed", msg: []string{"5000 levels deep"}},
		{name: "payload nested 100 levels explained", method: "explain", args: []any{jws(`{"alg":"HS256"}`, strings.Repeat(`{"a":`, 99)+"1"+strings.Repeat("}", 99))}, check: func(t *testing.T, raw json.RawMessage) {
			e := decodeInto[explainResult](t, raw)
			if len(e.Claims) != 2 || e.Claims[1].Name != "a" || e.Claims[1].Where != "payload" {
				t.Errorf("claims = %+v, want alg and the nested a", e.Claims)
			}
		}, ui: true},
		{name: "NUL character", method: "decode", args: []any{h + "." + p + "\x00." + s}, code: "malformed", msg: []string{"payload (segment 2)", `illegal character '\x00'`}, ui: true},
		{name: "escape character", method: "decode", args: []any{h + ".\x1b[31m." + s}, code: "malformed", msg: []string{`illegal character '\x1b'`}, ui: true},
		{name: "lone surrogate (invalid UTF-16/UTF-8)", method: "decode", argsJS: fmt.Sprintf(`[%q + "\ud800"]`, valid), code: "malformed", msg: []string{"signature (segment 3)", "illegal character"}},
		{name: "byte-order mark", method: "decode", args: []any{"\ufeff" + valid}, code: "malformed", msg: []string{"header (segment 1)", `'\ufeff'`}, ui: true},
		{name: "HTTP Authorization header", method: "decode", args: []any{"Authorization: Bearer " + valid}, code: "malformed", msg: []string{"header (segment 1)", "illegal character ':'"}, ui: true},
		{name: "whole HTTP request", method: "decode", args: []any{readHostile(t, "http-request.txt")}, code: "malformed", msg: []string{"segments"}, ui: true},
		{name: "Bearer prefix", method: "decode", args: []any{"Bearer " + valid}, check: func(t *testing.T, raw json.RawMessage) {
			wantDecoded("JWS", map[string]any{"sub": "alice"})(t, raw)
			if d := decodeInto[decodedResult](t, raw); !strings.Contains(strings.Join(d.Warnings, " "), "Bearer") {
				t.Errorf("warnings %q do not mention the stripped Bearer", d.Warnings)
			}
		}, ui: true},
		{name: "JWKS pasted as a token", method: "decode", args: []any{readHostile(t, "jwks.json")}, code: "unsupported", msg: []string{"looks like json"}, ui: true},
		{name: "PEM private key pasted as a token", method: "decode", args: []any{readHostile(t, "private-key.pem")}, code: "malformed", msg: []string{"no dots"}, ui: true},

		// Size limits (SECURITY.md): 1 MiB per token, 4 MiB per call.
		{name: "just under 1 MiB is decoded and verified", method: "verify", args: []any{big, verifyOpts(nil)}, check: func(t *testing.T, raw json.RawMessage) {
			wantCheck(true, "signature", true)(t, raw)
		}},
		{name: "1 MiB plus one byte", method: "decode", argsJS: fmt.Sprintf(`[%q + "A".repeat(%d)]`, valid, token.MaxTokenBytes+1-len(valid)), code: "malformed", msg: []string{fmt.Sprintf("%d bytes", token.MaxTokenBytes+1), "1 mib"}},
		{name: "10 MB paste", method: "decode", argsJS: `["A".repeat(10 * 1024 * 1024)]`, code: "malformed", msg: []string{"at most 4194304 bytes", "1 mib"}},
		{name: "10 MB paste to verify", method: "verify", argsJS: fmt.Sprintf(`["x".repeat(10 * 1024 * 1024), {key: %q}]`, hostileSecret), code: "malformed", msg: []string{"at most"}},
		{name: "10 MB key", method: "importKey", argsJS: `["k".repeat(10 * 1024 * 1024)]`, code: "malformed", msg: []string{"at most"}},

		// Claims that are odd but decodable: shown exactly as carried.
		{name: "control characters in claims", method: "decode", args: []any{jws(`{"alg":"HS256"}`, `{"name":"a\u0000b\u001b[31mred\u0007","exp":1800000000}`)}, check: wantDecoded("JWS", map[string]any{"name": "a\x00b\x1b[31mred\x07"}), ui: true},
		{name: "invalid UTF-8 in the payload", method: "decode", args: []any{jws(`{"alg":"HS256"}`, "{\"a\":\"\xff\xfe\",\"exp\":1800000000}")}, check: wantDecoded("JWS", map[string]any{"a": "\ufffd\ufffd"}), ui: true},
		{name: "invalid UTF-8 in the header", method: "decode", args: []any{jws("{\"alg\":\"HS256\",\"kid\":\"\xc0\xaf\"}", `{}`)}, check: func(t *testing.T, raw json.RawMessage) {
			d := decodeInto[decodedResult](t, raw)
			if !strings.Contains(string(d.Header), `"kid":"\ufffd\ufffd"`) && !strings.Contains(string(d.Header), "\"kid\":\"\ufffd\ufffd\"") {
				t.Errorf("header = %s, want the bad bytes as U+FFFD", d.Header)
			}
		}, ui: true},
		{name: "HTML and script in claims", method: "decode", args: []any{jws(`{"alg":"HS256","kid":"</script><script>alert(1)</script>"}`, `{"name":"<img src=x onerror=alert(1)>","website":"javascript:alert(1)"}`)}, check: wantDecoded("JWS", map[string]any{"name": "<img src=x onerror=alert(1)>", "website": "javascript:alert(1)"}), ui: true},
		{name: "Unicode direction overrides", method: "decode", args: []any{jws(`{"alg":"HS256"}`, `{"sub":"admin\u202egnp.exe","name":"\u2066evil\u2069"}`)}, check: wantDecoded("JWS", map[string]any{"sub": "admin\u202egnp.exe"}), ui: true},
		{name: "exp as a string", method: "verify", args: []any{jws(`{"alg":"HS256"}`, `{"exp":"1800000000"}`), verifyOpts(nil)}, check: wantCheck(false, "exp", false, `exp is "1800000000", not a NumericDate`)},
		{name: "exp of 1e308 explained", method: "explain", args: []any{jws(`{"alg":"HS256"}`, `{"exp":1e308}`)}, check: wantFinding("invalid-date", "exp"), ui: true},
		{name: "exp of 1e308 decoded", method: "decode", args: []any{jws(`{"alg":"HS256"}`, `{"exp":1e308}`)}, check: func(t *testing.T, raw json.RawMessage) {
			var payload struct{ Exp float64 }
			if err := json.Unmarshal(decodeInto[decodedResult](t, raw).Payload, &payload); err != nil || payload.Exp != 1e308 {
				t.Errorf("payload exp = %v (%v), want 1e308", payload.Exp, err)
			}
		}, ui: true},
		{name: "negative iat", method: "verify", args: []any{jws(`{"alg":"HS256"}`, `{"exp":1800000000,"iat":-5}`), verifyOpts(nil)}, check: wantCheck(false, "iat", false, "not a usable NumericDate", "before 1970")},
		{name: "exp of 1e308 verified", method: "verify", args: []any{jws(`{"alg":"HS256"}`, `{"exp":1e308}`), verifyOpts(nil)}, check: wantCheck(false, "exp", false, "not a usable NumericDate")},
		{name: "huge iat verified", method: "verify", args: []any{jws(`{"alg":"HS256"}`, `{"exp":1800000000,"iat":1e20}`), verifyOpts(nil)}, check: wantCheck(false, "iat", false, "not a usable NumericDate")},
		{name: "huge iat explained", method: "explain", args: []any{jws(`{"alg":"HS256"}`, `{"exp":1800000000,"iat":1e20}`)}, check: wantFinding("invalid-date", "iat"), ui: true},
		{name: "duplicate claim: the last one counts everywhere", method: "verify", args: []any{jws(`{"alg":"HS256"}`, `{"exp":1800000000,"exp":2}`), verifyOpts(nil)}, check: wantCheck(false, "exp", false, "1970-01-01T00:00:02Z")},
		{name: "duplicate alg: the last one counts", method: "verify", args: []any{jws(`{"alg":"HS256","alg":"none"}`, `{"exp":1800000000}`), verifyOpts(nil)}, check: wantCheck(false, "alg", false, `"none"`)},
		{name: "__proto__ and constructor claims", method: "explain", args: []any{jws(`{"alg":"HS256"}`, `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"toString":"x","exp":1800000000}`)}, check: func(t *testing.T, raw json.RawMessage) {
			e := decodeInto[explainResult](t, raw)
			var names []string
			for _, c := range e.Claims {
				names = append(names, c.Name)
			}
			if got := strings.Join(names, ","); got != "alg,__proto__,constructor,toString,exp" {
				t.Errorf("claims = %s, want every claim in token order", got)
			}
		}, ui: true},

		// Algorithms and keys an attacker chooses.
		{name: "alg none", method: "verify", args: []any{unsecured("none", `{"exp":1800000000}`), verifyOpts(nil)}, check: wantCheck(false, "alg", false, "never accepts alg none")},
		{name: "alg None", method: "verify", args: []any{unsecured("None", `{"exp":1800000000}`), verifyOpts(nil)}, check: wantCheck(false, "alg", false, `"None"`)},
		{name: "alg NONE even when allowed", method: "verify", args: []any{unsecured("NONE", `{"exp":1800000000}`), verifyOpts(map[string]any{"algorithms": []string{"NONE", "none"}})}, check: wantCheck(false, "alg", false, `"NONE"`)},
		{name: "alg none decoded", method: "decode", args: []any{unsecured("none", `{"sub":"mallory"}`)}, check: wantDecoded("unsecured", map[string]any{"sub": "mallory"}), ui: true},
		{name: "RSA public key PEM as HMAC secret", method: "verify", args: []any{jwsKey(`{"alg":"HS256"}`, `{"exp":1800000000}`, rsaPub), map[string]any{"key": string(rsaPub), "now": hostileNow}}, check: wantCheck(false, "alg", false, "algorithm-confusion")},
		{name: "unknown crit", method: "verify", args: []any{jws(`{"alg":"HS256","crit":["x-bogus"],"x-bogus":1}`, `{"exp":1800000000}`), verifyOpts(nil)}, check: wantCheck(false, "crit", false, `"x-bogus"`)},
		{name: "jku and x5u elsewhere: verified with the given key only", method: "verify", args: []any{jws(`{"alg":"HS256","jku":"https://attacker.example/jwks.json","x5u":"https://attacker.example/cert.pem"}`, `{"exp":1800000000}`), verifyOpts(nil)}, check: wantCheck(true, "signature", true)},
		{name: "jku elsewhere explained", method: "explain", args: []any{jws(`{"alg":"HS256","jku":"https://attacker.example/jwks.json"}`, `{"exp":1800000000}`)}, check: wantFinding("jku-header", "https://attacker.example/jwks.json"), ui: true},
		{name: "x5u elsewhere explained", method: "explain", args: []any{jws(`{"alg":"HS256","x5u":"https://attacker.example/cert.pem"}`, `{"exp":1800000000}`)}, check: wantFinding("x5u-header", "https://attacker.example/cert.pem"), ui: true},
		{name: "signature made with another secret", method: "verify", args: []any{jwsKey(`{"alg":"HS256"}`, `{"exp":1800000000}`, []byte("some-other-secret-of-enough-length-0123")), verifyOpts(nil)}, check: wantCheck(false, "signature", false)},
		{name: "empty JWKS as the key", method: "verify", args: []any{valid, map[string]any{"key": map[string]any{"keys": []any{}}, "now": hostileNow}}, code: "bad_key", msg: []string{"jwks"}},
		{name: "garbage PEM as the key", method: "importKey", args: []any{"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"}, code: "bad_key", msg: []string{"pem"}},
		{name: "JWE with a wrong key", method: "decrypt", args: []any{jwe, map[string]any{"key": json.RawMessage(wrongKey)}}, code: "bad_key", msg: []string{"key"}},
		{name: "JWE with the right key", method: "decrypt", args: []any{jwe, map[string]any{"key": json.RawMessage(rightKey)}}, check: func(t *testing.T, raw json.RawMessage) {
			var d struct {
				Nested *decodedResult `json:"nested"`
			}
			if err := json.Unmarshal(raw, &d); err != nil || d.Nested == nil || d.Nested.Format != "JWS" {
				t.Errorf("decrypt = %.300s, want the nested JWS decoded", raw)
			}
		}},
		{name: "JWE decoded without a key", method: "decode", args: []any{jwe}, check: func(t *testing.T, raw json.RawMessage) {
			if d := decodeInto[decodedResult](t, raw); d.Format != "JWE" || string(d.Payload) != "null" || len(d.Parts) != 5 {
				t.Errorf("decode(JWE) = %+v, want format JWE, payload null, 5 parts", d)
			}
		}, ui: true},
		{name: "nested JWT ten levels deep", method: "decode", args: []any{levels[0]}, check: func(t *testing.T, raw json.RawMessage) {
			d := decodeInto[decodedResult](t, raw)
			var inner string
			if err := json.Unmarshal(d.Payload, &inner); err != nil || inner != levels[1] {
				t.Errorf("payload = %.100s…, want the next level's token as text", d.Payload)
			}
		}, ui: true},
		{name: "nested JWT innermost level", method: "decode", args: []any{levels[9]}, check: wantDecoded("JWS", map[string]any{"level": 10}), ui: true},
		{name: "nested JWT ten levels deep explained", method: "explain", args: []any{levels[0]}, check: func(t *testing.T, raw json.RawMessage) {
			e := decodeInto[explainResult](t, raw)
			if len(e.Claims) == 0 || e.Claims[0].Name != "alg" {
				t.Errorf("claims = %+v, want the outer header explained", e.Claims)
			}
		}, ui: true},

		// Arguments of the wrong shape.
		{name: "token is a number", method: "decode", args: []any{42}, code: "bad_request", msg: []string{"must be a string"}},
		{name: "token is an object", method: "verify", args: []any{map[string]any{"token": valid}, verifyOpts(nil)}, code: "bad_request", msg: []string{"must be a string"}},
		{name: "options are a string", method: "verify", args: []any{valid, "secret"}, code: "bad_request", msg: []string{"must be an object"}},
		{name: "now is a string", method: "verify", args: []any{valid, map[string]any{"key": hostileSecret, "now": "tomorrow"}}, code: "bad_request", msg: []string{`"now"`}},
	}
}

// hostileRun is the page-side harness of one call: it runs the call with
// a 5 ms ticker on the main thread (the longest gap is how long the page
// froze), then decodes a valid token, and reports whether anything reached
// Object.prototype.
const hostileRun = `(async () => {
	const args = %s;
	let last = performance.now(), maxGap = 0;
	const ticker = setInterval(() => { const n = performance.now(); maxGap = Math.max(maxGap, n - last); last = n; }, 5);
	const t0 = performance.now();
	let out;
	try {
		out = { ok: true, result: await window.tokenlab[%q](...args) };
	} catch (e) {
		out = { ok: false, error: { code: e.code, message: e.message, name: e.name } };
	}
	const ms = performance.now() - t0;
	clearInterval(ticker);
	maxGap = Math.max(maxGap, performance.now() - last);
	let next = "";
	try { next = (await window.tokenlab.decode(%q)).payload.sub; } catch (e) { next = "error " + e.code + ": " + e.message; }
	const polluted = Object.getOwnPropertyNames(Object.prototype).filter((n) => !%s.includes(n));
	return { ...out, ms, maxGap, next, polluted, protoPolluted: ({}).polluted !== undefined };
})()`

// cleanProto lists Object.prototype's own names before any case runs.
const cleanProto = `JSON.stringify(Object.getOwnPropertyNames(Object.prototype))`

type hostileAnswer struct {
	OK            bool            `json:"ok"`
	Result        json.RawMessage `json:"result"`
	Error         *APIError       `json:"error"`
	MS            float64         `json:"ms"`
	MaxGap        float64         `json:"maxGap"`
	Next          string          `json:"next"`
	Polluted      []string        `json:"polluted"`
	ProtoPolluted bool            `json:"protoPolluted"`
}

func TestHostileInputAPI(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	var protoNames string
	mustDecode(t, p.Eval(cleanProto), &protoNames)
	validNext := jws(`{"alg":"HS256"}`, `{"sub":"still-works"}`)
	cases := hostileCorpus(t)
	if len(cases) < 40 {
		t.Fatalf("the corpus has %d cases; the issue asks for at least 40", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := p.For(t)
			args := tc.argsJS
			if args == "" {
				b, err := json.Marshal(tc.args)
				if err != nil {
					t.Fatal(err)
				}
				args = string(b)
			}
			var a hostileAnswer
			mustDecode(t, p.Eval(fmt.Sprintf(hostileRun, args, tc.method, validNext, protoNames)), &a)
			checkAnswer(t, tc, a)
		})
	}
	// The corpus made no request anywhere: jku and x5u were never fetched.
	for _, r := range p.Requests() {
		if strings.Contains(r.URL, "attacker.example") {
			t.Errorf("the page fetched a URL from a token header: %s %s", r.Method, r.URL)
		}
	}
}

func checkAnswer(t *testing.T, tc hostileCase, a hostileAnswer) {
	t.Helper()
	if tc.code != "" {
		if a.OK {
			t.Errorf("%s succeeded (%.300s), want error %s", tc.method, a.Result, tc.code)
		} else {
			if a.Error.Code != tc.code || a.Error.Name != "TokenlabError" {
				t.Errorf("error = %s (%s): %s, want code %s", a.Error.Code, a.Error.Name, a.Error.Message, tc.code)
			}
			for _, f := range tc.msg {
				if !strings.Contains(strings.ToLower(a.Error.Message), strings.ToLower(f)) {
					t.Errorf("message %q does not name the problem (%q)", a.Error.Message, f)
				}
			}
		}
	} else {
		if !a.OK {
			t.Fatalf("%s failed: %s: %s", tc.method, a.Error.Code, a.Error.Message)
		}
		tc.check(t, a.Result)
	}
	if time.Duration(a.MS)*time.Millisecond > hostileBudget {
		t.Errorf("the engine took %.0f ms (budget %v)", a.MS, hostileBudget)
	}
	if time.Duration(a.MaxGap)*time.Millisecond > frozenBudget {
		t.Errorf("the page's main thread froze for %.0f ms during the call (budget %v)", a.MaxGap, frozenBudget)
	}
	if a.Next != "still-works" {
		t.Errorf("the next valid token no longer decodes: %s", a.Next)
	}
	if len(a.Polluted) > 0 || a.ProtoPolluted {
		t.Errorf("Object.prototype gained %v (polluted: %v)", a.Polluted, a.ProtoPolluted)
	}
}

func mustDecode(t *testing.T, raw json.RawMessage, dst any) {
	t.Helper()
	if err := json.Unmarshal(raw, dst); err != nil {
		t.Fatalf("decoding %.300s: %v", raw, err)
	}
}

// inspectorProbe pastes text into the inspector's "Token" field (found by
// its label) like a clipboard paste, waits for the inspector to finish,
// and reports what a person sees: the alert tied to the field, the status
// line, how long the main thread stalled, and the engine's own verdict on
// the same text.
const inspectorProbe = `(async () => {
	const text = %s;
	const ta = [...document.querySelectorAll("textarea")].find((t) => [...t.labels].some((l) => l.textContent.trim() === "Token"));
	if (!ta) return { missing: "no textarea labelled Token" };
	const alert = (ta.getAttribute("aria-describedby") ?? "").split(/\s+/).map((id) => document.getElementById(id)).find((el) => el?.getAttribute("role") === "alert");
	const status = ta.closest("section")?.querySelector(":scope > [role=status]");
	if (!alert || !status) return { missing: "the Token field has no alert or its section no status line" };
	// The page trims what it sends (String.prototype.trim, which also drops a BOM).
	const engine = await window.tokenlab.decode(text.trim()).then(() => "", (e) => e.message);
	// Empty the field first, so that pasting the previous text again still counts as a change.
	ta.value = "";
	ta.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "deleteContentBackward" }));
	await new Promise((r) => setTimeout(r, 200));
	status.textContent = "";
	let last = performance.now(), maxGap = 0;
	const ticker = setInterval(() => { const n = performance.now(); maxGap = Math.max(maxGap, n - last); last = n; }, 5);
	ta.focus();
	ta.value = text;
	ta.dispatchEvent(new ClipboardEvent("paste", { bubbles: true }));
	ta.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
	const deadline = Date.now() + 20000;
	while (Date.now() < deadline && status.textContent === "" && text.trim() !== "") await new Promise((r) => setTimeout(r, 20));
	await new Promise((r) => setTimeout(r, 50));
	clearInterval(ticker);
	return { engine, alert: alert.hidden ? "" : alert.textContent, status: status.textContent, maxGap };
})()`

type inspectorView struct {
	Missing string  `json:"missing"`
	Engine  string  `json:"engine"`
	Alert   string  `json:"alert"`
	Status  string  `json:"status"`
	MaxGap  float64 `json:"maxGap"`
}

func probeInspector(t *testing.T, p *Page, text string) inspectorView {
	t.Helper()
	arg, err := json.Marshal(text)
	if err != nil {
		t.Fatal(err)
	}
	var v inspectorView
	mustDecode(t, p.Eval(fmt.Sprintf(inspectorProbe, arg)), &v)
	if v.Missing != "" {
		t.Fatalf("the inspector: %s", v.Missing)
	}
	return v
}

// TestHostileInputInInspector pastes every token-shaped case of the corpus
// into the playground's "Token" field: a token the engine refuses shows the
// engine's own message in the alert tied to the field, a token it decodes
// shows no alert and a "decoded" status, the page never stalls, and a
// valid token pasted last is decoded as usual.
func TestHostileInputInInspector(t *testing.T) {
	p := NewPage(t)
	p.Open("/")
	for _, tc := range hostileCorpus(t) {
		if !tc.ui {
			continue
		}
		text, ok := tc.args[0].(string)
		if !ok {
			t.Fatalf("%s: a ui case needs a token string", tc.name)
		}
		t.Run(tc.name, func(t *testing.T) {
			p := p.For(t)
			v := probeInspector(t, p, text)
			switch {
			case strings.TrimSpace(text) == "":
				if v.Alert != "" {
					t.Errorf("an empty field shows the alert %q", v.Alert)
				}
			case v.Engine != "":
				if v.Alert != v.Engine {
					t.Errorf("alert = %q, want the engine's message %q", v.Alert, v.Engine)
				}
				if !strings.HasPrefix(v.Status, "Cannot decode") {
					t.Errorf("status = %q, want it to say the token cannot be decoded", v.Status)
				}
			default:
				if v.Alert != "" {
					t.Errorf("a decodable token shows the alert %q", v.Alert)
				}
				if !strings.Contains(v.Status, "decoded") {
					t.Errorf("status = %q, want the decoded summary", v.Status)
				}
			}
			if time.Duration(v.MaxGap)*time.Millisecond > frozenBudget {
				t.Errorf("the page stalled %.0f ms", v.MaxGap)
			}
		})
	}
	v := probeInspector(t, p, jws(`{"alg":"HS256","typ":"JWT"}`, `{"iss":"https://issuer.example","sub":"alice","exp":1800000000}`))
	if v.Alert != "" || !strings.Contains(v.Status, "decoded") {
		t.Errorf("after the corpus a valid token shows alert %q, status %q", v.Alert, v.Status)
	}
}

// xssClaims are claims and headers crafted to run script or inject markup
// if any view renders them as HTML or follows them as links.
var xssHeader = `{"alg":"HS256","typ":"JWT","kid":"</script><script>window.__xss='kid'</script>","jku":"javascript:window.__xss='jku'","x5u":"https://attacker.example/\"><img src=x onerror=window.__xss='x5u'>"}`
var xssPayload = `{"iss":"<img src=x onerror=\"window.__xss='iss'\">","sub":"<svg onload=window.__xss='sub'>","aud":"javascript:window.__xss='aud'",` +
	`"name":"<iframe src=javascript:window.__xss='name'></iframe>","website":"javascript:alert(document.domain)","picture":"https://attacker.example/x.png",` +
	`"email":"<a href=javascript:window.__xss='email'>click</a>","nickname":"\u202eevil\u202c <b>bold</b>","given_name":"{{constructor.constructor('window.__xss=1')()}}",` +
	`"scope":"openid <script>window.__xss='scope'</script>","exp":1800000000,"iat":1700000000,"nonce":"\"><style>body{display:none}</style>"}`

// TestNoScriptFromTokens renders a token built to attack the viewer in the
// inspector (cards, claims table, JSON view) and the verifier: no script
// runs, no CSP violation is even attempted, no element from the token is
// in the DOM, the text is shown literally, and every link on the page
// points at the page itself or at a reference URL of the claim catalog.
func TestNoScriptFromTokens(t *testing.T) {
	allowed := catalogURLs(t)
	p := NewPage(t)
	p.Open("/")
	p.Eval(`(() => {
		window.__violations = [];
		window.__before = new WeakSet(document.querySelectorAll("*"));
		document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.effectiveDirective + " " + e.blockedURI + " " + (e.sample ?? "")));
		return true;
	})()`)
	tok := jws(xssHeader, xssPayload)
	v := probeInspector(t, p, tok)
	if v.Alert != "" || !strings.Contains(v.Status, "decoded") {
		t.Fatalf("the attack token did not decode in the inspector: alert %q, status %q", v.Alert, v.Status)
	}
	// Show the JSON tab too, and verify the token with its secret.
	p.Eval(`(() => { document.querySelector("[role=tab][aria-controls=panel-json]")?.click(); return true })()`)
	var verified verifyResult
	p.MustCall(&verified, "verify", tok, verifyOpts(nil))
	if !verified.Valid {
		t.Logf("verify: %+v", verified.Checks) // validity is not the point here
	}
	p.Eval(`new Promise((r) => setTimeout(() => r(true), 300))`)

	var dom struct {
		XSS         any      `json:"xss"`
		Violations  []string `json:"violations"`
		Injected    []string `json:"injected"`
		Links       []string `json:"links"`
		Text        string   `json:"text"`
		InlineAttrs []string `json:"inlineAttrs"`
	}
	mustDecode(t, p.Eval(`(() => {
		const all = [...document.querySelectorAll("*")];
		// New elements of the kinds the token carries, or any element whose
		// attributes hold the token's markers.
		const injected = all.filter((el) =>
			(!window.__before.has(el) && ["IMG", "SVG", "IFRAME", "SCRIPT", "STYLE", "B", "A", "OBJECT", "EMBED"].includes(el.tagName.toUpperCase()) && !(el.tagName === "A" && el.getAttribute("href")?.startsWith("https://")))
			|| [...el.attributes].some((a) => /__xss|attacker\.example/.test(a.value)))
			.map((el) => el.outerHTML.slice(0, 120));
		const inlineAttrs = all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name) || /javascript:/i.test(a.value)).map((a) => el.tagName + " " + a.name + "=" + a.value.slice(0, 60)));
		const links = [...document.querySelectorAll("a[href], area[href]")].map((a) => a.getAttribute("href"));
		return { xss: window.__xss ?? null, violations: window.__violations, injected, inlineAttrs, links, text: document.querySelector("main").innerText };
	})()`), &dom)
	if dom.XSS != nil {
		t.Errorf("script from the token ran: window.__xss = %v", dom.XSS)
	}
	for _, v := range dom.Violations {
		t.Errorf("the page tried to load or run something from the token (CSP violation): %s", v)
	}
	for _, el := range dom.Injected {
		t.Errorf("an element from the token is in the DOM: %s", el)
	}
	for _, a := range dom.InlineAttrs {
		t.Errorf("an event handler or javascript: URL is in the DOM: %s", a)
	}
	for _, want := range []string{`<img src=x onerror="window.__xss='iss'">`, "<svg onload=window.__xss='sub'>", "javascript:alert(document.domain)"} {
		if !strings.Contains(dom.Text, want) {
			t.Errorf("the page does not show %q as text", want)
		}
	}
	for _, href := range dom.Links {
		if !linkAllowed(href, allowed) {
			t.Errorf("a link points at %q, which is neither the page nor a catalog reference", href)
		}
	}
	t.Logf("%d links checked against %d catalog references", len(dom.Links), len(allowed))
}

// catalogURLs are the reference URLs in the explain package's data files.
func catalogURLs(t *testing.T) map[string]bool {
	t.Helper()
	urls := map[string]bool{}
	matches, err := filepath.Glob(filepath.Join("..", "internal", "explain", "*.json"))
	if err != nil || len(matches) == 0 {
		t.Fatalf("no catalog files: %v", err)
	}
	for _, m := range matches {
		data, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case string:
				if strings.HasPrefix(v, "https://") {
					urls[v] = true
				}
			case []any:
				for _, x := range v {
					walk(x)
				}
			case map[string]any:
				for _, x := range v {
					walk(x)
				}
			}
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		walk(doc)
	}
	return urls
}

func linkAllowed(href string, catalog map[string]bool) bool {
	switch {
	case catalog[href]:
		return true
	case strings.HasPrefix(href, "#"), strings.HasPrefix(href, "blob:"):
		return true
	case strings.Contains(href, ":"):
		return strings.HasPrefix(href, env.base+"/")
	}
	return !strings.HasPrefix(href, "//")
}

// TestNoScriptFromTokensInEmbedsAndShareLinks renders the attack token in
// the iframe embed and through a share link: the markup stays text, no
// script runs, and no element from the token reaches the DOM.
func TestNoScriptFromTokensInEmbedsAndShareLinks(t *testing.T) {
	tok := jws(xssHeader, xssPayload)
	state, err := json.Marshal(map[string]any{"v": 1, "inspect": map[string]string{"token": tok}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, path string }{
		{"embed explain", "/embed.html#mode=explain&token=" + tok},
		{"embed decode", "/embed.html#mode=decode&token=" + tok},
		{"share link", "/#state=" + base64.RawURLEncoding.EncodeToString(state)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := NewPage(t)
			p.Do(chromedp.Navigate(env.base + tc.path))
			p.waitFor("the token's claims as text", `document.body.innerText.includes("onerror")`)
			p.Eval(`new Promise((r) => setTimeout(() => r(true), 300))`)
			var dom struct {
				XSS      any      `json:"xss"`
				Injected []string `json:"injected"`
			}
			mustDecode(t, p.Eval(`(() => ({
				xss: window.__xss ?? null,
				injected: [...document.querySelectorAll("*")].filter((el) =>
					(el.tagName === "SCRIPT" && el.textContent.includes("__xss"))
					|| (el.tagName === "IMG" && el.getAttribute("src") === "x")
					|| [...el.attributes].some((a) => /__xss|attacker\.example/.test(a.value) || /^on/i.test(a.name)))
					.map((el) => el.outerHTML.slice(0, 120)),
			}))()`), &dom)
			if dom.XSS != nil {
				t.Errorf("script from the token ran: window.__xss = %v", dom.XSS)
			}
			for _, el := range dom.Injected {
				t.Errorf("an element from the token is in the DOM: %s", el)
			}
		})
	}
}
