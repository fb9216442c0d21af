package token

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDecodeOptions(t *testing.T) {
	tests := []struct {
		name      string
		json      string
		wantErr   string // a substring of the error; "" for none
		wantField string // the UnmarshalTypeError's field, when one
		now       time.Time
		leeway    time.Duration
		issuer    string
	}{
		{name: "numbers of seconds", json: `{"now":1700000000.5,"leeway":90,"issuer":"https://op.example"}`,
			now: time.Unix(1700000000, 5e8).UTC(), leeway: 90 * time.Second, issuer: "https://op.example"},
		{name: "null leaves the field", json: `{"now":null,"leeway":null}`},
		{name: "names match without regard to case, as encoding/json's do", json: `{"NOW":60,"Issuer":"x"}`,
			now: time.Unix(60, 0).UTC(), issuer: "x"},
		{name: "a time option given twice", json: `{"now":1,"Now":2}`, wantErr: "given 2 times"},
		{name: "a time as a string", json: `{"now":"2024-01-01T00:00:00Z"}`, wantField: "now"},
		{name: "a negative duration", json: `{"leeway":-1}`, wantErr: "leeway is -1; give the allowed clock skew in seconds"},
		{name: "a time past the NumericDate range", json: `{"now":1e300}`, wantErr: "not a time tokenlab can use"},
		{name: "another option of the wrong type", json: `{"issuer":7}`, wantField: "issuer"},
		{name: "not an object", json: `[1]`, wantErr: "options must be an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts VerifyOptions
			err := json.Unmarshal([]byte(tt.json), &opts)
			var typeErr *json.UnmarshalTypeError
			switch {
			case tt.wantField != "":
				if !errors.As(err, &typeErr) || typeErr.Field != tt.wantField {
					t.Fatalf("error %v; want a type error for option %q", err, tt.wantField)
				}
				return
			case tt.wantErr != "":
				if err == nil || !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v; want ErrBadRequest saying %q", err, tt.wantErr)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if !opts.Now.Equal(tt.now) || opts.Leeway != tt.leeway || opts.Issuer != tt.issuer {
				t.Errorf("now %v leeway %v issuer %q; want %v %v %q", opts.Now, opts.Leeway, opts.Issuer, tt.now, tt.leeway, tt.issuer)
			}
		})
	}
}
