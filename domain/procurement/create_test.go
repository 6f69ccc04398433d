package procurement_test

import (
	"testing"

	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
)

func TestCreateCase(t *testing.T) {
	t.Run("opens_a_case_with_the_acting_hub_as_its_coordinator", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			When(newCase()).
			Then(created())
	})

	t.Run("a_new_case_starts_in_draft_without_members", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			When(newCase()).
			ThenState(func(t testing.TB, s procurement.State) {
				if !s.Created || s.ID != caseID || s.Hub != hub || s.Phase != procurement.PhaseDraft || len(s.Members) != 0 {
					t.Fatalf("unexpected new case %+v", s)
				}
			})
	})

	t.Run("trims_the_title_and_description", func(t *testing.T) {
		c := newCase()
		c.Title = "  Detecting snow avalanches over county roads \n"
		c.Description = "\tSensors and warnings for roads exposed to avalanches.  "
		estest.For(t, procurement.Decider).When(c).Then(created())
	})

	t.Run("accepts_a_case_without_description_or_cpv_codes", func(t *testing.T) {
		c := newCase()
		c.Description, c.CPV = "   ", nil
		estest.For(t, procurement.Decider).When(c).Then(procurement.CaseCreated{
			ID: caseID, Title: c.Title, Jurisdiction: procurement.JurisdictionNO, Hub: hub,
		})
	})

	t.Run("removes_repeated_cpv_codes_keeping_the_first_order", func(t *testing.T) {
		c := newCase()
		c.CPV = []string{"48000000-8", "38000000", " 48000000-8 ", "38000000", "72000000-5"}
		estest.For(t, procurement.Decider).
			When(c).
			ThenState(func(t testing.TB, s procurement.State) {
				want := []string{"48000000-8", "38000000", "72000000-5"}
				if len(s.CPV) != len(want) {
					t.Fatalf("CPV %q, want %q", s.CPV, want)
				}
				for i := range want {
					if s.CPV[i] != want[i] {
						t.Fatalf("CPV %q, want %q", s.CPV, want)
					}
				}
			})
	})

	t.Run("accepts_every_supported_jurisdiction", func(t *testing.T) {
		for _, j := range []procurement.Jurisdiction{procurement.JurisdictionNO, procurement.JurisdictionSE, procurement.JurisdictionFI} {
			c := newCase()
			c.Jurisdiction = j
			estest.For(t, procurement.Decider).When(c).ThenState(func(t testing.TB, s procurement.State) {
				if s.Jurisdiction != j {
					t.Fatalf("jurisdiction %s, want %s", s.Jurisdiction, j)
				}
			})
		}
	})

	t.Run("accepts_a_title_of_exactly_200_characters", func(t *testing.T) {
		c := newCase()
		c.Title = runes(200)
		estest.For(t, procurement.Decider).When(c).ThenState(func(t testing.TB, s procurement.State) {
			if s.Title != runes(200) {
				t.Fatal("title was changed")
			}
		})
	})

	t.Run("accepts_a_description_of_exactly_20000_characters", func(t *testing.T) {
		c := newCase()
		c.Description = runes(20000)
		estest.For(t, procurement.Decider).When(c).ThenState(func(t testing.TB, s procurement.State) {
			if s.Description != runes(20000) {
				t.Fatal("description was changed")
			}
		})
	})

	t.Run("rejects_a_missing_title", func(t *testing.T) {
		for _, title := range []string{"", "   ", "\n\t"} {
			c := newCase()
			c.Title = title
			estest.For(t, procurement.Decider).When(c).ThenError(procurement.ErrTitleRequired)
		}
	})

	t.Run("rejects_a_title_over_200_characters", func(t *testing.T) {
		c := newCase()
		c.Title = runes(201)
		estest.For(t, procurement.Decider).When(c).ThenError(procurement.ErrTitleRequired)
	})

	t.Run("rejects_a_description_over_20000_characters", func(t *testing.T) {
		c := newCase()
		c.Description = runes(20001)
		estest.For(t, procurement.Decider).When(c).ThenError(procurement.ErrDescriptionTooLong)
	})

	t.Run("rejects_an_unsupported_jurisdiction", func(t *testing.T) {
		for _, j := range []procurement.Jurisdiction{"", "DK", "no", "EU"} {
			c := newCase()
			c.Jurisdiction = j
			estest.For(t, procurement.Decider).When(c).ThenError(procurement.ErrInvalidJurisdiction)
		}
	})

	t.Run("rejects_a_malformed_cpv_code", func(t *testing.T) {
		for _, code := range []string{"", "4800000", "480000000", "48000000-", "48000000-88", "48000000/8", "4800000a", "48 000000"} {
			c := newCase()
			c.CPV = []string{"48000000-8", code}
			estest.For(t, procurement.Decider).When(c).ThenError(procurement.ErrInvalidCPV)
		}
	})

	t.Run("rejects_a_case_id_that_is_not_a_lowercase_uuid", func(t *testing.T) {
		for _, id := range []string{"", "case-1", "0193A5F0-7C1E-7000-8000-00000000C0DE", "{0193a5f0-7c1e-7000-8000-00000000c0de}", "0193a5f07c1e70008000-00000000c0de"} {
			c := newCase()
			c.ID = id
			estest.For(t, procurement.Decider).When(c).ThenError(procurement.ErrInvalidCaseID)
		}
	})

	t.Run("rejects_a_case_opened_by_an_organisation_that_is_not_a_hub", func(t *testing.T) {
		for _, kind := range []organisation.Kind{organisation.KindMunicipality, organisation.KindSupplier, organisation.KindOther, ""} {
			c := newCase()
			c.HubKind, c.By = kind, by("bergen")
			estest.For(t, procurement.Decider).When(c).ThenError(procurement.ErrHubRequired)
		}
	})

	t.Run("rejects_a_second_case_under_the_same_id", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created()).
			When(newCase()).
			ThenError(procurement.ErrAlreadyExists)
	})

	t.Run("rejects_a_second_case_under_the_same_id_by_another_hub", func(t *testing.T) {
		c := newCase()
		c.By = by(otherHub)
		estest.For(t, procurement.Decider).Given(created()).When(c).ThenError(procurement.ErrAlreadyExists)
	})

	t.Run("classifies_its_rejections", func(t *testing.T) {
		bad := newCase()
		bad.Title = ""
		estest.For(t, procurement.Decider).When(bad).ThenKind(es.KindInvalid)
		notHub := newCase()
		notHub.HubKind = organisation.KindMunicipality
		estest.For(t, procurement.Decider).When(notHub).ThenKind(es.KindRule)
		estest.For(t, procurement.Decider).Given(created()).When(newCase()).ThenKind(es.KindConflict)
	})
}
