package engine

import (
	"errors"
	"fmt"
	"strings"

	"tokenlab/internal/token"
)

// Stable error codes of docs/API.md.
const (
	CodeMalformed   = "malformed"
	CodeBadKey      = "bad_key"
	CodeUnsupported = "unsupported"
	CodeBadRequest  = "bad_request"
	CodeInternal    = "internal"
)

// Error is a failed call: Code is stable, Message tells a person what went
// wrong and what to try.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func badRequest(format string, args ...any) *Error {
	return &Error{Code: CodeBadRequest, Message: fmt.Sprintf(format, args...)}
}

// toError maps core errors to API codes by their sentinel.
func toError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	code := CodeInternal
	switch {
	case errors.Is(err, token.ErrMalformed):
		code = CodeMalformed
	case errors.Is(err, token.ErrBadKey):
		code = CodeBadKey
	case errors.Is(err, token.ErrUnsupported):
		code = CodeUnsupported
	case errors.Is(err, token.ErrBadRequest):
		code = CodeBadRequest
	}
	return &Error{Code: code, Message: strings.TrimPrefix(err.Error(), "token: ")}
}
