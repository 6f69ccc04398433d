package organisation

import (
	"time"

	"github.com/felles/felles/domain/actor"
)

// Command is an organisation command.
type Command interface{ isOrganisationCommand() }

// RegisterOrganisation registers a hub, municipality, supplier or other body.
type RegisterOrganisation struct {
	ID        string
	Kind      Kind
	Name      string
	OrgNumber string // national organisation number (NO orgnr, SE organisationsnummer, FI Y-tunnus)
	By        actor.Actor
	At        time.Time
}

// GrantRole gives a person a role in the organisation.
type GrantRole struct {
	Org  string
	User string
	Role Role
	By   actor.Actor
	At   time.Time
}

// RevokeRole takes a role away.
type RevokeRole struct {
	Org  string
	User string
	Role Role
	By   actor.Actor
	At   time.Time
}

func (RegisterOrganisation) isOrganisationCommand() {}
func (GrantRole) isOrganisationCommand()            {}
func (RevokeRole) isOrganisationCommand()           {}
