package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"tokenlab/internal/vocab"
)

func TestDecodeTolerates(t *testing.T) {
	v := loadVectors(t)[1] // RS256
	parts := strings.Split(v.Token, ".")
	tests := []struct {
		name, input string
		warnings    int
	}{
		{"surrounding whitespace", "\n\t " + v.Token + " \r\n", 0},
		{"Bearer prefix", "Bearer " + v.Token, 1},
		{"lower-case bearer and tab", "bearer\t" + v.Token, 1},
		{"line breaks inside", parts[0] + ".\n" + parts[1][:20] + "\n" + parts[1][20:] + "." + parts[2], 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Decode(tc.input)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(d.Parts, ".") != v.Token || len(d.Warnings) != tc.warnings {
				t.Fatalf("parts %q warnings %q", d.Parts, d.Warnings)
			}
		})
	}
}

func TestDecodeJWE(t *testing.T) {
	m := mustMint(t, MintOptions{Kind: vocab.IDToken, Key: KeyInput(hsKey(t)), Encrypt: &EncryptOptions{Key: KeyInput(string(testKey(t, "A128KW").PrivateJWK))}})
	d, err := Decode(m.Token)
	if err != nil {
		t.Fatal(err)
	}
	if d.Format != FormatJWE || string(d.Payload) != "null" || d.Signature != "" || len(d.Parts) != 5 || string(d.Header) != string(m.Header) {
		t.Fatalf("decoded %+v", d)
	}
}

func TestDecodeErrorsNameTheSegment(t *testing.T) {
	tests := []struct {
		name, input string
		want        error
		message     string
	}{
		{"empty", "  ", ErrMalformed, "empty"},
		{"one segment", "abc", ErrMalformed, "no dots"},
		{"two segments", "a.b", ErrMalformed, "2 segments"},
		{"four segments", "a.b.c.d", ErrMalformed, "4 segments"},
		{"bad payload character", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0N*.abc", ErrMalformed, "payload (segment 2) is not valid base64url: illegal character '*' at offset 17"},
		{"standard base64", "eyJhbGciOiJIUzI1NiJ9.e30.ab+c", ErrMalformed, "signature (segment 3) is not valid base64url: illegal character '+' at offset 2"},
		{"padding", "eyJhbGciOiJIUzI1NiJ9.e30=.", ErrMalformed, "payload (segment 2) is not valid base64url: padding '=' at offset 3"},
		{"impossible length", "eyJhbGciOiJIUzI1NiJ9.e30.a", ErrMalformed, "signature (segment 3) is not valid base64url: a length of 1 characters"},
		{"truncated header JSON", "eyJhbGciOiJIUzI1NiI.e30.", ErrMalformed, "header (segment 1) is not valid JSON"},
		{"header not an object", "WzFd.e30.", ErrMalformed, "header (segment 1) is JSON but not an object"},
		{"JWE bad tag", "eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..AAAA.AAAA.A$", ErrMalformed, "authentication tag (segment 5)"},
		{"JSON serialization", `{"payload":"e30"}`, ErrUnsupported, "JSON"},
		{"too big", strings.Repeat("a", MaxTokenBytes+1), ErrMalformed, "1 MiB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(tc.input)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("message %q does not say %q", err, tc.message)
			}
		})
	}
}

func TestVerifyGenericKinds(t *testing.T) {
	v := loadVectors(t)[2] // ES256
	jwksNoKid := `{"keys":[` + string(loadVectors(t)[5].Key) + "," + string(v.Key) + "]}"
	for _, kind := range []vocab.Kind{"", vocab.JWT, vocab.Unknown} {
		res := mustVerify(t, v.Token, VerifyOptions{Key: KeyInput(jwksNoKid), Kind: kind, Now: beforeExp})
		// The payload's iss "joe" is shown, not compared.
		if !res.Valid || res.Kind != vocab.JWT || ids(res) != "alg,signature,exp,iss" || res.Checks[3].Status != StatusSkip {
			t.Errorf("kind %q: valid %v kind %s ids %s", kind, res.Valid, res.Kind, ids(res))
		}
	}
}

// TestDecodeReturnsValidJSON: a header or payload with bytes that are not
// UTF-8 inside its strings decodes to valid JSON, with U+FFFD in their
// place and a warning, while the signature still covers the original bytes.
func TestDecodeReturnsValidJSON(t *testing.T) {
	seg := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	header := []byte("{\"alg\":\"HS256\",\"kid\":\"k\xff\"}")
	payload := []byte("{\"sub\":\"al\xc3ice\",\"n\":1}")
	secret := "a-secret-that-is-at-least-32-bytes-long"
	input := seg(header) + "." + seg(payload)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(input))
	tok := input + "." + seg(mac.Sum(nil))

	d, err := Decode(tok)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(d.Header) || !utf8.Valid(d.Header) || string(d.Header) != "{\"alg\":\"HS256\",\"kid\":\"k\uFFFD\"}" {
		t.Errorf("header = %q, want valid UTF-8 JSON with U+FFFD", d.Header)
	}
	if !json.Valid(d.Payload) || !utf8.Valid(d.Payload) || string(d.Payload) != "{\"sub\":\"al\uFFFDice\",\"n\":1}" {
		t.Errorf("payload = %q, want valid UTF-8 JSON with U+FFFD", d.Payload)
	}
	if got := strings.Join(d.Warnings, "\n"); !strings.Contains(got, "the header contains bytes that are not UTF-8") || !strings.Contains(got, "the payload contains bytes that are not UTF-8") {
		t.Errorf("warnings %q do not report the replaced bytes", d.Warnings)
	}
	res, err := Verify(tok, VerifyOptions{Key: KeyInput(secret)})
	if err != nil {
		t.Fatal(err)
	}
	if c := check(t, res, "signature"); c.Status != StatusPass {
		t.Errorf("signature = %s (%s): it must cover the bytes as sent, not the repaired text", c.Status, c.Message)
	}
	if !utf8.Valid(res.Header) || !utf8.Valid(res.Payload) {
		t.Errorf("verify returned invalid UTF-8: %q %q", res.Header, res.Payload)
	}
}

// TestDepthBound: JSON nested deeper than MaxJSONDepth is refused before
// any recursive parser sees it, in a header, a payload and key text.
func TestDepthBound(t *testing.T) {
	seg := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	nested := func(depth int) string { return strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth) }
	if _, err := Decode(seg(`{"alg":"HS256"}`) + "." + seg(nested(MaxJSONDepth)) + ".c2ln"); err != nil {
		t.Errorf("a payload %d levels deep: %v", MaxJSONDepth, err)
	}
	for _, tc := range []struct {
		name string
		run  func() error
		want error
		frag string
	}{
		{"payload", func() error { _, err := Decode(seg(`{"alg":"HS256"}`) + "." + seg(nested(3000)) + ".c2ln"); return err }, ErrMalformed, "payload (segment 2): JSON nested 3000 levels deep"},
		{"header", func() error {
			_, err := Decode(seg(`{"alg":"HS256","x":`+nested(MaxJSONDepth)+`}`) + ".e30.c2ln")
			return err
		}, ErrMalformed, "header (segment 1): JSON nested 101 levels deep"},
		{"JWE header", func() error { _, err := Decode(seg(nested(200)) + ".a.b.c.d"); return err }, ErrMalformed, "protected header (segment 1): JSON nested 200"},
		{"key", func() error { _, err := ImportKey(nested(3000), ImportOptions{}); return err }, ErrBadKey, "the key: JSON nested 3000 levels deep"},
		{"quoted key", func() error {
			_, err := ImportKey(`"`+strings.ReplaceAll(nested(500), `"`, `\"`)+`"`, ImportOptions{})
			return err
		}, ErrBadKey, "500 levels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(); !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.frag) {
				t.Fatalf("err = %v, want %v naming %q", err, tc.want, tc.frag)
			}
		})
	}
	for _, tc := range []struct {
		in   string
		want int
	}{
		{``, 0}, {`1`, 0}, {`{}`, 1}, {`[[],[[]]]`, 3}, {`{"a":"[[[[{{{{"}`, 1}, {`{"a":"\"[[[["}`, 1}, {nested(5000), 5000},
	} {
		if got := JSONDepth([]byte(tc.in)); got != tc.want {
			t.Errorf("JSONDepth(%.40q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
