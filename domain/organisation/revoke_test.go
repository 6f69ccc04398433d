package organisation_test

import (
	"testing"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/organisation"
)

func TestRevokeRole(t *testing.T) {
	t.Run("a_municipality_admin_revokes_a_role_from_own_staff", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("bergen"), granted("bergen", "kari", organisation.RoleNeedsOwner)).
			When(revoke("bergen", "kari", organisation.RoleNeedsOwner)).
			Then(revoked("bergen", "kari", organisation.RoleNeedsOwner))
	})

	t.Run("the_person_keeps_the_other_roles", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("bergen"),
				granted("bergen", "kari", organisation.RoleNeedsOwner),
				granted("bergen", "kari", organisation.RoleBudgetHolder),
				granted("bergen", "ola", organisation.RoleNeedsOwner)).
			When(revoke("bergen", "kari", organisation.RoleNeedsOwner)).
			ThenState(func(t testing.TB, s organisation.State) {
				if s.Holds("kari", organisation.RoleNeedsOwner) {
					t.Fatal("kari still holds the revoked role")
				}
				if !s.Holds("kari", organisation.RoleBudgetHolder) || !s.Holds("ola", organisation.RoleNeedsOwner) {
					t.Fatalf("other grants were lost: %v", s.Grants)
				}
			})
	})

	t.Run("a_platform_administrator_revokes_a_hub_coordinator", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("lup"), granted("lup", "per", organisation.RoleHubCoordinator)).
			When(organisation.RevokeRole{Org: "lup", User: "per", Role: organisation.RoleHubCoordinator, By: platform, At: day(3)}).
			Then(revoked("lup", "per", organisation.RoleHubCoordinator))
	})

	t.Run("revoking_again_changes_nothing", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("bergen"), granted("bergen", "kari", organisation.RoleNeedsOwner), revoked("bergen", "kari", organisation.RoleNeedsOwner)).
			When(revoke("bergen", "kari", organisation.RoleNeedsOwner)).
			ThenNothing()
	})

	t.Run("revoking_a_role_never_granted_changes_nothing", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("bergen"), granted("bergen", "kari", organisation.RoleBudgetHolder)).
			When(revoke("bergen", "kari", organisation.RoleNeedsOwner)).
			ThenNothing()
	})

	t.Run("rejects_a_revocation_in_an_organisation_that_is_not_registered", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			When(revoke("bergen", "kari", organisation.RoleNeedsOwner)).
			ThenError(organisation.ErrNotRegistered)
	})

	t.Run("rejects_an_invalid_user_name", func(t *testing.T) {
		for _, user := range []string{"", "system", "kari nordmann"} {
			estest.For(t, organisation.Decider).
				Given(registered("bergen")).
				When(revoke("bergen", user, organisation.RoleNeedsOwner)).
				ThenError(organisation.ErrInvalidUser)
		}
	})

	t.Run("rejects_an_unknown_role", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("bergen")).
			When(revoke("bergen", "kari", "mayor")).
			ThenError(organisation.ErrUnknownRole)
	})

	t.Run("rejects_a_revocation_by_staff_of_another_organisation", func(t *testing.T) {
		c := revoke("bergen", "kari", organisation.RoleNeedsOwner)
		c.By = by("oslo")
		estest.For(t, organisation.Decider).
			Given(registered("bergen"), granted("bergen", "kari", organisation.RoleNeedsOwner)).
			When(c).
			ThenError(organisation.ErrOutsideOwnOrg)
	})

	t.Run("rejects_a_role_the_kind_cannot_hold", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("bergen")).
			When(revoke("bergen", "kari", organisation.RoleSupplierUser)).
			ThenError(organisation.ErrRoleNotForKind)
	})
}
