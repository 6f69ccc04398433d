package organisation_test

import (
	"strings"
	"time"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/organisation"
)

// day is a calendar day, day(1) being the day the register opened.
func day(n int) time.Time { return time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC).AddDate(0, 0, n-1) }

// by is a member of staff acting for org.
func by(org string) actor.Actor { return actor.Actor{User: "admin@" + org, Org: org} }

// platform is a platform administrator.
var platform = actor.Actor{User: "root", Org: actor.Platform}

// runes is a text of n two-byte characters, so rune limits differ from byte limits.
func runes(n int) string { return strings.Repeat("å", n) }

// The organisations of the scenarios, one of each kind.
var orgs = map[string]organisation.OrganisationRegistered{
	"lup":    {ID: "lup", Kind: organisation.KindHub, Name: "Nasjonalt program for leverandørutvikling", OrgNumber: "987654321"},
	"bergen": {ID: "bergen", Kind: organisation.KindMunicipality, Name: "Bergen kommune", OrgNumber: "964338531"},
	"acme":   {ID: "acme", Kind: organisation.KindSupplier, Name: "Acme Sensorer AB", OrgNumber: "556016-0680"},
	"sintef": {ID: "sintef", Kind: organisation.KindOther, Name: "SINTEF", OrgNumber: "948007029"},
}

// --- events ---

func registered(id string) organisation.Event { return orgs[id] }

func granted(org, user string, role organisation.Role) organisation.Event {
	return organisation.RoleGranted{Org: org, User: user, Role: role}
}

func revoked(org, user string, role organisation.Role) organisation.Event {
	return organisation.RoleRevoked{Org: org, User: user, Role: role}
}

// --- commands ---

// register is a valid registration of a known organisation by the platform;
// tests change one field to break one rule.
func register(id string) organisation.RegisterOrganisation {
	o := orgs[id]
	return organisation.RegisterOrganisation{ID: o.ID, Kind: o.Kind, Name: o.Name, OrgNumber: o.OrgNumber, By: platform, At: day(1)}
}

// grant is org's own administrator granting user a role in org.
func grant(org, user string, role organisation.Role) organisation.GrantRole {
	return organisation.GrantRole{Org: org, User: user, Role: role, By: by(org), At: day(2)}
}

// revoke is org's own administrator taking a role away.
func revoke(org, user string, role organisation.Role) organisation.RevokeRole {
	return organisation.RevokeRole{Org: org, User: user, Role: role, By: by(org), At: day(3)}
}
