package procurement

import (
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/timelimits"
)

// Commands of qualification and negotiation, evaluation, award and standstill,
// contracting, follow-up and the cross-cutting endings (DOMAIN.md §1 P6–P11,
// §2 transitions 11–24, issue 6). Commands checked against legal time limits
// carry the table in force, set by the application (never from JSON).

// AssessQualification records the qualification decision on one request to
// participate (two-stage procedures, after the requests are opened).
type AssessQualification struct {
	SubmissionID string
	Qualified    bool
	Results      []CriterionResult // one per selection criterion
	Grounds      string            // why not qualified
	LegalBasis   string
	By           actor.Actor
	At           time.Time
}

// InviteCandidates shortlists qualified candidates and invites them: to
// negotiation (CPN, CD, IP) or straight to tender (restricted).
type InviteCandidates struct {
	Invited        []string          // supplier organisations
	NotInvited     []NotInvited      // qualified candidates left out, with reasons
	TenderDeadline time.Time         // restricted only; zero = the timetable's
	Limits         *timelimits.Table `json:"-"`
	By             actor.Actor
	At             time.Time
}

// HoldNegotiationRound records one negotiation meeting with a participant; a
// change to the requirements is sent in writing to every remaining participant.
type HoldNegotiationRound struct {
	Round               int
	Supplier            string
	MinutesHash         string
	RequirementsChanged []string
	By                  actor.Actor
	At                  time.Time
}

// EliminateParticipant removes a participant's solution from the negotiation.
type EliminateParticipant struct {
	Supplier string
	Reason   string
	By       actor.Actor
	At       time.Time
}

// CallForFinalTenders ends the negotiation: every remaining participant is
// called in writing to submit a final tender by one deadline.
type CallForFinalTenders struct {
	Deadline time.Time
	Limits   *timelimits.Table `json:"-"`
	By       actor.Actor
	At       time.Time
}

// DeclareConflictOfInterest: an appointed evaluator declares, against the
// suppliers of the opened tenders, before any access to their content.
type DeclareConflictOfInterest struct {
	HasConflict bool
	Relations   []string // what the conflict is, when there is one
	By          actor.Actor
	At          time.Time
}

// RecuseEvaluator: the lead removes an evaluator, optionally naming a replacement.
type RecuseEvaluator struct {
	Evaluator      string
	Reason         string
	Replacement    string
	ReplacementOrg string
	By             actor.Actor
	At             time.Time
}

// ScoreBid: an evaluator scores one criterion of one tender.
type ScoreBid struct {
	BidID         string
	Criterion     string
	Score         int
	Justification string
	By            actor.Actor
	At            time.Time
}

// LockScores: an evaluator locks its scores; after that they are final and
// visible to the lead and the other evaluators who have locked.
type LockScores struct {
	By actor.Actor
	At time.Time
}

// RecordConsensus: the lead records the panel's consensus score.
type RecordConsensus struct {
	BidID     string
	Criterion string
	Score     int
	Rationale string
	By        actor.Actor
	At        time.Time
}

// RequestClarification: the lead asks a tenderer to clarify its tender.
type RequestClarification struct {
	ClarificationID   string
	BidID             string
	Question          string
	SameQuestionToAll bool
	By                actor.Actor
	At                time.Time
}

// AnswerClarification: the tenderer answers.
type AnswerClarification struct {
	ClarificationID string
	Answer          string
	By              actor.Actor
	At              time.Time
}

// RejectBid: the lead rejects a tender with grounds and legal basis.
type RejectBid struct {
	BidID      string
	Grounds    string
	LegalBasis string
	By         actor.Actor
	At         time.Time
}

// FinalizeEvaluation: the lead finalises the evaluation report; the ranking is
// computed from the consensus scores.
type FinalizeEvaluation struct {
	ReportHash string
	SignedBy   []string // persons who signed the report
	By         actor.Actor
	At         time.Time
}

// DecideAward decides the award of a lot: the lead for every member under
// their decideAward mandates (JOINT), or a member for itself (PER_MEMBER).
type DecideAward struct {
	AwardID         string
	Lot             string
	BidID           string
	Value           string
	DecisionDocHash string
	By              actor.Actor
	At              time.Time
}

// SendAwardNotification notifies every tenderer concerned, with reasons and
// the standstill end, at once; the standstill starts.
type SendAwardNotification struct {
	Channel     NotificationChannel
	ReasonsHash string
	Limits      *timelimits.Table `json:"-"`
	By          actor.Actor
	At          time.Time
}

// EndStandstill: the workflow clock ends the standstill once it is over.
type EndStandstill struct {
	By actor.Actor
	At time.Time
}

// RegisterComplaint records a complaint; a suspensive one suspends contracting.
type RegisterComplaint struct {
	ComplaintID string
	Complainant string
	Forum       Forum
	Grounds     string
	Suspensive  bool
	By          actor.Actor
	At          time.Time
}

// RegisterInterimMeasure records a review body's interim measure: contracting
// is suspended until the review is resolved.
type RegisterInterimMeasure struct {
	ComplaintID string
	Ruling      string
	DocHash     string
	By          actor.Actor
	At          time.Time
}

// ResolveReview records the outcome of a complaint.
type ResolveReview struct {
	ComplaintID string
	Outcome     ReviewOutcome
	Ruling      string
	DocHash     string
	By          actor.Actor
	At          time.Time
}

// RevokeAward withdraws an award decision before a contract is signed.
type RevokeAward struct {
	AwardID string
	Reason  string
	By      actor.Actor
	At      time.Time
}

// SignContract records one signature of a contract under the agreement's
// signing model; the first signature fixes the terms.
type SignContract struct {
	ContractID   string
	AwardID      string
	Terms        ContractTerms
	SignatureRef string // the BankID/eID/QES reference
	By           actor.Actor
	At           time.Time
}

// PublishAwardNotice publishes the contract award notice.
type PublishAwardNotice struct {
	Channel          NoticeChannel
	ExternalNoticeID string
	Limits           *timelimits.Table `json:"-"`
	By               actor.Actor
	At               time.Time
}

// PlaceCallOff: a member orders under a signed contract it is a buyer of.
type PlaceCallOff struct {
	CallOffID   string
	ContractID  string
	Description string
	Value       string
	Competitive bool
	By          actor.Actor
	At          time.Time
}

// RecordMilestone records how a contract milestone went.
type RecordMilestone struct {
	MilestoneID string
	ContractID  string
	Title       string
	Status      MilestoneStatus
	Note        string
	By          actor.Actor
	At          time.Time
}

// RecordDeviation records a deviation from the contract.
type RecordDeviation struct {
	DeviationID string
	ContractID  string
	Severity    Severity
	Description string
	By          actor.Actor
	At          time.Time
}

// CompletePhase: the phase gate of an innovation partnership, at the end of a
// phase, against its intermediate targets: continue or terminate.
type CompletePhase struct {
	PhaseID        string
	TargetsMet     []string
	AssessmentHash string
	Decision       GateDecision
	Reason         string // required to terminate
	By             actor.Actor
	At             time.Time
}

// RecordPayment: a member records a payment under a contract it is a buyer of.
type RecordPayment struct {
	PaymentID  string
	ContractID string
	Amount     string
	PaidOn     string
	By         actor.Actor
	At         time.Time
}

// RecordEffect: a member reports a KPI against its baseline for a period.
type RecordEffect struct {
	MeasurementID string
	KPI           string
	Unit          string
	Baseline      string
	Value         string
	PeriodFrom    string
	PeriodTo      string
	Method        string
	By            actor.Actor
	At            time.Time
}

// CloseContract ends a contract.
type CloseContract struct {
	ContractID  string
	FinalStatus FinalStatus
	LessonsHash string
	By          actor.Actor
	At          time.Time
}

// CloseCase closes the case once every contract is closed and every member
// has reported its effects.
type CloseCase struct {
	LessonsHash string
	By          actor.Actor
	At          time.Time
}

// ApproveCancellation / RejectCancellation: a member votes on a proposed
// cancellation.
type ApproveCancellation struct {
	Version int
	Comment string
	By      actor.Actor
	At      time.Time
}

type RejectCancellation struct {
	Version int
	Comment string
	By      actor.Actor
	At      time.Time
}

// DeclareUnsuccessful ends the procedure without award: no tenders, or all rejected.
type DeclareUnsuccessful struct {
	Reason          UnsuccessfulReason
	Explanation     string
	SuccessorCaseID string
	By              actor.Actor
	At              time.Time
}

// ApproveWithdrawal: the lead or the hub approves a member's withdrawal after
// the notice (both must).
type ApproveWithdrawal struct {
	Org string
	By  actor.Actor
	At  time.Time
}

func (AssessQualification) isProcurementCommand()       {}
func (InviteCandidates) isProcurementCommand()          {}
func (HoldNegotiationRound) isProcurementCommand()      {}
func (EliminateParticipant) isProcurementCommand()      {}
func (CallForFinalTenders) isProcurementCommand()       {}
func (DeclareConflictOfInterest) isProcurementCommand() {}
func (RecuseEvaluator) isProcurementCommand()           {}
func (ScoreBid) isProcurementCommand()                  {}
func (LockScores) isProcurementCommand()                {}
func (RecordConsensus) isProcurementCommand()           {}
func (RequestClarification) isProcurementCommand()      {}
func (AnswerClarification) isProcurementCommand()       {}
func (RejectBid) isProcurementCommand()                 {}
func (FinalizeEvaluation) isProcurementCommand()        {}
func (DecideAward) isProcurementCommand()               {}
func (SendAwardNotification) isProcurementCommand()     {}
func (EndStandstill) isProcurementCommand()             {}
func (RegisterComplaint) isProcurementCommand()         {}
func (RegisterInterimMeasure) isProcurementCommand()    {}
func (ResolveReview) isProcurementCommand()             {}
func (RevokeAward) isProcurementCommand()               {}
func (SignContract) isProcurementCommand()              {}
func (PublishAwardNotice) isProcurementCommand()        {}
func (PlaceCallOff) isProcurementCommand()              {}
func (RecordMilestone) isProcurementCommand()           {}
func (RecordDeviation) isProcurementCommand()           {}
func (CompletePhase) isProcurementCommand()             {}
func (RecordPayment) isProcurementCommand()             {}
func (RecordEffect) isProcurementCommand()              {}
func (CloseContract) isProcurementCommand()             {}
func (CloseCase) isProcurementCommand()                 {}
func (ApproveCancellation) isProcurementCommand()       {}
func (RejectCancellation) isProcurementCommand()        {}
func (DeclareUnsuccessful) isProcurementCommand()       {}
func (ApproveWithdrawal) isProcurementCommand()         {}

func (c AssessQualification) Actor() actor.Actor       { return c.By }
func (c InviteCandidates) Actor() actor.Actor          { return c.By }
func (c HoldNegotiationRound) Actor() actor.Actor      { return c.By }
func (c EliminateParticipant) Actor() actor.Actor      { return c.By }
func (c CallForFinalTenders) Actor() actor.Actor       { return c.By }
func (c DeclareConflictOfInterest) Actor() actor.Actor { return c.By }
func (c RecuseEvaluator) Actor() actor.Actor           { return c.By }
func (c ScoreBid) Actor() actor.Actor                  { return c.By }
func (c LockScores) Actor() actor.Actor                { return c.By }
func (c RecordConsensus) Actor() actor.Actor           { return c.By }
func (c RequestClarification) Actor() actor.Actor      { return c.By }
func (c AnswerClarification) Actor() actor.Actor       { return c.By }
func (c RejectBid) Actor() actor.Actor                 { return c.By }
func (c FinalizeEvaluation) Actor() actor.Actor        { return c.By }
func (c DecideAward) Actor() actor.Actor               { return c.By }
func (c SendAwardNotification) Actor() actor.Actor     { return c.By }
func (c EndStandstill) Actor() actor.Actor             { return c.By }
func (c RegisterComplaint) Actor() actor.Actor         { return c.By }
func (c RegisterInterimMeasure) Actor() actor.Actor    { return c.By }
func (c ResolveReview) Actor() actor.Actor             { return c.By }
func (c RevokeAward) Actor() actor.Actor               { return c.By }
func (c SignContract) Actor() actor.Actor              { return c.By }
func (c PublishAwardNotice) Actor() actor.Actor        { return c.By }
func (c PlaceCallOff) Actor() actor.Actor              { return c.By }
func (c RecordMilestone) Actor() actor.Actor           { return c.By }
func (c RecordDeviation) Actor() actor.Actor           { return c.By }
func (c CompletePhase) Actor() actor.Actor             { return c.By }
func (c RecordPayment) Actor() actor.Actor             { return c.By }
func (c RecordEffect) Actor() actor.Actor              { return c.By }
func (c CloseContract) Actor() actor.Actor             { return c.By }
func (c CloseCase) Actor() actor.Actor                 { return c.By }
func (c ApproveCancellation) Actor() actor.Actor       { return c.By }
func (c RejectCancellation) Actor() actor.Actor        { return c.By }
func (c DeclareUnsuccessful) Actor() actor.Actor       { return c.By }
func (c ApproveWithdrawal) Actor() actor.Actor         { return c.By }

func (c AssessQualification) When() time.Time       { return c.At }
func (c InviteCandidates) When() time.Time          { return c.At }
func (c HoldNegotiationRound) When() time.Time      { return c.At }
func (c EliminateParticipant) When() time.Time      { return c.At }
func (c CallForFinalTenders) When() time.Time       { return c.At }
func (c DeclareConflictOfInterest) When() time.Time { return c.At }
func (c RecuseEvaluator) When() time.Time           { return c.At }
func (c ScoreBid) When() time.Time                  { return c.At }
func (c LockScores) When() time.Time                { return c.At }
func (c RecordConsensus) When() time.Time           { return c.At }
func (c RequestClarification) When() time.Time      { return c.At }
func (c AnswerClarification) When() time.Time       { return c.At }
func (c RejectBid) When() time.Time                 { return c.At }
func (c FinalizeEvaluation) When() time.Time        { return c.At }
func (c DecideAward) When() time.Time               { return c.At }
func (c SendAwardNotification) When() time.Time     { return c.At }
func (c EndStandstill) When() time.Time             { return c.At }
func (c RegisterComplaint) When() time.Time         { return c.At }
func (c RegisterInterimMeasure) When() time.Time    { return c.At }
func (c ResolveReview) When() time.Time             { return c.At }
func (c RevokeAward) When() time.Time               { return c.At }
func (c SignContract) When() time.Time              { return c.At }
func (c PublishAwardNotice) When() time.Time        { return c.At }
func (c PlaceCallOff) When() time.Time              { return c.At }
func (c RecordMilestone) When() time.Time           { return c.At }
func (c RecordDeviation) When() time.Time           { return c.At }
func (c CompletePhase) When() time.Time             { return c.At }
func (c RecordPayment) When() time.Time             { return c.At }
func (c RecordEffect) When() time.Time              { return c.At }
func (c CloseContract) When() time.Time             { return c.At }
func (c CloseCase) When() time.Time                 { return c.At }
func (c ApproveCancellation) When() time.Time       { return c.At }
func (c RejectCancellation) When() time.Time        { return c.At }
func (c DeclareUnsuccessful) When() time.Time       { return c.At }
func (c ApproveWithdrawal) When() time.Time         { return c.At }
