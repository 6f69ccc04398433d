package procurement_test

import (
	"testing"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// TestTenderFlow drives one case by commands from approved needs to opened
// bids, the way the application does, and checks the phase after each step.
func TestTenderFlow(t *testing.T) {
	limits := tdLimits(t)
	s := fold(t, tdNeedsApproved())
	step := func(c procurement.Command, want procurement.Phase) []procurement.Event {
		t.Helper()
		events, err := procurement.Decider.Decide(s, c)
		if err != nil {
			t.Fatalf("%T: %v", c, err)
		}
		for _, e := range events {
			s = procurement.Decider.Evolve(s, e)
		}
		if s.Phase != want {
			t.Fatalf("%T: phase %s, want %s", c, s.Phase, want)
		}
		return events
	}
	lead := tdLeadBy()
	step(procurement.PublishDialogueNotice{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-1", Text: "dialogue",
		RegistrationDeadline: tdAt(30, 12), By: lead, At: tdAt(20, 9)}, procurement.PhaseMarketDialogue)
	step(procurement.RegisterSupplier{SupplierKind: tdSupplierKind, By: tdSup(tdSupplier), At: tdAt(21, 9)}, procurement.PhaseMarketDialogue)
	step(procurement.ScheduleDialogueEvent{EventID: "conf", Type: procurement.DialogueConference, Title: "Conference", StartsAt: tdAt(25, 9), By: lead, At: tdAt(22, 9)}, procurement.PhaseMarketDialogue)
	step(procurement.AskQuestion{QuestionID: "q1", Text: "Does acme's radar qualify?", SupplierKind: tdSupplierKind, By: tdSup(tdSupplier), At: tdAt(23, 9)}, procurement.PhaseMarketDialogue)
	step(procurement.AnswerQuestion{QuestionID: "q1", AnonymisedQuestion: "Does radar qualify?", Answer: "Yes", By: lead, At: tdAt(24, 9)}, procurement.PhaseMarketDialogue)
	step(procurement.RecordMeetingNotes{EventID: "conf", Attendees: []string{tdSupplier}, PublicSummary: "We presented the needs.", By: lead, At: tdAt(26, 9)}, procurement.PhaseMarketDialogue)
	step(procurement.CloseMarketDialogue{SummaryReportHash: tdHashOf("report"), LevellingMeasures: []string{"minutes published"}, By: lead, At: tdAt(40, 9)}, procurement.PhaseDesign)

	step(procurement.SelectProcedure{Procedure: timelimits.Open, Regime: timelimits.EUAbove, Conditions: []timelimits.Condition{timelimits.ESubmission}, By: lead, At: tdAt(41, 9)}, procurement.PhaseDesign)
	step(procurement.DefineLots{Lots: tdLots().Lots, By: lead, At: tdAt(41, 10)}, procurement.PhaseDesign)
	step(procurement.DefineRequirements{Requirements: []procurement.Requirement{{ID: "r1", Kind: procurement.RequirementFunctional, Text: "Warns drivers"}}, By: lead, At: tdAt(41, 11)}, procurement.PhaseDesign)
	step(procurement.DefineQualificationCriteria{ExclusionGrounds: []string{"convictions"}, By: lead, At: tdAt(41, 12)}, procurement.PhaseDesign)
	step(procurement.DefineAwardCriteria{Criteria: tdCriteria(), By: lead, At: tdAt(41, 13)}, procurement.PhaseDesign)
	step(procurement.AppointEvaluator{Person: "eva@bergen", Org: tdMember, By: lead, At: tdAt(41, 14)}, procurement.PhaseDesign)
	step(procurement.SetTimetable{Timetable: tdFourEyes(), Limits: limits, By: lead, At: tdAt(42, 9)}, procurement.PhaseDesign)
	step(procurement.SubmitTenderDocuments{DocumentHash: tdDocsHash, By: lead, At: tdAt(45, 9)}, procurement.PhaseApproval)
	step(procurement.ApproveTenderDocuments{Version: 1, DocumentHash: tdDocsHash, By: by(tdLead), At: tdAt(46, 9)}, procurement.PhaseApproval)
	step(procurement.ApproveTenderDocuments{Version: 1, DocumentHash: tdDocsHash, By: by(tdMember), At: tdAt(46, 10)}, procurement.PhaseApproval)
	if cur, _ := s.CurrentDocuments(); cur.Outcome != procurement.NeedsApproved {
		t.Fatalf("documents %+v, want approved", cur)
	}
	step(procurement.PublishContractNotice{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-2", DocumentHash: tdDocsHash, Limits: limits, By: lead, At: tdAt(50, 9)}, procurement.PhaseTendering)

	step(procurement.SubmitBid{BidID: "b1", Lots: []string{"lot-1"}, SHA256: tdBidHash, CiphertextRef: "sealed:b1", SizeBytes: 10, SupplierKind: tdSupplierKind, By: tdSup(tdSupplier), At: tdAt(60, 9)}, procurement.PhaseTendering)
	if _, err := procurement.Decider.Decide(s, procurement.CloseReceipt{By: tdSystem(), At: tdAt(90, 9)}); err == nil {
		t.Fatal("receipt closed before the deadline")
	}
	step(procurement.CloseReceipt{By: tdSystem(), At: tdAt(90, 10)}, procurement.PhaseReceiptClosed)
	started := step(procurement.OpenBids{By: lead, At: tdAt(90, 11)}, procurement.PhaseReceiptClosed)
	if _, ok := started[0].(procurement.BidOpeningStarted); !ok {
		t.Fatalf("four-eyes first step gave %T", started[0])
	}
	opened := step(procurement.OpenBids{Verified: map[string]string{"b1": tdBidHash}, By: tdSecondBy(), At: tdAt(90, 11)}, procurement.PhaseEvaluation)
	p := opened[0].(procurement.BidsOpened)
	if !p.HashesVerified || len(p.OpenedBy) != 2 || p.ProtocolHash != procurement.ProtocolHash(p) {
		t.Fatalf("protocol %+v", p)
	}
}

// fold folds a history into a state.
func fold(t testing.TB, h []procurement.Event) procurement.State {
	t.Helper()
	s := procurement.Decider.Initial()
	for _, e := range h {
		s = procurement.Decider.Evolve(s, e)
	}
	return s
}
