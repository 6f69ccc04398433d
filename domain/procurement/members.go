package procurement

import (
	"strings"
	"unicode/utf8"

	"github.com/felles/felles/domain/organisation"
)

// coordinates says whether the actor may act as the case's hub; to others the
// case does not exist.
func coordinates(s State, c Command) bool {
	a := c.Actor()
	return a.IsPlatform() || a.Org == s.Hub
}

// memberStatus is the acting organisation's place in an open case. To an
// organisation never invited the case does not exist; the hub knows it and
// learns that it is no member.
func memberStatus(s State, org string) (MemberStatus, error) {
	st, invited := s.Members[org]
	if !invited && org != s.Hub {
		return "", ErrNotFound
	}
	return st, ensureOpen(s)
}

func invite(s State, c InviteMunicipality) ([]Event, error) {
	if !coordinates(s, c) {
		return nil, ErrNotFound
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	switch {
	case c.InviteeKind == "":
		return nil, ErrInviteeNotFound.With("%q", c.Org)
	case c.Org == s.Hub:
		return nil, ErrHubCannotJoin
	case c.InviteeKind != organisation.KindMunicipality:
		return nil, ErrInviteeNotMunicipality.With("%s is a %s", c.Org, c.InviteeKind)
	}
	switch s.Members[c.Org] {
	case MemberInvited, MemberJoined:
		return nil, nil // already invited or in: nothing to do
	}
	if !s.Phase.OpenForParticipants() {
		return nil, ErrClosedForParticipants
	}
	return []Event{MunicipalityInvited{Org: c.Org}}, nil
}

func accept(s State, c AcceptInvitation) ([]Event, error) {
	org := c.By.Org
	st, err := memberStatus(s, org)
	if err != nil {
		return nil, err
	}
	switch st {
	case MemberJoined:
		return nil, nil
	case MemberDeclined:
		return nil, ErrAlreadyDeclined
	case MemberWithdrawn:
		return nil, ErrAlreadyWithdrawn
	case MemberInvited:
	default:
		return nil, ErrNotMember
	}
	if !s.Phase.OpenForParticipants() {
		return nil, ErrClosedForParticipants
	}
	return []Event{MunicipalityJoined{Org: org}}, nil
}

func decline(s State, c DeclineInvitation) ([]Event, error) {
	reason, err := optionalReason(c.Reason)
	if err != nil {
		return nil, err
	}
	org := c.By.Org
	st, err := memberStatus(s, org)
	if err != nil {
		return nil, err
	}
	switch st {
	case MemberDeclined:
		return nil, nil
	case MemberJoined:
		return nil, ErrAlreadyJoined
	case MemberWithdrawn:
		return nil, ErrAlreadyWithdrawn
	case MemberInvited:
		return []Event{InvitationDeclined{Org: org, Reason: reason}}, nil
	}
	return nil, ErrNotMember
}

const maxReason = 2000

func requiredReason(r string) (string, error) {
	r = strings.TrimSpace(r)
	if r == "" {
		return "", ErrReasonRequired
	}
	return optionalReason(r)
}

func optionalReason(r string) (string, error) {
	r = strings.TrimSpace(r)
	if utf8.RuneCountInString(r) > maxReason {
		return "", ErrReasonTooLong
	}
	return r, nil
}
