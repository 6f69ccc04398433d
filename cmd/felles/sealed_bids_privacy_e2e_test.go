package main

import (
	"bytes"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// The sealed-receipt rule (DOMAIN.md §4.4, §5 SEALED; docs/api.md
// "Confidentiality per field"): no one reads a bid's content before the
// opening — not the lead, not auditors, not the hub, not the bidder itself —
// and afterwards only the lead's organisation (lead-officer, lead-signatory,
// auditor) does. Two suppliers hand in bids carrying canaries; the schema
// walker of the needs privacy test (every field reachable from every root
// query) runs as every demo principal while the case is TENDERING, after
// receipt closed, and after the opening, and every raw response is searched
// for the canaries in raw, base64 and hex form. The data folder's files are
// searched the same way: the content is sealed in the vault, never in clear.

// sealedStage is where the case stands during a walk.
type sealedStage int

const (
	stageTendering sealedStage = iota
	stageClosed
	stageOpened
)

func (s sealedStage) String() string {
	return [...]string{"TENDERING", "RECEIPT_CLOSED", "EVALUATION"}[s]
}

// sealedView is what a principal is in the case, by docs/api.md.
type sealedView struct {
	roleHolder    bool   // holds a role in the organisation it acts for
	caseReader    bool   // the hub's or a member's people: sees the case
	leadOrg       bool   // acts for the lead (oslo) as lead-officer, lead-signatory or auditor (DOMAIN.md §5 LO, AU): bid metadata before receipt closes
	contentReader bool   // lead-officer, lead-signatory or auditor of the lead: content after the opening
	supplier      string // the supplier organisation it acts for, with its own bid
}

func sealedViewOf(p privacyPrincipal) sealedView {
	var v sealedView
	supplierOrg := slices.Contains(tdSuppliers, p.org)
	switch {
	case p.user == "hub-coordinator" && p.org == "hub", p.user == "auditor" && !supplierOrg:
		v.roleHolder = true
	case p.user == p.org+"-sales" && supplierOrg:
		v.roleHolder, v.supplier = true, p.org
	case strings.HasPrefix(p.user, p.org+"-") && !supplierOrg && p.org != "hub":
		v.roleHolder = true // a municipality's own staff
	}
	v.caseReader = v.roleHolder && slices.Contains([]string{"hub", "oslo", "bergen"}, p.org)
	v.leadOrg = v.caseReader && p.org == "oslo" && slices.Contains([]string{"oslo-lead", "oslo-lead-signatory", "auditor"}, p.user)
	v.contentReader = v.leadOrg
	return v
}

// sealedExtraPrincipals hold roles that read bids in the lead, granted in a
// member that does not lead: bergen's lead officer and lead signatory, and
// the evaluator the lead appointed (issue 6 adds the declaration of conflicts
// that must come before any access; until then no access at all).
var sealedExtraPrincipals = []privacyPrincipal{
	{user: "bergen-lo", org: "bergen"}, {user: "bergen-ls", org: "bergen"}, {user: "bergen-eva", org: "bergen"},
}

// sealedWalk is the schema walk over one case.
type sealedWalk struct {
	tc      *tenderCase
	queries map[string]string
	names   []string
	// payload selects everything reachable from a BidPayload.
	payload string
}

func newSealedWalk(t *testing.T, tc *tenderCase) *sealedWalk {
	t.Helper()
	_, intro := tc.f.postRaw(tc.hub, privacyIntrospection, nil)
	if len(intro.Errors) > 0 {
		t.Fatalf("introspection: %+v", intro.Errors)
	}
	var schema struct {
		Schema introSchema `json:"__schema"`
	}
	blob, _ := json.Marshal(intro.Data)
	if err := json.Unmarshal(blob, &schema); err != nil {
		t.Fatal(err)
	}
	sel := &schemaWalker{types: map[string]introType{}, caseID: tc.id, paths: map[string]bool{}}
	for _, ty := range schema.Schema.Types {
		sel.types[ty.Name] = ty
	}
	w := &sealedWalk{tc: tc, queries: sel.rootQueries(schema.Schema)}
	w.payload = sel.selection("BidPayload", "payload", 1, []string{"BidPayload"})

	if len(sel.unfillable) > 0 {
		t.Errorf("fields the walk cannot fill arguments for: %v", sel.unfillable)
	}
	if len(sel.truncated) > 0 {
		t.Errorf("fields cut off by the depth bound %d or a cycle: %v", schemaWalkDepth, sel.truncated)
	}
	for _, p := range []string{
		"procurement.bids.content", "procurement.bids.sha256", "procurement.bids.supplier.id",
		"procurement.openingProtocol.bids.sha256", "procurement.receiptClosings.submissionCount",
		"procurement.pendingOpenings.startedBy", "procurement.sealedAccessLog.purpose", "procurement.accessLog.hash",
		"procurements.edges.node.bids.content", "myTasks.procurement.bids.content",
		"publicTender.myBids.content", "publicTenders.edges.node.myBids.content",
		"payload.bid.content", "payload.tender.myBids.content",
	} {
		if !sel.paths[p] {
			t.Errorf("the generated queries do not select %s", p)
		}
	}
	for _, q := range []string{"viewer", "procurement", "procurements", "myTasks", "organisations", "publicTender", "publicTenders"} {
		if _, ok := w.queries[q]; !ok {
			t.Errorf("no query generated for Query.%s", q)
		}
	}
	for name, q := range w.queries {
		if len(q) > 20_000 {
			t.Errorf("the query for %s is %d characters, over the server's limit", name, len(q))
		}
		w.names = append(w.names, name)
	}
	sort.Strings(w.names)
	if t.Failed() {
		t.FailNow()
	}
	return w
}

// walk runs every root query as every demo principal and checks each raw
// response against what the principal may see at this stage.
func (w *sealedWalk) walk(t *testing.T, stage sealedStage) {
	f, tc := w.tc.f.with(t), w.tc
	if got := tc.with(t).phase(); got != stage.String() {
		t.Fatalf("the walk expects the case in %s, it is in %s", stage, got)
	}
	requests := 0
	for _, p := range append(demoPrincipals(), sealedExtraPrincipals...) {
		v := sealedViewOf(p)
		token := f.token(p.user, p.org)
		reached := map[string]int{} // content errors by reason
		contents := 0
		for _, name := range w.names {
			raw, res := f.postRaw(token, w.queries[name], nil)
			requests++
			w.checkResponse(t, stage, p, v, name, raw, res, reached, &contents)
		}
		// Bid.content answers for a sealed bid, to whoever reaches one.
		wantReason, wantReach := "bid.sealed", 0
		switch {
		case stage == stageOpened && v.contentReader:
			wantReason = ""
		case stage == stageOpened:
			wantReason = "bid.no_content_access"
		}
		switch {
		case v.leadOrg || (stage != stageTendering && v.caseReader):
			wantReach = len(tdSuppliers) // through procurement(id).bids at least
		case v.supplier != "":
			wantReach = 1 // its own, through publicTender(id).myBids at least
		}
		if wantReason == "" {
			if len(reached) > 0 || contents < len(tdSuppliers) {
				t.Errorf("%s must read both opened bids: content errors %v, %d contents", p, reached, contents)
			}
			continue
		}
		for reason, n := range reached {
			if reason != wantReason {
				t.Errorf("%s: Bid.content answered %s %d times in %s, want only %s", p, reason, n, stage, wantReason)
			}
		}
		if reached[wantReason] < wantReach {
			t.Errorf("%s reaches Bid.content %d times in %s, want at least %d (each FORBIDDEN %s)", p, reached[wantReason], stage, wantReach, wantReason)
		}
		if wantReach == 0 && len(reached) > 0 {
			t.Errorf("%s must not reach any bid in %s, yet Bid.content answered %v", p, stage, reached)
		}
	}
	t.Logf("%s: walked %d requests", stage, requests)
}

func (w *sealedWalk) checkResponse(t *testing.T, stage sealedStage, p privacyPrincipal, v sealedView, name, raw string, res gqlResult,
	reached map[string]int, contents *int) {
	t.Helper()
	tc := w.tc
	readsContent := stage == stageOpened && v.contentReader
	for _, b := range tc.bids {
		if leak := canaryIn(raw, b.canary); leak != "" && !readsContent {
			t.Errorf("LEAK: %s reading Query.%s in %s sees %s's bid (%s): %s", p, name, stage, b.supplier, leak, raw)
		}
		// Who may even learn that a bid exists (its ID or hash).
		seesMeta := v.leadOrg || (stage != stageTendering && v.caseReader) || v.supplier == b.supplier
		if !seesMeta && (strings.Contains(raw, b.id) || strings.Contains(raw, b.sha)) {
			t.Errorf("%s reading Query.%s in %s learns of %s's bid (ID or SHA-256): %s", p, name, stage, b.supplier, raw)
		}
	}
	// CASE_INTERNAL parts of the dialogue and design stay in the case: the
	// evaluator, the mandate, the minutes' annex, who asked what in their own
	// words (the asker sees its own question).
	if !v.caseReader {
		internal := []string{"bergen-eva", "bergen-til-oslo", tdHash("konfidensielt vedlegg")}
		if v.supplier != "acme" {
			internal = append(internal, "acme-q1", "Kan acme sin fallsensor")
		}
		for _, m := range internal {
			if strings.Contains(raw, m) {
				t.Errorf("%s reading Query.%s in %s sees %q, which is internal to the case: %s", p, name, stage, m, raw)
			}
		}
	}
	for _, e := range pathErrorsOf(t, raw) {
		if e.field() == "content" {
			if e.code() != "FORBIDDEN" {
				t.Errorf("%s reading Query.%s: Bid.content answered %s/%s: %s", p, name, e.code(), e.reason(), e.Message)
			}
			reached[e.reason()]++
			continue
		}
		if v.roleHolder {
			t.Errorf("%s reading Query.%s in %s: unexpected error %+v", p, name, stage, e)
		}
	}
	switch name {
	case "procurement":
		w.checkCase(t, stage, p, v, res, contents)
	case "publicTender":
		if !v.roleHolder {
			return
		}
		mine, _ := res.get("publicTender.myBids").([]any)
		switch {
		case v.supplier != "":
			b := tc.bids[v.supplier]
			if len(mine) != 1 || mine[0].(map[string]any)["id"] != b.id || mine[0].(map[string]any)["sha256"] != b.sha {
				t.Errorf("%s sees exactly its own receipt in myBids, got %v", p, mine)
			}
			if res.get("publicTender.id") != tc.id {
				t.Errorf("%s finds the published tender: %+v", p, res.Data)
			}
		case len(mine) != 0:
			t.Errorf("%s has no bid of its own, yet myBids is %v", p, mine)
		}
	}
}

// checkCase checks the sealed parts of procurement(id) against docs/api.md.
func (w *sealedWalk) checkCase(t *testing.T, stage sealedStage, p privacyPrincipal, v sealedView, res gqlResult, contents *int) {
	t.Helper()
	tc := w.tc
	if !v.caseReader {
		if res.get("procurement") != nil {
			t.Errorf("%s has no part in the case, yet sees it", p)
		}
		return
	}
	if res.get("procurement.id") != tc.id || res.get("procurement.phase") != stage.String() {
		t.Errorf("%s must see the case in %s: %+v", p, stage, res.get("procurement.phase"))
		return
	}
	bids, _ := res.get("procurement.bids").([]any)
	seesBids := v.leadOrg || stage != stageTendering
	if !seesBids {
		if len(bids) != 0 {
			t.Errorf("%s must see no bids before receipt closes, got %v", p, bids)
		}
	} else {
		if len(bids) != len(tdSuppliers) {
			t.Errorf("%s must see both bids' metadata in %s, got %v", p, stage, bids)
		}
		for _, x := range bids {
			m := x.(map[string]any)
			b := tc.bids[m["supplier"].(map[string]any)["id"].(string)]
			if m["id"] != b.id || m["sha256"] != b.sha || m["sizeBytes"] != float64(len(b.content)) || m["opened"] != (stage == stageOpened) {
				t.Errorf("%s: bid metadata %v does not match %s's receipt", p, m, b.supplier)
			}
			if stage == stageOpened && v.contentReader {
				got, err := base64.StdEncoding.DecodeString(fmt.Sprint(m["content"]))
				if err != nil || !bytes.Equal(got, b.content) {
					t.Errorf("%s must read %s's bid exactly after the opening, got %q", p, b.supplier, m["content"])
				} else {
					*contents++
				}
			} else if m["content"] != nil {
				t.Errorf("%s gets content of %s's bid in %s", p, b.supplier, stage)
			}
		}
	}
	closings, _ := res.get("procurement.receiptClosings").([]any)
	protocol := res.get("procurement.openingProtocol")
	accessLog, _ := res.get("procurement.sealedAccessLog").([]any)
	fullLog, _ := res.get("procurement.accessLog").([]any)
	switch {
	case !v.leadOrg:
		if len(closings) != 0 || protocol != nil || len(accessLog) != 0 || len(fullLog) != 0 {
			t.Errorf("%s sees the lead's sealed records: closings %v, protocol %v, access log %v %v", p, closings, protocol, accessLog, fullLog)
		}
	case stage == stageTendering && len(closings) != 0:
		t.Errorf("%s: receipt is still open, yet closings %v", p, closings)
	case stage != stageTendering && (len(closings) != 1 || closings[0].(map[string]any)["submissionCount"] != float64(len(tdSuppliers))):
		t.Errorf("%s: the closing counts both bids, got %v", p, closings)
	case stage == stageOpened && fmt.Sprint(res.get("procurement.openingProtocol.openedBy")) != "[oslo-lead oslo-lead-signatory]":
		t.Errorf("%s: the protocol names both openers, got %v", p, protocol)
	case stage != stageOpened && protocol != nil:
		t.Errorf("%s: no protocol before the opening, got %v", p, protocol)
	}
}

// scanDataDir searches every file of the data folder for the canaries.
func (w *sealedWalk) scanDataDir(t *testing.T, when string) {
	t.Helper()
	var scanned []string
	err := filepath.WalkDir(w.tc.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(w.tc.dir, path)
		scanned = append(scanned, rel)
		low := bytes.ToLower(body)
		for _, b := range w.tc.bids {
			folded, exact := canaryNeedles(b.canary)
			for _, n := range folded {
				if bytes.Contains(low, []byte(n)) {
					t.Errorf("LEAK %s: %s holds %s's canary in clear or hex (%q)", when, rel, b.supplier, n)
				}
			}
			for _, n := range exact {
				if bytes.Contains(body, []byte(n)) {
					t.Errorf("LEAK %s: %s holds %s's canary in base64 (%q)", when, rel, b.supplier, n)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"events.db", "views.db", filepath.Join("vault", "sealed.db"), filepath.Join("vault", "keys.db")} {
		if !slices.Contains(scanned, want) {
			t.Errorf("the scan %s missed %s (scanned %v)", when, want, scanned)
		}
	}
	t.Logf("%s: scanned %v", when, scanned)
}

func TestSealedBidsCannotBeReadBeforeTheOpening(t *testing.T) {
	tc := startTendering(t, 50*time.Millisecond)
	f := tc.f
	tc.driveToNotice()
	for _, g := range [][2]string{{"bergen-lo", "lead-officer"}, {"bergen-ls", "lead-signatory"}, {"bergen-eva", "evaluator"}} {
		f.ok(tc.admin["bergen"], `mutation($u: String!, $r: String!) { grantRole(input: {organisationId: "bergen", user: $u, role: $r}) { revision } }`,
			map[string]any{"u": g[0], "r": g[1]})
	}
	w := newSealedWalk(t, tc)
	// The bidders' receipts select everything a BidPayload reaches.
	tc.submitBids(w.payload)

	t.Run("while_tendering_no_one_reads_a_bid_and_only_the_lead_sees_its_metadata", func(t *testing.T) {
		w.walk(t, stageTendering)
		w.scanDataDir(t, "while tendering")
	})

	tc.clock.Set(tdOpening.Add(time.Hour))
	tc.waitForPhase("RECEIPT_CLOSED")

	t.Run("after_receipt_closes_the_case_sees_metadata_and_the_bids_stay_sealed", func(t *testing.T) {
		w.walk(t, stageClosed)
		w.scanDataDir(t, "after receipt closed")
	})

	f.ok(tc.lead, tdOpenM, tc.vars())
	t.Run("a_started_four_eyes_opening_opens_nothing", func(t *testing.T) {
		f := f.with(t)
		for _, who := range []string{"oslo-lead", "auditor"} {
			raw, _ := f.postRaw(f.token(who, "oslo"), `query($id: ID!) { procurement(id: $id) { phase pendingOpenings { startedBy } bids { content } } }`, tc.vars())
			for _, b := range tc.bids {
				if leak := canaryIn(raw, b.canary); leak != "" {
					t.Errorf("LEAK: %s reads %s's bid after only one opener: %s", who, b.supplier, raw)
				}
			}
			for _, e := range pathErrorsOf(t, raw) {
				if e.field() != "content" || e.reason() != "bid.sealed" {
					t.Errorf("%s: %+v", who, e)
				}
			}
		}
	})
	f.ok(tc.leadSig, tdOpenM, tc.vars())

	t.Run("after_the_opening_only_the_lead_and_its_auditor_read_the_bids", func(t *testing.T) {
		w.walk(t, stageOpened)
		w.scanDataDir(t, "after the opening")
	})

	t.Run("every_attempt_is_in_the_sealed_access_log", func(t *testing.T) {
		f := f.with(t)
		log := f.ok(tc.lead, `query($id: ID!) { procurement(id: $id) { sealedAccessLog { user organisation { id } granted } } }`, tc.vars())
		seen := map[string]bool{}
		for _, x := range log.get("procurement.sealedAccessLog").([]any) {
			m := x.(map[string]any)
			seen[fmt.Sprintf("%s@%s/%v", m["user"], m["organisation"].(map[string]any)["id"], m["granted"])] = true
		}
		for _, want := range []string{
			"oslo-lead@oslo/false", "auditor@oslo/false", "acme-sales@acme/false", "nordic-sales@nordic/false", // sealed
			"hub-coordinator@hub/false", "bergen-admin@bergen/false", "auditor@bergen/false", "bergen-lo@bergen/false", "bergen-eva@bergen/false", // no right to the content
			"oslo-lead-signatory@oslo/true", "oslo-lead@oslo/true", "auditor@oslo/true", // the opening, then reads
		} {
			if !seen[want] {
				t.Errorf("the access log lacks %s: %v", want, seen)
			}
		}
	})

	t.Run("the_access_log_is_in_the_event_log_and_not_in_the_vault", func(t *testing.T) {
		f := f.with(t)
		sealedLog := f.ok(tc.lead, `query($id: ID!) { procurement(id: $id) { sealedAccessLog { user granted at } } }`, tc.vars()).
			get("procurement.sealedAccessLog").([]any)
		full := f.ok(f.token("auditor", "oslo"), `query($id: ID!) { procurement(id: $id) { accessLog { user class resource granted at revision hash prevHash } } }`, tc.vars()).
			get("procurement.accessLog").([]any)
		// Each record is an event of the stream accesslog-<case>: revisions
		// from 0, each linked to the one before by its chain hash.
		prev, sealedRecords := "", 0
		for i, x := range full {
			m := x.(map[string]any)
			if m["revision"] != float64(i) || m["prevHash"] != prev || len(m["hash"].(string)) != 64 {
				t.Fatalf("record %d is not the next link of the chain: %v (previous hash %q)", i, m, prev)
			}
			prev = m["hash"].(string)
			if strings.HasPrefix(m["resource"].(string), "bid/") { // history reads carry their own resource
				sealedRecords++
				if !strings.HasPrefix(m["resource"].(string), "bid/") || !strings.HasSuffix(m["resource"].(string), "/content") {
					t.Errorf("a sealed record reads %v", m["resource"])
				}
			}
		}
		if sealedRecords != len(sealedLog) || len(sealedLog) == 0 {
			t.Errorf("the access log holds %d sealed records, sealedAccessLog %d", sealedRecords, len(sealedLog))
		}
		db, err := sql.Open("sqlite", "file:"+filepath.Join(tc.dir, "vault", "sealed.db")+"?mode=ro&_pragma=busy_timeout(5000)")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var tables int
		if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'access_log'`).Scan(&tables); err != nil {
			t.Fatal(err)
		}
		if tables != 0 {
			t.Error("the vault still has an access_log table: reads must be recorded in the event log")
		}
	})
}
