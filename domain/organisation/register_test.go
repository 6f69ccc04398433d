package organisation_test

import (
	"strings"
	"testing"

	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/organisation"
)

func TestRegisterOrganisation(t *testing.T) {
	t.Run("registers_an_organisation_of_every_kind", func(t *testing.T) {
		for _, id := range []string{"lup", "bergen", "acme", "sintef"} {
			estest.For(t, organisation.Decider).
				When(register(id)).
				Then(registered(id))
		}
	})

	t.Run("a_registered_organisation_has_no_staff_roles_yet", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			When(register("bergen")).
			ThenState(func(t testing.TB, s organisation.State) {
				if !s.Registered || s.ID != "bergen" || s.Kind != organisation.KindMunicipality || len(s.Grants) != 0 {
					t.Fatalf("state %+v", s)
				}
			})
	})

	t.Run("trims_the_name", func(t *testing.T) {
		c := register("bergen")
		c.Name = "  Bergen kommune\n"
		estest.For(t, organisation.Decider).When(c).Then(registered("bergen"))
	})

	t.Run("accepts_a_name_of_exactly_200_characters", func(t *testing.T) {
		c := register("bergen")
		c.Name = runes(200)
		estest.For(t, organisation.Decider).When(c).Then(organisation.OrganisationRegistered{
			ID: "bergen", Kind: organisation.KindMunicipality, Name: runes(200), OrgNumber: "964338531",
		})
	})

	t.Run("accepts_ids_of_2_to_63_lowercase_letters_digits_or_hyphens", func(t *testing.T) {
		for _, id := range []string{"ab", "0slo", "bergen-kommune", "a" + strings.Repeat("-", 62), strings.Repeat("x", 63)} {
			c := register("bergen")
			c.ID = id
			estest.For(t, organisation.Decider).When(c).Then(organisation.OrganisationRegistered{
				ID: id, Kind: organisation.KindMunicipality, Name: "Bergen kommune", OrgNumber: "964338531",
			})
		}
	})

	t.Run("accepts_norwegian_swedish_and_finnish_organisation_numbers", func(t *testing.T) {
		for _, number := range []string{"964338531", "556016-0680", "2331972-7", "123456", "12345678901234"} {
			c := register("bergen")
			c.OrgNumber = number
			estest.For(t, organisation.Decider).When(c).ThenState(func(t testing.TB, s organisation.State) {
				if s.OrgNumber != number {
					t.Fatalf("org number %q, want %q", s.OrgNumber, number)
				}
			})
		}
	})

	t.Run("registering_the_same_organisation_again_changes_nothing", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("bergen")).
			When(register("bergen")).
			ThenNothing()
	})

	t.Run("registering_again_with_the_same_name_padded_changes_nothing", func(t *testing.T) {
		c := register("bergen")
		c.Name = " Bergen kommune "
		estest.For(t, organisation.Decider).Given(registered("bergen")).When(c).ThenNothing()
	})

	t.Run("registering_the_same_hub_again_changes_nothing", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("lup"), granted("lup", "kari", organisation.RoleHubCoordinator)).
			When(register("lup")).
			ThenNothing()
	})

	t.Run("rejects_other_details_under_a_registered_id", func(t *testing.T) {
		for _, change := range []func(*organisation.RegisterOrganisation){
			func(c *organisation.RegisterOrganisation) { c.Name = "Bergen bykommune" },
			func(c *organisation.RegisterOrganisation) { c.OrgNumber = "964338532" },
			func(c *organisation.RegisterOrganisation) { c.Kind = organisation.KindOther },
		} {
			c := register("bergen")
			change(&c)
			estest.For(t, organisation.Decider).
				Given(registered("bergen")).
				When(c).
				ThenError(organisation.ErrAlreadyRegistered)
		}
	})

	t.Run("rejects_an_invalid_id", func(t *testing.T) {
		for _, id := range []string{"", "b", "Bergen", "-bergen", "bergen_kommune", "bergen kommune", "*", "bergen.no", "æøå", strings.Repeat("x", 64)} {
			c := register("bergen")
			c.ID = id
			estest.For(t, organisation.Decider).When(c).ThenError(organisation.ErrInvalidID)
		}
	})

	t.Run("rejects_an_unknown_kind", func(t *testing.T) {
		for _, kind := range []organisation.Kind{"", "hub", "COUNTY", "Municipality"} {
			c := register("bergen")
			c.Kind = kind
			estest.For(t, organisation.Decider).When(c).ThenError(organisation.ErrInvalidKind)
		}
	})

	t.Run("rejects_a_missing_name", func(t *testing.T) {
		for _, name := range []string{"", "   ", "\t\n"} {
			c := register("bergen")
			c.Name = name
			estest.For(t, organisation.Decider).When(c).ThenError(organisation.ErrNameRequired)
		}
	})

	t.Run("rejects_a_name_over_200_characters", func(t *testing.T) {
		c := register("bergen")
		c.Name = runes(201)
		estest.For(t, organisation.Decider).When(c).ThenError(organisation.ErrNameRequired)
	})

	t.Run("rejects_a_malformed_organisation_number", func(t *testing.T) {
		for _, number := range []string{"", "12345", "123456789012345", "NO964338531", "964 338 531", "964338531MVA",
			"556016--0680", "556016-06801", "-5560160680", "556016-", "FI2331972-7"} {
			c := register("bergen")
			c.OrgNumber = number
			estest.For(t, organisation.Decider).When(c).ThenError(organisation.ErrInvalidOrgNumber)
		}
	})

	t.Run("only_a_platform_administrator_registers_a_hub", func(t *testing.T) {
		for _, a := range []string{"lup", "bergen", "keino"} {
			c := register("lup")
			c.By = by(a)
			estest.For(t, organisation.Decider).When(c).ThenError(organisation.ErrHubNeedsPlatform)
		}
	})

	t.Run("a_hub_registration_by_a_non_platform_actor_is_forbidden", func(t *testing.T) {
		c := register("lup")
		c.By = by("lup")
		estest.For(t, organisation.Decider).When(c).ThenKind(es.KindForbidden)
	})

	t.Run("classifies_its_rejections", func(t *testing.T) {
		bad := register("bergen")
		bad.ID = ""
		estest.For(t, organisation.Decider).When(bad).ThenKind(es.KindInvalid)
		other := register("bergen")
		other.Name = "Bergen bykommune"
		estest.For(t, organisation.Decider).Given(registered("bergen")).When(other).ThenKind(es.KindConflict)
	})
}
