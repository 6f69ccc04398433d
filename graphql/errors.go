package graphql

import (
	"errors"

	"github.com/felles/felles/domain/es"
)

// Error codes clients rely on (errors[].extensions.code).
const (
	CodeBadUserInput    = "BAD_USER_INPUT"
	CodeRuleViolation   = "RULE_VIOLATION"
	CodeNotFound        = "NOT_FOUND"
	CodeConflict        = "CONFLICT"
	CodeForbidden       = "FORBIDDEN"
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeInternal        = "INTERNAL"
)

// apiError is a resolver error with extensions.
type apiError struct {
	code, reason, message string
	extra                 map[string]any
}

func (e *apiError) Error() string { return e.message }

func (e *apiError) Extensions() map[string]any {
	ext := map[string]any{"code": e.code}
	if e.reason != "" {
		ext["reason"] = e.reason
	}
	for k, v := range e.extra {
		ext[k] = v
	}
	return ext
}

func codeOf(k es.Kind) string {
	switch k {
	case es.KindInvalid:
		return CodeBadUserInput
	case es.KindRule:
		return CodeRuleViolation
	case es.KindNotFound:
		return CodeNotFound
	case es.KindConflict:
		return CodeConflict
	case es.KindForbidden:
		return CodeForbidden
	case es.KindUnauthenticated:
		return CodeUnauthenticated
	}
	return CodeInternal
}

// errInternal marks an error whose details must not reach the client; the
// handler logs it with the correlation ID.
var errInternal = errors.New("internal error")

// toAPI maps a typed error; anything untyped becomes INTERNAL and keeps its
// cause for the log only.
func toAPI(err error) error {
	if err == nil {
		return nil
	}
	var api *apiError
	if errors.As(err, &api) {
		return api // already mapped (input checks inside a command's builder)
	}
	var e *es.Error
	if errors.As(err, &e) {
		return &apiError{code: codeOf(e.Kind), reason: e.Code, message: e.Message}
	}
	return &internalError{cause: err}
}

type internalError struct{ cause error }

func (e *internalError) Error() string { return e.cause.Error() }
func (e *internalError) Unwrap() error { return errInternal }
func (e *internalError) Extensions() map[string]any {
	return map[string]any{"code": CodeInternal}
}

func badInput(reason, msg string) error {
	return &apiError{code: CodeBadUserInput, reason: reason, message: msg}
}
