package procurement

import "github.com/felles/felles/domain/es"

// Decider is the procurement case aggregate.
var Decider = es.Decider[State, Command, Event]{Initial: initial, Decide: decide, Evolve: evolve}

func decide(s State, c Command) ([]Event, error) {
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
