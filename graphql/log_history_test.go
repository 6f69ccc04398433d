package graphql

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/accesslog"
	"github.com/felles/felles/eventstore"
)

const lhQuery = `query($id: ID!, $after: String) { procurement(id: $id) { history(first: 7, after: $after, reason: "annual audit") {
	entries { eventId stream type schemaVersion revision position recordedAt prevHash hash visibility withheld data
		user organisation commandId commandHash correlationId causationId occurredAt }
	endCursor hasNextPage } } }`

// lhAll pages through the case's history as r.
func lhAll(t *testing.T, x *awardSystem, r reader) []map[string]any {
	t.Helper()
	var out []map[string]any
	var after any
	for pages := 0; ; pages++ {
		ans := lhAsk(t, x, r, lhQuery, map[string]any{"id": x.caseID, "after": after})
		for _, e := range ans.list("procurement.history.entries") {
			out = append(out, e.(map[string]any))
		}
		if ans.get("procurement.history.hasNextPage") != true {
			return out
		}
		after = ans.get("procurement.history.endCursor")
		if pages > 100 {
			t.Fatal("history does not end")
		}
	}
}

// lhAsk asks with variables; errors are returned in the answer.
func lhAsk(t *testing.T, x *awardSystem, r reader, q string, vars map[string]any) gqlAnswer {
	t.Helper()
	x.views()
	token, err := x.tokens.Mint(r.user, r.org, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	x.api.ServeHTTP(rec, req)
	var ans gqlAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
		t.Fatalf("not JSON: %s", rec.Body.String())
	}
	return ans
}

func lhAccessRecords(t *testing.T, x *awardSystem) []eventstore.Record {
	t.Helper()
	recs, err := x.store.ReadStream(context.Background(), accesslog.StreamID(x.caseID), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestHistoryPagesThroughEveryEnvelopeAndTheHashesRecompute(t *testing.T) {
	x := newAwardSystem(t)
	stored, _ := x.store.ReadStream(context.Background(), "procurement-"+x.caseID, 0, 0)

	got := lhAll(t, x, leadReader)

	if len(got) != len(stored) {
		t.Fatalf("%d entries, the stream has %d", len(got), len(stored))
	}
	for i, e := range got {
		if int(e["revision"].(float64)) != i {
			t.Fatalf("entry %d has revision %v: pages overlap or skip", i, e["revision"])
		}
		if e["withheld"] != nil {
			continue
		}
		// the envelope as served recomputes to the hash served
		rec := eventstore.Record{ID: e["eventId"].(string), Stream: e["stream"].(string), Revision: uint64(i), Type: e["type"].(string),
			SchemaVersion: int(e["schemaVersion"].(float64)), Data: json.RawMessage(e["data"].(string)), PrevHash: e["prevHash"].(string),
			Metadata: eventstore.Metadata{User: e["user"].(string), Org: e["organisation"].(string), CommandID: e["commandId"].(string),
				CommandHash: e["commandHash"].(string), CorrelationID: e["correlationId"].(string), CausationID: e["causationId"].(string)}}
		rec.Metadata.OccurredAt, _ = time.Parse(time.RFC3339Nano, e["occurredAt"].(string))
		rec.RecordedAt, _ = time.Parse(time.RFC3339Nano, e["recordedAt"].(string))
		if h, err := eventstore.HashOf(rec); err != nil || h != e["hash"] {
			t.Fatalf("revision %d: the served envelope hashes to %s, served hash %s (%v)", i, h, e["hash"], err)
		}
	}
}

func TestHistoryWithholdsADraftFromOthersAndShowsItToAuditorsAfterSubmission(t *testing.T) {
	x := newAwardSystem(t)
	draft := func(r reader) map[string]any {
		for _, e := range lhAll(t, x, r) {
			if e["type"] == "NeedsDraftSaved" {
				return e
			}
		}
		t.Fatalf("%s: no NeedsDraftSaved entry", r)
		return nil
	}
	for _, r := range []reader{osloAdmin, hubReader, leadReader} {
		e := draft(r)
		if e["withheld"] != "ORG_PRIVATE" || e["data"] != nil || e["user"] != nil || e["hash"] == "" {
			t.Errorf("%s sees bergen's draft: %v", r, e)
		}
	}
	before := len(lhAccessRecords(t, x))
	if e := draft(bergenAdmin); e["withheld"] != nil || !strings.Contains(e["data"].(string), "bergen-private-draft-note") {
		t.Errorf("bergen does not see its own draft: %v", e)
	}
	if n := len(lhAccessRecords(t, x)); n != before {
		t.Errorf("the owner reading its own draft was recorded as a confidential read (%d records)", n-before)
	}
	// the drafts stay with their owner, auditors included (no retention policy
	// lets them read drafts yet), even after bergen submitted its needs
	if e := draft(auditorReader); e["withheld"] != "ORG_PRIVATE" || e["data"] != nil {
		t.Errorf("the auditor sees bergen's draft: %v", e)
	}
}

// A confidential entry shown is recorded, with the reason given.
func TestHistoryRecordsTheConfidentialDataItShows(t *testing.T) {
	x := newAclCase(t).awardSystem // tenders opened, scores locked, a clarification answered
	before := len(lhAccessRecords(t, x))
	var shown []string
	for _, e := range lhAll(t, x, auditorReader) {
		if v := e["visibility"]; e["withheld"] == nil && (v == "EVALUATOR_PRIVATE" || v == "COMMERCIAL_CONF" || v == "SEALED") {
			shown = append(shown, e["eventId"].(string))
		}
	}
	if len(shown) == 0 {
		t.Fatal("the auditor sees no confidential entry in a scored case")
	}
	recs := lhAccessRecords(t, x)
	var recorded []string
	for _, rec := range recs[before:] {
		var l accesslog.Logged
		json.Unmarshal(rec.Data, &l)
		if l.User != auditorReader.user || l.Purpose != "annual audit" || l.Resource != "history/procurement-"+x.caseID {
			t.Errorf("access record %+v", l)
		}
		recorded = append(recorded, strings.Split(l.Subject, ",")...)
	}
	for _, id := range shown {
		if !slices.Contains(recorded, id) {
			t.Errorf("event %s was shown to the auditor but its reading was not recorded", id)
		}
	}
	if err := eventstore.VerifyChain(recs); err != nil {
		t.Error(err)
	}
}

func TestHistoryOfOtherStreamsAndBadInput(t *testing.T) {
	x := newAwardSystem(t)
	q := `query($s: String!, $first: Int, $after: String) { history(streamId: $s, first: $first, after: $after) { entries { type data withheld } } }`
	count := func(r reader, stream string) int {
		ans := lhAsk(t, x, r, q, map[string]any{"s": stream})
		if len(ans.Errors) > 0 {
			t.Fatalf("%s %s: %v", r, stream, ans.Errors)
		}
		return len(ans.list("history.entries"))
	}
	if count(leadReader, "procurement-"+x.caseID) == 0 {
		t.Error("the lead gets no history of its case by stream name")
	}
	for _, s := range []string{"procurement-00000000-0000-4000-8000-000000000000", "no-such-stream", "organisation-bergen", "accesslog-" + x.caseID} {
		if n := count(osloAdmin, s); n != 0 {
			t.Errorf("oslo-admin gets %d entries of %s", n, s)
		}
	}
	for _, c := range []struct {
		vars   map[string]any
		reason string
	}{
		{map[string]any{"s": "procurement-" + x.caseID, "first": 0}, "first.out_of_range"},
		{map[string]any{"s": "procurement-" + x.caseID, "first": 101}, "first.out_of_range"},
		{map[string]any{"s": "procurement-" + x.caseID, "after": "not-a-cursor"}, "after.malformed"},
	} {
		ans := lhAsk(t, x, leadReader, q, c.vars)
		if len(ans.Errors) == 0 || ans.Errors[0].Extensions["reason"] != c.reason {
			t.Errorf("%v: %+v", c.vars, ans.Errors)
		}
	}
}
