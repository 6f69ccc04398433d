package organisation_test

import (
	"strings"
	"testing"

	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/organisation"
)

// allRoles is every role of DOMAIN.md §5 that a person can hold.
var allRoles = []organisation.Role{
	organisation.RoleHubCoordinator, organisation.RoleLeadOfficer, organisation.RoleLeadSignatory,
	organisation.RoleMunicipalityAdmin, organisation.RoleNeedsOwner, organisation.RoleBudgetHolder,
	organisation.RoleSignatory, organisation.RoleEvaluator, organisation.RoleSupplierUser, organisation.RoleAuditor,
}

// allowedIn is which roles each kind of organisation can hold (DOMAIN.md §5):
// hub coordinators only in hubs, municipal roles only in municipalities,
// supplier users only in suppliers; evaluators and auditors on the buying side
// and in outside bodies.
var allowedIn = map[string][]organisation.Role{
	"lup": {organisation.RoleHubCoordinator, organisation.RoleEvaluator, organisation.RoleAuditor},
	"bergen": {organisation.RoleMunicipalityAdmin, organisation.RoleLeadOfficer, organisation.RoleLeadSignatory,
		organisation.RoleNeedsOwner, organisation.RoleBudgetHolder, organisation.RoleSignatory, organisation.RoleEvaluator,
		organisation.RoleAuditor},
	"acme":   {organisation.RoleSupplierUser},
	"sintef": {organisation.RoleEvaluator, organisation.RoleAuditor},
}

func allowed(org string, role organisation.Role) bool {
	for _, r := range allowedIn[org] {
		if r == role {
			return true
		}
	}
	return false
}

func TestGrantRole(t *testing.T) {
	t.Run("a_municipality_admin_grants_a_role_to_own_staff", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("bergen")).
			When(grant("bergen", "kari.nordmann@bergen.kommune.no", organisation.RoleNeedsOwner)).
			Then(granted("bergen", "kari.nordmann@bergen.kommune.no", organisation.RoleNeedsOwner))
	})

	t.Run("the_person_holds_the_role_from_then_on", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("bergen"), granted("bergen", "kari", organisation.RoleNeedsOwner)).
			When(grant("bergen", "kari", organisation.RoleBudgetHolder)).
			ThenState(func(t testing.TB, s organisation.State) {
				if !s.Holds("kari", organisation.RoleNeedsOwner) || !s.Holds("kari", organisation.RoleBudgetHolder) {
					t.Fatalf("grants %v", s.Grants)
				}
				if s.Holds("ola", organisation.RoleBudgetHolder) {
					t.Fatal("ola holds a role nobody granted")
				}
			})
	})

	t.Run("a_platform_administrator_grants_the_first_hub_coordinator", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("lup")).
			When(organisation.GrantRole{Org: "lup", User: "per", Role: organisation.RoleHubCoordinator, By: platform, At: day(2)}).
			Then(granted("lup", "per", organisation.RoleHubCoordinator))
	})

	t.Run("every_kind_of_organisation_takes_exactly_its_own_roles", func(t *testing.T) {
		for org := range allowedIn {
			for _, role := range allRoles {
				scenario := estest.For(t, organisation.Decider).
					Given(registered(org)).
					When(grant(org, "kari", role))
				if allowed(org, role) {
					scenario.Then(granted(org, "kari", role))
				} else {
					scenario.ThenError(organisation.ErrRoleNotForKind)
				}
			}
		}
	})

	t.Run("granting_a_role_held_already_changes_nothing", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("bergen"), granted("bergen", "kari", organisation.RoleNeedsOwner)).
			When(grant("bergen", "kari", organisation.RoleNeedsOwner)).
			ThenNothing()
	})

	t.Run("a_revoked_role_can_be_granted_again", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("bergen"), granted("bergen", "kari", organisation.RoleNeedsOwner), revoked("bergen", "kari", organisation.RoleNeedsOwner)).
			When(grant("bergen", "kari", organisation.RoleNeedsOwner)).
			Then(granted("bergen", "kari", organisation.RoleNeedsOwner))
	})

	t.Run("rejects_a_grant_in_an_organisation_that_is_not_registered", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			When(grant("bergen", "kari", organisation.RoleNeedsOwner)).
			ThenError(organisation.ErrNotRegistered)
	})

	t.Run("rejects_an_invalid_user_name", func(t *testing.T) {
		for _, user := range []string{"", "system", ".kari", "-kari", "kari nordmann", "kari/nordmann", "kåri", strings.Repeat("k", 129)} {
			estest.For(t, organisation.Decider).
				Given(registered("bergen")).
				When(grant("bergen", user, organisation.RoleNeedsOwner)).
				ThenError(organisation.ErrInvalidUser)
		}
	})

	t.Run("accepts_user_names_up_to_128_characters", func(t *testing.T) {
		for _, user := range []string{"k", "Kari_Nordmann-2", "kari.nordmann@bergen.kommune.no", "System", strings.Repeat("k", 128)} {
			estest.For(t, organisation.Decider).
				Given(registered("bergen")).
				When(grant("bergen", user, organisation.RoleNeedsOwner)).
				Then(granted("bergen", user, organisation.RoleNeedsOwner))
		}
	})

	t.Run("rejects_an_unknown_role", func(t *testing.T) {
		for _, role := range []organisation.Role{"", "mayor", "Hub-Coordinator", "admin", "sys"} {
			estest.For(t, organisation.Decider).
				Given(registered("bergen")).
				When(grant("bergen", "kari", role)).
				ThenError(organisation.ErrUnknownRole)
		}
	})

	t.Run("rejects_a_grant_by_staff_of_another_organisation", func(t *testing.T) {
		for _, a := range []string{"oslo", "lup"} {
			c := grant("bergen", "kari", organisation.RoleNeedsOwner)
			c.By = by(a)
			estest.For(t, organisation.Decider).
				Given(registered("bergen")).
				When(c).
				ThenError(organisation.ErrOutsideOwnOrg)
		}
	})

	t.Run("a_municipality_admin_grants_the_signatory_role_to_own_staff", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("bergen")).
			When(grant("bergen", "kari", organisation.RoleSignatory)).
			Then(granted("bergen", "kari", organisation.RoleSignatory))
	})

	t.Run("a_signatory_cannot_be_granted_outside_a_municipality", func(t *testing.T) {
		for _, org := range []string{"lup", "acme", "sintef"} {
			estest.For(t, organisation.Decider).
				Given(registered(org)).
				When(grant(org, "kari", organisation.RoleSignatory)).
				ThenError(organisation.ErrRoleNotForKind)
		}
	})

	t.Run("a_hub_coordinator_cannot_be_granted_in_a_municipality", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("bergen")).
			When(grant("bergen", "kari", organisation.RoleHubCoordinator)).
			ThenError(organisation.ErrRoleNotForKind)
	})

	t.Run("not_even_a_platform_administrator_grants_a_role_the_kind_cannot_hold", func(t *testing.T) {
		c := grant("acme", "kari", organisation.RoleEvaluator)
		c.By = platform
		estest.For(t, organisation.Decider).
			Given(registered("acme")).
			When(c).
			ThenError(organisation.ErrRoleNotForKind)
	})

	t.Run("classifies_its_rejections", func(t *testing.T) {
		c := grant("bergen", "kari", organisation.RoleNeedsOwner)
		c.By = by("oslo")
		estest.For(t, organisation.Decider).Given(registered("bergen")).When(c).ThenKind(es.KindForbidden)
		estest.For(t, organisation.Decider).When(grant("bergen", "kari", organisation.RoleNeedsOwner)).ThenKind(es.KindNotFound)
		estest.For(t, organisation.Decider).Given(registered("bergen")).
			When(grant("bergen", "kari", organisation.RoleSupplierUser)).ThenKind(es.KindRule)
	})
}
