package main

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// A whole innovation partnership of five municipalities through GraphQL
// (issue 6), from the creation of the case to a closed case with the effects
// measured: every organisation acts with its own people's tokens, and a fake
// server clock is moved across every deadline, which the workflow clock acts
// on by itself (receipt of the requests and of the final tenders closed, the
// standstill ended). The driver is partnership_driver_test.go.
//
// Gate decisions: both phase gates CONTINUE with every intermediate target
// met (the partnership runs its full course; TERMINATE is only checked for its
// refusal before the phase ends).

// awardDecidedPhase checks that Procurement.phase shows AWARD_DECIDED once the
// award is decided, in the decision's answer and when read again. The check is
// a subtest of its own.
func (p *partnership) awardDecidedPhase(t *testing.T, decided gqlResult) {
	t.Helper()
	t.Run("the_phase_is_AWARD_DECIDED_once_the_award_is_decided", func(t *testing.T) {
		inAnswer := decided.get("decideAward.procurement.phase")
		read := p.with(t).phase()
		if inAnswer != "AWARD_DECIDED" || read != "AWARD_DECIDED" {
			t.Fatalf("after decideAward (JOINT, the only lot) the phase is %v (payload) and %v (query), want AWARD_DECIDED", inAnswer, read)
		}
	})
}

// ipCaseQ reads a part of the case.
func ipCaseQ(fields string) string {
	return `query($id: ID!) { procurement(id: $id) { ` + fields + ` } }`
}

// orgIDs are the organisation IDs of a list of objects carrying `field { id }`.
func orgIDs(list any, field string) []string {
	var out []string
	items, _ := list.([]any)
	for _, x := range items {
		if m, ok := x.(map[string]any)[field].(map[string]any); ok {
			out = append(out, fmt.Sprint(m["id"]))
		}
	}
	return out
}

// timeline is the case's timeline as token sees it: the sentences in order.
func (p *partnership) timeline(token string) []string {
	p.f.t.Helper()
	r := p.f.ok(token, ipCaseQ(`timeline { type sentence actor { id } }`), p.vars())
	var out []string
	for _, x := range r.get("procurement.timeline").([]any) {
		out = append(out, fmt.Sprint(x.(map[string]any)["sentence"]))
	}
	return out
}

// wantLines checks that every line is in the timeline and every absent one is not.
func wantLines(t *testing.T, who string, lines []string, want, absent []string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(lines, w) {
			t.Errorf("the timeline of %s lacks %q; it has:\n%s", who, w, strings.Join(lines, "\n"))
		}
	}
	for _, a := range absent {
		for _, l := range lines {
			if strings.Contains(l, a) {
				t.Errorf("the timeline of %s must not say %q: %q", who, a, l)
			}
		}
	}
}

func TestPartnershipOfFiveMunicipalitiesFromCreationToClosedCase(t *testing.T) {
	began := time.Now()
	p := startPartnership(t)
	f := p.f

	// P0–P2: recruitment, the agreement, the lead, mandates, key, needs, volumes.
	p.agree()
	ag := f.ok(p.hub, ipCaseQ(`phase lead { id } agreement { version terms { signingModel decisionRules { approval award } } signedBy { organisation { id } } }
		mandates { id from { id } to { id } scope revokedAt } consolidatedNeeds { outcome } commitments { organisation { id } type }`), p.vars())
	if ag.get("procurement.phase") != "NEEDS" || ag.get("procurement.lead.id") != "oslo" ||
		fmt.Sprint(ag.get("procurement.agreement.terms")) != "map[decisionRules:map[approval:UNANIMOUS award:LEAD_DECIDES] signingModel:LEAD_SIGNS_ALL]" ||
		len(ag.get("procurement.agreement.signedBy").([]any)) != 5 ||
		fmt.Sprint(ag.get("procurement.consolidatedNeeds")) != "[map[outcome:APPROVED]]" ||
		len(ag.get("procurement.commitments").([]any)) != 5 {
		t.Fatalf("the agreement is concluded by all five with oslo leading, the needs approved and the volumes committed: %+v", ag.Data)
	}
	mandates := ag.get("procurement.mandates").([]any)
	if len(mandates) != 4 {
		t.Fatalf("four mandates to the lead: %+v", mandates)
	}
	for _, x := range mandates {
		m := x.(map[string]any)
		if m["to"].(map[string]any)["id"] != "oslo" || fmt.Sprint(m["scope"]) != fmt.Sprint(ipFullScope) || m["revokedAt"] != nil {
			t.Fatalf("every other member mandates oslo for every act: %+v", m)
		}
	}

	// P3–P5: the market dialogue, the design, the members' approval, the notice.
	p.dialogue()
	p.design()
	d := f.ok(p.admin["stavanger"], ipCaseQ(`design { procedure { procedure regime justification minCandidates } lots { members { id } }
		awardCriteria { criteria { id weight } } evaluators { person organisation { id } } partnership { phases { id due } } }
		timetable { requestDeadline tenderDeadline }`), p.vars())
	if d.get("procurement.design.procedure.procedure") != "INNOVATION_PARTNERSHIP" || d.get("procurement.design.procedure.regime") != "EU_ABOVE" ||
		d.get("procurement.design.procedure.justification") == nil ||
		fmt.Sprint(d.get("procurement.design.evaluators")) != "[map[organisation:map[id:bergen] person:bergen-eva]]" ||
		d.get("procurement.timetable.requestDeadline") != rfc3339(ipRequestDeadline) {
		t.Fatalf("a member sees the design it approved: %+v", d.Data)
	}
	if n := len(d.get("procurement.design.lots").([]any)[0].(map[string]any)["members"].([]any)); n != 5 {
		t.Fatalf("one lot with all five members, got %d", n)
	}
	p.publish()

	// P5–P6: requests, closed by the clock, opened, assessed; both invited;
	// a negotiation round with each; final tenders.
	p.submitRequests()
	p.qualify()
	// The minutes of the negotiation are the lead's (COMMERCIAL_CONF); the
	// members see who was invited.
	neg := f.ok(p.admin["trondheim"], ipCaseQ(`qualification { assessments { supplier { id } qualified } invitation { invited { id } } negotiationRounds { round } }`), p.vars())
	if len(neg.get("procurement.qualification.assessments").([]any)) != 2 || len(neg.get("procurement.qualification.invitation.invited").([]any)) != 2 {
		t.Fatalf("once invited, the members see the assessments and the invitation: %+v", neg.Data)
	}
	p.negotiate()
	if r := f.ok(p.admin["trondheim"], ipCaseQ(`qualification { negotiationRounds { round } }`), p.vars()); fmt.Sprint(r.get("procurement.qualification.negotiationRounds")) != "[]" {
		t.Fatalf("negotiation minutes are not the members': %+v", r.Data)
	}
	if r := f.ok(p.lead, ipCaseQ(`qualification { negotiationRounds { supplier { id } } }`), p.vars()); len(r.get("procurement.qualification.negotiationRounds").([]any)) != 2 {
		t.Fatalf("the lead sees both rounds: %+v", r.Data)
	}
	p.submitFinalTenders()
	p.openTenders()

	// P7: the evaluator declares, reads a tender, scores, locks.
	dec := f.ok(p.evaluator, ipDeclareM, p.vars())
	if fmt.Sprint(dec.get("declareConflictOfInterest.procurement.evaluation.declarations")) !=
		"[map[biddersSeen:[map[id:acme] map[id:nordic]] evaluator:bergen-eva hasConflict:false organisation:map[id:bergen]]]" {
		t.Fatalf("the declaration names the bidders seen: %+v", dec.Data)
	}
	raw, r := f.postRaw(p.evaluator, ipCaseQ(`bids { id round content(purpose: "evaluering") }`), p.vars())
	bids, _ := r.get("procurement.bids").([]any)
	read := 0
	for _, x := range bids {
		b := x.(map[string]any)
		if b["round"] != "TENDERS" {
			continue
		}
		for _, s := range tdSuppliers {
			if tb := p.tenders[s]; tb.id == b["id"] {
				got, err := base64.StdEncoding.DecodeString(fmt.Sprint(b["content"]))
				if err != nil || string(got) != string(tb.content) {
					t.Fatalf("the evaluator reads %s's final tender exactly: %q", s, got)
				}
				read++
			}
		}
	}
	for _, e := range pathErrorsOf(t, raw) {
		// Requests to participate are not the evaluator's to read.
		idx, _ := e.Path[2].(float64)
		if e.field() != "content" || e.reason() != "bid.no_content_access" || bids[int(idx)].(map[string]any)["round"] != "REQUESTS" {
			t.Fatalf("the evaluator reads the final tenders: %s", raw)
		}
	}
	if read != 2 {
		t.Fatalf("the evaluator reads both final tenders: %s", raw)
	}
	p.score()
	// The lead sees the evaluator's scores once locked; a member never does.
	sc := ipCaseQ(`evaluation { tenders { supplier { id } cells { criterion scores { evaluator score } consensus { score } } } }`)
	if cells := fmt.Sprint(f.ok(p.lead, sc, p.vars()).get("procurement.evaluation.tenders")); !strings.Contains(cells, "map[evaluator:bergen-eva score:9]") {
		t.Fatalf("the lead sees the locked scores: %s", cells)
	}
	if cells := fmt.Sprint(f.ok(p.admin["kristiansand"], sc, p.vars()).get("procurement.evaluation.tenders")); strings.Contains(cells, "bergen-eva") {
		t.Fatalf("a member never sees an evaluator's scores: %s", cells)
	}
	p.finalize()

	// The ranking: the members, the evaluator; never the hub.
	rq := ipCaseQ(`rankings { lot tieRule reportVersion ranking { rank supplier { id } total quality price } }`)
	want := "[map[lot:lot-1 ranking:[map[price:24.0000 quality:63.0000 rank:1 supplier:map[id:acme] total:87.0000] " +
		"map[price:27.0000 quality:42.0000 rank:2 supplier:map[id:nordic] total:69.0000]] reportVersion:1 tieRule:BEST_PRICE]]"
	for _, who := range []string{p.admin["bergen"], p.budget["trondheim"], p.evaluator, p.lead} {
		if got := fmt.Sprint(f.ok(who, rq, p.vars()).get("procurement.rankings")); got != want {
			t.Fatalf("ranking: got %s, want %s", got, want)
		}
	}
	if got := fmt.Sprint(f.ok(p.hub, rq, p.vars()).get("procurement.rankings")); got != "[]" {
		t.Fatalf("the hub does not see the ranking: %s", got)
	}

	// P8: the award under the mandates, the notification, the standstill.
	a := p.decide()
	decision := a.get("decideAward.procurement.award.decisions").([]any)[0].(map[string]any)
	p.awardDecidedPhase(t, a)
	if a.get("decideAward.procurement.award.mode") != "JOINT" ||
		decision["decidedBy"].(map[string]any)["id"] != "oslo" || decision["supplier"].(map[string]any)["id"] != "acme" ||
		fmt.Sprint(decision["mandateIds"]) != "[bergen-til-oslo kristiansand-til-oslo stavanger-til-oslo trondheim-til-oslo]" {
		t.Fatalf("oslo decides for all five under the four decideAward mandates: %+v", a.Data)
	}
	if n := len(decision["buyers"].([]any)); n != 5 {
		t.Fatalf("the decision binds all five: %+v", decision)
	}
	p.notify()
	stq := ipCaseQ(`phase award { notification { channel recipientCount recipients { id } standstillEnd }
		standstill { startedAt endsAt endDate timeZone why endedAt computation { rule days endDate } } contractingMayStart contractingBlockedBy }`)
	st := f.ok(p.admin["stavanger"], stq, p.vars())
	// Sent on Monday 17 November 2031: ten calendar days from the day after
	// end with Thursday 27 November, at midnight Oslo time.
	if st.get("procurement.phase") != "STANDSTILL" || st.get("procurement.award.standstill.endDate") != "2031-11-27" ||
		st.get("procurement.award.standstill.timeZone") != "Europe/Oslo" || st.get("procurement.award.standstill.endedAt") != nil ||
		st.get("procurement.award.contractingMayStart") != false || st.get("procurement.award.notification.recipientCount") != float64(2) ||
		fmt.Sprint(st.get("procurement.award.notification.recipients")) != "[]" {
		t.Fatalf("the standstill as a member sees it: %+v", st.Data)
	}
	// The last instant of Thursday 27 November, Oslo time (CET, UTC+1).
	if got := st.get("procurement.award.standstill.endsAt"); got != "2031-11-27T22:59:59.999999999Z" ||
		st.get("procurement.award.notification.standstillEnd") != got {
		t.Fatalf("the standstill ends at the last instant of 27 November in Oslo, got %v", got)
	}
	if why := st.get("procurement.award.standstill.why"); why != "EEA standstill (karensperiode): 10 calendar days counted from the day after "+
		"the notification was sent on 2031-11-17; day 10 is 2031-11-27; the standstill ends at midnight at the end of 2031-11-27 Europe/Oslo, "+
		"and the contract may be signed from then" {
		t.Errorf("the why in words: %q", why)
	}
	if fmt.Sprint(st.get("procurement.award.standstill.computation")) != "map[days:10 endDate:2031-11-27 rule:NO/EU_ABOVE/ANY/STANDSTILL]" {
		t.Errorf("the stored computation: %v", st.get("procurement.award.standstill.computation"))
	}
	if blocked := st.get("procurement.award.contractingBlockedBy"); blocked != "the standstill runs until the end of 2031-11-27 (Europe/Oslo), 2031-11-27T22:59:59Z" {
		t.Errorf("contracting is blocked by the standstill, naming its end: %q", blocked)
	}
	if r := f.ok(p.lead, stq, p.vars()); fmt.Sprint(r.get("procurement.award.notification.recipients")) != "[map[id:acme] map[id:nordic]]" {
		t.Fatalf("the lead sees both tenderers notified: %+v", r.Data)
	}

	// Signing during the standstill is refused, and nothing is appended.
	p.clock.Set(ipInStandstill)
	before := p.events()
	r = p.refusedAndNothingAppended("RULE_VIOLATION", "procurement.standstill_running", p.leadSig, ipSignM, p.vars())
	if !strings.Contains(r.Errors[0].Message, "2031-11-27") {
		t.Errorf("the refusal names the standstill's end: %q", r.Errors[0].Message)
	}
	if after := p.events(); len(after) != len(before) || after[len(after)-1].ID != before[len(before)-1].ID {
		t.Fatalf("the refused signature appended to the case")
	}

	// P9: the workflow clock ends the standstill; the lead's signatory signs for all.
	p.endStandstill()
	if r := f.ok(p.admin["bergen"], stq, p.vars()); r.get("procurement.award.contractingMayStart") != true || r.get("procurement.award.standstill.endedAt") == nil {
		t.Fatalf("contracting may start once the clock ended the standstill: %+v", r.Data)
	}
	pend := f.ok(p.hub, ipCaseQ(`contracting { signingModel pendingSignatures { buyer { id } signer { id } } }`), p.vars())
	if pend.get("procurement.contracting.signingModel") != "LEAD_SIGNS_ALL" || len(pend.get("procurement.contracting.pendingSignatures").([]any)) != 5 ||
		slices.ContainsFunc(orgIDs(pend.get("procurement.contracting.pendingSignatures"), "signer"), func(s string) bool { return s != "oslo" }) {
		t.Fatalf("the lead must sign for every buyer: %+v", pend.Data)
	}
	sg := p.sign()
	k := sg.get("signContract.procurement.contracting.contracts").([]any)[0].(map[string]any)
	sig := k["signatures"].([]any)[0].(map[string]any)
	if sg.get("signContract.procurement.phase") != "CONTRACT_ACTIVE" || k["signedAt"] == nil || len(k["buyers"].([]any)) != 5 ||
		len(sig["covers"].([]any)) != 5 || sig["signatory"] != "oslo-lead-signatory" || len(sig["mandateIds"].([]any)) != 4 ||
		fmt.Sprint(k["stillToSign"]) != "[]" {
		t.Fatalf("one signature of the lead binds all five under the signContract mandates: %+v", sg.Data)
	}
	an := f.ok(p.lead, ipAwardNoticeM, p.vars())
	if an.get("publishAwardNotice.procurement.contracting.awardNotice.externalNoticeId") != "2031-300001" ||
		fmt.Sprint(an.get("publishAwardNotice.procurement.contracting.awardNotice.contractIds")) != "[kontrakt-1]" {
		t.Fatalf("the award notice: %+v", an.Data)
	}

	// P9–P10: each member calls off and pays; its own rows only.
	for i, org := range fiveMembers {
		f.ok(p.budget[org], ipCallOffM, p.vars("callOff", "avrop-"+org, "value", fmt.Sprintf("%d00000", i+1)))
		f.ok(p.budget[org], ipPaymentM, p.vars("payment", "betaling-"+org, "amount", fmt.Sprintf("%d0000.50", i+1), "paidOn", "2031-11-28"))
	}
	money := ipCaseQ(`contracting { callOffs { id organisation { id } value } payments { id organisation { id } amount } }`)
	for _, org := range fiveMembers {
		for _, who := range []string{p.admin[org], p.budget[org]} {
			m := f.ok(who, money, p.vars())
			if got := orgIDs(m.get("procurement.contracting.callOffs"), "organisation"); fmt.Sprint(got) != "["+org+"]" {
				t.Fatalf("%s sees its own call-off only, got %v", org, got)
			}
			if got := orgIDs(m.get("procurement.contracting.payments"), "organisation"); fmt.Sprint(got) != "["+org+"]" {
				t.Fatalf("%s sees its own payment only, got %v", org, got)
			}
		}
	}
	for name, who := range map[string]string{"the hub": p.hub, "the lead": p.lead} {
		m := f.ok(who, money, p.vars())
		if n, k := len(m.get("procurement.contracting.callOffs").([]any)), len(m.get("procurement.contracting.payments").([]any)); n != 5 || k != 5 {
			t.Fatalf("%s sees every member's call-offs and payments, got %d and %d", name, n, k)
		}
	}

	// P10: milestones and the phase gates; no gate before the phase's end.
	gate := func(phase string) map[string]any {
		return p.vars("phase", phase, "met", ipTargets[phase], "decision", "CONTINUE", "hash", tdHash("vurdering "+phase))
	}
	r = p.refusedAndNothingAppended("RULE_VIOLATION", "procurement.phase_not_ended", p.lead, ipGateM, gate("fase-1"))
	if !strings.Contains(r.Errors[0].Message, ipPhase1Due) {
		t.Errorf("the refusal names the phase's end: %q", r.Errors[0].Message)
	}
	p.clock.Set(ipGate1)
	f.ok(p.lead, ipMilestoneM, p.vars("m", "m-prototype", "title", "Prototype levert og testet"))
	g1 := f.ok(p.lead, ipGateM, gate("fase-1"))
	if fmt.Sprint(g1.get("completePhase.procurement.contracting.phaseGates")) != fmt.Sprintf(
		"[map[decision:CONTINUE mandateIds:[bergen-til-oslo kristiansand-til-oslo stavanger-til-oslo trondheim-til-oslo] phaseId:fase-1 targetsMet:%v targetsMissed:[]]]",
		slices.Sorted(slices.Values(ipTargets["fase-1"]))) || g1.get("completePhase.procurement.phase") != "CONTRACT_ACTIVE" {
		t.Fatalf("gate 1: continue, every target met, under the manageContract mandates: %+v", g1.Data)
	}
	p.clock.Set(ipGate2)
	f.ok(p.lead, ipMilestoneM, p.vars("m", "m-pilot", "title", "Pilot gjennomført i alle fem kommuner"))
	g2 := f.ok(p.lead, ipGateM, gate("fase-2"))
	if n := len(g2.get("completePhase.procurement.contracting.phaseGates").([]any)); n != 2 || g2.get("completePhase.procurement.contracting.partnershipTermination") != nil {
		t.Fatalf("gate 2: continue, the partnership not terminated: %+v", g2.Data)
	}
	ms := f.ok(p.admin["kristiansand"], ipCaseQ(`contracting { milestones { id status } phaseGates { phaseId decision } }`), p.vars())
	if fmt.Sprint(ms.get("procurement.contracting")) !=
		"map[milestones:[map[id:m-prototype status:MET] map[id:m-pilot status:MET]] phaseGates:[map[decision:CONTINUE phaseId:fase-1] map[decision:CONTINUE phaseId:fase-2]]]" {
		t.Fatalf("a member follows the milestones and gates: %+v", ms.Data)
	}

	// P11: every member records its effect; the totals for everyone, the rows per member.
	p.clock.Set(ipFollowUp)
	effects := map[string][2]string{"bergen": {"12.5", "9.25"}, "kristiansand": {"10", "8"}, "oslo": {"14.75", "10.5"},
		"stavanger": {"11", "9.5"}, "trondheim": {"13", "10.75"}}
	for _, org := range fiveMembers {
		f.ok(p.needs[org], ipEffectM, p.vars("m", "effekt-"+org, "baseline", effects[org][0], "value", effects[org][1]))
	}
	eq := ipCaseQ(`contracting { effects { organisation { id } baseline value change } effectTotals { kpi unit count members totalChange } }`)
	for _, who := range []string{p.hub, p.lead, p.admin["stavanger"], p.needs["bergen"]} {
		e := f.ok(who, eq, p.vars())
		if got := fmt.Sprint(e.get("procurement.contracting.effectTotals")); got != "[map[count:5 kpi:Fallskader members:5 totalChange:-13.25 unit:per 1000 brukere]]" {
			t.Fatalf("the joint effect: Σ(value − baseline) = −13.25 over five members, got %s", got)
		}
	}
	if got := fmt.Sprint(f.ok(p.needs["bergen"], eq, p.vars()).get("procurement.contracting.effects")); got !=
		"[map[baseline:12.5 change:-3.25 organisation:map[id:bergen] value:9.25]]" {
		t.Fatalf("a member sees its own effect row only, got %v", got)
	}
	if n := len(f.ok(p.hub, eq, p.vars()).get("procurement.contracting.effects").([]any)); n != 5 {
		t.Fatalf("the hub sees every member's effects, got %d", n)
	}

	// The end: the contract closes (→ FOLLOW_UP), the hub closes the case.
	if r := f.ok(p.lead, ipCloseContractM, p.vars("hash", tdHash("erfaringer"))); r.get("closeContract.procurement.phase") != "FOLLOW_UP" {
		t.Fatalf("closing the only contract → FOLLOW_UP: %+v", r.Data)
	}
	if r := f.ok(p.hub, ipCloseCaseM, p.vars("hash", tdHash("erfaringer fra saken"))); r.get("closeCase.procurement.phase") != "CLOSED" ||
		r.get("closeCase.procurement.contracting.caseClosing.closedAt") != rfc3339(ipFollowUp) {
		t.Fatalf("the hub closes the case: %+v", r.Data)
	}

	// The case as open data (issue 8).
	t.Run("open_data", p.openData)

	// The timeline in plain language, per role.
	common := []string{
		"Innkjøpshub Norge (demo) created the procurement \"Innovasjonspartnerskap: digitalt tilsyn\" on 1 September 2031",
		"Bergen kommune signed the cooperation agreement v1 on 1 September 2031",
		"Trondheim kommune granted Oslo kommune mandate trondheim-til-oslo to prepare, publish, answerQuestions, evaluate, decideAward, notify, signContract and manageContract until 2099-12-31 on 1 September 2031",
		"Oslo kommune selected the innovation partnership procedure (EU_ABOVE) on 2 September 2031",
		"Receipt of requests closed with 2 submissions on 6 October 2031",
		"Oslo kommune invited 2 candidates to negotiate: Acme Sensor AS (demo) and Nordic Vision AB (demo) on 7 October 2031",
		"bergen-eva (Bergen kommune) declared no conflict of interest on 11 November 2031",
		"Oslo kommune decided the award of lot lot-1 to Acme Sensor AS (demo) on 17 November 2031",
		"The standstill ended and contracting opened on 28 November 2031",
		"Contract kontrakt-1 with Acme Sensor AS (demo) for lot lot-1 was signed by every buyer on 28 November 2031",
		"Oslo kommune decided to continue after partnership phase fase-1 on 31 March 2032",
		"Innkjøpshub Norge (demo) closed the case on 4 October 2032",
	}
	hub := p.timeline(p.hub)
	wantLines(t, "the hub", hub, append(slices.Clone(common),
		"Stavanger kommune placed call-off avrop-stavanger of 400000.00 NOK under contract kontrakt-1 on 28 November 2031",
		"Bergen kommune measured Fallskader at 9.25 per 1000 brukere against a baseline of 12.5 on 4 October 2032"),
		[]string{"held negotiation round", " scored "})
	bergen := p.timeline(p.admin["bergen"])
	wantLines(t, "bergen", bergen, append(slices.Clone(common),
		"Bergen kommune placed call-off avrop-bergen of 100000.00 NOK under contract kontrakt-1 on 28 November 2031"),
		[]string{"avrop-stavanger", "betaling-stavanger", "Stavanger kommune recorded a payment", "Stavanger kommune measured", "held negotiation round", " scored "})
	lead := p.timeline(p.lead)
	wantLines(t, "the lead", lead, []string{"Oslo kommune held negotiation round 1 with Acme Sensor AS (demo) on 14 October 2031",
		"bergen-eva scored the tender of Acme Sensor AS (demo) on kvalitet: 9 on 11 November 2031"}, nil)
	if len(bergen) >= len(hub) {
		t.Errorf("bergen's timeline (%d lines) leaves out other members' call-offs, payments and effects the hub's (%d) has", len(bergen), len(hub))
	}

	if took := time.Since(began); took > 30*time.Second {
		t.Errorf("the whole partnership took %s, more than 30 s", took)
	} else {
		t.Logf("the whole partnership took %s", took)
	}
}

// Every bad input of the issue on the way through a partnership, refused with
// its code and reason, and nothing appended (neither the log's head nor the
// case's stream moves).
func TestPartnershipRefusesBadInputAndAppendsNothing(t *testing.T) {
	p := startPartnership(t)
	f := p.f
	p.toEvaluation()
	score := func(s, c string, v int) map[string]any {
		return p.vars("bid", p.tenders[s].id, "c", c, "score", v, "why", "Vurdert mot kravspesifikasjonen")
	}

	t.Run("no_score_and_no_content_before_the_declaration", func(t *testing.T) {
		f, p := f.with(t), p.with(t)
		r := f.rejected("RULE_VIOLATION", "procurement.conflict_declaration_required", p.evaluator, ipScoreM, score("acme", "kvalitet", 7))
		if !strings.Contains(r.Errors[0].Message, "declare conflicts of interest") {
			t.Errorf("the refusal says what to do: %q", r.Errors[0].Message)
		}
		p.refusedAndNothingAppended("RULE_VIOLATION", "procurement.conflict_declaration_required", p.evaluator, ipLockM, p.vars())
		raw, _ := f.postRaw(p.evaluator, ipCaseQ(`bids { round content(purpose: "evaluering") }`), p.vars())
		errs := pathErrorsOf(t, raw)
		if len(errs) != 4 || slices.ContainsFunc(errs, func(e gqlPathError) bool { return e.reason() != "bid.no_content_access" }) {
			t.Fatalf("no content for an evaluator before its declaration: %s", raw)
		}
		if leak := canaryIn(raw, p.tenders["acme"].canary); leak != "" {
			t.Fatalf("the tender leaked (%s): %s", leak, raw)
		}
	})

	t.Run("a_score_outside_the_scale", func(t *testing.T) {
		f, p := f.with(t), p.with(t)
		f.ok(p.evaluator, ipDeclareM, p.vars())
		for _, v := range []int{11, -1} {
			r := p.refusedAndNothingAppended("BAD_USER_INPUT", "procurement.score_out_of_scale", p.evaluator, ipScoreM, score("acme", "kvalitet", v))
			if !strings.Contains(r.Errors[0].Message, "0–10") {
				t.Errorf("the refusal names the scale: %q", r.Errors[0].Message)
			}
		}
		p.refusedAndNothingAppended("BAD_USER_INPUT", "procurement.score_justification_required", p.evaluator, ipScoreM,
			p.vars("bid", p.tenders["acme"].id, "c", "kvalitet", "score", 7))
	})

	p.score()
	p.finalize()

	t.Run("no_award_without_every_decideAward_mandate", func(t *testing.T) {
		f, p := f.with(t), p.with(t)
		// Stavanger takes decideAward out of its mandate: a new mandate with
		// every other act, then the old one revoked.
		var rest []string
		for _, s := range ipFullScope {
			if s != "decideAward" {
				rest = append(rest, s)
			}
		}
		f.ok(p.signatory["stavanger"], grantToM, p.vars("m", "stavanger-uten-tildeling", "to", "oslo", "scope", rest))
		f.ok(p.signatory["stavanger"], ipRevokeMandateM, p.vars("m", "stavanger-til-oslo"))
		p.clock.Set(ipDecision)
		award := p.vars("bid", p.tenders["acme"].id, "hash", tdHash("tildelingsvedtak"))
		for _, who := range []string{p.lead, p.leadSig} {
			r := p.refusedAndNothingAppended("RULE_VIOLATION", "procurement.mandate_missing", who, ipDecideM, award)
			if msg := r.Errors[0].Message; !strings.Contains(msg, "no active decideAward mandate from stavanger") || strings.Contains(msg, "bergen") {
				t.Errorf("the refusal names the act and the member without a mandate, and only it: %q", msg)
			}
		}
		// Nor for a tender that is not the best, and not by a member (JOINT).
		p.refusedAndNothingAppended("RULE_VIOLATION", "procurement.not_best_tender", p.lead, ipDecideM,
			p.vars("bid", p.tenders["nordic"].id, "hash", tdHash("tildelingsvedtak")))
		p.refusedAndNothingAppended("RULE_VIOLATION", "procurement.lead_only", p.signatory["bergen"], ipDecideM, award)
		p.wantPhase("EVALUATION")
	})

	// Stavanger mandates the lead to decide the award, and the award goes through.
	f.ok(p.signatory["stavanger"], grantToM, p.vars("m", "stavanger-tildeling", "to", "oslo", "scope", []string{"decideAward"}))
	a := p.decide()
	if ids := fmt.Sprint(a.get("decideAward.procurement.award.decisions").([]any)[0].(map[string]any)["mandateIds"]); ids !=
		"[bergen-til-oslo kristiansand-til-oslo stavanger-tildeling trondheim-til-oslo]" {
		t.Fatalf("the award is decided under the new mandate: %s", ids)
	}
	p.notify()

	t.Run("no_signature_during_the_standstill", func(t *testing.T) {
		f, p := f.with(t), p.with(t)
		p.clock.Set(ipInStandstill)
		p.refusedAndNothingAppended("RULE_VIOLATION", "procurement.standstill_running", p.leadSig, ipSignM, p.vars())
		p.refusedAndNothingAppended("RULE_VIOLATION", "procurement.standstill_running", p.signatory["bergen"], ipSignM, p.vars())
		// Nor at the standstill's last minute: the clock has nothing to end yet.
		p.clock.Set(time.Date(2031, 11, 27, 22, 59, 0, 0, time.UTC))
		time.Sleep(200 * time.Millisecond)
		p.refusedAndNothingAppended("RULE_VIOLATION", "procurement.standstill_running", p.leadSig, ipSignM, p.vars())
		p.wantPhase("STANDSTILL")
		if r := f.ok(p.hub, ipCaseQ(`contracting { contracts { id } }`), p.vars()); r.get("procurement.contracting") != nil {
			t.Fatalf("no contracting during the standstill: %+v", r.Data)
		}
	})

	p.endStandstill()
	p.sign()

	t.Run("no_phase_gate_before_the_phase_ends", func(t *testing.T) {
		f, p := f.with(t), p.with(t)
		gate := func(phase, decision string, met []string) map[string]any {
			return p.vars("phase", phase, "met", met, "decision", decision, "hash", tdHash("vurdering "+phase), "reason", "Målene ble ikke nådd")
		}
		// The last minute of the day before phase 1's due date (Oslo, CEST):
		// neither continue nor terminate.
		p.clock.Set(time.Date(2032, 3, 30, 21, 59, 0, 0, time.UTC))
		for _, d := range []string{"CONTINUE", "TERMINATE"} {
			r := p.refusedAndNothingAppended("RULE_VIOLATION", "procurement.phase_not_ended", p.lead, ipGateM, gate("fase-1", d, ipTargets["fase-1"]))
			if !strings.Contains(r.Errors[0].Message, "fase-1 ends on "+ipPhase1Due) {
				t.Errorf("the refusal names the phase and its end: %q", r.Errors[0].Message)
			}
		}
		// On the due date: not out of order, and not continuing with a target missed.
		p.clock.Set(ipGate1)
		p.refusedAndNothingAppended("RULE_VIOLATION", "procurement.phase_order", p.lead, ipGateM, gate("fase-2", "CONTINUE", ipTargets["fase-2"]))
		p.refusedAndNothingAppended("RULE_VIOLATION", "procurement.targets_not_met", p.lead, ipGateM, gate("fase-1", "CONTINUE", ipTargets["fase-1"][:1]))
		// A member cannot take the gate decision.
		p.refusedAndNothingAppended("FORBIDDEN", "", p.admin["bergen"], ipGateM, gate("fase-1", "CONTINUE", ipTargets["fase-1"]))
		f.ok(p.lead, ipGateM, gate("fase-1", "CONTINUE", ipTargets["fase-1"]))
		p.wantPhase("CONTRACT_ACTIVE")
	})
}
