package app_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/accesslog"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/policies"
)

// The access log of sealed content (DOMAIN.md §3 AccessLogged, §5): every
// attempt to read a submission's content, granted or refused, and every hash
// verification at the opening, is an AccessLogged event in the case's
// accesslog-<case> stream, appended before any content is returned, in the
// hash chain like every other event. The fixture is the sealed-bid fixture of
// sealed_test.go.

// errAclRefused is what a store that refuses access-log appends answers.
var errAclRefused = errors.New("acl test: the store refuses this append")

// aclRefusingStore refuses every append to an access-log stream and passes
// everything else on: the case works, its reads cannot be recorded.
type aclRefusingStore struct{ eventstore.Store }

func (s aclRefusingStore) Append(ctx context.Context, stream string, e eventstore.Expected, evs []eventstore.EventData) (eventstore.AppendResult, error) {
	if accesslog.IsStream(stream) {
		return eventstore.AppendResult{}, errAclRefused
	}
	return s.Store.Append(ctx, stream, e, evs)
}

// aclBidsOver is app.Bids over another store in front of the fixture's log
// and vault, with the same roles and clock.
func aclBidsOver(t *testing.T, f *sealedFixture, store eventstore.Store) *app.Bids {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	enforcer, err := policies.NewEnforcer(ctx, policies.GrantSourceFunc(func(context.Context) ([]policies.Grant, error) {
		return sealedGrants, nil
	}), logger)
	if err != nil {
		t.Fatal(err)
	}
	d, err := app.NewDispatcher(store, enforcer, f.clock.now, logger)
	if err != nil {
		t.Fatal(err)
	}
	return app.NewBids(app.NewProcurements(d), f.vault)
}

// aclRecords reads the case's access-log stream straight from the store.
func aclRecords(t *testing.T, f *sealedFixture) []eventstore.Record {
	t.Helper()
	recs, err := f.store.ReadStream(ctx, accesslog.StreamID(sealedCaseID), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// aclLogged decodes access-log records.
func aclLogged(t *testing.T, recs []eventstore.Record) []accesslog.Logged {
	t.Helper()
	out := make([]accesslog.Logged, len(recs))
	for i, r := range recs {
		ev, ok, err := accesslog.Events().Decode(r.Type, r.SchemaVersion, r.Data)
		x, isLogged := ev.(accesslog.Logged)
		if err != nil || !ok || !isLogged {
			t.Fatalf("record %d is %s, not AccessLogged: %v", i, r.Type, err)
		}
		out[i] = x
	}
	return out
}

// aclWant is the record a read must leave.
type aclWant struct {
	p       app.Principal
	bid     string
	purpose string
	granted bool
}

func aclCheck(t *testing.T, f *sealedFixture, rec eventstore.Record, got accesslog.Logged, w aclWant) {
	t.Helper()
	if rec.Type != "AccessLogged" || got.User != w.p.User || got.Org != w.p.Org || got.CaseID != sealedCaseID ||
		got.Resource != "bid/"+w.bid+"/content" || got.Subject != w.bid || got.Class != "SEALED" ||
		got.Purpose != w.purpose || got.Granted != w.granted || !got.At.Equal(f.clock.now()) {
		t.Fatalf("record %+v, want %s@%s reading bid %s for %q granted=%v at %s", got, w.p.User, w.p.Org, w.bid, w.purpose, w.granted, f.clock.now())
	}
	if rec.Metadata.User != w.p.User || rec.Metadata.Org != w.p.Org || !rec.Metadata.OccurredAt.Equal(got.At) {
		t.Fatalf("metadata %+v does not name the reader", rec.Metadata)
	}
}

func TestSealedContentAccessLog(t *testing.T) {
	t.Run("a_granted_read_appends_exactly_one_record_naming_who_for_whom_what_why", func(t *testing.T) {
		f := newSealedFixture(t, false)
		acme := f.submit(t, acmeSales, "acme-bid", acmeTender)
		f.open(t)
		f.clock.set(sbAt(91, 9))
		before := len(aclRecords(t, f))
		caseRevision := len(f.records(t))

		got, err := f.bids.Content(ctx, leadOfficer, sealedCaseID, acme, "evaluation of lot 1")

		if err != nil || !bytes.Equal(got, acmeTender) {
			t.Fatalf("content %q %v", got, err)
		}
		recs := aclRecords(t, f)[before:]
		if len(recs) != 1 {
			t.Fatalf("want exactly one record, got %d", len(recs))
		}
		aclCheck(t, f, recs[0], aclLogged(t, recs)[0], aclWant{leadOfficer, acme, "evaluation of lot 1", true})
		if n := len(f.records(t)); n != caseRevision {
			t.Fatalf("a read appended %d events to the case's own stream", n-caseRevision)
		}
	})

	t.Run("a_refused_read_appends_one_refused_record", func(t *testing.T) {
		f := newSealedFixture(t, false)
		acme := f.submit(t, acmeSales, "acme-bid", acmeTender)
		f.open(t)
		before := len(aclRecords(t, f))

		got, err := f.bids.Content(ctx, memberAdmin, sealedCaseID, acme, "curiosity")

		if !errors.Is(err, app.ErrNoContentAccess) || got != nil {
			t.Fatalf("want no content access, got %q %v", got, err)
		}
		recs := aclRecords(t, f)[before:]
		if len(recs) != 1 {
			t.Fatalf("want exactly one record, got %d", len(recs))
		}
		aclCheck(t, f, recs[0], aclLogged(t, recs)[0], aclWant{memberAdmin, acme, "curiosity", false})
	})

	t.Run("an_attempt_before_the_opening_appends_one_refused_record", func(t *testing.T) {
		f := newSealedFixture(t, false)
		acme := f.submit(t, acmeSales, "acme-bid", acmeTender)
		f.clock.set(sbAt(61, 9))

		got, err := f.bids.Content(ctx, auditor, sealedCaseID, acme, "early audit")

		if !errors.Is(err, app.ErrSealed) || got != nil {
			t.Fatalf("want sealed, got %q %v", got, err)
		}
		recs := aclRecords(t, f)
		if len(recs) != 1 {
			t.Fatalf("want exactly one record, got %d", len(recs))
		}
		aclCheck(t, f, recs[0], aclLogged(t, recs)[0], aclWant{auditor, acme, "early audit", false})
	})

	t.Run("the_opening_records_one_hash_verification_per_submission", func(t *testing.T) {
		f := newSealedFixture(t, false)
		acme := f.submit(t, acmeSales, "acme-bid", acmeTender)
		nordic := f.submit(t, nordicSales, "nordic-bid", nordicTender)

		f.open(t)

		recs := aclRecords(t, f)
		logged := aclLogged(t, recs)
		if len(recs) != 2 {
			t.Fatalf("want two verifications, got %+v", logged)
		}
		for i, bid := range []string{acme, nordic} {
			aclCheck(t, f, recs[i], logged[i], aclWant{leadOfficer, bid, "hash verification at the opening", true})
		}
	})

	t.Run("the_records_are_in_the_log_with_a_valid_hash_chain", func(t *testing.T) {
		f := newSealedFixture(t, false)
		acme := f.submit(t, acmeSales, "acme-bid", acmeTender)
		f.aclRead(t, leadOfficer, acme) // sealed: refused
		f.open(t)
		f.aclRead(t, leadOfficer, acme)
		f.aclRead(t, hubCoordinator, acme)

		recs := aclRecords(t, f)

		if len(recs) != 4 {
			t.Fatalf("want 4 records (refused, verification, granted, refused), got %d", len(recs))
		}
		if err := eventstore.VerifyChain(recs); err != nil {
			t.Fatalf("the access log's chain: %v", err)
		}
		listed, err := f.bids.AccessLog(ctx, auditor, sealedCaseID)
		if err != nil || len(listed) != len(recs) {
			t.Fatalf("the auditor's list: %d entries, %v", len(listed), err)
		}
		for i, e := range listed {
			if e.EventID != recs[i].ID || e.Revision != recs[i].Revision || e.Position != recs[i].Position ||
				e.Hash != recs[i].Hash || e.PrevHash != recs[i].PrevHash {
				t.Fatalf("entry %d does not point at its event: %+v", i, e)
			}
		}
	})

	t.Run("when_the_read_cannot_be_recorded_the_content_is_not_returned", func(t *testing.T) {
		f := newSealedFixture(t, false)
		acme := f.submit(t, acmeSales, "acme-bid", acmeTender)
		f.open(t)
		before := len(aclRecords(t, f))
		bids := aclBidsOver(t, f, aclRefusingStore{f.store})

		got, err := bids.Content(ctx, leadOfficer, sealedCaseID, acme, "evaluation")

		if !errors.Is(err, errAclRefused) || got != nil {
			t.Fatalf("want the recording's failure and no content, got %q %v", got, err)
		}
		if n := len(aclRecords(t, f)); n != before {
			t.Fatalf("the refusing store recorded %d reads", n-before)
		}
		if _, err := bids.Content(ctx, memberAdmin, sealedCaseID, acme, "curiosity"); !errors.Is(err, errAclRefused) {
			t.Fatalf("an unrecorded refusal must fail too: %v", err)
		}
	})

	t.Run("when_the_verification_cannot_be_recorded_nothing_opens", func(t *testing.T) {
		f := newSealedFixture(t, false)
		f.submit(t, acmeSales, "acme-bid", acmeTender)
		f.atOpening(t)
		bids := aclBidsOver(t, f, aclRefusingStore{f.store})

		_, err := bids.Open(ctx, leadOfficer, app.CommandMeta{}, sealedCaseID)

		if !errors.Is(err, errAclRefused) {
			t.Fatalf("want the recording's failure, got %v", err)
		}
		if st := f.state(t); st.Phase == procurement.PhaseEvaluation {
			t.Fatal("the case opened without its verifications recorded")
		}
	})

	t.Run("a_record_without_a_case_is_refused", func(t *testing.T) {
		f := newSealedFixture(t, false)
		err := app.NewAccessLog(f.dispatcher).Record(ctx, leadOfficer, accesslog.Logged{Resource: "bid/x/content", Purpose: "test"})
		if err == nil || !strings.Contains(err.Error(), "case") {
			t.Fatalf("want a refusal naming the case, got %v", err)
		}
	})
}

// aclRead reads a bid as p for "evaluation", whatever the answer: the
// tests look at the records it leaves.
func (f *sealedFixture) aclRead(t *testing.T, p app.Principal, bid string) {
	t.Helper()
	f.bids.Content(ctx, p, sealedCaseID, bid, "evaluation")
}
