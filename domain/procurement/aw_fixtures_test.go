package procurement_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// Fixtures of the award, the standstill, the review, the contracts, the
// follow-up and the early endings (issue 6). Every helper is prefixed aw.
//
// The case is tdTendering's open procedure under Norwegian EEA rules: oslo
// leads, bergen is the other member, both buy lot-1 and approve unanimously.
// acme tenders b1 and nordic b2 on day 60; receipt closes on day 90 at 10:00
// UTC and the lead opens at 11:00. eva@bergen evaluates; b1 ranks first. The
// report is finalised on day 92, the award decided on day 93 (2025-06-03),
// the notification sent on day 96 (Friday 2025-06-06), so the ten-day
// standstill ends at midnight at the end of Monday 2025-06-16, Oslo time.
// The histories are built by running the commands through the Decider.

const (
	awLot       = "lot-1"
	awEvaluator = "eva@bergen"
	awMandateID = "aw-bergen"
	awReason    = "the budget was withdrawn by the county council"
)

var (
	awDecisionHash   = tdHashOf("award decision")
	awReasonsHash    = tdHashOf("reasons for the award")
	awReportHash     = tdHashOf("evaluation report")
	awRulingHash     = tdHashOf("the ruling")
	awAssessmentHash = tdHashOf("phase assessment")
	awLessonsHash    = tdHashOf("lessons learned")
	awMaterialHash   = tdHashOf("material-change assessment")
)

// awStandstillEnd is the end of the standstill of a notification sent on day 94, 95 or
// 96: the last instant of 2025-06-16 in Oslo.
func awStandstillEnd(t testing.TB) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(2025, 6, 16, 23, 59, 59, 999_999_999, loc).UTC()
}

// --- actors ---

func awLeadBy() actor.Actor      { return tdLeadBy() }
func awMemberBy() actor.Actor    { return actor.Actor{User: "mayor@bergen", Org: tdMember} }
func awEvaluatorBy() actor.Actor { return actor.Actor{User: awEvaluator, Org: tdMember} }
func awHubBy() actor.Actor       { return by(hub) }
func awStrangerBy() actor.Actor  { return by("tromso") }

// --- histories ---

// awTerms changes the agreement terms the case was concluded on.
type awTerms func(*procurement.AgreementTerms)

func awAward(rule procurement.DecisionRule) awTerms {
	return func(t *procurement.AgreementTerms) { t.DecisionRules.Award = rule }
}

func awSigning(m procurement.SigningModel) awTerms {
	return func(t *procurement.AgreementTerms) { t.SigningModel = m }
}

func awProcedureRule(rule procurement.DecisionRule) awTerms {
	return func(t *procurement.AgreementTerms) { t.DecisionRules.Procedure = rule }
}

// awWithTerms rewrites the drafted agreement of a history with changed terms.
func awWithTerms(h []procurement.Event, mods ...awTerms) []procurement.Event {
	out := slices.Clone(h)
	for i, e := range out {
		if d, ok := e.(procurement.CooperationAgreementDrafted); ok {
			for _, m := range mods {
				m(&d.Terms)
			}
			out[i] = d
		}
	}
	return out
}

// awMandate is bergen's mandate to oslo for the acts after the evaluation.
func awMandate(scopes ...procurement.Scope) procurement.Event {
	return procurement.MandateGranted{MandateID: awMandateID, From: tdMember, To: tdLead, Scope: scopes, ValidUntil: "2027-12-31"}
}

// awAllScopes are the scopes the award, the signature and the contract
// management need.
var awAllScopes = []procurement.Scope{procurement.ScopeDecideAward, procurement.ScopeSignContract, procurement.ScopeManageContract}

// awPhases is the innovation partnership's phase plan.
func awPhases() procurement.PartnershipPhasesDefined {
	return procurement.PartnershipPhasesDefined{Version: 1, Phases: []procurement.PartnershipPhase{
		{ID: "p1", Goal: "prototype", IntermediateTargets: []string{"detects a slide", "warns within 30 s"}, MaxCost: "500000", Due: "2025-09-30"},
		{ID: "p2", Goal: "pilot on two roads", IntermediateTargets: []string{"one winter without a miss"}, MaxCost: "1500000", Due: "2026-03-31"},
	}, PurchaseConditions: procurement.PurchaseConditions{PerformanceLevel: "no miss in a winter", MaxCost: "3000000"}}
}

// awPartnership turns a history into an innovation partnership with
// awPhases' phase plan. The follow-up rules read only the procedure and the
// phase plan, so the tender round stays the open procedure's single round.
func awPartnership(h []procurement.Event) []procurement.Event {
	var out []procurement.Event
	for _, e := range h {
		if _, ok := e.(procurement.ProcedureSelected); ok {
			out = append(out, tdProcedure(timelimits.InnovationPartnership), awPhases())
			continue
		}
		out = append(out, e)
	}
	return out
}

// awTendering is tdTendering's history with changed agreement terms.
func awTendering(mods ...awTerms) []procurement.Event {
	return awWithTerms(tdTendering(tdPlan()), mods...)
}

// awClosed closes receipt on h with acme's b1 and nordic's b2.
func awClosed(h []procurement.Event) []procurement.Event {
	plan := tdPlan()
	return tdThen(h, tdBid("b1", tdSupplier), tdBid("b2", tdOther),
		procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: plan.TenderDeadline, ClosedAt: plan.TenderDeadline,
			Submissions: []string{"b1", "b2"}, PerLot: map[string]int{awLot: 2}})
}

// awRun runs commands through the Decider on h and returns h with their events.
func awRun(t testing.TB, h []procurement.Event, cmds ...procurement.Command) []procurement.Event {
	t.Helper()
	out := slices.Clip(h)
	s := procurement.Decider.Fold(out)
	for _, c := range cmds {
		events, err := procurement.Decider.Decide(s, c)
		if err != nil {
			t.Fatalf("%T: %v", c, err)
		}
		for _, e := range events {
			s = procurement.Decider.Evolve(s, e)
		}
		out = append(out, events...)
	}
	return out
}

// awOpened opens b1 and b2: the case is in EVALUATION.
func awOpened(t testing.TB, h []procurement.Event) []procurement.Event {
	t.Helper()
	return awRun(t, awClosed(h), procurement.OpenBids{Verified: map[string]string{"b1": tdHashOf("b1"), "b2": tdHashOf("b2")}, By: awLeadBy(), At: tdAt(90, 11)})
}

// awScored: eva declared no conflict, scored both tenders (b1 ahead) and
// locked; the lead recorded the consensus.
func awScored(t testing.TB, h []procurement.Event) []procurement.Event {
	t.Helper()
	eva, lead := awEvaluatorBy(), awLeadBy()
	scores := []struct {
		bid, criterion string
		score          int
	}{{"b1", "price", 8}, {"b1", "quality", 9}, {"b2", "price", 6}, {"b2", "quality", 5}}
	cmds := []procurement.Command{procurement.DeclareConflictOfInterest{By: eva, At: tdAt(91, 8)}}
	for _, sc := range scores {
		cmds = append(cmds, procurement.ScoreBid{BidID: sc.bid, Criterion: sc.criterion, Score: sc.score, Justification: "as the tender shows", By: eva, At: tdAt(91, 9)})
	}
	cmds = append(cmds, procurement.LockScores{By: eva, At: tdAt(91, 12)})
	for _, sc := range scores {
		cmds = append(cmds, procurement.RecordConsensus{BidID: sc.bid, Criterion: sc.criterion, Score: sc.score, Rationale: "the panel agrees", By: lead, At: tdAt(91, 14)})
	}
	return awRun(t, awOpened(t, h), cmds...)
}

// awFinalize is the lead finalising the evaluation report.
func awFinalize() procurement.FinalizeEvaluation {
	return procurement.FinalizeEvaluation{ReportHash: awReportHash, SignedBy: []string{"officer@oslo"}, By: awLeadBy(), At: tdAt(92, 9)}
}

// awEvaluatedFrom finalises the evaluation of tendering history h.
func awEvaluatedFrom(t testing.TB, h []procurement.Event) []procurement.Event {
	t.Helper()
	return awRun(t, awScored(t, h), awFinalize())
}

// awEvaluated: the report is finalised, bergen's mandate covers the award, the
// signature and the contract management.
func awEvaluated(t testing.TB, mods ...awTerms) []procurement.Event {
	t.Helper()
	return awEvaluatedFrom(t, tdThen(awTendering(mods...), awMandate(awAllScopes...)))
}

// --- commands ---

func awDecide(a actor.Actor, id, bid string) procurement.DecideAward {
	return procurement.DecideAward{AwardID: id, Lot: awLot, BidID: bid, Value: "750000", DecisionDocHash: awDecisionHash, By: a, At: tdAt(93, 9)}
}

func awNotifyAt(t testing.TB, ch procurement.NotificationChannel, at time.Time) procurement.SendAwardNotification {
	return procurement.SendAwardNotification{Channel: ch, ReasonsHash: awReasonsHash, Limits: tdLimits(t), By: awLeadBy(), At: at}
}

func awNotify(t testing.TB) procurement.SendAwardNotification {
	return awNotifyAt(t, procurement.NotificationElectronic, tdAt(96, 9))
}

func awEnd(at time.Time) procurement.EndStandstill {
	return procurement.EndStandstill{By: tdSystem(), At: at}
}

// awAfterStandstill is the first moment after the standstill.
func awAfterStandstill(t testing.TB) time.Time { return awStandstillEnd(t).Add(time.Nanosecond) }

func awContractTerms() procurement.ContractTerms {
	return procurement.ContractTerms{Value: "750000.00", StartDate: "2025-07-01", EndDate: "2027-06-30", Framework: true}
}

func awSign(a actor.Actor, contract, award string) procurement.SignContract {
	return procurement.SignContract{ContractID: contract, AwardID: award, Terms: awContractTerms(), SignatureRef: "bankid-" + a.User,
		By: a, At: tdAt(110, 9)}
}

func awComplaint(id string, suspensive bool) procurement.RegisterComplaint {
	return procurement.RegisterComplaint{ComplaintID: id, Complainant: "nordic", Forum: procurement.ForumKOFA,
		Grounds: "the price was scored wrongly", Suspensive: suspensive, By: awLeadBy(), At: tdAt(98, 9)}
}

func awInterim(id string) procurement.RegisterInterimMeasure {
	return procurement.RegisterInterimMeasure{ComplaintID: id, Ruling: "contracting is suspended until the ruling", DocHash: awRulingHash,
		By: awLeadBy(), At: tdAt(99, 9)}
}

func awResolve(id string, o procurement.ReviewOutcome) procurement.ResolveReview {
	return procurement.ResolveReview{ComplaintID: id, Outcome: o, Ruling: "the board ruled", DocHash: awRulingHash, By: awHubBy(), At: tdAt(104, 9)}
}

// --- the usual states ---

// awDecided: the lead decided a1 for b1 under bergen's mandate (AWARD_DECIDED).
func awDecided(t testing.TB, mods ...awTerms) []procurement.Event {
	t.Helper()
	return awRun(t, awEvaluated(t, mods...), awDecide(awLeadBy(), "a1", "b1"))
}

// awStandstill: the notification is sent on day 96 (STANDSTILL).
func awStandstill(t testing.TB, mods ...awTerms) []procurement.Event {
	t.Helper()
	return awRun(t, awDecided(t, mods...), awNotify(t))
}

// awContracting: the standstill is over (CONTRACTING).
func awContracting(t testing.TB, mods ...awTerms) []procurement.Event {
	t.Helper()
	return awRun(t, awStandstill(t, mods...), awEnd(awAfterStandstill(t)))
}

// awActive: the lead signed k1 for both buyers (CONTRACT_ACTIVE).
func awActive(t testing.TB, mods ...awTerms) []procurement.Event {
	t.Helper()
	return awRun(t, awContracting(t, mods...), awSign(awLeadBy(), "k1", "a1"))
}

// awActiveFrom runs the award and the signature on an evaluated history.
func awActiveFrom(t testing.TB, h []procurement.Event) []procurement.Event {
	t.Helper()
	return awRun(t, h, awDecide(awLeadBy(), "a1", "b1"), awNotify(t), awEnd(awAfterStandstill(t)), awSign(awLeadBy(), "k1", "a1"))
}

// awPartnershipActive: an innovation partnership under contract k1.
func awPartnershipActive(t testing.TB) []procurement.Event {
	t.Helper()
	return awActiveFrom(t, awEvaluatedFrom(t, tdThen(awPartnership(awTendering()), awMandate(awAllScopes...))))
}

// --- checks ---

// awFold folds a history.
func awFold(t testing.TB, h []procurement.Event) procurement.State {
	t.Helper()
	return fold(t, h)
}

// awPhase checks the phase of a history.
func awPhase(t testing.TB, h []procurement.Event, want procurement.Phase) {
	t.Helper()
	if got := awFold(t, h).Phase; got != want {
		t.Fatalf("phase %s, want %s", got, want)
	}
}

// awRefused checks cmd is refused on h with want (no events) and that the
// message names every one of words.
func awRefused(t *testing.T, h []procurement.Event, cmd procurement.Command, want error, words ...string) {
	t.Helper()
	estest.For(t, procurement.Decider).Given(h...).When(cmd).ThenError(want)
	_, err := procurement.Decider.Decide(awFold(t, h), cmd)
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Fatalf("error %q does not name %q", err, w)
		}
	}
}

// awDecideOn returns the events cmd produces on h.
func awDecideOn(t testing.TB, h []procurement.Event, cmd procurement.Command) []procurement.Event {
	t.Helper()
	events, err := procurement.Decider.Decide(awFold(t, h), cmd)
	if err != nil {
		t.Fatalf("%T: %v", cmd, err)
	}
	return events
}

// awStandstillRule is the Norwegian EEA standstill with the channel applied.
func awStandstillRule(t testing.TB, ch procurement.NotificationChannel) timelimits.Rule {
	t.Helper()
	r, err := tdLimits(t).Rule(timelimits.NO, timelimits.EUAbove, timelimits.Open, timelimits.Standstill)
	if err != nil {
		t.Fatal(err)
	}
	conds := []timelimits.Condition{timelimits.ESubmission}
	if ch == procurement.NotificationElectronic {
		conds = append(conds, timelimits.ElectronicNotice)
	}
	return r.With(conds...)
}
