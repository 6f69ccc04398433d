package procurement

import (
	"time"

	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/timelimits"
)

// Events of qualification and negotiation, evaluation, award and standstill,
// contracting, follow-up and the cross-cutting endings (issue 6).

type QualificationAssessed struct {
	SubmissionID string            `json:"submissionId"`
	Supplier     string            `json:"supplier"`
	Qualified    bool              `json:"qualified"`
	Results      []CriterionResult `json:"results"`
	Grounds      string            `json:"grounds,omitempty"` // required when not qualified
	LegalBasis   string            `json:"legalBasis,omitempty"`
	AssessedAt   time.Time         `json:"assessedAt"`
}

type CandidatesInvited struct {
	Invited       []string     `json:"invited"`
	NotInvited    []NotInvited `json:"notInvited,omitempty"`
	MinCandidates int          `json:"minCandidates"`
	Next          Phase        `json:"next"` // NEGOTIATION, or TENDERING for the restricted procedure
	// TenderDeadline and Minimum are set when the invitation opens a tender
	// round at once (restricted procedure).
	TenderDeadline time.Time               `json:"tenderDeadline,omitzero"`
	Minimum        *timelimits.Computation `json:"minimum,omitempty"`
	InvitedAt      time.Time               `json:"invitedAt"`
}

type NegotiationRoundHeld struct {
	Round               int       `json:"round"`
	Supplier            string    `json:"supplier"`
	MinutesHash         string    `json:"minutesHash"`
	RequirementsChanged []string  `json:"requirementsChanged,omitempty"`
	SentTo              []string  `json:"sentTo,omitempty"` // every remaining participant, when requirements changed
	HeldAt              time.Time `json:"heldAt"`
}

type ParticipantEliminated struct {
	Supplier     string    `json:"supplier"`
	Reason       string    `json:"reason"`
	EliminatedAt time.Time `json:"eliminatedAt"`
}

type FinalTendersCalled struct {
	Deadline   time.Time               `json:"deadline"`
	Recipients []string                `json:"recipients"`
	Minimum    *timelimits.Computation `json:"minimum,omitempty"`
	CalledAt   time.Time               `json:"calledAt"`
}

type ConflictOfInterestDeclared struct {
	Evaluator   string    `json:"evaluator"`
	Org         string    `json:"org"`
	HasConflict bool      `json:"hasConflict"`
	Relations   []string  `json:"relations,omitempty"`
	BiddersSeen []string  `json:"biddersSeen"` // the suppliers of the opened tenders the evaluator declared against
	DeclaredAt  time.Time `json:"declaredAt"`
}

type EvaluatorRecused struct {
	Evaluator      string    `json:"evaluator"`
	Reason         string    `json:"reason"`
	Replacement    string    `json:"replacement,omitempty"`
	ReplacementOrg string    `json:"replacementOrg,omitempty"`
	RecusedAt      time.Time `json:"recusedAt"`
}

type BidScored struct {
	Evaluator     string    `json:"evaluator"`
	BidID         string    `json:"bidId"`
	Criterion     string    `json:"criterion"`
	Score         int       `json:"score"`
	Justification string    `json:"justification,omitempty"`
	ScoredAt      time.Time `json:"scoredAt"`
}

type EvaluatorScoresLocked struct {
	Evaluator    string    `json:"evaluator"`
	ScoreSetHash string    `json:"scoreSetHash"` // SHA-256 of the evaluator's scores, canonical JSON
	Scores       int       `json:"scores"`
	LockedAt     time.Time `json:"lockedAt"`
}

type ConsensusScoreRecorded struct {
	BidID      string            `json:"bidId"`
	Criterion  string            `json:"criterion"`
	Score      int               `json:"score"`
	Rationale  string            `json:"rationale"`
	Individual []IndividualScore `json:"individual"`
	RecordedAt time.Time         `json:"recordedAt"`
}

type ClarificationRequested struct {
	ClarificationID   string    `json:"clarificationId"`
	BidID             string    `json:"bidId"`
	Supplier          string    `json:"supplier"`
	Question          string    `json:"question"`
	SameQuestionToAll bool      `json:"sameQuestionToAll"`
	RequestedAt       time.Time `json:"requestedAt"`
}

type ClarificationReceived struct {
	ClarificationID string    `json:"clarificationId"`
	BidID           string    `json:"bidId"`
	Answer          string    `json:"answer"`
	ReceivedAt      time.Time `json:"receivedAt"`
}

type BidRejected struct {
	BidID      string    `json:"bidId"`
	Supplier   string    `json:"supplier"`
	Grounds    string    `json:"grounds"`
	LegalBasis string    `json:"legalBasis"`
	RejectedAt time.Time `json:"rejectedAt"`
}

type EvaluationReportFinalized struct {
	Version     int          `json:"version"`
	Lots        []LotRanking `json:"lots"`
	ReportHash  string       `json:"reportHash"`
	SignedBy    []string     `json:"signedBy"`
	FinalizedAt time.Time    `json:"finalizedAt"`
}

type AwardDecided struct {
	AwardID         string    `json:"awardId"`
	Lot             string    `json:"lot"`
	BidID           string    `json:"bidId"`
	Supplier        string    `json:"supplier"`
	Value           string    `json:"value"`
	Mode            AwardMode `json:"mode"`
	DecidedBy       string    `json:"decidedBy"` // the deciding organisation
	For             []string  `json:"for"`       // the members the decision binds
	Mandates        []string  `json:"mandates,omitempty"`
	DecisionDocHash string    `json:"decisionDocHash"`
	DecidedAt       time.Time `json:"decidedAt"`
	// PhaseAfter is the case's phase after this decision (AWARD_DECIDED once
	// every award is decided), stated so a reader of this event alone knows it.
	PhaseAfter Phase `json:"phaseAfter,omitempty"`
}

type AwardNotificationSent struct {
	Recipients    []string            `json:"recipients"` // every tenderer concerned
	Awards        []string            `json:"awards"`
	ReasonsHash   string              `json:"reasonsHash"`
	Channel       NotificationChannel `json:"channel"`
	SentAt        time.Time           `json:"sentAt"`
	StandstillEnd time.Time           `json:"standstillEnd"`
}

type StandstillStarted struct {
	EndsAt      time.Time              `json:"endsAt"` // the last instant of the standstill; signing from the next
	Computation timelimits.Computation `json:"computation"`
	PhaseAfter  Phase                  `json:"phaseAfter,omitempty"` // SUSPENDED when a complaint still holds contracting
}

type StandstillEnded struct {
	EndedAt time.Time `json:"endedAt"`
}

type ComplaintReceived struct {
	ComplaintID string    `json:"complaintId"`
	Complainant string    `json:"complainant"`
	Forum       Forum     `json:"forum"`
	Grounds     string    `json:"grounds"`
	Suspensive  bool      `json:"suspensive"`
	ReceivedAt  time.Time `json:"receivedAt"`
}

type ContractingSuspended struct {
	ComplaintID string    `json:"complaintId"`
	Ruling      string    `json:"ruling"`
	DocHash     string    `json:"docHash,omitempty"`
	Previous    Phase     `json:"previous"`
	SuspendedAt time.Time `json:"suspendedAt"`
}

type ReviewResolved struct {
	ComplaintID string        `json:"complaintId"`
	Outcome     ReviewOutcome `json:"outcome"`
	Ruling      string        `json:"ruling"`
	DocHash     string        `json:"docHash,omitempty"`
	Next        Phase         `json:"next"`
	ResolvedAt  time.Time     `json:"resolvedAt"`
}

type AwardRevoked struct {
	AwardID   string    `json:"awardId"`
	Reason    string    `json:"reason"`
	RevokedAt time.Time `json:"revokedAt"`
}

type ContractSignatureRecorded struct {
	ContractID   string        `json:"contractId"`
	AwardID      string        `json:"awardId"`
	Terms        ContractTerms `json:"terms"`
	Org          string        `json:"org"`
	For          []string      `json:"for"` // the buyers this signature binds
	Signatory    string        `json:"signatory"`
	Mandates     []string      `json:"mandates,omitempty"`
	SignatureRef string        `json:"signatureRef"`
	SignedAt     time.Time     `json:"signedAt"`
}

type ContractSigned struct {
	ContractID  string        `json:"contractId"`
	AwardID     string        `json:"awardId"`
	Lot         string        `json:"lot"`
	Supplier    string        `json:"supplier"`
	Buyers      []string      `json:"buyers"`
	Signatories []string      `json:"signatories"`
	Terms       ContractTerms `json:"terms"`
	SignedAt    time.Time     `json:"signedAt"`
	PhaseAfter  Phase         `json:"phaseAfter,omitempty"` // CONTRACT_ACTIVE once every awarded buyer is under contract
}

type AwardNoticePublished struct {
	Channel          NoticeChannel           `json:"channel"`
	ExternalNoticeID string                  `json:"externalNoticeId"`
	Contracts        []string                `json:"contracts"`
	PublishedAt      time.Time               `json:"publishedAt"`
	Limit            *timelimits.Computation `json:"limit,omitempty"` // the latest allowed publication
}

type CallOffPlaced struct {
	CallOffID   string    `json:"callOffId"`
	ContractID  string    `json:"contractId"`
	Org         string    `json:"org"`
	Description string    `json:"description"`
	Value       string    `json:"value"`
	Competitive bool      `json:"competitive"`
	PlacedAt    time.Time `json:"placedAt"`
}

type MilestoneRecorded struct {
	MilestoneID string          `json:"milestoneId"`
	ContractID  string          `json:"contractId"`
	Title       string          `json:"title"`
	Status      MilestoneStatus `json:"status"`
	Note        string          `json:"note,omitempty"`
	RecordedAt  time.Time       `json:"recordedAt"`
}

type ContractDeviationRecorded struct {
	DeviationID string    `json:"deviationId"`
	ContractID  string    `json:"contractId"`
	Severity    Severity  `json:"severity"`
	Description string    `json:"description"`
	RecordedBy  string    `json:"recordedBy"`
	RecordedAt  time.Time `json:"recordedAt"`
}

type PartnershipPhaseCompleted struct {
	PhaseID        string       `json:"phaseId"`
	TargetsMet     []string     `json:"targetsMet"`
	TargetsMissed  []string     `json:"targetsMissed,omitempty"`
	AssessmentHash string       `json:"assessmentHash"`
	Decision       GateDecision `json:"decision"`
	Mandates       []string     `json:"mandates,omitempty"`
	DecidedAt      time.Time    `json:"decidedAt"`
}

type PartnershipTerminated struct {
	PhaseID      string    `json:"phaseId"`
	Reason       string    `json:"reason"`
	TerminatedAt time.Time `json:"terminatedAt"`
}

type PaymentRecorded struct {
	PaymentID  string `json:"paymentId"`
	ContractID string `json:"contractId"`
	Org        string `json:"org"`
	Amount     string `json:"amount"`
	PaidOn     string `json:"paidOn"` // YYYY-MM-DD
}

type EffectMeasured struct {
	MeasurementID string `json:"measurementId"`
	Org           string `json:"org"`
	KPI           string `json:"kpi"`
	Unit          string `json:"unit"`
	Baseline      string `json:"baseline"` // decimal, up to four places
	Value         string `json:"value"`
	PeriodFrom    string `json:"periodFrom"` // YYYY-MM-DD
	PeriodTo      string `json:"periodTo"`
	Method        string `json:"method"`
}

type ContractClosed struct {
	ContractID  string      `json:"contractId"`
	FinalStatus FinalStatus `json:"finalStatus"`
	LessonsHash string      `json:"lessonsHash,omitempty"`
	ClosedAt    time.Time   `json:"closedAt"`
	PhaseAfter  Phase       `json:"phaseAfter,omitempty"` // FOLLOW_UP once every contract is closed
}

type CaseClosed struct {
	LessonsHash string    `json:"lessonsHash,omitempty"`
	ClosedAt    time.Time `json:"closedAt"`
}

type CancellationProposed struct {
	Version    int          `json:"version"`
	Reason     string       `json:"reason"`
	ProposedBy string       `json:"proposedBy"`
	Rule       DecisionRule `json:"rule"`
	ProposedAt time.Time    `json:"proposedAt"`
}

type CancellationApproved struct {
	Org     string `json:"org"`
	Version int    `json:"version"`
	Comment string `json:"comment,omitempty"`
}

type CancellationRejected struct {
	Org     string `json:"org"`
	Version int    `json:"version"`
	Comment string `json:"comment,omitempty"`
}

type CancellationDeclined struct {
	Version int `json:"version"` // the members rejected the proposal: the case goes on
}

type ProcurementUnsuccessful struct {
	Reason            UnsuccessfulReason `json:"reason"`
	Explanation       string             `json:"explanation"`
	SuccessorCaseID   string             `json:"successorCaseId,omitempty"`
	PreviousPhase     Phase              `json:"previousPhase"`
	SuppliersNotified int                `json:"suppliersNotified"`
	DeclaredAt        time.Time          `json:"declaredAt"`
}

type WithdrawalRequested struct {
	Org            string    `json:"org"`
	Reason         string    `json:"reason"`
	AssessmentHash string    `json:"assessmentHash"` // the material-change assessment
	RequestedAt    time.Time `json:"requestedAt"`
}

type WithdrawalApproved struct {
	Org string `json:"org"` // the withdrawing member
	By  string `json:"by"`  // the lead or the hub
}

func (QualificationAssessed) EventType() string      { return "QualificationAssessed" }
func (CandidatesInvited) EventType() string          { return "CandidatesInvited" }
func (NegotiationRoundHeld) EventType() string       { return "NegotiationRoundHeld" }
func (ParticipantEliminated) EventType() string      { return "ParticipantEliminated" }
func (FinalTendersCalled) EventType() string         { return "FinalTendersCalled" }
func (ConflictOfInterestDeclared) EventType() string { return "ConflictOfInterestDeclared" }
func (EvaluatorRecused) EventType() string           { return "EvaluatorRecused" }
func (BidScored) EventType() string                  { return "BidScored" }
func (EvaluatorScoresLocked) EventType() string      { return "EvaluatorScoresLocked" }
func (ConsensusScoreRecorded) EventType() string     { return "ConsensusScoreRecorded" }
func (ClarificationRequested) EventType() string     { return "ClarificationRequested" }
func (ClarificationReceived) EventType() string      { return "ClarificationReceived" }
func (BidRejected) EventType() string                { return "BidRejected" }
func (EvaluationReportFinalized) EventType() string  { return "EvaluationReportFinalized" }
func (AwardDecided) EventType() string               { return "AwardDecided" }
func (AwardNotificationSent) EventType() string      { return "AwardNotificationSent" }
func (StandstillStarted) EventType() string          { return "StandstillStarted" }
func (StandstillEnded) EventType() string            { return "StandstillEnded" }
func (ComplaintReceived) EventType() string          { return "ComplaintReceived" }
func (ContractingSuspended) EventType() string       { return "ContractingSuspended" }
func (ReviewResolved) EventType() string             { return "ReviewResolved" }
func (AwardRevoked) EventType() string               { return "AwardRevoked" }
func (ContractSignatureRecorded) EventType() string  { return "ContractSignatureRecorded" }
func (ContractSigned) EventType() string             { return "ContractSigned" }
func (AwardNoticePublished) EventType() string       { return "AwardNoticePublished" }
func (CallOffPlaced) EventType() string              { return "CallOffPlaced" }
func (MilestoneRecorded) EventType() string          { return "MilestoneRecorded" }
func (ContractDeviationRecorded) EventType() string  { return "ContractDeviationRecorded" }
func (PartnershipPhaseCompleted) EventType() string  { return "PartnershipPhaseCompleted" }
func (PartnershipTerminated) EventType() string      { return "PartnershipTerminated" }
func (PaymentRecorded) EventType() string            { return "PaymentRecorded" }
func (EffectMeasured) EventType() string             { return "EffectMeasured" }
func (ContractClosed) EventType() string             { return "ContractClosed" }
func (CaseClosed) EventType() string                 { return "CaseClosed" }
func (CancellationProposed) EventType() string       { return "CancellationProposed" }
func (CancellationApproved) EventType() string       { return "CancellationApproved" }
func (CancellationRejected) EventType() string       { return "CancellationRejected" }
func (CancellationDeclined) EventType() string       { return "CancellationDeclined" }
func (ProcurementUnsuccessful) EventType() string    { return "ProcurementUnsuccessful" }
func (WithdrawalRequested) EventType() string        { return "WithdrawalRequested" }
func (WithdrawalApproved) EventType() string         { return "WithdrawalApproved" }

func (QualificationAssessed) isProcurementEvent()      {}
func (CandidatesInvited) isProcurementEvent()          {}
func (NegotiationRoundHeld) isProcurementEvent()       {}
func (ParticipantEliminated) isProcurementEvent()      {}
func (FinalTendersCalled) isProcurementEvent()         {}
func (ConflictOfInterestDeclared) isProcurementEvent() {}
func (EvaluatorRecused) isProcurementEvent()           {}
func (BidScored) isProcurementEvent()                  {}
func (EvaluatorScoresLocked) isProcurementEvent()      {}
func (ConsensusScoreRecorded) isProcurementEvent()     {}
func (ClarificationRequested) isProcurementEvent()     {}
func (ClarificationReceived) isProcurementEvent()      {}
func (BidRejected) isProcurementEvent()                {}
func (EvaluationReportFinalized) isProcurementEvent()  {}
func (AwardDecided) isProcurementEvent()               {}
func (AwardNotificationSent) isProcurementEvent()      {}
func (StandstillStarted) isProcurementEvent()          {}
func (StandstillEnded) isProcurementEvent()            {}
func (ComplaintReceived) isProcurementEvent()          {}
func (ContractingSuspended) isProcurementEvent()       {}
func (ReviewResolved) isProcurementEvent()             {}
func (AwardRevoked) isProcurementEvent()               {}
func (ContractSignatureRecorded) isProcurementEvent()  {}
func (ContractSigned) isProcurementEvent()             {}
func (AwardNoticePublished) isProcurementEvent()       {}
func (CallOffPlaced) isProcurementEvent()              {}
func (MilestoneRecorded) isProcurementEvent()          {}
func (ContractDeviationRecorded) isProcurementEvent()  {}
func (PartnershipPhaseCompleted) isProcurementEvent()  {}
func (PartnershipTerminated) isProcurementEvent()      {}
func (PaymentRecorded) isProcurementEvent()            {}
func (EffectMeasured) isProcurementEvent()             {}
func (ContractClosed) isProcurementEvent()             {}
func (CaseClosed) isProcurementEvent()                 {}
func (CancellationProposed) isProcurementEvent()       {}
func (CancellationApproved) isProcurementEvent()       {}
func (CancellationRejected) isProcurementEvent()       {}
func (CancellationDeclined) isProcurementEvent()       {}
func (ProcurementUnsuccessful) isProcurementEvent()    {}
func (WithdrawalRequested) isProcurementEvent()        {}
func (WithdrawalApproved) isProcurementEvent()         {}

// registerAwardEvents adds the issue 6 event types to the registry.
func registerAwardEvents(r *es.Registry[Event]) {
	es.Register[QualificationAssessed](r, 1)
	es.Register[CandidatesInvited](r, 1)
	es.Register[NegotiationRoundHeld](r, 1)
	es.Register[ParticipantEliminated](r, 1)
	es.Register[FinalTendersCalled](r, 1)
	es.Register[ConflictOfInterestDeclared](r, 1)
	es.Register[EvaluatorRecused](r, 1)
	es.Register[BidScored](r, 1)
	es.Register[EvaluatorScoresLocked](r, 1)
	es.Register[ConsensusScoreRecorded](r, 1)
	es.Register[ClarificationRequested](r, 1)
	es.Register[ClarificationReceived](r, 1)
	es.Register[BidRejected](r, 1)
	es.Register[EvaluationReportFinalized](r, 1)
	es.Register[AwardDecided](r, 1)
	es.Register[AwardNotificationSent](r, 1)
	es.Register[StandstillStarted](r, 1)
	es.Register[StandstillEnded](r, 1)
	es.Register[ComplaintReceived](r, 1)
	es.Register[ContractingSuspended](r, 1)
	es.Register[ReviewResolved](r, 1)
	es.Register[AwardRevoked](r, 1)
	es.Register[ContractSignatureRecorded](r, 1)
	es.Register[ContractSigned](r, 1)
	es.Register[AwardNoticePublished](r, 1)
	es.Register[CallOffPlaced](r, 1)
	es.Register[MilestoneRecorded](r, 1)
	es.Register[ContractDeviationRecorded](r, 1)
	es.Register[PartnershipPhaseCompleted](r, 1)
	es.Register[PartnershipTerminated](r, 1)
	es.Register[PaymentRecorded](r, 1)
	es.Register[EffectMeasured](r, 1)
	es.Register[ContractClosed](r, 1)
	es.Register[CaseClosed](r, 1)
	es.Register[CancellationProposed](r, 1)
	es.Register[CancellationApproved](r, 1)
	es.Register[CancellationRejected](r, 1)
	es.Register[CancellationDeclined](r, 1)
	es.Register[ProcurementUnsuccessful](r, 1)
	es.Register[WithdrawalRequested](r, 1)
	es.Register[WithdrawalApproved](r, 1)
}
