package graphql

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/projections/organisations"
)

const (
	evaluationQ = `query($id: ID!) { procurement(id: $id) { evaluation {
		columns { lot criterion { id weight } }
		tenders { bidId supplier { id } rejected cells { criterion scores { evaluator organisation { id } score justification locked } consensus { score rationale } } }
		declarations { evaluator hasConflict } locks { evaluator scores } clarifications { id question answer } report { version } }
		rankings { lot tieRule reportVersion ranking { rank bidId supplier { id } total quality price } } } }`
	timelineQ = `query($id: ID!) { procurement(id: $id) { timeline { revision type at visibility sentence actor { id } } } }`
	awardQ    = `query($id: ID!) { procurement(id: $id) { phase award { mode
		decisions { awardId lot supplier { id } value decidedBy { id } buyers { id } mandateIds revoked { reason } }
		notification { channel recipientCount recipients { id } standstillEnd }
		standstill { startedAt endsAt endDate timeZone why endedAt computation { rule days endDate } }
		contractingMayStart contractingBlockedBy
		complaints { id complainant forum suspensive suspension { previousPhase } resolution { outcome nextPhase } } revocations { awardId } } } }`
	contractingQ = `query($id: ID!) { procurement(id: $id) { contracting { signingModel
		contracts { id buyers { id } signatures { organisation { id } covers { id } signatory } stillToSign { buyer { id } signer { id } } signedAt terms { value framework } }
		pendingSignatures { awardId contractId buyer { id } signer { id } }
		callOffs { id organisation { id } value } payments { id organisation { id } amount }
		effects { id organisation { id } change } effectTotals { kpi unit count members totalChange }
		milestones { id status } deviations { id severity recordedBy { id } } awardNotice { channel contractIds } } } }`
)

// visibleScores lists the individual scores an answer shows, as
// "evaluator:bid/criterion=score".
func visibleScores(a gqlAnswer) []string {
	var out []string
	for _, t := range a.list("procurement.evaluation.tenders") {
		row := t.(map[string]any)
		for _, c := range row["cells"].([]any) {
			cell := c.(map[string]any)
			for _, s := range cell["scores"].([]any) {
				sc := s.(map[string]any)
				out = append(out, fmt.Sprintf("%s:%s/%s=%v", sc["evaluator"], row["bidId"], cell["criterion"], sc["score"]))
			}
		}
	}
	slices.Sort(out)
	return out
}

// evaluatorsSeen is which evaluators' scores are among them.
func evaluatorsSeen(scores []string) []string {
	var out []string
	for _, s := range scores {
		out = append(out, s[:strings.Index(s, ":")])
	}
	return slices.Compact(out)
}

func consensusShown(a gqlAnswer) int {
	n := 0
	for _, t := range a.list("procurement.evaluation.tenders") {
		for _, c := range t.(map[string]any)["cells"].([]any) {
			if c.(map[string]any)["consensus"] != nil {
				n++
			}
		}
	}
	return n
}

// timelineTypes lists the event types of a timeline answer.
func timelineTypes(a gqlAnswer) []string {
	var out []string
	for _, e := range a.list("procurement.timeline") {
		out = append(out, e.(map[string]any)["type"].(string))
	}
	return out
}

func timelineSentences(a gqlAnswer) string {
	var out []string
	for _, e := range a.list("procurement.timeline") {
		out = append(out, e.(map[string]any)["sentence"].(string))
	}
	return strings.Join(out, "\n")
}

func ids2(a gqlAnswer, path, field string) []string {
	var out []string
	for _, x := range a.list(path) {
		m := x.(map[string]any)
		if o, ok := m[field].(map[string]any); ok {
			out = append(out, o["id"].(string))
		} else {
			out = append(out, fmt.Sprint(m[field]))
		}
	}
	return out
}

func wantList(t *testing.T, who reader, what string, got, want []string) {
	t.Helper()
	if got == nil {
		got = []string{}
	}
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s sees %s %v, want %v", who, what, got, want)
	}
}

// TestAwardViewsPerRole takes one case from its sealed tenders to the follow-up
// and asks, at each step, what every person of the case sees.
func TestAwardViewsPerRole(t *testing.T) {
	x := newAwardSystem(t)
	lead, bergenEva, osloEva := leadReader.principal(), bergenEvaluator.principal(), osloEvaluator.principal()

	// Sealed tenders, receipt closed by the platform, opened by the lead.
	x.at(awardDay(60, 9))
	x.submit("acme")
	x.submit("nordic")
	t.Run("sealed_tenders_are_in_the_timeline_of_the_lead_and_auditors_only_until_receipt_closes", func(t *testing.T) {
		for _, r := range []reader{leadReader, auditorReader} {
			if n := strings.Count(strings.Join(timelineTypes(x.query(r.user, r.org, timelineQ)), " "), "BidSubmitted"); n != 2 {
				t.Errorf("%s sees %d submissions, want 2", r, n)
			}
		}
		for _, r := range []reader{hubReader, bergenAdmin, osloAdmin} {
			if types := timelineTypes(x.query(r.user, r.org, timelineQ)); slices.Contains(types, "BidSubmitted") {
				t.Errorf("%s sees a sealed submission before receipt closes: %v", r, types)
			}
		}
	})
	x.at(awardPlan.TenderDeadline)
	if _, err := x.cases.CloseReceipt(t.Context(), platform, app.CommandMeta{CommandID: "close"}, x.caseID); err != nil {
		t.Fatal(err)
	}
	x.at(awardPlan.OpeningAt)
	if _, err := x.bids.Open(t.Context(), lead, app.CommandMeta{CommandID: "open"}, x.caseID); err != nil {
		t.Fatal(err)
	}
	acme, nordic := x.bidOf["acme"], x.bidOf["nordic"]
	t.Run("after_receipt_closes_the_members_see_the_submissions_in_the_timeline", func(t *testing.T) {
		if n := strings.Count(strings.Join(timelineTypes(x.query(bergenAdmin.user, bergenAdmin.org, timelineQ)), " "), "BidSubmitted"); n != 2 {
			t.Errorf("bergen sees %d submissions after the closing, want 2", n)
		}
	})

	// Both evaluators declare and score; nobody locks yet.
	x.at(awardDay(91, 9))
	for _, ev := range []app.Principal{bergenEva, osloEva} {
		x.run(ev, func(at time.Time) procurement.Command {
			return procurement.DeclareConflictOfInterest{By: ev, At: at}
		})
	}
	scores := map[string]map[string]int{ // evaluator → bid/criterion → score
		"bergen-eva": {acme + "/price": 8, acme + "/quality": 7, nordic + "/price": 6, nordic + "/quality": 9},
		"oslo-eva":   {acme + "/price": 7, acme + "/quality": 8, nordic + "/price": 6, nordic + "/quality": 6},
	}
	for _, ev := range []app.Principal{bergenEva, osloEva} {
		for _, k := range sortedKeys(scores[ev.User]) {
			bid, crit, _ := strings.Cut(k, "/")
			x.run(ev, func(at time.Time) procurement.Command {
				return procurement.ScoreBid{BidID: bid, Criterion: crit, Score: scores[ev.User][k], Justification: "seen in the demo", By: ev, At: at}
			})
		}
	}
	seen := func(r reader) []string { return evaluatorsSeen(visibleScores(x.query(r.user, r.org, evaluationQ))) }
	t.Run("before_any_lock_an_evaluator_sees_only_its_own_scores_and_nobody_else_sees_any", func(t *testing.T) {
		wantList(t, bergenEvaluator, "scores of", seen(bergenEvaluator), []string{"bergen-eva"})
		wantList(t, osloEvaluator, "scores of", seen(osloEvaluator), []string{"oslo-eva"})
		for _, r := range []reader{leadReader, auditorReader, hubReader, bergenAdmin, osloAdmin} {
			wantList(t, r, "scores of", seen(r), nil)
		}
		if got := visibleScores(x.query(bergenEvaluator.user, bergenEvaluator.org, evaluationQ)); len(got) != 4 ||
			got[0] != "bergen-eva:"+min(acme, nordic)+"/price="+fmt.Sprint(scores["bergen-eva"][min(acme, nordic)+"/price"]) {
			t.Errorf("bergen-eva's own scores: %v", got)
		}
	})
	t.Run("scores_are_never_in_the_timeline_before_the_lock_not_even_for_the_evaluator", func(t *testing.T) {
		for _, r := range []reader{bergenEvaluator, osloEvaluator, leadReader, auditorReader, hubReader, bergenAdmin} {
			if types := timelineTypes(x.query(r.user, r.org, timelineQ)); slices.Contains(types, "BidScored") {
				t.Errorf("%s sees a score in the timeline before any lock", r)
			}
		}
	})

	// bergen-eva locks; oslo-eva does not yet.
	x.run(bergenEva, func(at time.Time) procurement.Command { return procurement.LockScores{By: bergenEva, At: at} })
	t.Run("after_one_evaluator_locks_the_lead_and_auditors_see_its_scores_and_no_one_sees_the_unlocked_evaluators", func(t *testing.T) {
		wantList(t, leadReader, "scores of", seen(leadReader), []string{"bergen-eva"})
		wantList(t, auditorReader, "scores of", seen(auditorReader), []string{"bergen-eva"})
		// bergen-eva locked, but oslo-eva has not: its scores stay its own.
		wantList(t, bergenEvaluator, "scores of", seen(bergenEvaluator), []string{"bergen-eva"})
		// oslo-eva has not locked: it does not see bergen-eva's, locked or not.
		wantList(t, osloEvaluator, "scores of", seen(osloEvaluator), []string{"oslo-eva"})
		for _, r := range []reader{hubReader, bergenAdmin, osloAdmin} {
			wantList(t, r, "scores of", seen(r), nil)
		}
		lead := timelineTypes(x.query(leadReader.user, leadReader.org, timelineQ))
		if n := strings.Count(strings.Join(lead, " "), "BidScored"); n != 4 {
			t.Errorf("the lead's timeline has %d scores, want bergen-eva's 4", n)
		}
		if strings.Contains(timelineSentences(x.query(leadReader.user, leadReader.org, timelineQ)), "oslo-eva scored") {
			t.Error("the lead's timeline shows the unlocked evaluator's scores")
		}
		if slices.Contains(timelineTypes(x.query(bergenAdmin.user, bergenAdmin.org, timelineQ)), "BidScored") {
			t.Error("a member's timeline shows scores")
		}
	})
	x.run(osloEva, func(at time.Time) procurement.Command { return procurement.LockScores{By: osloEva, At: at} })
	t.Run("once_both_have_locked_the_evaluators_the_lead_and_auditors_see_all_scores_and_members_still_none", func(t *testing.T) {
		for _, r := range []reader{bergenEvaluator, osloEvaluator, leadReader, auditorReader} {
			wantList(t, r, "scores of", seen(r), []string{"bergen-eva", "oslo-eva"})
		}
		for _, r := range []reader{hubReader, bergenAdmin, osloAdmin} {
			wantList(t, r, "scores of", seen(r), nil)
		}
		a := x.query(leadReader.user, leadReader.org, evaluationQ)
		if got := ids2(a, "procurement.evaluation.locks", "evaluator"); !slices.Equal(got, []string{"bergen-eva", "oslo-eva"}) {
			t.Errorf("locks: %v", got)
		}
	})

	// A clarification (COMMERCIAL_CONF), the consensus and the report.
	x.run(lead, func(at time.Time) procurement.Command {
		return procurement.RequestClarification{ClarificationID: "cl-1", BidID: acme, Question: "Confirm the unit price of sensor X-100.", By: lead, At: at}
	})
	acmeSales := app.Principal{User: "acme-sales", Org: "acme"}
	x.run(acmeSales, func(at time.Time) procurement.Command {
		return procurement.AnswerClarification{ClarificationID: "cl-1", Answer: "acme-secret-unit-price 4 250 NOK", By: acmeSales, At: at}
	})
	t.Run("clarifications_are_for_the_lead_and_auditors_only", func(t *testing.T) {
		for _, r := range []reader{leadReader, auditorReader} {
			if got := ids2(x.query(r.user, r.org, evaluationQ), "procurement.evaluation.clarifications", "answer"); len(got) != 1 {
				t.Errorf("%s sees clarifications %v, want one", r, got)
			}
		}
		for _, r := range []reader{hubReader, bergenAdmin, osloAdmin, bergenEvaluator} {
			if got := x.query(r.user, r.org, evaluationQ).list("procurement.evaluation.clarifications"); len(got) != 0 {
				t.Errorf("%s sees clarifications %v", r, got)
			}
			if s := timelineSentences(x.query(r.user, r.org, timelineQ)); strings.Contains(s, "clarif") {
				t.Errorf("%s sees a clarification in the timeline:\n%s", r, s)
			}
		}
	})
	// Bergen asks to withdraw after the notice; the hub approves, the lead not yet.
	bergenMember := bergenAdmin.principal()
	x.run(bergenMember, func(at time.Time) procurement.Command {
		return procurement.WithdrawMunicipality{Reason: "the council cut the budget", AssessmentHash: awardHash("material change"), By: bergenMember, At: at}
	})
	x.run(hubReader.principal(), func(at time.Time) procurement.Command {
		return procurement.ApproveWithdrawal{Org: "bergen", By: hubReader.principal(), At: at}
	})
	t.Run("a_withdrawal_request_shows_its_approvals_to_the_case", func(t *testing.T) {
		for _, r := range []reader{bergenAdmin, leadReader, hubReader} {
			a := x.query(r.user, r.org, `query($id: ID!) { procurement(id: $id) { withdrawalRequests { organisation { id } reason approvedBy { id } withdrawn } } }`)
			if got := fmt.Sprint(a.list("procurement.withdrawalRequests")); got != "[map[approvedBy:[map[id:hub]] organisation:map[id:bergen] reason:the council cut the budget withdrawn:false]]" {
				t.Errorf("%s sees %s", r, got)
			}
		}
	})
	consensus := map[string]int{acme + "/price": 8, acme + "/quality": 8, nordic + "/price": 6, nordic + "/quality": 7}
	for _, k := range sortedKeys(consensus) {
		bid, crit, _ := strings.Cut(k, "/")
		x.run(lead, func(at time.Time) procurement.Command {
			return procurement.RecordConsensus{BidID: bid, Criterion: crit, Score: consensus[k], Rationale: "the panel agreed", By: lead, At: at}
		})
	}
	t.Run("the_consensus_is_for_the_lead_evaluators_and_auditors_until_the_report", func(t *testing.T) {
		for _, r := range []reader{leadReader, bergenEvaluator, osloEvaluator, auditorReader} {
			if n := consensusShown(x.query(r.user, r.org, evaluationQ)); n != 4 {
				t.Errorf("%s sees %d consensus scores, want 4", r, n)
			}
		}
		for _, r := range []reader{hubReader, bergenAdmin, osloAdmin} {
			a := x.query(r.user, r.org, evaluationQ)
			if n := consensusShown(a); n != 0 {
				t.Errorf("%s sees %d consensus scores before the report", r, n)
			}
			if got := a.list("procurement.rankings"); len(got) != 0 {
				t.Errorf("%s sees a ranking before the report: %v", r, got)
			}
		}
	})
	x.run(lead, func(at time.Time) procurement.Command {
		return procurement.FinalizeEvaluation{ReportHash: awardHash("report v1"), SignedBy: []string{"bergen-eva", "oslo-eva"}, By: lead, At: at}
	})
	t.Run("after_the_report_the_members_see_the_consensus_and_the_ranking_and_the_hub_does_not", func(t *testing.T) {
		for _, r := range []reader{bergenAdmin, osloAdmin, leadReader, bergenEvaluator, auditorReader} {
			a := x.query(r.user, r.org, evaluationQ)
			if n := consensusShown(a); n != 4 {
				t.Errorf("%s sees %d consensus scores after the report, want 4", r, n)
			}
			got, _ := json.Marshal(a.get("procurement.rankings"))
			want := fmt.Sprintf(`[{"lot":"L1","ranking":[{"bidId":%q,"price":"32.0000","quality":"48.0000","rank":1,"supplier":{"id":"acme"},"total":"80.0000"},`+
				`{"bidId":%q,"price":"24.0000","quality":"42.0000","rank":2,"supplier":{"id":"nordic"},"total":"66.0000"}],"reportVersion":1,"tieRule":"HIGHEST_QUALITY"}]`, acme, nordic)
			if string(got) != want {
				t.Errorf("%s sees the ranking %s, want %s", r, got, want)
			}
		}
		for _, r := range []reader{bergenAdmin, osloAdmin} {
			wantList(t, r, "scores of", seen(r), nil) // the report makes the consensus known, not each evaluator's scores
		}
		a := x.query(hubReader.user, hubReader.org, evaluationQ)
		if n, got := consensusShown(a), a.list("procurement.rankings"); n != 0 || len(got) != 0 {
			t.Errorf("the hub sees %d consensus scores and the ranking %v (DOMAIN.md §5: HC – on the report)", n, got)
		}
	})

	// The award under bergen's mandate, the notification and the standstill.
	x.at(awardDay(92, 9))
	x.run(lead, func(at time.Time) procurement.Command {
		return procurement.DecideAward{AwardID: "A1", Lot: "L1", BidID: acme, Value: "1000000", DecisionDocHash: awardHash("decision"), By: lead, At: at}
	})
	x.run(lead, func(at time.Time) procurement.Command {
		return procurement.SendAwardNotification{Channel: procurement.NotificationElectronic, ReasonsHash: awardHash("reasons"),
			Limits: x.cases.TimeLimits(), By: lead, At: at}
	})
	st := x.state()
	t.Run("the_award_status_shows_the_decision_and_the_exact_standstill_and_the_recipients_only_to_the_lead_and_auditors", func(t *testing.T) {
		for _, r := range []reader{leadReader, auditorReader, hubReader, bergenAdmin} {
			a := x.query(r.user, r.org, awardQ)
			if a.get("procurement.phase") != "STANDSTILL" || a.get("procurement.award.mode") != "JOINT" ||
				a.get("procurement.award.contractingMayStart") != false {
				t.Fatalf("%s: %+v", r, a.Data)
			}
			d := a.list("procurement.award.decisions")
			if len(d) != 1 || fmt.Sprint(d[0]) != "map[awardId:A1 buyers:[map[id:bergen] map[id:oslo]] decidedBy:map[id:oslo] lot:L1 mandateIds:[m-bergen] revoked:<nil> supplier:map[id:acme] value:1000000.00]" {
				t.Errorf("%s sees the decisions %v", r, d)
			}
			ss := a.get("procurement.award.standstill").(map[string]any)
			if ss["endsAt"] != st.Award.Standstill.EndsAt.Format(time.RFC3339Nano) || ss["timeZone"] != "Europe/Oslo" ||
				ss["endDate"] != st.Award.Standstill.Computation.EndDate || ss["why"] != st.Award.Standstill.Why() || ss["endedAt"] != nil {
				t.Errorf("%s sees the standstill %v", r, ss)
			}
			if why, _ := a.get("procurement.award.contractingBlockedBy").(string); !strings.Contains(why, "standstill runs until the end of "+st.Award.Standstill.Computation.EndDate) {
				t.Errorf("%s is told %q", r, why)
			}
			if a.get("procurement.award.notification.recipientCount") != float64(2) {
				t.Errorf("%s: notification %v", r, a.get("procurement.award.notification"))
			}
			recipients := ids2(a, "procurement.award.notification.recipients", "id")
			want := []string(nil)
			if r == leadReader || r == auditorReader {
				want = []string{"acme", "nordic"}
			}
			wantList(t, r, "notification recipients", recipients, want)
		}
	})

	// A suspensive complaint, then the review lets the standstill go on.
	x.at(awardDay(94, 9))
	hub := hubReader.principal()
	x.run(hub, func(at time.Time) procurement.Command {
		return procurement.RegisterComplaint{ComplaintID: "K-1", Complainant: "Nordic Vision AB", Forum: procurement.ForumKOFA,
			Grounds: "the quality scores are unreasoned", Suspensive: true, By: hub, At: at}
	})
	t.Run("a_suspensive_complaint_blocks_contracting_and_says_so", func(t *testing.T) {
		a := x.query(bergenAdmin.user, bergenAdmin.org, awardQ)
		if a.get("procurement.phase") != "SUSPENDED" || !strings.Contains(fmt.Sprint(a.get("procurement.award.contractingBlockedBy")), "complaint K-1") {
			t.Errorf("suspended: %+v", a.Data)
		}
		if c := fmt.Sprint(a.list("procurement.award.complaints")); c != "[map[complainant:Nordic Vision AB forum:KOFA id:K-1 resolution:<nil> suspension:map[previousPhase:STANDSTILL] suspensive:true]]" {
			t.Errorf("complaints: %s", c)
		}
	})
	x.run(hub, func(at time.Time) procurement.Command {
		return procurement.ResolveReview{ComplaintID: "K-1", Outcome: procurement.ReviewContinue, Ruling: "the complaint is dismissed", By: hub, At: at}
	})
	x.at(st.Award.Standstill.EndsAt.Add(time.Hour))
	x.run(platform, func(at time.Time) procurement.Command { return procurement.EndStandstill{By: platform, At: at} })
	// Oslo signs for itself (it holds no signContract mandate from bergen),
	// then bergen signs; call-offs, payments, effects, a milestone, a
	// deviation and the award notice follow.
	osloLead := lead
	bergenSigner := bergenAdmin.principal()
	terms := procurement.ContractTerms{Value: "1000000", StartDate: "2026-08-01", EndDate: "2028-07-31", Framework: true}
	t.Run("contracting_opens_with_every_buyer_to_sign", func(t *testing.T) {
		a := x.query(bergenAdmin.user, bergenAdmin.org, awardQ)
		if a.get("procurement.phase") != "CONTRACTING" || a.get("procurement.award.contractingMayStart") != true || a.get("procurement.award.contractingBlockedBy") != nil {
			t.Errorf("contracting: %+v", a.Data)
		}
		c := x.query(bergenAdmin.user, bergenAdmin.org, contractingQ)
		if got := fmt.Sprint(c.list("procurement.contracting.pendingSignatures")); got !=
			"[map[awardId:A1 buyer:map[id:bergen] contractId:<nil> signer:map[id:bergen]] map[awardId:A1 buyer:map[id:oslo] contractId:<nil> signer:map[id:oslo]]]" {
			t.Errorf("pending signatures: %s", got)
		}
	})
	x.at(awardDay(110, 9))
	x.run(osloLead, func(at time.Time) procurement.Command {
		return procurement.SignContract{ContractID: "K1", AwardID: "A1", Terms: terms, SignatureRef: "bankid-oslo-k1", By: osloLead, At: at}
	})
	t.Run("after_oslo_signs_bergen_still_must_sign_itself", func(t *testing.T) {
		c := x.query(hubReader.user, hubReader.org, contractingQ)
		k := c.list("procurement.contracting.contracts")
		if len(k) != 1 || fmt.Sprint(k[0].(map[string]any)["stillToSign"]) != "[map[buyer:map[id:bergen] signer:map[id:bergen]]]" ||
			k[0].(map[string]any)["signedAt"] != nil {
			t.Errorf("contract: %v", k)
		}
		if got := fmt.Sprint(c.list("procurement.contracting.pendingSignatures")); got != "[map[awardId:A1 buyer:map[id:bergen] contractId:K1 signer:map[id:bergen]]]" {
			t.Errorf("pending signatures: %s", got)
		}
	})
	x.at(awardDay(111, 9))
	x.run(bergenSigner, func(at time.Time) procurement.Command {
		return procurement.SignContract{ContractID: "K1", AwardID: "A1", Terms: terms, SignatureRef: "bankid-bergen-k1", By: bergenSigner, At: at}
	})
	oslo, bergen := osloAdmin.principal(), bergenAdmin.principal()
	for _, m := range []struct {
		p               app.Principal
		callOff, amount string
	}{{oslo, "250000", "250000"}, {bergen, "125000", "125000"}} {
		x.run(m.p, func(at time.Time) procurement.Command {
			return procurement.PlaceCallOff{CallOffID: "CO-" + m.p.Org, ContractID: "K1", Description: "sensors for " + m.p.Org, Value: m.callOff, By: m.p, At: at}
		})
		x.run(m.p, func(at time.Time) procurement.Command {
			return procurement.RecordPayment{PaymentID: "P-" + m.p.Org, ContractID: "K1", Amount: m.amount, PaidOn: "2026-06-19", By: m.p, At: at}
		})
	}
	effects := []procurement.RecordEffect{
		{MeasurementID: "E-oslo-1", KPI: "falls with injury", Unit: "per month", Baseline: "12.5", Value: "9.25", PeriodFrom: "2026-09-01", PeriodTo: "2026-09-30", Method: "incident register", By: oslo},
		{MeasurementID: "E-oslo-2", KPI: "falls with injury", Unit: "per month", Baseline: "12.5", Value: "8", PeriodFrom: "2026-10-01", PeriodTo: "2026-10-31", Method: "incident register", By: oslo},
		{MeasurementID: "E-bergen-1", KPI: "falls with injury", Unit: "per month", Baseline: "10", Value: "7.5", PeriodFrom: "2026-09-01", PeriodTo: "2026-09-30", Method: "incident register", By: bergen},
		{MeasurementID: "E-bergen-2", KPI: "response time", Unit: "minutes", Baseline: "14.0001", Value: "9.9999", PeriodFrom: "2026-09-01", PeriodTo: "2026-09-30", Method: "alarm log", By: bergen},
	}
	x.at(awardDay(250, 9))
	for _, e := range effects {
		x.run(e.By, func(at time.Time) procurement.Command { e.At = at; return e })
	}
	x.run(lead, func(at time.Time) procurement.Command {
		return procurement.RecordMilestone{MilestoneID: "M1", ContractID: "K1", Title: "pilot in two districts", Status: procurement.MilestoneMet, By: lead, At: at}
	})
	x.run(bergen, func(at time.Time) procurement.Command {
		return procurement.RecordDeviation{DeviationID: "D1", ContractID: "K1", Severity: procurement.SeverityLow, Description: "late delivery of 5 sensors", By: bergen, At: at}
	})
	x.run(lead, func(at time.Time) procurement.Command {
		return procurement.PublishAwardNotice{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2026-300400", Limits: x.cases.TimeLimits(), By: lead, At: at}
	})

	// The hub proposes to cancel; bergen votes against, which declines it under the unanimous rule.
	x.run(hubReader.principal(), func(at time.Time) procurement.Command {
		return procurement.CancelProcurement{Reason: "the market changed", By: hubReader.principal(), At: at}
	})
	x.run(bergenMember, func(at time.Time) procurement.Command {
		return procurement.RejectCancellation{Version: 1, Comment: "we need the sensors", By: bergenMember, At: at}
	})
	t.Run("a_cancellation_proposal_shows_its_votes_and_outcome", func(t *testing.T) {
		a := x.query(osloAdmin.user, osloAdmin.org, `query($id: ID!) { procurement(id: $id) { phase cancellationProposals { version reason proposedBy { id } rule approvals { id } rejections { id } status } } }`)
		if got := fmt.Sprint(a.get("procurement")); got != "map[cancellationProposals:[map[approvals:[] proposedBy:map[id:hub] reason:the market changed rejections:[map[id:bergen]] rule:UNANIMOUS status:DECLINED version:1]] phase:CONTRACT_ACTIVE]" {
			t.Errorf("cancellation: %s", got)
		}
	})
	t.Run("a_member_sees_only_its_own_call_offs_payments_and_effects_and_the_joint_totals", func(t *testing.T) {
		all := []string{"bergen", "oslo"}
		for _, c := range []struct {
			r    reader
			want []string
		}{{bergenAdmin, []string{"bergen"}}, {osloAdmin, []string{"oslo"}}, {leadReader, all}, {hubReader, all}, {auditorReader, all}} {
			a := x.query(c.r.user, c.r.org, contractingQ)
			wantList(t, c.r, "call-offs of", ids2(a, "procurement.contracting.callOffs", "organisation"), c.want)
			wantList(t, c.r, "payments of", ids2(a, "procurement.contracting.payments", "organisation"), c.want)
			wantList(t, c.r, "effects of", slices.Compact(ids2(a, "procurement.contracting.effects", "organisation")), c.want)
			if got := fmt.Sprint(a.list("procurement.contracting.effectTotals")); got !=
				"[map[count:3 kpi:falls with injury members:2 totalChange:-10.25 unit:per month] map[count:1 kpi:response time members:1 totalChange:-4.0002 unit:minutes]]" {
				t.Errorf("%s sees the totals %s", c.r, got)
			}
			tl := x.query(c.r.user, c.r.org, timelineQ)
			var orgs []string
			for _, e := range tl.list("procurement.timeline") {
				m := e.(map[string]any)
				if m["type"] == "CallOffPlaced" || m["type"] == "PaymentRecorded" || m["type"] == "EffectMeasured" {
					orgs = append(orgs, m["actor"].(map[string]any)["id"].(string))
				}
			}
			slices.Sort(orgs)
			wantList(t, c.r, "money rows in the timeline of", slices.Compact(orgs), c.want)
		}
		a := x.query(bergenAdmin.user, bergenAdmin.org, contractingQ)
		if got := fmt.Sprint(a.list("procurement.contracting.effects")); got != "[map[change:-2.5 id:E-bergen-1 organisation:map[id:bergen]] map[change:-4.0002 id:E-bergen-2 organisation:map[id:bergen]]]" {
			t.Errorf("bergen's effects: %s", got)
		}
		if got := fmt.Sprint(a.list("procurement.contracting.contracts")); got != "[map[buyers:[map[id:bergen] map[id:oslo]] id:K1 signatures:[map[covers:[map[id:oslo]] organisation:map[id:oslo] signatory:oslo-lead] map[covers:[map[id:bergen]] organisation:map[id:bergen] signatory:bergen-admin]] signedAt:"+awardDay(111, 9).Format(time.RFC3339Nano)+" stillToSign:[] terms:map[framework:true value:1000000.00]]]" {
			t.Errorf("contracts: %s", got)
		}
		for _, path := range []string{"milestones", "deviations", "awardNotice", "pendingSignatures"} {
			if got := fmt.Sprint(a.get("procurement.contracting." + path)); got != map[string]string{
				"milestones":        "[map[id:M1 status:MET]]",
				"deviations":        "[map[id:D1 recordedBy:map[id:bergen] severity:LOW]]",
				"awardNotice":       "map[channel:DOFFIN contractIds:[K1]]",
				"pendingSignatures": "[]",
			}[path] {
				t.Errorf("%s: %s", path, got)
			}
		}
	})

	t.Run("the_timeline_tells_the_case_in_plain_language_in_the_order_of_the_log", func(t *testing.T) {
		a := x.query(bergenAdmin.user, bergenAdmin.org, timelineQ)
		entries := a.list("procurement.timeline")
		last := -1.0
		for _, e := range entries {
			rev := e.(map[string]any)["revision"].(float64)
			if rev <= last {
				t.Fatalf("the timeline is not in the order of the log at revision %v", rev)
			}
			last = rev
		}
		s := timelineSentences(a)
		for _, want := range []string{
			"Bergen kommune signed the cooperation agreement v1 on 12 March 2026",
			"Oslo kommune decided the award of lot L1 to Acme Sensor AS on 1 June 2026",
			"Oslo kommune notified 2 tenderers of the award decision on 1 June 2026",
			"Bergen kommune signed contract K1 for Bergen kommune on 20 June 2026",
			"Bergen kommune saved its needs draft v1 on ",
			"Innkjøpshuben registered a complaint by Nordic Vision AB to KOFA with suspensive effect on 3 June 2026",
			"The standstill started; it ends at midnight at the end of 2026-06-11 (Europe/Oslo) on 1 June 2026",
			"Bergen kommune asked to withdraw from the procurement on 31 May 2026",
			"Innkjøpshuben approved the withdrawal of Bergen kommune on 31 May 2026",
			"Innkjøpshuben proposed to cancel the procurement (proposal 1): the market changed on 6 November 2026",
			"Bergen kommune voted against cancellation proposal 1 on 6 November 2026",
			"The members declined cancellation proposal 1 on 6 November 2026",
		} {
			if !strings.Contains(s, want) {
				t.Errorf("the timeline lacks %q:\n%s", want, s)
			}
		}
	})
	t.Run("a_members_private_draft_is_in_its_own_timeline_only", func(t *testing.T) {
		for _, r := range []reader{leadReader, osloAdmin, hubReader, auditorReader} {
			if types := timelineTypes(x.query(r.user, r.org, timelineQ)); slices.Contains(types, "NeedsDraftSaved") {
				t.Errorf("%s sees bergen's private draft in the timeline", r)
			}
		}
	})
	t.Run("the_timeline_shows_scores_once_locked_to_those_who_may_see_them", func(t *testing.T) {
		for _, c := range []struct {
			r    reader
			want int
		}{{leadReader, 8}, {auditorReader, 8}, {bergenEvaluator, 8}, {osloEvaluator, 8}, {bergenAdmin, 0}, {osloAdmin, 0}, {hubReader, 0}} {
			if n := strings.Count(strings.Join(timelineTypes(x.query(c.r.user, c.r.org, timelineQ)), " "), "BidScored"); n != c.want {
				t.Errorf("%s sees %d scores in the timeline, want %d", c.r, n, c.want)
			}
		}
		if s := timelineSentences(x.query(leadReader.user, leadReader.org, timelineQ)); !strings.Contains(s,
			"bergen-eva scored the tender of Acme Sensor AS on price: 8 on 31 May 2026") {
			t.Errorf("the lead's timeline words a score as:\n%s", s)
		}
	})
	t.Run("a_supplier_never_reaches_the_case", func(t *testing.T) {
		if a := x.query("acme-sales", "acme", awardQ); a.get("procurement") != nil {
			t.Errorf("acme sees the case: %+v", a.Data)
		}
	})
}

// Every event type the case registers must read as a sentence, or the
// timeline would silently drop it.
func TestEveryRegisteredEventTypeHasASentence(t *testing.T) {
	reg := procurement.Events()
	w := newSentenceWriter(procurement.State{Jurisdiction: procurement.JurisdictionNO}, []organisations.Organisation{{ID: "oslo", Name: "Oslo kommune"}})
	at := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	names := reg.Names()
	if len(names) < 80 {
		t.Fatalf("only %d event types registered", len(names))
	}
	for _, name := range names {
		ev, ok, err := reg.Decode(name, reg.Version(name), []byte(`{}`))
		if err != nil || !ok {
			t.Fatalf("decode an empty %s: %v", name, err)
		}
		s, ok := w.sentence(ev, "oslo", at)
		if !ok || !strings.HasSuffix(s, " on 3 March 2026") || s == " on 3 March 2026" {
			t.Errorf("%s has no sentence: %q", name, s)
		}
	}
}

// The qualification rules on a folded case (a two-stage procedure is long to
// drive through commands; the rules only need the state).
func TestQualificationViewsPerRole(t *testing.T) {
	s := procurement.Decider.Initial()
	for _, ev := range []procurement.Event{
		procurement.CaseCreated{ID: "c", Hub: "hub", Jurisdiction: procurement.JurisdictionNO},
		procurement.MunicipalityInvited{Org: "oslo"}, procurement.MunicipalityInvited{Org: "bergen"},
		procurement.MunicipalityJoined{Org: "oslo"}, procurement.MunicipalityJoined{Org: "bergen"},
		procurement.LeadAuthorityDesignated{Lead: "oslo"},
		procurement.QualificationAssessed{SubmissionID: "r1", Supplier: "acme", Qualified: true},
		procurement.QualificationAssessed{SubmissionID: "r2", Supplier: "nordic", Qualified: false, Grounds: "no references"},
	} {
		s = procurement.Decider.Evolve(s, ev)
	}
	round := procurement.NegotiationRoundHeld{Round: 1, Supplier: "acme", MinutesHash: awardHash("minutes acme 1")}
	access := func(r reader, everything, leadSealed bool, s procurement.State) awardAccess {
		return newAwardAccess(tenderAccess{p: r.principal(), everything: everything, caseOrg: true, lead: r.org == "oslo", leadSealed: leadSealed}, s)
	}
	readers := []struct {
		r                      reader
		everything, leadSealed bool
		lead                   bool // the lead or an auditor
	}{{leadReader, false, true, true}, {auditorReader, true, false, true}, {osloAdmin, false, false, false},
		{bergenAdmin, false, false, false}, {hubReader, false, false, false}}
	for _, c := range readers {
		a := access(c.r, c.everything, c.leadSealed, s)
		q := qualificationViewResolver{a: a}
		if got := len(q.Assessments()); (got == 2) != c.lead {
			t.Errorf("%s sees %d assessments before the invitation", c.r, got)
		}
		if a.seesEvent(round) != c.lead {
			t.Errorf("%s: the negotiation minutes (COMMERCIAL_CONF) in the timeline: %v", c.r, a.seesEvent(round))
		}
	}
	s = procurement.Decider.Evolve(s, round)
	s = procurement.Decider.Evolve(s, procurement.CandidatesInvited{Invited: []string{"acme"}, Next: procurement.PhaseNegotiation,
		NotInvited: []procurement.NotInvited{}})
	for _, c := range readers {
		q := qualificationViewResolver{a: access(c.r, c.everything, c.leadSealed, s)}
		if got := len(q.Assessments()); got != 2 {
			t.Errorf("%s sees %d assessments after the invitation, want 2", c.r, got)
		}
		if got := len(q.NegotiationRounds()); (got == 1) != c.lead {
			t.Errorf("%s sees %d negotiation rounds", c.r, got)
		}
	}
}

// ConsensusScoreRecorded carries each evaluator's individual score, yet its
// class is CASE_INTERNAL: any reader that filters events by class alone (the
// history and export of issue 7) would show the hub and the members other
// evaluators' scores, which DOMAIN.md §5 gives them never ("See other
// evaluators' scores": MA –). The timeline words the event without them.
func TestConsensusEventKeepsIndividualScoresFromMembers(t *testing.T) {
	ev := procurement.ConsensusScoreRecorded{BidID: "b", Criterion: "quality", Score: 7,
		Individual: []procurement.IndividualScore{{Evaluator: "bergen-eva", Score: 6}, {Evaluator: "oslo-eva", Score: 8}}}
	if procurement.VisibleTo(ev, "bergen") {
		t.Fatal("a by-class reader would show members the individual scores behind a consensus")
	}
}

// A member's call-offs, payments and effects are its own (DOMAIN.md §5
// "Call-off, payments, KPI reporting": MA W(own), HC, LO and AU R), yet their
// class is CASE_INTERNAL, which admits every member: a by-class reader would
// show one member another's. The API's fields and timeline apply the rule.
func TestMemberMoneyEventsAreNotForOtherMembers(t *testing.T) {
	for _, ev := range []procurement.Event{
		procurement.CallOffPlaced{CallOffID: "c", ContractID: "K1", Org: "oslo", Value: "1.00"},
		procurement.PaymentRecorded{PaymentID: "p", ContractID: "K1", Org: "oslo", Amount: "1.00"},
		procurement.EffectMeasured{MeasurementID: "e", Org: "oslo", KPI: "k", Unit: "u", Baseline: "1", Value: "2"},
	} {
		if procurement.VisibleTo(ev, "bergen") || !procurement.VisibleTo(ev, "oslo") {
			t.Fatalf("%s: a member sees its own row and never another's", ev.EventType())
		}
	}
}
