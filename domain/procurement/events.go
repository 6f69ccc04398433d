package procurement

import (
	"time"

	"github.com/felles/felles/domain/es"
)

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
	// AssessmentHash is the material-change assessment a withdrawal after the
	// contract notice needs (DOMAIN.md §2, member sub-machine).
	AssessmentHash string `json:"assessmentHash,omitempty"`
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
	// SuppliersNotified counts the registered suppliers and tenderers told of
	// the cancellation (their names would tell the public who bid).
	SuppliersNotified int `json:"suppliersNotified,omitempty"`
	Proposal          int `json:"proposal,omitempty"` // the approved proposal, when the members voted
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
	es.Register[CooperationAgreementDrafted](r, 1)
	es.Register[CooperationAgreementAmended](r, 1)
	es.Register[CooperationAgreementSigned](r, 1)
	es.Register[LeadConsentGiven](r, 1)
	es.Register[LeadAuthorityDesignated](r, 1)
	es.Register[CostSharingKeySet](r, 1)
	es.Register[CostSharesCalculated](r, 1)
	es.Register[AgreementConcluded](r, 1)
	es.Register[NeedsDraftSaved](r, 1)
	es.Register[NeedsSubmitted](r, 1)
	es.Register[NeedsConsolidated](r, 1)
	es.Register[ConsolidatedNeedsApproved](r, 1)
	es.Register[ConsolidatedNeedsRejected](r, 1)
	es.Register[ConsolidatedNeedsDecided](r, 1)
	es.Register[VolumeCommitted](r, 1)
	es.Register[VolumeCommitmentChanged](r, 1)
	registerTenderEvents(r)
	registerAwardEvents(r)
	return r
}

// StreamID is the stream of case id.
func StreamID(id string) string { return "procurement-" + id }

// CooperationAgreementDrafted: the first version of the agreement.
type CooperationAgreementDrafted struct {
	Version int            `json:"version"`
	Terms   AgreementTerms `json:"terms"`
}

// CooperationAgreementAmended: a new version; every signature is reset.
type CooperationAgreementAmended struct {
	Version int            `json:"version"`
	Terms   AgreementTerms `json:"terms"`
}

// CooperationAgreementSigned: a member's signatory signed one version.
type CooperationAgreementSigned struct {
	Org          string `json:"org"`
	Version      int    `json:"version"`
	DocumentHash string `json:"documentHash"`
	Signatory    string `json:"signatory"`
	SignatureRef string `json:"signatureRef"` // BankID/eID/QES reference
}

// LeadConsentGiven: a member consents to an organisation leading the procurement.
type LeadConsentGiven struct {
	Org  string `json:"org"`
	Lead string `json:"lead"`
}

// LeadAuthorityDesignated: the hub designated the lead with every member's consent.
type LeadAuthorityDesignated struct {
	Lead        string   `json:"lead"`
	ConsentFrom []string `json:"consentFrom"`
}

// CostSharingKeySet: the hub set the cost-sharing key.
type CostSharingKeySet struct {
	Version int     `json:"version"`
	Key     CostKey `json:"key"`
}

// CostSharesCalculated: the shares in force from EffectiveAt on.
type CostSharesCalculated struct {
	KeyVersion  int           `json:"keyVersion"`
	EffectiveAt time.Time     `json:"effectiveAt"`
	Reason      string        `json:"reason"`
	Shares      []MemberShare `json:"shares"`
}

// AgreementConcluded: every condition of the agreement phase holds
// (AGREEMENT → NEEDS).
type AgreementConcluded struct {
	Version        int      `json:"version"`
	DocumentHash   string   `json:"documentHash"`
	Lead           string   `json:"lead"`
	Members        []string `json:"members"`
	Mandates       []string `json:"mandates"`
	CostKeyVersion int      `json:"costKeyVersion"`
}

// NeedsDraftSaved: a member's private draft (ORG_PRIVATE: the member's alone).
type NeedsDraftSaved struct {
	Org          string `json:"org"`
	DraftVersion int    `json:"draftVersion"`
	Needs        []Need `json:"needs"`
	Notes        string `json:"notes,omitempty"`
}

// NeedsSubmitted: a member submitted its needs to the case.
type NeedsSubmitted struct {
	Org             string `json:"org"`
	Version         int    `json:"version"`
	Needs           []Need `json:"needs"`
	AdoptCommonNeed bool   `json:"adoptCommonNeed,omitempty"`
}

// NeedsConsolidated: the hub or lead stated the common needs.
type NeedsConsolidated struct {
	Version     int             `json:"version"`
	Sources     []SubmissionRef `json:"sources"`
	CommonNeeds []CommonNeed    `json:"commonNeeds"`
	Divergences []Divergence    `json:"divergences"`
}

// ConsolidatedNeedsApproved: a member approved a consolidated version.
type ConsolidatedNeedsApproved struct {
	Org     string `json:"org"`
	Version int    `json:"version"`
	Comment string `json:"comment,omitempty"`
}

// ConsolidatedNeedsRejected: a member rejected a consolidated version.
type ConsolidatedNeedsRejected struct {
	Org     string `json:"org"`
	Version int    `json:"version"`
	Comment string `json:"comment"`
}

// ConsolidatedNeedsDecided: the vote on a version reached its result.
type ConsolidatedNeedsDecided struct {
	Version    int          `json:"version"`
	Outcome    NeedsOutcome `json:"outcome"`
	Rule       DecisionRule `json:"rule"`
	Approvals  []string     `json:"approvals"`
	Rejections []string     `json:"rejections"`
}

// VolumeCommitted: a member's first commitment for a lot and type.
type VolumeCommitted struct {
	Commitment
}

// VolumeCommitmentChanged: a member changed a commitment (a compensating event).
type VolumeCommitmentChanged struct {
	Commitment
	PreviousQuantity string `json:"previousQuantity"`
	PreviousValue    int64  `json:"previousValue"`
}

func (CooperationAgreementDrafted) EventType() string { return "CooperationAgreementDrafted" }
func (CooperationAgreementAmended) EventType() string { return "CooperationAgreementAmended" }
func (CooperationAgreementSigned) EventType() string  { return "CooperationAgreementSigned" }
func (LeadConsentGiven) EventType() string            { return "LeadConsentGiven" }
func (LeadAuthorityDesignated) EventType() string     { return "LeadAuthorityDesignated" }
func (CostSharingKeySet) EventType() string           { return "CostSharingKeySet" }
func (CostSharesCalculated) EventType() string        { return "CostSharesCalculated" }
func (AgreementConcluded) EventType() string          { return "AgreementConcluded" }
func (NeedsDraftSaved) EventType() string             { return "NeedsDraftSaved" }
func (NeedsSubmitted) EventType() string              { return "NeedsSubmitted" }
func (NeedsConsolidated) EventType() string           { return "NeedsConsolidated" }
func (ConsolidatedNeedsApproved) EventType() string   { return "ConsolidatedNeedsApproved" }
func (ConsolidatedNeedsRejected) EventType() string   { return "ConsolidatedNeedsRejected" }
func (ConsolidatedNeedsDecided) EventType() string    { return "ConsolidatedNeedsDecided" }
func (VolumeCommitted) EventType() string             { return "VolumeCommitted" }
func (VolumeCommitmentChanged) EventType() string     { return "VolumeCommitmentChanged" }

func (CooperationAgreementDrafted) isProcurementEvent() {}
func (CooperationAgreementAmended) isProcurementEvent() {}
func (CooperationAgreementSigned) isProcurementEvent()  {}
func (LeadConsentGiven) isProcurementEvent()            {}
func (LeadAuthorityDesignated) isProcurementEvent()     {}
func (CostSharingKeySet) isProcurementEvent()           {}
func (CostSharesCalculated) isProcurementEvent()        {}
func (AgreementConcluded) isProcurementEvent()          {}
func (NeedsDraftSaved) isProcurementEvent()             {}
func (NeedsSubmitted) isProcurementEvent()              {}
func (NeedsConsolidated) isProcurementEvent()           {}
func (ConsolidatedNeedsApproved) isProcurementEvent()   {}
func (ConsolidatedNeedsRejected) isProcurementEvent()   {}
func (ConsolidatedNeedsDecided) isProcurementEvent()    {}
func (VolumeCommitted) isProcurementEvent()             {}
func (VolumeCommitmentChanged) isProcurementEvent()     {}
