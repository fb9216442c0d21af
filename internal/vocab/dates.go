package vocab

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// MaxNumericDate is 9999-12-31T23:59:59Z in seconds since the epoch: the
// last instant RFC 3339 can write, and so the last NumericDate read as a
// date. Larger values are not dates any issuer means.
const MaxNumericDate = 253402300799

// NumericDate reads a NumericDate (RFC 7519 §2: seconds since
// 1970-01-01T00:00:00Z UTC, possibly fractional) from a decoded JSON value,
// a json.Number or a float64, keeping its fraction of a second (the
// digits of a json.Number to the nanosecond, without float rounding). A value
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
	if n, ok := v.(json.Number); ok {
		if at, ok := exactDecimal(string(n)); ok {
			return at, ""
		}
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), ""
}

// exactDecimal reads plain decimal text ("1700000000.2", no sign or
// exponent) to the nanosecond, without the rounding a float64 adds
// (1700000000.2 is 1700000000.2000000477 as a float64).
func exactDecimal(s string) (time.Time, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || whole == "" || whole[0] == '+' || whole[0] == '-' {
		return time.Time{}, false
	}
	var nanos int64
	for i := 0; i < 9; i++ {
		nanos *= 10
		if i < len(frac) {
			if frac[i] < '0' || frac[i] > '9' {
				return time.Time{}, false
			}
			nanos += int64(frac[i] - '0')
		}
	}
	return time.Unix(sec, nanos).UTC(), true
}

// NotANumber is NumericDate's problem with a value that is no number (a
// string, null, an object).
const NotANumber = "it is not a number"

const tooLarge = "it is too large to be a number of seconds at all"

// Timestamp writes a time as RFC 3339 in UTC, with its fraction of a
// second only when it has one: "2024-05-01T10:00:00Z",
// "2024-05-01T10:00:00.5Z".
func Timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
