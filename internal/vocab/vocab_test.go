package vocab

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

func TestKindNames(t *testing.T) {
	for _, tt := range []struct {
		kind              Kind
		name, title, noun string
		verifyAs          Kind
	}{
		{IDToken, "ID token", "ID token", "an ID token", IDToken},
		{AccessToken, "access token", "Access token", "an access token", AccessToken},
		{AccessTokenRFC9068, "RFC 9068 access token", "RFC 9068 access token", "an RFC 9068 access token", AccessTokenRFC9068},
		{OpaqueAccessToken, "opaque access token", "Opaque access token", "an opaque access token", ""},
		{RefreshToken, "refresh token", "Refresh token", "a refresh token", RefreshToken},
		{LogoutToken, "logout token", "Logout token", "a logout token", LogoutToken},
		{Workload, "workload identity token", "Workload identity token", "a workload identity token", JWT},
		{ClientAssertion, "client assertion", "Client assertion", "a client assertion", JWT},
		{DPoPProof, "DPoP proof", "DPoP proof", "a DPoP proof", DPoPProof},
		{RequestObject, "request object", "Request object", "a request object", JWT},
		{SecurityEvent, "security event token", "Security event token", "a security event token", JWT},
		{SDJWT, "SD-JWT", "SD-JWT", "an SD-JWT", SDJWT},
		{SDJWTVC, "SD-JWT VC", "SD-JWT VC", "an SD-JWT VC", SDJWTVC},
		{JWT, "JWT", "JWT", "a JWT", JWT},
		{Unknown, "unknown token", "Unknown token", "an unknown token", JWT},
		{Auto, "auto-detected kind", "Auto-detected kind", "an auto-detected kind", ""},
		{"made_up", "token", "Token", "a token", JWT},
	} {
		t.Run(string(tt.kind), func(t *testing.T) {
			if got := tt.kind.Name(); got != tt.name {
				t.Errorf("Name() = %q, want %q", got, tt.name)
			}
			if got := tt.kind.Title(); got != tt.title {
				t.Errorf("Title() = %q, want %q", got, tt.title)
			}
			if got := tt.kind.Noun(); got != tt.noun {
				t.Errorf("Noun() = %q, want %q", got, tt.noun)
			}
			if got := tt.kind.VerifyAs(); got != tt.verifyAs {
				t.Errorf("VerifyAs() = %q, want %q", got, tt.verifyAs)
			}
			if known := tt.kind != "made_up"; tt.kind.Known() != known {
				t.Errorf("Known() = %v, want %v", !known, known)
			}
		})
	}
}

func TestKindsAreListedOnce(t *testing.T) {
	seen := map[Kind]bool{}
	for _, k := range Kinds() {
		if seen[k] {
			t.Errorf("%s is listed twice", k)
		}
		seen[k] = true
	}
	if len(seen) != 16 {
		t.Errorf("%d kinds, want 16 (the table test above names each)", len(seen))
	}
	list := Kinds()
	list[0] = "changed"
	if Kinds()[0] != IDToken {
		t.Error("Kinds returns the package's own slice; a caller changed it")
	}
}

func TestWithArticle(t *testing.T) {
	for phrase, want := range map[string]string{
		"GitHub personal access token":  "a GitHub personal access token",
		"Google OAuth 2.0 access token": "a Google OAuth 2.0 access token",
		"Slack bot token":               "a Slack bot token",
		"HS256 token":                   "an HS256 token",
		"RSA key":                       "an RSA key",
		"EC key":                        "an EC key",
		"opaque token":                  "an opaque token",
		"":                              "a token",
		"x":                             "a x",
	} {
		if got := WithArticle(phrase); got != want {
			t.Errorf("WithArticle(%q) = %q, want %q", phrase, got, want)
		}
	}
}

func TestNumericDate(t *testing.T) {
	for _, tt := range []struct {
		in      any
		want    time.Time
		problem string
	}{
		{json.Number("1714557600"), time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), ""},
		{json.Number("1714557600.5"), time.Date(2024, 5, 1, 10, 0, 0, 5e8, time.UTC), ""},
		{json.Number("1700000000.2"), time.Date(2023, 11, 14, 22, 13, 20, 2e8, time.UTC), ""},
		{json.Number("1700000000.1234567891"), time.Date(2023, 11, 14, 22, 13, 20, 123456789, time.UTC), ""},
		{json.Number("1.7145576e9"), time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), ""},
		{1714557600.25, time.Date(2024, 5, 1, 10, 0, 0, 25e7, time.UTC), ""},
		{json.Number("0"), time.Unix(0, 0).UTC(), ""},
		{json.Number("253402300799"), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), ""},
		{json.Number("253402300800"), time.Time{}, "after 9999-12-31T23:59:59Z"},
		{json.Number("-1"), time.Time{}, "before 1970"},
		{json.Number("1e400"), time.Time{}, "too large"},
		{math.Inf(1), time.Time{}, "too large"},
		{math.NaN(), time.Time{}, "too large"},
		{"1714557600", time.Time{}, NotANumber},
		{nil, time.Time{}, NotANumber},
		{true, time.Time{}, NotANumber},
	} {
		at, problem := NumericDate(tt.in)
		if !at.Equal(tt.want) || (problem == "") != (tt.problem == "") || !strings.Contains(problem, tt.problem) {
			t.Errorf("NumericDate(%v) = %v, %q; want %v, %q", tt.in, at, problem, tt.want, tt.problem)
		}
	}
}

func TestTimestamp(t *testing.T) {
	for in, want := range map[time.Time]string{
		time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC):                       "2024-05-01T10:00:00Z",
		time.Date(2024, 5, 1, 10, 0, 0, 5e8, time.UTC):                     "2024-05-01T10:00:00.5Z",
		time.Date(2024, 5, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600)): "2024-05-01T10:00:00Z",
	} {
		if got := Timestamp(in); got != want {
			t.Errorf("Timestamp(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                       "0 seconds",
		time.Microsecond:        "less than a millisecond",
		500 * time.Millisecond:  "500 milliseconds",
		-500 * time.Millisecond: "500 milliseconds",
		999 * time.Millisecond:  "999 milliseconds",
		999*time.Millisecond + 600*time.Microsecond: "1 second",
		time.Second:                    "1 second",
		59 * time.Second:               "59 seconds",
		time.Minute:                    "1 minute",
		12*time.Minute + 5*time.Second: "12 minutes 5 seconds",
		time.Hour:                      "1 hour",
		time.Hour + 30*time.Second:     "1 hour",
		2*time.Hour + time.Minute:      "2 hours 1 minute",
		76 * time.Hour:                 "3 days 4 hours",
		30 * 24 * time.Hour:            "30 days",
		377 * 24 * time.Hour:           "1 year 12 days",
		3 * 365 * 24 * time.Hour:       "3 years",
		math.MinInt64 + 1:              "292 years 171 days",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

// FuzzNumericDate: any JSON number text reads as a date in range or as a
// problem, never as a date outside the range.
func FuzzNumericDate(f *testing.F) {
	for _, seed := range []string{"", "0", "1714557600.5", "-0", "1e308", "253402300799.9", "a.b", "1e-400"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		at, problem := NumericDate(json.Number(s))
		if problem != "" {
			if !at.IsZero() {
				t.Fatalf("NumericDate(%q) = %v with problem %q", s, at, problem)
			}
			return
		}
		if at.Before(time.Unix(0, 0)) || at.After(time.Unix(MaxNumericDate+1, 0)) {
			t.Fatalf("NumericDate(%q) = %v, outside 1970…9999", s, at)
		}
		_ = Duration(time.Until(at))
	})
}
