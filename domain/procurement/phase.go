package procurement

// Phase is the state of the case machine (DOMAIN.md §2).
type Phase string

const (
	PhaseDraft          Phase = "DRAFT"
	PhaseRecruiting     Phase = "RECRUITING"
	PhaseAgreement      Phase = "AGREEMENT"
	PhaseNeeds          Phase = "NEEDS"
	PhaseMarketDialogue Phase = "MARKET_DIALOGUE"
	PhaseDesign         Phase = "DESIGN"
	PhaseApproval       Phase = "APPROVAL"
	PhaseTendering      Phase = "TENDERING"
	PhaseQualification  Phase = "QUALIFICATION"
	PhaseNegotiation    Phase = "NEGOTIATION"
	PhaseReceiptClosed  Phase = "RECEIPT_CLOSED"
	PhaseEvaluation     Phase = "EVALUATION"
	PhaseAwardDecided   Phase = "AWARD_DECIDED"
	PhaseStandstill     Phase = "STANDSTILL"
	PhaseSuspended      Phase = "SUSPENDED"
	PhaseContracting    Phase = "CONTRACTING"
	PhaseContractActive Phase = "CONTRACT_ACTIVE"
	PhaseFollowUp       Phase = "FOLLOW_UP"
	PhaseClosed         Phase = "CLOSED"
	PhaseCancelled      Phase = "CANCELLED"
	PhaseUnsuccessful   Phase = "UNSUCCESSFUL"
)

// Phases lists every phase in the order of the machine.
var Phases = []Phase{
	PhaseDraft, PhaseRecruiting, PhaseAgreement, PhaseNeeds, PhaseMarketDialogue, PhaseDesign, PhaseApproval,
	PhaseTendering, PhaseQualification, PhaseNegotiation, PhaseReceiptClosed, PhaseEvaluation, PhaseAwardDecided,
	PhaseStandstill, PhaseSuspended, PhaseContracting, PhaseContractActive, PhaseFollowUp, PhaseClosed,
	PhaseCancelled, PhaseUnsuccessful,
}

// Terminal says whether nothing more can happen in the case.
func (p Phase) Terminal() bool {
	return p == PhaseClosed || p == PhaseCancelled || p == PhaseUnsuccessful
}

// OpenForParticipants says whether municipalities may still join: only before
// the cooperation agreement phase, where every member must sign one text.
func (p Phase) OpenForParticipants() bool { return p == PhaseDraft || p == PhaseRecruiting }

// BeforeNotice says whether the contract notice is not yet published: until then
// a member may leave freely (DOMAIN.md §2, member sub-machine).
func (p Phase) BeforeNotice() bool {
	switch p {
	case PhaseDraft, PhaseRecruiting, PhaseAgreement, PhaseNeeds, PhaseMarketDialogue, PhaseDesign, PhaseApproval:
		return true
	}
	return false
}

// Jurisdiction is the law the case runs under.
type Jurisdiction string

const (
	JurisdictionNO Jurisdiction = "NO"
	JurisdictionSE Jurisdiction = "SE"
	JurisdictionFI Jurisdiction = "FI"
)

// Valid says whether j is supported.
func (j Jurisdiction) Valid() bool {
	return j == JurisdictionNO || j == JurisdictionSE || j == JurisdictionFI
}

// MemberStatus is a municipality's place in the member sub-machine.
type MemberStatus string

const (
	MemberInvited   MemberStatus = "INVITED"
	MemberJoined    MemberStatus = "JOINED"
	MemberDeclined  MemberStatus = "DECLINED"
	MemberWithdrawn MemberStatus = "WITHDRAWN"
)
