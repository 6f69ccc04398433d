package procurement

import "github.com/felles/felles/domain/es"

// Event is a procurement case event; the marker keeps the set closed.
type Event interface {
	EventType() string
	isProcurementEvent()
}

// CaseCreated: a hub opened a joint procurement case.
type CaseCreated struct {
	ID           string       `json:"id"`
	Title        string       `json:"title"`
	Description  string       `json:"description,omitempty"`
	Jurisdiction Jurisdiction `json:"jurisdiction"`
	CPV          []string     `json:"cpv,omitempty"`
	Hub          string       `json:"hub"`
}

// MunicipalityInvited: the hub invited a municipality to join.
type MunicipalityInvited struct {
	Org string `json:"org"`
}

// MunicipalityJoined: the municipality accepted its invitation.
type MunicipalityJoined struct {
	Org string `json:"org"`
}

// InvitationDeclined: the municipality said no.
type InvitationDeclined struct {
	Org    string `json:"org"`
	Reason string `json:"reason,omitempty"`
}

// MunicipalityWithdrawn: a member left the case.
type MunicipalityWithdrawn struct {
	Org    string `json:"org"`
	Reason string `json:"reason"`
}

// RecruitmentOpened: the hub opened recruitment of members (DRAFT → RECRUITING).
type RecruitmentOpened struct{}

// RecruitmentClosed: the members are fixed for the cooperation agreement
// (RECRUITING → AGREEMENT).
type RecruitmentClosed struct {
	Members []string `json:"members"`
}

// AnchoringDecisionRecorded: a member recorded its decision to take part; a
// later record for the same member corrects the earlier one.
type AnchoringDecisionRecorded struct {
	Org string `json:"org"`
	Anchoring
}

// MandateGranted: a member authorised another member to act for it.
type MandateGranted struct {
	MandateID  string  `json:"mandateId"`
	From       string  `json:"from"`
	To         string  `json:"to"`
	Scope      []Scope `json:"scope"`
	ValidUntil string  `json:"validUntil"`
}

// MandateRevoked: the mandate is no longer in force.
type MandateRevoked struct {
	MandateID string `json:"mandateId"`
	From      string `json:"from"`
	Reason    string `json:"reason"`
}

// ProcurementCancelled: the case ended without a contract.
type ProcurementCancelled struct {
	Reason        string `json:"reason"`
	PreviousPhase Phase  `json:"previousPhase"`
}

func (CaseCreated) EventType() string           { return "CaseCreated" }
func (MunicipalityInvited) EventType() string   { return "MunicipalityInvited" }
func (MunicipalityJoined) EventType() string    { return "MunicipalityJoined" }
func (InvitationDeclined) EventType() string    { return "InvitationDeclined" }
func (MunicipalityWithdrawn) EventType() string { return "MunicipalityWithdrawn" }
func (ProcurementCancelled) EventType() string  { return "ProcurementCancelled" }
func (RecruitmentOpened) EventType() string     { return "RecruitmentOpened" }
func (MandateGranted) EventType() string        { return "MandateGranted" }
func (MandateRevoked) EventType() string        { return "MandateRevoked" }
func (RecruitmentClosed) EventType() string     { return "RecruitmentClosed" }
func (AnchoringDecisionRecorded) EventType() string {
	return "AnchoringDecisionRecorded"
}

func (CaseCreated) isProcurementEvent()               {}
func (MunicipalityInvited) isProcurementEvent()       {}
func (MunicipalityJoined) isProcurementEvent()        {}
func (InvitationDeclined) isProcurementEvent()        {}
func (MunicipalityWithdrawn) isProcurementEvent()     {}
func (ProcurementCancelled) isProcurementEvent()      {}
func (RecruitmentOpened) isProcurementEvent()         {}
func (MandateGranted) isProcurementEvent()            {}
func (MandateRevoked) isProcurementEvent()            {}
func (RecruitmentClosed) isProcurementEvent()         {}
func (AnchoringDecisionRecorded) isProcurementEvent() {}

// Events is the registry of procurement event types with their schema versions.
func Events() *es.Registry[Event] {
	r := es.NewRegistry[Event]()
	es.Register[CaseCreated](r, 1)
	es.Register[MunicipalityInvited](r, 1)
	es.Register[MunicipalityJoined](r, 1)
	es.Register[InvitationDeclined](r, 1)
	es.Register[MunicipalityWithdrawn](r, 1)
	es.Register[ProcurementCancelled](r, 1)
	es.Register[RecruitmentOpened](r, 1)
	es.Register[RecruitmentClosed](r, 1)
	es.Register[AnchoringDecisionRecorded](r, 1)
	es.Register[MandateGranted](r, 1)
	es.Register[MandateRevoked](r, 1)
	return r
}

// StreamID is the stream of case id.
func StreamID(id string) string { return "procurement-" + id }
