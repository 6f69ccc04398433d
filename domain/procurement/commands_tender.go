package procurement

import (
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/timelimits"
)

// Commands of the market dialogue, the competition design and the tendering
// (DOMAIN.md §1 P3–P6, issue 5). Commands a supplier gives carry the acting
// organisation's kind, as registered, because only a supplier may bid.

// PublishDialogueNotice: the hub or the lead invites the market to the dialogue;
// the case moves from NEEDS to MARKET_DIALOGUE.
type PublishDialogueNotice struct {
	Channel              NoticeChannel
	ExternalNoticeID     string
	Text                 string
	RegistrationDeadline time.Time
	By                   actor.Actor
	At                   time.Time
}

// RegisterSupplier registers a supplier for the dialogue or the tendering. A
// supplier's user registers its own organisation (Supplier empty); the hub or the
// lead may record a registration received another way by naming the supplier.
type RegisterSupplier struct {
	Supplier     string            // "" = the acting organisation
	SupplierKind organisation.Kind // kind of the supplier, as registered; "" when unknown
	By           actor.Actor
	At           time.Time
}

// ScheduleDialogueEvent plans a conference, one-to-one meetings, a webinar, a
// request for information or a hearing of draft documents.
type ScheduleDialogueEvent struct {
	EventID  string
	Type     DialogueEventType
	Title    string
	StartsAt time.Time
	By       actor.Actor
	At       time.Time
}

// CancelDialogueEvent calls off a planned dialogue event, with a reason.
type CancelDialogueEvent struct {
	EventID string
	Reason  string
	By      actor.Actor
	At      time.Time
}

// RecordMeetingNotes records the minutes of a dialogue event: the public part
// goes to every registered supplier, a confidential annex is bound by its hash.
type RecordMeetingNotes struct {
	EventID               string
	Attendees             []string // supplier organisations present
	PublicSummary         string
	ConfidentialAnnexHash string // optional SHA-256 of the annex
	By                    actor.Actor
	At                    time.Time
}

// AskQuestion: a supplier asks (or the hub or lead records a question received
// another way, naming the supplier).
type AskQuestion struct {
	QuestionID   string
	Text         string
	Supplier     string
	SupplierKind organisation.Kind
	By           actor.Actor
	At           time.Time
}

// AnswerQuestion publishes the answer to every registered supplier, with the
// question rewritten so it does not reveal who asked.
type AnswerQuestion struct {
	QuestionID         string
	AnonymisedQuestion string
	Answer             string
	By                 actor.Actor
	At                 time.Time
}

// CloseMarketDialogue ends the dialogue with a summary and the levelling
// measures; the case moves to DESIGN.
type CloseMarketDialogue struct {
	SummaryReportHash string
	LevellingMeasures []string
	By                actor.Actor
	At                time.Time
}

// SelectProcedure chooses the procedure and the regime whose time limits apply.
type SelectProcedure struct {
	Procedure     timelimits.Procedure
	Regime        timelimits.Regime
	LegalBasis    string
	Justification string
	Conditions    []timelimits.Condition // facts that shorten periods (e-submission, PIN, urgency)
	MinCandidates int                    // two-stage procedures: at least this many invited
	MaxCandidates int                    // 0 = no maximum
	By            actor.Actor
	At            time.Time
}

// DefineLots replaces the lots.
type DefineLots struct {
	Lots []Lot
	By   actor.Actor
	At   time.Time
}

// DefineRequirements replaces the requirements.
type DefineRequirements struct {
	Requirements []Requirement
	By           actor.Actor
	At           time.Time
}

// DefineQualificationCriteria replaces the exclusion grounds and selection criteria.
type DefineQualificationCriteria struct {
	ExclusionGrounds  []string
	SelectionCriteria []SelectionCriterion
	By                actor.Actor
	At                time.Time
}

// DefineAwardCriteria replaces the award criteria of one lot ("" = every lot
// without criteria of its own).
type DefineAwardCriteria struct {
	Lot      string
	Criteria []AwardCriterion
	TieRule  TieRule // how a tie of totals is broken; "" = HIGHEST_QUALITY
	By       actor.Actor
	At       time.Time
}

// DefinePartnershipPhases sets the phase plan of an innovation partnership.
type DefinePartnershipPhases struct {
	Phases             []PartnershipPhase
	PurchaseConditions PurchaseConditions
	By                 actor.Actor
	At                 time.Time
}

// AppointEvaluator appoints a person of an organisation to the evaluation committee.
type AppointEvaluator struct {
	Person   string
	Org      string
	Criteria []string // criterion IDs; empty = all
	Lots     []string // lot IDs; empty = all
	By       actor.Actor
	At       time.Time
}

// SetTimetable plans the tendering; every period is checked against the legal
// minimum of the case's jurisdiction, regime and procedure. Limits is the
// time-limit table in force, given by the application.
type SetTimetable struct {
	Timetable TimetablePlan
	Limits    *timelimits.Table `json:"-"`
	By        actor.Actor
	At        time.Time
}

// SubmitTenderDocuments puts a version of the tender documents to the members
// (DESIGN → APPROVAL).
type SubmitTenderDocuments struct {
	DocumentHash string
	By           actor.Actor
	At           time.Time
}

// ApproveTenderDocuments / RejectTenderDocuments: a member votes on a version.
type ApproveTenderDocuments struct {
	Version      int
	DocumentHash string
	Comment      string
	By           actor.Actor
	At           time.Time
}

type RejectTenderDocuments struct {
	Version int
	Comment string
	By      actor.Actor
	At      time.Time
}

// PublishContractNotice: the lead publishes the notice and the documents
// (APPROVAL → TENDERING); the buyers are fixed from now on.
type PublishContractNotice struct {
	Channel          NoticeChannel
	ExternalNoticeID string
	DocumentHash     string
	Limits           *timelimits.Table `json:"-"`
	By               actor.Actor
	At               time.Time
}

// AmendTender changes the published documents; a material change needs a new
// deadline far enough away.
type AmendTender struct {
	Changes      []string
	Rationale    string
	Material     bool
	DocumentHash string            // the amended documents
	NewDeadline  time.Time         // zero = keep the deadline
	Limits       *timelimits.Table `json:"-"`
	By           actor.Actor
	At           time.Time
}

// SubmitBid hands in a sealed submission: a request to participate in the
// first round of a two-stage procedure, a tender otherwise. The content is
// stored encrypted outside the log; the command carries its SHA-256 and where
// the ciphertext is.
type SubmitBid struct {
	BidID         string
	Lots          []string
	SHA256        string
	CiphertextRef string
	SizeBytes     int64
	SupplierKind  organisation.Kind // the acting organisation's kind
	By            actor.Actor
	At            time.Time
}

// ReplaceBid replaces the content of a sealed submission before the deadline.
type ReplaceBid struct {
	BidID         string
	SHA256        string
	CiphertextRef string
	SizeBytes     int64
	By            actor.Actor
	At            time.Time
}

// WithdrawBid withdraws a sealed submission before the deadline.
type WithdrawBid struct {
	BidID string
	By    actor.Actor
	At    time.Time
}

// ConfirmBid: the supplier confirms its submission against the amended documents.
type ConfirmBid struct {
	BidID     string
	Amendment int
	By        actor.Actor
	At        time.Time
}

// CloseReceipt is the workflow clock's command at the deadline.
type CloseReceipt struct {
	By actor.Actor
	At time.Time
}

// OpenBids opens the sealed submissions of the closed round. Under four-eyes
// the first authorised person starts the opening and a second completes it.
// Verified holds the SHA-256 of each submission's decrypted content, computed
// by the application from the sealed store at the opening.
type OpenBids struct {
	Verified map[string]string
	// Probe asks what the command would do without the hashes: the
	// application looks before it decrypts anything.
	Probe bool `json:"-"`
	By    actor.Actor
	At    time.Time
}

// Unreadable is the Verified value of a submission whose sealed content no
// longer decrypts: the protocol records it as not verified.
const Unreadable = "UNREADABLE"

// SendReminder is the workflow clock's reminder of something overdue.
type SendReminder struct {
	Kind    ReminderKind
	Subject string // question ID, or the documents version
	By      actor.Actor
	At      time.Time
}

func (c PublishDialogueNotice) Actor() actor.Actor       { return c.By }
func (c RegisterSupplier) Actor() actor.Actor            { return c.By }
func (c ScheduleDialogueEvent) Actor() actor.Actor       { return c.By }
func (c CancelDialogueEvent) Actor() actor.Actor         { return c.By }
func (c RecordMeetingNotes) Actor() actor.Actor          { return c.By }
func (c AskQuestion) Actor() actor.Actor                 { return c.By }
func (c AnswerQuestion) Actor() actor.Actor              { return c.By }
func (c CloseMarketDialogue) Actor() actor.Actor         { return c.By }
func (c SelectProcedure) Actor() actor.Actor             { return c.By }
func (c DefineLots) Actor() actor.Actor                  { return c.By }
func (c DefineRequirements) Actor() actor.Actor          { return c.By }
func (c DefineQualificationCriteria) Actor() actor.Actor { return c.By }
func (c DefineAwardCriteria) Actor() actor.Actor         { return c.By }
func (c DefinePartnershipPhases) Actor() actor.Actor     { return c.By }
func (c AppointEvaluator) Actor() actor.Actor            { return c.By }
func (c SetTimetable) Actor() actor.Actor                { return c.By }
func (c SubmitTenderDocuments) Actor() actor.Actor       { return c.By }
func (c ApproveTenderDocuments) Actor() actor.Actor      { return c.By }
func (c RejectTenderDocuments) Actor() actor.Actor       { return c.By }
func (c PublishContractNotice) Actor() actor.Actor       { return c.By }
func (c AmendTender) Actor() actor.Actor                 { return c.By }
func (c SubmitBid) Actor() actor.Actor                   { return c.By }
func (c ReplaceBid) Actor() actor.Actor                  { return c.By }
func (c WithdrawBid) Actor() actor.Actor                 { return c.By }
func (c ConfirmBid) Actor() actor.Actor                  { return c.By }
func (c CloseReceipt) Actor() actor.Actor                { return c.By }
func (c OpenBids) Actor() actor.Actor                    { return c.By }
func (c SendReminder) Actor() actor.Actor                { return c.By }

func (c PublishDialogueNotice) When() time.Time       { return c.At }
func (c RegisterSupplier) When() time.Time            { return c.At }
func (c ScheduleDialogueEvent) When() time.Time       { return c.At }
func (c CancelDialogueEvent) When() time.Time         { return c.At }
func (c RecordMeetingNotes) When() time.Time          { return c.At }
func (c AskQuestion) When() time.Time                 { return c.At }
func (c AnswerQuestion) When() time.Time              { return c.At }
func (c CloseMarketDialogue) When() time.Time         { return c.At }
func (c SelectProcedure) When() time.Time             { return c.At }
func (c DefineLots) When() time.Time                  { return c.At }
func (c DefineRequirements) When() time.Time          { return c.At }
func (c DefineQualificationCriteria) When() time.Time { return c.At }
func (c DefineAwardCriteria) When() time.Time         { return c.At }
func (c DefinePartnershipPhases) When() time.Time     { return c.At }
func (c AppointEvaluator) When() time.Time            { return c.At }
func (c SetTimetable) When() time.Time                { return c.At }
func (c SubmitTenderDocuments) When() time.Time       { return c.At }
func (c ApproveTenderDocuments) When() time.Time      { return c.At }
func (c RejectTenderDocuments) When() time.Time       { return c.At }
func (c PublishContractNotice) When() time.Time       { return c.At }
func (c AmendTender) When() time.Time                 { return c.At }
func (c SubmitBid) When() time.Time                   { return c.At }
func (c ReplaceBid) When() time.Time                  { return c.At }
func (c WithdrawBid) When() time.Time                 { return c.At }
func (c ConfirmBid) When() time.Time                  { return c.At }
func (c CloseReceipt) When() time.Time                { return c.At }
func (c OpenBids) When() time.Time                    { return c.At }
func (c SendReminder) When() time.Time                { return c.At }

func (PublishDialogueNotice) isProcurementCommand()       {}
func (RegisterSupplier) isProcurementCommand()            {}
func (ScheduleDialogueEvent) isProcurementCommand()       {}
func (CancelDialogueEvent) isProcurementCommand()         {}
func (RecordMeetingNotes) isProcurementCommand()          {}
func (AskQuestion) isProcurementCommand()                 {}
func (AnswerQuestion) isProcurementCommand()              {}
func (CloseMarketDialogue) isProcurementCommand()         {}
func (SelectProcedure) isProcurementCommand()             {}
func (DefineLots) isProcurementCommand()                  {}
func (DefineRequirements) isProcurementCommand()          {}
func (DefineQualificationCriteria) isProcurementCommand() {}
func (DefineAwardCriteria) isProcurementCommand()         {}
func (DefinePartnershipPhases) isProcurementCommand()     {}
func (AppointEvaluator) isProcurementCommand()            {}
func (SetTimetable) isProcurementCommand()                {}
func (SubmitTenderDocuments) isProcurementCommand()       {}
func (ApproveTenderDocuments) isProcurementCommand()      {}
func (RejectTenderDocuments) isProcurementCommand()       {}
func (PublishContractNotice) isProcurementCommand()       {}
func (AmendTender) isProcurementCommand()                 {}
func (SubmitBid) isProcurementCommand()                   {}
func (ReplaceBid) isProcurementCommand()                  {}
func (WithdrawBid) isProcurementCommand()                 {}
func (ConfirmBid) isProcurementCommand()                  {}
func (CloseReceipt) isProcurementCommand()                {}
func (OpenBids) isProcurementCommand()                    {}
func (SendReminder) isProcurementCommand()                {}
