package graphql

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/app"
)

// Input checks of the tendering mutations that belong to the API rather than
// to the case: the shape of times and of submitted content. Everything about
// the case (order of dates, legal minima, IDs, lengths) is the decider's.

// parseTime reads an RFC 3339 time with an offset, as every time in the
// tendering inputs is given. The instant is kept in UTC, so a retry written
// with another offset is the same command.
func parseTime(field, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil || t.IsZero() {
		return time.Time{}, badInput("time.invalid", fmt.Sprintf("%s is an RFC 3339 time with an offset, like 2026-05-01T12:00:00Z or 2026-05-01T14:00:00+02:00; got %q", field, s))
	}
	return t.UTC(), nil
}

// parseOptionalTime is parseTime for an optional field: absent or empty is
// the zero time ("not given").
func parseOptionalTime(field string, s *string) (time.Time, error) {
	if s == nil || strings.TrimSpace(*s) == "" {
		return time.Time{}, nil
	}
	return parseTime(field, *s)
}

// maxContentChars is the longest base64 text that decodes to at most
// app.MaxSubmissionBytes.
var maxContentChars = base64.StdEncoding.EncodedLen(app.MaxSubmissionBytes)

// decodeContent reads a submission's content: standard base64 (RFC 4648 §4),
// padded or not, line breaks ignored; 1 byte to app.MaxSubmissionBytes once
// decoded. Oversized text is refused before it is decoded.
func decodeContent(s string) ([]byte, error) {
	if len(s) > 2*maxContentChars {
		return nil, contentTooLarge()
	}
	if strings.ContainsAny(s, "\r\n") {
		s = strings.NewReplacer("\r", "", "\n", "").Replace(s)
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, badInput("bid.content_required", "a submission needs content: base64 of 1 byte to 5 MiB")
	}
	if len(s) > maxContentChars {
		return nil, contentTooLarge()
	}
	enc := base64.StdEncoding
	if len(s)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, badInput("bid.content_not_base64", "content is base64 in the standard alphabet (A–Z, a–z, 0–9, +, /, with or without = padding): "+err.Error())
	}
	if len(b) == 0 {
		return nil, badInput("bid.content_required", "a submission needs content: base64 of 1 byte to 5 MiB")
	}
	if len(b) > app.MaxSubmissionBytes {
		return nil, contentTooLarge()
	}
	return b, nil
}

func contentTooLarge() error {
	return badInput("bid.content_too_large", fmt.Sprintf("a submission is at most %d bytes (5 MiB) once decoded", app.MaxSubmissionBytes))
}

func idStrings(in []gql.ID) []string {
	out := make([]string, len(in))
	for i, x := range in {
		out[i] = string(x)
	}
	return out
}

func optIDStrings(in *[]gql.ID) []string {
	if in == nil {
		return nil
	}
	return idStrings(*in)
}

func optStrings(in *[]string) []string {
	if in == nil {
		return nil
	}
	return *in
}
