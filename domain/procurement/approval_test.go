package procurement_test

import (
	"strings"
	"testing"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// Tests of the tender documents' approval (DOMAIN.md §2 transitions 7–8): the
// lead submits a complete design, the members vote, and the vote is decided
// by the stricter of the agreement's approval and procedure rules; a
// rejection sends the design back to the lead.

func dzSubmit(hash string) procurement.SubmitTenderDocuments {
	return procurement.SubmitTenderDocuments{DocumentHash: hash, By: tdLeadBy(), At: tdAt(45, 9)}
}

func dzApprove(org string, version int) procurement.ApproveTenderDocuments {
	return procurement.ApproveTenderDocuments{Version: version, DocumentHash: tdDocsHash, By: by(org), At: tdAt(46, 9)}
}

func dzReject(org string, version int, comment string) procurement.RejectTenderDocuments {
	return procurement.RejectTenderDocuments{Version: version, Comment: comment, By: by(org), At: tdAt(46, 9)}
}

func dzApproved(org string, version int) procurement.Event {
	return procurement.TenderDocumentsApproved{Org: org, Version: version, DocumentHash: tdDocsHash}
}

func dzRejected(org string, version int) procurement.Event {
	return procurement.TenderDocumentsRejected{Org: org, Version: version, Comment: "the price weighs too much"}
}

func dzDecided(version int, outcome procurement.NeedsOutcome, rule procurement.DecisionRule) procurement.Event {
	return procurement.TenderDocumentsDecided{Version: version, Outcome: outcome, Rule: rule}
}

// dzVoting is a case of members (the first leads) under the agreement's
// procedure and approval rules with version 1 of the documents up for vote.
func dzVoting(procedureRule, approvalRule procurement.DecisionRule, members ...string) []procurement.Event {
	return tdThen(dzInDesign(procedureRule, approvalRule, members...), dzSubmitted())
}

// dzDocumentsAre checks the current documents version and the phase.
func dzDocumentsAre(version int, outcome procurement.NeedsOutcome, phase procurement.Phase) func(testing.TB, procurement.State) {
	return func(t testing.TB, s procurement.State) {
		t.Helper()
		cur, ok := s.CurrentDocuments()
		if !ok || cur.Version != version || cur.Outcome != outcome || s.Phase != phase {
			t.Fatalf("documents %+v (found %v) in %s, want version %d %q in %s", cur, ok, s.Phase, version, outcome, phase)
		}
	}
}

// dzDesignEvents are the events of a complete open-procedure design of
// tdDesigned, without the case before it.
func dzDesignEvents(plan procurement.TimetablePlan) []procurement.Event {
	return tdDesigned(plan)[len(tdDesign()):]
}

func TestSubmitTenderDocuments(t *testing.T) {
	t.Run("the_lead_submits_a_complete_design_for_approval", func(t *testing.T) {
		c := dzSubmit("  " + strings.ToUpper(tdDocsHash) + " ")
		c.At = tdAt(45, 9).In(dzOslo(t))
		estest.For(t, procurement.Decider).Given(tdDesigned(tdPlan())...).When(c).
			Then(procurement.TenderDocumentsSubmitted{Version: 1, DocumentHash: tdDocsHash, SubmittedAt: tdAt(45, 9)})
	})
	t.Run("the_submission_puts_the_case_into_approval", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesigned(tdPlan())...).When(dzSubmit(tdDocsHash)).
			ThenState(dzDocumentsAre(1, "", procurement.PhaseApproval))
	})
	t.Run("submitting_the_same_documents_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(dzSubmit(tdDocsHash)).ThenNothing()
	})
	t.Run("the_approved_documents_submitted_again_are_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdApproved(tdPlan())...).When(dzSubmit(tdDocsHash)).ThenNothing()
	})
	t.Run("other_documents_cannot_replace_those_up_for_approval", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(dzSubmit(tdHashOf("tender documents v2"))).
			ThenError(procurement.ErrNotDesignPhase)
	})
	for name, hash := range map[string]string{
		"no_hash":                   "",
		"a_hash_too_short":          tdDocsHash[:63],
		"a_hash_too_long":           tdDocsHash + "0",
		"a_hash_that_is_not_hex":    strings.Repeat("g", 64),
		"a_hash_with_inner_spaces":  tdDocsHash[:32] + " " + tdDocsHash[33:],
		"the_document_name_instead": "tender-documents-v1.pdf",
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(tdDesigned(tdPlan())...).When(dzSubmit(hash)).ThenError(procurement.ErrInvalidDocumentHash)
		})
	}
	t.Run("an_empty_design_lists_every_gap", func(t *testing.T) {
		c := dzSubmit(tdDocsHash)
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(c).ThenError(procurement.ErrDesignIncomplete)
		msg := dzErrorMessage(t, tdDesign(), c, procurement.ErrDesignIncomplete)
		want := "missing: the procedure; the lots; the requirements; the qualification criteria; the timetable; an appointed evaluator"
		if !strings.HasSuffix(msg, want) {
			t.Fatalf("message %q\nwant it to end %q", msg, want)
		}
	})
	t.Run("a_partnership_without_phases_or_criteria_lists_both", func(t *testing.T) {
		h := dzDesignWith(tdProcedure(timelimits.InnovationPartnership), tdLots(),
			procurement.RequirementsDefined{Version: 1, Requirements: []procurement.Requirement{dzRequirement("r1")}},
			procurement.QualificationCriteriaDefined{Version: 1, ExclusionGrounds: []string{"convictions"}},
			procurement.EvaluatorAppointed{Person: "eva@bergen", Org: tdMember},
			procurement.TimetableSet{Version: 1, Timetable: dzRestrictedPlan(), TimeZone: "Europe/Oslo"})
		msg := dzErrorMessage(t, h, dzSubmit(tdDocsHash), procurement.ErrDesignIncomplete)
		if want := "missing: award criteria for lot lot-1; the partnership phases with targets and maximum costs"; !strings.HasSuffix(msg, want) {
			t.Fatalf("message %q\nwant it to end %q", msg, want)
		}
	})
	t.Run("a_dialogue_awarding_on_price_alone_lacks_a_quality_criterion", func(t *testing.T) {
		h := tdThen(tdDesigned(tdPlan()), tdProcedure(timelimits.CompetitiveDialogue),
			procurement.AwardCriteriaDefined{Version: 2, Criteria: []procurement.AwardCriterion{dzStored(dzPrice("price", ""), "100", 10000)}},
			procurement.TimetableSet{Version: 2, Timetable: dzRestrictedPlan(), TimeZone: "Europe/Oslo"})
		msg := dzErrorMessage(t, h, dzSubmit(tdDocsHash), procurement.ErrDesignIncomplete)
		if want := "missing: a quality criterion for lot lot-1 (competitive dialogue and innovation partnership)"; !strings.HasSuffix(msg, want) {
			t.Fatalf("message %q\nwant it to end %q", msg, want)
		}
	})
	t.Run("a_new_procedure_needs_a_new_timetable", func(t *testing.T) {
		h := tdThen(tdDesigned(tdPlan()), tdProcedure(timelimits.Restricted))
		msg := dzErrorMessage(t, h, dzSubmit(tdDocsHash), procurement.ErrDesignIncomplete)
		if !strings.HasSuffix(msg, "missing: the timetable") {
			t.Fatalf("message %q", msg)
		}
	})
	t.Run("a_lot_without_criteria_is_a_gap", func(t *testing.T) {
		lots := procurement.LotsDefined{Version: 2, Lots: []procurement.Lot{
			{ID: "lot-1", Title: "Sensors", Members: []string{tdMember, tdLead}}, {ID: "lot-2", Title: "Signs", Members: []string{tdLead}}}}
		h := tdThen(tdDesign(), tdProcedure(timelimits.Open), lots,
			procurement.RequirementsDefined{Version: 1, Requirements: []procurement.Requirement{dzRequirement("r1")}},
			procurement.QualificationCriteriaDefined{Version: 1, ExclusionGrounds: []string{"convictions"}},
			procurement.AwardCriteriaDefined{Lot: "lot-1", Version: 1, Criteria: tdCriteria()},
			procurement.EvaluatorAppointed{Person: "eva@bergen", Org: tdMember},
			procurement.TimetableSet{Version: 1, Timetable: tdPlan(), TimeZone: "Europe/Oslo"})
		if msg := dzErrorMessage(t, h, dzSubmit(tdDocsHash), procurement.ErrDesignIncomplete); !strings.HasSuffix(msg, "missing: award criteria for lot lot-2") {
			t.Fatalf("message %q", msg)
		}
		estest.For(t, procurement.Decider).Given(tdThen(h, procurement.AwardCriteriaDefined{Lot: "lot-2", Version: 1, Criteria: tdCriteria()})...).
			When(dzSubmit(tdDocsHash)).Then(procurement.TenderDocumentsSubmitted{Version: 1, DocumentHash: tdDocsHash, SubmittedAt: tdAt(45, 9)})
	})
	t.Run("a_case_without_committed_values_lacks_the_estimated_value", func(t *testing.T) {
		h := ndVoting(procurement.RuleUnanimous, tdLead, tdMember)
		h = append(h, ndApproved(tdLead, 1), ndApproved(tdMember, 1),
			ndDecided(1, procurement.NeedsApproved, procurement.RuleUnanimous, []string{tdMember, tdLead}, nil),
			tdNoticeEvent(), tdRegistered(tdSupplier), tdDialogueClosed())
		h = append(h, dzDesignEvents(tdPlan())...)
		if msg := dzErrorMessage(t, h, dzSubmit(tdDocsHash), procurement.ErrDesignIncomplete); !strings.HasSuffix(msg, "missing: the estimated value (committed volumes with values)") {
			t.Fatalf("message %q", msg)
		}
	})
	t.Run("a_lot_left_without_a_buyer_by_a_withdrawal_is_a_gap", func(t *testing.T) {
		h := dzInDesign(procurement.RuleUnanimous, procurement.RuleUnanimous, "oslo", "bergen", "tromso")
		h = append(h, tdProcedure(timelimits.Open),
			procurement.LotsDefined{Version: 1, Lots: []procurement.Lot{
				{ID: "lot-1", Title: "Sensors", Members: []string{"bergen", "oslo"}}, {ID: "lot-2", Title: "Signs", Members: []string{"tromso"}}}},
			procurement.RequirementsDefined{Version: 1, Requirements: []procurement.Requirement{dzRequirement("r1")}},
			procurement.QualificationCriteriaDefined{Version: 1, ExclusionGrounds: []string{"convictions"}},
			procurement.AwardCriteriaDefined{Version: 1, Criteria: tdCriteria()},
			procurement.EvaluatorAppointed{Person: "eva@bergen", Org: tdMember},
			procurement.TimetableSet{Version: 1, Timetable: tdPlan(), TimeZone: "Europe/Oslo"},
			withdrew("tromso"))
		estest.For(t, procurement.Decider).Given(h...).When(dzSubmit(tdDocsHash)).ThenError(procurement.ErrDesignIncomplete)
	})
	t.Run("after_a_rejection_the_lead_resubmits_as_version_2", func(t *testing.T) {
		h := tdThen(dzInApproval(), dzRejected(tdMember, 1), dzDecided(1, procurement.NeedsRejected, procurement.RuleUnanimous))
		v2 := tdHashOf("tender documents v2")
		estest.For(t, procurement.Decider).Given(h...).When(dzSubmit(v2)).
			Then(procurement.TenderDocumentsSubmitted{Version: 2, DocumentHash: v2, SubmittedAt: tdAt(45, 9)})
		estest.For(t, procurement.Decider).Given(h...).When(dzSubmit(v2)).ThenState(dzDocumentsAre(2, "", procurement.PhaseApproval))
	})
	t.Run("after_a_rejection_the_same_documents_may_be_put_to_the_vote_again", func(t *testing.T) {
		h := tdThen(dzInApproval(), dzRejected(tdMember, 1), dzDecided(1, procurement.NeedsRejected, procurement.RuleUnanimous))
		estest.For(t, procurement.Decider).Given(h...).When(dzSubmit(tdDocsHash)).
			Then(procurement.TenderDocumentsSubmitted{Version: 2, DocumentHash: tdDocsHash, SubmittedAt: tdAt(45, 9)})
	})
	t.Run("after_a_rejection_an_incomplete_design_cannot_be_resubmitted", func(t *testing.T) {
		h := tdThen(dzInApproval(), dzRejected(tdMember, 1), dzDecided(1, procurement.NeedsRejected, procurement.RuleUnanimous),
			tdProcedure(timelimits.Restricted))
		estest.For(t, procurement.Decider).Given(h...).When(dzSubmit(tdHashOf("v2"))).ThenError(procurement.ErrDesignIncomplete)
	})
}

func TestApproveTenderDocuments(t *testing.T) {
	t.Run("the_lead_approves_and_the_vote_stays_open", func(t *testing.T) {
		c := dzApprove(tdLead, 1)
		c.Comment = "  fine by us "
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(c).
			Then(procurement.TenderDocumentsApproved{Org: tdLead, Version: 1, DocumentHash: tdDocsHash, Comment: "fine by us"})
	})
	t.Run("the_last_approval_under_unanimity_approves_the_documents", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(dzInApproval(), dzApproved(tdLead, 1))...).When(dzApprove(tdMember, 1)).
			Then(dzApproved(tdMember, 1), dzDecided(1, procurement.NeedsApproved, procurement.RuleUnanimous))
	})
	t.Run("approved_documents_keep_the_case_in_approval_until_the_notice", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(dzInApproval(), dzApproved(tdLead, 1))...).When(dzApprove(tdMember, 1)).
			ThenState(dzDocumentsAre(1, procurement.NeedsApproved, procurement.PhaseApproval))
	})
	t.Run("the_hash_may_be_given_in_capitals", func(t *testing.T) {
		c := dzApprove(tdLead, 1)
		c.DocumentHash = strings.ToUpper(tdDocsHash)
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(c).Then(dzApproved(tdLead, 1))
	})
	t.Run("other_documents_cannot_be_approved", func(t *testing.T) {
		c := dzApprove(tdMember, 1)
		c.DocumentHash = tdHashOf("an older draft")
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(c).ThenError(procurement.ErrDocumentsHashMismatch)
	})
	t.Run("an_approval_without_a_hash_is_refused", func(t *testing.T) {
		c := dzApprove(tdMember, 1)
		c.DocumentHash = ""
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(c).ThenError(procurement.ErrInvalidDocumentHash)
	})
	t.Run("version_0_is_no_version", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(dzApprove(tdMember, 0)).ThenError(procurement.ErrInvalidDocumentsVersion)
	})
	t.Run("a_version_not_up_for_approval_is_refused", func(t *testing.T) {
		c := dzApprove(tdMember, 2)
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(c).ThenError(procurement.ErrDocumentsVersionOutdated)
		if msg := dzErrorMessage(t, dzInApproval(), c, procurement.ErrDocumentsVersionOutdated); !strings.HasSuffix(msg, "the current version is 1") {
			t.Fatalf("message %q", msg)
		}
	})
	t.Run("approving_twice_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(dzInApproval(), dzApproved(tdLead, 1))...).When(dzApprove(tdLead, 1)).
			ThenError(procurement.ErrAlreadyVoted)
	})
	t.Run("a_comment_over_2000_letters_is_refused", func(t *testing.T) {
		c := dzApprove(tdMember, 1)
		c.Comment = runes(2001)
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(c).ThenError(procurement.ErrReasonTooLong)
	})
	t.Run("the_hub_has_no_vote", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(dzApprove(hub, 1)).ThenError(procurement.ErrNotMember)
	})
	t.Run("a_stranger_finds_no_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(dzApprove("tromso", 1)).ThenError(procurement.ErrNotFound)
	})
	t.Run("a_supplier_finds_no_case", func(t *testing.T) {
		c := dzApprove(tdSupplier, 1)
		c.By = tdSup(tdSupplier)
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(c).ThenError(procurement.ErrNotFound)
	})
	t.Run("a_member_that_withdrew_has_no_vote", func(t *testing.T) {
		h := tdThen(dzVoting(procurement.RuleUnanimous, procurement.RuleUnanimous, "oslo", "bergen", "tromso"), withdrew("tromso"))
		estest.For(t, procurement.Decider).Given(h...).When(dzApprove("tromso", 1)).ThenError(procurement.ErrNotMember)
	})
	t.Run("nothing_is_up_for_approval_during_the_design", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesigned(tdPlan())...).When(dzApprove(tdMember, 1)).ThenError(procurement.ErrNotApprovalPhase)
	})
	t.Run("refused_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(dzInApproval(), cancelled())...).When(dzApprove(tdMember, 1)).ThenError(procurement.ErrCancelled)
	})
	t.Run("a_rejected_version_takes_no_more_votes", func(t *testing.T) {
		h := tdThen(dzInApproval(), dzRejected(tdMember, 1), dzDecided(1, procurement.NeedsRejected, procurement.RuleUnanimous))
		estest.For(t, procurement.Decider).Given(h...).When(dzApprove(tdLead, 1)).ThenError(procurement.ErrDocumentsVersionDecided)
	})
	t.Run("after_a_resubmission_the_rejected_version_is_outdated", func(t *testing.T) {
		v2 := tdHashOf("tender documents v2")
		h := tdThen(dzInApproval(), dzRejected(tdMember, 1), dzDecided(1, procurement.NeedsRejected, procurement.RuleUnanimous),
			procurement.TenderDocumentsSubmitted{Version: 2, DocumentHash: v2, SubmittedAt: tdAt(47, 9)})
		estest.For(t, procurement.Decider).Given(h...).When(dzApprove(tdLead, 1)).ThenError(procurement.ErrDocumentsVersionOutdated)
		c := dzApprove(tdMember, 2)
		c.DocumentHash = v2
		estest.For(t, procurement.Decider).Given(h...).When(c).
			Then(procurement.TenderDocumentsApproved{Org: tdMember, Version: 2, DocumentHash: v2})
	})
	t.Run("a_member_that_rejected_version_1_may_approve_version_2", func(t *testing.T) {
		v2 := tdHashOf("tender documents v2")
		h := tdThen(dzInApproval(), dzApproved(tdLead, 1), dzRejected(tdMember, 1), dzDecided(1, procurement.NeedsRejected, procurement.RuleUnanimous),
			procurement.TenderDocumentsSubmitted{Version: 2, DocumentHash: v2, SubmittedAt: tdAt(47, 9)},
			procurement.TenderDocumentsApproved{Org: tdLead, Version: 2, DocumentHash: v2})
		c := dzApprove(tdMember, 2)
		c.DocumentHash = v2
		estest.For(t, procurement.Decider).Given(h...).When(c).
			Then(procurement.TenderDocumentsApproved{Org: tdMember, Version: 2, DocumentHash: v2}, dzDecided(2, procurement.NeedsApproved, procurement.RuleUnanimous))
	})
}

func TestRejectTenderDocuments(t *testing.T) {
	t.Run("one_rejection_under_unanimity_rejects_and_returns_the_case_to_the_design", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(dzReject(tdMember, 1, "  the price weighs too much ")).
			Then(dzRejected(tdMember, 1), dzDecided(1, procurement.NeedsRejected, procurement.RuleUnanimous))
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(dzReject(tdMember, 1, "the price weighs too much")).
			ThenState(dzDocumentsAre(1, procurement.NeedsRejected, procurement.PhaseDesign))
	})
	t.Run("the_lead_may_reject_its_own_documents", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(dzReject(tdLead, 1, "the price weighs too much")).
			Then(procurement.TenderDocumentsRejected{Org: tdLead, Version: 1, Comment: "the price weighs too much"},
				dzDecided(1, procurement.NeedsRejected, procurement.RuleUnanimous))
	})
	t.Run("a_rejection_needs_a_reason", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(dzReject(tdMember, 1, "   ")).ThenError(procurement.ErrRejectionReasonRequired)
	})
	t.Run("a_reason_over_2000_letters_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(dzReject(tdMember, 1, runes(2001))).ThenError(procurement.ErrReasonTooLong)
	})
	t.Run("a_reason_of_2000_letters_is_allowed", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(dzReject(tdMember, 1, runes(2000))).
			Then(procurement.TenderDocumentsRejected{Org: tdMember, Version: 1, Comment: runes(2000)},
				dzDecided(1, procurement.NeedsRejected, procurement.RuleUnanimous))
	})
	t.Run("rejecting_after_approving_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(dzInApproval(), dzApproved(tdLead, 1))...).
			When(dzReject(tdLead, 1, "changed our mind")).ThenError(procurement.ErrAlreadyVoted)
	})
	t.Run("a_version_not_up_for_approval_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(dzReject(tdMember, 3, "no")).ThenError(procurement.ErrDocumentsVersionOutdated)
	})
	t.Run("version_0_is_no_version", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(dzReject(tdMember, 0, "no")).ThenError(procurement.ErrInvalidDocumentsVersion)
	})
	t.Run("the_hub_has_no_vote", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(dzReject(hub, 1, "no")).ThenError(procurement.ErrNotMember)
	})
	t.Run("a_stranger_finds_no_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzInApproval()...).When(dzReject("tromso", 1, "no")).ThenError(procurement.ErrNotFound)
	})
	t.Run("nothing_is_up_for_approval_during_the_design", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesigned(tdPlan())...).When(dzReject(tdMember, 1, "no")).ThenError(procurement.ErrNotApprovalPhase)
	})
	t.Run("approved_documents_take_no_more_votes", func(t *testing.T) {
		// Under a majority of three, the third member comes too late.
		h := tdThen(dzVoting(procurement.RuleMajority, procurement.RuleMajority, "oslo", "bergen", "tromso"),
			dzApproved("oslo", 1), dzApproved("bergen", 1), dzDecided(1, procurement.NeedsApproved, procurement.RuleMajority))
		estest.For(t, procurement.Decider).Given(h...).When(dzReject("tromso", 1, "too late")).ThenError(procurement.ErrDocumentsVersionDecided)
	})
}

func TestTenderDocumentsDecided(t *testing.T) {
	three := []string{"oslo", "bergen", "tromso"}
	majority := dzVoting(procurement.RuleMajority, procurement.RuleMajority, three...)
	t.Run("under_majority_one_approval_of_three_decides_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(majority...).When(dzApprove("bergen", 1)).Then(dzApproved("bergen", 1))
	})
	t.Run("under_majority_two_approvals_of_three_approve", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(majority, dzApproved("oslo", 1))...).When(dzApprove("tromso", 1)).
			Then(dzApproved("tromso", 1), dzDecided(1, procurement.NeedsApproved, procurement.RuleMajority))
	})
	t.Run("under_majority_one_rejection_of_three_decides_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(majority...).When(dzReject("bergen", 1, "the price weighs too much")).
			Then(dzRejected("bergen", 1))
	})
	t.Run("under_majority_a_rejection_is_outvoted", func(t *testing.T) {
		h := tdThen(majority, dzRejected("bergen", 1), dzApproved("oslo", 1))
		estest.For(t, procurement.Decider).Given(h...).When(dzApprove("tromso", 1)).
			Then(dzApproved("tromso", 1), dzDecided(1, procurement.NeedsApproved, procurement.RuleMajority))
	})
	t.Run("under_majority_two_rejections_of_three_reject", func(t *testing.T) {
		h := tdThen(majority, dzRejected("bergen", 1))
		estest.For(t, procurement.Decider).Given(h...).When(dzReject("tromso", 1, "the price weighs too much")).
			Then(dzRejected("tromso", 1), dzDecided(1, procurement.NeedsRejected, procurement.RuleMajority))
		estest.For(t, procurement.Decider).Given(h...).When(dzReject("tromso", 1, "the price weighs too much")).
			ThenState(dzDocumentsAre(1, procurement.NeedsRejected, procurement.PhaseDesign))
	})
	t.Run("under_majority_a_tie_of_four_rejects", func(t *testing.T) {
		h := tdThen(dzVoting(procurement.RuleMajority, procurement.RuleMajority, "oslo", "bergen", "tromso", "alta"),
			dzApproved("oslo", 1), dzApproved("bergen", 1), dzRejected("tromso", 1))
		estest.For(t, procurement.Decider).Given(h...).When(dzReject("alta", 1, "the price weighs too much")).
			Then(dzRejected("alta", 1), dzDecided(1, procurement.NeedsRejected, procurement.RuleMajority))
	})

	leadDecides := dzVoting(procurement.RuleLeadDecides, procurement.RuleLeadDecides, three...)
	t.Run("when_the_lead_decides_the_members_approvals_decide_nothing", func(t *testing.T) {
		h := tdThen(leadDecides, dzApproved("bergen", 1))
		estest.For(t, procurement.Decider).Given(h...).When(dzApprove("tromso", 1)).Then(dzApproved("tromso", 1))
	})
	t.Run("when_the_lead_decides_a_members_rejection_decides_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(leadDecides...).When(dzReject("bergen", 1, "the price weighs too much")).
			Then(dzRejected("bergen", 1))
	})
	t.Run("when_the_lead_decides_its_approval_approves", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(leadDecides, dzRejected("bergen", 1))...).When(dzApprove("oslo", 1)).
			Then(dzApproved("oslo", 1), dzDecided(1, procurement.NeedsApproved, procurement.RuleLeadDecides))
	})
	t.Run("when_the_lead_decides_its_rejection_rejects", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(leadDecides, dzApproved("bergen", 1))...).
			When(dzReject("oslo", 1, "the price weighs too much")).
			Then(dzRejected("oslo", 1), dzDecided(1, procurement.NeedsRejected, procurement.RuleLeadDecides))
	})

	// The documents fix the procedure: the stricter of the approval and the
	// procedure rule decides.
	unanimousProcedure := dzVoting(procurement.RuleUnanimous, procurement.RuleMajority, three...)
	t.Run("a_unanimous_procedure_rule_overrides_a_majority_approval_rule", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(unanimousProcedure, dzApproved("oslo", 1))...).When(dzApprove("bergen", 1)).
			Then(dzApproved("bergen", 1))
	})
	t.Run("under_the_stricter_unanimity_the_last_approval_approves", func(t *testing.T) {
		h := tdThen(unanimousProcedure, dzApproved("oslo", 1), dzApproved("bergen", 1))
		estest.For(t, procurement.Decider).Given(h...).When(dzApprove("tromso", 1)).
			Then(dzApproved("tromso", 1), dzDecided(1, procurement.NeedsApproved, procurement.RuleUnanimous))
	})
	t.Run("under_the_stricter_unanimity_one_rejection_rejects", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdThen(unanimousProcedure, dzApproved("oslo", 1))...).
			When(dzReject("tromso", 1, "the price weighs too much")).
			Then(dzRejected("tromso", 1), dzDecided(1, procurement.NeedsRejected, procurement.RuleUnanimous))
	})
	t.Run("the_ndcase_agreement_with_a_majority_approval_rule_votes_unanimously", func(t *testing.T) {
		h := tdThen(ndCase(procurement.RuleMajority, three...), tdNoticeEvent(), tdDialogueClosed(), dzSubmitted(),
			dzApproved("oslo", 1), dzApproved("bergen", 1))
		estest.For(t, procurement.Decider).Given(h...).When(dzApprove("tromso", 1)).
			Then(dzApproved("tromso", 1), dzDecided(1, procurement.NeedsApproved, procurement.RuleUnanimous))
	})
	t.Run("a_unanimous_approval_rule_overrides_a_majority_procedure_rule", func(t *testing.T) {
		h := tdThen(dzVoting(procurement.RuleMajority, procurement.RuleUnanimous, three...), dzApproved("oslo", 1))
		estest.For(t, procurement.Decider).Given(h...).When(dzApprove("bergen", 1)).Then(dzApproved("bergen", 1))
	})
	t.Run("a_majority_approval_rule_overrides_the_lead_deciding_the_procedure", func(t *testing.T) {
		h := tdThen(dzVoting(procurement.RuleLeadDecides, procurement.RuleMajority, three...), dzApproved("oslo", 1))
		estest.For(t, procurement.Decider).Given(h...).When(dzApprove("bergen", 1)).
			Then(dzApproved("bergen", 1), dzDecided(1, procurement.NeedsApproved, procurement.RuleMajority))
	})
	t.Run("a_majority_procedure_rule_overrides_the_lead_deciding_the_approval", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(dzVoting(procurement.RuleMajority, procurement.RuleLeadDecides, three...)...).
			When(dzApprove("oslo", 1)).Then(dzApproved("oslo", 1))
	})

	t.Run("a_member_withdrawing_during_the_vote_lets_the_others_decide", func(t *testing.T) {
		h := tdThen(dzVoting(procurement.RuleUnanimous, procurement.RuleUnanimous, three...), dzApproved("oslo", 1), dzApproved("bergen", 1))
		estest.For(t, procurement.Decider).Given(h...).
			When(procurement.WithdrawMunicipality{Reason: "the council cut the budget", By: by("tromso"), At: tdAt(46, 12)}).
			ThenState(func(t testing.TB, s procurement.State) {
				dzDocumentsAre(1, procurement.NeedsApproved, procurement.PhaseApproval)(t, s)
				if cur, _ := s.CurrentDocuments(); len(cur.Approvals) != 2 {
					t.Fatalf("approvals %v", cur.Approvals)
				}
			})
	})
	t.Run("a_decided_vote_is_not_decided_again", func(t *testing.T) {
		// A vote that reached its result records the result once: the
		// history of an approved version stays as it was when the next
		// member's vote is refused.
		h := tdThen(majority, dzApproved("oslo", 1), dzApproved("bergen", 1), dzDecided(1, procurement.NeedsApproved, procurement.RuleMajority))
		estest.For(t, procurement.Decider).Given(h...).When(dzApprove("tromso", 1)).ThenError(procurement.ErrDocumentsVersionDecided)
	})
}
