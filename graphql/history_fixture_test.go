package graphql

import (
	"context"
	"encoding/base64"
	"strconv"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/felles/felles/app"
	"github.com/felles/felles/audit"
	"github.com/felles/felles/domain/costshare"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// Fixtures of the history and time-travel tests (issue 7). They add to the
// award system (award_fixture_test.go): a second, young case whose members
// change after the moments the tests look back at, a signed tree head, and
// helpers that page through history(streamId).

// histYoung is a young case of the award system: oslo joins (revision
// osloJoined), then bergen joins, recruitment closes and an equal cost key
// gives 50/50 (revision sharesSet), then bergen withdraws and oslo carries
// 100 % (revision bergenLeft, the head).
type histYoung struct {
	id                                string
	osloJoined, sharesSet, bergenLeft uint64
}

// histYoungCase runs the young case's commands through app.Procurements, one
// day apart from day 100 on, so every event carries a real command's envelope.
func histYoungCase(t *testing.T, x *awardSystem) histYoung {
	t.Helper()
	ctx := context.Background()
	hub, oslo, bergen := hubReader.principal(), osloAdmin.principal(), bergenAdmin.principal()
	day, n := 100, 0
	step := func(what string, res app.Result, err error) uint64 {
		t.Helper()
		if err != nil {
			t.Fatalf("young case, %s: %v", what, err)
		}
		day++
		x.at(awardDay(day, 9))
		return res.Revision
	}
	meta := func() app.CommandMeta { n++; return app.CommandMeta{CommandID: "hist-young-" + strconv.Itoa(n)} }
	x.at(awardDay(day, 9))
	id, res, err := x.cases.Create(ctx, hub, meta(), app.CreateInput{Title: "Shared meal delivery", Jurisdiction: procurement.JurisdictionNO})
	step("create", res, err)
	var y histYoung
	y.id = id
	res, err = x.cases.Invite(ctx, hub, meta(), id, "oslo")
	step("invite oslo", res, err)
	res, err = x.cases.Invite(ctx, hub, meta(), id, "bergen")
	step("invite bergen", res, err)
	res, err = x.cases.OpenRecruitment(ctx, hub, meta(), id)
	step("open recruitment", res, err)
	res, err = x.cases.Accept(ctx, oslo, meta(), id)
	y.osloJoined = step("oslo joins", res, err)
	res, err = x.cases.Accept(ctx, bergen, meta(), id)
	step("bergen joins", res, err)
	res, err = x.cases.CloseRecruitment(ctx, hub, meta(), id)
	step("close recruitment", res, err)
	res, err = x.cases.SetCostKey(ctx, hub, meta(), id, procurement.CostKey{Method: costshare.Equal})
	y.sharesSet = step("equal cost key", res, err)
	res, err = x.cases.Withdraw(ctx, bergen, meta(), id, "the council cut the budget", "")
	y.bergenLeft = step("bergen withdraws", res, err)
	return y
}

// histSignHead appends a signed tree head to audit-tree as the notary does.
func histSignHead(t *testing.T, x *awardSystem) eventstore.Record {
	t.Helper()
	signer, err := audit.LoadOrCreateSigner(t.TempDir(), "felles-hist-test")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := audit.NewHeadEvent(signer, audit.TreeHead{Size: 1, Root: tlog.Hash{1}, SignedAt: time.Now().UTC()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.store.Append(context.Background(), audit.HeadStream, eventstore.Any, []eventstore.EventData{ev}); err != nil {
		t.Fatal(err)
	}
	recs, err := x.store.ReadStream(context.Background(), audit.HeadStream, 0, 0)
	if err != nil || len(recs) == 0 {
		t.Fatalf("no head in %s: %v", audit.HeadStream, err)
	}
	return recs[len(recs)-1]
}

const histStreamQ = `query($s: String!, $first: Int, $after: String, $reason: String) {
	history(streamId: $s, first: $first, after: $after, reason: $reason) {
		entries { eventId stream type schemaVersion revision position recordedAt prevHash hash visibility withheld data
			user organisation commandId commandHash correlationId causationId occurredAt }
		endCursor hasNextPage } }`

// histPage is one page of history(streamId) as r.
type histPage struct {
	entries []map[string]any
	end     any
	more    bool
}

// histPages pages through history(streamId) as r, first entries a page, and
// fails on any error.
func histPages(t *testing.T, x *awardSystem, r reader, stream string, first int, reason any) []histPage {
	t.Helper()
	var pages []histPage
	var after any
	for {
		ans := lhAsk(t, x, r, histStreamQ, map[string]any{"s": stream, "first": first, "after": after, "reason": reason})
		if len(ans.Errors) > 0 {
			t.Fatalf("%s, history of %s after %v: %v", r, stream, after, ans.Errors)
		}
		var p histPage
		for _, e := range ans.list("history.entries") {
			p.entries = append(p.entries, e.(map[string]any))
		}
		p.end, p.more = ans.get("history.endCursor"), ans.get("history.hasNextPage") == true
		pages = append(pages, p)
		if !p.more {
			return pages
		}
		if len(pages) > 1000 {
			t.Fatalf("%s: the history of %s does not end", r, stream)
		}
		after = p.end
	}
}

// histEntries is every entry of a stream's history as r, in page order.
func histEntries(t *testing.T, x *awardSystem, r reader, stream string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, p := range histPages(t, x, r, stream, MaxPageSize, nil) {
		out = append(out, p.entries...)
	}
	return out
}

// histOfType is the first entry of the type, or nil.
func histOfType(entries []map[string]any, typ string) map[string]any {
	for _, e := range entries {
		if e["type"] == typ {
			return e
		}
	}
	return nil
}

// histCursor is the cursor history answers after revision rev.
func histCursor(rev int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("rev:" + strconv.Itoa(rev)))
}
