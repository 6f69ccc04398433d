package procurement_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// ndOneOfEachType is one example of every procurement event type.
func ndOneOfEachType() []procurement.Event {
	out := []procurement.Event{
		created(), invited("bergen"), joined("bergen"), declined("oslo"), withdrew("bergen"), cancelled(),
		procurement.RecruitmentOpened{},
		procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}},
		ndAnchored("bergen"),
		ndMandate("bergen", "oslo"),
		procurement.MandateRevoked{MandateID: "m-bergen", From: "bergen", Reason: "new lead"},
		procurement.CooperationAgreementDrafted{Version: 1, Terms: ndTerms(procurement.RuleUnanimous)},
		procurement.CooperationAgreementAmended{Version: 2, Terms: ndTerms(procurement.RuleMajority)},
		ndSigned("bergen", 1),
		procurement.LeadConsentGiven{Org: "bergen", Lead: "oslo"},
		procurement.LeadAuthorityDesignated{Lead: "oslo", ConsentFrom: []string{"bergen", "oslo"}},
		procurement.CostSharingKeySet{Version: 1, Key: ndEqualKey},
		procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: day(15), Reason: procurement.ReasonKeySet, Shares: ndEqualShares([]string{"bergen", "oslo"})},
		procurement.AgreementConcluded{Version: 1, DocumentHash: ndHash, Lead: "oslo", Members: []string{"bergen", "oslo"}, Mandates: []string{"m-bergen"}, CostKeyVersion: 1},
		ndDrafted("bergen", 1, ndNeed("n1")),
		ndSubmitted("bergen", 1, ndNeed("n1")),
		ndConsolidated(1, []procurement.SubmissionRef{ndSrc("bergen", 1)}, ndCommon("c1", ndRef("bergen", "n1"))),
		ndApproved("bergen", 1),
		ndRejected("oslo", 1, "no"),
		ndDecided(1, procurement.NeedsRejected, procurement.RuleUnanimous, []string{"bergen"}, []string{"oslo"}),
		cmCommitted("bergen", cmBinding, "1", 100),
		procurement.VolumeCommitmentChanged{Commitment: cmCommitment("bergen", cmBinding, "2", 200), PreviousQuantity: "1", PreviousValue: 100},
		// The market dialogue, the competition design and the tendering (issue 5).
		tdNoticeEvent(),
		tdRegistered(tdSupplier),
		procurement.DialogueEventScheduled{EventID: "conf", Type: procurement.DialogueConference, Title: "Meet the buyers", StartsAt: tdAt(25, 9), OfferedTo: []string{tdSupplier}},
		procurement.DialogueEventCancelled{EventID: "conf", Reason: "the room is taken"},
		procurement.DialogueMeetingMinuted{EventID: "conf", Attendees: []string{tdSupplier}, PublicSummary: "We presented the needs."},
		procurement.QuestionReceived{QuestionID: "q1", Supplier: tdSupplier, Text: "Does radar qualify?", Stage: procurement.StageDialogue, ReceivedAt: tdAt(23, 9), RecordedBy: tdSupplier},
		procurement.AnswerPublished{QuestionID: "q1", AnonymisedQuestion: "Does radar qualify?", Answer: "Yes", PublishedAt: tdAt(24, 9), RecipientCount: 1},
		tdDialogueClosed(),
		tdProcedure(timelimits.InnovationPartnership),
		tdLots(),
		procurement.RequirementsDefined{Version: 1, Requirements: []procurement.Requirement{{ID: "r1", Kind: procurement.RequirementMinimum, Text: "Works at -30 °C"}}},
		procurement.QualificationCriteriaDefined{Version: 1, ExclusionGrounds: []string{"convictions"}},
		procurement.AwardCriteriaDefined{Version: 1, Criteria: tdCriteria()},
		procurement.PartnershipPhasesDefined{Version: 1, Phases: []procurement.PartnershipPhase{{ID: "p1", Goal: "prototype", IntermediateTargets: []string{"works at -30 °C"}, MaxCost: "100000.00", Due: "2025-12-31"}},
			PurchaseConditions: procurement.PurchaseConditions{PerformanceLevel: "detects 95 %", MaxCost: "500000.00"}},
		procurement.EvaluatorAppointed{Person: "eva@bergen", Org: "bergen"},
		procurement.TimetableSet{Version: 1, Timetable: tdPlan(), TimeZone: "Europe/Oslo"},
		procurement.TenderDocumentsSubmitted{Version: 1, DocumentHash: tdDocsHash, SubmittedAt: tdAt(45, 9)},
		procurement.TenderDocumentsApproved{Org: "bergen", Version: 1, DocumentHash: tdDocsHash},
		procurement.TenderDocumentsRejected{Org: "oslo", Version: 1, Comment: "too vague"},
		procurement.TenderDocumentsDecided{Version: 1, Outcome: procurement.NeedsRejected, Rule: procurement.RuleUnanimous},
		procurement.ContractNoticePublished{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-200300", DocumentsVersion: 1, DocumentHash: tdDocsHash,
			Buyers: []string{"bergen", "oslo"}, PublishedAt: tdAt(50, 9), Round: procurement.RoundTenders, Deadline: tdAt(90, 10)},
		procurement.TenderAmended{Number: 1, Changes: []string{"colder"}, Rationale: "new need", Material: true, RecipientCount: 1, AmendedAt: tdAt(85, 9)},
		procurement.TenderDeadlineExtended{Round: procurement.RoundTenders, From: tdAt(90, 10), To: tdAt(95, 10)},
		procurement.BidsRequireConfirmation{Amendment: 1, BidIDs: []string{"b1"}},
		procurement.RequestToParticipateReceived{SealedSubmission: tdBid("r1", tdSupplier).(procurement.BidSubmitted).SealedSubmission},
		tdBid("b1", tdOther),
		procurement.BidReplaced{BidID: "b1", Version: 2, ReceivedAt: tdAt(70, 9), SHA256: tdHashOf("v2"), CiphertextRef: "sealed:v2", SizeBytes: 10},
		procurement.BidWithdrawn{BidID: "b1", WithdrawnAt: tdAt(71, 9)},
		procurement.BidConfirmed{BidID: "b1", Amendment: 1},
		procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: tdAt(95, 10), ClosedAt: tdAt(95, 10), Submissions: []string{"b1"}, PerLot: map[string]int{"lot-1": 1}},
		procurement.BidOpeningStarted{Round: procurement.RoundTenders, By: "officer@oslo"},
		tgOpened(tdAt(95, 11), true, "officer@oslo", "signatory@oslo"),
		procurement.ReminderSent{Kind: procurement.ReminderUnansweredQuestion, Subject: "q1", Recipients: []string{"oslo"}, Day: "2025-05-16"},
	}
	// Qualification, evaluation, award, contracting, follow-up and the early endings (issue 6).
	return append(out, awardEventExamples()...)
}

// vsClass is an event type's confidentiality class and, for ORG_PRIVATE and
// SEALED, whose it is in ndOneOfEachType's example.
type vsClass struct {
	class procurement.Visibility
	owner string
}

// vsClasses is the class of every registered event type (DOMAIN.md §5): a new
// event type must be added here, which forces a decision on who may see it.
var vsClasses = func() map[string]vsClass {
	m := map[string]vsClass{
		"NeedsDraftSaved": {procurement.VisibilityOrgPrivate, "bergen"},
		// Notices, anonymised answers and deadline extensions are public.
		"DialogueNoticePublished": {procurement.VisibilityPublic, ""},
		"AnswerPublished":         {procurement.VisibilityPublic, ""},
		"ContractNoticePublished": {procurement.VisibilityPublic, ""},
		"TenderDeadlineExtended":  {procurement.VisibilityPublic, ""},
		// What every registered supplier receives.
		"DialogueEventScheduled": {procurement.VisibilitySupplier, ""},
		"DialogueEventCancelled": {procurement.VisibilitySupplier, ""},
		"TenderAmended":          {procurement.VisibilitySupplier, ""},
		// Sealed submissions: the receipt belongs to its supplier.
		"RequestToParticipateReceived": {procurement.VisibilitySealed, tdSupplier},
		"BidSubmitted":                 {procurement.VisibilitySealed, tdOther},
		"BidReplaced":                  {procurement.VisibilitySealed, ""},
		"BidWithdrawn":                 {procurement.VisibilitySealed, ""},
		"BidConfirmed":                 {procurement.VisibilitySealed, ""},
		"BidsRequireConfirmation":      {procurement.VisibilitySealed, ""},
		// A cancellation, an unsuccessful procedure and the award notice are published.
		"ProcurementCancelled":    {procurement.VisibilityPublic, ""},
		"ProcurementUnsuccessful": {procurement.VisibilityPublic, ""},
		"AwardNoticePublished":    {procurement.VisibilityPublic, ""},
		// One evaluator's score is that evaluator's until it locks.
		"BidScored": {procurement.VisibilityEvaluatorPrivate, "eva@bergen"},
		// Negotiation minutes and clarifications are a tenderer's business secrets.
		"NegotiationRoundHeld":   {procurement.VisibilityCommercialConf, tdSupplier},
		"ClarificationRequested": {procurement.VisibilityCommercialConf, tdSupplier},
		"ClarificationReceived":  {procurement.VisibilityCommercialConf, ""},
		// The consensus names every evaluator's individual score.
		"ConsensusScoreRecorded": {procurement.VisibilityEvaluatorPrivate, ""},
		// A member's own records under a contract.
		"CallOffPlaced":   {procurement.VisibilityMemberRecord, tdMember},
		"PaymentRecorded": {procurement.VisibilityMemberRecord, tdMember},
		"EffectMeasured":  {procurement.VisibilityMemberRecord, tdMember},
	}
	for _, name := range []string{
		"CaseCreated", "MunicipalityInvited", "MunicipalityJoined", "InvitationDeclined", "MunicipalityWithdrawn",
		"RecruitmentOpened", "RecruitmentClosed", "AnchoringDecisionRecorded", "MandateGranted",
		"MandateRevoked", "CooperationAgreementDrafted", "CooperationAgreementAmended", "CooperationAgreementSigned",
		"LeadConsentGiven", "LeadAuthorityDesignated", "CostSharingKeySet", "CostSharesCalculated", "AgreementConcluded",
		"NeedsSubmitted", "NeedsConsolidated", "ConsolidatedNeedsApproved", "ConsolidatedNeedsRejected",
		"ConsolidatedNeedsDecided", "VolumeCommitted", "VolumeCommitmentChanged",
		// Who registered and who asked what stay inside the case.
		"SupplierRegistered", "QuestionReceived", "DialogueMeetingMinuted", "MarketDialogueClosed",
		"ProcedureSelected", "LotsDefined", "RequirementsDefined", "QualificationCriteriaDefined", "AwardCriteriaDefined",
		"PartnershipPhasesDefined", "EvaluatorAppointed", "TimetableSet", "TenderDocumentsSubmitted",
		"TenderDocumentsApproved", "TenderDocumentsRejected", "TenderDocumentsDecided",
		// Closing and opening name no content; the protocol is for the case.
		"TenderingClosed", "BidOpeningStarted", "BidsOpened", "ReminderSent",
		// The rest of issue 6 is the case's own business: decisions, declarations,
		// locks (a hash, no scores), consensus, the report, contracts and follow-up.
		"QualificationAssessed", "CandidatesInvited", "ParticipantEliminated", "FinalTendersCalled",
		"ConflictOfInterestDeclared", "EvaluatorRecused", "EvaluatorScoresLocked", "BidRejected",
		"EvaluationReportFinalized", "AwardDecided", "AwardNotificationSent", "StandstillStarted", "StandstillEnded",
		"ComplaintReceived", "ContractingSuspended", "ReviewResolved", "AwardRevoked", "ContractSignatureRecorded", "ContractSigned",
		"MilestoneRecorded", "ContractDeviationRecorded", "PartnershipPhaseCompleted", "PartnershipTerminated",
		"ContractClosed", "CaseClosed",
		"CancellationProposed", "CancellationApproved", "CancellationRejected", "CancellationDeclined",
		"WithdrawalRequested", "WithdrawalApproved",
	} {
		m[name] = vsClass{procurement.VisibilityCaseInternal, ""}
	}
	return m
}()

func TestVisibility(t *testing.T) {
	t.Run("the_examples_cover_every_registered_event_type", func(t *testing.T) {
		var names []string
		for _, e := range ndOneOfEachType() {
			names = append(names, e.EventType())
		}
		slices.Sort(names)
		if want := procurement.Events().Names(); !slices.Equal(names, slices.Sorted(slices.Values(want))) {
			t.Fatalf("examples %v\nregistered %v", names, want)
		}
	})
	t.Run("a_needs_draft_is_org_private_to_its_member", func(t *testing.T) {
		v, owner := procurement.VisibilityOf(ndDrafted("bergen", 1, ndNeed("n1")))
		if v != procurement.VisibilityOrgPrivate || owner != "bergen" {
			t.Fatalf("got %s of %q, want ORG_PRIVATE of bergen", v, owner)
		}
	})
	t.Run("only_its_member_sees_a_needs_draft", func(t *testing.T) {
		e := ndDrafted("bergen", 1, ndNeed("n1"))
		if !procurement.VisibleTo(e, "bergen") {
			t.Fatal("bergen does not see its own draft")
		}
		for _, org := range []string{hub, "oslo", "tromso", otherHub, "acme", "", "*"} {
			if procurement.VisibleTo(e, org) {
				t.Errorf("%q sees bergen's draft", org)
			}
		}
	})
	t.Run("every_registered_event_type_has_its_class", func(t *testing.T) {
		names := slices.Sorted(maps.Keys(vsClasses))
		if want := slices.Sorted(slices.Values(procurement.Events().Names())); !slices.Equal(names, want) {
			t.Fatalf("classes for %v\nregistered %v", names, want)
		}
	})
	for _, e := range ndOneOfEachType() {
		want := vsClasses[e.EventType()]
		t.Run(fmt.Sprintf("%s_is_%s", e.EventType(), strings.ToLower(string(want.class))), func(t *testing.T) {
			if v, owner := procurement.VisibilityOf(e); v != want.class || owner != want.owner {
				t.Fatalf("%s is %s of %q, want %s of %q", e.EventType(), v, owner, want.class, want.owner)
			}
			switch want.class {
			case procurement.VisibilityOrgPrivate:
				return
			case procurement.VisibilityEvaluatorPrivate:
				// Per person, not per organisation: no organisation sees it by its class.
				for _, org := range []string{hub, "oslo", "bergen", tdSupplier} {
					if procurement.VisibleTo(e, org) {
						t.Errorf("%s is visible to %s by its class", e.EventType(), org)
					}
				}
				return
			case procurement.VisibilityCommercialConf:
				// By its class only the supplier concerned; the lead through
				// State.CommercialVisible; never the hub, another member or another supplier.
				for _, org := range []string{hub, "bergen", tdOther, "oslo"} {
					if procurement.VisibleTo(e, org) {
						t.Errorf("%s is visible to %s by its class", e.EventType(), org)
					}
				}
				if want.owner != "" && !procurement.VisibleTo(e, want.owner) {
					t.Errorf("%s is hidden from the supplier concerned, %s", e.EventType(), want.owner)
				}
				return
			case procurement.VisibilityMemberRecord:
				// By its class only the member itself; the hub and the lead
				// through State.MemberRecordVisible; never another member.
				s := fold(t, tdTendering(tdPlan()))
				for _, org := range []string{hub, tdLead, "tromso", tdSupplier} {
					if procurement.VisibleTo(e, org) {
						t.Errorf("%s is visible to %s by its class", e.EventType(), org)
					}
				}
				if !procurement.VisibleTo(e, want.owner) || !s.MemberRecordVisible(e, hub) || !s.MemberRecordVisible(e, tdLead) {
					t.Errorf("%s is hidden from its member, the hub or the lead", e.EventType())
				}
				if s.MemberRecordVisible(e, "tromso") || s.MemberRecordVisible(e, tdSupplier) {
					t.Errorf("%s is visible to another member or a supplier", e.EventType())
				}
				return
			}
			for _, org := range []string{hub, "oslo", "bergen"} {
				if !procurement.VisibleTo(e, org) {
					t.Errorf("%s is hidden from %s", e.EventType(), org)
				}
			}
		})
	}
	t.Run("no_public_or_supplier_event_reveals_who_has_bid", func(t *testing.T) {
		// nordic bid without registering: only the sealed submission names it.
		h := tdThen(tdTendering(tdPlan()), tdBid("b2", tdOther), tgTenderQuestion("q9"),
			procurement.MandateGranted{MandateID: "m-bergen-qa", From: tdMember, To: tdLead, Scope: []procurement.Scope{procurement.ScopeAnswerQuestions}, ValidUntil: "2025-12-31"})
		answer := procurement.AnswerQuestion{QuestionID: "q9", AnonymisedQuestion: "How cold is it?", Answer: "-40 °C", By: tdLeadBy(), At: tdAt(66, 9)}
		amend := tgAmend(tdLimits(t), false, tdAt(70, 9), time.Time{})
		for _, c := range []procurement.Command{answer, amend} {
			for _, e := range tgDecide(t, h, c) {
				v, _ := procurement.VisibilityOf(e)
				if v != procurement.VisibilityPublic && v != procurement.VisibilitySupplier {
					continue
				}
				if body, _ := json.Marshal(e); strings.Contains(string(body), tdOther) {
					t.Errorf("%s is %s and names the bidder %s: %s", e.EventType(), v, tdOther, body)
				}
			}
		}
	})
	t.Run("a_submission_is_no_longer_private", func(t *testing.T) {
		if v, _ := procurement.VisibilityOf(ndSubmitted("bergen", 1, ndNeed("n1"))); v != procurement.VisibilityCaseInternal {
			t.Fatalf("a submission is %s", v)
		}
	})
}

func TestSealedMetadataVisible(t *testing.T) {
	plan := tdPlan()
	tendering := tdThen(tdTendering(plan), tdBid("b1", tdSupplier))
	closed := tdClosed(plan)
	opened := tdThen(closed, tgOpened(plan.OpeningAt, true, tdLeadBy().User))

	for _, c := range []struct {
		name    string
		history []procurement.Event
		org     string
		want    bool
	}{
		{"the_lead_sees_it_before_the_deadline", tendering, tdLead, true},
		{"the_other_member_does_not_before_receipt_closes", tendering, tdMember, false},
		{"the_hub_does_not_before_receipt_closes", tendering, hub, false},
		{"the_bidder_does_not_see_the_others_by_this_rule", tendering, tdSupplier, false},
		{"a_stranger_does_not", tendering, "tromso", false},
		{"nobody_without_an_organisation", tendering, "", false},
		{"the_lead_sees_it_after_receipt_closed", closed, tdLead, true},
		{"the_other_member_sees_it_after_receipt_closed", closed, tdMember, true},
		{"the_hub_sees_it_after_receipt_closed", closed, hub, true},
		{"a_stranger_never_does", closed, "tromso", false},
		{"another_hub_never_does", closed, otherHub, false},
		{"a_bidder_never_does_by_this_rule", closed, tdSupplier, false},
		{"nobody_without_an_organisation_after_the_close", closed, "", false},
		{"the_members_still_see_it_after_the_opening", opened, tdMember, true},
		{"a_stranger_still_not_after_the_opening", opened, "tromso", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := fold(t, c.history).SealedMetadataVisible(c.org, procurement.RoundTenders); got != c.want {
				t.Fatalf("SealedMetadataVisible(%q) = %v, want %v", c.org, got, c.want)
			}
		})
	}
	t.Run("the_request_round_closed_opens_it_to_the_case", func(t *testing.T) {
		h := tdThen(tgTwoStageTendering(), procurement.RequestToParticipateReceived{SealedSubmission: tdBid("r1", tdSupplier).(procurement.BidSubmitted).SealedSubmission})
		if fold(t, h).SealedMetadataVisible(tdMember, procurement.RoundRequests) {
			t.Fatal("bergen sees the requests before their deadline")
		}
		h = tdThen(h, procurement.TenderingClosed{Round: procurement.RoundRequests, Deadline: tgTwoStagePlan().RequestDeadline,
			ClosedAt: tgTwoStagePlan().RequestDeadline, Submissions: []string{"r1"}, PerLot: map[string]int{"lot-1": 1}})
		if !fold(t, h).SealedMetadataVisible(tdMember, procurement.RoundRequests) {
			t.Fatal("bergen does not see the requests after their deadline")
		}
		if fold(t, h).SealedMetadataVisible(tdMember, procurement.RoundTenders) {
			t.Fatal("closing the requests round opens the tenders round's metadata")
		}
	})
	for _, c := range []struct {
		name  string
		event procurement.Event
	}{
		{"an_invitee_that_declined", declined("tromso")},
		{"a_member_that_withdrew_before_the_notice", withdrew("tromso")},
	} {
		t.Run(c.name+"_is_no_part_of_the_case", func(t *testing.T) {
			// tromso was invited right after the case was created and then left.
			h := tdThen(closed[:1], invited("tromso"), joined("tromso"), c.event)
			if _, ok := c.event.(procurement.InvitationDeclined); ok {
				h = tdThen(closed[:1], invited("tromso"), c.event)
			}
			h = append(h, closed[1:]...)
			s := fold(t, h)
			if st := s.Members["tromso"]; st == procurement.MemberJoined || st == "" {
				t.Fatalf("tromso is %q", st)
			}
			if s.SealedMetadataVisible("tromso", procurement.RoundTenders) {
				t.Fatal("tromso sees the sealed metadata of a competition it is not part of")
			}
		})
	}
}

func TestVisibilityOfTheEvaluationAndTheAward(t *testing.T) {
	scored := procurement.BidScored{Evaluator: "eva@bergen", BidID: "b1", Criterion: "quality", Score: 7, Justification: "sound", ScoredAt: tdAt(92, 9)}
	minutes := procurement.NegotiationRoundHeld{Round: 1, Supplier: tdSupplier, MinutesHash: tdHashOf("minutes"), HeldAt: tdAt(100, 9)}
	asked := procurement.ClarificationRequested{ClarificationID: "c1", BidID: "b1", Supplier: tdSupplier, Question: "?", RequestedAt: tdAt(92, 10)}

	t.Run("an_evaluators_score_is_visible_to_no_organisation_by_its_class_not_even_its_own", func(t *testing.T) {
		for _, org := range []string{tdMember, tdLead, hub, tdSupplier, "", "*"} {
			if procurement.VisibleTo(scored, org) {
				t.Errorf("%q sees eva's score by its class", org)
			}
		}
	})
	answered := procurement.ClarificationReceived{ClarificationID: "c1", BidID: "b1", Answer: "everything", ReceivedAt: tdAt(93, 10)}
	s := fold(t, tdThen(tdTendering(tdPlan()), tdBid("b1", tdSupplier)))
	t.Run("negotiation_minutes_and_clarifications_are_visible_to_the_supplier_concerned_and_the_lead", func(t *testing.T) {
		for _, e := range []procurement.Event{minutes, asked} {
			if !procurement.VisibleTo(e, tdSupplier) || !s.CommercialVisible(e, tdSupplier) || !s.CommercialVisible(e, tdLead) {
				t.Errorf("%s is hidden from acme or the lead", e.EventType())
			}
		}
		if !s.CommercialVisible(answered, tdLead) {
			t.Error("the lead does not see the answer to its clarification")
		}
	})
	t.Run("negotiation_minutes_and_clarifications_are_never_visible_to_another_supplier", func(t *testing.T) {
		for _, e := range []procurement.Event{minutes, asked, answered} {
			if procurement.VisibleTo(e, tdOther) || s.CommercialVisible(e, tdOther) {
				t.Errorf("nordic sees acme's %s", e.EventType())
			}
		}
	})
	t.Run("negotiation_minutes_and_clarifications_are_not_for_the_hub_or_the_other_members", func(t *testing.T) {
		for _, e := range []procurement.Event{minutes, asked, answered} {
			for _, org := range []string{hub, tdMember, "", "*"} {
				if s.CommercialVisible(e, org) {
					t.Errorf("%q sees acme's %s", org, e.EventType())
				}
			}
		}
	})
	t.Run("the_award_notice_a_cancellation_and_an_unsuccessful_procedure_are_public", func(t *testing.T) {
		for _, e := range []procurement.Event{
			procurement.AwardNoticePublished{Channel: procurement.ChannelTED, ExternalNoticeID: "x", Contracts: []string{"k-1"}, PublishedAt: tdAt(115, 9)},
			procurement.ProcurementCancelled{Reason: "no budget", PreviousPhase: procurement.PhaseTendering, SuppliersNotified: 2},
			procurement.ProcurementUnsuccessful{Reason: procurement.UnsuccessfulNoBids, Explanation: "none", PreviousPhase: procurement.PhaseReceiptClosed},
		} {
			for _, org := range []string{hub, tdMember, tdSupplier, tdOther, "tromso"} {
				if !procurement.VisibleTo(e, org) {
					t.Errorf("%s is hidden from %s", e.EventType(), org)
				}
			}
		}
	})
	t.Run("public_events_of_the_end_never_name_a_tenderer", func(t *testing.T) {
		// The public learns how many were told, not who bid.
		for _, e := range []procurement.Event{
			procurement.ProcurementCancelled{Reason: "no budget", PreviousPhase: procurement.PhaseEvaluation, SuppliersNotified: 2, Proposal: 1},
			procurement.ProcurementUnsuccessful{Reason: procurement.UnsuccessfulAllRejected, Explanation: "every tender missed a requirement",
				PreviousPhase: procurement.PhaseEvaluation, SuppliersNotified: 2, DeclaredAt: tdAt(96, 9)},
		} {
			if body, _ := json.Marshal(e); strings.Contains(string(body), tdSupplier) || strings.Contains(string(body), tdOther) {
				t.Errorf("%s names a tenderer: %s", e.EventType(), body)
			}
		}
	})

	locked := func(person string) procurement.Event {
		return procurement.EvaluatorScoresLocked{Evaluator: person, ScoreSetHash: tdHashOf(person), Scores: 1, LockedAt: tdAt(93, 9)}
	}
	for _, c := range []struct {
		name    string
		history []procurement.Event
		of, to  string
		isLead  bool
		want    bool
	}{
		{"an_evaluator_always_sees_its_own_scores", nil, "eva@bergen", "eva@bergen", false, true},
		{"the_lead_does_not_see_scores_before_the_lock", nil, "eva@bergen", "officer@oslo", true, false},
		{"another_evaluator_does_not_see_scores_before_the_lock", nil, "eva@bergen", "eve@oslo", false, false},
		{"the_lead_sees_them_once_locked", []procurement.Event{locked("eva@bergen")}, "eva@bergen", "officer@oslo", true, true},
		{"an_evaluator_that_has_not_locked_does_not_see_locked_scores", []procurement.Event{locked("eva@bergen")}, "eva@bergen", "eve@oslo", false, false},
		{"an_evaluator_that_locked_sees_the_others_locked_scores", []procurement.Event{locked("eva@bergen"), locked("eve@oslo")}, "eva@bergen", "eve@oslo", false, true},
		{"an_own_lock_does_not_open_scores_not_yet_locked", []procurement.Event{locked("eve@oslo")}, "eva@bergen", "eve@oslo", false, false},
		{"a_member_that_is_not_the_lead_does_not_see_locked_scores", []procurement.Event{locked("eva@bergen")}, "eva@bergen", "admin@bergen", false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := fold(t, c.history).ScoresVisible(c.of, c.to, c.isLead); got != c.want {
				t.Fatalf("ScoresVisible(%s to %s, lead %v) = %v, want %v", c.of, c.to, c.isLead, got, c.want)
			}
		})
	}
}
