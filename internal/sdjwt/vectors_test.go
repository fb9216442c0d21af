package sdjwt

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"tokenlab/internal/token"
)

// The known answers of RFC 9901; testdata/README.md says where each comes
// from.

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameJSON compares two JSON texts as values, and their member order.
func sameJSON(t *testing.T, what string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %v in %s", what, err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s =\n%s\nwant\n%s", what, got, want)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Errorf("%s has the right members but not in the RFC's order:\n%s\nwant\n%s", what, got, buf.Bytes())
	}
}

type disclosureVector struct {
	Section    string          `json:"section"`
	Disclosure string          `json:"disclosure"`
	Digest     string          `json:"digest"`
	Salt       string          `json:"salt"`
	Name       *string         `json:"name"`
	Value      json.RawMessage `json:"value"`
}

func TestRFC9901DisclosureDigests(t *testing.T) {
	var vectors []disclosureVector
	if err := json.Unmarshal(readTestdata(t, "rfc9901-disclosures.json"), &vectors); err != nil {
		t.Fatal(err)
	}
	if len(vectors) < 20 {
		t.Fatalf("only %d vectors", len(vectors))
	}
	p := &parsed{hash: hashes[DefaultHashAlg]}
	for i, vec := range vectors {
		d, err := p.readDisclosure(1, vec.Disclosure)
		if err != nil {
			t.Fatalf("%d (%s): %v", i, vec.Section, err)
		}
		if d.Digest != vec.Digest || d.Salt != vec.Salt || !reflect.DeepEqual(d.Name, vec.Name) {
			t.Errorf("%s: %s → digest %s, salt %s, name %v; want %s, %s, %v", vec.Section, vec.Disclosure, d.Digest, d.Salt, d.Name, vec.Digest, vec.Salt, vec.Name)
		}
		var got, want any
		_ = json.Unmarshal(d.Value, &got)
		_ = json.Unmarshal(vec.Value, &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: value %s, want %s", vec.Section, d.Value, vec.Value)
		}
	}
}

// TestRFC9901Encodings: §4.2.1 shows three other encodings of the
// family_name disclosure; each decodes to the same claim, and each has its
// own digest, since the digest is over the text (Appendix B).
func TestRFC9901Encodings(t *testing.T) {
	p := &parsed{hash: hashes[DefaultHashAlg]}
	seen := map[string]bool{}
	for _, text := range []string{
		"WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0",
		"WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNXHUwMGY2Yml1cyJd",
		"WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsImZhbWlseV9uYW1lIiwiTcO2Yml1cyJd",
		"WwoiXzI2YmM0TFQtYWM2cTJLSTZjQlc1ZXMiLAoiZmFtaWx5X25hbWUiLAoiTcO2Yml1cyIKXQ",
	} {
		d, err := p.readDisclosure(1, text)
		if err != nil {
			t.Fatal(err)
		}
		if *d.Name != "family_name" || string(d.Value) != `"Möbius"` || d.Salt != "_26bc4LT-ac6q2KI6cBW5es" {
			t.Errorf("%s decodes to %s %s %s", text, d.Salt, *d.Name, d.Value)
		}
		if seen[d.Digest] {
			t.Errorf("two encodings share the digest %s", d.Digest)
		}
		seen[d.Digest] = true
	}
}

func TestRFC9901IssuanceDecodes(t *testing.T) {
	d, err := Decode(string(readTestdata(t, "rfc9901-5.1-issuance.txt")))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Disclosures) != 10 || d.Undisclosed != 0 || d.KB != nil || d.SDAlg != "sha-256" {
		t.Fatalf("decoded %d disclosures, %d undisclosed, kb %v, alg %s; want 10, 0, none, sha-256", len(d.Disclosures), d.Undisclosed, d.KB, d.SDAlg)
	}
	wantPaths := []string{"/given_name", "/family_name", "/email", "/phone_number", "/phone_number_verified", "/address", "/birthdate", "/updated_at", "/nationalities/0", "/nationalities/1"}
	for i, disc := range d.Disclosures {
		if disc.Path != wantPaths[i] {
			t.Errorf("disclosure %d is at %q, want %q", i+1, disc.Path, wantPaths[i])
		}
	}
	if len(d.Warnings) != 0 {
		t.Errorf("warnings: %v", d.Warnings)
	}
	var processed map[string]any
	if err := json.Unmarshal(d.Processed, &processed); err != nil {
		t.Fatal(err)
	}
	if processed["email"] != "johndoe@example.com" || !reflect.DeepEqual(processed["nationalities"], []any{"US", "DE"}) || processed["_sd"] != nil || processed["_sd_alg"] != nil {
		t.Errorf("processed = %s", d.Processed)
	}
}

// TestRFC9901Presentation checks §5.2: the processed payload, the count
// of undisclosed digests, the KB-JWT, its sd_hash, and a full verify with
// the issuer key of Appendix A.5 at the KB-JWT's iat.
func TestRFC9901Presentation(t *testing.T) {
	sdjwt := string(readTestdata(t, "rfc9901-5.2-presentation.txt"))
	d, err := Decode(sdjwt)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "processed payload", d.Processed, readTestdata(t, "rfc9901-5.2-processed.json"))
	// 8 digests in _sd and 2 array elements; given_name, family_name,
	// address and "US" are disclosed.
	if d.Undisclosed != 6 {
		t.Errorf("undisclosed = %d, want 6", d.Undisclosed)
	}
	if d.KB == nil || string(d.KB.Header) != `{"alg":"ES256","typ":"kb+jwt"}` {
		t.Fatalf("kb = %+v", d.KB)
	}
	const sdHash = "G3I8z-cFMATAK2ep8MXWk-vnjI3X6-aahYeU9Tvzz3E"
	if got := digest(d.parsed.hash, d.parsed.presented); got != sdHash {
		t.Errorf("sd_hash of the presented SD-JWT = %s, want the RFC's %s", got, sdHash)
	}
	key := token.KeyInput(readTestdata(t, "rfc9901-a5-issuer-key.json"))
	v, err := Verify(sdjwt, VerifyOptions{
		Key: key, Issuer: "https://issuer.example.com", Audience: "https://verifier.example.org", Nonce: "1234567890",
		Now: time.Unix(1748537243+30, 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Valid || !v.Complete || v.Verdict != token.VerdictValid {
		t.Errorf("verdict %s (%s); checks:\n%s", v.Verdict, v.Summary, checkList(v.Checks))
	}
	want := []string{"alg", "signature", "exp", "iat", "iss", "sd_alg", "digests", "disclosures", "claim_names", "key_binding", "kb_typ", "kb_alg", "kb_signature", "kb_iat", "kb_aud", "kb_nonce", "sd_hash"}
	if got := checkIDs(v.Checks); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("checks = %v\nwant %v", got, want)
	}
}

func checkIDs(checks []token.Check) []string {
	ids := make([]string, len(checks))
	for i, c := range checks {
		ids[i] = c.ID
	}
	return ids
}

func checkList(checks []token.Check) string {
	var b strings.Builder
	for _, c := range checks {
		b.WriteString(c.ID + " " + string(c.Status) + ": " + c.Message + " [" + c.Ref + "]\n")
	}
	return b.String()
}

// TestRFC9901Recursive processes the recursive disclosures of §6.3: the
// address disclosure holds the digests of its four members.
func TestRFC9901Recursive(t *testing.T) {
	var vec struct {
		Payload     json.RawMessage `json:"payload"`
		Disclosures []string        `json:"disclosures"`
		Processed   json.RawMessage `json:"processed"`
	}
	if err := json.Unmarshal(readTestdata(t, "rfc9901-6.3-recursive.json"), &vec); err != nil {
		t.Fatal(err)
	}
	sdjwt := unsigned(t, vec.Payload) + "~" + strings.Join(vec.Disclosures, "~") + "~"
	d, err := Decode(sdjwt)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "processed", d.Processed, vec.Processed)
	if d.Undisclosed != 0 || len(d.Warnings) != 0 {
		t.Errorf("undisclosed %d, warnings %v", d.Undisclosed, d.Warnings)
	}
	if d.Disclosures[0].Path != "/address/street_address" || d.Disclosures[4].Path != "/address" {
		t.Errorf("paths %q, %q", d.Disclosures[0].Path, d.Disclosures[4].Path)
	}
	// Without the address disclosure its members are referenced nowhere.
	d, err = Decode(unsigned(t, vec.Payload) + "~" + vec.Disclosures[0] + "~")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.problems) != 1 || d.problems[0].check != checkDisclosures || d.Undisclosed != 1 {
		t.Errorf("problems %+v, undisclosed %d", d.problems, d.Undisclosed)
	}
}

// unsigned is an alg-none JWT with this payload, for tests that only
// decode.
func unsigned(t *testing.T, payload json.RawMessage) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, payload); err != nil {
		t.Fatal(err)
	}
	return "eyJhbGciOiJub25lIn0." + b64(buf.String()) + "."
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
