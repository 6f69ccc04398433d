package procurement_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

// Evaluation (DOMAIN.md §1 P7, §2 evaluator sub-machine and transition 15,
// §4.2, §4.4): every appointed evaluator declares conflicts of interest
// against the suppliers of the opened tenders before any access to them; a
// conflict recuses. Evaluators score each tender on each criterion in their
// scope, on the criterion's declared scale, with a justification for quality;
// the scores are private until locked. The lead records the panel's consensus
// once every responsible evaluator has locked, asks for clarifications,
// rejects tenders with grounds and finalises the report.
//
// evOpened's case: acme's b1 (day 60) and nordic's b2 (day 61) for lot-1,
// opened on day 90; eva@bergen evaluates price 40 % and quality 60 %, both
// scored 0–10. evWithOla adds ola@oslo for quality only.

var evHex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// --- DeclareConflictOfInterest ---

func TestDeclareConflictOfInterest(t *testing.T) {
	opened := evOpened(t)
	const relation = "my brother is the CEO of nordic"

	t.Run("an_evaluator_declares_no_conflict_against_the_suppliers_of_the_opened_tenders", func(t *testing.T) {
		evStored(t, opened, evDeclare(evEva()), evDeclared(evEva(), evAcme, evNordic))
	})
	t.Run("a_declaration_of_no_conflict_is_decided_as_it_is_stored", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(opened...).When(evDeclare(evEva())).Then(evDeclared(evEva(), evAcme, evNordic))
	})
	t.Run("the_suppliers_seen_are_listed_once_in_order", func(t *testing.T) {
		h := evCase{}.opened(t, evSubmit("b1", evPolar, tdAt(60, 9)), evSubmit("b2", evAcme, tdAt(61, 9)), evSubmit("b3", evNordic, tdAt(62, 9)))
		got := evDecide(t, h, evDeclare(evEva()))[0].(procurement.ConflictOfInterestDeclared)
		if !slices.Equal(got.BiddersSeen, []string{evAcme, evNordic, evPolar}) {
			t.Fatalf("bidders seen %v", got.BiddersSeen)
		}
	})
	t.Run("a_conflict_recuses_the_evaluator", func(t *testing.T) {
		want := evDeclared(evEva(), evAcme, evNordic)
		want.HasConflict, want.Relations = true, []string{relation}
		estest.For(t, procurement.Decider).Given(opened...).
			When(evDeclare(evEva(), "  "+relation+" ", "  ")).
			Then(want, procurement.EvaluatorRecused{Evaluator: "eva@bergen", Reason: "declared a conflict of interest", RecusedAt: want.DeclaredAt})
	})
	t.Run("a_recused_evaluator_has_no_access_and_cannot_score", func(t *testing.T) {
		h := evRun(t, opened, evDeclare(evEva(), relation))
		s := fold(t, h)
		if s.MayReadBidContent("eva@bergen", tdMember, "b1") {
			t.Fatal("the recused evaluator may read b1")
		}
		estest.For(t, procurement.Decider).Given(h...).When(evScore(evEva(), "b1", "quality", 5)).ThenError(procurement.ErrRecused)
		estest.For(t, procurement.Decider).Given(h...).When(evLock(evEva())).ThenError(procurement.ErrRecused)
	})
	t.Run("a_conflict_needs_the_relations", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(opened...).
			When(procurement.DeclareConflictOfInterest{HasConflict: true, By: evEva(), At: evDeclaredAt}).ThenError(procurement.ErrRelationsRequired)
		estest.For(t, procurement.Decider).Given(opened...).
			When(procurement.DeclareConflictOfInterest{HasConflict: true, Relations: []string{" "}, By: evEva(), At: evDeclaredAt}).
			ThenError(procurement.ErrRelationsRequired)
	})
	t.Run("a_relation_is_at_most_4000_characters", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(opened...).When(evDeclare(evEva(), runes(4001))).ThenError(procurement.ErrRelationsRequired)
	})
	t.Run("declaring_the_same_again_is_a_no_op", func(t *testing.T) {
		h := evRun(t, opened, evDeclare(evEva()))
		estest.For(t, procurement.Decider).Given(h...).When(evDeclare(evEva())).ThenNothing()
		h = evRun(t, opened, evDeclare(evEva(), relation))
		estest.For(t, procurement.Decider).Given(h...).When(evDeclare(evEva(), relation)).ThenNothing()
	})
	t.Run("a_conflict_found_later_recuses_too", func(t *testing.T) {
		h := evRun(t, opened, evDeclare(evEva()), evScore(evEva(), "b1", "price", 10))
		got := evDecide(t, h, evDeclare(evEva(), relation))
		if len(got) != 2 || !got[0].(procurement.ConflictOfInterestDeclared).HasConflict {
			t.Fatalf("got %#v", got)
		}
		if _, ok := got[1].(procurement.EvaluatorRecused); !ok {
			t.Fatalf("got %#v", got)
		}
	})
	t.Run("a_declared_conflict_cannot_be_withdrawn", func(t *testing.T) {
		h := evRun(t, opened, evDeclare(evEva(), relation))
		estest.For(t, procurement.Decider).Given(h...).When(evDeclare(evEva())).ThenError(procurement.ErrRecused)
	})
	t.Run("an_evaluator_recused_by_the_lead_cannot_declare", func(t *testing.T) {
		h := evRun(t, opened, procurement.RecuseEvaluator{Evaluator: "eva@bergen", Reason: "on leave", By: tdLeadBy(), At: evDeclaredAt})
		estest.For(t, procurement.Decider).Given(h...).When(evDeclare(evEva())).ThenError(procurement.ErrRecused)
	})
	for name, a := range map[string]actor.Actor{
		"the_lead":                              tdLeadBy(),
		"another_person_of_the_evaluators_org":  {User: "per@bergen", Org: tdMember},
		"the_evaluator_acting_for_another_org":  {User: "eva@bergen", Org: tdLead},
		"a_supplier":                            tdSup(evAcme),
		"an_evaluator_appointed_in_another_way": {User: "eva@bergen", Org: hub},
	} {
		t.Run("only_an_appointed_evaluator_declares_not_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(opened...).When(evDeclare(a)).ThenError(procurement.ErrNotEvaluator)
		})
	}
	t.Run("not_before_the_tenders_are_opened", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdClosed(tdPlan())...).When(evDeclare(evEva())).ThenError(procurement.ErrNotEvaluationPhase)
	})
	t.Run("a_conflict_declared_after_the_award_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evDecided(t)...).When(evDeclare(evEva(), relation)).ThenError(procurement.ErrNotEvaluationPhase)
	})
	t.Run("a_declaration_repeated_after_the_award_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evDecided(t)...).When(evDeclare(evEva())).ThenNothing()
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evCancelled(opened)...).When(evDeclare(evEva())).ThenError(procurement.ErrCancelled)
	})
}

// --- MayReadBidContent ---

func TestConflictDeclarationGatesMayReadBidContent(t *testing.T) {
	c := evTwoLotCase()
	c.Evaluators = []procurement.EvaluatorAppointed{
		{Person: "eva@bergen", Org: tdMember},
		{Person: "lars@oslo", Org: tdLead, Lots: []string{"lot-2"}},
		{Person: "ola@oslo", Org: tdLead},
		{Person: "siri@oslo", Org: tdLead},
	}
	opened := c.opened(t, evSubmit("b1", evAcme, tdAt(60, 9)), evSubmit("b2", evNordic, tdAt(61, 9), "lot-2"))
	lars := actor.Actor{User: "lars@oslo", Org: tdLead}
	siri := actor.Actor{User: "siri@oslo", Org: tdLead}
	s := fold(t, evRun(t, opened,
		evDeclare(evEva()), evDeclare(lars), evDeclare(evOla(), "ola's wife works for acme"), evDeclare(siri),
		procurement.RecuseEvaluator{Evaluator: "siri@oslo", Reason: "on leave", By: tdLeadBy(), At: evDeclaredAt}))
	before := fold(t, opened)

	for _, row := range []struct {
		name             string
		state            procurement.State
		person, org, bid string
		want             bool
	}{
		{"an_evaluator_who_declared_no_conflict_reads_a_tender", s, "eva@bergen", tdMember, "b1", true},
		{"and_every_tender_in_her_scope", s, "eva@bergen", tdMember, "b2", true},
		{"not_before_declaring", before, "eva@bergen", tdMember, "b1", false},
		{"not_after_declaring_a_conflict", s, "ola@oslo", tdLead, "b1", false},
		{"not_once_recused_by_the_lead", s, "siri@oslo", tdLead, "b1", false},
		{"not_for_another_organisation", s, "eva@bergen", tdLead, "b1", false},
		{"not_for_a_person_not_appointed", s, "officer@oslo", tdLead, "b1", false},
		{"not_a_tender_that_does_not_exist", s, "eva@bergen", tdMember, "b9", false},
		{"an_evaluator_of_one_lot_reads_its_tenders", s, "lars@oslo", tdLead, "b2", true},
		{"but_not_the_tenders_of_another_lot", s, "lars@oslo", tdLead, "b1", false},
	} {
		t.Run(row.name, func(t *testing.T) {
			if got := row.state.MayReadBidContent(row.person, row.org, row.bid); got != row.want {
				t.Fatalf("MayReadBidContent(%s, %s, %s) = %v, want %v", row.person, row.org, row.bid, got, row.want)
			}
		})
	}
}

// --- RecuseEvaluator ---

func evRecuse(evaluator string) procurement.RecuseEvaluator {
	return procurement.RecuseEvaluator{Evaluator: evaluator, Reason: "works part time for a supplier", By: tdLeadBy(), At: evDeclaredAt}
}

func TestRecuseEvaluator(t *testing.T) {
	opened := evWithOla(t)

	t.Run("the_lead_recuses_an_evaluator_with_a_reason", func(t *testing.T) {
		c := evRecuse("ola@oslo")
		c.Reason = "  " + c.Reason + " "
		estest.For(t, procurement.Decider).Given(opened...).When(c).
			Then(procurement.EvaluatorRecused{Evaluator: "ola@oslo", Reason: "works part time for a supplier", RecusedAt: c.At})
	})
	t.Run("a_replacement_takes_over_the_scope", func(t *testing.T) {
		c := evRecuse("ola@oslo")
		c.Replacement, c.ReplacementOrg = "kari.nordby", tdMember
		estest.For(t, procurement.Decider).Given(opened...).When(c).
			Then(procurement.EvaluatorRecused{Evaluator: "ola@oslo", Reason: "works part time for a supplier", Replacement: "kari.nordby", ReplacementOrg: tdMember, RecusedAt: c.At})
		estest.For(t, procurement.Decider).Given(opened...).When(c).ThenState(func(t testing.TB, s procurement.State) {
			got := s.Design.Evaluators["kari.nordby"]
			if got.Org != tdMember || !slices.Equal(got.Criteria, []string{"quality"}) {
				t.Fatalf("replacement %+v", got)
			}
		})
	})
	t.Run("a_replacement_is_named_like_any_appointed_evaluator", func(t *testing.T) {
		c := evRecuse("ola@oslo")
		c.Replacement, c.ReplacementOrg = "kari@bergen", tdMember
		estest.For(t, procurement.Decider).Given(opened...).When(c).
			Then(procurement.EvaluatorRecused{Evaluator: "ola@oslo", Reason: "works part time for a supplier", Replacement: "kari@bergen", ReplacementOrg: tdMember, RecusedAt: c.At})
	})
	t.Run("the_replacement_declares_and_scores", func(t *testing.T) {
		kari := actor.Actor{User: "kari.lup", Org: hub}
		c := evRecuse("ola@oslo")
		c.Replacement, c.ReplacementOrg = kari.User, hub
		h := evRun(t, opened, c, evDeclare(kari))
		estest.For(t, procurement.Decider).Given(h...).When(evScore(kari, "b1", "quality", 7)).Then(evScored(kari, "b1", "quality", 7))
		estest.For(t, procurement.Decider).Given(h...).When(evScore(kari, "b1", "price", 7)).ThenError(procurement.ErrNotInScope)
	})
	t.Run("the_replacement_is_a_new_person_from_the_hub_or_a_joined_member", func(t *testing.T) {
		for _, r := range []struct{ person, org string }{
			{"eva@bergen", tdMember}, // appointed already
			{"kari bergen", tdMember},
			{"kari.acme", evAcme},
			{"kari.tromso", "tromso"},
			{"kari.bergen", ""},
		} {
			c := evRecuse("ola@oslo")
			c.Replacement, c.ReplacementOrg = r.person, r.org
			estest.For(t, procurement.Decider).Given(opened...).When(c).ThenError(procurement.ErrInvalidReplacement)
		}
	})
	t.Run("recusing_again_is_a_no_op", func(t *testing.T) {
		h := evRun(t, opened, evRecuse("ola@oslo"))
		estest.For(t, procurement.Decider).Given(h...).When(evRecuse("ola@oslo")).ThenNothing()
	})
	t.Run("a_recused_evaluator_can_no_longer_score", func(t *testing.T) {
		h := evRun(t, opened, evDeclare(evEva()), evScore(evEva(), "b1", "price", 9), evRecuse("eva@bergen"))
		estest.For(t, procurement.Decider).Given(h...).When(evScore(evEva(), "b1", "quality", 9)).ThenError(procurement.ErrRecused)
		if fold(t, h).MayReadBidContent("eva@bergen", tdMember, "b1") {
			t.Fatal("the recused evaluator may read b1")
		}
	})
	t.Run("only_an_appointed_evaluator", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(opened...).When(evRecuse("per@bergen")).ThenError(procurement.ErrNotEvaluator)
	})
	t.Run("the_reason_is_required", func(t *testing.T) {
		c := evRecuse("ola@oslo")
		c.Reason = " "
		estest.For(t, procurement.Decider).Given(opened...).When(c).ThenError(procurement.ErrReasonRequired)
	})
	t.Run("not_before_the_tenders_are_opened", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdClosed(tdPlan())...).When(evRecuse("eva@bergen")).ThenError(procurement.ErrNotEvaluationPhase)
	})
	t.Run("not_after_the_award", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evDecided(t)...).When(evRecuse("eva@bergen")).ThenError(procurement.ErrNotEvaluationPhase)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evCancelled(opened)...).When(evRecuse("ola@oslo")).ThenError(procurement.ErrCancelled)
	})
	evOnlyTheLead(t, opened, func(a actor.Actor) procurement.Command {
		c := evRecuse("ola@oslo")
		c.By = a
		return c
	})
}

// --- ScoreBid ---

func TestScoreBid(t *testing.T) {
	opened := evOpened(t)
	declared := evRun(t, opened, evDeclare(evEva()))

	t.Run("an_evaluator_scores_quality_with_a_justification", func(t *testing.T) {
		c := evScore(evEva(), "b1", "quality", 8)
		c.Justification = "  " + evJustification + "  "
		estest.For(t, procurement.Decider).Given(declared...).When(c).Then(evScored(evEva(), "b1", "quality", 8))
	})
	t.Run("a_price_score_needs_no_justification", func(t *testing.T) {
		c := evScore(evEva(), "b1", "price", 10)
		c.Justification = ""
		want := evScored(evEva(), "b1", "price", 10)
		want.Justification = ""
		estest.For(t, procurement.Decider).Given(declared...).When(c).Then(want)
	})
	t.Run("scoring_before_declaring_a_conflict_of_interest_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(opened...).When(evScore(evEva(), "b1", "quality", 8)).ThenError(procurement.ErrConflictDeclarationRequired)
	})
	t.Run("the_ends_of_the_scale_are_allowed", func(t *testing.T) {
		for _, score := range []int{0, 10} {
			estest.For(t, procurement.Decider).Given(declared...).When(evScore(evEva(), "b1", "quality", score)).
				Then(evScored(evEva(), "b1", "quality", score))
		}
	})
	t.Run("a_score_below_the_scale_is_refused", func(t *testing.T) {
		err := evErr(t, declared, evScore(evEva(), "b1", "quality", -1), procurement.ErrScoreOutOfScale)
		evNames(t, err, "0–10", "-1")
	})
	t.Run("a_score_above_the_scale_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(declared...).When(evScore(evEva(), "b1", "price", 11)).ThenError(procurement.ErrScoreOutOfScale)
	})
	t.Run("a_scale_not_starting_at_zero_is_respected", func(t *testing.T) {
		h := evCase{Criteria: []procurement.AwardCriteriaDefined{{Version: 1, Criteria: []procurement.AwardCriterion{
			evCriterion("price", procurement.CriterionPrice, 4000, 0, 10), evCriterion("quality", procurement.CriterionQuality, 6000, 1, 5),
		}}}}.opened(t, evSubmit("b1", evAcme, tdAt(60, 9)))
		h = evRun(t, h, evDeclare(evEva()))
		for score, ok := range map[int]bool{0: false, 1: true, 5: true, 6: false} {
			c := evScore(evEva(), "b1", "quality", score)
			if ok {
				estest.For(t, procurement.Decider).Given(h...).When(c).Then(evScored(evEva(), "b1", "quality", score))
			} else {
				estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrScoreOutOfScale)
			}
		}
	})
	t.Run("a_quality_score_without_justification_is_refused", func(t *testing.T) {
		for _, j := range []string{"", "   "} {
			c := evScore(evEva(), "b1", "quality", 8)
			c.Justification = j
			estest.For(t, procurement.Decider).Given(declared...).When(c).ThenError(procurement.ErrScoreJustificationRequired)
		}
	})
	t.Run("a_justification_is_at_most_20000_characters", func(t *testing.T) {
		c := evScore(evEva(), "b1", "price", 8)
		c.Justification = runes(20001)
		estest.For(t, procurement.Decider).Given(declared...).When(c).ThenError(procurement.ErrScoreJustificationRequired)
		c.Justification = runes(20000)
		estest.For(t, procurement.Decider).Given(declared...).When(c).ThenState(func(testing.TB, procurement.State) {})
	})
	t.Run("an_unknown_tender_is_not_found", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(declared...).When(evScore(evEva(), "b9", "price", 5)).ThenError(procurement.ErrBidNotFound)
	})
	t.Run("an_unknown_criterion_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(declared...).When(evScore(evEva(), "b1", "charm", 5)).ThenError(procurement.ErrUnknownCriterion)
	})
	t.Run("a_criterion_of_another_lot_is_refused", func(t *testing.T) {
		h := evTwoLotCase().opened(t, evSubmit("b1", evAcme, tdAt(60, 9)), evSubmit("b2", evNordic, tdAt(61, 9), "lot-2"))
		h = evRun(t, h, evDeclare(evEva()))
		estest.For(t, procurement.Decider).Given(h...).When(evScore(evEva(), "b1", "design", 5)).ThenError(procurement.ErrUnknownCriterion)
		estest.For(t, procurement.Decider).Given(h...).When(evScore(evEva(), "b2", "design", 5)).Then(evScored(evEva(), "b2", "design", 5))
	})
	t.Run("a_criterion_outside_the_evaluators_appointment_is_refused", func(t *testing.T) {
		h := evRun(t, evWithOla(t), evDeclare(evOla()))
		estest.For(t, procurement.Decider).Given(h...).When(evScore(evOla(), "b1", "price", 5)).ThenError(procurement.ErrNotInScope)
		estest.For(t, procurement.Decider).Given(h...).When(evScore(evOla(), "b1", "quality", 5)).Then(evScored(evOla(), "b1", "quality", 5))
	})
	t.Run("a_tender_of_a_lot_outside_the_evaluators_appointment_is_refused", func(t *testing.T) {
		c := evTwoLotCase()
		c.Evaluators = []procurement.EvaluatorAppointed{{Person: "eva@bergen", Org: tdMember, Lots: []string{"lot-2"}}}
		h := c.opened(t, evSubmit("b1", evAcme, tdAt(60, 9)), evSubmit("b2", evNordic, tdAt(61, 9), "lot-2"))
		h = evRun(t, h, evDeclare(evEva()))
		estest.For(t, procurement.Decider).Given(h...).When(evScore(evEva(), "b1", "quality", 5)).ThenError(procurement.ErrNotInScope)
	})
	t.Run("a_rejected_tender_is_not_scored", func(t *testing.T) {
		h := evRun(t, declared, evReject("b2"))
		estest.For(t, procurement.Decider).Given(h...).When(evScore(evEva(), "b2", "quality", 5)).ThenError(procurement.ErrBidRejected)
	})
	t.Run("locked_scores_are_final", func(t *testing.T) {
		h := evPanel(t, opened, evDefaultScores)
		estest.For(t, procurement.Decider).Given(h...).When(evScore(evEva(), "b1", "quality", 2)).ThenError(procurement.ErrScoresLocked)
	})
	t.Run("scoring_the_same_again_is_a_no_op", func(t *testing.T) {
		h := evRun(t, declared, evScore(evEva(), "b1", "quality", 8))
		again := evScore(evEva(), "b1", "quality", 8)
		again.At = again.At.Add(time.Hour)
		estest.For(t, procurement.Decider).Given(h...).When(again).ThenNothing()
	})
	t.Run("a_score_changes_until_it_is_locked", func(t *testing.T) {
		h := evRun(t, declared, evScore(evEva(), "b1", "quality", 8))
		estest.For(t, procurement.Decider).Given(h...).When(evScore(evEva(), "b1", "quality", 7)).Then(evScored(evEva(), "b1", "quality", 7))
		c := evScore(evEva(), "b1", "quality", 8)
		c.Justification = "on second reading the margin is smaller"
		want := evScored(evEva(), "b1", "quality", 8)
		want.Justification = c.Justification
		estest.For(t, procurement.Decider).Given(h...).When(c).Then(want)
	})
	for name, a := range map[string]actor.Actor{
		"the_lead":                             tdLeadBy(),
		"the_evaluator_acting_for_another_org": {User: "eva@bergen", Org: tdLead},
		"a_supplier":                           tdSup(evAcme),
	} {
		t.Run("only_an_appointed_evaluator_scores_not_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(declared...).When(evScore(a, "b1", "quality", 5)).ThenError(procurement.ErrNotEvaluator)
		})
	}
	t.Run("not_after_the_award", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evDecided(t)...).When(evScore(evEva(), "b2", "quality", 5)).ThenError(procurement.ErrNotEvaluationPhase)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evCancelled(declared)...).When(evScore(evEva(), "b1", "quality", 5)).ThenError(procurement.ErrCancelled)
	})
}

// --- LockScores ---

func TestLockScores(t *testing.T) {
	opened := evOpened(t)
	declared := evRun(t, opened, evDeclare(evEva()))
	scored := evRun(t, declared,
		evScore(evEva(), "b1", "price", 10), evScore(evEva(), "b1", "quality", 8),
		evScore(evEva(), "b2", "price", 6), evScore(evEva(), "b2", "quality", 9))
	set := []procurement.BidScored{
		evScored(evEva(), "b1", "price", 10), evScored(evEva(), "b1", "quality", 8),
		evScored(evEva(), "b2", "price", 6), evScored(evEva(), "b2", "quality", 9),
	}

	t.Run("an_evaluator_locks_a_complete_set_bound_by_its_hash", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(scored...).When(evLock(evEva())).
			Then(procurement.EvaluatorScoresLocked{Evaluator: "eva@bergen", ScoreSetHash: procurement.ScoreSetHash(set), Scores: 4, LockedAt: evLockedAt})
	})
	t.Run("every_tender_and_criterion_in_scope_must_be_scored", func(t *testing.T) {
		h := evRun(t, declared, evScore(evEva(), "b1", "price", 10), evScore(evEva(), "b1", "quality", 8), evScore(evEva(), "b2", "price", 6))
		err := evErr(t, h, evLock(evEva()), procurement.ErrScoresIncomplete)
		evNames(t, err, "b2/quality")
	})
	t.Run("a_rejected_tender_needs_no_score", func(t *testing.T) {
		h := evRun(t, declared, evReject("b2"), evScore(evEva(), "b1", "price", 10), evScore(evEva(), "b1", "quality", 8))
		estest.For(t, procurement.Decider).Given(h...).When(evLock(evEva())).
			Then(procurement.EvaluatorScoresLocked{Evaluator: "eva@bergen", ScoreSetHash: procurement.ScoreSetHash(set[:2]), Scores: 2, LockedAt: evLockedAt})
	})
	t.Run("an_evaluator_of_one_criterion_locks_that_criterion", func(t *testing.T) {
		h := evRun(t, evWithOla(t), evDeclare(evOla()), evScore(evOla(), "b1", "quality", 7), evScore(evOla(), "b2", "quality", 6))
		got := evDecide(t, h, evLock(evOla()))[0].(procurement.EvaluatorScoresLocked)
		want := procurement.ScoreSetHash([]procurement.BidScored{evScored(evOla(), "b1", "quality", 7), evScored(evOla(), "b2", "quality", 6)})
		if got.Scores != 2 || got.ScoreSetHash != want {
			t.Fatalf("lock %+v, want hash %s", got, want)
		}
	})
	t.Run("nothing_to_score_locks_an_empty_set", func(t *testing.T) {
		c := evTwoLotCase()
		c.Evaluators = []procurement.EvaluatorAppointed{{Person: "eva@bergen", Org: tdMember, Lots: []string{"lot-2"}}}
		h := evRun(t, c.opened(t, evSubmit("b1", evAcme, tdAt(60, 9))), evDeclare(evEva()))
		lock := evLock(evEva())
		estest.For(t, procurement.Decider).Given(h...).When(lock).Then(procurement.EvaluatorScoresLocked{Evaluator: "eva@bergen",
			ScoreSetHash: procurement.ScoreSetHash(nil), LockedAt: lock.At.UTC()})
	})
	t.Run("an_evaluator_with_nothing_to_score_does_not_block_the_report", func(t *testing.T) {
		c := evTwoLotCase()
		c.Evaluators = []procurement.EvaluatorAppointed{{Person: "eva@bergen", Org: tdMember},
			{Person: "lars@oslo", Org: tdLead, Lots: []string{"lot-2"}}}
		lars := actor.Actor{User: "lars@oslo", Org: tdLead}
		h := evRun(t, c.opened(t, evSubmit("b1", evAcme, tdAt(60, 9))), evDeclare(lars))
		h = evEvaluated(t, h, evScores{"b1": {"price": 10, "quality": 8}})
		if _, err := procurement.Decider.Decide(fold(t, h), evLock(lars)); err == nil {
			h = evRun(t, h, evLock(lars))
		}
		estest.For(t, procurement.Decider).Given(h...).When(evFinalize()).ThenState(phaseIs(procurement.PhaseEvaluation))
	})
	t.Run("not_before_declaring", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(opened...).When(evLock(evEva())).ThenError(procurement.ErrConflictDeclarationRequired)
	})
	t.Run("not_once_recused", func(t *testing.T) {
		h := evRun(t, scored, evRecuse("eva@bergen"))
		estest.For(t, procurement.Decider).Given(h...).When(evLock(evEva())).ThenError(procurement.ErrRecused)
	})
	t.Run("locking_again_is_a_no_op", func(t *testing.T) {
		h := evRun(t, scored, evLock(evEva()))
		estest.For(t, procurement.Decider).Given(h...).When(evLock(evEva())).ThenNothing()
	})
	t.Run("only_an_appointed_evaluator_locks", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(scored...).When(evLock(tdLeadBy())).ThenError(procurement.ErrNotEvaluator)
	})
	t.Run("not_after_the_award", func(t *testing.T) {
		// Locked already: the repeat is a no-op whatever the phase.
		estest.For(t, procurement.Decider).Given(evDecided(t)...).When(evLock(evEva())).ThenNothing()
		h := evCase{Evaluators: []procurement.EvaluatorAppointed{{Person: "eva@bergen", Org: tdMember}, {Person: "ola@oslo", Org: tdLead}}}.
			opened(t, evSubmit("b1", evAcme, tdAt(60, 9)))
		h = evRun(t, h, evRecuse("ola@oslo"))
		h = evThen(evRun(t, evEvaluated(t, h, evScores{"b1": {"price": 5, "quality": 5}}), evFinalize()), evAwarded("lot-1", "b1", evAcme))
		estest.For(t, procurement.Decider).Given(h...).When(evLock(evOla())).ThenError(procurement.ErrNotEvaluationPhase)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evCancelled(scored)...).When(evLock(evEva())).ThenError(procurement.ErrCancelled)
	})
}

// --- ScoreSetHash ---

func TestScoreSetHash(t *testing.T) {
	base := func() []procurement.BidScored {
		return []procurement.BidScored{
			evScored(evEva(), "b1", "price", 10), evScored(evEva(), "b1", "quality", 8),
			evScored(evEva(), "b2", "price", 6), evScored(evEva(), "b2", "quality", 9),
		}
	}
	want := procurement.ScoreSetHash(base())

	t.Run("is_a_sha256_and_stable", func(t *testing.T) {
		if !evHex64.MatchString(want) || procurement.ScoreSetHash(base()) != want {
			t.Fatalf("%q", want)
		}
	})
	t.Run("does_not_depend_on_the_order_given", func(t *testing.T) {
		s := base()
		slices.Reverse(s)
		if got := procurement.ScoreSetHash(s); got != want {
			t.Fatalf("%q, want %q", got, want)
		}
	})
	t.Run("does_not_reorder_the_callers_slice", func(t *testing.T) {
		s := base()
		slices.Reverse(s)
		procurement.ScoreSetHash(s)
		if s[0].BidID != "b2" || s[0].Criterion != "quality" {
			t.Fatalf("the slice was sorted: %+v", s)
		}
	})
	for name, change := range map[string]func([]procurement.BidScored){
		"a_score":         func(s []procurement.BidScored) { s[1].Score = 7 },
		"a_justification": func(s []procurement.BidScored) { s[1].Justification = "other" },
		"a_tender":        func(s []procurement.BidScored) { s[2].BidID = "b3" },
		"a_criterion":     func(s []procurement.BidScored) { s[2].Criterion = "design" },
		"the_evaluator":   func(s []procurement.BidScored) { s[3].Evaluator = "ola@oslo" },
		"a_time":          func(s []procurement.BidScored) { s[3].ScoredAt = s[3].ScoredAt.Add(time.Second) },
		"a_score_left_out": func(s []procurement.BidScored) {
			s[3] = s[2]
		},
	} {
		t.Run("changes_with_"+name, func(t *testing.T) {
			s := base()
			change(s)
			if procurement.ScoreSetHash(s) == want {
				t.Fatalf("the hash stayed %q", want)
			}
		})
	}
	t.Run("the_lock_by_commands_changes_when_a_score_changes", func(t *testing.T) {
		lock := func(quality int) string {
			h := evPanel(t, evOpened(t), evScores{"b1": {"price": 10, "quality": quality}, "b2": {"price": 6, "quality": 9}})
			s := fold(t, h)
			return s.Evaluation.Locked["eva@bergen"].ScoreSetHash
		}
		if a, b := lock(8), lock(8); a != b || !evHex64.MatchString(a) {
			t.Fatalf("two identical panels locked %q and %q", a, b)
		}
		if lock(8) == lock(7) {
			t.Fatal("the lock did not change with the score")
		}
	})
	t.Run("the_lock_is_the_same_after_a_replay_from_the_store", func(t *testing.T) {
		h := evRun(t, evOpened(t), evDeclare(evEva()))
		for _, bid := range []string{"b1", "b2"} {
			h = evRun(t, h, evScore(evEva(), bid, "price", 5), evScore(evEva(), bid, "quality", 5))
		}
		a := evDecide(t, h, evLock(evEva()))
		b := evDecide(t, evReplayed(t, h), evLock(evEva()))
		if a[0].(procurement.EvaluatorScoresLocked).ScoreSetHash != b[0].(procurement.EvaluatorScoresLocked).ScoreSetHash {
			t.Fatalf("%+v vs %+v", a, b)
		}
	})
}

// --- ScoresVisible ---

func TestScoresVisible(t *testing.T) {
	h := evRun(t, evWithOla(t), evDeclare(evEva()), evDeclare(evOla()))
	h = evRun(t, h,
		evScore(evEva(), "b1", "price", 10), evScore(evEva(), "b1", "quality", 8),
		evScore(evEva(), "b2", "price", 6), evScore(evEva(), "b2", "quality", 9),
		evScore(evOla(), "b1", "quality", 7), evScore(evOla(), "b2", "quality", 9))
	none := fold(t, h)
	evaLocked := fold(t, evRun(t, h, evLock(evEva())))
	both := fold(t, evRun(t, h, evLock(evEva()), evLock(evOla())))

	for _, row := range []struct {
		name   string
		state  procurement.State
		of, to string
		isLead bool
		want   bool
	}{
		{"an_evaluator_always_sees_her_own_unlocked_scores", none, "eva@bergen", "eva@bergen", false, true},
		{"and_her_own_locked_scores", both, "ola@oslo", "ola@oslo", false, true},
		{"the_lead_does_not_see_unlocked_scores", none, "eva@bergen", "officer@oslo", true, false},
		{"another_evaluator_does_not_see_unlocked_scores", none, "eva@bergen", "ola@oslo", false, false},
		{"the_lead_sees_locked_scores", evaLocked, "eva@bergen", "officer@oslo", true, true},
		{"the_lead_still_does_not_see_the_scores_not_yet_locked", evaLocked, "ola@oslo", "officer@oslo", true, false},
		{"an_evaluator_who_has_not_locked_does_not_see_locked_scores", evaLocked, "eva@bergen", "ola@oslo", false, false},
		{"an_evaluator_who_has_locked_does_not_see_unlocked_scores", evaLocked, "ola@oslo", "eva@bergen", false, false},
		{"evaluators_who_have_both_locked_see_each_other", both, "eva@bergen", "ola@oslo", false, true},
		{"both_ways", both, "ola@oslo", "eva@bergen", false, true},
		{"someone_else_not_lead_sees_nothing_even_locked", both, "eva@bergen", "per@bergen", false, false},
	} {
		t.Run(row.name, func(t *testing.T) {
			if got := row.state.ScoresVisible(row.of, row.to, row.isLead); got != row.want {
				t.Fatalf("ScoresVisible(%s, %s, %v) = %v, want %v", row.of, row.to, row.isLead, got, row.want)
			}
		})
	}
}

// --- RecordConsensus ---

func TestRecordConsensus(t *testing.T) {
	// eva scores everything, ola quality only; neither has locked.
	h := evRun(t, evWithOla(t), evDeclare(evEva()), evDeclare(evOla()),
		evScore(evEva(), "b1", "price", 10), evScore(evEva(), "b1", "quality", 8),
		evScore(evEva(), "b2", "price", 6), evScore(evEva(), "b2", "quality", 9),
		evScore(evOla(), "b1", "quality", 7), evScore(evOla(), "b2", "quality", 9))
	evaLocked := evRun(t, h, evLock(evEva()))
	locked := evRun(t, evaLocked, evLock(evOla()))

	t.Run("the_lead_records_the_consensus_with_every_locked_score_behind_it", func(t *testing.T) {
		c := evConsensus("b1", "quality", 8)
		c.Rationale = "  " + c.Rationale + " "
		estest.For(t, procurement.Decider).Given(locked...).When(c).
			Then(procurement.ConsensusScoreRecorded{BidID: "b1", Criterion: "quality", Score: 8, Rationale: "the panel agreed after discussion",
				Individual: []procurement.IndividualScore{{Evaluator: "eva@bergen", Score: 8}, {Evaluator: "ola@oslo", Score: 7}}, RecordedAt: evConsensusAt})
	})
	t.Run("only_the_evaluators_of_the_criterion_count", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evaLocked...).When(evConsensus("b1", "price", 9)).
			Then(procurement.ConsensusScoreRecorded{BidID: "b1", Criterion: "price", Score: 9, Rationale: "the panel agreed after discussion",
				Individual: []procurement.IndividualScore{{Evaluator: "eva@bergen", Score: 10}}, RecordedAt: evConsensusAt})
	})
	t.Run("not_before_every_evaluator_of_the_criterion_locked", func(t *testing.T) {
		err := evErr(t, evaLocked, evConsensus("b1", "quality", 8), procurement.ErrScoresNotLocked)
		evNames(t, err, "ola@oslo")
		err = evErr(t, h, evConsensus("b1", "price", 8), procurement.ErrScoresNotLocked)
		evNames(t, err, "eva@bergen")
	})
	t.Run("a_recused_evaluator_is_left_out", func(t *testing.T) {
		r := evRun(t, evaLocked, evRecuse("ola@oslo"))
		got := evDecide(t, r, evConsensus("b1", "quality", 8))[0].(procurement.ConsensusScoreRecorded)
		if !slices.Equal(got.Individual, []procurement.IndividualScore{{Evaluator: "eva@bergen", Score: 8}}) {
			t.Fatalf("individual %+v", got.Individual)
		}
	})
	t.Run("without_any_locked_score_there_is_no_consensus", func(t *testing.T) {
		r := evRun(t, locked, evRecuse("eva@bergen"))
		estest.For(t, procurement.Decider).Given(r...).When(evConsensus("b1", "price", 8)).ThenError(procurement.ErrScoresNotLocked)
	})
	t.Run("the_consensus_is_on_the_criterions_scale", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(locked...).When(evConsensus("b1", "quality", 11)).ThenError(procurement.ErrScoreOutOfScale)
		estest.For(t, procurement.Decider).Given(locked...).When(evConsensus("b1", "quality", -1)).ThenError(procurement.ErrScoreOutOfScale)
	})
	t.Run("the_rationale_is_1_to_20000_characters", func(t *testing.T) {
		for _, r := range []string{"", "  ", runes(20001)} {
			c := evConsensus("b1", "quality", 8)
			c.Rationale = r
			estest.For(t, procurement.Decider).Given(locked...).When(c).ThenError(procurement.ErrRationaleRequired)
		}
	})
	t.Run("an_unknown_tender_is_not_found", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(locked...).When(evConsensus("b9", "quality", 8)).ThenError(procurement.ErrBidNotFound)
	})
	t.Run("an_unknown_criterion_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(locked...).When(evConsensus("b1", "charm", 8)).ThenError(procurement.ErrUnknownCriterion)
	})
	t.Run("a_rejected_tender_has_no_consensus", func(t *testing.T) {
		r := evRun(t, locked, evReject("b2"))
		estest.For(t, procurement.Decider).Given(r...).When(evConsensus("b2", "quality", 8)).ThenError(procurement.ErrBidRejected)
	})
	t.Run("recording_the_same_again_is_a_no_op", func(t *testing.T) {
		r := evRun(t, locked, evConsensus("b1", "quality", 8))
		estest.For(t, procurement.Decider).Given(r...).When(evConsensus("b1", "quality", 8)).ThenNothing()
	})
	t.Run("the_consensus_changes_until_the_report", func(t *testing.T) {
		r := evRun(t, locked, evConsensus("b1", "quality", 8))
		got := evDecide(t, r, evConsensus("b1", "quality", 7))[0].(procurement.ConsensusScoreRecorded)
		if got.Score != 7 {
			t.Fatalf("consensus %+v", got)
		}
	})
	t.Run("after_the_report_the_consensus_is_fixed", func(t *testing.T) {
		r := evFinalized(t)
		estest.For(t, procurement.Decider).Given(r...).When(evConsensus("b1", "quality", 7)).ThenError(procurement.ErrReportFinalized)
		estest.For(t, procurement.Decider).Given(r...).When(evConsensus("b1", "quality", 8)).ThenNothing()
	})
	t.Run("not_before_the_tenders_are_opened", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdClosed(tdPlan())...).When(evConsensus("b1", "quality", 8)).ThenError(procurement.ErrNotEvaluationPhase)
	})
	t.Run("not_after_the_award", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evDecided(t)...).When(evConsensus("b1", "quality", 7)).ThenError(procurement.ErrNotEvaluationPhase)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evCancelled(locked)...).When(evConsensus("b1", "quality", 8)).ThenError(procurement.ErrCancelled)
	})
	evOnlyTheLead(t, locked, func(a actor.Actor) procurement.Command {
		c := evConsensus("b1", "quality", 8)
		c.By = a
		return c
	})
}

// --- RequestClarification and AnswerClarification ---

func evClarify(id, bid string) procurement.RequestClarification {
	return procurement.RequestClarification{ClarificationID: id, BidID: bid, Question: "Which battery does the sensor use?",
		By: tdLeadBy(), At: evClarifiedAt}
}

func evAnswer(id, org string) procurement.AnswerClarification {
	return procurement.AnswerClarification{ClarificationID: id, Answer: "A 20 Ah lithium cell rated to -40 °C", By: tdSup(org), At: evAnsweredAt}
}

func TestRequestClarification(t *testing.T) {
	opened := evOpened(t)

	t.Run("the_lead_asks_a_tenderer_to_clarify", func(t *testing.T) {
		c := evClarify("c1", "b2")
		c.Question, c.SameQuestionToAll = "  "+c.Question+" ", true
		estest.For(t, procurement.Decider).Given(opened...).When(c).
			Then(procurement.ClarificationRequested{ClarificationID: "c1", BidID: "b2", Supplier: evNordic,
				Question: "Which battery does the sensor use?", SameQuestionToAll: true, RequestedAt: evClarifiedAt})
	})
	t.Run("the_id_is_1_to_64_letters_digits_dots_underscores_or_hyphens", func(t *testing.T) {
		for _, id := range []string{"", "c 1", "-c1", strings.Repeat("c", 65)} {
			estest.For(t, procurement.Decider).Given(opened...).When(evClarify(id, "b1")).ThenError(procurement.ErrInvalidClarificationID)
		}
	})
	t.Run("the_question_is_1_to_4000_characters", func(t *testing.T) {
		for _, q := range []string{"", "  ", runes(4001)} {
			c := evClarify("c1", "b1")
			c.Question = q
			estest.For(t, procurement.Decider).Given(opened...).When(c).ThenError(procurement.ErrQuestionTextRequired)
		}
	})
	t.Run("an_unknown_tender_is_not_found", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(opened...).When(evClarify("c1", "b9")).ThenError(procurement.ErrBidNotFound)
	})
	t.Run("asking_the_same_again_is_a_no_op", func(t *testing.T) {
		h := evRun(t, opened, evClarify("c1", "b1"))
		estest.For(t, procurement.Decider).Given(h...).When(evClarify("c1", "b1")).ThenNothing()
	})
	t.Run("an_id_used_for_another_question_is_taken", func(t *testing.T) {
		h := evRun(t, opened, evClarify("c1", "b1"))
		estest.For(t, procurement.Decider).Given(h...).When(evClarify("c1", "b2")).ThenError(procurement.ErrClarificationIDTaken)
		other := evClarify("c1", "b1")
		other.Question = "Another question"
		estest.For(t, procurement.Decider).Given(h...).When(other).ThenError(procurement.ErrClarificationIDTaken)
	})
	t.Run("not_before_the_tenders_are_opened", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdClosed(tdPlan())...).When(evClarify("c1", "b1")).ThenError(procurement.ErrBidNotFound)
	})
	t.Run("not_after_the_award", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evDecided(t)...).When(evClarify("c1", "b1")).ThenError(procurement.ErrNotEvaluationPhase)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evCancelled(opened)...).When(evClarify("c1", "b1")).ThenError(procurement.ErrCancelled)
	})
	evOnlyTheLead(t, opened, func(a actor.Actor) procurement.Command {
		c := evClarify("c1", "b1")
		c.By = a
		return c
	})
}

func TestAnswerClarification(t *testing.T) {
	asked := evRun(t, evOpened(t), evClarify("c1", "b2"))

	t.Run("the_tenderer_answers", func(t *testing.T) {
		c := evAnswer("c1", evNordic)
		c.Answer = "  " + c.Answer + " "
		estest.For(t, procurement.Decider).Given(asked...).When(c).
			Then(procurement.ClarificationReceived{ClarificationID: "c1", BidID: "b2", Answer: "A 20 Ah lithium cell rated to -40 °C", ReceivedAt: evAnsweredAt})
	})
	t.Run("the_answer_is_kept_with_the_question", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(asked...).When(evAnswer("c1", evNordic)).ThenState(func(t testing.TB, s procurement.State) {
			if c := s.Evaluation.Clarifications["c1"]; c.Answer == nil || c.Question == "" {
				t.Fatalf("clarification %+v", c)
			}
		})
	})
	t.Run("another_supplier_does_not_find_the_question", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(asked...).When(evAnswer("c1", evAcme)).ThenError(procurement.ErrClarificationNotFound)
	})
	t.Run("the_lead_does_not_answer_for_the_tenderer", func(t *testing.T) {
		c := evAnswer("c1", evNordic)
		c.By = tdLeadBy()
		estest.For(t, procurement.Decider).Given(asked...).When(c).ThenError(procurement.ErrClarificationNotFound)
	})
	t.Run("an_unknown_question_is_not_found", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(asked...).When(evAnswer("c9", evNordic)).ThenError(procurement.ErrClarificationNotFound)
	})
	t.Run("the_answer_is_1_to_20000_characters", func(t *testing.T) {
		for _, a := range []string{"", " ", runes(20001)} {
			c := evAnswer("c1", evNordic)
			c.Answer = a
			estest.For(t, procurement.Decider).Given(asked...).When(c).ThenError(procurement.ErrAnswerRequired)
		}
	})
	t.Run("answering_the_same_again_is_a_no_op", func(t *testing.T) {
		h := evRun(t, asked, evAnswer("c1", evNordic))
		estest.For(t, procurement.Decider).Given(h...).When(evAnswer("c1", evNordic)).ThenNothing()
	})
	t.Run("a_second_different_answer_is_refused", func(t *testing.T) {
		h := evRun(t, asked, evAnswer("c1", evNordic))
		c := evAnswer("c1", evNordic)
		c.Answer = "Something else"
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrAlreadyAnswered)
	})
	t.Run("not_after_the_award", func(t *testing.T) {
		h := evThen(evRun(t, evEvaluated(t, asked, evDefaultScores), evFinalize()), evAwarded("lot-1", "b1", evAcme))
		estest.For(t, procurement.Decider).Given(h...).When(evAnswer("c1", evNordic)).ThenError(procurement.ErrNotEvaluationPhase)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evCancelled(asked)...).When(evAnswer("c1", evNordic)).ThenError(procurement.ErrCancelled)
	})
}

// --- RejectBid ---

func TestRejectBid(t *testing.T) {
	opened := evOpened(t)

	t.Run("the_lead_rejects_a_tender_with_grounds_and_legal_basis", func(t *testing.T) {
		c := evReject("b2")
		c.Grounds, c.LegalBasis = "  "+c.Grounds+" ", " "+c.LegalBasis+" "
		estest.For(t, procurement.Decider).Given(opened...).When(c).
			Then(procurement.BidRejected{BidID: "b2", Supplier: evNordic, Grounds: "the tender does not meet minimum requirement r1",
				LegalBasis: "FOA § 24-8", RejectedAt: evRejectedAt})
	})
	t.Run("grounds_and_legal_basis_are_required", func(t *testing.T) {
		for _, change := range []func(*procurement.RejectBid){
			func(c *procurement.RejectBid) { c.Grounds = "" },
			func(c *procurement.RejectBid) { c.Grounds = "  " },
			func(c *procurement.RejectBid) { c.Grounds = runes(20001) },
			func(c *procurement.RejectBid) { c.LegalBasis = "" },
			func(c *procurement.RejectBid) { c.LegalBasis = runes(201) },
		} {
			c := evReject("b2")
			change(&c)
			estest.For(t, procurement.Decider).Given(opened...).When(c).ThenError(procurement.ErrGroundsRequired)
		}
	})
	t.Run("an_unknown_tender_is_not_found", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(opened...).When(evReject("b9")).ThenError(procurement.ErrBidNotFound)
	})
	t.Run("rejecting_again_is_a_no_op", func(t *testing.T) {
		h := evRun(t, opened, evReject("b2"))
		again := evReject("b2")
		again.Grounds = "worded differently"
		estest.For(t, procurement.Decider).Given(h...).When(again).ThenNothing()
	})
	t.Run("an_awarded_tender_cannot_be_rejected", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evPartlyAwarded(t)...).When(evReject("b1")).ThenError(procurement.ErrBidAwarded)
	})
	t.Run("a_rejection_after_the_report_voids_it", func(t *testing.T) {
		h := evFinalized(t)
		estest.For(t, procurement.Decider).Given(h...).When(evReject("b2")).ThenState(func(t testing.TB, s procurement.State) {
			if s.Evaluation.Report != nil || s.Evaluation.Reports != 1 {
				t.Fatalf("report %+v, %d versions", s.Evaluation.Report, s.Evaluation.Reports)
			}
		})
		r := evReport(t, evRun(t, h, evReject("b2")))
		if r.Version != 2 || len(r.Lots[0].Ranking) != 1 || r.Lots[0].Ranking[0].BidID != "b1" {
			t.Fatalf("report %+v", r)
		}
	})
	t.Run("not_before_the_tenders_are_opened", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdClosed(tdPlan())...).When(evReject("b1")).ThenError(procurement.ErrBidNotFound)
	})
	t.Run("not_after_the_award", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evDecided(t)...).When(evReject("b2")).ThenError(procurement.ErrNotEvaluationPhase)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evCancelled(opened)...).When(evReject("b2")).ThenError(procurement.ErrCancelled)
	})
	evOnlyTheLead(t, opened, func(a actor.Actor) procurement.Command {
		c := evReject("b2")
		c.By = a
		return c
	})
}

// --- FinalizeEvaluation ---

func TestFinalizeEvaluation(t *testing.T) {
	evaluated := evEvaluated(t, evOpened(t), evDefaultScores)
	report := procurement.EvaluationReportFinalized{Version: 1, Lots: []procurement.LotRanking{{Lot: "lot-1", TieRule: procurement.TieHighestQuality,
		Ranking: []procurement.RankedBid{
			evRow(1, "b1", evAcme, "88.0000", "48.0000", "40.0000"),
			evRow(2, "b2", evNordic, "78.0000", "54.0000", "24.0000"),
		}}}, ReportHash: evReportHash, SignedBy: evSignedBy, FinalizedAt: evFinalizedAt}

	t.Run("the_lead_finalises_the_signed_report_with_the_ranking", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evaluated...).When(evFinalize()).Then(report)
	})
	t.Run("the_hash_is_kept_in_lower_case_and_the_signatories_once_in_order", func(t *testing.T) {
		c := evFinalize()
		c.ReportHash = " " + strings.ToUpper(evReportHash)
		c.SignedBy = []string{"officer@oslo", " eva@bergen ", "officer@oslo", "  "}
		estest.For(t, procurement.Decider).Given(evaluated...).When(c).Then(report)
	})
	t.Run("the_report_is_kept_in_the_state", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evaluated...).When(evFinalize()).ThenState(func(t testing.TB, s procurement.State) {
			if s.Evaluation.Report == nil || s.Evaluation.Reports != 1 || s.Phase != procurement.PhaseEvaluation {
				t.Fatalf("report %+v, phase %s", s.Evaluation.Report, s.Phase)
			}
		})
	})
	t.Run("the_report_is_bound_by_a_sha256", func(t *testing.T) {
		c := evFinalize()
		c.ReportHash = "report.pdf"
		estest.For(t, procurement.Decider).Given(evaluated...).When(c).ThenError(procurement.ErrInvalidDocumentHash)
	})
	t.Run("the_report_needs_its_signatories", func(t *testing.T) {
		for _, signed := range [][]string{nil, {" ", ""}} {
			c := evFinalize()
			c.SignedBy = signed
			estest.For(t, procurement.Decider).Given(evaluated...).When(c).ThenError(procurement.ErrSignaturesRequired)
		}
	})
	t.Run("every_evaluator_declares_first", func(t *testing.T) {
		h := evPanel(t, evWithOla(t), evDefaultScores)
		err := evErr(t, h, evFinalize(), procurement.ErrConflictDeclarationMissing)
		evNames(t, err, "ola@oslo")
	})
	t.Run("every_evaluator_locks_first", func(t *testing.T) {
		h := evRun(t, evWithOla(t), evDeclare(evOla()), evScore(evOla(), "b1", "quality", 8), evScore(evOla(), "b2", "quality", 9))
		h = evPanel(t, h, evDefaultScores)
		err := evErr(t, h, evFinalize(), procurement.ErrScoresNotLocked)
		evNames(t, err, "ola@oslo")
	})
	t.Run("a_recused_evaluator_does_not_hold_up_the_report", func(t *testing.T) {
		h := evRun(t, evWithOla(t), evDeclare(evOla(), "ola's wife works for acme"))
		h = evEvaluated(t, h, evDefaultScores)
		estest.For(t, procurement.Decider).Given(h...).When(evFinalize()).Then(report)
	})
	t.Run("a_panel_entirely_recused_cannot_report", func(t *testing.T) {
		h := evRun(t, evOpened(t), evDeclare(evEva(), "eva's brother owns acme"))
		estest.For(t, procurement.Decider).Given(h...).When(evFinalize()).ThenError(procurement.ErrScoresNotLocked)
	})
	t.Run("every_valid_tender_needs_the_consensus_on_every_criterion", func(t *testing.T) {
		h := evPanel(t, evOpened(t), evDefaultScores)
		h = evRun(t, h, evConsensus("b1", "price", 10), evConsensus("b1", "quality", 8), evConsensus("b2", "price", 6))
		err := evErr(t, h, evFinalize(), procurement.ErrConsensusMissing)
		evNames(t, err, "b2/quality")
	})
	t.Run("a_rejected_tender_needs_no_consensus", func(t *testing.T) {
		h := evRun(t, evOpened(t), evReject("b2"))
		h = evEvaluated(t, h, evScores{"b1": {"price": 10, "quality": 8}})
		r := evReport(t, h)
		if len(r.Lots[0].Ranking) != 1 {
			t.Fatalf("ranking %+v", r.Lots[0].Ranking)
		}
	})
	t.Run("when_every_tender_is_rejected_there_is_no_report", func(t *testing.T) {
		h := evRun(t, evPanel(t, evOpened(t), evDefaultScores), evReject("b1"), evReject("b2"))
		estest.For(t, procurement.Decider).Given(h...).When(evFinalize()).ThenError(procurement.ErrAllRejected)
	})
	t.Run("when_every_tender_is_rejected_before_the_locks_the_lead_learns_it", func(t *testing.T) {
		h := evRun(t, evOpened(t), evReject("b1"), evReject("b2"), evDeclare(evEva()))
		estest.For(t, procurement.Decider).Given(h...).When(evFinalize()).ThenError(procurement.ErrAllRejected)
	})
	t.Run("finalising_the_same_report_again_is_a_no_op", func(t *testing.T) {
		h := evRun(t, evaluated, evFinalize())
		estest.For(t, procurement.Decider).Given(h...).When(evFinalize()).ThenNothing()
	})
	t.Run("a_new_version_of_the_report_is_a_new_version", func(t *testing.T) {
		h := evRun(t, evaluated, evFinalize())
		c := evFinalize()
		c.ReportHash = tdHashOf("evaluation report, corrected")
		want := report
		want.Version, want.ReportHash = 2, c.ReportHash
		estest.For(t, procurement.Decider).Given(h...).When(c).Then(want)
	})
	t.Run("not_once_an_award_is_decided", func(t *testing.T) {
		c := evFinalize()
		c.ReportHash = tdHashOf("evaluation report, corrected")
		estest.For(t, procurement.Decider).Given(evPartlyAwarded(t)...).When(c).ThenError(procurement.ErrAlreadyDecided)
	})
	t.Run("not_before_the_tenders_are_opened", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdClosed(tdPlan())...).When(evFinalize()).ThenError(procurement.ErrNotEvaluationPhase)
	})
	t.Run("not_after_the_award", func(t *testing.T) {
		c := evFinalize()
		c.ReportHash = tdHashOf("evaluation report, corrected")
		estest.For(t, procurement.Decider).Given(evDecided(t)...).When(c).ThenError(procurement.ErrNotEvaluationPhase)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evCancelled(evaluated)...).When(evFinalize()).ThenError(procurement.ErrCancelled)
	})
	evOnlyTheLead(t, evaluated, func(a actor.Actor) procurement.Command {
		c := evFinalize()
		c.By = a
		return c
	})
}
