package token

import (
	"errors"
	"strings"
	"testing"

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
	m := mustMint(t, MintOptions{Kind: vocab.IDToken, Key: hsKey(t), Encrypt: &EncryptOptions{Key: string(testKey(t, "A128KW").PrivateJWK)}})
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
		res := mustVerify(t, v.Token, VerifyOptions{Key: jwksNoKid, Kind: kind, Now: beforeExp})
		// The payload's iss "joe" is shown, not compared.
		if !res.Valid || res.Kind != vocab.JWT || ids(res) != "alg,signature,exp,iss" || res.Checks[3].Status != StatusSkip {
			t.Errorf("kind %q: valid %v kind %s ids %s", kind, res.Valid, res.Kind, ids(res))
		}
	}
}
