package procurement

import (
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/organisation"
)

// Command is a procurement case command; every one names who acts.
type Command interface {
	Actor() actor.Actor
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
	By     actor.Actor
	At     time.Time
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
