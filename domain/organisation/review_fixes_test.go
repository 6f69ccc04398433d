package organisation_test

import (
	"testing"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/organisation"
)

func TestACommandForAnotherOrganisationNeverActsOnThisStream(t *testing.T) {
	t.Run("a_grant_naming_another_organisation_is_refused", func(t *testing.T) {
		cmd := grant("bergen", "kari", organisation.RoleNeedsOwner)
		cmd.Org = "oslo"
		cmd.By.Org = "oslo"
		estest.For(t, organisation.Decider).
			Given(registered("bergen")).
			When(cmd).
			ThenError(organisation.ErrNotRegistered)
	})
	t.Run("a_held_role_is_revoked_without_checking_the_vocabulary_again", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("bergen"), granted("bergen", "kari", organisation.RoleNeedsOwner)).
			When(revoke("bergen", "kari", organisation.RoleNeedsOwner)).
			Then(organisation.RoleRevoked{Org: "bergen", User: "kari", Role: organisation.RoleNeedsOwner})
	})
}
