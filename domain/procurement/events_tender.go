package procurement

import (
	"github.com/felles/felles/domain/es"
	"time"

	"github.com/felles/felles/domain/timelimits"
)

// Events of the market dialogue, the competition design and the tendering.
// Times are instants (UTC in JSON); legal dates computed from them are stored
// as timelimits.Computation, so a replay never recomputes them.

type DialogueNoticePublished struct {
	Channel              NoticeChannel `json:"channel"`
	ExternalNoticeID     string        `json:"externalNoticeId"`
	Text                 string        `json:"text"`
	RegistrationDeadline time.Time     `json:"registrationDeadline"`
	PublishedAt          time.Time     `json:"publishedAt"`
}

type SupplierRegistered struct {
	Supplier   string `json:"supplier"`
	Stage      Stage  `json:"stage"`
	RecordedBy string `json:"recordedBy"` // the organisation that registered it
	// OfferedEvents are the upcoming one-to-one meetings offered to the
	// supplier on registration, so a late registrant gets what others got.
	OfferedEvents []string  `json:"offeredEvents,omitempty"`
	RegisteredAt  time.Time `json:"registeredAt"`
}

type DialogueEventScheduled struct {
	EventID   string            `json:"eventId"`
	Type      DialogueEventType `json:"type"`
	Title     string            `json:"title"`
	StartsAt  time.Time         `json:"startsAt"`
	OfferedTo []string          `json:"offeredTo"` // every registered supplier
}

type DialogueEventCancelled struct {
	EventID string `json:"eventId"`
	Reason  string `json:"reason"`
}

type DialogueMeetingMinuted struct {
	EventID               string   `json:"eventId"`
	Attendees             []string `json:"attendees"`
	PublicSummary         string   `json:"publicSummary"`
	ConfidentialAnnexHash string   `json:"confidentialAnnexHash,omitempty"`
}

type QuestionReceived struct {
	QuestionID string    `json:"questionId"`
	Supplier   string    `json:"supplier"`
	Text       string    `json:"text"`
	Stage      Stage     `json:"stage"`
	ReceivedAt time.Time `json:"receivedAt"`
	RecordedBy string    `json:"recordedBy"`
}

type AnswerPublished struct {
	QuestionID         string    `json:"questionId"`
	AnonymisedQuestion string    `json:"anonymisedQuestion"`
	Answer             string    `json:"answer"`
	PublishedAt        time.Time `json:"publishedAt"`
	// RecipientCount: the answer went to every registered supplier and bidder
	// of the moment (derivable from the log); their names would tell the
	// public who registered and who bid.
	RecipientCount int `json:"recipientCount"`
}

type MarketDialogueClosed struct {
	SummaryReportHash string    `json:"summaryReportHash"`
	LevellingMeasures []string  `json:"levellingMeasures"`
	ClosedAt          time.Time `json:"closedAt"`
}

type ProcedureSelected struct {
	Procedure     timelimits.Procedure   `json:"procedure"`
	Regime        timelimits.Regime      `json:"regime"`
	LegalBasis    string                 `json:"legalBasis"`
	Justification string                 `json:"justification,omitempty"`
	Conditions    []timelimits.Condition `json:"conditions,omitempty"`
	MinCandidates int                    `json:"minCandidates,omitempty"`
	MaxCandidates int                    `json:"maxCandidates,omitempty"`
}

type LotsDefined struct {
	Version int   `json:"version"`
	Lots    []Lot `json:"lots"`
}

type RequirementsDefined struct {
	Version      int           `json:"version"`
	Requirements []Requirement `json:"requirements"`
}

type QualificationCriteriaDefined struct {
	Version           int                  `json:"version"`
	ExclusionGrounds  []string             `json:"exclusionGrounds"`
	SelectionCriteria []SelectionCriterion `json:"selectionCriteria"`
}

type AwardCriteriaDefined struct {
	Lot      string           `json:"lot"` // "" = every lot without its own
	Version  int              `json:"version"`
	Criteria []AwardCriterion `json:"criteria"`
	TieRule  TieRule          `json:"tieRule,omitempty"` // "" in events before issue 6: HIGHEST_QUALITY
}

type PartnershipPhasesDefined struct {
	Version            int                `json:"version"`
	Phases             []PartnershipPhase `json:"phases"`
	PurchaseConditions PurchaseConditions `json:"purchaseConditions"`
}

type EvaluatorAppointed struct {
	Person   string   `json:"person"`
	Org      string   `json:"org"`
	Criteria []string `json:"criteria,omitempty"`
	Lots     []string `json:"lots,omitempty"`
}

type TimetableSet struct {
	Version   int                      `json:"version"`
	Timetable TimetablePlan            `json:"timetable"`
	TimeZone  string                   `json:"timeZone"`
	Minima    []timelimits.Computation `json:"minima"`
}

type TenderDocumentsSubmitted struct {
	Version      int       `json:"version"`
	DocumentHash string    `json:"documentHash"`
	SubmittedAt  time.Time `json:"submittedAt"`
}

type TenderDocumentsApproved struct {
	Org          string `json:"org"`
	Version      int    `json:"version"`
	DocumentHash string `json:"documentHash"`
	Comment      string `json:"comment,omitempty"`
}

type TenderDocumentsRejected struct {
	Org     string `json:"org"`
	Version int    `json:"version"`
	Comment string `json:"comment"`
}

type TenderDocumentsDecided struct {
	Version int          `json:"version"`
	Outcome NeedsOutcome `json:"outcome"`
	Rule    DecisionRule `json:"rule"`
}

type ContractNoticePublished struct {
	Channel          NoticeChannel            `json:"channel"`
	ExternalNoticeID string                   `json:"externalNoticeId"`
	DocumentsVersion int                      `json:"documentsVersion"`
	DocumentHash     string                   `json:"documentHash"`
	Buyers           []string                 `json:"buyers"`
	MandateIDs       []string                 `json:"mandateIds"`
	PublishedAt      time.Time                `json:"publishedAt"`
	Round            Round                    `json:"round"`
	Deadline         time.Time                `json:"deadline"` // of the first round
	Minima           []timelimits.Computation `json:"minima"`
}

type TenderAmended struct {
	Number         int       `json:"number"`
	Changes        []string  `json:"changes"`
	Rationale      string    `json:"rationale"`
	Material       bool      `json:"material"`
	DocumentHash   string    `json:"documentHash,omitempty"`
	RecipientCount int       `json:"recipientCount"` // every registered supplier and bidder of the moment, not named
	AmendedAt      time.Time `json:"amendedAt"`
}

type TenderDeadlineExtended struct {
	Round       Round                  `json:"round"`
	From        time.Time              `json:"from"`
	To          time.Time              `json:"to"`
	Computation timelimits.Computation `json:"computation"`
}

type BidsRequireConfirmation struct {
	Amendment int      `json:"amendment"`
	BidIDs    []string `json:"bidIds"`
}

// SealedSubmission is what the log knows of a sealed submission: never its content.
type SealedSubmission struct {
	BidID         string    `json:"bidId"`
	Supplier      string    `json:"supplier"`
	Lots          []string  `json:"lots"`
	ReceivedAt    time.Time `json:"receivedAt"`
	SHA256        string    `json:"sha256"`
	CiphertextRef string    `json:"ciphertextRef"`
	SizeBytes     int64     `json:"sizeBytes"`
}

type RequestToParticipateReceived struct {
	SealedSubmission
}

type BidSubmitted struct {
	SealedSubmission
}

type BidReplaced struct {
	BidID         string    `json:"bidId"`
	Version       int       `json:"version"`
	ReceivedAt    time.Time `json:"receivedAt"`
	SHA256        string    `json:"sha256"`
	CiphertextRef string    `json:"ciphertextRef"`
	SizeBytes     int64     `json:"sizeBytes"`
}

type BidWithdrawn struct {
	BidID       string    `json:"bidId"`
	WithdrawnAt time.Time `json:"withdrawnAt"`
}

type BidConfirmed struct {
	BidID     string `json:"bidId"`
	Amendment int    `json:"amendment"`
}

// TenderingClosed: receipt of one round closed at its deadline.
type TenderingClosed struct {
	Round       Round          `json:"round"`
	Deadline    time.Time      `json:"deadline"`
	ClosedAt    time.Time      `json:"closedAt"`
	Submissions []string       `json:"submissions"` // the sealed submissions received, withdrawn ones left out
	PerLot      map[string]int `json:"perLot"`
}

type BidOpeningStarted struct {
	Round Round  `json:"round"`
	By    string `json:"by"` // the first person under four-eyes
}

type BidsOpened struct {
	Round          Round       `json:"round"`
	OpenedAt       time.Time   `json:"openedAt"`
	OpenedBy       []string    `json:"openedBy"`
	Bids           []OpenedBid `json:"bids"`
	HashesVerified bool        `json:"hashesVerified"`
	ProtocolHash   string      `json:"protocolHash"` // SHA-256 of the protocol above, canonical JSON
}

type ReminderSent struct {
	Kind       ReminderKind `json:"kind"`
	Subject    string       `json:"subject"`
	Recipients []string     `json:"recipients"`
	Day        string       `json:"day"` // local date: one reminder per subject and day
}

func (DialogueNoticePublished) EventType() string      { return "DialogueNoticePublished" }
func (SupplierRegistered) EventType() string           { return "SupplierRegistered" }
func (DialogueEventScheduled) EventType() string       { return "DialogueEventScheduled" }
func (DialogueEventCancelled) EventType() string       { return "DialogueEventCancelled" }
func (DialogueMeetingMinuted) EventType() string       { return "DialogueMeetingMinuted" }
func (QuestionReceived) EventType() string             { return "QuestionReceived" }
func (AnswerPublished) EventType() string              { return "AnswerPublished" }
func (MarketDialogueClosed) EventType() string         { return "MarketDialogueClosed" }
func (ProcedureSelected) EventType() string            { return "ProcedureSelected" }
func (LotsDefined) EventType() string                  { return "LotsDefined" }
func (RequirementsDefined) EventType() string          { return "RequirementsDefined" }
func (QualificationCriteriaDefined) EventType() string { return "QualificationCriteriaDefined" }
func (AwardCriteriaDefined) EventType() string         { return "AwardCriteriaDefined" }
func (PartnershipPhasesDefined) EventType() string     { return "PartnershipPhasesDefined" }
func (EvaluatorAppointed) EventType() string           { return "EvaluatorAppointed" }
func (TimetableSet) EventType() string                 { return "TimetableSet" }
func (TenderDocumentsSubmitted) EventType() string     { return "TenderDocumentsSubmitted" }
func (TenderDocumentsApproved) EventType() string      { return "TenderDocumentsApproved" }
func (TenderDocumentsRejected) EventType() string      { return "TenderDocumentsRejected" }
func (TenderDocumentsDecided) EventType() string       { return "TenderDocumentsDecided" }
func (ContractNoticePublished) EventType() string      { return "ContractNoticePublished" }
func (TenderAmended) EventType() string                { return "TenderAmended" }
func (TenderDeadlineExtended) EventType() string       { return "TenderDeadlineExtended" }
func (BidsRequireConfirmation) EventType() string      { return "BidsRequireConfirmation" }
func (RequestToParticipateReceived) EventType() string { return "RequestToParticipateReceived" }
func (BidSubmitted) EventType() string                 { return "BidSubmitted" }
func (BidReplaced) EventType() string                  { return "BidReplaced" }
func (BidWithdrawn) EventType() string                 { return "BidWithdrawn" }
func (BidConfirmed) EventType() string                 { return "BidConfirmed" }
func (TenderingClosed) EventType() string              { return "TenderingClosed" }
func (BidOpeningStarted) EventType() string            { return "BidOpeningStarted" }
func (BidsOpened) EventType() string                   { return "BidsOpened" }
func (ReminderSent) EventType() string                 { return "ReminderSent" }

func (DialogueNoticePublished) isProcurementEvent()      {}
func (SupplierRegistered) isProcurementEvent()           {}
func (DialogueEventScheduled) isProcurementEvent()       {}
func (DialogueEventCancelled) isProcurementEvent()       {}
func (DialogueMeetingMinuted) isProcurementEvent()       {}
func (QuestionReceived) isProcurementEvent()             {}
func (AnswerPublished) isProcurementEvent()              {}
func (MarketDialogueClosed) isProcurementEvent()         {}
func (ProcedureSelected) isProcurementEvent()            {}
func (LotsDefined) isProcurementEvent()                  {}
func (RequirementsDefined) isProcurementEvent()          {}
func (QualificationCriteriaDefined) isProcurementEvent() {}
func (AwardCriteriaDefined) isProcurementEvent()         {}
func (PartnershipPhasesDefined) isProcurementEvent()     {}
func (EvaluatorAppointed) isProcurementEvent()           {}
func (TimetableSet) isProcurementEvent()                 {}
func (TenderDocumentsSubmitted) isProcurementEvent()     {}
func (TenderDocumentsApproved) isProcurementEvent()      {}
func (TenderDocumentsRejected) isProcurementEvent()      {}
func (TenderDocumentsDecided) isProcurementEvent()       {}
func (ContractNoticePublished) isProcurementEvent()      {}
func (TenderAmended) isProcurementEvent()                {}
func (TenderDeadlineExtended) isProcurementEvent()       {}
func (BidsRequireConfirmation) isProcurementEvent()      {}
func (RequestToParticipateReceived) isProcurementEvent() {}
func (BidSubmitted) isProcurementEvent()                 {}
func (BidReplaced) isProcurementEvent()                  {}
func (BidWithdrawn) isProcurementEvent()                 {}
func (BidConfirmed) isProcurementEvent()                 {}
func (TenderingClosed) isProcurementEvent()              {}
func (BidOpeningStarted) isProcurementEvent()            {}
func (BidsOpened) isProcurementEvent()                   {}
func (ReminderSent) isProcurementEvent()                 {}

// registerTenderEvents adds the issue 5 event types to the registry.
func registerTenderEvents(r *es.Registry[Event]) {
	es.Register[DialogueNoticePublished](r, 1)
	es.Register[SupplierRegistered](r, 1)
	es.Register[DialogueEventScheduled](r, 1)
	es.Register[DialogueEventCancelled](r, 1)
	es.Register[DialogueMeetingMinuted](r, 1)
	es.Register[QuestionReceived](r, 1)
	es.Register[AnswerPublished](r, 1)
	es.Register[MarketDialogueClosed](r, 1)
	es.Register[ProcedureSelected](r, 1)
	es.Register[LotsDefined](r, 1)
	es.Register[RequirementsDefined](r, 1)
	es.Register[QualificationCriteriaDefined](r, 1)
	es.Register[AwardCriteriaDefined](r, 1)
	es.Register[PartnershipPhasesDefined](r, 1)
	es.Register[EvaluatorAppointed](r, 1)
	es.Register[TimetableSet](r, 1)
	es.Register[TenderDocumentsSubmitted](r, 1)
	es.Register[TenderDocumentsApproved](r, 1)
	es.Register[TenderDocumentsRejected](r, 1)
	es.Register[TenderDocumentsDecided](r, 1)
	es.Register[ContractNoticePublished](r, 1)
	es.Register[TenderAmended](r, 1)
	es.Register[TenderDeadlineExtended](r, 1)
	es.Register[BidsRequireConfirmation](r, 1)
	es.Register[RequestToParticipateReceived](r, 1)
	es.Register[BidSubmitted](r, 1)
	es.Register[BidReplaced](r, 1)
	es.Register[BidWithdrawn](r, 1)
	es.Register[BidConfirmed](r, 1)
	es.Register[TenderingClosed](r, 1)
	es.Register[BidOpeningStarted](r, 1)
	es.Register[BidsOpened](r, 1)
	es.Register[ReminderSent](r, 1)
}
