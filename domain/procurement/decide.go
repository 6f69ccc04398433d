package procurement

import (
	"time"

	"github.com/felles/felles/domain/es"
)

// Decider is the procurement case aggregate.
var Decider = es.Decider[State, Command, Event]{Initial: initial, Decide: decide, Evolve: evolve}

func decide(s State, c Command) ([]Event, error) {
	events, err := decideCommand(s, c)
	if err != nil || len(events) == 0 {
		return events, err
	}
	return append(events, settle(s, events, c.When())...), nil
}

// settle returns the events that follow by rule from a command's events: the
// agreement concluding, a needs vote reaching its result, the cost shares
// changing with the members or their volumes.
func settle(s State, events []Event, at time.Time) []Event {
	next := s
	reason := ""
	for _, e := range events {
		next = evolve(next, e)
		switch e.(type) {
		case MunicipalityWithdrawn:
			reason = ReasonMemberWithdrew
		case VolumeCommitted, VolumeCommitmentChanged:
			if reason == "" {
				reason = ReasonVolumesChanged
			}
		}
	}
	var out []Event
	follow := func(es []Event) {
		for _, e := range es {
			next = evolve(next, e)
			out = append(out, e)
		}
	}
	if reason != "" {
		follow(recalculateShares(next, at, reason))
	}
	follow(decideNeedsVote(next))
	follow(concludeAgreement(next, at))
	return out
}

func decideCommand(s State, c Command) ([]Event, error) {
	if create, ok := c.(CreateCase); ok {
		return createCase(s, create)
	}
	if !s.Created {
		return nil, ErrNotFound
	}
	switch c := c.(type) {
	case InviteMunicipality:
		return invite(s, c)
	case AcceptInvitation:
		return accept(s, c)
	case DeclineInvitation:
		return decline(s, c)
	case WithdrawMunicipality:
		return withdraw(s, c)
	case CancelProcurement:
		return cancel(s, c)
	case OpenRecruitment:
		return openRecruitment(s, c)
	case CloseRecruitment:
		return closeRecruitment(s, c)
	case RecordAnchoringDecision:
		return recordAnchoring(s, c)
	case GrantMandate:
		return grantMandate(s, c)
	case RevokeMandate:
		return revokeMandate(s, c)
	case DraftCooperationAgreement:
		return draftAgreement(s, c)
	case AmendCooperationAgreement:
		return amendAgreement(s, c)
	case SignCooperationAgreement:
		return signAgreement(s, c)
	case ConsentToLead:
		return consentToLead(s, c)
	case DesignateLeadAuthority:
		return designateLead(s, c)
	case SetCostSharingKey:
		return setCostKey(s, c)
	case SaveNeedsDraft:
		return saveNeedsDraft(s, c)
	case SubmitNeeds:
		return submitNeeds(s, c)
	case ConsolidateNeeds:
		return consolidateNeeds(s, c)
	case ApproveConsolidatedNeeds:
		return voteOnNeeds(s, c.By.Org, c.Version, c.Comment, true)
	case RejectConsolidatedNeeds:
		return voteOnNeeds(s, c.By.Org, c.Version, c.Comment, false)
	case CommitVolume:
		return commitVolume(s, c)
	}
	return nil, es.Invalid("procurement.unknown_command", "unknown procurement command")
}

// ensureOpen rejects every command in a case that has ended.
func ensureOpen(s State) error {
	switch {
	case s.Phase == PhaseCancelled:
		return ErrCancelled
	case s.Phase.Terminal():
		return ErrTerminal
	}
	return nil
}
