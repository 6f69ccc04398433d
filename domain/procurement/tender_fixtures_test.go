package procurement_test

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"testing"
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// Fixtures of the market dialogue, design and tendering (issue 5). The case is
// ndCase's: oslo leads, bergen is the other member, both approve unanimously;
// acme and nordic are suppliers. Times: the dialogue notice on day 20, design
// from day 40, the contract notice on day 50, the tender deadline day 90 at
// 10:00 UTC, the opening at 11:00.

const (
	tdLead     = "oslo"
	tdMember   = "bergen"
	tdSupplier = "acme"
	tdOther    = "nordic"
)

// tdHashOf is the SHA-256 of a text, as the application computes a document's hash.
func tdHashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

var (
	tdDocsHash = tdHashOf("tender documents v1")
	tdBidHash  = tdHashOf("acme's tender")
)

// tdLimits is the default time-limit table.
func tdLimits(t testing.TB) *timelimits.Table {
	t.Helper()
	tab, err := timelimits.Default()
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// tdAt is a time on day n at hour:00 UTC.
func tdAt(n, hour int) time.Time {
	d := day(n)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, time.UTC)
}

// tdLeadBy is the lead's procurement officer; tdSecondBy another person of the lead.
func tdLeadBy() actor.Actor   { return actor.Actor{User: "officer@oslo", Org: tdLead} }
func tdSecondBy() actor.Actor { return actor.Actor{User: "signatory@oslo", Org: tdLead} }

// tdSup is a supplier's user.
func tdSup(org string) actor.Actor { return actor.Actor{User: "sales@" + org, Org: org} }

// tdSystem is the workflow clock.
func tdSystem() actor.Actor { return actor.Actor{User: "system", Org: actor.Platform} }

const tdSupplierKind = organisation.KindSupplier

// tdNeedsApproved: the case in NEEDS with the consolidated needs approved and
// both members' binding volumes committed.
func tdNeedsApproved() []procurement.Event {
	h := ndVoting(procurement.RuleUnanimous, tdLead, tdMember)
	return append(h, ndApproved(tdLead, 1), ndApproved(tdMember, 1),
		ndDecided(1, procurement.NeedsApproved, procurement.RuleUnanimous, []string{tdMember, tdLead}, nil),
		cmCommitted(tdLead, cmBinding, "100", 500000), cmCommitted(tdMember, cmBinding, "50", 250000))
}

// tdNoticeEvent is the dialogue notice of day 20, registration until day 30.
func tdNoticeEvent() procurement.Event {
	return procurement.DialogueNoticePublished{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-100200",
		Text: "Market dialogue on avalanche sensors", RegistrationDeadline: tdAt(30, 12), PublishedAt: tdAt(20, 9)}
}

// tdRegistered is supplier org's registration for the dialogue.
func tdRegistered(org string) procurement.Event {
	return procurement.SupplierRegistered{Supplier: org, Stage: procurement.StageDialogue, RecordedBy: org, RegisteredAt: tdAt(21, 9)}
}

// tdDialogue: the market dialogue is open and acme is registered.
func tdDialogue() []procurement.Event {
	return append(tdNeedsApproved(), tdNoticeEvent(), tdRegistered(tdSupplier))
}

// tdDialogueClosed is the close of the dialogue on day 40.
func tdDialogueClosed() procurement.Event {
	return procurement.MarketDialogueClosed{SummaryReportHash: tdHashOf("summary"), LevellingMeasures: []string{"all answers published to all"}, ClosedAt: tdAt(40, 9)}
}

// tdDesign: the case in DESIGN.
func tdDesign() []procurement.Event { return append(tdDialogue(), tdDialogueClosed()) }

func tdProcedure(p timelimits.Procedure) procurement.ProcedureSelected {
	e := procurement.ProcedureSelected{Procedure: p, Regime: timelimits.EUAbove, LegalBasis: "FOA § 13-1",
		Conditions: []timelimits.Condition{timelimits.ESubmission}}
	if procurement.TwoStage(p) {
		e.MinCandidates = 3
	}
	if p != timelimits.Open && p != timelimits.Restricted && p != timelimits.DPS {
		e.Justification = "innovative solution not available on the market"
	}
	return e
}

func tdLots() procurement.LotsDefined {
	return procurement.LotsDefined{Version: 1, Lots: []procurement.Lot{
		{ID: "lot-1", Title: "Sensors", Members: []string{tdMember, tdLead}},
	}}
}

func tdCriteria() []procurement.AwardCriterion {
	return []procurement.AwardCriterion{
		{ID: "price", Name: "Price", Type: procurement.CriterionPrice, Weight: "40", WeightBP: 4000, ScaleMax: 10, ScoringMethod: "linear", PriceFormula: "lowest/offered*10"},
		{ID: "quality", Name: "Quality", Type: procurement.CriterionQuality, Weight: "60", WeightBP: 6000, ScaleMax: 10, ScoringMethod: "panel consensus"},
	}
}

// tdPlan is the open procedure's timetable: notice day 50, questions until day
// 70, tenders until day 90 10:00 UTC, opening 11:00.
func tdPlan() procurement.TimetablePlan {
	return procurement.TimetablePlan{NoticeAt: tdAt(50, 9), QACutoff: tdAt(70, 12), TenderDeadline: tdAt(90, 10), OpeningAt: tdAt(90, 11)}
}

// tdDesigned: the open procedure fully designed, ready to submit.
func tdDesigned(plan procurement.TimetablePlan) []procurement.Event {
	return append(tdDesign(), tdProcedure(timelimits.Open), tdLots(),
		procurement.RequirementsDefined{Version: 1, Requirements: []procurement.Requirement{{ID: "r1", Kind: procurement.RequirementMinimum, Text: "Works at -30 °C"}}},
		procurement.QualificationCriteriaDefined{Version: 1, ExclusionGrounds: []string{"convictions"}},
		procurement.AwardCriteriaDefined{Version: 1, Criteria: tdCriteria()},
		procurement.EvaluatorAppointed{Person: "eva@bergen", Org: tdMember},
		procurement.TimetableSet{Version: 1, Timetable: plan, TimeZone: "Europe/Oslo"})
}

// tdApproved: version 1 of the documents submitted and approved by both.
func tdApproved(plan procurement.TimetablePlan) []procurement.Event {
	return append(tdDesigned(plan),
		procurement.TenderDocumentsSubmitted{Version: 1, DocumentHash: tdDocsHash, SubmittedAt: tdAt(45, 9)},
		procurement.TenderDocumentsApproved{Org: tdLead, Version: 1, DocumentHash: tdDocsHash},
		procurement.TenderDocumentsApproved{Org: tdMember, Version: 1, DocumentHash: tdDocsHash},
		procurement.TenderDocumentsDecided{Version: 1, Outcome: procurement.NeedsApproved, Rule: procurement.RuleUnanimous})
}

// tdTendering: the notice published on day 50 with the tender deadline of plan.
func tdTendering(plan procurement.TimetablePlan) []procurement.Event {
	return append(tdApproved(plan), procurement.ContractNoticePublished{Channel: procurement.ChannelDoffin, ExternalNoticeID: "2025-200300",
		DocumentsVersion: 1, DocumentHash: tdDocsHash, Buyers: []string{tdMember, tdLead}, MandateIDs: []string{"m-bergen"},
		PublishedAt: tdAt(50, 9), Round: procurement.RoundTenders, Deadline: plan.TenderDeadline})
}

// tdBid is supplier org's sealed tender for lot-1 received on day 60.
func tdBid(id, org string) procurement.Event {
	return procurement.BidSubmitted{SealedSubmission: procurement.SealedSubmission{BidID: id, Supplier: org, Lots: []string{"lot-1"},
		ReceivedAt: tdAt(60, 9), SHA256: tdHashOf(id), CiphertextRef: "sealed:" + id, SizeBytes: 1024}}
}

// tdClosed: receipt closed at the deadline with acme's bid b1.
func tdClosed(plan procurement.TimetablePlan) []procurement.Event {
	return append(tdTendering(plan), tdBid("b1", tdSupplier),
		procurement.TenderingClosed{Round: procurement.RoundTenders, Deadline: plan.TenderDeadline, ClosedAt: plan.TenderDeadline,
			Submissions: []string{"b1"}, PerLot: map[string]int{"lot-1": 1}})
}

// tdFourEyes is tdPlan with a four-eyes opening.
func tdFourEyes() procurement.TimetablePlan {
	p := tdPlan()
	p.FourEyesOpening = true
	return p
}

// tdThen appends events to a history without changing it.
func tdThen(h []procurement.Event, more ...procurement.Event) []procurement.Event {
	return append(slices.Clip(h), more...)
}
