package token

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math/big"
	"strings"
)

// OpenSSH public keys are read here with the standard library rather than
// golang.org/x/crypto/ssh, which would add about 70 KB (gzip) to the
// WebAssembly engine for what is a few length-prefixed fields: the wire
// encodings of RFC 4253 §6.6 (ssh-rsa), RFC 5656 §3.1 (ecdsa-sha2-*) and
// RFC 8709 §4 (ssh-ed25519). The tests check the result against
// x/crypto/ssh.

// sshKeyTypes are the prefixes of OpenSSH public-key algorithm names.
var sshKeyTypes = []string{"ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-"}

// sshCurves are the ECDSA curves of RFC 5656 §10.1 that JOSE also uses.
var sshCurves = map[string]string{"nistp256": "P-256", "nistp384": "P-384", "nistp521": "P-521"}

// parseSSHLine recognizes an OpenSSH public-key line ("ssh-ed25519 AAAA…
// comment", as in a .pub file, or authorized_keys with options before
// it). isSSH is true when a field names an SSH key type and the next one
// is base64 of a key: such text is a key or an error, never a secret.
func parseSSHLine(text string) (set *keySet, isSSH bool, err error) {
	fields := strings.Fields(text)
	for i := 0; i+1 < len(fields); i++ {
		if !hasAnyPrefix(fields[i], sshKeyTypes) || !strings.HasPrefix(fields[i+1], "AAAA") {
			continue
		}
		wire, err := base64.StdEncoding.DecodeString(fields[i+1])
		if err != nil {
			return nil, true, fmt.Errorf("%w: the text looks like an OpenSSH %s public key, but its key is not base64", ErrBadKey, fields[i])
		}
		key, name, err := parseSSHPublicKey(wire)
		if err != nil {
			return nil, true, err
		}
		if name != fields[i] {
			return nil, true, fmt.Errorf("%w: the OpenSSH line says %s, but its key is %s", ErrBadKey, fields[i], name)
		}
		set, err := sshKeySet(key, "an OpenSSH public key ("+name+")")
		return set, true, err
	}
	return nil, false, nil
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// parseSSH2PublicKey reads an RFC 4716 public key block, whose header
// lines (Comment: …, possibly continued with a backslash) precede the
// base64 body.
func parseSSH2PublicKey(text string) (*keySet, error) {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var body strings.Builder
	continued := false
	for _, line := range lines[1:] {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "---- END SSH2 PUBLIC KEY ----"):
			wire, err := base64.StdEncoding.DecodeString(body.String())
			if err != nil {
				return nil, fmt.Errorf("%w: the SSH2 public key body is not base64 (RFC 4716 §3.4)", ErrBadKey)
			}
			key, name, err := parseSSHPublicKey(wire)
			if err != nil {
				return nil, err
			}
			return sshKeySet(key, "an RFC 4716 SSH2 public key ("+name+")")
		case continued:
			continued = strings.HasSuffix(line, `\`)
		case strings.Contains(line, ":"):
			continued = strings.HasSuffix(line, `\`)
		default:
			body.WriteString(line)
		}
	}
	return nil, fmt.Errorf("%w: the SSH2 public key has no ---- END SSH2 PUBLIC KEY ---- line (RFC 4716 §3.2)", ErrBadKey)
}

// sshKeySet wraps a key read from SSH in a key set.
func sshKeySet(key any, source string) (*keySet, error) {
	jwk, err := supportedKey(key, source)
	if err != nil {
		return nil, err
	}
	return &keySet{keys: []setKey{{JSONWebKey: jwk}}, source: source}, nil
}

// parseSSHPublicKey decodes the SSH wire encoding of a public key and
// returns the key and its algorithm name.
func parseSSHPublicKey(wire []byte) (key any, name string, err error) {
	r := &sshReader{b: wire}
	name = string(r.field())
	switch {
	case name == "ssh-rsa":
		e, n := r.field(), r.field()
		if r.bad || len(r.b) > 0 {
			break
		}
		if err := checkRSAModulus(integerBits(n), new(big.Int).SetBytes(e)); err != nil {
			return nil, name, err
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, name, nil
	case strings.HasPrefix(name, "ecdsa-sha2-"):
		curve, point := string(r.field()), r.field()
		crv, ok := sshCurves[curve]
		if r.bad || len(r.b) > 0 {
			break
		}
		if !ok || name != "ecdsa-sha2-"+curve {
			return nil, name, fmt.Errorf("%w: the SSH key is on curve %s; JOSE uses P-256, P-384 and P-521 (nistp256, nistp384, nistp521)", ErrUnsupported, curve)
		}
		pub, err := ecdsa.ParseUncompressedPublicKey(curveByName(crv), point)
		if err != nil {
			return nil, name, fmt.Errorf("%w: the SSH %s key is not a point on its curve", ErrBadKey, name)
		}
		return pub, name, nil
	case name == "ssh-ed25519":
		pub := r.field()
		if r.bad || len(r.b) > 0 || len(pub) != ed25519.PublicKeySize {
			break
		}
		return ed25519.PublicKey(pub), name, nil
	case !r.bad:
		return nil, name, fmt.Errorf("%w: an SSH %s key cannot be used for JOSE; tokenlab handles ssh-rsa, ecdsa-sha2-nistp256/384/521 and ssh-ed25519 keys", ErrUnsupported, name)
	}
	return nil, name, fmt.Errorf("%w: the SSH %s public key is cut off or has extra bytes (RFC 4253 §6.6)", ErrBadKey, name)
}

// sshReader reads the length-prefixed strings of the SSH wire format
// (RFC 4251 §5); bad records the first short read.
type sshReader struct {
	b   []byte
	bad bool
}

// field reads one string or mpint (a uint32 length, then that many bytes).
func (r *sshReader) field() []byte {
	if r.bad || len(r.b) < 4 {
		r.bad = true
		return nil
	}
	n := binary.BigEndian.Uint32(r.b)
	if uint64(n) > uint64(len(r.b)-4) {
		r.bad = true
		return nil
	}
	out := r.b[4 : 4+n]
	r.b = r.b[4+n:]
	return out
}
