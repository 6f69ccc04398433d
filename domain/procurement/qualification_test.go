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

// Qualification and negotiation (DOMAIN.md §1 P6, §2 transitions 11–12, §4.4):
// once the requests to participate are opened, the lead assesses each against
// the selection criteria and invites at least the minimum number of qualified
// candidates (Art 65: restricted 5, CPN/CD/IP 3, or the procedure's own
// number), or every qualified candidate when fewer qualify. The restricted
// procedure goes straight to tender; CPN, CD and IP negotiate, every change of
// requirements going in writing to every remaining participant, and end with
// one call for final tenders. Only the invited candidates still taking part
// may tender. Fixtures in ev_fixtures_test.go.

var (
	evAll4       = []string{evAcme, evFjord, evNordic, evPolar}
	evRestricted = evProcedure(timelimits.Restricted, 3, 0)
	evCPN        = evProcedure(timelimits.CompetitiveNegotiation, 3, 0)
)

// --- AssessQualification ---

func TestAssessQualification(t *testing.T) {
	requests := evRequests(t, evRestricted, evAcme, evNordic)

	t.Run("the_lead_qualifies_a_candidate_that_meets_every_selection_criterion", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(requests...).
			When(evAssess(evAcme, true)).
			Then(evAssessed(evAcme, true))
	})
	t.Run("the_lead_rejects_a_candidate_with_grounds_and_legal_basis", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(requests...).
			When(evAssess(evNordic, false)).
			Then(evAssessed(evNordic, false))
	})
	t.Run("results_are_kept_in_criterion_order_and_texts_trimmed", func(t *testing.T) {
		c := evAssess(evNordic, false)
		c.Results = []procurement.CriterionResult{{Criterion: "sc-references", Met: true, Note: "  two letters  "},
			{Criterion: "sc-finance", Met: false, Note: " turnover 1.2 MNOK "}}
		c.Grounds, c.LegalBasis = "  the turnover is below the required 2 MNOK ", " FOA § 16-5 "
		want := evAssessed(evNordic, false)
		want.Results = []procurement.CriterionResult{{Criterion: "sc-finance", Met: false, Note: "turnover 1.2 MNOK"},
			{Criterion: "sc-references", Met: true, Note: "two letters"}}
		estest.For(t, procurement.Decider).Given(requests...).When(c).Then(want)
	})
	t.Run("assessing_the_same_way_again_is_a_no_op", func(t *testing.T) {
		h := evRun(t, requests, evAssess(evAcme, true))
		again := evAssess(evAcme, true)
		again.At = again.At.Add(time.Hour)
		estest.For(t, procurement.Decider).Given(h...).When(again).ThenNothing()
	})
	t.Run("a_new_assessment_before_the_invitation_replaces_the_previous_one", func(t *testing.T) {
		h := evRun(t, requests, evAssess(evNordic, true))
		estest.For(t, procurement.Decider).Given(h...).When(evAssess(evNordic, false)).
			ThenState(func(t testing.TB, s procurement.State) {
				if a := s.Qualification.Assessments[evReq(evNordic)]; a.Qualified {
					t.Fatalf("assessment %+v, want not qualified", a)
				}
			})
	})
	t.Run("repeating_an_assessment_after_the_invitation_is_a_no_op", func(t *testing.T) {
		h := evRun(t, evQualified(t, evRestricted, []string{evAcme, evNordic, evPolar}), evInvite(t, evAcme, evNordic, evPolar))
		estest.For(t, procurement.Decider).Given(h...).When(evAssess(evAcme, true)).ThenNothing()
	})

	t.Run("rejecting_needs_the_grounds", func(t *testing.T) {
		for _, grounds := range []string{"", "   "} {
			c := evAssess(evNordic, false)
			c.Grounds = grounds
			estest.For(t, procurement.Decider).Given(requests...).When(c).ThenError(procurement.ErrGroundsRequired)
		}
	})
	t.Run("grounds_are_at_most_20000_characters", func(t *testing.T) {
		c := evAssess(evNordic, false)
		c.Grounds = runes(20000)
		estest.For(t, procurement.Decider).Given(requests...).When(c).ThenState(func(testing.TB, procurement.State) {})
		c.Grounds = runes(20001)
		estest.For(t, procurement.Decider).Given(requests...).When(c).ThenError(procurement.ErrGroundsRequired)
	})
	t.Run("the_legal_basis_is_at_most_200_characters", func(t *testing.T) {
		c := evAssess(evNordic, false)
		c.LegalBasis = runes(201)
		estest.For(t, procurement.Decider).Given(requests...).When(c).ThenError(procurement.ErrGroundsRequired)
	})
	t.Run("a_note_on_a_criterion_is_at_most_4000_characters", func(t *testing.T) {
		c := evAssess(evAcme, true)
		c.Results[1].Note = runes(4001)
		estest.For(t, procurement.Decider).Given(requests...).When(c).ThenError(procurement.ErrGroundsRequired)
	})
	t.Run("a_result_for_an_unknown_criterion_is_refused", func(t *testing.T) {
		c := evAssess(evAcme, true)
		c.Results = append(c.Results, procurement.CriterionResult{Criterion: "sc-charm", Met: true})
		estest.For(t, procurement.Decider).Given(requests...).When(c).ThenError(procurement.ErrUnknownCriterion)
	})
	t.Run("a_criterion_given_twice_is_refused", func(t *testing.T) {
		c := evAssess(evAcme, true)
		c.Results = append(c.Results, procurement.CriterionResult{Criterion: "sc-finance", Met: true})
		estest.For(t, procurement.Decider).Given(requests...).When(c).ThenError(procurement.ErrUnknownCriterion)
	})
	t.Run("every_selection_criterion_needs_a_result", func(t *testing.T) {
		c := evAssess(evAcme, true)
		c.Results = c.Results[:1]
		err := evErr(t, requests, c, procurement.ErrResultsIncomplete)
		evNames(t, err, "sc-references")
	})
	t.Run("a_candidate_failing_a_criterion_cannot_be_qualified", func(t *testing.T) {
		c := evAssess(evAcme, true)
		c.Results[0].Met = false
		estest.For(t, procurement.Decider).Given(requests...).When(c).ThenError(procurement.ErrQualifiedWithUnmet)
	})
	t.Run("an_unknown_request_is_not_found", func(t *testing.T) {
		c := evAssess(evAcme, true)
		c.SubmissionID = "req-unknown"
		estest.For(t, procurement.Decider).Given(requests...).When(c).ThenError(procurement.ErrBidNotFound)
	})

	t.Run("not_while_requests_are_still_received", func(t *testing.T) {
		h := evRequestsReceived(t, evRestricted, evAcme)
		estest.For(t, procurement.Decider).Given(h...).When(evAssess(evAcme, true)).ThenError(procurement.ErrNotQualificationPhase)
	})
	t.Run("not_before_the_requests_are_opened", func(t *testing.T) {
		h := evRun(t, evRequestsReceived(t, evRestricted, evAcme), procurement.CloseReceipt{By: tdSystem(), At: evPlan().RequestDeadline})
		estest.For(t, procurement.Decider).Given(h...).When(evAssess(evAcme, true)).ThenError(procurement.ErrRequestsNotOpened)
	})
	t.Run("not_in_a_single_stage_procedure", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evOpened(t)...).When(evAssess(evAcme, true)).ThenError(procurement.ErrNotQualificationPhase)
	})
	t.Run("not_after_the_invitation", func(t *testing.T) {
		h := evRestrictedInvited(t)
		estest.For(t, procurement.Decider).Given(h...).When(evAssess(evFjord, true)).ThenError(procurement.ErrNotQualificationPhase)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evCancelled(requests)...).When(evAssess(evAcme, true)).ThenError(procurement.ErrCancelled)
	})
	evOnlyTheLead(t, requests, func(a actor.Actor) procurement.Command {
		c := evAssess(evAcme, true)
		c.By = a
		return c
	})
}

// --- InviteCandidates ---

func TestInviteCandidates(t *testing.T) {
	t.Run("the_restricted_procedure_invites_to_tender_by_the_timetables_deadline", func(t *testing.T) {
		h := evQualified(t, evRestricted, evAll4, evFjord)
		estest.For(t, procurement.Decider).Given(h...).
			When(evInvite(t, evAcme, evNordic, evPolar)).
			Then(procurement.CandidatesInvited{Invited: []string{evAcme, evNordic, evPolar}, MinCandidates: 3,
				Next: procurement.PhaseTendering, TenderDeadline: evPlan().TenderDeadline,
				Minimum: evMinimum(t, timelimits.Restricted, evInvitedAt), InvitedAt: evInvitedAt})
	})
	t.Run("the_invitation_opens_the_round_of_tenders", func(t *testing.T) {
		h := evQualified(t, evRestricted, evAll4, evFjord)
		estest.For(t, procurement.Decider).Given(h...).
			When(evInvite(t, evAcme, evNordic, evPolar)).
			ThenState(func(t testing.TB, s procurement.State) {
				if s.Phase != procurement.PhaseTendering || s.Tendering.Round != procurement.RoundTenders ||
					!s.Tendering.Deadline.Equal(evPlan().TenderDeadline) {
					t.Fatalf("phase %s round %s deadline %s", s.Phase, s.Tendering.Round, s.Tendering.Deadline)
				}
			})
	})
	t.Run("the_lead_may_give_a_later_tender_deadline", func(t *testing.T) {
		h := evQualified(t, evRestricted, evAll4, evFjord)
		c := evInvite(t, evAcme, evNordic, evPolar)
		c.TenderDeadline = tdAt(120, 10)
		got := evDecide(t, h, c)[0].(procurement.CandidatesInvited)
		if !got.TenderDeadline.Equal(tdAt(120, 10)) || got.Minimum == nil || got.Next != procurement.PhaseTendering {
			t.Fatalf("invitation %+v", got)
		}
	})
	t.Run("a_tender_deadline_under_TENDERS_AFTER_INVITATION_is_too_short", func(t *testing.T) {
		// Sent a day later, the 30 days from the invitation end after the timetable's deadline on day 116.
		h := evQualified(t, evRestricted, evAll4, evFjord)
		c := evInvite(t, evAcme, evNordic, evPolar)
		c.At = tdAt(86, 9)
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(timelimits.ErrTooShort)
		// The period ends at midnight Oslo time (UTC+2 in June) at the end of day 116.
		c.TenderDeadline = tdAt(116, 21).Add(59 * time.Minute)
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(timelimits.ErrTooShort)
		c.TenderDeadline = tdAt(116, 22)
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenState(phaseIs(procurement.PhaseTendering))
	})
	t.Run("a_tender_deadline_before_the_published_one_is_refused", func(t *testing.T) {
		h := evQualified(t, evRestricted, evAll4, evFjord)
		c := evInvite(t, evAcme, evNordic, evPolar)
		c.TenderDeadline = tdAt(115, 10)
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrInvalidTimetable)
	})
	t.Run("a_tender_deadline_in_the_past_is_refused", func(t *testing.T) {
		h := evQualified(t, evRestricted, evAll4, evFjord)
		c := evInvite(t, evAcme, evNordic, evPolar)
		c.TenderDeadline = tdAt(80, 10)
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrInvalidTimetable)
	})
	t.Run("the_restricted_invitation_needs_the_time_limit_table", func(t *testing.T) {
		h := evQualified(t, evRestricted, evAll4, evFjord)
		c := evInvite(t, evAcme, evNordic, evPolar)
		c.Limits = nil
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrTimeLimitsUnavailable)
	})
	for _, p := range []timelimits.Procedure{timelimits.CompetitiveNegotiation, timelimits.CompetitiveDialogue, timelimits.InnovationPartnership} {
		t.Run(string(p)+"_invites_to_negotiation_without_a_tender_deadline", func(t *testing.T) {
			h := evQualified(t, evProcedure(p, 3, 0), []string{evAcme, evNordic, evPolar})
			c := evInvite(t, evAcme, evNordic, evPolar)
			c.Limits = nil
			estest.For(t, procurement.Decider).Given(h...).When(c).
				Then(procurement.CandidatesInvited{Invited: []string{evAcme, evNordic, evPolar}, MinCandidates: 3,
					Next: procurement.PhaseNegotiation, InvitedAt: evInvitedAt})
			estest.For(t, procurement.Decider).Given(h...).When(c).ThenState(phaseIs(procurement.PhaseNegotiation))
		})
	}

	t.Run("fewer_than_the_minimum_while_more_qualified_is_refused_Art_65", func(t *testing.T) {
		h := evQualified(t, evCPN, evAll4)
		err := evErr(t, h, evInvite(t, evAcme, evNordic), procurement.ErrTooFewCandidates)
		evNames(t, err, "3")
	})
	t.Run("the_minimum_with_a_reason_for_each_left_out_is_enough", func(t *testing.T) {
		h := evQualified(t, evCPN, evAll4)
		estest.For(t, procurement.Decider).Given(h...).When(evInvite(t, evAcme, evNordic, evPolar)).
			Then(procurement.CandidatesInvited{Invited: []string{evAcme, evNordic, evPolar},
				NotInvited:    []procurement.NotInvited{{Supplier: evFjord, Reason: evReasonLeftOut}},
				MinCandidates: 3, Next: procurement.PhaseNegotiation, InvitedAt: evInvitedAt})
	})
	t.Run("fewer_than_the_minimum_is_fine_when_every_qualified_candidate_is_invited", func(t *testing.T) {
		h := evQualified(t, evCPN, evAll4, evFjord, evPolar)
		estest.For(t, procurement.Decider).Given(h...).When(evInvite(t, evAcme, evNordic)).
			Then(procurement.CandidatesInvited{Invited: []string{evAcme, evNordic}, MinCandidates: 3,
				Next: procurement.PhaseNegotiation, InvitedAt: evInvitedAt})
	})
	t.Run("a_single_qualified_candidate_can_be_invited_alone", func(t *testing.T) {
		h := evQualified(t, evCPN, evAll4, evFjord, evNordic, evPolar)
		estest.For(t, procurement.Decider).Given(h...).When(evInvite(t, evAcme)).ThenState(phaseIs(procurement.PhaseNegotiation))
	})
	t.Run("the_restricted_procedure_invites_at_least_five_by_default", func(t *testing.T) {
		h := evQualified(t, evProcedure(timelimits.Restricted, 0, 0), evAll4)
		estest.For(t, procurement.Decider).Given(h...).When(evInvite(t, evAcme, evNordic, evPolar)).ThenError(procurement.ErrTooFewCandidates)
		got := evDecide(t, h, evInvite(t, evAll4...))[0].(procurement.CandidatesInvited)
		if got.MinCandidates != 5 || len(got.Invited) != 4 {
			t.Fatalf("invitation %+v", got)
		}
	})
	t.Run("negotiated_procedures_invite_at_least_three_by_default", func(t *testing.T) {
		h := evQualified(t, evProcedure(timelimits.InnovationPartnership, 0, 0), evAll4)
		estest.For(t, procurement.Decider).Given(h...).When(evInvite(t, evAcme, evNordic)).ThenError(procurement.ErrTooFewCandidates)
		got := evDecide(t, h, evInvite(t, evAcme, evNordic, evPolar))[0].(procurement.CandidatesInvited)
		if got.MinCandidates != 3 {
			t.Fatalf("invitation %+v", got)
		}
	})
	t.Run("more_than_the_notice_allows_is_refused", func(t *testing.T) {
		h := evQualified(t, evProcedure(timelimits.CompetitiveNegotiation, 3, 3), evAll4)
		estest.For(t, procurement.Decider).Given(h...).When(evInvite(t, evAll4...)).ThenError(procurement.ErrTooManyCandidates)
		estest.For(t, procurement.Decider).Given(h...).When(evInvite(t, evAcme, evNordic, evPolar)).ThenState(phaseIs(procurement.PhaseNegotiation))
	})
	t.Run("a_candidate_not_qualified_cannot_be_invited", func(t *testing.T) {
		h := evQualified(t, evCPN, evAll4, evFjord)
		err := evErr(t, h, evInvite(t, evAcme, evFjord, evNordic, evPolar), procurement.ErrNotQualified)
		evNames(t, err, evFjord)
	})
	t.Run("a_supplier_without_a_request_cannot_be_invited", func(t *testing.T) {
		h := evQualified(t, evCPN, []string{evAcme, evNordic, evPolar})
		estest.For(t, procurement.Decider).Given(h...).When(evInvite(t, evAcme, evNordic, evPolar, "arctic")).ThenError(procurement.ErrNotQualified)
	})
	t.Run("a_qualified_candidate_left_out_needs_a_reason", func(t *testing.T) {
		h := evQualified(t, evCPN, evAll4)
		for _, reason := range []string{"", "  ", runes(4001)} {
			c := evInvite(t, evAcme, evNordic, evPolar)
			c.NotInvited = []procurement.NotInvited{{Supplier: evFjord, Reason: reason}}
			err := evErr(t, h, c, procurement.ErrNotInvitedReason)
			evNames(t, err, evFjord)
		}
		c := evInvite(t, evAcme, evNordic, evPolar)
		c.NotInvited = nil
		estest.For(t, procurement.Decider).Given(h...).When(c).ThenError(procurement.ErrNotInvitedReason)
	})
	t.Run("inviting_nobody_is_refused", func(t *testing.T) {
		h := evQualified(t, evCPN, evAll4)
		estest.For(t, procurement.Decider).Given(h...).When(evInvite(t)).ThenError(procurement.ErrNoCandidates)
	})
	t.Run("when_nobody_qualified_there_is_nobody_to_invite", func(t *testing.T) {
		h := evQualified(t, evCPN, []string{evAcme, evNordic}, evAcme, evNordic)
		estest.For(t, procurement.Decider).Given(h...).When(evInvite(t)).ThenError(procurement.ErrNoCandidates)
	})
	t.Run("every_request_is_assessed_first", func(t *testing.T) {
		h := evRun(t, evRequests(t, evCPN, evAcme, evNordic, evPolar), evAssess(evAcme, true), evAssess(evNordic, true))
		err := evErr(t, h, evInvite(t, evAcme, evNordic), procurement.ErrQualificationIncomplete)
		evNames(t, err, evReq(evPolar))
	})
	t.Run("the_invited_are_listed_once_in_order", func(t *testing.T) {
		h := evQualified(t, evCPN, []string{evAcme, evNordic, evPolar})
		got := evDecide(t, h, evInvite(t, evPolar, evAcme, evPolar, evNordic))[0].(procurement.CandidatesInvited)
		if !slices.Equal(got.Invited, []string{evAcme, evNordic, evPolar}) {
			t.Fatalf("invited %v", got.Invited)
		}
	})
	t.Run("inviting_again_is_a_no_op", func(t *testing.T) {
		h := evNegotiation(t, timelimits.CompetitiveNegotiation)
		estest.For(t, procurement.Decider).Given(h...).When(evInvite(t, evAcme, evNordic, evPolar)).ThenNothing()
	})
	t.Run("a_different_second_invitation_is_refused", func(t *testing.T) {
		// The invitation went out in writing; it is what it was.
		h := evNegotiation(t, timelimits.CompetitiveNegotiation)
		estest.For(t, procurement.Decider).Given(h...).When(evInvite(t, evAcme, evNordic)).ThenError(procurement.ErrAlreadyInvited)
	})

	t.Run("not_before_the_requests_are_opened", func(t *testing.T) {
		h := evRun(t, evRequestsReceived(t, evCPN, evAcme), procurement.CloseReceipt{By: tdSystem(), At: evPlan().RequestDeadline})
		estest.For(t, procurement.Decider).Given(h...).When(evInvite(t, evAcme)).ThenError(procurement.ErrRequestsNotOpened)
	})
	t.Run("not_while_requests_are_still_received", func(t *testing.T) {
		h := evRequestsReceived(t, evCPN, evAcme)
		estest.For(t, procurement.Decider).Given(h...).When(evInvite(t, evAcme)).ThenError(procurement.ErrNotQualificationPhase)
	})
	t.Run("not_in_a_single_stage_procedure", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evOpened(t)...).When(evInvite(t, evAcme)).ThenError(procurement.ErrNotQualificationPhase)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		h := evCancelled(evQualified(t, evCPN, evAll4))
		estest.For(t, procurement.Decider).Given(h...).When(evInvite(t, evAcme, evNordic, evPolar)).ThenError(procurement.ErrCancelled)
	})
	evOnlyTheLead(t, evQualified(t, evCPN, []string{evAcme, evNordic, evPolar}), func(a actor.Actor) procurement.Command {
		c := evInvite(t, evAcme, evNordic, evPolar)
		c.By = a
		return c
	})
}

// --- who may tender in the second stage ---

func TestInvitedCandidatesAloneTender(t *testing.T) {
	invited := evRestrictedInvited(t)

	t.Run("an_invited_candidate_submits_its_tender", func(t *testing.T) {
		c := evSubmit("t-acme", evAcme, tdAt(100, 9))
		estest.For(t, procurement.Decider).Given(invited...).When(c).
			Then(procurement.BidSubmitted{SealedSubmission: procurement.SealedSubmission{BidID: "t-acme", Supplier: evAcme,
				Lots: []string{"lot-1"}, ReceivedAt: tdAt(100, 9), SHA256: tdHashOf("t-acme"), CiphertextRef: "sealed:t-acme", SizeBytes: 1024}})
	})
	t.Run("a_candidate_not_qualified_cannot_tender", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(invited...).When(evSubmit("t-fjord", evFjord, tdAt(100, 9))).ThenError(procurement.ErrNotInvited)
	})
	t.Run("a_supplier_that_never_asked_to_participate_cannot_tender", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(invited...).When(evSubmit("t-arctic", "arctic", tdAt(100, 9))).ThenError(procurement.ErrNotInvited)
	})
	t.Run("a_qualified_candidate_left_out_cannot_tender", func(t *testing.T) {
		h := evRun(t, evQualified(t, evRestricted, evAll4), evInvite(t, evAcme, evNordic, evPolar))
		estest.For(t, procurement.Decider).Given(h...).When(evSubmit("t-fjord", evFjord, tdAt(100, 9))).ThenError(procurement.ErrNotInvited)
	})
	t.Run("an_eliminated_participant_cannot_submit_a_final_tender", func(t *testing.T) {
		h := evRun(t, evNegotiation(t, timelimits.CompetitiveNegotiation), evEliminate(evPolar), evCallFinal(t, evFinalDue))
		estest.For(t, procurement.Decider).Given(h...).When(evSubmit("t-polar", evPolar, tdAt(110, 9))).ThenError(procurement.ErrNotInvited)
		estest.For(t, procurement.Decider).Given(h...).When(evSubmit("t-acme", evAcme, tdAt(110, 9))).ThenState(func(t testing.TB, s procurement.State) {
			if b := s.Tendering.Bids["t-acme"]; b.Round != procurement.RoundTenders {
				t.Fatalf("tender %+v", b)
			}
		})
	})
	t.Run("nobody_tenders_during_the_negotiation", func(t *testing.T) {
		h := evNegotiation(t, timelimits.CompetitiveNegotiation)
		estest.For(t, procurement.Decider).Given(h...).When(evSubmit("t-acme", evAcme, tdAt(96, 9))).ThenError(procurement.ErrLateSubmission)
	})
	t.Run("the_restricted_procedure_reaches_evaluation_with_the_invited_tenders_only", func(t *testing.T) {
		h := evRun(t, invited, evSubmit("t-nordic", evNordic, tdAt(100, 9)), evSubmit("t-acme", evAcme, tdAt(101, 9)))
		h = evCloseAndOpen(t, h, evPlan().OpeningAt)
		s := fold(t, h)
		if s.Phase != procurement.PhaseEvaluation {
			t.Fatalf("phase %s", s.Phase)
		}
		var ids []string
		for _, b := range s.Tendering.Openings[procurement.RoundTenders].Bids {
			ids = append(ids, b.BidID)
		}
		if !slices.Equal(ids, []string{"t-nordic", "t-acme"}) {
			t.Fatalf("opened %v", ids)
		}
		if s.MayReadBidContent("eva@bergen", tdMember, evReq(evAcme)) {
			t.Fatal("a request to participate is readable as a tender")
		}
		h = evRun(t, h, evDeclare(evEva()))
		estest.For(t, procurement.Decider).Given(h...).When(evScore(evEva(), evReq(evAcme), "quality", 5)).ThenError(procurement.ErrBidNotFound)
	})
}

// --- HoldNegotiationRound ---

func TestHoldNegotiationRound(t *testing.T) {
	negotiation := evNegotiation(t, timelimits.CompetitiveNegotiation)
	const change = "Requirement r1 now asks for operation at -40 °C"

	t.Run("the_lead_records_a_meeting_with_a_participant", func(t *testing.T) {
		evStored(t, negotiation, evRound(1, evAcme),
			procurement.NegotiationRoundHeld{Round: 1, Supplier: evAcme, MinutesHash: evMinutesHash, HeldAt: evRoundAt})
	})
	t.Run("a_meeting_without_changes_is_decided_as_it_is_stored", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(negotiation...).
			When(evRound(1, evAcme)).
			Then(procurement.NegotiationRoundHeld{Round: 1, Supplier: evAcme, MinutesHash: evMinutesHash, HeldAt: evRoundAt})
	})
	t.Run("a_change_of_requirements_goes_to_every_remaining_participant", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(negotiation...).
			When(evRound(1, evNordic, "  "+change+" ")).
			Then(procurement.NegotiationRoundHeld{Round: 1, Supplier: evNordic, MinutesHash: evMinutesHash,
				RequirementsChanged: []string{change}, SentTo: []string{evAcme, evNordic, evPolar}, HeldAt: evRoundAt})
	})
	t.Run("an_eliminated_participant_no_longer_receives_the_changes", func(t *testing.T) {
		h := evRun(t, negotiation, evEliminate(evPolar))
		got := evDecide(t, h, evRound(2, evAcme, change))[0].(procurement.NegotiationRoundHeld)
		if !slices.Equal(got.SentTo, []string{evAcme, evNordic}) {
			t.Fatalf("sent to %v", got.SentTo)
		}
	})
	t.Run("in_every_negotiated_procedure", func(t *testing.T) {
		for _, p := range []timelimits.Procedure{timelimits.CompetitiveDialogue, timelimits.InnovationPartnership} {
			got := evDecide(t, evNegotiation(t, p), evRound(1, evPolar, change))[0].(procurement.NegotiationRoundHeld)
			if !slices.Equal(got.SentTo, []string{evAcme, evNordic, evPolar}) {
				t.Fatalf("%s: sent to %v", p, got.SentTo)
			}
		}
	})
	t.Run("the_minutes_hash_is_kept_in_lower_case", func(t *testing.T) {
		c := evRound(1, evAcme)
		c.MinutesHash = "  " + strings.ToUpper(evMinutesHash)
		got := evDecide(t, negotiation, c)[0].(procurement.NegotiationRoundHeld)
		if got.MinutesHash != evMinutesHash {
			t.Fatalf("minutes hash %q", got.MinutesHash)
		}
	})
	t.Run("rounds_are_kept_in_the_state", func(t *testing.T) {
		h := evRun(t, negotiation, evRound(1, evAcme), evRound(1, evNordic))
		estest.For(t, procurement.Decider).Given(h...).When(evRound(2, evAcme, change)).ThenState(func(t testing.TB, s procurement.State) {
			if n := len(s.Qualification.Rounds); n != 3 {
				t.Fatalf("%d rounds", n)
			}
		})
	})
	t.Run("recording_the_same_round_again_is_a_no_op", func(t *testing.T) {
		h := evRun(t, negotiation, evRound(1, evAcme, change))
		estest.For(t, procurement.Decider).Given(h...).When(evRound(1, evAcme, change)).ThenNothing()
	})
	t.Run("the_same_round_with_another_participant_is_another_meeting", func(t *testing.T) {
		h := evRun(t, negotiation, evRound(1, evAcme))
		evStored(t, h, evRound(1, evNordic),
			procurement.NegotiationRoundHeld{Round: 1, Supplier: evNordic, MinutesHash: evMinutesHash, HeldAt: evRoundAt})
	})
	t.Run("a_round_recorded_differently_is_a_conflict", func(t *testing.T) {
		h := evRun(t, negotiation, evRound(1, evAcme))
		other := evRound(1, evAcme)
		other.MinutesHash = tdHashOf("other minutes")
		estest.For(t, procurement.Decider).Given(h...).When(other).ThenError(procurement.ErrRoundRecorded)
		estest.For(t, procurement.Decider).Given(h...).When(evRound(1, evAcme, change)).ThenError(procurement.ErrRoundRecorded)
	})
	t.Run("a_round_is_a_number_from_1", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(negotiation...).When(evRound(0, evAcme)).ThenError(procurement.ErrInvalidRound)
		estest.For(t, procurement.Decider).Given(negotiation...).When(evRound(-1, evAcme)).ThenError(procurement.ErrInvalidRound)
	})
	t.Run("the_minutes_are_bound_by_a_sha256", func(t *testing.T) {
		c := evRound(1, evAcme)
		c.MinutesHash = "minutes.pdf"
		estest.For(t, procurement.Decider).Given(negotiation...).When(c).ThenError(procurement.ErrInvalidDocumentHash)
	})
	t.Run("a_change_is_1_to_4000_characters", func(t *testing.T) {
		for _, x := range []string{"", "   ", runes(4001)} {
			estest.For(t, procurement.Decider).Given(negotiation...).When(evRound(1, evAcme, x)).ThenError(procurement.ErrChangesRequired)
		}
	})
	t.Run("only_with_a_remaining_participant", func(t *testing.T) {
		h := evRun(t, negotiation, evEliminate(evPolar))
		estest.For(t, procurement.Decider).Given(h...).When(evRound(1, evFjord)).ThenError(procurement.ErrNotParticipant)
		estest.For(t, procurement.Decider).Given(h...).When(evRound(1, evPolar)).ThenError(procurement.ErrNotParticipant)
	})
	t.Run("not_before_the_invitation", func(t *testing.T) {
		h := evQualified(t, evCPN, []string{evAcme, evNordic, evPolar})
		estest.For(t, procurement.Decider).Given(h...).When(evRound(1, evAcme)).ThenError(procurement.ErrNotNegotiationPhase)
	})
	t.Run("not_in_the_restricted_procedure", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evRestrictedInvited(t)...).When(evRound(1, evAcme)).ThenError(procurement.ErrNotNegotiationPhase)
	})
	t.Run("not_after_the_call_for_final_tenders", func(t *testing.T) {
		h := evRun(t, negotiation, evCallFinal(t, evFinalDue))
		estest.For(t, procurement.Decider).Given(h...).When(evRound(2, evAcme)).ThenError(procurement.ErrNotNegotiationPhase)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evCancelled(negotiation)...).When(evRound(1, evAcme)).ThenError(procurement.ErrCancelled)
	})
	evOnlyTheLead(t, negotiation, func(a actor.Actor) procurement.Command {
		c := evRound(1, evAcme)
		c.By = a
		return c
	})
}

// --- EliminateParticipant ---

func TestEliminateParticipant(t *testing.T) {
	negotiation := evNegotiation(t, timelimits.CompetitiveDialogue)

	t.Run("the_lead_eliminates_a_solution_with_a_reason", func(t *testing.T) {
		c := evEliminate(evPolar)
		c.Reason = "  " + c.Reason + " "
		estest.For(t, procurement.Decider).Given(negotiation...).When(c).
			Then(procurement.ParticipantEliminated{Supplier: evPolar, Reason: "the solution cannot meet the minimum requirements", EliminatedAt: evEliminatedAt})
	})
	t.Run("the_eliminated_participant_no_longer_takes_part", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(negotiation...).When(evEliminate(evPolar)).ThenState(func(t testing.TB, s procurement.State) {
			if _, gone := s.Qualification.Eliminated[evPolar]; !gone {
				t.Fatalf("eliminated %v", s.Qualification.Eliminated)
			}
		})
	})
	t.Run("eliminating_again_is_a_no_op", func(t *testing.T) {
		h := evRun(t, negotiation, evEliminate(evPolar))
		again := evEliminate(evPolar)
		again.Reason = "another wording"
		estest.For(t, procurement.Decider).Given(h...).When(again).ThenNothing()
	})
	t.Run("the_reason_is_required", func(t *testing.T) {
		c := evEliminate(evPolar)
		c.Reason = "  "
		estest.For(t, procurement.Decider).Given(negotiation...).When(c).ThenError(procurement.ErrReasonRequired)
		c.Reason = runes(2001)
		estest.For(t, procurement.Decider).Given(negotiation...).When(c).ThenError(procurement.ErrReasonTooLong)
	})
	t.Run("only_a_remaining_participant", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(negotiation...).When(evEliminate(evFjord)).ThenError(procurement.ErrNotParticipant)
	})
	t.Run("the_last_participant_cannot_be_eliminated", func(t *testing.T) {
		h := evRun(t, negotiation, evEliminate(evPolar), evEliminate(evNordic))
		estest.For(t, procurement.Decider).Given(h...).When(evEliminate(evAcme)).ThenError(procurement.ErrLastParticipant)
	})
	t.Run("not_before_the_invitation", func(t *testing.T) {
		h := evQualified(t, evProcedure(timelimits.CompetitiveDialogue, 3, 0), []string{evAcme, evNordic, evPolar})
		estest.For(t, procurement.Decider).Given(h...).When(evEliminate(evPolar)).ThenError(procurement.ErrNotNegotiationPhase)
	})
	t.Run("not_after_the_call_for_final_tenders", func(t *testing.T) {
		h := evRun(t, negotiation, evCallFinal(t, evFinalDue))
		estest.For(t, procurement.Decider).Given(h...).When(evEliminate(evPolar)).ThenError(procurement.ErrNotNegotiationPhase)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evCancelled(negotiation)...).When(evEliminate(evPolar)).ThenError(procurement.ErrCancelled)
	})
	evOnlyTheLead(t, negotiation, func(a actor.Actor) procurement.Command {
		c := evEliminate(evPolar)
		c.By = a
		return c
	})
}

// --- CallForFinalTenders ---

func TestCallForFinalTenders(t *testing.T) {
	negotiation := evNegotiation(t, timelimits.CompetitiveNegotiation)

	t.Run("every_remaining_participant_is_called_with_one_deadline", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(negotiation...).
			When(evCallFinal(t, evFinalDue)).
			Then(procurement.FinalTendersCalled{Deadline: evFinalDue, Recipients: []string{evAcme, evNordic, evPolar},
				Minimum: evMinimum(t, timelimits.CompetitiveNegotiation, evFinalCallAt), CalledAt: evFinalCallAt})
	})
	t.Run("the_eliminated_are_not_called", func(t *testing.T) {
		h := evRun(t, negotiation, evEliminate(evNordic))
		got := evDecide(t, h, evCallFinal(t, evFinalDue))[0].(procurement.FinalTendersCalled)
		if !slices.Equal(got.Recipients, []string{evAcme, evPolar}) {
			t.Fatalf("recipients %v", got.Recipients)
		}
	})
	t.Run("the_call_opens_the_round_of_tenders", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(negotiation...).When(evCallFinal(t, evFinalDue)).
			ThenState(func(t testing.TB, s procurement.State) {
				if s.Phase != procurement.PhaseTendering || s.Tendering.Round != procurement.RoundTenders || !s.Tendering.Deadline.Equal(evFinalDue) {
					t.Fatalf("phase %s round %s deadline %s", s.Phase, s.Tendering.Round, s.Tendering.Deadline)
				}
			})
	})
	t.Run("a_deadline_under_TENDERS_AFTER_INVITATION_is_too_short", func(t *testing.T) {
		// 30 days from day 100 end with day 130, local time.
		estest.For(t, procurement.Decider).Given(negotiation...).When(evCallFinal(t, tdAt(130, 10))).ThenError(timelimits.ErrTooShort)
	})
	t.Run("innovation_partnership_and_dialogue_have_no_fixed_minimum", func(t *testing.T) {
		for _, p := range []timelimits.Procedure{timelimits.InnovationPartnership, timelimits.CompetitiveDialogue} {
			estest.For(t, procurement.Decider).Given(evNegotiation(t, p)...).
				When(evCallFinal(t, tdAt(117, 10))).
				Then(procurement.FinalTendersCalled{Deadline: tdAt(117, 10), Recipients: []string{evAcme, evNordic, evPolar},
					Minimum: evMinimum(t, p, evFinalCallAt), CalledAt: evFinalCallAt})
		}
	})
	t.Run("a_deadline_before_the_published_one_is_refused", func(t *testing.T) {
		h := evNegotiation(t, timelimits.InnovationPartnership)
		estest.For(t, procurement.Decider).Given(h...).When(evCallFinal(t, tdAt(110, 10))).ThenError(procurement.ErrInvalidTimetable)
	})
	t.Run("a_deadline_in_the_past_is_refused", func(t *testing.T) {
		h := evNegotiation(t, timelimits.InnovationPartnership)
		estest.For(t, procurement.Decider).Given(h...).When(evCallFinal(t, tdAt(99, 10))).ThenError(procurement.ErrInvalidTimetable)
	})
	t.Run("the_call_needs_the_time_limit_table", func(t *testing.T) {
		c := evCallFinal(t, evFinalDue)
		c.Limits = nil
		estest.For(t, procurement.Decider).Given(negotiation...).When(c).ThenError(procurement.ErrTimeLimitsUnavailable)
	})
	t.Run("calling_again_with_the_same_deadline_is_a_no_op", func(t *testing.T) {
		h := evRun(t, negotiation, evCallFinal(t, evFinalDue))
		estest.For(t, procurement.Decider).Given(h...).When(evCallFinal(t, evFinalDue)).ThenNothing()
	})
	t.Run("calling_again_with_another_deadline_is_refused", func(t *testing.T) {
		h := evRun(t, negotiation, evCallFinal(t, evFinalDue))
		err := evErr(t, h, evCallFinal(t, evFinalDue.Add(24*time.Hour)), procurement.ErrFinalTendersCalled)
		evNames(t, err, evFinalDue.Format(time.RFC3339))
	})
	t.Run("not_before_the_invitation", func(t *testing.T) {
		h := evQualified(t, evCPN, []string{evAcme, evNordic, evPolar})
		estest.For(t, procurement.Decider).Given(h...).When(evCallFinal(t, evFinalDue)).ThenError(procurement.ErrNotNegotiationPhase)
	})
	t.Run("not_in_the_restricted_procedure", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evRestrictedInvited(t)...).When(evCallFinal(t, evFinalDue)).ThenError(procurement.ErrNotNegotiationPhase)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(evCancelled(negotiation)...).When(evCallFinal(t, evFinalDue)).ThenError(procurement.ErrCancelled)
	})
	evOnlyTheLead(t, negotiation, func(a actor.Actor) procurement.Command {
		c := evCallFinal(t, evFinalDue)
		c.By = a
		return c
	})
}

// TestNegotiationToEvaluationByCommands drives a competitive procedure with
// negotiation from the notice to opened final tenders, the way the
// application does.
func TestNegotiationToEvaluationByCommands(t *testing.T) {
	h := evQualified(t, evCPN, evAll4, evFjord)
	h = evRun(t, h,
		evInvite(t, evAcme, evNordic, evPolar),
		evRound(1, evAcme, "Requirement r1 now asks for operation at -40 °C"),
		evRound(1, evNordic),
		evEliminate(evPolar),
		evRound(2, evAcme),
		evCallFinal(t, evFinalDue),
		evSubmit("f-acme", evAcme, tdAt(110, 9)),
		evSubmit("f-nordic", evNordic, tdAt(111, 9)))
	if _, err := procurement.Decider.Decide(fold(t, h), evSubmit("f-polar", evPolar, tdAt(112, 9))); err == nil {
		t.Fatal("the eliminated participant tendered")
	}
	h = evCloseAndOpen(t, h, tdAt(131, 11))
	s := fold(t, h)
	if s.Phase != procurement.PhaseEvaluation {
		t.Fatalf("phase %s", s.Phase)
	}
	opened := s.Tendering.Openings[procurement.RoundTenders]
	if len(opened.Bids) != 2 || opened.Bids[0].BidID != "f-acme" || opened.Bids[1].BidID != "f-nordic" {
		t.Fatalf("opened %+v", opened.Bids)
	}
	if r := s.Qualification.Rounds[0]; !slices.Equal(r.SentTo, []string{evAcme, evNordic, evPolar}) {
		t.Fatalf("first round %+v", r)
	}
	got := evDecide(t, h, evDeclare(evEva()))[0].(procurement.ConflictOfInterestDeclared)
	if !slices.Equal(got.BiddersSeen, []string{evAcme, evNordic}) {
		t.Fatalf("bidders seen %v", got.BiddersSeen)
	}
}
