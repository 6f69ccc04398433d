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
	return []procurement.Event{
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
		for _, name := range []string{"BidScored", "bidSubmitted", ""} {
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
