package sdjwt

import "tokenlab/internal/token"

// The option structs are also the options of tokenlab's JavaScript API:
// internal/engine decodes a call's options straight into them, as into
// package token's, with times in Unix seconds and durations in seconds
// (see token.DecodeOptions).

// UnmarshalJSON reads verify's JavaScript options for an SD-JWT: each
// field by its json name, now in Unix seconds, leeway and iatWindow in
// seconds.
func (o *VerifyOptions) UnmarshalJSON(b []byte) error {
	type fields VerifyOptions // the same fields, without this method
	return token.DecodeOptions(b, (*fields)(o),
		token.UnixSeconds("now", &o.Now),
		token.Seconds("leeway", "the allowed clock skew", &o.Leeway),
		token.Seconds("iatWindow", "how old a Key Binding JWT may be", &o.IATWindow))
}

// UnmarshalJSON reads mint's JavaScript options for an SD-JWT: each field
// by its json name, now in Unix seconds.
func (o *IssueOptions) UnmarshalJSON(b []byte) error {
	type fields IssueOptions // the same fields, without this method
	return token.DecodeOptions(b, (*fields)(o), token.UnixSeconds("now", &o.Now))
}

// UnmarshalJSON reads present's JavaScript options: each field by its
// json name, now in Unix seconds.
func (o *PresentOptions) UnmarshalJSON(b []byte) error {
	type fields PresentOptions // the same fields, without this method
	return token.DecodeOptions(b, (*fields)(o), token.UnixSeconds("now", &o.Now))
}
