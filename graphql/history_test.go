package graphql

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/audit"
	"github.com/felles/felles/domain/accesslog"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// History over GraphQL (issue 7 part 1; docs/api.md "History, time travel and
// verifying the log"): paging, the envelope, the rules per class and role, the
// access log, and the streams served. log_history_test.go has the first
// checks; these add every reader, every class of the scored case and every
// kind of stream.

// histRecompute hashes the envelope as served: it must give the served hash.
func histRecompute(t *testing.T, e map[string]any) string {
	t.Helper()
	str := func(k string) string { s, _ := e[k].(string); return s }
	rec := eventstore.Record{ID: str("eventId"), Stream: str("stream"), Revision: uint64(e["revision"].(float64)), Type: str("type"),
		SchemaVersion: int(e["schemaVersion"].(float64)), Data: json.RawMessage(str("data")), PrevHash: str("prevHash"),
		Metadata: eventstore.Metadata{User: str("user"), Org: str("organisation"), CommandID: str("commandId"),
			CommandHash: str("commandHash"), CorrelationID: str("correlationId"), CausationID: str("causationId")}}
	var err error
	if rec.Metadata.OccurredAt, err = time.Parse(time.RFC3339Nano, str("occurredAt")); err != nil {
		t.Fatalf("occurredAt %q: %v", str("occurredAt"), err)
	}
	if rec.RecordedAt, err = time.Parse(time.RFC3339Nano, str("recordedAt")); err != nil {
		t.Fatalf("recordedAt %q: %v", str("recordedAt"), err)
	}
	h, err := eventstore.HashOf(rec)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHistoryPagesEveryRevisionOnceAndKeepsTheChainForEveryReader(t *testing.T) {
	// given the scored case (sealed, evaluator-private and commercial entries)
	x := newAclCase(t).awardSystem
	stream := procurement.StreamID(x.caseID)
	stored, err := x.store.ReadStream(context.Background(), stream, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []reader{hubReader, leadReader, osloAdmin, bergenAdmin, bergenEvaluator, auditorReader} {
		t.Run(r.user, func(t *testing.T) {
			// when r pages through it four entries at a time
			pages := histPages(t, x, r, stream, 4, nil)

			// then every revision comes once, in order, full pages but the last
			var got []map[string]any
			for i, p := range pages {
				if last := i == len(pages)-1; (!last && len(p.entries) != 4) || p.more == last {
					t.Fatalf("page %d: %d entries, hasNextPage %v, of %d pages", i, len(p.entries), p.more, len(pages))
				}
				if len(p.entries) > 0 {
					lastRev := int(p.entries[len(p.entries)-1]["revision"].(float64))
					if p.end != histCursor(lastRev) {
						t.Errorf("page %d ends at revision %d with cursor %v", i, lastRev, p.end)
					}
				}
				got = append(got, p.entries...)
			}
			if len(got) != len(stored) {
				t.Fatalf("%d entries, the stream has %d", len(got), len(stored))
			}
			shown := 0
			for i, e := range got {
				want := stored[i]
				if int(e["revision"].(float64)) != i || e["hash"] != want.Hash || e["prevHash"] != want.PrevHash ||
					e["position"] != want.Position.String() || e["type"] != want.Type || e["eventId"] != want.ID || e["stream"] != stream {
					t.Fatalf("entry %d is not the stored envelope: %v", i, e)
				}
				if i > 0 && e["prevHash"] != got[i-1]["hash"] {
					t.Fatalf("entry %d does not chain to entry %d", i, i-1)
				}
				if e["visibility"] == nil || e["recordedAt"] == nil {
					t.Fatalf("entry %d has no class or time of record: %v", i, e)
				}
				// and a shown entry's envelope hashes to its hash; a withheld one keeps only its place
				if e["withheld"] == nil {
					shown++
					if e["data"] != string(want.Data) {
						t.Fatalf("entry %d: data %v is not the stored bytes %s", i, e["data"], want.Data)
					}
					if h := histRecompute(t, e); h != e["hash"] {
						t.Fatalf("entry %d: the served envelope hashes to %s, not %s", i, h, e["hash"])
					}
					continue
				}
				if e["withheld"] != e["visibility"] {
					t.Errorf("entry %d is withheld by %v but of class %v", i, e["withheld"], e["visibility"])
				}
				for _, k := range []string{"data", "user", "organisation", "commandId", "commandHash", "correlationId", "causationId", "occurredAt"} {
					if e[k] != nil {
						t.Errorf("withheld entry %d (%s) shows %s = %v", i, e["type"], k, e[k])
					}
				}
			}
			if shown == 0 {
				t.Error("no entry is shown")
			}
		})
	}
}

func TestHistoryShowsEachConfidentialClassOnlyToItsReaders(t *testing.T) {
	// given the scored case: bergen-eva locked, oslo-eva did not; acme answered a clarification
	x := newAclCase(t).awardSystem
	stream := procurement.StreamID(x.caseID)
	type want struct {
		answer, bergenScores, osloScores bool // sees acme's answer (COMMERCIAL_CONF), bergen-eva's and oslo-eva's scores (EVALUATOR_PRIVATE)
	}
	for r, w := range map[reader]want{
		hubReader:       {},
		osloAdmin:       {},
		bergenAdmin:     {},
		osloEvaluator:   {},
		bergenEvaluator: {bergenScores: true},
		leadReader:      {answer: true, bergenScores: true}, // LO reads other evaluators' scores after their lock
		auditorReader:   {answer: true, bergenScores: true},
	} {
		t.Run(r.user, func(t *testing.T) {
			// when r reads the whole history
			entries := histEntries(t, x, r, stream)

			// then the answer and the scores are shown exactly to their readers
			answer := histOfType(entries, "ClarificationReceived")
			if answer == nil {
				t.Fatal("no ClarificationReceived entry")
			}
			if got := answer["withheld"] == nil; got != w.answer {
				t.Errorf("sees the clarification answer: %v, want %v (%v)", got, w.answer, answer["withheld"])
			}
			if w.answer && !strings.Contains(answer["data"].(string), aclSecret) {
				t.Errorf("the answer's data is not the stored answer: %v", answer["data"])
			}
			if !w.answer && answer["withheld"] != "COMMERCIAL_CONF" {
				t.Errorf("the answer is withheld as %v", answer["withheld"])
			}
			scores := 0
			for _, e := range entries {
				if e["type"] != "BidScored" {
					continue
				}
				scores++
				if e["withheld"] != nil {
					if e["withheld"] != "EVALUATOR_PRIVATE" {
						t.Errorf("a score is withheld as %v", e["withheld"])
					}
					continue
				}
				var sc procurement.BidScored
				if err := json.Unmarshal([]byte(e["data"].(string)), &sc); err != nil {
					t.Fatal(err)
				}
				if (sc.Evaluator == "bergen-eva" && !w.bergenScores) || (sc.Evaluator == "oslo-eva" && !w.osloScores) {
					t.Errorf("sees %s's score", sc.Evaluator)
				}
			}
			if shownScores := histCountShown(entries, "BidScored"); shownScores != 4*histOne(w.bergenScores)+4*histOne(w.osloScores) {
				t.Errorf("%d of %d scores shown, want bergen-eva's %v, oslo-eva's %v", shownScores, scores, w.bergenScores, w.osloScores)
			}
		})
	}
}

func histCountShown(entries []map[string]any, typ string) int {
	n := 0
	for _, e := range entries {
		if e["type"] == typ && e["withheld"] == nil {
			n++
		}
	}
	return n
}

func histOne(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestHistoryShowsWhatTheTimelineShowsAndNoMore(t *testing.T) {
	// given the scored case
	x := newAclCase(t).awardSystem
	readers := []reader{hubReader, leadReader, osloAdmin, bergenAdmin, bergenEvaluator, osloEvaluator, auditorReader}
	histories, timelines := map[reader][]map[string]any{}, map[reader]map[int]bool{}
	worded := map[int]bool{} // revisions some reader's timeline words
	for _, r := range readers {
		// when each reader reads the history and the timeline
		histories[r] = histEntries(t, x, r, procurement.StreamID(x.caseID))
		ans := lhAsk(t, x, r, `query($id: ID!) { procurement(id: $id) { timeline { revision } } }`, map[string]any{"id": x.caseID})
		if len(ans.Errors) > 0 {
			t.Fatal(ans.Errors)
		}
		timelines[r] = map[int]bool{}
		for _, e := range ans.list("procurement.timeline") {
			rev := int(e.(map[string]any)["revision"].(float64))
			timelines[r][rev], worded[rev] = true, true
		}
	}
	for _, r := range readers {
		for _, e := range histories[r] {
			rev := int(e["revision"].(float64))
			shown := e["withheld"] == nil
			// then what the timeline words for r, history shows r (a draft only to
			// the roles that read drafts: narrower, never wider)
			if !shown && timelines[r][rev] && e["visibility"] != "ORG_PRIVATE" {
				t.Errorf("%s: history withholds revision %d (%s) that the timeline shows", r, rev, e["type"])
			}
			// and what the timeline keeps from r, history keeps from r too
			if shown && !timelines[r][rev] && worded[rev] {
				t.Errorf("%s: history shows revision %d (%s, %v) that the timeline keeps from it", r, rev, e["type"], e["visibility"])
			}
		}
	}
}

func TestHistoryRecordsAConfidentialReadWithTheDefaultPurpose(t *testing.T) {
	// given the scored case
	x := newAclCase(t).awardSystem
	before := len(lhAccessRecords(t, x))

	// when the auditor reads the whole history without a reason
	entries := histEntries(t, x, auditorReader, procurement.StreamID(x.caseID))

	// then an AccessLogged event in accesslog-<case> names every confidential entry shown, for "history"
	var shown []string
	for _, e := range entries {
		switch e["visibility"] {
		case "SEALED", "EVALUATOR_PRIVATE", "COMMERCIAL_CONF":
			if e["withheld"] == nil {
				shown = append(shown, e["eventId"].(string))
			}
		}
	}
	recs := lhAccessRecords(t, x)[before:]
	if len(recs) == 0 {
		t.Fatal("the auditor's confidential read was not recorded")
	}
	recorded := map[string]bool{}
	for _, rec := range recs {
		if rec.Type != "AccessLogged" || rec.Stream != accesslog.StreamID(x.caseID) {
			t.Errorf("recorded as %s in %s", rec.Type, rec.Stream)
		}
		l := aclDecode(t, rec)
		if l.Purpose != "history" || !l.Granted || l.User != auditorReader.user || l.Resource != "history/procurement-"+x.caseID || l.CaseID != x.caseID {
			t.Errorf("access record %+v", l)
		}
		for _, id := range strings.Split(l.Subject, ",") {
			recorded[id] = true
		}
	}
	for _, id := range shown {
		if !recorded[id] {
			t.Errorf("event %s was shown but its reading not recorded", id)
		}
	}
	if len(recorded) != len(shown) {
		t.Errorf("%d events recorded as read, %d confidential shown", len(recorded), len(shown))
	}
}

func TestHistoryOfACaseWithoutConfidentialEntriesRecordsNothing(t *testing.T) {
	// given a young case: members, a cost key, a withdrawal
	x := newAwardSystem(t)
	y := histYoungCase(t, x)

	// when the hub, a member and the auditor read its history
	for _, r := range []reader{hubReader, osloAdmin, auditorReader} {
		entries := histEntries(t, x, r, procurement.StreamID(y.id))
		// then every event is shown
		if len(entries) != int(y.bergenLeft)+1 || histCountShown(entries, "MunicipalityJoined") != 2 {
			t.Errorf("%s: %d entries", r, len(entries))
		}
	}
	// and nothing was recorded
	recs, err := x.store.ReadStream(context.Background(), accesslog.StreamID(y.id), 0, 0)
	if err != nil || len(recs) != 0 {
		t.Errorf("%d access records (%v)", len(recs), err)
	}
}

func TestHistoryServesTheAccessLogToTheLeadsOfficersAndAuditorsOnly(t *testing.T) {
	// given a scored case whose access log has records
	x := newAclCase(t).awardSystem
	histEntries(t, x, auditorReader, procurement.StreamID(x.caseID))
	stored := lhAccessRecords(t, x)
	if len(stored) == 0 {
		t.Fatal("no access records")
	}
	stream := accesslog.StreamID(x.caseID)
	for r, sees := range map[reader]bool{leadReader: true, auditorReader: true, hubReader: false, osloAdmin: false, bergenAdmin: false, bergenEvaluator: false} {
		// when r asks for accesslog-<case>
		entries := histEntries(t, x, r, stream)
		// then the lead's officers and auditors get every record with its data, the others nothing
		if !sees {
			if len(entries) != 0 {
				t.Errorf("%s reads the access log: %d entries", r, len(entries))
			}
			continue
		}
		if len(entries) != len(stored) {
			t.Fatalf("%s: %d entries, the log had %d", r, len(entries), len(stored))
		}
		for i, rec := range stored {
			e := entries[i]
			if e["withheld"] != nil || e["data"] != string(rec.Data) || e["hash"] != rec.Hash || e["visibility"] != nil {
				t.Errorf("%s, access record %d: %v", r, i, e)
			}
		}
	}
}

func TestHistoryServesAnOrganisationsStreamToItselfAndPlatformReaders(t *testing.T) {
	// given the registered organisations
	x := newAwardSystem(t)
	stored, err := x.store.ReadStream(context.Background(), "organisation-bergen", 0, 0)
	if err != nil || len(stored) == 0 {
		t.Fatalf("no organisation-bergen: %v", err)
	}
	for r, sees := range map[reader]bool{bergenAdmin: true, auditorReader: true, hubReader: false, osloAdmin: false, leadReader: false} {
		// when r asks for organisation-bergen
		entries := histEntries(t, x, r, "organisation-bergen")
		// then bergen and platform-wide readers get it whole, the others nothing
		if !sees {
			if len(entries) != 0 {
				t.Errorf("%s reads bergen's stream: %d entries", r, len(entries))
			}
			continue
		}
		if len(entries) != len(stored) {
			t.Fatalf("%s: %d entries, the stream has %d", r, len(entries), len(stored))
		}
		for i, e := range entries {
			if e["withheld"] != nil || e["data"] != string(stored[i].Data) || histRecompute(t, e) != stored[i].Hash {
				t.Errorf("%s, entry %d: %v", r, i, e)
			}
		}
	}
}

func TestHistoryServesTheSignedTreeHeadsToAnyoneSignedIn(t *testing.T) {
	// given a signed tree head in audit-tree
	x := newAwardSystem(t)
	head := histSignHead(t, x)
	for _, r := range []reader{hubReader, osloAdmin, auditorReader, {"acme-sales", "acme"}, {"stranger", "nowhere"}} {
		// when r asks for audit-tree
		entries := histEntries(t, x, r, audit.HeadStream)
		// then r gets the head with its data
		if len(entries) != 1 || entries[0]["data"] != string(head.Data) || entries[0]["withheld"] != nil || entries[0]["type"] != audit.HeadEventType {
			t.Errorf("%s: %v", r, entries)
		}
	}
}

func TestHistoryOfAStreamYouMayNotReadIsEmptyNotAnError(t *testing.T) {
	x := newAwardSystem(t)
	y := histYoungCase(t, x)
	for r, streams := range map[reader][]string{
		// a supplier sees neither case, nor another organisation's stream
		{"acme-sales", "acme"}: {procurement.StreamID(x.caseID), procurement.StreamID(y.id), accesslog.StreamID(x.caseID), "organisation-oslo"},
		// streams that do not exist or are not served, whoever asks
		auditorReader: {"procurement-00000000-0000-4000-8000-000000000000", "procurement-not-an-id", "accesslog-not-an-id",
			"accesslog-00000000-0000-4000-8000-000000000000", "organisation-", "organisation-nowhere", "audit-tree-2", "no-such-stream",
			"", "-", "procurement", "$all", "views"},
	} {
		for _, s := range streams {
			// when r asks for it
			ans := lhAsk(t, x, r, histStreamQ, map[string]any{"s": s})
			// then the answer is an empty page, not an error
			if len(ans.Errors) > 0 || len(ans.list("history.entries")) != 0 || ans.get("history.hasNextPage") != false || ans.get("history.endCursor") != nil {
				t.Errorf("%s, %q: %v %v", r, s, ans.Data, ans.Errors)
			}
		}
	}
	// someone with no role at all is refused alike whether the stream exists or not
	stranger := reader{"stranger", "nowhere"}
	for _, pair := range [][2]string{
		{procurement.StreamID(x.caseID), "procurement-00000000-0000-4000-8000-000000000000"},
		{"organisation-oslo", "organisation-nowhere-else"},
	} {
		a := lhAsk(t, x, stranger, histStreamQ, map[string]any{"s": pair[0]})
		b := lhAsk(t, x, stranger, histStreamQ, map[string]any{"s": pair[1]})
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) || len(a.list("history.entries")) != 0 {
			t.Errorf("a stranger tells %s from %s: %s / %s", pair[0], pair[1], ja, jb)
		}
	}
}

func TestHistoryRefusesABadPageSizeOrCursor(t *testing.T) {
	x := newAwardSystem(t)
	stream := procurement.StreamID(x.caseID)
	for _, c := range []struct {
		name   string
		vars   map[string]any
		reason string
	}{
		{"first_zero", map[string]any{"first": 0}, "first.out_of_range"},
		{"first_negative", map[string]any{"first": -1}, "first.out_of_range"},
		{"first_beyond_max", map[string]any{"first": MaxPageSize + 1}, "first.out_of_range"},
		{"after_not_base64", map[string]any{"after": "%%%"}, "after.malformed"},
		{"after_not_a_revision", map[string]any{"after": base64.RawURLEncoding.EncodeToString([]byte("rev:x"))}, "after.malformed"},
		{"after_another_kind_of_cursor", map[string]any{"after": base64.RawURLEncoding.EncodeToString([]byte("pos:12"))}, "after.malformed"},
		{"after_a_tree_heads_cursor", map[string]any{"after": base64.RawURLEncoding.EncodeToString([]byte("head:3"))}, "after.malformed"},
		{"after_a_negative_revision", map[string]any{"after": base64.RawURLEncoding.EncodeToString([]byte("rev:-1"))}, "after.malformed"},
		{"reason_too_long", map[string]any{"reason": strings.Repeat("r", maxHistoryReason+1)}, "reason.too_long"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, q := range []struct{ q, path string }{
				{histStreamQ, "history"},
				{`query($id: ID!, $first: Int, $after: String, $reason: String) { procurement(id: $id) {
					history(first: $first, after: $after, reason: $reason) { entries { revision } } } }`, "procurement.history"},
			} {
				vars := map[string]any{"s": stream, "id": x.caseID}
				for k, v := range c.vars {
					vars[k] = v
				}
				// when the lead asks with it
				ans := lhAsk(t, x, leadReader, q.q, vars)
				// then the answer is a BAD_USER_INPUT error with the reason
				if len(ans.Errors) == 0 || ans.Errors[0].Extensions["reason"] != c.reason || ans.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
					t.Errorf("%s: %+v", q.path, ans.Errors)
				}
			}
		})
	}
}

func TestHistoryContinuesAfterAnyCursor(t *testing.T) {
	x := newAwardSystem(t)
	stream := procurement.StreamID(x.caseID)
	stored, _ := x.store.ReadStream(context.Background(), stream, 0, 0)
	for _, after := range []int{0, 5, len(stored) - 2, len(stored) - 1, len(stored) + 10} {
		// when the lead asks for two entries after revision `after`
		ans := lhAsk(t, x, leadReader, histStreamQ, map[string]any{"s": stream, "first": 2, "after": histCursor(after)})
		if len(ans.Errors) > 0 {
			t.Fatal(ans.Errors)
		}
		// then it gets the next ones, and whether there are more
		var revs []int
		for _, e := range ans.list("history.entries") {
			revs = append(revs, int(e.(map[string]any)["revision"].(float64)))
		}
		var want []int
		for r := after + 1; r < len(stored) && len(want) < 2; r++ {
			want = append(want, r)
		}
		more := after+3 < len(stored)
		if fmt.Sprint(revs) != fmt.Sprint(want) || ans.get("history.hasNextPage") != more {
			t.Errorf("after %d: revisions %v, hasNextPage %v; want %v, %v", after, revs, ans.get("history.hasNextPage"), want, more)
		}
	}
}
