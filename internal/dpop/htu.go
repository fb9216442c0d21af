package dpop

import (
	"strings"
)

// defaultPorts are the ports scheme-based normalization drops (RFC 3986
// §6.2.3).
var defaultPorts = map[string]string{"http": "80", "https": "443", "ws": "80", "wss": "443"}

// normalizeURI is an absolute URI without its query and fragment, as
// RFC 9449 §4.3 step 9 compares htu, normalized per RFC 3986 §6.2.2
// (scheme and host in lower case, percent-encodings in upper case and
// decoded where they encode unreserved characters, dot segments removed)
// and §6.2.3 (the scheme's default port and an empty path as "/"). ok is
// false when s is not an absolute URI with an authority.
func normalizeURI(s string) (string, bool) {
	s, _, _ = strings.Cut(s, "#")
	s, _, _ = strings.Cut(s, "?")
	scheme, rest, found := strings.Cut(s, ":")
	if !found || !validScheme(scheme) || !strings.HasPrefix(rest, "//") {
		return "", false
	}
	scheme = strings.ToLower(scheme)
	rest = rest[2:]
	authority, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority, path = rest[:i], rest[i:]
	}
	userinfo, hostport := "", authority
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		userinfo, hostport = authority[:i+1], authority[i+1:]
	}
	host, port := hostport, ""
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 && !strings.Contains(hostport[i:], "]") {
		host, port = hostport[:i], hostport[i+1:]
	}
	for _, c := range port {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	if port == defaultPorts[scheme] {
		port = ""
	}
	// Decode first, then lower-case: %50 is a "P" of the host, which is
	// case-insensitive like any other letter of it (§6.2.2.1).
	host, ok1 := percentNormalize(host)
	host = lowerOutsidePercent(host)
	userinfo, ok2 := percentNormalize(userinfo)
	path, ok3 := percentNormalize(path)
	if !ok1 || !ok2 || !ok3 || !validHost(host) {
		return "", false
	}
	path = removeDotSegments(path)
	if path == "" {
		path = "/"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + userinfo + host + path, true
}

// validHost accepts an IP literal in brackets or a registered name or
// IPv4 address of unreserved and sub-delimiter characters and
// percent-encodings (RFC 3986 §3.2.2); not an empty one.
func validHost(h string) bool {
	if strings.HasPrefix(h, "[") {
		return strings.HasSuffix(h, "]") && len(h) > 2 && !strings.ContainsAny(h[1:len(h)-1], "[]/?#@")
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !unreserved(c) && !strings.ContainsRune("!$&'()*+,;=%", rune(c)) {
			return false
		}
	}
	return h != ""
}

// validScheme applies RFC 3986 §3.1: a letter, then letters, digits, +, -
// and '.'.
func validScheme(s string) bool {
	for i, c := range s {
		letter := (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !letter && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}

// percentNormalize upper-cases the hex digits of percent-encodings and
// decodes those of unreserved characters (RFC 3986 §6.2.2.1, §6.2.2.2);
// ok is false for a % not followed by two hex digits.
func percentNormalize(s string) (string, bool) {
	if !strings.Contains(s, "%") {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return "", false
		}
		c := unhex(s[i+1])<<4 | unhex(s[i+2])
		if unreserved(c) {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(s[i+1:i+3]))
		}
		i += 2
	}
	return b.String(), true
}

// lowerOutsidePercent lower-cases the letters of a host, leaving the hex
// digits of its percent-encodings upper-case (RFC 3986 §6.2.2.1).
func lowerOutsidePercent(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '%':
			i += 2
		case 'A' <= b[i] && b[i] <= 'Z':
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// unreserved reports RFC 3986 §2.3's unreserved characters.
func unreserved(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~'
}

// removeDotSegments is RFC 3986 §5.2.4.
func removeDotSegments(in string) string {
	var out []string
	for in != "" {
		switch {
		case strings.HasPrefix(in, "../"):
			in = in[3:]
		case strings.HasPrefix(in, "./"):
			in = in[2:]
		case strings.HasPrefix(in, "/./"):
			in = in[2:]
		case in == "/.":
			in = "/"
		case strings.HasPrefix(in, "/../"):
			in = in[3:]
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "/..":
			in = "/"
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "." || in == "..":
			in = ""
		default:
			start := 0
			if in[0] == '/' {
				start = 1
			}
			end := strings.IndexByte(in[start:], '/')
			if end < 0 {
				end = len(in)
			} else {
				end += start
			}
			out = append(out, in[:end])
			in = in[end:]
		}
	}
	return strings.Join(out, "")
}
