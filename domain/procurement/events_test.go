package procurement_test

import (
	"reflect"
	"sort"
	"testing"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// oneOfEach holds one fully populated example of every procurement event.
func oneOfEach() []procurement.Event {
	events := []procurement.Event{
		created(),
		invited("bergen"),
		joined("bergen"),
		declined("oslo"),
		procurement.InvitationDeclined{Org: "tromso"},
		withdrew("bergen"),
		cancelled(),
		procurement.RecruitmentOpened{},
		procurement.MandateGranted{MandateID: "m-1", From: "bergen", To: "oslo", Scope: []procurement.Scope{"prepare", "publish"}, ValidUntil: "2026-12-31"},
		procurement.MandateRevoked{MandateID: "m-1", From: "bergen", Reason: "new lead"},
		procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}},
		procurement.AnchoringDecisionRecorded{Org: "bergen", Anchoring: procurement.Anchoring{
			DecidingBody: "bystyret", DecisionDate: "2025-03-04", CaseRef: "25/1234"}},
		agreementDrafted(hashV1),
		agreementAmended(2, hashV2),
		agreementSigned("bergen", 2, hashV2),
		leadConsent("bergen", "oslo"),
		leadDesignated("oslo", "bergen", "oslo"),
		keySet(1, procurement.CostKey{Method: "HYBRID", Weights: procurement.KeyWeights{Equal: 2000, Population: 5000, Volume: 3000},
			CountOptions: true, Populations: []procurement.PopulationFigure{pop("bergen", 291940), pop("oslo", 717710)}}),
		procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: day(16), Reason: procurement.ReasonKeySet,
			Shares: []procurement.MemberShare{{Org: "bergen", BasisPoints: 2929}, {Org: "oslo", BasisPoints: 7071}}},
		concluded("lead-bergen"),
		procurement.NeedsDraftSaved{Org: "bergen", DraftVersion: 2, Needs: []procurement.Need{exampleNeed}, Notes: "ask the road office"},
		procurement.NeedsSubmitted{Org: "bergen", Version: 1, Needs: []procurement.Need{exampleNeed}, AdoptCommonNeed: true},
		procurement.NeedsConsolidated{Version: 1, Sources: []procurement.SubmissionRef{{Org: "bergen", Version: 1}, {Org: "oslo", Version: 2}},
			CommonNeeds: []procurement.CommonNeed{{ID: "c1", Statement: "Warn drivers of avalanches", Sources: []procurement.NeedRef{{Org: "bergen", NeedID: "n1"}}}},
			Divergences: []procurement.Divergence{{Topic: "coverage", Description: "oslo has no exposed roads", Orgs: []string{"oslo"}}}},
		procurement.ConsolidatedNeedsApproved{Org: "bergen", Version: 1, Comment: "fine"},
		procurement.ConsolidatedNeedsRejected{Org: "oslo", Version: 1, Comment: "too broad"},
		procurement.ConsolidatedNeedsDecided{Version: 1, Outcome: procurement.NeedsRejected, Rule: procurement.RuleUnanimous,
			Approvals: []string{"bergen"}, Rejections: []string{"oslo"}},
		committed("bergen", 100000),
		procurement.VolumeCommitmentChanged{Commitment: procurement.Commitment{Org: "bergen", Lot: "L1", Type: procurement.CommitmentOption,
			Quantity: "2.5", Unit: "licences", EstimatedValue: 250050, Currency: "NOK", BudgetYears: []int{2026, 2027}},
			PreviousQuantity: "10", PreviousValue: 100000},
		// The market dialogue, the competition design and the tendering (issue 5).
		procurement.DialogueNoticePublished{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-100200", Text: "Market dialogue on avalanche sensors",
			RegistrationDeadline: tdAt(30, 12), PublishedAt: tdAt(20, 9)},
		procurement.SupplierRegistered{Supplier: "acme", Stage: procurement.StageDialogue, RecordedBy: "lup", OfferedEvents: []string{"m-1"}, RegisteredAt: tdAt(21, 9)},
		procurement.DialogueEventScheduled{EventID: "m-1", Type: procurement.DialogueOneToOne, Title: "Meet the buyers", StartsAt: tdAt(25, 9),
			OfferedTo: []string{"acme", "nordic"}},
		procurement.DialogueEventCancelled{EventID: "m-1", Reason: "the room is taken"},
		procurement.DialogueMeetingMinuted{EventID: "conf", Attendees: []string{"acme"}, PublicSummary: "We presented the needs.",
			ConfidentialAnnexHash: tdHashOf("annex")},
		procurement.QuestionReceived{QuestionID: "q1", Supplier: "acme", Text: "Does acme's radar qualify?", Stage: procurement.StageTender,
			ReceivedAt: tdAt(23, 9), RecordedBy: "oslo"},
		procurement.AnswerPublished{QuestionID: "q1", AnonymisedQuestion: "Does radar qualify?", Answer: "Yes", PublishedAt: tdAt(24, 9),
			RecipientCount: 2},
		procurement.MarketDialogueClosed{SummaryReportHash: tdHashOf("summary"), LevellingMeasures: []string{"all answers published to all"}, ClosedAt: tdAt(40, 9)},
		procurement.ProcedureSelected{Procedure: timelimits.InnovationPartnership, Regime: timelimits.EUAbove, LegalBasis: "FOA § 13-1",
			Justification: "not on the market", Conditions: []timelimits.Condition{timelimits.ESubmission}, MinCandidates: 3, MaxCandidates: 5},
		procurement.LotsDefined{Version: 2, Lots: []procurement.Lot{{ID: "lot-1", Title: "Sensors", Members: []string{"bergen", "oslo"}, EstimatedValue: "1000.50"}}},
		procurement.RequirementsDefined{Version: 1, Requirements: []procurement.Requirement{{ID: "r1", Kind: procurement.RequirementPerformance,
			Text: "Warns 30 minutes ahead", Lots: []string{"lot-1"}}}},
		procurement.QualificationCriteriaDefined{Version: 1, ExclusionGrounds: []string{"convictions"},
			SelectionCriteria: []procurement.SelectionCriterion{{ID: "s1", Text: "Turnover", Evidence: "annual accounts"}}},
		procurement.AwardCriteriaDefined{Lot: "lot-1", Version: 1, Criteria: []procurement.AwardCriterion{
			{ID: "price", Name: "Price", Type: procurement.CriterionPrice, Weight: "33.33", WeightBP: 3333, ScaleMin: 0, ScaleMax: 10,
				ScoringMethod: "linear", PriceFormula: "lowest/offered*10"},
			{ID: "quality", Name: "Quality", Type: procurement.CriterionQuality, Weight: "66.67", WeightBP: 6667, ScaleMin: 1, ScaleMax: 5,
				ScoringMethod: "panel consensus"}}},
		procurement.PartnershipPhasesDefined{Version: 1, Phases: []procurement.PartnershipPhase{{ID: "p1", Goal: "prototype",
			IntermediateTargets: []string{"works at -30 °C"}, MaxCost: "100000.00", Due: "2025-12-31"}},
			PurchaseConditions: procurement.PurchaseConditions{PerformanceLevel: "detects 95 %", MaxCost: "500000.00"}},
		procurement.EvaluatorAppointed{Person: "eva@bergen", Org: "bergen", Criteria: []string{"quality"}, Lots: []string{"lot-1"}},
		procurement.TimetableSet{Version: 1, Timetable: procurement.TimetablePlan{NoticeAt: tdAt(50, 9), QACutoff: tdAt(60, 12),
			RequestDeadline: tdAt(85, 10), TenderDeadline: tdAt(116, 10), OpeningAt: tdAt(116, 11), FourEyesOpening: true},
			TimeZone: "Europe/Oslo", Minima: []timelimits.Computation{evComputation()}},
		procurement.TenderDocumentsSubmitted{Version: 1, DocumentHash: tdDocsHash, SubmittedAt: tdAt(45, 9)},
		procurement.TenderDocumentsApproved{Org: "bergen", Version: 1, DocumentHash: tdDocsHash, Comment: "fine"},
		procurement.TenderDocumentsRejected{Org: "oslo", Version: 1, Comment: "too vague"},
		procurement.TenderDocumentsDecided{Version: 1, Outcome: procurement.NeedsRejected, Rule: procurement.RuleMajority},
		procurement.ContractNoticePublished{Channel: procurement.ChannelTED, ExternalNoticeID: "2025/S 001-000001", DocumentsVersion: 1,
			DocumentHash: tdDocsHash, Buyers: []string{"bergen", "oslo"}, MandateIDs: []string{"m-bergen"}, PublishedAt: tdAt(50, 9),
			Round: procurement.RoundRequests, Deadline: tdAt(85, 10), Minima: []timelimits.Computation{evComputation()}},
		procurement.TenderAmended{Number: 1, Changes: []string{"colder"}, Rationale: "a new need", Material: true, DocumentHash: tdHashOf("v1.1"),
			RecipientCount: 1, AmendedAt: tdAt(70, 9)},
		procurement.TenderDeadlineExtended{Round: procurement.RoundRequests, From: tdAt(85, 10), To: tdAt(92, 10), Computation: evComputation()},
		procurement.BidsRequireConfirmation{Amendment: 1, BidIDs: []string{"r1"}},
		procurement.RequestToParticipateReceived{SealedSubmission: evSealed("r1")},
		procurement.BidSubmitted{SealedSubmission: evSealed("b1")},
		procurement.BidReplaced{BidID: "b1", Version: 2, ReceivedAt: tdAt(71, 9), SHA256: tdHashOf("v2"), CiphertextRef: "sealed:b1-2", SizeBytes: 2048},
		procurement.BidWithdrawn{BidID: "b1", WithdrawnAt: tdAt(72, 9)},
		procurement.BidConfirmed{BidID: "r1", Amendment: 1},
		procurement.TenderingClosed{Round: procurement.RoundRequests, Deadline: tdAt(92, 10), ClosedAt: tdAt(92, 10), Submissions: []string{"r1"},
			PerLot: map[string]int{"lot-1": 1}},
		procurement.BidOpeningStarted{Round: procurement.RoundRequests, By: "officer@oslo"},
		procurement.BidsOpened{Round: procurement.RoundRequests, OpenedAt: tdAt(92, 11), OpenedBy: []string{"officer@oslo", "signatory@oslo"},
			Bids: []procurement.OpenedBid{{BidID: "r1", Supplier: "acme", Lots: []string{"lot-1"}, ReceivedAt: tdAt(60, 9), SHA256: tdHashOf("r1"),
				HashVerified: true, NeedsConfirmation: true}}, HashesVerified: true, ProtocolHash: tdHashOf("protocol")},
		procurement.ReminderSent{Kind: procurement.ReminderMissingApproval, Subject: "documents-v1", Recipients: []string{"bergen"}, Day: "2025-04-16"},
		// The fields issue 6 added to earlier events, every one set.
		procurement.AwardCriteriaDefined{Lot: "lot-1", Version: 2, Criteria: []procurement.AwardCriterion{
			{ID: "quality", Name: "Quality", Type: procurement.CriterionQuality, Weight: "100", WeightBP: 10000, ScaleMin: 0, ScaleMax: 10,
				ScoringMethod: "panel consensus"}}, TieRule: procurement.TieBestPrice},
		procurement.ProcurementCancelled{Reason: "the budget was withdrawn", PreviousPhase: procurement.PhaseEvaluation, SuppliersNotified: 2, Proposal: 1},
		procurement.MunicipalityWithdrawn{Org: "bergen", Reason: "the council cut the budget", AssessmentHash: tdHashOf("assessment")},
	}
	return append(events, awardEventExamples()...)
}

// awardEventExamples is one fully populated example of every event of
// qualification, evaluation, award, contracting, follow-up and the early
// endings (issue 6). acme is the supplier, oslo the lead, bergen the other
// member and eva@bergen the evaluator, as in ndOneOfEachType's classes.
func awardEventExamples() []procurement.Event {
	comp := evComputation()
	terms := procurement.ContractTerms{Value: "1200000.00", StartDate: "2025-09-01", EndDate: "2027-08-31", Framework: true}
	return []procurement.Event{
		procurement.QualificationAssessed{SubmissionID: "r1", Supplier: tdSupplier, Qualified: false,
			Results: []procurement.CriterionResult{{Criterion: "s1", Met: false, Note: "turnover below the minimum"}},
			Grounds: "the turnover is below the minimum", LegalBasis: "FOA § 16-1", AssessedAt: tdAt(93, 9)},
		procurement.CandidatesInvited{Invited: []string{tdSupplier, tdOther}, NotInvited: []procurement.NotInvited{{Supplier: "sintef", Reason: "lowest selection score"}},
			MinCandidates: 3, Next: procurement.PhaseTendering, TenderDeadline: tdAt(130, 10), Minimum: &comp, InvitedAt: tdAt(95, 9)},
		procurement.NegotiationRoundHeld{Round: 1, Supplier: tdSupplier, MinutesHash: tdHashOf("minutes"), RequirementsChanged: []string{"works at -40 °C"},
			SentTo: []string{tdSupplier, tdOther}, HeldAt: tdAt(100, 9)},
		procurement.ParticipantEliminated{Supplier: tdOther, Reason: "the solution cannot meet the requirements", EliminatedAt: tdAt(101, 9)},
		procurement.FinalTendersCalled{Deadline: tdAt(140, 10), Recipients: []string{tdSupplier}, Minimum: &comp, CalledAt: tdAt(105, 9)},
		procurement.ConflictOfInterestDeclared{Evaluator: "eva@bergen", Org: tdMember, HasConflict: true, Relations: []string{"her brother works at acme"},
			BiddersSeen: []string{tdSupplier, tdOther}, DeclaredAt: tdAt(91, 9)},
		procurement.EvaluatorRecused{Evaluator: "eva@bergen", Reason: "declared a conflict of interest", Replacement: "eve", ReplacementOrg: tdLead,
			RecusedAt: tdAt(91, 10)},
		procurement.BidScored{Evaluator: "eva@bergen", BidID: "b1", Criterion: "quality", Score: 7, Justification: "a sound plan", ScoredAt: tdAt(92, 9)},
		procurement.EvaluatorScoresLocked{Evaluator: "eva@bergen", ScoreSetHash: tdHashOf("scores"), Scores: 2, LockedAt: tdAt(93, 9)},
		procurement.ConsensusScoreRecorded{BidID: "b1", Criterion: "quality", Score: 7, Rationale: "the panel agreed",
			Individual: []procurement.IndividualScore{{Evaluator: "eva@bergen", Score: 7}, {Evaluator: "eve", Score: 6}}, RecordedAt: tdAt(94, 8)},
		procurement.ClarificationRequested{ClarificationID: "c1", BidID: "b1", Supplier: tdSupplier, Question: "What does the price include?",
			SameQuestionToAll: true, RequestedAt: tdAt(92, 10)},
		procurement.ClarificationReceived{ClarificationID: "c1", BidID: "b1", Answer: "Installation and five years of service", ReceivedAt: tdAt(93, 10)},
		procurement.BidRejected{BidID: "b2", Supplier: tdOther, Grounds: "the tender misses a minimum requirement", LegalBasis: "FOA § 24-8",
			RejectedAt: tdAt(94, 9)},
		procurement.EvaluationReportFinalized{Version: 1, Lots: []procurement.LotRanking{{Lot: "lot-1", TieRule: procurement.TieHighestQuality,
			Ranking: []procurement.RankedBid{{Rank: 1, BidID: "b1", Supplier: tdSupplier, Total: "82.0000", Quality: "42.0000", Price: "40.0000"}}}},
			ReportHash: tdHashOf("report"), SignedBy: []string{"eva@bergen", "officer@oslo"}, FinalizedAt: tdAt(95, 9)},
		procurement.AwardDecided{AwardID: "a1", Lot: "lot-1", BidID: "b1", Supplier: tdSupplier, Value: "1200000.00", Mode: procurement.AwardJoint,
			DecidedBy: tdLead, For: []string{tdMember, tdLead}, Mandates: []string{"m-bergen-award"}, DecisionDocHash: tdHashOf("decision"), DecidedAt: tdAt(96, 9),
			PhaseAfter: procurement.PhaseAwardDecided},
		procurement.AwardNotificationSent{Recipients: []string{tdSupplier, tdOther}, Awards: []string{"a1"}, ReasonsHash: tdHashOf("reasons"),
			Channel: procurement.NotificationElectronic, SentAt: tdAt(97, 9), StandstillEnd: tdAt(107, 22)},
		procurement.StandstillStarted{EndsAt: tdAt(107, 22), Computation: comp, PhaseAfter: procurement.PhaseStandstill},
		procurement.StandstillEnded{EndedAt: tdAt(108, 9)},
		procurement.ComplaintReceived{ComplaintID: "k1", Complainant: tdOther, Forum: procurement.ForumKOFA, Grounds: "the scoring was unequal",
			Suspensive: true, ReceivedAt: tdAt(99, 9)},
		procurement.ContractingSuspended{ComplaintID: "k1", Ruling: "the complaint has suspensive effect", DocHash: tdHashOf("ruling"),
			Previous: procurement.PhaseStandstill, SuspendedAt: tdAt(99, 9)},
		procurement.ReviewResolved{ComplaintID: "k1", Outcome: procurement.ReviewReevaluate, Ruling: "score the quality again",
			DocHash: tdHashOf("ruling 2"), Next: procurement.PhaseEvaluation, ResolvedAt: tdAt(120, 9)},
		procurement.AwardRevoked{AwardID: "a1", Reason: "the review ordered a new evaluation", RevokedAt: tdAt(121, 9)},
		procurement.ContractSignatureRecorded{ContractID: "k-1", AwardID: "a1", Terms: terms, Org: tdLead, For: []string{tdMember, tdLead},
			Signatory: "signatory@oslo", Mandates: []string{"m-bergen-sign"}, SignatureRef: "bankid-oslo", SignedAt: tdAt(110, 9)},
		procurement.ContractSigned{ContractID: "k-1", AwardID: "a1", Lot: "lot-1", Supplier: tdSupplier, Buyers: []string{tdMember, tdLead},
			Signatories: []string{"sales@acme", "signatory@oslo"}, Terms: terms, SignedAt: tdAt(110, 9), PhaseAfter: procurement.PhaseContractActive},
		procurement.AwardNoticePublished{Channel: procurement.ChannelTED, ExternalNoticeID: "2025/S 100-000100", Contracts: []string{"k-1"},
			PublishedAt: tdAt(115, 9), Limit: &comp},
		procurement.CallOffPlaced{CallOffID: "co-1", ContractID: "k-1", Org: tdMember, Description: "twelve sensors", Value: "120000.00",
			Competitive: true, PlacedAt: tdAt(130, 9)},
		procurement.MilestoneRecorded{MilestoneID: "ms-1", ContractID: "k-1", Title: "Installed", Status: procurement.MilestonePartiallyMet,
			Note: "two sensors late", RecordedAt: tdAt(140, 9)},
		procurement.ContractDeviationRecorded{DeviationID: "d-1", ContractID: "k-1", Severity: procurement.SeverityMedium,
			Description: "the service visit was late", RecordedBy: tdMember, RecordedAt: tdAt(141, 9)},
		procurement.PartnershipPhaseCompleted{PhaseID: "p1", TargetsMet: []string{"works at -30 °C"}, TargetsMissed: []string{"one winter on a road"},
			AssessmentHash: tdHashOf("assessment"), Decision: procurement.GateTerminate, Mandates: []string{"m-bergen-manage"}, DecidedAt: tdAt(150, 9)},
		procurement.PartnershipTerminated{PhaseID: "p1", Reason: "the pilot failed", TerminatedAt: tdAt(150, 9)},
		procurement.PaymentRecorded{PaymentID: "pay-1", ContractID: "k-1", Org: tdMember, Amount: "60000.00", PaidOn: "2025-08-15"},
		procurement.EffectMeasured{MeasurementID: "e-1", Org: tdMember, KPI: "road closures", Unit: "hours", Baseline: "120.5", Value: "80.25",
			PeriodFrom: "2025-11-01", PeriodTo: "2026-04-30", Method: "the road office's log"},
		procurement.ContractClosed{ContractID: "k-1", FinalStatus: procurement.FinalIncomplete, LessonsHash: tdHashOf("lessons"), ClosedAt: tdAt(200, 9),
			PhaseAfter: procurement.PhaseFollowUp},
		procurement.CaseClosed{LessonsHash: tdHashOf("lessons"), ClosedAt: tdAt(201, 9)},
		procurement.CancellationProposed{Version: 1, Reason: "the budget was withdrawn", ProposedBy: tdLead, Rule: procurement.RuleMajority, ProposedAt: tdAt(92, 9)},
		procurement.CancellationApproved{Org: tdLead, Version: 1, Comment: "agreed"},
		procurement.CancellationRejected{Org: tdMember, Version: 1, Comment: "we still need it"},
		procurement.CancellationDeclined{Version: 1},
		procurement.ProcurementUnsuccessful{Reason: procurement.UnsuccessfulAllRejected, Explanation: "every tender missed a minimum requirement",
			SuccessorCaseID: "0193a5f0-7c1e-7000-8000-00000000beef", PreviousPhase: procurement.PhaseEvaluation, SuppliersNotified: 2, DeclaredAt: tdAt(96, 9)},
		procurement.WithdrawalRequested{Org: tdMember, Reason: "the council cut the budget", AssessmentHash: tdHashOf("assessment"), RequestedAt: tdAt(60, 9)},
		procurement.WithdrawalApproved{Org: tdMember, By: hub},
	}
}

// evComputation is a fully populated time-limit computation. Its times are
// UTC: a stored event keeps the instant, not the Go location.
func evComputation() timelimits.Computation {
	return timelimits.Computation{Rule: "NO/EU_ABOVE/OPEN/TENDER_RECEIPT", Name: "EEA open procedure, receipt of tenders", Table: "1",
		Sources: []string{"EU-27"}, Unverified: true, Bound: timelimits.AtLeast, HasLimit: true, BaseDays: 35, Days: 30,
		Reductions: []timelimits.Condition{timelimits.ESubmission}, RollForward: true, TimeZone: "Europe/Oslo", SentAt: tdAt(50, 9),
		SentDate: "2025-04-21", LastDay: "2025-05-21", Skipped: []timelimits.Skipped{{Date: "2025-05-17", Reason: "Constitution Day"}},
		EndDate: "2025-05-22", End: tdAt(81, 21)}
}

// evSealed is a sealed submission's metadata.
func evSealed(id string) procurement.SealedSubmission {
	return procurement.SealedSubmission{BidID: id, Supplier: "acme", Lots: []string{"lot-1"}, ReceivedAt: tdAt(60, 9), SHA256: tdHashOf(id),
		CiphertextRef: "sealed:" + id, SizeBytes: 1024}
}

// exampleNeed is a complete need statement.
var exampleNeed = procurement.Need{ID: "n1", Statement: "Know when a road is exposed to avalanches", UserGroup: "road operators",
	CurrentSolution: "manual inspection", SuccessCriteria: "warnings 30 minutes ahead"}

func TestEvents(t *testing.T) {
	t.Run("every_event_type_is_registered_once", func(t *testing.T) {
		var names []string
		seen := map[string]bool{}
		for _, ev := range oneOfEach() {
			if !seen[ev.EventType()] {
				seen[ev.EventType()] = true
				names = append(names, ev.EventType())
			}
		}
		sort.Strings(names)
		if got := procurement.Events().Names(); !reflect.DeepEqual(got, names) {
			t.Fatalf("registered %v, examples cover %v", got, names)
		}
	})

	t.Run("every_event_round_trips_through_the_registry_unchanged", func(t *testing.T) {
		reg := procurement.Events()
		for _, ev := range oneOfEach() {
			name, version, data, err := reg.Encode(ev)
			if err != nil {
				t.Fatalf("encode %T: %v", ev, err)
			}
			if name != ev.EventType() || version != 1 {
				t.Fatalf("%T encoded as %s v%d", ev, name, version)
			}
			back, ok, err := reg.Decode(name, version, data)
			if err != nil || !ok {
				t.Fatalf("decode %s: ok=%v err=%v", name, ok, err)
			}
			if !reflect.DeepEqual(back, ev) {
				t.Fatalf("%s changed on the way\n got: %#v\nwant: %#v", name, back, ev)
			}
		}
	})

	t.Run("a_stream_folds_the_same_after_storage", func(t *testing.T) {
		reg := procurement.Events()
		history := []procurement.Event{created(), invited("bergen"), joined("bergen"), invited("oslo"), declined("oslo"), cancelled()}
		var stored []procurement.Event
		for _, ev := range history {
			name, v, data, err := reg.Encode(ev)
			if err != nil {
				t.Fatal(err)
			}
			back, _, err := reg.Decode(name, v, data)
			if err != nil {
				t.Fatal(err)
			}
			stored = append(stored, back)
		}
		if a, b := procurement.Decider.Fold(history), procurement.Decider.Fold(stored); !reflect.DeepEqual(a, b) {
			t.Fatalf("fold differs\n got: %+v\nwant: %+v", b, a)
		}
	})

	t.Run("an_unknown_event_type_is_skipped_not_failed", func(t *testing.T) {
		for _, name := range []string{"BidAwarded", "bidSubmitted", "bidScored", "BidScored ", ""} {
			ev, ok, err := procurement.Events().Decode(name, 1, []byte(`{"org":"bergen"}`))
			if ok || err != nil || ev != nil {
				t.Fatalf("%q: ok=%v err=%v ev=%v", name, ok, err, ev)
			}
		}
	})

	t.Run("an_event_from_a_newer_build_is_refused", func(t *testing.T) {
		_, ok, err := procurement.Events().Decode("MunicipalityJoined", 2, []byte(`{"org":"bergen"}`))
		if !ok || err == nil {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
	})

	t.Run("a_case_lives_in_its_own_stream", func(t *testing.T) {
		if got := procurement.StreamID(caseID); got != "procurement-"+caseID {
			t.Fatalf("stream %q", got)
		}
	})
}
