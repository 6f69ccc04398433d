package main

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/app"
)

// The driver of an innovation partnership of five municipalities through
// GraphQL (issue 6), shared by the tests in partnership_e2e_test.go. It builds
// on the tendering driver (startTendering's server on a fake clock, its tokens,
// phase polling and sealed submissions) and on the cooperation test's
// mutations; what is new here is the two-stage procedure: requests to
// participate, qualification, negotiation, final tenders, evaluation, award,
// standstill, contracting and the partnership's follow-up.
//
// The calendar continues the tendering test's (tdStart … tdNotice, requests at
// tdBidding): the notice is sent on 4 September 2031, so the 30 days for
// requests to participate in an innovation partnership above the EEA threshold
// [EU-31] end with 4 October and the earliest request deadline is 5 October
// 00:00 Oslo time. The legal time zone is Europe/Oslo (CEST until 26 October
// 2031, CET after it).
var (
	ipRequestDeadline = time.Date(2031, 10, 6, 10, 0, 0, 0, time.UTC)
	ipTenderDeadline  = time.Date(2031, 11, 3, 10, 0, 0, 0, time.UTC) // the tender deadline as published
	ipOpening         = time.Date(2031, 11, 3, 11, 0, 0, 0, time.UTC)
	ipQualifying      = time.Date(2031, 10, 7, 9, 0, 0, 0, time.UTC) // requests opened and assessed, candidates invited
	ipNegotiation     = time.Date(2031, 10, 14, 9, 0, 0, 0, time.UTC)
	ipFinalTenders    = time.Date(2031, 10, 27, 9, 0, 0, 0, time.UTC) // the participants hand in their final tenders
	ipFinalDeadline   = time.Date(2031, 11, 10, 10, 0, 0, 0, time.UTC)
	ipEvaluation      = time.Date(2031, 11, 11, 9, 0, 0, 0, time.UTC)
	ipDecision        = time.Date(2031, 11, 17, 8, 0, 0, 0, time.UTC) // a Monday
	ipNotified        = time.Date(2031, 11, 17, 9, 0, 0, 0, time.UTC)
	ipInStandstill    = time.Date(2031, 11, 24, 9, 0, 0, 0, time.UTC)
	ipContracting     = time.Date(2031, 11, 28, 8, 0, 0, 0, time.UTC) // the day after the standstill's last day
	ipGate1           = time.Date(2032, 3, 31, 8, 0, 0, 0, time.UTC)  // the last day of phase 1, Oslo
	ipGate2           = time.Date(2032, 9, 30, 8, 0, 0, 0, time.UTC)  // the last day of phase 2, Oslo
	ipFollowUp        = time.Date(2032, 10, 4, 8, 0, 0, 0, time.UTC)
)

const (
	ipPhase1Due = "2032-03-31"
	ipPhase2Due = "2032-09-30"
	ipEvaluator = "bergen-eva" // appointed by tdEvaluatorM, for bergen
)

// The targets of the two phases, as defined and as assessed at the gates.
var ipTargets = map[string][]string{
	"fase-1": {"Prototype testet hos 20 brukere", "Falsk alarm under 5 %"},
	"fase-2": {"Pilot i alle fem kommuner", "Varsling innen 30 sekunder"},
}

// ipScores are the evaluator's scores and the panel's consensus: acme is the
// better tender (30 % price, 70 % quality: 87 points against 69).
var ipScores = map[string]map[string]int{"acme": {"pris": 8, "kvalitet": 9}, "nordic": {"pris": 9, "kvalitet": 6}}

const (
	ipGrantRoleM = `mutation($org: ID!, $user: String!, $role: String!) {
		grantRole(input: {organisationId: $org, user: $user, role: $role}) { revision } }`
	ipRevokeMandateM = `mutation($id: ID!, $m: ID!) { revokeMandate(input: {procurementId: $id, mandateId: $m,
		reason: "Kommunestyret trakk tilbake fullmakten"}) { procurement { mandates { id revokedAt } } } }`
	ipProcedureM = `mutation($id: ID!) { selectProcedure(input: {procurementId: $id, procedure: INNOVATION_PARTNERSHIP, regime: EU_ABOVE,
		legalBasis: "FOA § 13-3, direktiv 2014/24/EU art. 31",
		justification: "Ingen løsning på markedet varsler fall uten brukerens medvirkning; løsningen må utvikles i faser",
		minCandidates: 3}) { procurement { design { procedure { procedure regime twoStage minCandidates justification } } } } }`
	ipLotsM = `mutation($id: ID!, $members: [ID!]!) { defineLots(input: {procurementId: $id, lots: [{id: "lot-1",
		title: "Digitalt tilsyn: utvikling og kjøp", members: $members, estimatedValue: "30000000"}]}) {
		procurement { design { lots { id members { id } } } } } }`
	ipAwardCriteriaM = `mutation($id: ID!) { defineAwardCriteria(input: {procurementId: $id, tieRule: BEST_PRICE, criteria: [
		{id: "pris", name: "Pris", type: PRICE, weight: "30", scaleMin: 0, scaleMax: 10, scoringMethod: "lineær",
			priceFormula: "laveste pris / tilbudt pris × 10"},
		{id: "kvalitet", name: "Kvalitet og innovasjonsgrad", type: QUALITY, weight: "70", scaleMin: 0, scaleMax: 10, scoringMethod: "panel"}]}) {
		procurement { design { awardCriteria { criteria { id type weight } } } } } }`
	ipPhasesM = `mutation($id: ID!, $phases: [PartnershipPhaseInput!]!) { definePartnershipPhases(input: {procurementId: $id, phases: $phases,
		purchaseConditions: {performanceLevel: "Varsler 95 % av fall innen 30 sekunder", maxCost: "18000000"}}) {
		procurement { design { partnership { version phases { id goal intermediateTargets maxCost due } purchaseConditions { performanceLevel maxCost } } } } } }`
	ipTimetableM = `mutation($id: ID!, $notice: String!, $qa: String!, $requests: String!, $deadline: String!, $opening: String!) {
		setTimetable(input: {procurementId: $id, noticeAt: $notice, qaCutoff: $qa, requestDeadline: $requests, tenderDeadline: $deadline,
		openingAt: $opening, fourEyesOpening: true}) { procurement { timetable { requestDeadline tenderDeadline minima { rule days endDate } } } } }`
	ipAssessM = `mutation($id: ID!, $sub: ID!) { assessQualification(input: {procurementId: $id, submissionId: $sub, qualified: true,
		results: [{criterion: "erfaring", met: true, note: "Tre relevante referanser"}]}) {
		procurement { phase qualification { assessments { submissionId supplier { id } qualified } } } } }`
	ipInviteM = `mutation($id: ID!) { inviteCandidates(input: {procurementId: $id, invited: ["acme", "nordic"]}) {
		procurement { phase qualification { invitation { invited { id } notInvited { supplier { id } } minCandidates next } } } } }`
	ipRoundM = `mutation($id: ID!, $sup: ID!, $hash: String!, $changes: [String!]) { holdNegotiationRound(input: {procurementId: $id, round: 1,
		supplier: $sup, minutesHash: $hash, requirementsChanged: $changes}) {
		procurement { qualification { negotiationRounds { round supplier { id } requirementsChanged sentTo { id } } } } } }`
	ipFinalCallM = `mutation($id: ID!, $deadline: String!) { callForFinalTenders(input: {procurementId: $id, deadline: $deadline}) {
		procurement { phase qualification { finalTendersCall { deadline recipients { id } } } } } }`
	ipDeclareM = `mutation($id: ID!) { declareConflictOfInterest(input: {procurementId: $id, hasConflict: false}) {
		procurement { evaluation { declarations { evaluator organisation { id } hasConflict biddersSeen { id } } } } } }`
	ipScoreM = `mutation($id: ID!, $bid: ID!, $c: ID!, $score: Int!, $why: String) { scoreBid(input: {procurementId: $id, bidId: $bid,
		criterion: $c, score: $score, justification: $why}) { revision } }`
	ipLockM = `mutation($id: ID!) { lockScores(input: {procurementId: $id}) {
		procurement { evaluation { locks { evaluator scores scoreSetHash } } } } }`
	ipConsensusM = `mutation($id: ID!, $bid: ID!, $c: ID!, $score: Int!) { recordConsensus(input: {procurementId: $id, bidId: $bid,
		criterion: $c, score: $score, rationale: "Panelets samlede vurdering etter gjennomgang av tilbudet"}) { revision } }`
	ipFinalizeM = `mutation($id: ID!, $hash: String!) { finalizeEvaluation(input: {procurementId: $id, reportHash: $hash,
		signedBy: ["oslo-lead", "bergen-eva"]}) { procurement { phase evaluation { report { version signedBy reportHash } } } } }`
	ipDecideM = `mutation($id: ID!, $bid: ID!, $hash: String!) { decideAward(input: {procurementId: $id, awardId: "tildeling-1", lot: "lot-1",
		bidId: $bid, value: "30000000", decisionDocHash: $hash}) {
		procurement { phase award { mode decisions { awardId lot bidId supplier { id } value mode decidedBy { id } buyers { id } mandateIds } } } } }`
	ipNotifyM = `mutation($id: ID!, $hash: String!) { sendAwardNotification(input: {procurementId: $id, channel: ELECTRONIC, reasonsHash: $hash}) {
		procurement { phase } } }`
	ipSignM = `mutation($id: ID!) { signContract(input: {procurementId: $id, contractId: "kontrakt-1", awardId: "tildeling-1",
		terms: {value: "30000000", startDate: "2031-12-01", endDate: "2033-06-30", framework: true}, signatureRef: "bankid:oslo-lead-signatory"}) {
		procurement { phase contracting { contracts { id signedAt buyers { id } terms { value framework }
			signatures { organisation { id } covers { id } signatory mandateIds } stillToSign { buyer { id } } } } } } }`
	ipAwardNoticeM = `mutation($id: ID!) { publishAwardNotice(input: {procurementId: $id, channel: DOFFIN, externalNoticeId: "2031-300001"}) {
		procurement { contracting { awardNotice { channel externalNoticeId contractIds limit { endDate } } } } } }`
	ipCallOffM = `mutation($id: ID!, $callOff: ID!, $value: String!) { placeCallOff(input: {procurementId: $id, callOffId: $callOff,
		contractId: "kontrakt-1", description: "Pilot i hjemmetjenesten", value: $value}) { revision } }`
	ipPaymentM = `mutation($id: ID!, $payment: ID!, $amount: String!, $paidOn: String!) { recordPayment(input: {procurementId: $id,
		paymentId: $payment, contractId: "kontrakt-1", amount: $amount, paidOn: $paidOn}) { revision } }`
	ipMilestoneM = `mutation($id: ID!, $m: ID!, $title: String!) { recordMilestone(input: {procurementId: $id, milestoneId: $m,
		contractId: "kontrakt-1", title: $title, status: MET, note: "Akseptansetest bestått"}) {
		procurement { contracting { milestones { id title status } } } } }`
	ipGateM = `mutation($id: ID!, $phase: ID!, $met: [String!], $decision: GateDecision!, $hash: String!, $reason: String) {
		completePhase(input: {procurementId: $id, phaseId: $phase, targetsMet: $met, assessmentHash: $hash, decision: $decision, reason: $reason}) {
		procurement { phase contracting { phaseGates { phaseId decision targetsMet targetsMissed mandateIds } partnershipTermination { phaseId } } } } }`
	ipEffectM = `mutation($id: ID!, $m: ID!, $baseline: String!, $value: String!) { recordEffect(input: {procurementId: $id, measurementId: $m,
		kpi: "Fallskader", unit: "per 1000 brukere", baseline: $baseline, value: $value, periodFrom: "2032-01-01", periodTo: "2032-09-30",
		method: "Avviksregistrering i fagsystemet"}) { revision } }`
	ipCloseContractM = `mutation($id: ID!, $hash: String) { closeContract(input: {procurementId: $id, contractId: "kontrakt-1",
		finalStatus: COMPLETE, lessonsHash: $hash}) { procurement { phase contracting { contracts { id closing { finalStatus } } } } } }`
	ipCloseCaseM = `mutation($id: ID!, $hash: String) { closeCase(input: {procurementId: $id, lessonsHash: $hash}) {
		procurement { phase contracting { caseClosing { closedAt lessonsHash } } } } }`
)

// partnership is one innovation-partnership case of the five municipalities,
// oslo leading, acme and nordic competing.
type partnership struct {
	*tenderCase
	evaluator string            // bergen-eva's token, acting for bergen
	requests  map[string]string // supplier → its request to participate (bid ID)
	tenders   map[string]sealedBid
}

// startPartnership starts the server on the fake clock (the workflow clock
// ticking every 50 ms and after every event) and mints a token for every
// person of the five members.
func startPartnership(t *testing.T) *partnership {
	t.Helper()
	tc := startTendering(t, 50*time.Millisecond)
	for _, org := range fiveMembers {
		tc.admin[org] = tc.f.token(org+"-admin", org)
		tc.needs[org] = tc.f.token(org+"-needs", org)
		tc.budget[org] = tc.f.token(org+"-budget", org)
		tc.signatory[org] = tc.f.token(org+"-signatory", org)
	}
	return &partnership{tenderCase: tc, evaluator: tc.f.token(ipEvaluator, "bergen"), requests: map[string]string{},
		tenders: map[string]sealedBid{}}
}

// with is p reporting to t (a subtest).
func (p *partnership) with(t *testing.T) *partnership {
	c := *p
	c.tenderCase = p.tenderCase.with(t)
	return &c
}

// others are the members besides the lead.
func (p *partnership) others() []string {
	return slices.DeleteFunc(slices.Clone(fiveMembers), func(org string) bool { return org == "oslo" })
}

// ipFullScope is every act a member can mandate the lead to do.
var ipFullScope = []string{"prepare", "publish", "answerQuestions", "evaluate", "decideAward", "notify", "signContract", "manageContract"}

// agree creates the case, recruits all five, concludes the agreement (lead
// signs all, unanimous approval, the lead decides the award jointly), gets
// the needs submitted, consolidated and approved and the volumes committed.
func (p *partnership) agree() {
	f := p.f
	f.t.Helper()
	r := f.ok(p.hub, createCase, map[string]any{"title": "Innovasjonspartnerskap: digitalt tilsyn", "j": "NO", "cpv": []string{"48000000-8"}})
	p.id = r.get("createProcurement.procurement.id").(string)
	for _, org := range fiveMembers {
		f.ok(p.hub, invite, p.vars("org", org))
	}
	f.ok(p.hub, openRec, p.vars())
	for _, org := range fiveMembers {
		f.ok(p.admin[org], accept, p.vars())
		f.ok(p.admin[org], anchorM, p.vars("body", "bystyret", "date", "2031-08-25", "ref", "31/"+org))
	}
	if r := f.ok(p.hub, closeRecM, p.vars()); r.get("closeRecruitment.procurement.memberCounts.joined") != float64(5) {
		f.t.Fatalf("all five joined: %+v", r.Data)
	}

	// The agreement: LEAD_SIGNS_ALL, LEAD_DECIDES award (JOINT), UNANIMOUS approval.
	agreement := hashOf("innovasjonspartnerskap v1")
	f.ok(p.hub, draftAgreementM, p.vars("hash", agreement, "approval", "UNANIMOUS"))
	for _, org := range fiveMembers {
		f.ok(p.signatory[org], signM, p.vars("v", 1, "hash", agreement, "ref", "bankid:"+org))
		f.ok(p.signatory[org], consentM, p.vars("lead", "oslo"))
	}
	f.ok(p.hub, designateM, p.vars("lead", "oslo"))
	for _, org := range p.others() {
		f.ok(p.signatory[org], grantToM, p.vars("m", org+"-til-oslo", "to", "oslo", "scope", ipFullScope))
	}
	if r := f.ok(p.hub, costKeyM, p.vars("method", "EQUAL")); r.get("setCostSharingKey.procurement.phase") != "NEEDS" {
		f.t.Fatalf("the cost key concludes the agreement: %+v", r.Data)
	}

	var sources []map[string]any
	for _, org := range fiveMembers {
		f.ok(p.needs[org], submitNeedsM, p.vars("needs", []map[string]any{{"id": org + "-1", "statement": "Varsling ved fall uten brukerens medvirkning",
			"userGroup": "hjemmeboende eldre", "successCriteria": "færre alvorlige fallskader"}}))
		sources = append(sources, map[string]any{"organisationId": org, "needId": org + "-1"})
	}
	f.ok(p.lead, consolidateM, p.vars("common", []map[string]any{{"id": "felles-1", "statement": "Automatisk varsling ved fall", "sources": sources}}))
	for _, org := range fiveMembers {
		f.ok(p.needs[org], approveM, p.vars("v", 1))
		f.ok(p.budget[org], commitM, p.vars("lot", "lot-1", "type", "BINDING", "q", "400", "value", "6000000", "cur", "NOK"))
	}
}

// dialogue runs the market dialogue: the notice, both suppliers registered,
// a conference with minutes, the closing → DESIGN.
func (p *partnership) dialogue() {
	f := p.f
	f.t.Helper()
	if r := f.ok(p.lead, tdDialogueNoticeM, p.vars("deadline", rfc3339(tdStart.AddDate(0, 0, 20)))); r.get("publishDialogueNotice.procurement.phase") != "MARKET_DIALOGUE" {
		f.t.Fatalf("dialogue notice: %+v", r.Data)
	}
	for _, s := range tdSuppliers {
		if r := f.ok(p.sale[s], tdRegisterM, p.vars()); r.get("registerSupplier.tender.myRegistration.stage") != "DIALOGUE" {
			f.t.Fatalf("%s registers for the dialogue: %+v", s, r.Data)
		}
	}
	f.ok(p.lead, tdScheduleM, p.vars("at", rfc3339(tdEvent)))
	p.clock.Set(tdMinuted)
	f.ok(p.lead, tdMinutesM, p.vars("annex", tdHash("konfidensielt vedlegg")))
	if r := f.ok(p.lead, tdCloseDialogueM, p.vars("hash", tdHash("oppsummering"))); r.get("closeMarketDialogue.procurement.phase") != "DESIGN" {
		f.t.Fatalf("closing the dialogue: %+v", r.Data)
	}
}

// design defines the innovation partnership (procedure, the lot of all five,
// requirements, qualification, award criteria with a tie rule, two phases),
// grants bergen-eva the evaluator role and appoints it, sets the timetable,
// and has all five approve the documents.
func (p *partnership) design() {
	f := p.f
	f.t.Helper()
	r := f.ok(p.lead, ipProcedureM, p.vars())
	if fmt.Sprint(r.get("selectProcedure.procurement.design.procedure.twoStage")) != "true" ||
		r.get("selectProcedure.procurement.design.procedure.procedure") != "INNOVATION_PARTNERSHIP" {
		f.t.Fatalf("an innovation partnership is a two-stage procedure: %+v", r.Data)
	}
	f.ok(p.lead, ipLotsM, p.vars("members", fiveMembers))
	f.ok(p.lead, tdRequirementsM, p.vars())
	f.ok(p.lead, tdQualificationM, p.vars())
	f.ok(p.lead, ipAwardCriteriaM, p.vars())
	phases := []map[string]any{
		{"id": "fase-1", "goal": "Prototype og test hos brukere", "intermediateTargets": ipTargets["fase-1"], "maxCost": "4000000", "due": ipPhase1Due},
		{"id": "fase-2", "goal": "Pilot i full skala", "intermediateTargets": ipTargets["fase-2"], "maxCost": "8000000", "due": ipPhase2Due},
	}
	ph := f.ok(p.lead, ipPhasesM, p.vars("phases", phases))
	if fmt.Sprint(ph.get("definePartnershipPhases.procurement.design.partnership.phases")) != fmt.Sprintf(
		"[map[due:%s goal:Prototype og test hos brukere id:fase-1 intermediateTargets:[%s] maxCost:4000000.00] "+
			"map[due:%s goal:Pilot i full skala id:fase-2 intermediateTargets:[%s] maxCost:8000000.00]]",
		ipPhase1Due, strings.Join(ipTargets["fase-1"], " "), ipPhase2Due, strings.Join(ipTargets["fase-2"], " ")) {
		f.t.Fatalf("the phase plan: %+v", ph.Data)
	}
	// No demo user is an evaluator: bergen's admin grants the role to its own staff.
	f.ok(p.admin["bergen"], ipGrantRoleM, map[string]any{"org": "bergen", "user": ipEvaluator, "role": "evaluator"})
	f.ok(p.lead, tdEvaluatorM, p.vars())
	tt := f.ok(p.lead, ipTimetableM, p.timetableVars())
	var rules []string
	for _, m := range tt.get("setTimetable.procurement.timetable.minima").([]any) {
		rules = append(rules, fmt.Sprint(m.(map[string]any)["rule"]))
	}
	if !slices.Contains(rules, "NO/EU_ABOVE/INNOVATION_PARTNERSHIP/REQUEST_RECEIPT") {
		f.t.Fatalf("the request deadline is checked against the partnership's 30 days: %+v", tt.Data)
	}
	if r := f.ok(p.lead, tdSubmitDocsM, p.vars("hash", p.docsHash)); r.get("submitTenderDocuments.procurement.phase") != "APPROVAL" {
		f.t.Fatalf("the complete design goes for approval: %+v", r.Data)
	}
	var last gqlResult
	for _, org := range fiveMembers {
		last = f.ok(p.admin[org], tdApproveDocsM, p.vars("hash", p.docsHash))
	}
	docs := last.get("approveTenderDocuments.procurement.tenderDocuments").([]any)
	if v := docs[0].(map[string]any); v["outcome"] != "APPROVED" || len(v["votes"].([]any)) != 5 {
		f.t.Fatalf("all five approve version 1: %+v", docs)
	}
}

// timetableVars: notice 4 September, questions until 25 September, requests
// until 6 October, tenders (as published) until 3 November, opening an hour later.
func (p *partnership) timetableVars() map[string]any {
	return p.vars("notice", rfc3339(tdNotice), "qa", rfc3339(tdQACutoff), "requests", rfc3339(ipRequestDeadline),
		"deadline", rfc3339(ipTenderDeadline), "opening", rfc3339(ipOpening))
}

// publish sends the contract notice: the round of requests to participate.
func (p *partnership) publish() {
	f := p.f
	f.t.Helper()
	p.clock.Set(tdNotice)
	r := f.ok(p.lead, tdNoticeM, p.vars("hash", p.docsHash))
	if r.get("publishContractNotice.procurement.phase") != "TENDERING" || r.get("publishContractNotice.procurement.contractNotice.round") != "REQUESTS" ||
		r.get("publishContractNotice.procurement.contractNotice.deadline") != rfc3339(ipRequestDeadline) ||
		len(r.get("publishContractNotice.procurement.contractNotice.buyers").([]any)) != 5 {
		f.t.Fatalf("the notice opens the round of requests with all five as buyers: %+v", r.Data)
	}
}

// toNotice takes a fresh case from creation to the published contract notice.
func (p *partnership) toNotice() {
	p.f.t.Helper()
	p.agree()
	p.dialogue()
	p.design()
	p.publish()
}

// submitRequests has acme and nordic hand in their sealed requests to
// participate (the tendering driver's submissions, at tdBidding).
func (p *partnership) submitRequests() {
	p.f.t.Helper()
	p.submitBids("")
	for s, b := range p.bids {
		p.requests[s] = b.id
	}
}

// qualify lets the workflow clock close receipt of the requests after their
// deadline, opens them (four eyes), qualifies both and invites both → NEGOTIATION.
func (p *partnership) qualify() {
	f := p.f
	f.t.Helper()
	p.clock.Set(ipRequestDeadline.Add(30 * time.Minute))
	p.waitForPhase("QUALIFICATION")
	recs := p.events()
	if last := recs[len(recs)-1]; last.Type != "TenderingClosed" || last.Metadata.User != app.System.User {
		f.t.Fatalf("receipt of the requests is closed by the workflow clock, got %s by %s", last.Type, last.Metadata.User)
	}
	p.clock.Set(ipQualifying)
	f.ok(p.lead, tdOpenM, p.vars())
	f.ok(p.leadSig, tdOpenM, p.vars())
	for _, s := range tdSuppliers {
		f.ok(p.lead, ipAssessM, p.vars("sub", p.requests[s]))
	}
	// Two qualified candidates, fewer than the three the procedure names: all
	// qualified are invited, which is allowed.
	r := f.ok(p.lead, ipInviteM, p.vars())
	if r.get("inviteCandidates.procurement.phase") != "NEGOTIATION" ||
		fmt.Sprint(r.get("inviteCandidates.procurement.qualification.invitation")) !=
			"map[invited:[map[id:acme] map[id:nordic]] minCandidates:3 next:NEGOTIATION notInvited:[]]" {
		f.t.Fatalf("both candidates invited to negotiate: %+v", r.Data)
	}
}

// negotiate holds a round with each participant (acme's changes a
// requirement, sent to both in writing) and calls for final tenders.
func (p *partnership) negotiate() {
	f := p.f
	f.t.Helper()
	p.clock.Set(ipNegotiation)
	r := f.ok(p.lead, ipRoundM, p.vars("sup", "acme", "hash", tdHash("referat acme runde 1"),
		"changes", []string{"krav-1: varsling også ved langvarig inaktivitet"}))
	if fmt.Sprint(r.get("holdNegotiationRound.procurement.qualification.negotiationRounds")) !=
		"[map[requirementsChanged:[krav-1: varsling også ved langvarig inaktivitet] round:1 sentTo:[map[id:acme] map[id:nordic]] supplier:map[id:acme]]]" {
		f.t.Fatalf("a requirement changed with one participant goes in writing to every participant: %+v", r.Data)
	}
	f.ok(p.lead, ipRoundM, p.vars("sup", "nordic", "hash", tdHash("referat nordic runde 1")))
	c := f.ok(p.lead, ipFinalCallM, p.vars("deadline", rfc3339(ipFinalDeadline)))
	if c.get("callForFinalTenders.procurement.phase") != "TENDERING" ||
		fmt.Sprint(c.get("callForFinalTenders.procurement.qualification.finalTendersCall")) !=
			fmt.Sprintf("map[deadline:%s recipients:[map[id:acme] map[id:nordic]]]", rfc3339(ipFinalDeadline)) {
		f.t.Fatalf("final tenders are called from both by one deadline: %+v", c.Data)
	}
}

// submitFinalTenders has both participants hand in their final tenders.
func (p *partnership) submitFinalTenders() {
	f := p.f
	f.t.Helper()
	p.clock.Set(ipFinalTenders)
	for _, s := range tdSuppliers {
		content, canary := bidContent(s)
		r := f.ok(p.sale[s], tdSubmitBidM, p.vars("content", base64.StdEncoding.EncodeToString(content)))
		b := sealedBid{supplier: s, content: content, canary: canary, sha: fmt.Sprint(r.get("submitBid.sha256"))}
		b.id, _ = r.get("submitBid.bidId").(string)
		if b.id == "" || b.id == p.requests[s] || r.get("submitBid.receivedAt") != rfc3339(ipFinalTenders) {
			f.t.Fatalf("%s's final tender is a new submission received now: %+v", s, r.Data)
		}
		p.tenders[s] = b
	}
}

// openTenders lets the clock close receipt at the final deadline and opens
// the tenders (four eyes) → EVALUATION.
func (p *partnership) openTenders() {
	f := p.f
	f.t.Helper()
	p.clock.Set(ipFinalDeadline.Add(30 * time.Minute))
	p.waitForPhase("RECEIPT_CLOSED")
	p.clock.Set(ipEvaluation)
	f.ok(p.lead, tdOpenM, p.vars())
	if r := f.ok(p.leadSig, tdOpenM, p.vars()); r.get("openBids.procurement.phase") != "EVALUATION" {
		f.t.Fatalf("the second opener completes the opening: %+v", r.Data)
	}
}

// toEvaluation drives a fresh case to opened final tenders.
func (p *partnership) toEvaluation() {
	p.f.t.Helper()
	p.toNotice()
	p.submitRequests()
	p.qualify()
	p.negotiate()
	p.submitFinalTenders()
	p.openTenders()
}

// score has the evaluator score every criterion of both tenders (after its
// declaration) and lock.
func (p *partnership) score() {
	f := p.f
	f.t.Helper()
	for _, s := range tdSuppliers {
		for _, c := range []string{"pris", "kvalitet"} {
			f.ok(p.evaluator, ipScoreM, p.vars("bid", p.tenders[s].id, "c", c, "score", ipScores[s][c], "why", "Vurdert mot kravspesifikasjonen"))
		}
	}
	l := f.ok(p.evaluator, ipLockM, p.vars())
	locks := l.get("lockScores.procurement.evaluation.locks").([]any)
	if len(locks) != 1 || locks[0].(map[string]any)["scores"] != float64(4) || len(fmt.Sprint(locks[0].(map[string]any)["scoreSetHash"])) != 64 {
		f.t.Fatalf("the evaluator locks its four scores, bound by a hash: %+v", l.Data)
	}
}

// finalize records the consensus on every cell and finalises the report.
func (p *partnership) finalize() {
	f := p.f
	f.t.Helper()
	for _, s := range tdSuppliers {
		for _, c := range []string{"pris", "kvalitet"} {
			f.ok(p.lead, ipConsensusM, p.vars("bid", p.tenders[s].id, "c", c, "score", ipScores[s][c]))
		}
	}
	r := f.ok(p.lead, ipFinalizeM, p.vars("hash", tdHash("evalueringsrapport")))
	if r.get("finalizeEvaluation.procurement.evaluation.report.version") != float64(1) {
		f.t.Fatalf("the report is finalised: %+v", r.Data)
	}
}

// decide has the lead decide the award jointly for all five under the mandates.
func (p *partnership) decide() gqlResult {
	p.f.t.Helper()
	p.clock.Set(ipDecision)
	return p.f.ok(p.lead, ipDecideM, p.vars("bid", p.tenders["acme"].id, "hash", tdHash("tildelingsvedtak")))
}

// notify sends the award notification: the standstill starts.
func (p *partnership) notify() {
	f := p.f
	f.t.Helper()
	p.clock.Set(ipNotified)
	if r := f.ok(p.lead, ipNotifyM, p.vars("hash", tdHash("begrunnelse"))); r.get("sendAwardNotification.procurement.phase") != "STANDSTILL" {
		f.t.Fatalf("the notification starts the standstill: %+v", r.Data)
	}
}

// endStandstill moves the clock past the standstill; the workflow clock, and
// only it, opens contracting.
func (p *partnership) endStandstill() {
	f := p.f
	f.t.Helper()
	p.clock.Set(ipContracting)
	p.waitForPhase("CONTRACTING")
	recs := p.events()
	if last := recs[len(recs)-1]; last.Type != "StandstillEnded" || last.Metadata.User != app.System.User {
		f.t.Fatalf("the workflow clock ends the standstill, got %s by %s", last.Type, last.Metadata.User)
	}
}

// sign has the lead's signatory sign the contract for all five under the
// signContract mandates → CONTRACT_ACTIVE.
func (p *partnership) sign() gqlResult {
	p.f.t.Helper()
	return p.f.ok(p.leadSig, ipSignM, p.vars())
}

// refusedAndNothingAppended is f.rejected with the case's own stream compared
// too: neither the log's head nor the case's events move.
func (p *partnership) refusedAndNothingAppended(code, reason, token, query string, vars map[string]any) gqlResult {
	p.f.t.Helper()
	before := len(p.events())
	r := p.f.rejected(code, reason, token, query, vars)
	if after := len(p.events()); after != before {
		p.f.t.Fatalf("a refused %s appended %d events to the case", reason, after-before)
	}
	return r
}
