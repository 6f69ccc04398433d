package graphql

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/policies"
	"github.com/felles/felles/projections"
)

// Time travel (issue 7 part 2; docs/api.md "Time travel"): procurement(id,
// asOf | atRevision) answers the live view's fields as they were. The young
// case (history_fixture_test.go) changes its members and cost shares after
// the moments looked at. asof_test.go has the first checks on the award case.

const histCaseFields = `id revision phase members { organisation { id name kind } status }
	costShares { keyVersion reason shares { organisation { id } basisPoints percent } }
	costShareHistory { keyVersion reason shares { organisation { id } basisPoints } }
	tasks { kind } agreementGaps timeline { revision type visibility sentence }`

// histCase asks for the young case (or the award case) with extra arguments
// to procurement(...), and answers the raw answer.
func histCase(t *testing.T, x *awardSystem, r reader, id, args string) gqlAnswer {
	t.Helper()
	return lhAsk(t, x, r, `query($id: ID!) { procurement(id: $id`+args+`) { `+histCaseFields+` } }`, map[string]any{"id": id})
}

// histMembers is "org:STATUS" per member, in the answer's order.
func histMembers(ans gqlAnswer) string {
	var out []string
	for _, m := range ans.list("procurement.members") {
		m := m.(map[string]any)
		out = append(out, m["organisation"].(map[string]any)["id"].(string)+":"+m["status"].(string))
	}
	return fmt.Sprint(out)
}

// histShares is "org:percent" per share in force, or "none".
func histShares(ans gqlAnswer) string {
	if ans.get("procurement.costShares") == nil {
		return "none"
	}
	var out []string
	for _, s := range ans.list("procurement.costShares.shares") {
		s := s.(map[string]any)
		out = append(out, s["organisation"].(map[string]any)["id"].(string)+":"+s["percent"].(string))
	}
	return fmt.Sprint(out)
}

func TestTimeTravelShowsMembersAndSharesAsTheyWereBeforeAJoinAndAWithdrawal(t *testing.T) {
	// given a case where oslo joined, then bergen joined, shares were set 50/50, then bergen withdrew
	x := newAwardSystem(t)
	y := histYoungCase(t, x)

	for _, c := range []struct {
		name, args, members, shares, phase string
		revision                           uint64
	}{
		{"live", "", "[bergen:WITHDRAWN oslo:JOINED]", "[oslo:100.00 %]", "AGREEMENT", y.bergenLeft},
		{"after_oslo_joined", ", atRevision: " + strconv.FormatUint(y.osloJoined, 10), "[bergen:INVITED oslo:JOINED]", "none", "RECRUITING", y.osloJoined},
		{"after_the_shares_were_set", ", atRevision: " + strconv.FormatUint(y.sharesSet, 10), "[bergen:JOINED oslo:JOINED]", "[bergen:50.00 % oslo:50.00 %]", "AGREEMENT", y.sharesSet},
		{"at_the_head", ", atRevision: " + strconv.FormatUint(y.bergenLeft, 10), "[bergen:WITHDRAWN oslo:JOINED]", "[oslo:100.00 %]", "AGREEMENT", y.bergenLeft},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, r := range []reader{hubReader, osloAdmin, auditorReader} {
				// when r asks for the case then
				ans := histCase(t, x, r, y.id, c.args)
				if len(ans.Errors) > 0 {
					t.Fatalf("%s: %v", r, ans.Errors)
				}
				// then the members, shares, phase and revision are those of that moment
				if got := histMembers(ans); got != c.members {
					t.Errorf("%s: members %s, want %s", r, got, c.members)
				}
				if got := histShares(ans); got != c.shares {
					t.Errorf("%s: shares %s, want %s", r, got, c.shares)
				}
				if ans.get("procurement.phase") != c.phase || ans.get("procurement.revision") != float64(c.revision) {
					t.Errorf("%s: phase %v at revision %v", r, ans.get("procurement.phase"), ans.get("procurement.revision"))
				}
				// and the timeline ends at the cut
				tl := ans.list("procurement.timeline")
				if len(tl) == 0 || tl[len(tl)-1].(map[string]any)["revision"] != float64(c.revision) {
					t.Errorf("%s: the timeline does not end at revision %d: %v", r, c.revision, tl)
				}
			}
		})
	}
	// and the share history at the cut holds only what was calculated by then
	ans := histCase(t, x, hubReader, y.id, ", atRevision: "+strconv.FormatUint(y.sharesSet, 10))
	if n := len(ans.list("procurement.costShareHistory")); n != 1 {
		t.Errorf("%d share sets at revision %d, want the key's", n, y.sharesSet)
	}
}

func TestTimeTravelAsOfIsTheLastEventRecordedByThen(t *testing.T) {
	// given the young case, its events recorded one command after another
	x := newAwardSystem(t)
	y := histYoungCase(t, x)
	recs, err := x.cases.CaseRecords(context.Background(), y.id)
	if err != nil {
		t.Fatal(err)
	}
	asOf := func(at time.Time) string { return `, asOf: "` + at.UTC().Format(time.RFC3339Nano) + `"` }
	for _, rev := range []uint64{0, y.osloJoined, y.sharesSet, y.bergenLeft} {
		at := recs[rev].RecordedAt
		if int(rev)+1 < len(recs) && !recs[rev+1].RecordedAt.After(at) {
			t.Fatalf("revisions %d and %d were recorded at the same instant", rev, rev+1)
		}
		// when the hub asks for the case as of the moment revision rev was recorded
		ans := histCase(t, x, hubReader, y.id, asOf(at))
		// then it gets the case after revision rev
		if len(ans.Errors) > 0 || ans.get("procurement.revision") != float64(rev) {
			t.Errorf("as of revision %d's record time: revision %v (%v)", rev, ans.get("procurement.revision"), ans.Errors)
		}
		// and as of a moment before, the case after the command before (or nothing before the creation)
		before := -1 // the last revision recorded before at: one command appends its events at one instant
		for i := range rev {
			if recs[i].RecordedAt.Before(at) {
				before = int(i)
			}
		}
		ans = histCase(t, x, hubReader, y.id, asOf(at.Add(-time.Nanosecond)))
		switch {
		case len(ans.Errors) > 0:
			t.Errorf("as of just before revision %d: %v", rev, ans.Errors)
		case before < 0 && ans.get("procurement") != nil:
			t.Errorf("the case exists before it was created: %v", ans.Data)
		case before >= 0 && ans.get("procurement.revision") != float64(before):
			t.Errorf("as of just before revision %d: revision %v, want %d", rev, ans.get("procurement.revision"), before)
		}
	}
}

func TestTimeTravelAtTheHeadIsTheLiveAnswer(t *testing.T) {
	// given the young case, the server's clock at its last event
	x := newAwardSystem(t)
	y := histYoungCase(t, x)
	recs, _ := x.cases.CaseRecords(context.Background(), y.id)
	x.at(recs[len(recs)-1].Metadata.OccurredAt)
	for _, r := range []reader{hubReader, osloAdmin, bergenAdmin, auditorReader} {
		// when r asks for the live case and for the case at its head revision
		live := histCase(t, x, r, y.id, "")
		then := histCase(t, x, r, y.id, ", atRevision: "+strconv.FormatUint(y.bergenLeft, 10))
		// then the answers are the same
		a, _ := json.Marshal(live)
		b, _ := json.Marshal(then)
		if string(a) != string(b) {
			t.Errorf("%s: live %s\nat the head %s", r, a, b)
		}
	}
}

func TestTimeTravelRefusesWhatItCannotCut(t *testing.T) {
	x := newAwardSystem(t)
	y := histYoungCase(t, x)
	for _, c := range []struct{ name, args, reason string }{
		{"both_arguments", `, asOf: "2026-06-10T00:00:00Z", atRevision: 1`, "as_of.both"},
		{"a_negative_revision", ", atRevision: -1", "at_revision.out_of_range"},
		{"one_beyond_the_head", ", atRevision: " + strconv.FormatUint(y.bergenLeft+1, 10), "at_revision.out_of_range"},
	} {
		t.Run(c.name, func(t *testing.T) {
			// when the hub asks so
			ans := histCase(t, x, hubReader, y.id, c.args)
			// then it gets a BAD_USER_INPUT error and no case
			if len(ans.Errors) == 0 || ans.Errors[0].Extensions["reason"] != c.reason || ans.Errors[0].Extensions["code"] != "BAD_USER_INPUT" ||
				ans.get("procurement") != nil {
				t.Errorf("%v %+v", ans.Data, ans.Errors)
			}
		})
	}
	t.Run("before_the_case_was_created", func(t *testing.T) {
		ans := histCase(t, x, hubReader, y.id, `, asOf: "2026-01-01T00:00:00Z"`)
		if len(ans.Errors) > 0 || ans.get("procurement") != nil {
			t.Errorf("%v %+v", ans.Data, ans.Errors)
		}
	})
	t.Run("a_case_the_caller_does_not_see", func(t *testing.T) {
		ans := histCase(t, x, reader{"acme-sales", "acme"}, y.id, ", atRevision: 1")
		if len(ans.Errors) > 0 || ans.get("procurement") != nil {
			t.Errorf("%v %+v", ans.Data, ans.Errors)
		}
	})
}

func TestTimeTravelHistoryUnderAHistoricCaseStopsAtTheCut(t *testing.T) {
	x := newAwardSystem(t)
	y := histYoungCase(t, x)
	// when the hub pages through the history of the case as it was after oslo joined
	var revs []float64
	var after any
	for pages := 0; pages < 20; pages++ {
		ans := lhAsk(t, x, hubReader, `query($id: ID!, $after: String) { procurement(id: $id, atRevision: `+strconv.FormatUint(y.osloJoined, 10)+`) {
			history(first: 2, after: $after) { entries { revision } endCursor hasNextPage } } }`, map[string]any{"id": y.id, "after": after})
		if len(ans.Errors) > 0 {
			t.Fatal(ans.Errors)
		}
		for _, e := range ans.list("procurement.history.entries") {
			revs = append(revs, e.(map[string]any)["revision"].(float64))
		}
		if ans.get("procurement.history.hasNextPage") != true {
			break
		}
		after = ans.get("procurement.history.endCursor")
	}
	// then it ends at the cut
	if fmt.Sprint(revs) != fmt.Sprint(histRange(y.osloJoined)) {
		t.Errorf("revisions %v, want 0 to %d", revs, y.osloJoined)
	}
}

func histRange(last uint64) []float64 {
	out := make([]float64, last+1)
	for i := range out {
		out[i] = float64(i)
	}
	return out
}

func TestTimeTravelGivesTheSameAnswerAfterItsViewsWereEvicted(t *testing.T) {
	// given the award case, asked at its first revision
	x := newAwardSystem(t)
	first := histCase(t, x, hubReader, x.caseID, ", atRevision: 3")
	if len(first.Errors) > 0 {
		t.Fatal(first.Errors)
	}
	// when more moments than the cache keeps are asked for
	for rev := 4; rev < 4+asOfCacheSize+1; rev++ {
		if ans := histCase(t, x, hubReader, x.caseID, fmt.Sprintf(", atRevision: %d", rev)); len(ans.Errors) > 0 {
			t.Fatal(ans.Errors)
		}
	}
	// then the first moment, built again, answers as before
	again := histCase(t, x, hubReader, x.caseID, ", atRevision: 3")
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(again)
	if string(a) != string(b) {
		t.Errorf("first %s\nagain %s", a, b)
	}
}

func TestTimeTravelCacheKeepsTheMostRecentAndClosesTheRest(t *testing.T) {
	open := func() *sql.DB {
		db, err := projections.BuildInMemory(context.Background(), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	var c asOfCache
	dbs := map[string]*sql.DB{}
	// given a full cache
	for i := range asOfCacheSize {
		key := "case@" + strconv.Itoa(i)
		dbs[key] = c.put(key, open())
	}
	// when the oldest is used again and one more is put
	if db, ok := c.get("case@0"); !ok || db != dbs["case@0"] {
		t.Fatal("case@0 is not kept")
	}
	c.put("case@new", open())
	// then the least recently used is closed and gone, the others kept open
	if _, ok := c.get("case@1"); ok || dbs["case@1"].Ping() == nil {
		t.Error("case@1 is still kept or open")
	}
	for key, db := range dbs {
		if key == "case@1" {
			continue
		}
		if got, ok := c.get(key); !ok || got != db || db.Ping() != nil {
			t.Errorf("%s is not kept open", key)
		}
	}
	// and a second build of a key kept answers the first, closing the second
	twin := open()
	if got := c.put("case@0", twin); got != dbs["case@0"] || twin.Ping() == nil {
		t.Error("a twin build replaced the kept one or stayed open")
	}
}

func TestTimeTravelWithoutReadModelsSaysItIsNotConfigured(t *testing.T) {
	// given a server wired without the list of read models
	x := newAwardSystem(t)
	enforcer, err := policies.NewEnforcer(context.Background(), policies.GrantSourceFunc(func(context.Context) ([]policies.Grant, error) {
		return awardGrants, nil
	}), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	api, err := NewServer(Deps{Dispatcher: x.d, Cases: x.cases, Orgs: app.NewOrganisations(x.d), Bids: x.bids, Views: x.runner,
		Roles: enforcer, Tokens: x.tokens, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	live := x.api
	x.api = api
	defer func() { x.api = live }()
	// when the hub asks for the case at a revision
	ans := histCase(t, x, hubReader, x.caseID, ", atRevision: 3")
	// then it is told time travel is not configured; the live case still answers
	if len(ans.Errors) == 0 || ans.Errors[0].Extensions["reason"] != "as_of.not_configured" {
		t.Errorf("%+v", ans.Errors)
	}
	if live := histCase(t, x, hubReader, x.caseID, ""); len(live.Errors) > 0 || live.get("procurement.id") != x.caseID {
		t.Errorf("the live case: %v %v", live.Data, live.Errors)
	}
}
