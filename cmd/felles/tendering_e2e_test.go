package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/graphql"
)

// A joint procurement driven through GraphQL from a fresh case to opened
// sealed bids (issue 5): the market dialogue, the competition design, the
// members' approval of the documents, the contract notice, sealed bids, the
// workflow clock closing receipt at the deadline on a fake clock, and a
// four-eyes opening. The driver is shared with the sealed-bid privacy test.

// fakeClock is the server's clock in these tests: it stands still until the
// test moves it. Tokens are minted and checked on the real clock, so moving
// this one a month ahead leaves them valid.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.Before(c.now) {
		panic(fmt.Sprintf("fakeClock: %s would turn the clock back from %s", t, c.now))
	}
	c.now = t
}

// The case's calendar (UTC; the case's legal time zone is Europe/Oslo, CEST
// in September, so 08:00Z is 10:00 local). An open procedure above the EEA
// threshold with electronic submission: at least 30 days from the notice to
// the tender deadline, and the question cut-off at least 6 days before it.
var (
	tdStart    = time.Date(2031, 9, 1, 8, 0, 0, 0, time.UTC)  // the case is created
	tdEvent    = time.Date(2031, 9, 2, 9, 0, 0, 0, time.UTC)  // the dialogue conference
	tdMinuted  = time.Date(2031, 9, 2, 12, 0, 0, 0, time.UTC) // minutes, closing of the dialogue, the design
	tdNotice   = time.Date(2031, 9, 4, 8, 0, 0, 0, time.UTC)  // the contract notice, as planned and sent
	tdBidding  = time.Date(2031, 9, 10, 9, 0, 0, 0, time.UTC) // the suppliers hand in their bids
	tdQACutoff = time.Date(2031, 9, 25, 10, 0, 0, 0, time.UTC)
	tdDeadline = time.Date(2031, 10, 6, 10, 0, 0, 0, time.UTC)
	tdOpening  = time.Date(2031, 10, 6, 11, 0, 0, 0, time.UTC)
)

const (
	tdDialogueNoticeM = `mutation($id: ID!, $deadline: String!) { publishDialogueNotice(input: {procurementId: $id, channel: DOFFIN,
		externalNoticeId: "2031-100001", text: "Markedsdialog: digitalt tilsyn i hjemmetjenesten", registrationDeadline: $deadline}) {
		procurement { phase dialogue { notice { channel registrationDeadline } } } } }`
	tdRegisterM = `mutation($id: ID!) { registerSupplier(input: {procurementId: $id}) {
		tender { id phase myRegistration { supplier { id } stage } } procurement { id } } }`
	tdScheduleM = `mutation($id: ID!, $at: String!) { scheduleDialogueEvent(input: {procurementId: $id, eventId: "konferanse-1",
		type: CONFERENCE, title: "Dialogkonferanse om digitalt tilsyn", startsAt: $at}) { procurement { dialogue { events { id offeredToCount } } } } }`
	tdAskM = `mutation($id: ID!, $q: ID!, $text: String!) { askQuestion(input: {procurementId: $id, questionId: $q, text: $text}) {
		tender { myQuestions { id text answer { number } } } procurement { id } } }`
	tdAnswerM = `mutation($id: ID!, $q: ID!, $anon: String!, $answer: String!) { answerQuestion(input: {procurementId: $id, questionId: $q,
		anonymisedQuestion: $anon, answer: $answer}) { procurement { dialogue { answers { number anonymisedQuestion answer recipientCount } } } } }`
	tdMinutesM = `mutation($id: ID!, $annex: String) { recordMeetingNotes(input: {procurementId: $id, eventId: "konferanse-1",
		attendees: ["acme", "nordic"], publicSummary: "Kommunene presenterte behovene; leverandørene presenterte løsninger.",
		confidentialAnnexHash: $annex}) { procurement { dialogue { events { id minutes { attendeeCount } } } } } }`
	tdCloseDialogueM = `mutation($id: ID!, $hash: String!) { closeMarketDialogue(input: {procurementId: $id, summaryReportHash: $hash,
		levellingMeasures: ["Alle svar og referater er sendt til alle registrerte leverandører"]}) { procurement { phase } } }`
	tdProcedureM = `mutation($id: ID!) { selectProcedure(input: {procurementId: $id, procedure: OPEN, regime: EU_ABOVE,
		legalBasis: "FOA § 13-1", conditions: [E_SUBMISSION]}) { procurement { design { procedure { procedure regime conditions } } } } }`
	tdLotsM = `mutation($id: ID!) { defineLots(input: {procurementId: $id, lots: [{id: "lot-1", title: "Digitalt tilsyn",
		members: ["oslo", "bergen"], estimatedValue: "12000000"}]}) { procurement { design { lots { id } } } } }`
	tdRequirementsM = `mutation($id: ID!) { defineRequirements(input: {procurementId: $id, requirements: [
		{id: "krav-1", kind: FUNCTIONAL, text: "Løsningen varsler ved fall uten at brukeren gjør noe"},
		{id: "krav-2", kind: MINIMUM, text: "Data lagres i EØS"}]}) { procurement { design { requirements { id } } } } }`
	tdQualificationM = `mutation($id: ID!) { defineQualificationCriteria(input: {procurementId: $id,
		exclusionGrounds: ["Straffbare forhold (FOA § 24-2)"],
		selectionCriteria: [{id: "erfaring", text: "Erfaring fra tilsvarende leveranser", evidence: "Tre referanser"}]}) {
		procurement { design { qualification { version } } } } }`
	tdAwardM = `mutation($id: ID!, $price: String!, $quality: String!) { defineAwardCriteria(input: {procurementId: $id, criteria: [
		{id: "pris", name: "Pris", type: PRICE, weight: $price, scaleMin: 0, scaleMax: 10, scoringMethod: "lineær",
			priceFormula: "laveste pris / tilbudt pris × 10"},
		{id: "kvalitet", name: "Kvalitet", type: QUALITY, weight: $quality, scaleMin: 0, scaleMax: 10, scoringMethod: "panel"}]}) {
		procurement { design { awardCriteria { criteria { id weight weightBasisPoints } } } } } }`
	tdEvaluatorM = `mutation($id: ID!) { appointEvaluator(input: {procurementId: $id, person: "bergen-eva", organisationId: "bergen"}) {
		procurement { design { evaluators { person organisation { id } } } } } }`
	tdTimetableM = `mutation($id: ID!, $notice: String!, $qa: String!, $deadline: String!, $opening: String!) {
		setTimetable(input: {procurementId: $id, noticeAt: $notice, qaCutoff: $qa, tenderDeadline: $deadline, openingAt: $opening,
		fourEyesOpening: true}) { procurement { timetable { tenderDeadline fourEyesOpening minima { rule days endDate } } } } }`
	tdSubmitDocsM  = `mutation($id: ID!, $hash: String!) { submitTenderDocuments(input: {procurementId: $id, documentHash: $hash}) { procurement { phase } } }`
	tdApproveDocsM = `mutation($id: ID!, $hash: String!) { approveTenderDocuments(input: {procurementId: $id, version: 1, documentHash: $hash}) {
		procurement { tenderDocuments { version outcome votes { organisation { id } approve } } } } }`
	tdNoticeM = `mutation($id: ID!, $hash: String!) { publishContractNotice(input: {procurementId: $id, channel: DOFFIN,
		externalNoticeId: "2031-200001", documentHash: $hash}) { procurement { phase contractNotice { deadline buyers { id } round } } } }`
	tdSubmitBidM = `mutation($id: ID!, $content: String!) { submitBid(input: {procurementId: $id, lots: ["lot-1"], content: $content}) {
		bidId receivedAt sha256 bid { id supplier { id } sizeBytes version } } }`
	tdReplaceBidM = `mutation($id: ID!, $bid: ID!, $content: String!) { replaceBid(input: {procurementId: $id, bidId: $bid, content: $content}) { bidId } }`
	tdOpenM       = `mutation($id: ID!) { openBids(input: {procurementId: $id}) { procurement { phase pendingOpenings { round startedBy }
		openingProtocol { openedBy hashesVerified } } } }`
	tdPhaseQ = `query($id: ID!) { procurement(id: $id) { phase } }`
)

// sealedBid is one supplier's submission as the driver handed it in.
type sealedBid struct {
	supplier, id, sha string
	content           []byte
	canary            string // lower case, unique to this bid
}

// tenderCase is one fresh case (oslo and bergen, oslo leading) and the tokens
// of the people who drive it.
type tenderCase struct {
	f     *felles
	dir   string
	clock *fakeClock
	id    string

	hub, lead, leadSig                    string
	admin, needs, budget, signatory, sale map[string]string
	docsHash                              string
	bids                                  map[string]sealedBid // by supplier
}

var (
	tdMembers   = []string{"oslo", "bergen"}
	tdSuppliers = []string{"acme", "nordic"}
)

// startTendering starts the real server on a fake clock (the workflow clock
// ticking every interval and after every event) with the demo data, and mints
// the tokens of everyone in the case.
func startTendering(t *testing.T, interval time.Duration) *tenderCase {
	t.Helper()
	clock := &fakeClock{now: tdStart}
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := start(context.Background(), serveConfig{dataDir: dir, addr: "127.0.0.1:0", demo: true, introspection: true,
		clockInterval: interval, now: clock.Now}, log)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { srv.stop() })
	tokens, err := graphql.LoadTokens(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := &felles{t: t, srv: srv, tokens: tokens}
	tc := &tenderCase{f: f, dir: dir, clock: clock,
		hub: f.token("hub-coordinator", "hub"), lead: f.token("oslo-lead", "oslo"), leadSig: f.token("oslo-lead-signatory", "oslo"),
		admin: map[string]string{}, needs: map[string]string{}, budget: map[string]string{}, signatory: map[string]string{},
		sale: map[string]string{}, docsHash: tdHash("anbudsdokumenter v1"), bids: map[string]sealedBid{}}
	for _, org := range tdMembers {
		tc.admin[org] = f.token(org+"-admin", org)
		tc.needs[org] = f.token(org+"-needs", org)
		tc.budget[org] = f.token(org+"-budget", org)
		tc.signatory[org] = f.token(org+"-signatory", org)
	}
	for _, s := range tdSuppliers {
		tc.sale[s] = f.token(s+"-sales", s)
	}
	return tc
}

// with is tc reporting to t (a subtest).
func (tc *tenderCase) with(t *testing.T) *tenderCase {
	c := *tc
	c.f = tc.f.with(t)
	return &c
}

func (tc *tenderCase) vars(kv ...any) map[string]any {
	v := map[string]any{"id": tc.id}
	for i := 0; i+1 < len(kv); i += 2 {
		v[kv[i].(string)] = kv[i+1]
	}
	return v
}

func (tc *tenderCase) phase() string {
	tc.f.t.Helper()
	p, _ := tc.f.ok(tc.hub, tdPhaseQ, tc.vars()).get("procurement.phase").(string)
	return p
}

func (tc *tenderCase) wantPhase(want string) {
	tc.f.t.Helper()
	if got := tc.phase(); got != want {
		tc.f.t.Fatalf("the case is in %s, want %s", got, want)
	}
}

// waitForPhase polls until the case reaches want, for at most 10 s: the
// workflow clock acts on its own.
func (tc *tenderCase) waitForPhase(want string) {
	tc.f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := tc.phase()
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			tc.f.t.Fatalf("the case stayed in %s, want %s", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func rfc3339(t time.Time) string { return t.Format(time.RFC3339) }

// tdHash is the SHA-256 of a stand-in document.
func tdHash(label string) string {
	sum := sha256.Sum256([]byte(label))
	return hex.EncodeToString(sum[:])
}

// throughDialogue creates the case and takes it through recruitment, the
// agreement, the lead, the mandates, the cost key, the needs, the volumes and
// the market dialogue, into DESIGN.
func (tc *tenderCase) throughDialogue() {
	f := tc.f
	f.t.Helper()
	tc.id = f.ok(tc.hub, createCase, map[string]any{"title": "Digitalt tilsyn, felles anskaffelse", "j": "NO", "cpv": []string{"48000000-8"}}).
		get("createProcurement.procurement.id").(string)
	for _, org := range tdMembers {
		f.ok(tc.hub, invite, tc.vars("org", org))
	}
	f.ok(tc.hub, openRec, tc.vars())
	for _, org := range tdMembers {
		f.ok(tc.admin[org], accept, tc.vars())
	}
	f.ok(tc.hub, closeRecM, tc.vars())

	// The agreement (unanimous approval), the lead, the mandate, the key.
	agreement := hashOf("tendering v1")
	f.ok(tc.hub, draftAgreementM, tc.vars("hash", agreement, "approval", "UNANIMOUS"))
	for _, org := range tdMembers {
		f.ok(tc.signatory[org], signM, tc.vars("v", 1, "hash", agreement, "ref", "bankid:"+org))
		f.ok(tc.signatory[org], consentM, tc.vars("lead", "oslo"))
	}
	f.ok(tc.hub, designateM, tc.vars("lead", "oslo"))
	f.ok(tc.signatory["bergen"], grantToM, tc.vars("m", "bergen-til-oslo", "to", "oslo", "scope", []string{"prepare", "publish", "answerQuestions"}))
	if r := f.ok(tc.hub, costKeyM, tc.vars("method", "EQUAL")); r.get("setCostSharingKey.procurement.phase") != "NEEDS" {
		f.t.Fatalf("the key concludes the agreement: %+v", r.Data)
	}

	// Needs, their consolidation and approval, the volumes.
	var sources []map[string]any
	for _, org := range tdMembers {
		f.ok(tc.needs[org], submitNeedsM, tc.vars("needs", []map[string]any{{"id": org + "-1", "statement": "Varsling ved fall",
			"userGroup": "hjemmeboende", "successCriteria": "færre fallskader"}}))
		sources = append(sources, map[string]any{"organisationId": org, "needId": org + "-1"})
	}
	f.ok(tc.lead, consolidateM, tc.vars("common", []map[string]any{{"id": "felles-1", "statement": "Varsling ved fall", "sources": sources}}))
	for _, org := range tdMembers {
		f.ok(tc.needs[org], approveM, tc.vars("v", 1))
		f.ok(tc.budget[org], commitM, tc.vars("lot", "lot-1", "type", "BINDING", "q", "100", "value", "6000000", "cur", "NOK"))
	}

	// The market dialogue: notice, registrations, a conference with minutes,
	// a question answered to all, the closing.
	if r := f.ok(tc.lead, tdDialogueNoticeM, tc.vars("deadline", rfc3339(tdStart.AddDate(0, 0, 20)))); r.get("publishDialogueNotice.procurement.phase") != "MARKET_DIALOGUE" {
		f.t.Fatalf("dialogue notice: %+v", r.Data)
	}
	for _, s := range tdSuppliers {
		r := f.ok(tc.sale[s], tdRegisterM, tc.vars())
		if r.get("registerSupplier.tender.myRegistration.stage") != "DIALOGUE" || r.get("registerSupplier.procurement") != nil {
			f.t.Fatalf("%s registers for the dialogue and sees only the public tender: %+v", s, r.Data)
		}
	}
	f.ok(tc.lead, tdScheduleM, tc.vars("at", rfc3339(tdEvent)))
	f.ok(tc.sale["acme"], tdAskM, tc.vars("q", "acme-q1", "text", "Kan acme sin fallsensor kobles til kommunenes eksisterende alarmsentraler?"))
	a := f.ok(tc.lead, tdAnswerM, tc.vars("q", "acme-q1", "anon", "Kan en fallsensor kobles til kommunenes eksisterende alarmsentraler?",
		"answer", "Ja, via standardgrensesnittet beskrevet i vedlegg 3."))
	if fmt.Sprint(a.get("answerQuestion.procurement.dialogue.answers")) !=
		"[map[anonymisedQuestion:Kan en fallsensor kobles til kommunenes eksisterende alarmsentraler? answer:Ja, via standardgrensesnittet beskrevet i vedlegg 3. number:1 recipientCount:2]]" {
		f.t.Fatalf("the answer goes to both registered suppliers, anonymised: %+v", a.Data)
	}
	tc.clock.Set(tdMinuted)
	f.ok(tc.lead, tdMinutesM, tc.vars("annex", tdHash("konfidensielt vedlegg")))
	if r := f.ok(tc.lead, tdCloseDialogueM, tc.vars("hash", tdHash("oppsummering"))); r.get("closeMarketDialogue.procurement.phase") != "DESIGN" {
		f.t.Fatalf("closing the dialogue: %+v", r.Data)
	}
}

// selectProcedure chooses an open procedure above the EEA threshold with
// electronic submission.
func (tc *tenderCase) selectProcedure() {
	tc.f.t.Helper()
	tc.f.ok(tc.lead, tdProcedureM, tc.vars())
}

// timetableVars are the setTimetable variables of the case's calendar.
func (tc *tenderCase) timetableVars(deadline time.Time) map[string]any {
	return tc.vars("notice", rfc3339(tdNotice), "qa", rfc3339(tdQACutoff), "deadline", rfc3339(deadline), "opening", rfc3339(tdOpening))
}

// completeDesign defines the lots, requirements, qualification, award
// criteria 40/60, an evaluator and a four-eyes timetable, and puts the
// documents to the members, who both approve them.
func (tc *tenderCase) completeDesign() {
	f := tc.f
	f.t.Helper()
	f.ok(tc.lead, tdLotsM, tc.vars())
	f.ok(tc.lead, tdRequirementsM, tc.vars())
	f.ok(tc.lead, tdQualificationM, tc.vars())
	w := f.ok(tc.lead, tdAwardM, tc.vars("price", "40", "quality", "60"))
	if fmt.Sprint(w.get("defineAwardCriteria.procurement.design.awardCriteria")) !=
		"[map[criteria:[map[id:pris weight:40 weightBasisPoints:4000] map[id:kvalitet weight:60 weightBasisPoints:6000]]]]" {
		f.t.Fatalf("award criteria: %+v", w.Data)
	}
	f.ok(tc.lead, tdEvaluatorM, tc.vars())
	tt := f.ok(tc.lead, tdTimetableM, tc.timetableVars(tdDeadline))
	if tt.get("setTimetable.procurement.timetable.fourEyesOpening") != true {
		f.t.Fatalf("timetable: %+v", tt.Data)
	}
	if r := f.ok(tc.lead, tdSubmitDocsM, tc.vars("hash", tc.docsHash)); r.get("submitTenderDocuments.procurement.phase") != "APPROVAL" {
		f.t.Fatalf("the complete design goes for approval: %+v", r.Data)
	}
	var last gqlResult
	for _, org := range tdMembers {
		last = f.ok(tc.admin[org], tdApproveDocsM, tc.vars("hash", tc.docsHash))
	}
	if fmt.Sprint(last.get("approveTenderDocuments.procurement.tenderDocuments")) !=
		"[map[outcome:APPROVED version:1 votes:[map[approve:true organisation:map[id:oslo]] map[approve:true organisation:map[id:bergen]]]]]" {
		f.t.Fatalf("both members approve version 1: %+v", last.Data)
	}
}

// publish sends the contract notice at the planned moment.
func (tc *tenderCase) publish() {
	f := tc.f
	f.t.Helper()
	tc.clock.Set(tdNotice)
	r := f.ok(tc.lead, tdNoticeM, tc.vars("hash", tc.docsHash))
	if r.get("publishContractNotice.procurement.phase") != "TENDERING" ||
		r.get("publishContractNotice.procurement.contractNotice.deadline") != rfc3339(tdDeadline) {
		f.t.Fatalf("the notice opens the tendering with the planned deadline: %+v", r.Data)
	}
}

// driveToNotice takes a fresh case from creation to TENDERING.
func (tc *tenderCase) driveToNotice() {
	tc.f.t.Helper()
	tc.throughDialogue()
	tc.selectProcedure()
	tc.completeDesign()
	tc.publish()
}

// bidContent is a stand-in tender document carrying a canary unique to the
// bid, so any copy of it, raw, base64 or hex, can be found.
func bidContent(supplier string) ([]byte, string) {
	rnd := make([]byte, 8)
	if _, err := rand.Read(rnd); err != nil {
		panic(err)
	}
	canary := "sealed-canary-" + supplier + "-" + hex.EncodeToString(rnd)
	return []byte("TILBUD fra " + supplier + "\nPris: 4 250 000 NOK\nLøsning: " + canary + "\nGyldig i 6 måneder.\n"), canary
}

// submitBids has the suppliers (acme and nordic when none are named) hand in
// their sealed bids. payload selects what the submitBid answer carries
// (tdSubmitBidM's when empty); the content must never be part of it.
func (tc *tenderCase) submitBids(payload string, suppliers ...string) {
	f := tc.f
	f.t.Helper()
	tc.clock.Set(tdBidding)
	query := tdSubmitBidM
	if payload != "" {
		query = `mutation($id: ID!, $content: String!) { submitBid(input: {procurementId: $id, lots: ["lot-1"], content: $content}) { ` + payload + ` } }`
	}
	if len(suppliers) == 0 {
		suppliers = tdSuppliers
	}
	for _, s := range suppliers {
		content, canary := bidContent(s)
		raw, r := f.postRaw(tc.sale[s], query, tc.vars("content", base64.StdEncoding.EncodeToString(content)))
		for _, e := range pathErrorsOf(f.t, raw) {
			// The receipt may select Bid.content: sealed, for the bidder too.
			if e.field() != "content" || e.code() != "FORBIDDEN" || e.reason() != "bid.sealed" {
				f.t.Fatalf("%s submits: %s", s, raw)
			}
		}
		if leak := canaryIn(raw, canary); leak != "" {
			f.t.Fatalf("the receipt of %s carries its content (%s): %s", s, leak, raw)
		}
		// The needles find the content in every form it could leak in.
		for _, c := range []struct{ form, enc string }{{"raw", string(content)}, {"hex", strings.ToUpper(hex.EncodeToString(content))},
			{"base64", base64.StdEncoding.EncodeToString(content)}, {"base64", base64.RawURLEncoding.EncodeToString(content[1:])},
			{"base64", base64.StdEncoding.EncodeToString(content[2:])}} {
			if got := canaryIn(c.enc, canary); got != c.form {
				f.t.Fatalf("the canary search finds %q in the %s content, want it found", got, c.form)
			}
		}
		sum := sha256.Sum256(content)
		b := sealedBid{supplier: s, content: content, canary: canary, sha: hex.EncodeToString(sum[:])}
		b.id, _ = r.get("submitBid.bidId").(string)
		if b.id == "" || r.get("submitBid.sha256") != b.sha || r.get("submitBid.receivedAt") != rfc3339(tdBidding) {
			f.t.Fatalf("%s's receipt names the bid, its SHA-256 and the server's time of receipt: %s", s, raw)
		}
		tc.bids[s] = b
	}
}

// gqlPathError is an error of a response with the path of its field.
type gqlPathError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

func (e gqlPathError) field() string {
	if len(e.Path) == 0 {
		return ""
	}
	s, _ := e.Path[len(e.Path)-1].(string)
	return s
}

func (e gqlPathError) code() string   { s, _ := e.Extensions["code"].(string); return s }
func (e gqlPathError) reason() string { s, _ := e.Extensions["reason"].(string); return s }

func pathErrorsOf(t *testing.T, raw string) []gqlPathError {
	t.Helper()
	var body struct {
		Errors []gqlPathError `json:"errors"`
	}
	if err := json.Unmarshal([]byte(raw), &body); err != nil {
		t.Fatalf("response is not JSON: %s", raw)
	}
	return body.Errors
}

// canaryNeedles are the forms a canary could leak in: itself and its hex
// (compared in lower case), and its base64 in the standard and URL alphabets
// at each of the three byte alignments it can have inside longer content
// (the groups mixed with neighbouring bytes left out).
func canaryNeedles(canary string) (folded, exact []string) {
	folded = []string{strings.ToLower(canary), hex.EncodeToString([]byte(canary))}
	for shift := 0; shift < 3; shift++ {
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, shift), canary...))
		from := 0
		if shift > 0 {
			from = 4
		}
		mid := enc[from : len(enc)-4]
		exact = append(exact, mid, strings.NewReplacer("+", "-", "/", "_").Replace(mid))
	}
	return folded, exact
}

// canaryIn names the form in which canary occurs in s, or "".
func canaryIn(s, canary string) string {
	folded, exact := canaryNeedles(canary)
	low := strings.ToLower(s)
	for i, n := range folded {
		if strings.Contains(low, n) {
			return []string{"raw", "hex"}[i]
		}
	}
	for _, n := range exact {
		if strings.Contains(s, n) {
			return "base64"
		}
	}
	return ""
}

// events is the case's stream, oldest first.
func (tc *tenderCase) events() []eventstore.Record {
	tc.f.t.Helper()
	recs, err := tc.f.srv.sys.store.ReadStream(context.Background(), procurement.StreamID(tc.id), 0, 0)
	if err != nil {
		tc.f.t.Fatal(err)
	}
	return recs
}

func TestTenderingFromDialogueToOpenedBids(t *testing.T) {
	tc := startTendering(t, 50*time.Millisecond)
	f := tc.f
	tc.driveToNotice()
	tc.submitBids("")

	// The deadline and the opening time pass; nobody acts, the workflow clock
	// closes receipt by itself.
	tc.clock.Set(tdOpening.Add(30 * time.Minute))
	tc.waitForPhase("RECEIPT_CLOSED")
	recs := tc.events()
	closed := recs[len(recs)-1]
	if closed.Type != "TenderingClosed" || closed.Metadata.User != app.System.User {
		t.Fatalf("receipt must be closed by the workflow clock, got %s by %s", closed.Type, closed.Metadata.User)
	}
	rc := f.ok(tc.lead, `query($id: ID!) { procurement(id: $id) { receiptClosings { round deadline closedAt submissionCount perLot { lot count } } } }`, tc.vars())
	if fmt.Sprint(rc.get("procurement.receiptClosings")) != fmt.Sprintf("[map[closedAt:%s deadline:%s perLot:[map[count:2 lot:lot-1]] round:TENDERS submissionCount:2]]",
		rfc3339(tdOpening.Add(30*time.Minute)), rfc3339(tdDeadline)) {
		t.Fatalf("the closing records the deadline, the clock's time and both bids: %+v", rc.Data)
	}

	// Four eyes: oslo-lead starts, cannot complete alone; the signatory completes.
	start := f.ok(tc.lead, tdOpenM, tc.vars())
	if start.get("openBids.procurement.phase") != "RECEIPT_CLOSED" ||
		fmt.Sprint(start.get("openBids.procurement.pendingOpenings")) != "[map[round:TENDERS startedBy:oslo-lead]]" ||
		start.get("openBids.procurement.openingProtocol") != nil {
		t.Fatalf("the first person only starts the opening: %+v", start.Data)
	}
	r := f.rejected("RULE_VIOLATION", "procurement.second_opener_required", tc.lead, tdOpenM, tc.vars())
	if !strings.Contains(r.Errors[0].Message, "oslo-lead started the opening") {
		t.Fatalf("the refusal names who started: %q", r.Errors[0].Message)
	}
	done := f.ok(tc.leadSig, tdOpenM, tc.vars())
	if done.get("openBids.procurement.phase") != "EVALUATION" || fmt.Sprint(done.get("openBids.procurement.pendingOpenings")) != "[]" {
		t.Fatalf("the second person completes the opening: %+v", done.Data)
	}

	// The protocol: both openers, every hash verified against the receipts.
	p := f.ok(tc.lead, `query($id: ID!) { procurement(id: $id) { phase openingProtocol { round openedAt openedBy hashesVerified protocolHash
		bids { bidId supplier { id } lots sha256 hashVerified receivedAt } } } }`, tc.vars())
	if p.get("procurement.phase") != "EVALUATION" || p.get("procurement.openingProtocol.round") != "TENDERS" ||
		fmt.Sprint(p.get("procurement.openingProtocol.openedBy")) != "[oslo-lead oslo-lead-signatory]" ||
		p.get("procurement.openingProtocol.hashesVerified") != true || len(fmt.Sprint(p.get("procurement.openingProtocol.protocolHash"))) != 64 {
		t.Fatalf("opening protocol: %+v", p.Data)
	}
	opened, _ := p.get("procurement.openingProtocol.bids").([]any)
	if len(opened) != len(tdSuppliers) {
		t.Fatalf("the protocol lists both bids: %+v", p.Data)
	}
	for _, ob := range opened {
		m := ob.(map[string]any)
		b := tc.bids[m["supplier"].(map[string]any)["id"].(string)]
		if m["bidId"] != b.id || m["sha256"] != b.sha || m["hashVerified"] != true || m["receivedAt"] != rfc3339(tdBidding) ||
			fmt.Sprint(m["lots"]) != "[lot-1]" {
			t.Fatalf("protocol entry %+v does not match the receipt of %s (%s, %s)", m, b.supplier, b.id, b.sha)
		}
	}

	// The lead reads each bid exactly as it was handed in.
	c := f.ok(tc.lead, `query($id: ID!) { procurement(id: $id) { bids { id supplier { id } opened sha256 content(purpose: "evaluation") } } }`, tc.vars())
	read, _ := c.get("procurement.bids").([]any)
	if len(read) != len(tdSuppliers) {
		t.Fatalf("the lead sees both bids: %+v", c.Data)
	}
	for _, x := range read {
		m := x.(map[string]any)
		b := tc.bids[m["supplier"].(map[string]any)["id"].(string)]
		got, err := base64.StdEncoding.DecodeString(fmt.Sprint(m["content"]))
		if err != nil || string(got) != string(b.content) || m["id"] != b.id || m["opened"] != true {
			t.Fatalf("the lead must read %s's bid exactly: got %q (%v), want %q", b.supplier, got, err, b.content)
		}
	}
	log := f.ok(tc.lead, `query($id: ID!) { procurement(id: $id) { sealedAccessLog { user purpose granted } } }`, tc.vars())
	var reads []string
	for _, x := range log.get("procurement.sealedAccessLog").([]any) {
		m := x.(map[string]any)
		reads = append(reads, fmt.Sprintf("%s/%s/%v", m["user"], m["purpose"], m["granted"]))
	}
	if !slices.Contains(reads, "oslo-lead-signatory/hash verification at the opening/true") || !slices.Contains(reads, "oslo-lead/evaluation/true") {
		t.Fatalf("the verification at the opening and the lead's reads are logged: %v", reads)
	}
	tc.wantPhase("EVALUATION")
}

func TestTenderingRefusesBadInputAndAppendsNothing(t *testing.T) {
	// The clock ticks only after an event (the interval is an hour), so the
	// test decides when receipt closes.
	tc := startTendering(t, time.Hour)
	f := tc.f
	tc.throughDialogue()
	tc.selectProcedure()

	t.Run("award_weights_must_add_up_to_exactly_one_hundred", func(t *testing.T) {
		f, tc := f.with(t), tc.with(t)
		for _, w := range [][2]string{{"40", "59.99"}, {"40", "70"}, {"50.5", "49.49"}} {
			f.rejected("BAD_USER_INPUT", "procurement.weights_not_hundred", tc.lead, tdAwardM, tc.vars("price", w[0], "quality", w[1]))
		}
	})

	t.Run("a_tender_deadline_shorter_than_the_legal_minimum_names_the_rule_and_the_earliest_end", func(t *testing.T) {
		f, tc := f.with(t), tc.with(t)
		// Sent on 4 September (Oslo): 30 days with e-submission end with
		// 4 October, so the earliest deadline is 5 October 00:00 Oslo time.
		r := f.rejected("RULE_VIOLATION", "timelimits.too_short", tc.lead, tdTimetableM, tc.timetableVars(time.Date(2031, 10, 4, 21, 59, 0, 0, time.UTC)))
		msg := r.Errors[0].Message
		for _, want := range []string{"EEA open procedure, receipt of tenders: at least 30 days with electronic submission [EU-27]",
			"earliest allowed end is 2031-10-05 00:00 Europe/Oslo"} {
			if !strings.Contains(msg, want) {
				t.Errorf("the message must say %q: %q", want, msg)
			}
		}
		// A minute later is the first allowed deadline: the message was exact.
		f.ok(tc.lead, tdTimetableM, tc.timetableVars(time.Date(2031, 10, 4, 22, 0, 0, 0, time.UTC)))
	})

	tc.completeDesign()
	tc.publish()

	t.Run("submission_content_must_be_base64_of_at_most_5_MiB", func(t *testing.T) {
		f, tc := f.with(t), tc.with(t)
		f.rejected("BAD_USER_INPUT", "bid.content_not_base64", tc.sale["acme"], tdSubmitBidM, tc.vars("content", "dette er ikke base64!"))
		f.rejected("BAD_USER_INPUT", "bid.content_not_base64", tc.sale["acme"], tdSubmitBidM, tc.vars("content", "SGVp-_8="))
		f.rejected("BAD_USER_INPUT", "bid.content_required", tc.sale["acme"], tdSubmitBidM, tc.vars("content", "   "))
		big := base64.StdEncoding.EncodeToString(make([]byte, app.MaxSubmissionBytes+1))
		f.rejected("BAD_USER_INPUT", "bid.content_too_large", tc.sale["acme"], tdSubmitBidM, tc.vars("content", big))
	})

	tc.submitBids("", "acme") // nordic will be too late

	t.Run("no_opening_before_the_deadline", func(t *testing.T) {
		f, tc := f.with(t), tc.with(t)
		f.rejected("RULE_VIOLATION", "procurement.opening_before_deadline", tc.lead, tdOpenM, tc.vars())
		f.rejected("RULE_VIOLATION", "procurement.opening_before_deadline", tc.leadSig, tdOpenM, tc.vars())
	})

	t.Run("a_bid_after_the_deadline_is_late_before_and_after_receipt_closes", func(t *testing.T) {
		f, tc := f.with(t), tc.with(t)
		// Let the clock handle the last bid at the old time first.
		time.Sleep(200 * time.Millisecond)
		tc.clock.Set(tdDeadline.Add(time.Minute))
		before, err := f.srv.sys.store.Head(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		content, _ := bidContent("nordic")
		bid := base64.StdEncoding.EncodeToString(content)
		late := f.gql(tc.sale["nordic"], tdSubmitBidM, tc.vars("content", bid))
		if late.code() != "RULE_VIOLATION" || late.reason() != "procurement.late_submission" || !strings.Contains(late.Errors[0].Message, rfc3339(tdDeadline)) {
			t.Fatalf("a bid a minute after the deadline is late, and the refusal names the deadline: %+v", late.Errors)
		}
		// Nothing of the refused replacement is in the log; the only event
		// allowed meanwhile is the clock's closing.
		after, err := f.srv.sys.store.ReadAll(context.Background(), before, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range after {
			if rec.Type != "TenderingClosed" || rec.Metadata.User != app.System.User {
				t.Fatalf("a refused late submission appended %s by %s", rec.Type, rec.Metadata.User)
			}
		}
		if len(after) == 0 {
			tc.wantPhase("TENDERING") // late although receipt is still open
			t.Log("refused as late while receipt was still open")
		} else {
			t.Log("the clock closed receipt first; refused as late after the close")
		}
		// Any event wakes the clock: it closes receipt.
		f.ok(tc.hub, createCase, map[string]any{"title": "En annen sak", "j": "NO"})
		tc.waitForPhase("RECEIPT_CLOSED")
		f.rejected("RULE_VIOLATION", "procurement.late_submission", tc.sale["nordic"], tdSubmitBidM, tc.vars("content", bid))
		f.rejected("RULE_VIOLATION", "procurement.late_submission", tc.sale["acme"], tdReplaceBidM, tc.vars("bid", tc.bids["acme"].id, "content", bid))
		f.rejected("RULE_VIOLATION", "procurement.late_submission", tc.sale["acme"], `mutation($id: ID!, $bid: ID!) {
			withdrawBid(input: {procurementId: $id, bidId: $bid}) { bidId } }`, tc.vars("bid", tc.bids["acme"].id))
	})

	t.Run("no_opening_before_the_opening_time", func(t *testing.T) {
		f, tc := f.with(t), tc.with(t)
		f.rejected("RULE_VIOLATION", "procurement.opening_before_time", tc.lead, tdOpenM, tc.vars())
	})

	t.Run("four_eyes_needs_a_second_person", func(t *testing.T) {
		f, tc := f.with(t), tc.with(t)
		tc.clock.Set(tdOpening.Add(time.Minute))
		f.rejected("FORBIDDEN", "", f.token("auditor", "oslo"), tdOpenM, tc.vars())
		f.rejected("FORBIDDEN", "", tc.signatory["bergen"], tdOpenM, tc.vars())
		// A lead officer of a member that is not the lead.
		f.ok(tc.admin["bergen"], `mutation { grantRole(input: {organisationId: "bergen", user: "bergen-lo", role: "lead-officer"}) { revision } }`, nil)
		f.rejected("RULE_VIOLATION", "procurement.lead_only", f.token("bergen-lo", "bergen"), tdOpenM, tc.vars())
		f.ok(tc.lead, tdOpenM, tc.vars())
		f.rejected("RULE_VIOLATION", "procurement.second_opener_required", tc.lead, tdOpenM, tc.vars())
		tc.wantPhase("RECEIPT_CLOSED")
	})
}

func TestTheTenderingTasksAreListed(t *testing.T) {
	tc := startTendering(t, 50*time.Millisecond)
	tc.driveToNotice()
	tc.submitBids("")
	tc.clock.Set(tdOpening.Add(time.Minute))
	tc.waitForPhase("RECEIPT_CLOSED")
	r := tc.f.ok(tc.lead, `query($id: ID!) { procurement(id: $id) { id tasks { kind } } myTasks { kind procurement { id } } }`, tc.vars())
	if r.get("procurement.id") != tc.id || !hasTask(r, "OPEN_BIDS", 0) {
		t.Fatalf("the lead's task is to open the bids: %+v", r.Data)
	}
	found := false
	for _, x := range r.get("myTasks").([]any) {
		m := x.(map[string]any)
		found = found || (m["kind"] == "OPEN_BIDS" && m["procurement"].(map[string]any)["id"] == tc.id)
	}
	if !found {
		t.Fatalf("myTasks lists the opening: %+v", r.Data)
	}
}
