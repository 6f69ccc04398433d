package es

import (
	"errors"
	"fmt"
)

// Kind classifies an error for every outer layer: GraphQL maps it to
// extensions.code, the command inbox to a reply code, the CLI to an exit status.
type Kind int

const (
	KindInternal Kind = iota
	KindInvalid
	KindRule
	KindNotFound
	KindConflict
	KindForbidden
	KindUnauthenticated
)

func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "invalid input"
	case KindRule:
		return "rule violation"
	case KindNotFound:
		return "not found"
	case KindConflict:
		return "conflict"
	case KindForbidden:
		return "forbidden"
	case KindUnauthenticated:
		return "unauthenticated"
	default:
		return "internal"
	}
}

// Error is a typed, stable error: Code never changes once clients rely on it
// (procurement.closed_for_participants); Message says what happened and what the
// user can do about it.
type Error struct {
	Kind    Kind
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Is makes errors.Is match on the stable code, so a sentinel matches the same
// error carrying a more specific message (see With).
func (e *Error) Is(target error) bool {
	var t *Error
	if !errors.As(target, &t) {
		return false
	}
	return t.Code == e.Code && t.Kind == e.Kind
}

// With returns a copy of the sentinel whose message adds detail, still matching
// the sentinel with errors.Is.
func (e *Error) With(format string, args ...any) *Error {
	return &Error{Kind: e.Kind, Code: e.Code, Message: e.Message + ": " + fmt.Sprintf(format, args...)}
}

func newError(k Kind, code, msg string) *Error { return &Error{Kind: k, Code: code, Message: msg} }

// Invalid is malformed input: a missing title, a bad CPV code.
func Invalid(code, msg string) *Error { return newError(KindInvalid, code, msg) }

// Rule is a business rule of the case that the command would break.
func Rule(code, msg string) *Error { return newError(KindRule, code, msg) }

// NotFound is a case, organisation or invitation that does not exist.
func NotFound(code, msg string) *Error { return newError(KindNotFound, code, msg) }

// Conflict is a state that changed under the caller or an identity already taken.
func Conflict(code, msg string) *Error { return newError(KindConflict, code, msg) }

// Forbidden is an actor that may not do this, whatever the state.
func Forbidden(code, msg string) *Error { return newError(KindForbidden, code, msg) }

// Unauthenticated is a caller without a valid identity.
func Unauthenticated(code, msg string) *Error { return newError(KindUnauthenticated, code, msg) }

// KindOf classifies any error; errors that are not *Error are internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// CodeOf returns the stable code of a typed error, or "internal".
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return "internal"
}
