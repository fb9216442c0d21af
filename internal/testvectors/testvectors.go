// Package testvectors is the one loader of tokenlab's shared test fixtures,
// for the tests of every package: internal/token, internal/engine, the
// hostile-input corpus and the browser tests in e2e read the same files
// through it.
//
// The fixtures live in internal/token/testdata: the published JWS vectors
// (rfc-jws-vectors.json, copied from shared/vectors: RFC 7515 Appendix A and
// RFC 8037 A.4, see rfc-jws-vectors.README.md) and the test keys described
// in its README. They stay there because they are first of all that
// package's known-answer tests.
//
// go test runs each package's tests in the package's source directory, so
// the loader finds the files by walking up to the module root (go.mod).
// Import this package from tests only.
package testvectors

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// fixtureDir is where the shared fixtures live, relative to the module root.
var fixtureDir = filepath.Join("internal", "token", "testdata")

// jwsFile is the published JWS vectors, in fixtureDir.
const jwsFile = "rfc-jws-vectors.json"

// Vector is one published JWS test vector.
type Vector struct {
	// ID names the vector after its source, e.g. "rfc7515-A.1-HS256".
	ID string `json:"id"`
	// Alg is the header's alg: HS256, RS256, ES256, ES512, none or EdDSA.
	Alg string `json:"alg"`
	// Token is the compact JWS exactly as the RFC prints it.
	Token string `json:"token"`
	// Key is the public JWK that verifies Token (for A.1 the symmetric JWK).
	Key json.RawMessage `json:"key"`
	// PrivateJWK is the signing key where the RFC gives one, else null.
	PrivateJWK json.RawMessage `json:"private_jwk"`
	// HeaderRaw and PayloadRaw are the exact decoded segments (the A.1
	// header keeps its CR LF; the A.4 and RFC 8037 payloads are not JSON).
	HeaderRaw  string `json:"decoded_header_raw"`
	PayloadRaw string `json:"decoded_payload_raw"`
}

// LoadJWS returns every published JWS vector in file order. It fails tb
// when the file cannot be read or holds no vectors.
func LoadJWS(tb testing.TB) []Vector {
	tb.Helper()
	data := Fixture(tb, jwsFile)
	var vs []Vector
	if err := json.Unmarshal(data, &vs); err != nil {
		tb.Fatalf("testvectors: %s is not a JSON list of vectors: %v", jwsFile, err)
	}
	if len(vs) == 0 {
		tb.Fatalf("testvectors: %s holds no vectors", jwsFile)
	}
	return vs
}

// JWSByID returns the vector with the given ID, failing tb when there is
// none.
func JWSByID(tb testing.TB, id string) Vector {
	tb.Helper()
	for _, v := range LoadJWS(tb) {
		if v.ID == id {
			return v
		}
	}
	tb.Fatalf("testvectors: no vector %q in %s", id, jwsFile)
	return Vector{}
}

// Fixture returns the contents of a shared fixture file, such as
// "rsa-2048.spki.pem", failing tb when it cannot be read.
func Fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	root, err := moduleRoot()
	if err != nil {
		tb.Fatalf("testvectors: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(root, fixtureDir, name))
	if err != nil {
		tb.Fatalf("testvectors: %v", err)
	}
	return data
}

// moduleRoot returns the nearest directory at or above the working
// directory that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory; run the tests with go test inside the module")
		}
		dir = parent
	}
}
