package procurement

import (
	"time"

	"github.com/felles/felles/domain/timelimits"
)

// NoticeChannel is where a notice is published.
type NoticeChannel string

const (
	ChannelDoffin NoticeChannel = "DOFFIN"
	ChannelTED    NoticeChannel = "TED"
	ChannelHilma  NoticeChannel = "HILMA"
	ChannelOwn    NoticeChannel = "OWN"
)

func (c NoticeChannel) valid() bool {
	return c == ChannelDoffin || c == ChannelTED || c == ChannelHilma || c == ChannelOwn
}

// Stage is the part of the procurement a supplier registration or question
// belongs to.
type Stage string

const (
	StageDialogue Stage = "DIALOGUE"
	StageTender   Stage = "TENDER"
)

// DialogueEventType is the kind of a market dialogue event.
type DialogueEventType string

const (
	DialogueConference DialogueEventType = "CONFERENCE"
	DialogueOneToOne   DialogueEventType = "ONE_TO_ONE"
	DialogueWebinar    DialogueEventType = "WEBINAR"
	DialogueRFI        DialogueEventType = "RFI"
	DialogueDocHearing DialogueEventType = "DOC_HEARING"
)

func (t DialogueEventType) valid() bool {
	switch t {
	case DialogueConference, DialogueOneToOne, DialogueWebinar, DialogueRFI, DialogueDocHearing:
		return true
	}
	return false
}

// Round is a round of sealed submissions: requests to participate in a
// two-stage procedure, tenders otherwise.
type Round string

const (
	RoundRequests Round = "REQUESTS"
	RoundTenders  Round = "TENDERS"
)

// ReminderKind is what the workflow clock reminds of.
type ReminderKind string

const (
	ReminderUnansweredQuestion ReminderKind = "UNANSWERED_QUESTION"
	ReminderMissingApproval    ReminderKind = "MISSING_APPROVAL"
)

// RequirementKind: minimum (must be met), functional (what it must do),
// performance (how well).
type RequirementKind string

const (
	RequirementMinimum     RequirementKind = "MINIMUM"
	RequirementFunctional  RequirementKind = "FUNCTIONAL"
	RequirementPerformance RequirementKind = "PERFORMANCE"
)

// CriterionType: price and cost are the economic criteria, the rest is quality.
type CriterionType string

const (
	CriterionPrice   CriterionType = "PRICE"
	CriterionCost    CriterionType = "COST"
	CriterionQuality CriterionType = "QUALITY"
)

// Lot is one part of the procurement with the members buying it.
type Lot struct {
	ID             string   `json:"id"`
	Title          string   `json:"title"`
	Members        []string `json:"members"`
	EstimatedValue string   `json:"estimatedValue,omitempty"` // money, the case's currency
}

// Requirement is one requirement of the tender documents.
type Requirement struct {
	ID   string          `json:"id"`
	Kind RequirementKind `json:"kind"`
	Text string          `json:"text"`
	Lots []string        `json:"lots,omitempty"` // empty = every lot
}

// SelectionCriterion is a qualification requirement with its evidence.
type SelectionCriterion struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Evidence string `json:"evidence"`
}

// AwardCriterion is one award criterion. Weight is a percentage with at most
// two decimals; WeightBP is the same in basis points (1/100 %), so the sum is
// exact.
type AwardCriterion struct {
	ID            string        `json:"id"`
	Name          string        `json:"name"`
	Type          CriterionType `json:"type"`
	Weight        string        `json:"weight"`
	WeightBP      int           `json:"weightBp"`
	ScaleMin      int           `json:"scaleMin"`
	ScaleMax      int           `json:"scaleMax"`
	ScoringMethod string        `json:"scoringMethod"`
	PriceFormula  string        `json:"priceFormula,omitempty"`
}

// PartnershipPhase is one phase of an innovation partnership.
type PartnershipPhase struct {
	ID                  string   `json:"id"`
	Goal                string   `json:"goal"`
	IntermediateTargets []string `json:"intermediateTargets"`
	MaxCost             string   `json:"maxCost"`
	Due                 string   `json:"due"` // YYYY-MM-DD
}

// PurchaseConditions are what the final purchase of an innovation
// partnership requires [EU-31].
type PurchaseConditions struct {
	PerformanceLevel string `json:"performanceLevel"`
	MaxCost          string `json:"maxCost"`
}

// TimetablePlan is the planned tendering. RequestDeadline is set for
// two-stage procedures only.
type TimetablePlan struct {
	NoticeAt        time.Time `json:"noticeAt"`
	QACutoff        time.Time `json:"qaCutoff"`
	RequestDeadline time.Time `json:"requestDeadline,omitzero"`
	TenderDeadline  time.Time `json:"tenderDeadline"`
	OpeningAt       time.Time `json:"openingAt"`
	FourEyesOpening bool      `json:"fourEyesOpening"`
}

// OpenedBid is one line of the opening protocol.
type OpenedBid struct {
	BidID             string    `json:"bidId"`
	Supplier          string    `json:"supplier"`
	Lots              []string  `json:"lots"`
	ReceivedAt        time.Time `json:"receivedAt"`
	SHA256            string    `json:"sha256"`
	HashVerified      bool      `json:"hashVerified"`
	NeedsConfirmation bool      `json:"needsConfirmation,omitempty"`
}

// TwoStage says whether a procedure starts with requests to participate.
func TwoStage(p timelimits.Procedure) bool {
	switch p {
	case timelimits.Restricted, timelimits.CompetitiveNegotiation, timelimits.CompetitiveDialogue,
		timelimits.InnovationPartnership, timelimits.DPS:
		return true
	}
	return false
}

// needsJustification: the procedures the law lets a buyer use only with a
// stated ground (DOMAIN.md §1 P4: CPN, CD, IP).
func needsJustification(p timelimits.Procedure) bool {
	switch p {
	case timelimits.CompetitiveNegotiation, timelimits.CompetitiveDialogue, timelimits.InnovationPartnership:
		return true
	}
	return false
}

// bestPriceQualityOnly: competitive dialogue and innovation partnership award
// on the best price-quality ratio only [EU-30][EU-31].
func bestPriceQualityOnly(p timelimits.Procedure) bool {
	return p == timelimits.CompetitiveDialogue || p == timelimits.InnovationPartnership
}

func validProcedure(p timelimits.Procedure) bool {
	switch p {
	case timelimits.Open, timelimits.Restricted, timelimits.CompetitiveNegotiation, timelimits.CompetitiveDialogue,
		timelimits.InnovationPartnership, timelimits.DPS:
		return true
	}
	return false
}
