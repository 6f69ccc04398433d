package procurement_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// Fixtures of qualification, negotiation, evaluation and ranking (issue 6),
// prefixed ev. The case is the tender fixtures' one: oslo leads, bergen is the
// other member, eva@bergen is the appointed evaluator. Histories are built by
// running commands through the Decider wherever the step has a command, so
// they stay valid as the rules change; only the design (before the notice)
// and the ends of a case (cancellation, an award) are folded as events.
//
// Two-stage procedures use evPlan: the notice on day 50, requests until day 85
// 10:00 UTC, opened at 11:00, assessed at 12:00, the candidates invited at
// 14:00; tenders until day 116 10:00, opened at 11:00. The candidates are
// acme, fjord, nordic and polar. Negotiations end with a call on day 100 for
// final tenders by day 131 10:00.
//
// Evaluations use the open procedure of tdPlan (tenders until day 90 10:00,
// opened at 11:00); declarations on day 91, scores on day 92, locks on day 93,
// consensus on day 94, the report on day 95.

const (
	evAcme   = "acme"
	evFjord  = "fjord"
	evNordic = "nordic"
	evPolar  = "polar"
)

// evReasonLeftOut is the reason a qualified candidate is not invited.
const evReasonLeftOut = "lower selection score than the candidates invited"

// evJustification is what evaluators write for every score in the fixtures.
const evJustification = "meets the functional requirements with a documented margin"

var (
	evMinutesHash = tdHashOf("minutes of the negotiation meeting")
	evReportHash  = tdHashOf("evaluation report")
	evDecisionDoc = tdHashOf("award decision")
)

// --- times ---

var (
	evOpenedAt     = tdAt(85, 11)
	evAssessedAt   = tdAt(85, 12)
	evInvitedAt    = tdAt(85, 14)
	evRoundAt      = tdAt(95, 9)
	evFinalCallAt  = tdAt(100, 9)
	evFinalDue     = tdAt(131, 10)
	evDeclaredAt   = tdAt(91, 9)
	evScoredAt     = tdAt(92, 9)
	evLockedAt     = tdAt(93, 9)
	evConsensusAt  = tdAt(94, 9)
	evFinalizedAt  = tdAt(95, 9)
	evClarifiedAt  = tdAt(92, 12)
	evAnsweredAt   = tdAt(93, 12)
	evRejectedAt   = tdAt(92, 15)
	evEliminatedAt = tdAt(96, 9)
)

// evPlan is the two-stage timetable.
func evPlan() procurement.TimetablePlan {
	return procurement.TimetablePlan{NoticeAt: tdAt(50, 9), QACutoff: tdAt(60, 12), RequestDeadline: tdAt(85, 10),
		TenderDeadline: tdAt(116, 10), OpeningAt: tdAt(116, 11)}
}

// --- people ---

// evEva is the evaluator of the tender fixtures.
func evEva() actor.Actor { return actor.Actor{User: "eva@bergen", Org: tdMember} }

// evOla is a second evaluator, from the lead, when a scenario appoints him.
func evOla() actor.Actor { return actor.Actor{User: "ola@oslo", Org: tdLead} }

// evSignedBy are the persons who sign the evaluation report.
var evSignedBy = []string{"eva@bergen", "officer@oslo"}

// --- history editing ---

// evEdit is h with every event passed through change, which may replace it
// by any number of events.
func evEdit(h []procurement.Event, change func(procurement.Event) []procurement.Event) []procurement.Event {
	var out []procurement.Event
	for _, e := range h {
		out = append(out, change(e)...)
	}
	return out
}

// evThen appends events to a history without changing it.
func evThen(h []procurement.Event, more ...procurement.Event) []procurement.Event {
	return append(slices.Clip(h), more...)
}

// evRun decides the commands one after the other from h, folding in what
// each produced, and returns h with every event produced.
func evRun(t testing.TB, h []procurement.Event, cmds ...procurement.Command) []procurement.Event {
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

// evDecide decides c against h and returns its events, failing on an error.
func evDecide(t testing.TB, h []procurement.Event, c procurement.Command) []procurement.Event {
	t.Helper()
	got, err := procurement.Decider.Decide(procurement.Decider.Fold(h), c)
	if err != nil {
		t.Fatalf("%T: %v", c, err)
	}
	return got
}

// evCancelled is h ended by a cancellation.
func evCancelled(h []procurement.Event) []procurement.Event {
	s := procurement.Decider.Fold(h)
	return evThen(h, procurement.ProcurementCancelled{Reason: "the need is covered by a national agreement", PreviousPhase: s.Phase})
}

// --- submissions ---

// evSubmit is supplier org's sealed submission id for lots (lot-1 if none), at at.
func evSubmit(id, org string, at time.Time, lots ...string) procurement.SubmitBid {
	if len(lots) == 0 {
		lots = []string{"lot-1"}
	}
	return procurement.SubmitBid{BidID: id, Lots: lots, SHA256: tdHashOf(id), CiphertextRef: "sealed:" + id, SizeBytes: 1024,
		SupplierKind: tdSupplierKind, By: tdSup(org), At: at}
}

// evOpen is the lead opening the closed round at at, every hash correct.
func evOpen(h []procurement.Event, at time.Time) procurement.OpenBids {
	s := procurement.Decider.Fold(h)
	verified := map[string]string{}
	for id, b := range s.Tendering.Bids {
		verified[id] = b.SHA256
	}
	return procurement.OpenBids{Verified: verified, By: tdLeadBy(), At: at}
}

// evCloseAndOpen closes receipt at the current round's deadline and opens it at openAt.
func evCloseAndOpen(t testing.TB, h []procurement.Event, openAt time.Time) []procurement.Event {
	t.Helper()
	deadline := procurement.Decider.Fold(h).Tendering.Deadline
	h = evRun(t, h, procurement.CloseReceipt{By: tdSystem(), At: deadline})
	return evRun(t, h, evOpen(h, openAt))
}

// --- two-stage procedures ---

// evSelection are the selection criteria of the two-stage fixtures.
var evSelection = []procurement.SelectionCriterion{
	{ID: "sc-finance", Text: "An annual turnover of at least 2 MNOK", Evidence: "annual accounts"},
	{ID: "sc-references", Text: "Two references from comparable deliveries", Evidence: "reference letters"},
}

// evProcedure is procedure p with at least min and at most max candidates (0 = the law's default, no maximum).
func evProcedure(p timelimits.Procedure, min, max int) procurement.ProcedureSelected {
	e := tdProcedure(p)
	e.MinCandidates, e.MaxCandidates = min, max
	return e
}

// evTwoStageApproved is the case designed with procedure sel, evPlan and the
// selection criteria, its documents approved.
func evTwoStageApproved(sel procurement.ProcedureSelected) []procurement.Event {
	return evEdit(tdApproved(evPlan()), func(e procurement.Event) []procurement.Event {
		switch q := e.(type) {
		case procurement.ProcedureSelected:
			return []procurement.Event{sel}
		case procurement.QualificationCriteriaDefined:
			q.SelectionCriteria = evSelection
			return []procurement.Event{q}
		}
		return []procurement.Event{e}
	})
}

// evPublish is the lead publishing the approved documents on day 50.
func evPublish(t testing.TB) procurement.PublishContractNotice {
	return procurement.PublishContractNotice{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-200300",
		DocumentHash: tdDocsHash, Limits: tdLimits(t), By: tdLeadBy(), At: tdAt(50, 9)}
}

// evReq is the ID of candidate org's request to participate.
func evReq(org string) string { return "req-" + org }

// evRequestsReceived is the two-stage case with the candidates' requests in,
// received a day apart from day 60 in the order given, receipt still open.
func evRequestsReceived(t testing.TB, sel procurement.ProcedureSelected, candidates ...string) []procurement.Event {
	t.Helper()
	cmds := []procurement.Command{evPublish(t)}
	for i, org := range candidates {
		cmds = append(cmds, evSubmit(evReq(org), org, tdAt(60+i, 9)))
	}
	return evRun(t, evTwoStageApproved(sel), cmds...)
}

// evRequests is the same with receipt closed and the requests opened: the
// case is in QUALIFICATION.
func evRequests(t testing.TB, sel procurement.ProcedureSelected, candidates ...string) []procurement.Event {
	t.Helper()
	return evCloseAndOpen(t, evRequestsReceived(t, sel, candidates...), evOpenedAt)
}

// evAssess is the lead's assessment of org's request: every selection
// criterion met, or the turnover not met with grounds.
func evAssess(org string, qualified bool) procurement.AssessQualification {
	c := procurement.AssessQualification{SubmissionID: evReq(org), Qualified: qualified, By: tdLeadBy(), At: evAssessedAt,
		Results: []procurement.CriterionResult{{Criterion: "sc-finance", Met: true}, {Criterion: "sc-references", Met: true}}}
	if !qualified {
		c.Results[0] = procurement.CriterionResult{Criterion: "sc-finance", Met: false, Note: "turnover 1.2 MNOK"}
		c.Grounds, c.LegalBasis = "the turnover is below the required 2 MNOK", "FOA § 16-5"
	}
	return c
}

// evAssessed is the event of evAssess.
func evAssessed(org string, qualified bool) procurement.QualificationAssessed {
	c := evAssess(org, qualified)
	results := slices.Clone(c.Results)
	return procurement.QualificationAssessed{SubmissionID: c.SubmissionID, Supplier: org, Qualified: qualified, Results: results,
		Grounds: c.Grounds, LegalBasis: c.LegalBasis, AssessedAt: c.At}
}

// evQualified is evRequests of every candidate with each assessed: qualified
// unless named in notQualified.
func evQualified(t testing.TB, sel procurement.ProcedureSelected, candidates []string, notQualified ...string) []procurement.Event {
	t.Helper()
	var cmds []procurement.Command
	for _, org := range candidates {
		cmds = append(cmds, evAssess(org, !slices.Contains(notQualified, org)))
	}
	return evRun(t, evRequests(t, sel, candidates...), cmds...)
}

// evInvite is the lead inviting these candidates on day 85, with a reason for
// every other candidate of the fixtures.
func evInvite(t testing.TB, invited ...string) procurement.InviteCandidates {
	c := procurement.InviteCandidates{Invited: invited, Limits: tdLimits(t), By: tdLeadBy(), At: evInvitedAt}
	for _, org := range []string{evAcme, evFjord, evNordic, evPolar} {
		if !slices.Contains(invited, org) {
			c.NotInvited = append(c.NotInvited, procurement.NotInvited{Supplier: org, Reason: evReasonLeftOut})
		}
	}
	return c
}

// evNegotiation is procedure p (CPN, CD or IP, at least 3 candidates) with
// acme, nordic and polar qualified and invited: the case is in NEGOTIATION.
func evNegotiation(t testing.TB, p timelimits.Procedure) []procurement.Event {
	t.Helper()
	h := evQualified(t, evProcedure(p, 3, 0), []string{evAcme, evNordic, evPolar})
	return evRun(t, h, evInvite(t, evAcme, evNordic, evPolar))
}

// evRestrictedInvited is the restricted procedure with acme, nordic and polar
// qualified and invited to tender by the timetable's deadline; fjord was not
// qualified.
func evRestrictedInvited(t testing.TB) []procurement.Event {
	t.Helper()
	h := evQualified(t, evProcedure(timelimits.Restricted, 3, 0), []string{evAcme, evFjord, evNordic, evPolar}, evFjord)
	return evRun(t, h, evInvite(t, evAcme, evNordic, evPolar))
}

// evRound is the lead recording round n with supplier, changing the requirements listed.
func evRound(n int, supplier string, changes ...string) procurement.HoldNegotiationRound {
	return procurement.HoldNegotiationRound{Round: n, Supplier: supplier, MinutesHash: evMinutesHash, RequirementsChanged: changes,
		By: tdLeadBy(), At: evRoundAt}
}

// evEliminate is the lead eliminating supplier's solution.
func evEliminate(supplier string) procurement.EliminateParticipant {
	return procurement.EliminateParticipant{Supplier: supplier, Reason: "the solution cannot meet the minimum requirements",
		By: tdLeadBy(), At: evEliminatedAt}
}

// evCallFinal is the lead calling for final tenders by deadline.
func evCallFinal(t testing.TB, deadline time.Time) procurement.CallForFinalTenders {
	return procurement.CallForFinalTenders{Deadline: deadline, Limits: tdLimits(t), By: tdLeadBy(), At: evFinalCallAt}
}

// evMinimum is the computation of the TENDERS_AFTER_INVITATION period of
// procedure p sent at from, as the case stores it.
func evMinimum(t testing.TB, p timelimits.Procedure, from time.Time) *timelimits.Computation {
	t.Helper()
	e := tdProcedure(p)
	rule, err := tdLimits(t).Rule(timelimits.NO, e.Regime, p, timelimits.TendersAfterInvitation)
	if err != nil {
		t.Fatal(err)
	}
	_, c, err := timelimits.EarliestEnd(rule.With(e.Conditions...), from)
	if err != nil {
		t.Fatal(err)
	}
	return &c
}

// --- evaluation ---

// evCriterion is a criterion of type typ weighing weightBP basis points, scored min–max.
func evCriterion(id string, typ procurement.CriterionType, weightBP, min, max int) procurement.AwardCriterion {
	return procurement.AwardCriterion{ID: id, Name: id, Type: typ, Weight: evPercent(weightBP), WeightBP: weightBP,
		ScaleMin: min, ScaleMax: max, ScoringMethod: "panel consensus"}
}

// evPercent writes basis points as the percentage the design records.
func evPercent(bp int) string { return strconv.FormatFloat(float64(bp)/100, 'f', -1, 64) }

// evCase is the open procedure's case as tdTendering has it, with the
// design's lots, award criteria and evaluators replaced when given.
type evCase struct {
	Lots       []procurement.Lot
	Criteria   []procurement.AwardCriteriaDefined
	Evaluators []procurement.EvaluatorAppointed
}

// tendering is the case of c published on day 50, tendering until day 90.
func (c evCase) tendering() []procurement.Event {
	return evEdit(tdTendering(tdPlan()), func(e procurement.Event) []procurement.Event {
		switch e.(type) {
		case procurement.LotsDefined:
			if c.Lots != nil {
				return []procurement.Event{procurement.LotsDefined{Version: 1, Lots: c.Lots}}
			}
		case procurement.AwardCriteriaDefined:
			if c.Criteria != nil {
				out := make([]procurement.Event, len(c.Criteria))
				for i, set := range c.Criteria {
					out[i] = set
				}
				return out
			}
		case procurement.EvaluatorAppointed:
			if c.Evaluators != nil {
				out := make([]procurement.Event, len(c.Evaluators))
				for i, ev := range c.Evaluators {
					out[i] = ev
				}
				return out
			}
		}
		return []procurement.Event{e}
	})
}

// opened is the case with these tenders submitted, receipt closed at day 90
// 10:00 and the tenders opened at 11:00: the case is in EVALUATION.
func (c evCase) opened(t testing.TB, tenders ...procurement.SubmitBid) []procurement.Event {
	t.Helper()
	cmds := make([]procurement.Command, len(tenders))
	for i, b := range tenders {
		cmds[i] = b
	}
	h := evRun(t, c.tendering(), cmds...)
	return evCloseAndOpen(t, h, tdPlan().OpeningAt)
}

// evTwoLotCase has lot-1 (bergen and oslo) scored on tdCriteria and lot-2
// (oslo alone) on its own criteria: cost 30 % and design 70 %, scale 0–10,
// ties to the best price; eva evaluates everything.
func evTwoLotCase() evCase {
	return evCase{
		Lots: []procurement.Lot{
			{ID: "lot-1", Title: "Sensors", Members: []string{tdMember, tdLead}},
			{ID: "lot-2", Title: "Warning signs", Members: []string{tdLead}},
		},
		Criteria: []procurement.AwardCriteriaDefined{
			{Version: 1, Criteria: tdCriteria()},
			{Lot: "lot-2", Version: 1, TieRule: procurement.TieBestPrice, Criteria: []procurement.AwardCriterion{
				evCriterion("cost", procurement.CriterionCost, 3000, 0, 10),
				evCriterion("design", procurement.CriterionQuality, 7000, 0, 10),
			}},
		},
	}
}

// evOpened is the default evaluation: acme's b1 (day 60) and nordic's b2 (day
// 61) for lot-1, scored by eva on price 40 % and quality 60 %, scale 0–10.
func evOpened(t testing.TB) []procurement.Event {
	t.Helper()
	return evCase{}.opened(t, evSubmit("b1", evAcme, tdAt(60, 9)), evSubmit("b2", evNordic, tdAt(61, 9)))
}

// evWithOla is evOpened with ola@oslo appointed as well, for quality only.
func evWithOla(t testing.TB) []procurement.Event {
	t.Helper()
	return evCase{Evaluators: []procurement.EvaluatorAppointed{
		{Person: "eva@bergen", Org: tdMember},
		{Person: "ola@oslo", Org: tdLead, Criteria: []string{"quality"}},
	}}.opened(t, evSubmit("b1", evAcme, tdAt(60, 9)), evSubmit("b2", evNordic, tdAt(61, 9)))
}

// evDeclare is evaluator a declaring, with a conflict when relations are given.
func evDeclare(a actor.Actor, relations ...string) procurement.DeclareConflictOfInterest {
	return procurement.DeclareConflictOfInterest{HasConflict: len(relations) > 0, Relations: relations, By: a, At: evDeclaredAt}
}

// evDeclared is the no-conflict declaration of evaluator a against the suppliers seen.
func evDeclared(a actor.Actor, seen ...string) procurement.ConflictOfInterestDeclared {
	return procurement.ConflictOfInterestDeclared{Evaluator: a.User, Org: a.Org, BiddersSeen: seen, DeclaredAt: evDeclaredAt}
}

// evScore is evaluator a scoring bid on crit, with the fixtures' justification.
func evScore(a actor.Actor, bid, crit string, score int) procurement.ScoreBid {
	return procurement.ScoreBid{BidID: bid, Criterion: crit, Score: score, Justification: evJustification, By: a, At: evScoredAt}
}

// evScored is the event of evScore.
func evScored(a actor.Actor, bid, crit string, score int) procurement.BidScored {
	return procurement.BidScored{Evaluator: a.User, BidID: bid, Criterion: crit, Score: score, Justification: evJustification, ScoredAt: evScoredAt}
}

func evLock(a actor.Actor) procurement.LockScores {
	return procurement.LockScores{By: a, At: evLockedAt}
}

// evConsensus is the lead recording the panel's score of bid on crit.
func evConsensus(bid, crit string, score int) procurement.RecordConsensus {
	return procurement.RecordConsensus{BidID: bid, Criterion: crit, Score: score, Rationale: "the panel agreed after discussion",
		By: tdLeadBy(), At: evConsensusAt}
}

// evFinalize is the lead finalising the report signed by evSignedBy.
func evFinalize() procurement.FinalizeEvaluation {
	return procurement.FinalizeEvaluation{ReportHash: evReportHash, SignedBy: evSignedBy, By: tdLeadBy(), At: evFinalizedAt}
}

// evReject is the lead rejecting bid.
func evReject(bid string) procurement.RejectBid {
	return procurement.RejectBid{BidID: bid, Grounds: "the tender does not meet minimum requirement r1", LegalBasis: "FOA § 24-8",
		By: tdLeadBy(), At: evRejectedAt}
}

// evScores are consensus scores by tender and criterion.
type evScores map[string]map[string]int

// evPanel has eva declare no conflict, score every (tender, criterion) of
// scores, and lock.
func evPanel(t testing.TB, h []procurement.Event, scores evScores) []procurement.Event {
	t.Helper()
	cmds := []procurement.Command{evDeclare(evEva())}
	for _, bid := range slices.Sorted(maps.Keys(scores)) {
		for _, crit := range slices.Sorted(maps.Keys(scores[bid])) {
			cmds = append(cmds, evScore(evEva(), bid, crit, scores[bid][crit]))
		}
	}
	return evRun(t, h, append(cmds, evLock(evEva()))...)
}

// evEvaluated is evPanel followed by the lead recording the same scores as
// the panel's consensus: the report can be finalised.
func evEvaluated(t testing.TB, h []procurement.Event, scores evScores) []procurement.Event {
	t.Helper()
	h = evPanel(t, h, scores)
	var cmds []procurement.Command
	for _, bid := range slices.Sorted(maps.Keys(scores)) {
		for _, crit := range slices.Sorted(maps.Keys(scores[bid])) {
			cmds = append(cmds, evConsensus(bid, crit, scores[bid][crit]))
		}
	}
	return evRun(t, h, cmds...)
}

// evReport is the report FinalizeEvaluation produces from h.
func evReport(t testing.TB, h []procurement.Event) procurement.EvaluationReportFinalized {
	t.Helper()
	got := evDecide(t, h, evFinalize())
	if len(got) != 1 {
		t.Fatalf("finalising gave %#v", got)
	}
	r, ok := got[0].(procurement.EvaluationReportFinalized)
	if !ok {
		t.Fatalf("finalising gave %T", got[0])
	}
	return r
}

// evRow is one line of a ranking.
func evRow(rank int, bid, supplier, total, quality, price string) procurement.RankedBid {
	return procurement.RankedBid{Rank: rank, BidID: bid, Supplier: supplier, Total: total, Quality: quality, Price: price}
}

// evAwarded is an award of lot to bid folded in (the award has its own tests).
func evAwarded(lot, bid, supplier string) procurement.AwardDecided {
	return procurement.AwardDecided{AwardID: "aw-" + lot, Lot: lot, BidID: bid, Supplier: supplier, Value: "100000.00",
		Mode: procurement.AwardJoint, DecidedBy: tdLead, For: []string{tdMember, tdLead}, DecisionDocHash: evDecisionDoc,
		DecidedAt: tdAt(100, 9)}
}

// evNotLead are people who are not the lead, with the error each gets: the
// hub and the members learn that only the lead acts, anyone else does not
// learn the case exists.
var evNotLead = []struct {
	name string
	by   actor.Actor
	want error
}{
	{"the_hub", by(hub), procurement.ErrLeadOnly},
	{"the_other_member", by(tdMember), procurement.ErrLeadOnly},
	{"the_evaluator", evEva(), procurement.ErrLeadOnly},
	{"a_supplier", tdSup(evAcme), procurement.ErrNotFound},
	{"a_stranger", by("tromso"), procurement.ErrNotFound},
}

// evOnlyTheLead checks that nobody but the lead gets past cmd's actor check in h.
func evOnlyTheLead(t *testing.T, h []procurement.Event, cmd func(actor.Actor) procurement.Command) {
	t.Helper()
	for _, o := range evNotLead {
		t.Run("not_"+o.name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(h...).When(cmd(o.by)).ThenError(o.want)
		})
	}
}

// evErr decides c against h and returns its error, failing unless it matches want.
func evErr(t testing.TB, h []procurement.Event, c procurement.Command, want error) error {
	t.Helper()
	got, err := procurement.Decider.Decide(procurement.Decider.Fold(h), c)
	if !errors.Is(err, want) || len(got) > 0 {
		t.Fatalf("want error %v, got %v (events %#v)", want, err, got)
	}
	return err
}

// evNames checks the message of err names every one of names.
func evNames(t testing.TB, err error, names ...string) {
	t.Helper()
	for _, n := range names {
		if !strings.Contains(err.Error(), n) {
			t.Fatalf("message %q does not name %q", err.Error(), n)
		}
	}
}

// evEncoded is each event as the store keeps it: its type, version and JSON.
func evEncoded(t testing.TB, events []procurement.Event) []string {
	t.Helper()
	reg := procurement.Events()
	out := make([]string, len(events))
	for i, e := range events {
		name, v, data, err := reg.Encode(e)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = fmt.Sprintf("%s v%d %s", name, v, data)
	}
	return out
}

// evStored checks cmd decided against h gives events stored exactly as want
// are: where a decided event and its stored form may differ only in an empty
// list against a missing one.
func evStored(t testing.TB, h []procurement.Event, cmd procurement.Command, want ...procurement.Event) {
	t.Helper()
	got, want2 := evEncoded(t, evDecide(t, h, cmd)), evEncoded(t, want)
	if !slices.Equal(got, want2) {
		t.Fatalf("events differ\n got: %v\nwant: %v", got, want2)
	}
}

// evReplayed is h as a replay from the store reads it: every event encoded and decoded.
func evReplayed(t testing.TB, h []procurement.Event) []procurement.Event {
	t.Helper()
	reg := procurement.Events()
	out := make([]procurement.Event, len(h))
	for i, e := range h {
		name, v, data, err := reg.Encode(e)
		if err != nil {
			t.Fatal(err)
		}
		back, ok, err := reg.Decode(name, v, data)
		if err != nil || !ok {
			t.Fatalf("%s: ok %v err %v", name, ok, err)
		}
		out[i] = back
	}
	return out
}

// evDefaultScores are the scores of evOpened's tenders: acme's b1 ranks first
// with 88 points, nordic's b2 second with 78.
var evDefaultScores = evScores{"b1": {"price": 10, "quality": 8}, "b2": {"price": 6, "quality": 9}}

// evFinalized is evOpened evaluated with evDefaultScores and its report finalised.
func evFinalized(t testing.TB) []procurement.Event {
	t.Helper()
	return evRun(t, evEvaluated(t, evOpened(t), evDefaultScores), evFinalize())
}

// evDecided is evFinalized with lot-1 awarded to b1: the case left the evaluation.
func evDecided(t testing.TB) []procurement.Event {
	t.Helper()
	return evThen(evFinalized(t), evAwarded("lot-1", "b1", evAcme))
}

// evPartlyAwarded is evTwoLotCase with acme's b1 for lot-1 and nordic's b2
// for lot-2, evaluated, the report finalised and lot-1 awarded to b1: lot-2
// is still to decide, so the case is still in EVALUATION.
func evPartlyAwarded(t testing.TB) []procurement.Event {
	t.Helper()
	h := evTwoLotCase().opened(t, evSubmit("b1", evAcme, tdAt(60, 9)), evSubmit("b2", evNordic, tdAt(61, 9), "lot-2"))
	h = evEvaluated(t, h, evScores{"b1": {"price": 10, "quality": 8}, "b2": {"cost": 5, "design": 5}})
	return evThen(evRun(t, h, evFinalize()), evAwarded("lot-1", "b1", evAcme))
}
