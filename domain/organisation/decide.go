package organisation

import (
	"strings"
	"unicode/utf8"

	"github.com/felles/felles/domain/es"
)

// Decider is the organisation aggregate.
var Decider = es.Decider[State, Command, Event]{Initial: initial, Decide: decide, Evolve: evolve}

// Events is the registry of organisation event types.
func Events() *es.Registry[Event] {
	r := es.NewRegistry[Event]()
	es.Register[OrganisationRegistered](r, 1)
	es.Register[RoleGranted](r, 1)
	es.Register[RoleRevoked](r, 1)
	return r
}

// StreamID is the stream of organisation id.
func StreamID(id string) string { return "organisation-" + id }

func decide(s State, c Command) ([]Event, error) {
	switch c := c.(type) {
	case RegisterOrganisation:
		return register(s, c)
	case GrantRole:
		return grant(s, c)
	case RevokeRole:
		return revoke(s, c)
	}
	return nil, es.Invalid("organisation.unknown_command", "unknown organisation command")
}

func register(s State, c RegisterOrganisation) ([]Event, error) {
	name := strings.TrimSpace(c.Name)
	switch {
	case !ValidID(c.ID):
		return nil, ErrInvalidID
	case !c.Kind.Valid():
		return nil, ErrInvalidKind
	case name == "" || utf8.RuneCountInString(name) > 200:
		return nil, ErrNameRequired
	case !orgNumberPattern.MatchString(c.OrgNumber):
		return nil, ErrInvalidOrgNumber
	case c.Kind == KindHub && !c.By.IsPlatform():
		return nil, ErrHubNeedsPlatform
	}
	ev := OrganisationRegistered{ID: c.ID, Kind: c.Kind, Name: name, OrgNumber: c.OrgNumber}
	if s.Registered {
		if s.ID == ev.ID && s.Kind == ev.Kind && s.Name == ev.Name && s.OrgNumber == ev.OrgNumber {
			return nil, nil
		}
		return nil, ErrAlreadyRegistered
	}
	return []Event{ev}, nil
}

// checkActor is what granting and revoking share: the organisation exists and
// the actor belongs to it (or acts for the platform). It compares with the
// stream's own ID, never only with the command's, so a misrouted command cannot
// grant in another organisation.
func checkActor(s State, org, byOrg string, byPlatform bool) error {
	switch {
	case !s.Registered || org != s.ID:
		return ErrNotRegistered
	case !byPlatform && byOrg != s.ID:
		return ErrOutsideOwnOrg
	}
	return nil
}

func checkGrant(s State, org, user string, role Role, byOrg string, byPlatform bool) error {
	if err := checkActor(s, org, byOrg, byPlatform); err != nil {
		return err
	}
	switch {
	case !ValidUser(user):
		return ErrInvalidUser
	case !KnownRole(role):
		return ErrUnknownRole.With("%q", role)
	case !RoleAllowedIn(role, s.Kind):
		return ErrRoleNotForKind.With("%s in a %s organisation", role, s.Kind)
	}
	return nil
}

func grant(s State, c GrantRole) ([]Event, error) {
	if err := checkGrant(s, c.Org, c.User, c.Role, c.By.Org, c.By.IsPlatform()); err != nil {
		return nil, err
	}
	if s.Holds(c.User, c.Role) {
		return nil, nil
	}
	return []Event{RoleGranted{Org: c.Org, User: c.User, Role: c.Role}}, nil
}

func revoke(s State, c RevokeRole) ([]Event, error) {
	if err := checkActor(s, c.Org, c.By.Org, c.By.IsPlatform()); err != nil {
		return nil, err
	}
	if s.Holds(c.User, c.Role) {
		// A role held is always revocable, even one a newer vocabulary no
		// longer knows or allows in this kind of organisation.
		return []Event{RoleRevoked{Org: c.Org, User: c.User, Role: c.Role}}, nil
	}
	if err := checkGrant(s, c.Org, c.User, c.Role, c.By.Org, c.By.IsPlatform()); err != nil {
		return nil, err
	}
	return nil, nil
}
