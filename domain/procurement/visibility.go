package procurement

import (
	"maps"
	"slices"
)

// Visibility is an event's confidentiality class (DOMAIN.md §5). Every layer
// that shows events or their content (views, history, exports, outside
// systems) must honour it: an ORG_PRIVATE event belongs to its organisation
// alone — not the hub, not the lead, not other members, not auditors.
type Visibility string

const (
	// VisibilityPublic: notices, anonymised answers, deadline extensions.
	VisibilityPublic Visibility = "PUBLIC"
	// VisibilitySupplier: what every registered supplier receives (dialogue
	// events, amendments).
	VisibilitySupplier Visibility = "SUPPLIER"
	// VisibilityCaseInternal: the case's own people (hub, members, auditors);
	// includes who asked which question and who registered.
	VisibilityCaseInternal Visibility = "CASE_INTERNAL"
	// VisibilityOrgPrivate: one member's draft.
	VisibilityOrgPrivate Visibility = "ORG_PRIVATE"
	// VisibilitySealed: a sealed submission's metadata. The event never holds
	// content; its metadata is for the lead, the supplier itself and auditors
	// until receipt closes, then for the case (SealedMetadataVisible).
	VisibilitySealed Visibility = "SEALED"
	// VisibilityEvaluatorPrivate: one evaluator's score, for that evaluator
	// alone until it locks its scores; then for the lead, the evaluators who
	// have locked, and auditors (State.ScoresVisible).
	VisibilityEvaluatorPrivate Visibility = "EVALUATOR_PRIVATE"
	// VisibilityCommercialConf: business secrets: a tenderer's clarification
	// answer, one participant's negotiation minutes. For the lead, the
	// supplier concerned and auditors; never for other suppliers.
	VisibilityCommercialConf Visibility = "COMMERCIAL_CONF"
	// VisibilityMemberRecord: a member's own records under a contract
	// (call-offs, payments, effects measured): the member itself, the hub,
	// the lead and auditors; never another member (DOMAIN.md §5 "W(own)").
	VisibilityMemberRecord Visibility = "MEMBER_RECORD"
)

// VisibilityOf returns an event's class and, for ORG_PRIVATE, SEALED and
// COMMERCIAL_CONF, the organisation it belongs to (the member, the supplier;
// "" where the event does not name it), for EVALUATOR_PRIVATE the evaluator.
func VisibilityOf(e Event) (Visibility, string) {
	switch e := e.(type) {
	case NeedsDraftSaved:
		return VisibilityOrgPrivate, e.Org
	case DialogueNoticePublished, AnswerPublished, ContractNoticePublished, TenderDeadlineExtended:
		return VisibilityPublic, ""
	case DialogueEventScheduled, DialogueEventCancelled, TenderAmended:
		return VisibilitySupplier, ""
	case RequestToParticipateReceived:
		return VisibilitySealed, e.Supplier
	case BidSubmitted:
		return VisibilitySealed, e.Supplier
	case BidReplaced, BidWithdrawn, BidConfirmed, BidsRequireConfirmation:
		return VisibilitySealed, ""
	case BidScored:
		return VisibilityEvaluatorPrivate, e.Evaluator
	case ConsensusScoreRecorded:
		// it carries every evaluator's individual score: per person, never by
		// class alone
		return VisibilityEvaluatorPrivate, ""
	case CallOffPlaced:
		return VisibilityMemberRecord, e.Org
	case PaymentRecorded:
		return VisibilityMemberRecord, e.Org
	case EffectMeasured:
		return VisibilityMemberRecord, e.Org
	case NegotiationRoundHeld:
		return VisibilityCommercialConf, e.Supplier
	case ClarificationRequested:
		return VisibilityCommercialConf, e.Supplier
	case ClarificationReceived:
		return VisibilityCommercialConf, ""
	case AwardNoticePublished, ProcurementCancelled, ProcurementUnsuccessful:
		return VisibilityPublic, ""
	}
	return VisibilityCaseInternal, ""
}

// VisibleTo says whether organisation org may see event e by its class alone:
// an ORG_PRIVATE event only its owner. Events of the other classes are visible
// to the case's organisations; SEALED metadata additionally needs
// SealedMetadataVisible, and no event carries sealed content.
func VisibleTo(e Event, org string) bool {
	v, owner := VisibilityOf(e)
	switch v {
	case VisibilityOrgPrivate:
		return owner == org
	case VisibilityCommercialConf, VisibilityMemberRecord:
		// the supplier or member concerned; the lead (and for member records
		// the hub) and auditors are admitted by the caller
		// (State.CommercialVisible, State.MemberRecordVisible)
		return owner != "" && owner == org
	case VisibilityEvaluatorPrivate:
		return false // per person, not per organisation: State.ScoresVisible decides
	}
	return true
}

// CommercialVisible says whether org may see COMMERCIAL_CONF event e: the
// lead and the supplier concerned (auditors are admitted by the caller).
func (s State) CommercialVisible(e Event, org string) bool {
	return (org != "" && org == s.Lead) || VisibleTo(e, org)
}

// MemberRecordVisible says whether org may see MEMBER_RECORD event e: the
// member itself, the hub and the lead (auditors are admitted by the caller).
func (s State) MemberRecordVisible(e Event, org string) bool {
	return (org != "" && (org == s.Lead || org == s.Hub)) || VisibleTo(e, org)
}

// SealedMetadataVisible says whether org may see the metadata of the sealed
// submissions of a round (count, times, hashes) now (DOMAIN.md §5: the lead and
// auditors before the deadline; the hub and the joined members once receipt of
// that round has closed). Auditors are platform readers and are admitted by
// the caller.
func (s State) SealedMetadataVisible(org string, round Round) bool {
	if org != "" && org == s.Lead {
		return true
	}
	if _, closed := s.Tendering.Closed[round]; !closed || org == "" {
		return false
	}
	return s.Members[org] == MemberJoined || org == s.Hub
}

// Recipients are the organisations of the case that may learn of event e as
// organisations (an outside system receives for its organisation, not for a
// person): the hub, the lead and the joined members by e's class. ORG_PRIVATE
// and MEMBER_RECORD events go to their owner (and for member records the hub
// and the lead); SEALED metadata to those SealedMetadataVisible admits;
// COMMERCIAL_CONF to the lead; EVALUATOR_PRIVATE to nobody (it is one
// person's). s is the case after e. The order is the hub, the lead, then the
// members in ID order.
func (s State) Recipients(e Event) []string {
	v, owner := VisibilityOf(e)
	var orgs []string
	add := func(org string) {
		if org != "" && !slices.Contains(orgs, org) {
			orgs = append(orgs, org)
		}
	}
	add(s.Hub)
	add(s.Lead)
	for _, org := range slices.Sorted(maps.Keys(s.Members)) {
		if s.Members[org] == MemberJoined {
			add(org)
		}
	}
	var out []string
	for _, org := range orgs {
		ok := false
		switch v {
		case VisibilityOrgPrivate:
			ok = owner == org
		case VisibilityMemberRecord:
			ok = s.MemberRecordVisible(e, org)
		case VisibilityCommercialConf:
			ok = org == s.Lead
		case VisibilityEvaluatorPrivate:
			ok = false
		case VisibilitySealed:
			ok = s.SealedMetadataVisible(org, sealedRound(e))
		default:
			ok = true
		}
		if ok {
			out = append(out, org)
		}
	}
	return out
}

// sealedRound is the round a sealed event belongs to; events that do not
// say go by the tenders round (the later one), which admits fewer.
func sealedRound(e Event) Round {
	if _, ok := e.(RequestToParticipateReceived); ok {
		return RoundRequests
	}
	return RoundTenders
}
