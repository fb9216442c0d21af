package hostile

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"tokenlab/internal/testvectors"
	"tokenlab/internal/token"
)

// Corpus returns every case (more than 80), the SD-JWT and DPoP cases of
// formatCases last. Keep names stable: they are
// test names in both suites.
func Corpus(t testing.TB) []Case {
	t.Helper()
	valid := JWS(`{"alg":"HS256","typ":"JWT"}`, `{"iss":"https://issuer.example","sub":"alice","exp":1800000000}`)
	h, p, s := strings.Split(valid, ".")[0], strings.Split(valid, ".")[1], strings.Split(valid, ".")[2]
	rsaPub := testvectors.Fixture(t, "rsa-2048.spki.pem")
	levels := nested10()
	jwe, rightKey, wrongKey := jweFixture(t)
	big := JWS(`{"alg":"HS256"}`, `{"blob":"`+strings.Repeat("A", 740_000)+`","exp":1800000000}`)
	if len(big) >= token.MaxTokenBytes || len(big) < 900_000 {
		t.Fatalf("the near-limit token is %d bytes; keep it just under 1 MiB", len(big))
	}
	deep := strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000)
	const tenMB = 10 << 20

	return append([]Case{
		// Shape: what is not a compact token at all.
		{Name: "empty", Method: "decode", Args: args(""), Code: "malformed", Msg: []string{"empty"}, Pasteable: true},
		{Name: "whitespace only", Method: "decode", Args: args(" \n\t\r  "), Code: "malformed", Msg: []string{"empty"}, Pasteable: true},
		{Name: "1 segment", Method: "decode", Args: args(h), Code: "malformed", Msg: []string{"no dots"}, Pasteable: true},
		{Name: "2 segments", Method: "decode", Args: args(h + "." + p), Code: "malformed", Msg: []string{"2 segments", "cut off"}, Pasteable: true},
		{Name: "4 segments", Method: "decode", Args: args(valid + ".extra"), Code: "malformed", Msg: []string{"4 segments"}, Pasteable: true},
		{Name: "6 segments", Method: "decode", Args: args(valid + ".a.b.c"), Code: "malformed", Msg: []string{"6 segments"}, Pasteable: true},
		{Name: "bad base64url character", Method: "decode", Args: args(h + ".not-base64!." + s), Code: "malformed", Msg: []string{"payload (segment 2)", "illegal character '!'"}, Pasteable: true},
		{Name: "base64 with padding", Method: "decode", Args: args(h + "." + base64.URLEncoding.EncodeToString([]byte(`{"a":1}`)) + "." + s), Code: "malformed", Msg: []string{"payload (segment 2)", "padding"}, Pasteable: true},
		{Name: "standard base64 alphabet", Method: "decode", Args: args(h + ".ab+/cd." + s), Code: "malformed", Msg: []string{"standard base64"}, Pasteable: true},
		{Name: "impossible base64 length", Method: "decode", Args: args(h + "A." + p + "." + s), Code: "malformed", Msg: []string{"header (segment 1)", "impossible"}, Pasteable: true},
		{Name: "non-JSON header", Method: "decode", Args: args(b64url([]byte("alg: HS256")) + "." + p + "." + s), Code: "malformed", Msg: []string{"header (segment 1) is not valid json"}, Pasteable: true},
		{Name: "JSON array header", Method: "decode", Args: args(b64url([]byte(`["alg","HS256"]`)) + "." + p + "." + s), Code: "malformed", Msg: []string{"header (segment 1)", "not an object"}, Pasteable: true},
		{Name: "JSON null header", Method: "decode", Args: args(b64url([]byte(`null`)) + "." + p + "." + s), Code: "malformed", Msg: []string{"header (segment 1)", "null"}, Pasteable: true},
		{Name: "deeply nested header", Browser: inWorkerStack, Method: "decode", Args: args(b64url([]byte(strings.Repeat(`{"a":`, 20000)+"1"+strings.Repeat("}", 20000))) + "." + p + "." + s), Code: "malformed", Msg: []string{"header (segment 1)", "max depth"}, Pasteable: true},
		{Name: "deeply nested payload array", Browser: inWorkerStack, Method: "decode", Args: args(JWS(`{"alg":"HS256"}`, strings.Repeat("[", 100000))), Check: func(t testing.TB, raw json.RawMessage) {
			d := decodeInto[decodedResult](t, raw)
			var text string
			if err := json.Unmarshal(d.Payload, &text); err != nil || len(text) != 100000 {
				t.Errorf("payload = %.80s…, want the 100000 brackets shown as text", d.Payload)
			}
			if !strings.Contains(strings.Join(d.Warnings, " "), "not JSON") {
				t.Errorf("warnings %q do not say the payload is not JSON", d.Warnings)
			}
		}, Pasteable: true},
		{Name: "payload nested 5000 levels explained", Browser: inWorkerStack, Method: "explain", Args: args(JWS(`{"alg":"HS256"}`, deep)), Code: "malformed", Msg: []string{"payload", "5000 levels deep", "at most 100"}, Pasteable: true},
		{Name: "payload nested 5000 levels verified", Browser: inWorkerStack, Method: "verify", Args: args(JWS(`{"alg":"HS256"}`, deep), VerifyOptions(nil)), Code: "malformed", Msg: []string{"5000 levels deep"}},
		{Name: "payload nested 100 levels explained", Browser: inPost, Method: "explain", Args: args(JWS(`{"alg":"HS256"}`, strings.Repeat(`{"a":`, 99)+"1"+strings.Repeat("}", 99))), Check: func(t testing.TB, raw json.RawMessage) {
			e := decodeInto[explainResult](t, raw)
			if len(e.Claims) != 2 || e.Claims[1].Name != "a" || e.Claims[1].Where != "payload" {
				t.Errorf("claims = %+v, want alg and the nested a", e.Claims)
			}
		}, Pasteable: true},
		{Name: "NUL character", Method: "decode", Args: args(h + "." + p + "\x00." + s), Code: "malformed", Msg: []string{"payload (segment 2)", `illegal character '\x00'`}, Pasteable: true},
		{Name: "escape character", Method: "decode", Args: args(h + ".\x1b[31m." + s), Code: "malformed", Msg: []string{`illegal character '\x1b'`}, Pasteable: true},
		{Name: "lone surrogate (invalid UTF-16/UTF-8)", Browser: inJSString, Method: "decode", Args: json.RawMessage(`["` + valid + `\ud800"]`), Code: "malformed", Msg: []string{"signature (segment 3)", "illegal character"}},
		{Name: "byte-order mark", Method: "decode", Args: args("\ufeff" + valid), Code: "malformed", Msg: []string{"header (segment 1)", `'\ufeff'`}, Pasteable: true},
		{Name: "HTTP Authorization header", Method: "decode", Args: args("Authorization: Bearer " + valid), Code: "malformed", Msg: []string{"header (segment 1)", "illegal character ':'"}, Pasteable: true},
		{Name: "whole HTTP request", Method: "decode", Args: args(fixture(t, "http-request.txt")), Code: "malformed", Msg: []string{"segments"}, Pasteable: true},
		{Name: "Bearer prefix", Method: "decode", Args: args("Bearer " + valid), Check: func(t testing.TB, raw json.RawMessage) {
			wantDecoded("JWS", map[string]any{"sub": "alice"})(t, raw)
			if d := decodeInto[decodedResult](t, raw); !strings.Contains(strings.Join(d.Warnings, " "), "Bearer") {
				t.Errorf("warnings %q do not mention the stripped Bearer", d.Warnings)
			}
		}, Pasteable: true},
		{Name: "JWKS pasted as a token", Method: "decode", Args: args(fixture(t, "jwks.json")), Code: "unsupported", Msg: []string{"looks like json"}, Pasteable: true},
		{Name: "PEM private key pasted as a token", Method: "decode", Args: args(fixture(t, "private-key.pem")), Code: "malformed", Msg: []string{"no dots"}, Pasteable: true},

		// Size limits (SECURITY.md): 1 MiB per token, 4 MiB per call.
		{Name: "just under 1 MiB is decoded and verified", Browser: inCopy, Method: "verify", Args: args(big, VerifyOptions(nil)), Check: func(t testing.TB, raw json.RawMessage) {
			wantCheck(true, "signature", true)(t, raw)
		}},
		{Name: "1 MiB plus one byte", Browser: inCopy, Method: "decode", Args: args(valid + strings.Repeat("A", token.MaxTokenBytes+1-len(valid))), Code: "malformed", Msg: []string{fmt.Sprintf("%d bytes", token.MaxTokenBytes+1), "1 mib"}},
		{Name: "10 MB paste", Browser: inSizeCap, Method: "decode", Args: args(strings.Repeat("A", tenMB)), ArgsJS: `["A".repeat(10 * 1024 * 1024)]`, Code: "malformed", Msg: []string{"at most 4194304 bytes", "1 mib"}},
		{Name: "10 MB paste to verify", Browser: inSizeCap, Method: "verify", Args: args(strings.Repeat("x", tenMB), map[string]any{"key": Secret}), ArgsJS: fmt.Sprintf(`["x".repeat(10 * 1024 * 1024), {key: %q}]`, Secret), Code: "malformed", Msg: []string{"at most"}},
		{Name: "10 MB key", Browser: inSizeCap, Method: "importKey", Args: args(strings.Repeat("k", tenMB)), ArgsJS: `["k".repeat(10 * 1024 * 1024)]`, Code: "malformed", Msg: []string{"at most"}},

		// Claims that are odd but decodable: shown exactly as carried.
		{Name: "control characters in claims", Browser: inControl, Method: "decode", Args: args(JWS(`{"alg":"HS256"}`, `{"name":"a\u0000b\u001b[31mred\u0007","exp":1800000000}`)), Check: wantDecoded("JWS", map[string]any{"name": "a\x00b\x1b[31mred\x07"}), Pasteable: true},
		{Name: "invalid UTF-8 in the payload", Method: "decode", Args: args(JWS(`{"alg":"HS256"}`, "{\"a\":\"\xff\xfe\",\"exp\":1800000000}")), Check: wantDecoded("JWS", map[string]any{"a": "\ufffd\ufffd"}), Pasteable: true},
		{Name: "invalid UTF-8 in the header", Method: "decode", Args: args(JWS("{\"alg\":\"HS256\",\"kid\":\"\xc0\xaf\"}", `{}`)), Check: func(t testing.TB, raw json.RawMessage) {
			d := decodeInto[decodedResult](t, raw)
			if !strings.Contains(string(d.Header), `"kid":"\ufffd\ufffd"`) && !strings.Contains(string(d.Header), "\"kid\":\"\ufffd\ufffd\"") {
				t.Errorf("header = %s, want the bad bytes as U+FFFD", d.Header)
			}
		}, Pasteable: true},
		{Name: "HTML and script in claims", Method: "decode", Args: args(JWS(`{"alg":"HS256","kid":"</script><script>alert(1)</script>"}`, `{"name":"<img src=x onerror=alert(1)>","website":"javascript:alert(1)"}`)), Check: wantDecoded("JWS", map[string]any{"name": "<img src=x onerror=alert(1)>", "website": "javascript:alert(1)"}), Pasteable: true},
		{Name: "Unicode direction overrides", Method: "decode", Args: args(JWS(`{"alg":"HS256"}`, `{"sub":"admin\u202egnp.exe","name":"\u2066evil\u2069"}`)), Check: wantDecoded("JWS", map[string]any{"sub": "admin\u202egnp.exe"}), Pasteable: true},
		{Name: "exp as a string", Method: "verify", Args: args(JWS(`{"alg":"HS256"}`, `{"exp":"1800000000"}`), VerifyOptions(nil)), Check: wantCheck(false, "exp", false, `exp is "1800000000", not a NumericDate`)},
		{Name: "exp of 1e308 explained", Method: "explain", Args: args(JWS(`{"alg":"HS256"}`, `{"exp":1e308}`)), Check: wantFinding("invalid-date", "exp"), Pasteable: true},
		{Name: "exp of 1e308 decoded", Method: "decode", Args: args(JWS(`{"alg":"HS256"}`, `{"exp":1e308}`)), Check: func(t testing.TB, raw json.RawMessage) {
			var payload struct{ Exp float64 }
			if err := json.Unmarshal(decodeInto[decodedResult](t, raw).Payload, &payload); err != nil || payload.Exp != 1e308 {
				t.Errorf("payload exp = %v (%v), want 1e308", payload.Exp, err)
			}
		}, Pasteable: true},
		{Name: "negative iat", Method: "verify", Args: args(JWS(`{"alg":"HS256"}`, `{"exp":1800000000,"iat":-5}`), VerifyOptions(nil)), Check: wantCheck(false, "iat", false, "not a usable NumericDate", "before 1970")},
		{Name: "exp of 1e308 verified", Method: "verify", Args: args(JWS(`{"alg":"HS256"}`, `{"exp":1e308}`), VerifyOptions(nil)), Check: wantCheck(false, "exp", false, "not a usable NumericDate")},
		{Name: "huge iat verified", Method: "verify", Args: args(JWS(`{"alg":"HS256"}`, `{"exp":1800000000,"iat":1e20}`), VerifyOptions(nil)), Check: wantCheck(false, "iat", false, "not a usable NumericDate")},
		{Name: "huge iat explained", Method: "explain", Args: args(JWS(`{"alg":"HS256"}`, `{"exp":1800000000,"iat":1e20}`)), Check: wantFinding("invalid-date", "iat"), Pasteable: true},
		{Name: "duplicate claim: the last one counts everywhere", Method: "verify", Args: args(JWS(`{"alg":"HS256"}`, `{"exp":1800000000,"exp":2}`), VerifyOptions(nil)), Check: wantCheck(false, "exp", false, "1970-01-01T00:00:02Z")},
		{Name: "duplicate alg: the last one counts", Method: "verify", Args: args(JWS(`{"alg":"HS256","alg":"none"}`, `{"exp":1800000000}`), VerifyOptions(nil)), Check: wantCheck(false, "alg", false, `"none"`)},
		{Name: "__proto__ and constructor claims", Browser: inPrototype, Method: "explain", Args: args(JWS(`{"alg":"HS256"}`, `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"toString":"x","exp":1800000000}`)), Check: func(t testing.TB, raw json.RawMessage) {
			e := decodeInto[explainResult](t, raw)
			var names []string
			for _, c := range e.Claims {
				names = append(names, c.Name)
			}
			if got := strings.Join(names, ","); got != "alg,__proto__,constructor,toString,exp" {
				t.Errorf("claims = %s, want every claim in token order", got)
			}
		}, Pasteable: true},

		// Algorithms and keys an attacker chooses.
		{Name: "alg none", Method: "verify", Args: args(unsecured("none", `{"exp":1800000000}`), VerifyOptions(nil)), Check: wantCheck(false, "alg", false, "never accepts alg none")},
		{Name: "alg None", Method: "verify", Args: args(unsecured("None", `{"exp":1800000000}`), VerifyOptions(nil)), Check: wantCheck(false, "alg", false, `"None"`)},
		{Name: "alg NONE even when allowed", Method: "verify", Args: args(unsecured("NONE", `{"exp":1800000000}`), VerifyOptions(map[string]any{"algorithms": []string{"NONE", "none"}})), Check: wantCheck(false, "alg", false, `"NONE"`)},
		{Name: "alg none decoded", Method: "decode", Args: args(unsecured("none", `{"sub":"mallory"}`)), Check: wantDecoded("unsecured", map[string]any{"sub": "mallory"}), Pasteable: true},
		{Name: "RSA public key PEM as HMAC secret", Method: "verify", Args: args(jwsWith(`{"alg":"HS256"}`, `{"exp":1800000000}`, rsaPub), map[string]any{"key": string(rsaPub), "now": Now}), Check: wantCheck(false, "alg", false, "algorithm-confusion")},
		{Name: "unknown crit", Method: "verify", Args: args(JWS(`{"alg":"HS256","crit":["x-bogus"],"x-bogus":1}`, `{"exp":1800000000}`), VerifyOptions(nil)), Check: wantCheck(false, "crit", false, `"x-bogus"`)},
		{Name: "jku and x5u elsewhere: verified with the given key only", Browser: inRequests, Method: "verify", Args: args(JWS(`{"alg":"HS256","jku":"https://attacker.example/jwks.json","x5u":"https://attacker.example/cert.pem"}`, `{"exp":1800000000}`), VerifyOptions(nil)), Check: wantCheck(true, "signature", true)},
		{Name: "jku elsewhere explained", Browser: inRequests, Method: "explain", Args: args(JWS(`{"alg":"HS256","jku":"https://attacker.example/jwks.json"}`, `{"exp":1800000000}`)), Check: wantFinding("jku-header", "https://attacker.example/jwks.json"), Pasteable: true},
		{Name: "x5u elsewhere explained", Browser: inRequests, Method: "explain", Args: args(JWS(`{"alg":"HS256","x5u":"https://attacker.example/cert.pem"}`, `{"exp":1800000000}`)), Check: wantFinding("x5u-header", "https://attacker.example/cert.pem"), Pasteable: true},
		{Name: "signature made with another secret", Method: "verify", Args: args(jwsWith(`{"alg":"HS256"}`, `{"exp":1800000000}`, []byte("some-other-secret-of-enough-length-0123")), VerifyOptions(nil)), Check: wantCheck(false, "signature", false)},
		{Name: "empty JWKS as the key", Method: "verify", Args: args(valid, map[string]any{"key": map[string]any{"keys": []any{}}, "now": Now}), Code: "bad_key", Msg: []string{"jwks"}},
		{Name: "garbage PEM as the key", Method: "importKey", Args: args("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"), Code: "bad_key", Msg: []string{"pem"}},
		{Name: "JWE with a wrong key", Method: "decrypt", Args: args(jwe, map[string]any{"key": json.RawMessage(wrongKey)}), Code: "bad_key", Msg: []string{"key"}},
		{Name: "JWE with the right key", Method: "decrypt", Args: args(jwe, map[string]any{"key": json.RawMessage(rightKey)}), Check: func(t testing.TB, raw json.RawMessage) {
			var d struct {
				Nested *decodedResult `json:"nested"`
			}
			if err := json.Unmarshal(raw, &d); err != nil || d.Nested == nil || d.Nested.Format != "JWS" {
				t.Errorf("decrypt = %.300s, want the nested JWS decoded", raw)
			}
		}},
		{Name: "JWE decoded without a key", Method: "decode", Args: args(jwe), Check: func(t testing.TB, raw json.RawMessage) {
			if d := decodeInto[decodedResult](t, raw); d.Format != "JWE" || string(d.Payload) != "null" || len(d.Parts) != 5 {
				t.Errorf("decode(JWE) = %+v, want format JWE, payload null, 5 parts", d)
			}
		}, Pasteable: true},
		{Name: "nested JWT ten levels deep", Method: "decode", Args: args(levels[0]), Check: func(t testing.TB, raw json.RawMessage) {
			d := decodeInto[decodedResult](t, raw)
			var inner string
			if err := json.Unmarshal(d.Payload, &inner); err != nil || inner != levels[1] {
				t.Errorf("payload = %.100s…, want the next level's token as text", d.Payload)
			}
		}, Pasteable: true},
		{Name: "nested JWT innermost level", Method: "decode", Args: args(levels[9]), Check: wantDecoded("JWS", map[string]any{"level": 10}), Pasteable: true},
		{Name: "nested JWT ten levels deep explained", Method: "explain", Args: args(levels[0]), Check: func(t testing.TB, raw json.RawMessage) {
			e := decodeInto[explainResult](t, raw)
			if len(e.Claims) == 0 || e.Claims[0].Name != "alg" {
				t.Errorf("claims = %+v, want the outer header explained", e.Claims)
			}
		}, Pasteable: true},

		// Arguments of the wrong shape.
		{Name: "token is a number", Method: "decode", Args: args(42), Code: "bad_request", Msg: []string{"must be a string"}},
		{Name: "token is an object", Method: "verify", Args: args(map[string]any{"token": valid}, VerifyOptions(nil)), Code: "bad_request", Msg: []string{"must be a string"}},
		{Name: "options are a string", Method: "verify", Args: args(valid, "secret"), Code: "bad_request", Msg: []string{"must be an object"}},
		{Name: "now is a string", Method: "verify", Args: args(valid, map[string]any{"key": Secret, "now": "tomorrow"}), Code: "bad_request", Msg: []string{`"now"`}},
	}, formatCases(t)...)
}

// The parts of the API's results that the checks read.

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

func decodeInto[T any](t testing.TB, raw json.RawMessage) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decoding the result: %v (%.300s)", err, raw)
	}
	return v
}

// wantDecoded checks the format and that payload member name equals want.
func wantDecoded(format string, claims map[string]any) func(testing.TB, json.RawMessage) {
	return func(t testing.TB, raw json.RawMessage) {
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
func wantCheck(valid bool, id string, ok bool, fragments ...string) func(testing.TB, json.RawMessage) {
	return func(t testing.TB, raw json.RawMessage) {
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

func wantFinding(id string, fragments ...string) func(testing.TB, json.RawMessage) {
	return func(t testing.TB, raw json.RawMessage) {
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
