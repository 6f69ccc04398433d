package graphql

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/procurement"
)

func wantBadInput(t *testing.T, what string, err error, reason string) {
	t.Helper()
	var api *apiError
	if !errors.As(err, &api) || api.code != CodeBadUserInput || api.reason != reason || api.message == "" {
		t.Fatalf("%s: got %v, want BAD_USER_INPUT %s with a message", what, err, reason)
	}
}

func TestTimesAreRFC3339WithAnOffsetKeptAsUTCInstants(t *testing.T) {
	for in, want := range map[string]string{
		"2026-05-01T12:00:00Z":                "2026-05-01T12:00:00Z",
		"2026-05-01T14:00:00+02:00":           "2026-05-01T12:00:00Z",
		" 2026-05-01T12:00:00.5Z ":            "2026-05-01T12:00:00.5Z",
		"2026-03-29T03:30:00+02:00":           "2026-03-29T01:30:00Z", // the night summer time begins in Oslo
		"2026-12-31T23:59:59.999999999Z":      "2026-12-31T23:59:59.999999999Z",
		"2026-05-01T12:00:00.000000000-01:00": "2026-05-01T13:00:00Z",
	} {
		got, err := parseTime("startsAt", in)
		if err != nil || got.Format(time.RFC3339Nano) != want || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %s, %v; want %s in UTC", in, got.Format(time.RFC3339Nano), err, want)
		}
	}
	for _, bad := range []string{"", "tomorrow", "2026-05-01", "2026-05-01T12:00:00", "2026-05-01 12:00:00Z", "01.05.2026 12:00",
		"2026-13-01T12:00:00Z", "2026-05-01T25:00:00Z", "0001-01-01T00:00:00Z", "1714564800"} {
		_, err := parseTime("registrationDeadline", bad)
		wantBadInput(t, fmt.Sprintf("parseTime(%q)", bad), err, "time.invalid")
		if !strings.Contains(err.Error(), "registrationDeadline") {
			t.Errorf("the error must name the field: %v", err)
		}
	}
}

func TestOptionalTimesMayBeAbsentButNotMalformed(t *testing.T) {
	empty, blank := "", "  "
	for _, in := range []*string{nil, &empty, &blank} {
		if got, err := parseOptionalTime("newDeadline", in); err != nil || !got.IsZero() {
			t.Errorf("absent newDeadline: %v, %v", got, err)
		}
	}
	bad := "next week"
	_, err := parseOptionalTime("newDeadline", &bad)
	wantBadInput(t, "a malformed newDeadline", err, "time.invalid")
}

func TestTheTimetableNamesTheMalformedTime(t *testing.T) {
	good := timetableInput{NoticeAt: "2026-06-01T09:00:00Z", QaCutoff: "2026-06-20T12:00:00Z", TenderDeadline: "2026-07-10T10:00:00+02:00",
		OpeningAt: "2026-07-10T11:00:00+02:00", FourEyesOpening: true}
	plan, err := good.plan()
	want := procurement.TimetablePlan{NoticeAt: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC), QACutoff: time.Date(2026, 6, 20, 12, 0, 0, 0, time.UTC),
		TenderDeadline: time.Date(2026, 7, 10, 8, 0, 0, 0, time.UTC), OpeningAt: time.Date(2026, 7, 10, 9, 0, 0, 0, time.UTC), FourEyesOpening: true}
	if err != nil || plan != want {
		t.Fatalf("plan: %+v, %v; want %+v", plan, err, want)
	}
	req := "2026-06-25T12:00:00Z"
	good.RequestDeadline = &req
	if plan, err := good.plan(); err != nil || !plan.RequestDeadline.Equal(time.Date(2026, 6, 25, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("request deadline: %+v, %v", plan, err)
	}
	for field, mutate := range map[string]func(*timetableInput){
		"noticeAt":        func(in *timetableInput) { in.NoticeAt = "soon" },
		"qaCutoff":        func(in *timetableInput) { in.QaCutoff = "2026-06-20" },
		"requestDeadline": func(in *timetableInput) { bad := "June"; in.RequestDeadline = &bad },
		"tenderDeadline":  func(in *timetableInput) { in.TenderDeadline = "" },
		"openingAt":       func(in *timetableInput) { in.OpeningAt = "2026-07-10T11:00" },
	} {
		in := good
		mutate(&in)
		_, err := in.plan()
		wantBadInput(t, field, err, "time.invalid")
		if !strings.Contains(err.Error(), field) {
			t.Errorf("the error must name %s: %v", field, err)
		}
	}
}

func TestSubmissionContentIsBase64OfAtMostFiveMiB(t *testing.T) {
	content := []byte("tender for lot-1 \x00\xff with binary bytes")
	for name, in := range map[string]string{
		"padded":       base64.StdEncoding.EncodeToString(content),
		"unpadded":     base64.RawStdEncoding.EncodeToString(content),
		"line wrapped": wrap(base64.StdEncoding.EncodeToString(content), 8, "\r\n"),
		"surrounded":   "\n" + base64.StdEncoding.EncodeToString(content) + "\n",
	} {
		got, err := decodeContent(in)
		if err != nil || !bytes.Equal(got, content) {
			t.Errorf("%s: %q, %v", name, got, err)
		}
	}
	for name, in := range map[string]string{
		"not base64":       "this is not base64!",
		"url alphabet":     base64.URLEncoding.EncodeToString([]byte{0xfb, 0xff, 0xfe}),
		"bad padding":      "QUJD=",
		"inner whitespace": "QUJD RA==",
	} {
		_, err := decodeContent(in)
		wantBadInput(t, name, err, "bid.content_not_base64")
	}
	for name, in := range map[string]string{"empty": "", "blank": " \n ", "only padding": "===="} {
		_, err := decodeContent(in)
		var api *apiError
		if !errors.As(err, &api) || api.code != CodeBadUserInput {
			t.Errorf("%s: %v, want BAD_USER_INPUT", name, err)
		}
	}

	max := bytes.Repeat([]byte{0xa5}, app.MaxSubmissionBytes)
	if got, err := decodeContent(base64.StdEncoding.EncodeToString(max)); err != nil || len(got) != app.MaxSubmissionBytes {
		t.Fatalf("exactly 5 MiB is allowed: %d bytes, %v", len(got), err)
	}
	over := append(max, 0x01)
	_, err := decodeContent(base64.StdEncoding.EncodeToString(over))
	wantBadInput(t, "5 MiB and one byte", err, "bid.content_too_large")
	_, err = decodeContent(base64.RawStdEncoding.EncodeToString(over))
	wantBadInput(t, "5 MiB and one byte, unpadded", err, "bid.content_too_large")
	_, err = decodeContent(strings.Repeat("A", 3*maxContentChars))
	wantBadInput(t, "far too large, refused before decoding", err, "bid.content_too_large")
}

func TestTheBodyLimitCarriesAFullSubmission(t *testing.T) {
	// A 5 MiB submission is 6.67 MiB of base64; the body must hold it with
	// room for JSON escaping and the rest of the request.
	need := int64(base64.StdEncoding.EncodedLen(app.MaxSubmissionBytes)) * 11 / 10
	if DefaultLimits.MaxBodyBytes < need {
		t.Fatalf("MaxBodyBytes %d cannot carry a 5 MiB submission in base64 (%d)", DefaultLimits.MaxBodyBytes, need)
	}
}

func TestInputErrorsRaisedInsideACommandKeepTheirCode(t *testing.T) {
	_, err := parseTime("startsAt", "later")
	if got := toAPI(fmt.Errorf("schedule: %w", err)); got != err {
		t.Fatalf("an API error passes through unchanged, got %v", got)
	}
	var internal *internalError
	if !errors.As(toAPI(errors.New("disk full")), &internal) {
		t.Fatal("an untyped error is still INTERNAL")
	}
}

func TestPublicCursorsRoundTrip(t *testing.T) {
	for _, seq := range []int64{1, 42, 1 << 40} {
		if got, ok := decodePublicCursor(encodePublicCursor(seq)); !ok || got != seq {
			t.Errorf("cursor %d → %d, %v", seq, got, ok)
		}
	}
	for _, bad := range []string{"", "pub:1", encodeCursor(5), base64.RawURLEncoding.EncodeToString([]byte("pub:-3")), base64.RawURLEncoding.EncodeToString([]byte("pub:x"))} {
		if _, ok := decodePublicCursor(bad); ok {
			t.Errorf("%q is not a public-tender cursor", bad)
		}
	}
}

func wrap(s string, n int, sep string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += n {
		b.WriteString(s[i:min(i+n, len(s))])
		b.WriteString(sep)
	}
	return b.String()
}
