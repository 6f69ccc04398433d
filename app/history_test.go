package app_test

import (
	"errors"
	"testing"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/procurement"
)

// The case as it was (time travel, issue 7; app/timetravel.go): StateAt folds
// a case's stream up to a revision, CaseRecords and StreamRecords read whole
// streams for the cut and the in-memory views.

// histCase is a case in draft where bergen and oslo were invited, then bergen
// joined (revisions 0 to 3), then bergen withdrew (4).
func histCase(t *testing.T, f *fixture) string {
	t.Helper()
	id := f.newCase(t, "hist-create")
	if _, err := f.cases.Invite(ctx, f.hub, app.CommandMeta{CommandID: "hist-invite-bergen"}, id, "bergen"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.cases.Invite(ctx, f.hub, app.CommandMeta{CommandID: "hist-invite-oslo"}, id, "oslo"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.cases.Accept(ctx, f.bergen, app.CommandMeta{CommandID: "hist-accept"}, id); err != nil {
		t.Fatal(err)
	}
	bergenSystem := app.Principal{User: "system", Org: "bergen"} // the fixture lets "system" do anything, for any organisation
	if _, err := f.cases.Withdraw(ctx, bergenSystem, app.CommandMeta{CommandID: "hist-withdraw"}, id, "budget cut", ""); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestStateAt(t *testing.T) {
	t.Run("folds_the_case_up_to_and_including_the_revision", func(t *testing.T) {
		// given a case whose member joined and withdrew
		f := newFixture(t)
		id := histCase(t, f)
		for rev, want := range map[uint64]map[string]procurement.MemberStatus{
			0: {},
			1: {"bergen": procurement.MemberInvited},
			2: {"bergen": procurement.MemberInvited, "oslo": procurement.MemberInvited},
			3: {"bergen": procurement.MemberJoined, "oslo": procurement.MemberInvited},
			4: {"bergen": procurement.MemberWithdrawn, "oslo": procurement.MemberInvited},
		} {
			// when it is folded up to rev
			s, err := f.cases.StateAt(ctx, id, rev)
			if err != nil {
				t.Fatalf("revision %d: %v", rev, err)
			}
			// then the members are those of that moment
			if !s.Created || len(s.Members) != len(want) {
				t.Errorf("revision %d: created %v, members %v", rev, s.Created, s.Members)
			}
			for org, st := range want {
				if s.Members[org] != st {
					t.Errorf("revision %d: %s is %s, want %s", rev, org, s.Members[org], st)
				}
			}
		}
	})

	t.Run("at_the_head_is_the_live_state", func(t *testing.T) {
		f := newFixture(t)
		id := histCase(t, f)
		live, err := f.cases.State(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		then, err := f.cases.StateAt(ctx, id, 4)
		if err != nil {
			t.Fatal(err)
		}
		if len(live.Members) != len(then.Members) || live.Phase != then.Phase || live.Members["bergen"] != then.Members["bergen"] {
			t.Errorf("live %+v\nat the head %+v", live.Members, then.Members)
		}
	})

	t.Run("refuses_a_revision_beyond_the_head", func(t *testing.T) {
		f := newFixture(t)
		id := histCase(t, f)
		if _, err := f.cases.StateAt(ctx, id, 5); err == nil {
			t.Fatal("revision 5 of a case of five events was folded")
		}
	})

	t.Run("refuses_an_invalid_case_id", func(t *testing.T) {
		f := newFixture(t)
		if _, err := f.cases.StateAt(ctx, "not-a-case", 0); !errors.Is(err, procurement.ErrInvalidCaseID) {
			t.Fatalf("got %v", err)
		}
		if _, err := f.cases.CaseRecords(ctx, "../organisation-bergen"); !errors.Is(err, procurement.ErrInvalidCaseID) {
			t.Fatalf("CaseRecords read outside the case streams: %v", err)
		}
	})
}

func TestCaseAndStreamRecords(t *testing.T) {
	t.Run("read_whole_streams_as_stored", func(t *testing.T) {
		// given a case and the registered organisations
		f := newFixture(t)
		id := histCase(t, f)
		// when its stream and bergen's are read
		recs, err := f.cases.CaseRecords(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		org, err := f.d.StreamRecords(ctx, "organisation-bergen")
		if err != nil {
			t.Fatal(err)
		}
		// then every event comes, in revision order, as stored
		stored, _ := f.store.ReadStream(ctx, procurement.StreamID(id), 0, 0)
		if len(recs) != 5 || len(recs) != len(stored) {
			t.Fatalf("%d records, %d stored", len(recs), len(stored))
		}
		for i, r := range recs {
			if r.Revision != uint64(i) || r.Hash != stored[i].Hash {
				t.Errorf("record %d: revision %d, hash %s", i, r.Revision, r.Hash)
			}
		}
		if len(org) == 0 || org[0].Stream != "organisation-bergen" {
			t.Errorf("organisation-bergen: %v", org)
		}
	})

	t.Run("a_case_that_does_not_exist_has_no_records", func(t *testing.T) {
		f := newFixture(t)
		recs, err := f.cases.CaseRecords(ctx, "00000000-0000-4000-8000-000000000000")
		if err != nil || len(recs) != 0 {
			t.Fatalf("%d records, %v", len(recs), err)
		}
		if _, err := f.cases.StateAt(ctx, "00000000-0000-4000-8000-000000000000", 0); err == nil {
			t.Fatal("a case that does not exist was folded")
		}
	})
}
