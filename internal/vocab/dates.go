package vocab

import (
	"encoding/json"
	"math"
	"time"
)

// MaxNumericDate is 9999-12-31T23:59:59Z in seconds since the epoch: the
// last instant RFC 3339 can write, and so the last NumericDate read as a
// date. Larger values are not dates any issuer means.
const MaxNumericDate = 253402300799

// NumericDate reads a NumericDate (RFC 7519 §2: seconds since
// 1970-01-01T00:00:00Z UTC, possibly fractional) from a decoded JSON value,
// a json.Number or a float64, keeping its fraction of a second. A value
// that is not a usable date returns a zero time and problem, a phrase for
// messages that follows the value ("exp is -5, which is not a usable
// NumericDate: it is before 1970, …"): a value that is no number, one too
// large for a float64, before 1970 or after MaxNumericDate.
func NumericDate(v any) (at time.Time, problem string) {
	var f float64
	switch n := v.(type) {
	case json.Number:
		var err error
		if f, err = n.Float64(); err != nil {
			return time.Time{}, tooLarge
		}
	case float64:
		f = n
	default:
		return time.Time{}, NotANumber
	}
	switch {
	case math.IsInf(f, 0) || math.IsNaN(f):
		return time.Time{}, tooLarge
	case f < 0:
		return time.Time{}, "it is before 1970, so no issuer can have meant it"
	case f > MaxNumericDate:
		return time.Time{}, "it is after 9999-12-31T23:59:59Z (253402300799), the last date a timestamp can express"
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), ""
}

// NotANumber is NumericDate's problem with a value that is no number (a
// string, null, an object).
const NotANumber = "it is not a number"

const tooLarge = "it is too large to be a number of seconds at all"

// Timestamp writes a time as RFC 3339 in UTC, with its fraction of a
// second only when it has one: "2024-05-01T10:00:00Z",
// "2024-05-01T10:00:00.5Z".
func Timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
