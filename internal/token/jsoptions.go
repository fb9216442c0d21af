package token

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"tokenlab/internal/vocab"
)

// The options of tokenlab's JavaScript API are JSON objects decoded
// straight into the option structs of this package, internal/sdjwt and
// internal/dpop, each field by its json tag — except times and durations,
// which JavaScript gives as numbers of seconds where Go's time.Time and
// time.Duration read RFC 3339 strings and nanoseconds. DecodeOptions
// decodes both kinds of member for every one of those structs.

// TimeOption is one member of a JavaScript options object that holds a
// number of seconds: a time (UnixSeconds) or a duration (Seconds).
type TimeOption struct {
	name string
	set  func(seconds float64) error
}

// UnixSeconds is the time option name, given in Unix seconds (see
// UnixTime), stored in *dst.
func UnixSeconds(name string, dst *time.Time) TimeOption {
	return TimeOption{name: name, set: func(s float64) error {
		at, err := UnixTime(s)
		if err != nil {
			return err
		}
		*dst = at
		return nil
	}}
}

// Seconds is the duration option name, given in seconds, stored in *dst.
// what says what it is ("the allowed clock skew"), for the error when the
// value is negative or no usable number of seconds.
func Seconds(name, what string, dst *time.Duration) TimeOption {
	return TimeOption{name: name, set: func(s float64) error {
		if !(s >= 0 && s <= vocab.MaxNumericDate) {
			return fmt.Errorf("%w: %s is %v; give %s in seconds, zero or more", ErrBadRequest, name, s, what)
		}
		*dst = time.Duration(s * float64(time.Second))
		return nil
	}}
}

// DecodeOptions decodes the JavaScript options object b: the members named
// by times as numbers of seconds (null or absent leaves a field as it is),
// every other member into fields, a pointer to the option struct's type
// without its UnmarshalJSON method. Member names match as encoding/json
// matches them, without regard to case; a time option given twice that way
// is refused rather than resolved by the order of the members.
func DecodeOptions(b []byte, fields any, times ...TimeOption) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return fmt.Errorf("%w: options must be an object: %v", ErrBadRequest, err)
	}
	for _, opt := range times {
		var given []string
		for name := range members {
			if strings.EqualFold(name, opt.name) {
				given = append(given, name)
			}
		}
		if len(given) > 1 {
			return fmt.Errorf("%w: the option %s is given %d times (%s); give it once", ErrBadRequest, opt.name, len(given), strings.Join(given, ", "))
		}
		if len(given) == 0 {
			continue
		}
		raw := members[given[0]]
		delete(members, given[0])
		var seconds *float64
		if err := json.Unmarshal(raw, &seconds); err != nil {
			var typeErr *json.UnmarshalTypeError
			if errors.As(err, &typeErr) {
				typeErr.Field = opt.name // as if decoded into the struct
			}
			return err
		}
		if seconds == nil {
			continue
		}
		if err := opt.set(*seconds); err != nil {
			return err
		}
	}
	rest, err := json.Marshal(members)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadRequest, err)
	}
	return json.Unmarshal(rest, fields)
}
