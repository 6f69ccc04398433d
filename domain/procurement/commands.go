package procurement

import (
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/organisation"
)

// Command is a procurement case command; every one names who acts.
type Command interface {
	Actor() actor.Actor
	When() time.Time // the command's time, from the server clock
	isProcurementCommand()
}

// CreateCase opens a case; the acting organisation becomes its hub.
type CreateCase struct {
	ID           string // new case ID, chosen by the caller
	Title        string
	Description  string
	Jurisdiction Jurisdiction
	CPV          []string
	HubKind      organisation.Kind // the acting organisation's kind, as registered
	By           actor.Actor
	At           time.Time
}

// InviteMunicipality asks a municipality to join.
type InviteMunicipality struct {
	Org         string
	InviteeKind organisation.Kind // "" when no such organisation is registered
	By          actor.Actor
	At          time.Time
}

// AcceptInvitation: the acting organisation joins the case.
type AcceptInvitation struct {
	By actor.Actor
	At time.Time
}

// DeclineInvitation: the acting organisation says no.
type DeclineInvitation struct {
	Reason string
	By     actor.Actor
	At     time.Time
}

// WithdrawMunicipality: the acting organisation leaves the case.
type WithdrawMunicipality struct {
	Reason string
	// AssessmentHash: the SHA-256 of the material-change assessment, required
	// after the contract notice.
	AssessmentHash string
	By             actor.Actor
	At             time.Time
}

// OpenRecruitment: the hub starts recruiting members.
type OpenRecruitment struct {
	By actor.Actor
	At time.Time
}

// CloseRecruitment: the hub fixes the members for the agreement.
type CloseRecruitment struct {
	By actor.Actor
	At time.Time
}

// RecordAnchoringDecision: the acting member records its decision to take part.
type RecordAnchoringDecision struct {
	DecidingBody string // e.g. "bystyret", "kommunestyret", "kommunedirektøren"
	DecisionDate string // YYYY-MM-DD
	CaseRef      string // journal reference in the member's archive
	By           actor.Actor
	At           time.Time
}

// GrantMandate: the acting member authorises member To to act for it.
type GrantMandate struct {
	MandateID  string   // chosen by the caller, unique in the case
	To         string   // the organisation that may act (the lead)
	Scope      []string // prepare, publish, answerQuestions, evaluate, decideAward, notify, signContract, manageContract
	ValidUntil string   // YYYY-MM-DD, the last day it is valid
	By         actor.Actor
	At         time.Time
}

// RevokeMandate: the acting member withdraws one of its mandates.
type RevokeMandate struct {
	MandateID string
	Reason    string
	By        actor.Actor
	At        time.Time
}

// CancelProcurement ends the case without a contract.
type CancelProcurement struct {
	Reason string
	By     actor.Actor
	At     time.Time
}

func (CreateCase) isProcurementCommand()              {}
func (InviteMunicipality) isProcurementCommand()      {}
func (AcceptInvitation) isProcurementCommand()        {}
func (DeclineInvitation) isProcurementCommand()       {}
func (WithdrawMunicipality) isProcurementCommand()    {}
func (CancelProcurement) isProcurementCommand()       {}
func (OpenRecruitment) isProcurementCommand()         {}
func (CloseRecruitment) isProcurementCommand()        {}
func (RecordAnchoringDecision) isProcurementCommand() {}
func (GrantMandate) isProcurementCommand()            {}
func (RevokeMandate) isProcurementCommand()           {}

func (c CreateCase) Actor() actor.Actor              { return c.By }
func (c InviteMunicipality) Actor() actor.Actor      { return c.By }
func (c AcceptInvitation) Actor() actor.Actor        { return c.By }
func (c DeclineInvitation) Actor() actor.Actor       { return c.By }
func (c WithdrawMunicipality) Actor() actor.Actor    { return c.By }
func (c CancelProcurement) Actor() actor.Actor       { return c.By }
func (c OpenRecruitment) Actor() actor.Actor         { return c.By }
func (c CloseRecruitment) Actor() actor.Actor        { return c.By }
func (c RecordAnchoringDecision) Actor() actor.Actor { return c.By }
func (c GrantMandate) Actor() actor.Actor            { return c.By }
func (c RevokeMandate) Actor() actor.Actor           { return c.By }

// DraftCooperationAgreement: the hub or lead writes version 1 of the agreement.
type DraftCooperationAgreement struct {
	Terms AgreementTerms
	By    actor.Actor
	At    time.Time
}

// AmendCooperationAgreement: the hub or lead replaces version FromVersion (the
// current one) with new terms; every signature is reset.
type AmendCooperationAgreement struct {
	FromVersion int
	Terms       AgreementTerms
	By          actor.Actor
	At          time.Time
}

// SignCooperationAgreement: the acting member's signatory signs a version.
type SignCooperationAgreement struct {
	Version      int
	DocumentHash string // the SHA-256 of the text signed, which must be the version's
	SignatureRef string // the BankID/eID/QES signature reference
	By           actor.Actor
	At           time.Time
}

// ConsentToLead: the acting member consents to Lead leading the procurement.
type ConsentToLead struct {
	Lead string
	By   actor.Actor
	At   time.Time
}

// DesignateLeadAuthority: the hub designates the lead every member consented to.
type DesignateLeadAuthority struct {
	Lead string
	By   actor.Actor
	At   time.Time
}

// SetCostSharingKey: the hub sets the cost-sharing key.
type SetCostSharingKey struct {
	Key CostKey
	By  actor.Actor
	At  time.Time
}

// SaveNeedsDraft: the acting member saves its private draft of its needs.
type SaveNeedsDraft struct {
	Needs []Need
	Notes string
	By    actor.Actor
	At    time.Time
}

// SubmitNeeds: the acting member submits its needs to the case.
type SubmitNeeds struct {
	Needs           []Need
	AdoptCommonNeed bool // the member adopts the common need instead of, or besides, its own
	By              actor.Actor
	At              time.Time
}

// ConsolidateNeeds: the hub or lead states the common needs of the latest submissions.
type ConsolidateNeeds struct {
	CommonNeeds []CommonNeed
	Divergences []Divergence
	By          actor.Actor
	At          time.Time
}

// ApproveConsolidatedNeeds: the acting member approves a consolidated version.
type ApproveConsolidatedNeeds struct {
	Version int
	Comment string
	By      actor.Actor
	At      time.Time
}

// RejectConsolidatedNeeds: the acting member rejects a consolidated version, with reasons.
type RejectConsolidatedNeeds struct {
	Version int
	Comment string
	By      actor.Actor
	At      time.Time
}

// CommitVolume: the acting member commits, or changes, a volume for a lot.
type CommitVolume struct {
	Lot            string
	Type           CommitmentType
	Quantity       string // decimal, at most 3 decimals
	Unit           string
	EstimatedValue string // decimal, at most 2 decimals, in Currency
	Currency       string
	BudgetYears    []int
	By             actor.Actor
	At             time.Time
}

func (DraftCooperationAgreement) isProcurementCommand() {}
func (AmendCooperationAgreement) isProcurementCommand() {}
func (SignCooperationAgreement) isProcurementCommand()  {}
func (ConsentToLead) isProcurementCommand()             {}
func (DesignateLeadAuthority) isProcurementCommand()    {}
func (SetCostSharingKey) isProcurementCommand()         {}
func (SaveNeedsDraft) isProcurementCommand()            {}
func (SubmitNeeds) isProcurementCommand()               {}
func (ConsolidateNeeds) isProcurementCommand()          {}
func (ApproveConsolidatedNeeds) isProcurementCommand()  {}
func (RejectConsolidatedNeeds) isProcurementCommand()   {}
func (CommitVolume) isProcurementCommand()              {}

func (c DraftCooperationAgreement) Actor() actor.Actor { return c.By }
func (c AmendCooperationAgreement) Actor() actor.Actor { return c.By }
func (c SignCooperationAgreement) Actor() actor.Actor  { return c.By }
func (c ConsentToLead) Actor() actor.Actor             { return c.By }
func (c DesignateLeadAuthority) Actor() actor.Actor    { return c.By }
func (c SetCostSharingKey) Actor() actor.Actor         { return c.By }
func (c SaveNeedsDraft) Actor() actor.Actor            { return c.By }
func (c SubmitNeeds) Actor() actor.Actor               { return c.By }
func (c ConsolidateNeeds) Actor() actor.Actor          { return c.By }
func (c ApproveConsolidatedNeeds) Actor() actor.Actor  { return c.By }
func (c RejectConsolidatedNeeds) Actor() actor.Actor   { return c.By }
func (c CommitVolume) Actor() actor.Actor              { return c.By }

func (c CreateCase) When() time.Time                { return c.At }
func (c InviteMunicipality) When() time.Time        { return c.At }
func (c AcceptInvitation) When() time.Time          { return c.At }
func (c DeclineInvitation) When() time.Time         { return c.At }
func (c WithdrawMunicipality) When() time.Time      { return c.At }
func (c CancelProcurement) When() time.Time         { return c.At }
func (c OpenRecruitment) When() time.Time           { return c.At }
func (c CloseRecruitment) When() time.Time          { return c.At }
func (c RecordAnchoringDecision) When() time.Time   { return c.At }
func (c GrantMandate) When() time.Time              { return c.At }
func (c RevokeMandate) When() time.Time             { return c.At }
func (c DraftCooperationAgreement) When() time.Time { return c.At }
func (c AmendCooperationAgreement) When() time.Time { return c.At }
func (c SignCooperationAgreement) When() time.Time  { return c.At }
func (c ConsentToLead) When() time.Time             { return c.At }
func (c DesignateLeadAuthority) When() time.Time    { return c.At }
func (c SetCostSharingKey) When() time.Time         { return c.At }
func (c SaveNeedsDraft) When() time.Time            { return c.At }
func (c SubmitNeeds) When() time.Time               { return c.At }
func (c ConsolidateNeeds) When() time.Time          { return c.At }
func (c ApproveConsolidatedNeeds) When() time.Time  { return c.At }
func (c RejectConsolidatedNeeds) When() time.Time   { return c.At }
func (c CommitVolume) When() time.Time              { return c.At }
