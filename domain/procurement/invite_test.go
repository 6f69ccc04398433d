package procurement_test

import (
	"testing"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
)

func TestInviteMunicipality(t *testing.T) {
	t.Run("the_hub_invites_a_municipality", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created()).
			When(invite("bergen")).
			Then(invited("bergen"))
	})

	t.Run("an_invited_municipality_is_waiting_for_its_answer", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created()).
			When(invite("bergen")).
			ThenState(memberIs("bergen", procurement.MemberInvited))
	})

	t.Run("the_hub_invites_several_municipalities", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen")).
			When(invite("oslo")).
			Then(invited("oslo"))
	})

	t.Run("a_platform_actor_may_invite", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created()).
			When(inviteBy(platform, "bergen")).
			Then(invited("bergen"))
	})

	t.Run("inviting_an_invited_municipality_again_changes_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen")).
			When(invite("bergen")).
			ThenNothing()
	})

	t.Run("inviting_a_member_that_joined_changes_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen")).
			When(invite("bergen")).
			ThenNothing()
	})

	t.Run("a_municipality_that_declined_can_be_invited_again", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), declined("bergen")).
			When(invite("bergen")).
			Then(invited("bergen"))
	})

	t.Run("a_reinvitation_after_decline_brings_the_municipality_back_to_invited", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), declined("bergen")).
			When(invite("bergen")).
			ThenState(memberIs("bergen", procurement.MemberInvited))
	})

	t.Run("a_reinvitation_after_withdrawal_brings_the_municipality_back_to_invited", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen"), withdrew("bergen")).
			When(invite("bergen")).
			ThenState(memberIs("bergen", procurement.MemberInvited))
	})

	t.Run("rejects_an_invitation_by_a_municipality", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), joined("bergen")).
			When(inviteBy(by("bergen"), "oslo")).
			ThenError(procurement.ErrNotFound)
	})

	t.Run("rejects_an_invitation_by_a_hub_that_does_not_coordinate_the_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created()).
			When(inviteBy(by(otherHub), "bergen")).
			ThenError(procurement.ErrNotFound)
	})

	t.Run("rejects_an_organisation_that_is_not_registered", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created()).
			When(invite("atlantis")).
			ThenError(procurement.ErrInviteeNotFound)
	})

	t.Run("the_hub_cannot_invite_itself", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created()).
			When(invite(hub)).
			ThenError(procurement.ErrHubCannotJoin)
	})

	t.Run("a_platform_actor_cannot_invite_the_hub_either", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created()).
			When(inviteBy(platform, hub)).
			ThenError(procurement.ErrHubCannotJoin)
	})

	t.Run("the_hub_stays_out_even_if_the_register_called_it_a_municipality", func(t *testing.T) {
		c := invite(hub)
		c.InviteeKind = organisation.KindMunicipality
		estest.For(t, procurement.Decider).Given(created()).When(c).ThenError(procurement.ErrHubCannotJoin)
	})

	t.Run("rejects_an_organisation_that_is_not_a_municipality", func(t *testing.T) {
		for _, org := range []string{otherHub, "acme", "sintef"} {
			estest.For(t, procurement.Decider).
				Given(created()).
				When(invite(org)).
				ThenError(procurement.ErrInviteeNotMunicipality)
		}
	})

	t.Run("nobody_is_invited_to_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), cancelled()).
			When(invite("bergen")).
			ThenError(procurement.ErrCancelled)
	})

	t.Run("a_municipality_that_declined_is_not_invited_again_to_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), declined("bergen"), cancelled()).
			When(inviteBy(platform, "bergen")).
			ThenError(procurement.ErrCancelled)
	})

	t.Run("rejects_an_invitation_to_a_case_that_does_not_exist", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			When(invite("bergen")).
			ThenError(procurement.ErrNotFound)
	})
}
