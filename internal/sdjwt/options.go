package sdjwt

import (
	"encoding/json"

	"tokenlab/internal/token"
)

// The option structs are also the options of tokenlab's JavaScript API:
// internal/engine decodes a call's options straight into them, as into
// package token's, with times in Unix seconds and durations in seconds.

// UnmarshalJSON reads verify's JavaScript options for an SD-JWT: each
// field by its json name, now in Unix seconds, leeway and iatWindow in
// seconds.
func (o *VerifyOptions) UnmarshalJSON(b []byte) error {
	type fields VerifyOptions // the same fields, without this method
	js := struct {
		*fields
		Now       *float64 `json:"now"`
		Leeway    *float64 `json:"leeway"`
		IATWindow *float64 `json:"iatWindow"`
	}{fields: (*fields)(o)}
	if err := json.Unmarshal(b, &js); err != nil {
		return token.OptionError(err)
	}
	if err := token.SetSeconds(&o.Leeway, "leeway", "the allowed clock skew", js.Leeway); err != nil {
		return err
	}
	if err := token.SetSeconds(&o.IATWindow, "iatWindow", "how old a Key Binding JWT may be", js.IATWindow); err != nil {
		return err
	}
	return token.SetUnixTime(&o.Now, js.Now)
}

// UnmarshalJSON reads mint's JavaScript options for an SD-JWT: each field
// by its json name, now in Unix seconds.
func (o *IssueOptions) UnmarshalJSON(b []byte) error {
	type fields IssueOptions // the same fields, without this method
	js := struct {
		*fields
		Now *float64 `json:"now"`
	}{fields: (*fields)(o)}
	if err := json.Unmarshal(b, &js); err != nil {
		return token.OptionError(err)
	}
	return token.SetUnixTime(&o.Now, js.Now)
}

// UnmarshalJSON reads present's JavaScript options: each field by its
// json name, now in Unix seconds.
func (o *PresentOptions) UnmarshalJSON(b []byte) error {
	type fields PresentOptions // the same fields, without this method
	js := struct {
		*fields
		Now *float64 `json:"now"`
	}{fields: (*fields)(o)}
	if err := json.Unmarshal(b, &js); err != nil {
		return token.OptionError(err)
	}
	return token.SetUnixTime(&o.Now, js.Now)
}
