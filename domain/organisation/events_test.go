package organisation_test

import (
	"reflect"
	"testing"

	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/organisation"
)

func TestEvents(t *testing.T) {
	examples := []organisation.Event{
		registered("lup"), registered("bergen"), registered("acme"), registered("sintef"),
		granted("bergen", "kari.nordmann@bergen.kommune.no", organisation.RoleBudgetHolder),
		revoked("bergen", "kari.nordmann@bergen.kommune.no", organisation.RoleBudgetHolder),
	}

	t.Run("every_event_type_is_registered", func(t *testing.T) {
		want := []string{"OrganisationRegistered", "RoleGranted", "RoleRevoked"}
		if got := organisation.Events().Names(); !reflect.DeepEqual(got, want) {
			t.Fatalf("registered %v, want %v", got, want)
		}
	})

	t.Run("every_event_round_trips_through_the_registry_unchanged", func(t *testing.T) {
		reg := organisation.Events()
		for _, ev := range examples {
			name, version, data, err := reg.Encode(ev)
			if err != nil || name != ev.EventType() || version != 1 {
				t.Fatalf("encode %T: %s v%d %v", ev, name, version, err)
			}
			back, ok, err := reg.Decode(name, version, data)
			if err != nil || !ok {
				t.Fatalf("decode %s: ok=%v err=%v", name, ok, err)
			}
			if !reflect.DeepEqual(back, ev) {
				t.Fatalf("%s changed on the way\n got: %#v\nwant: %#v", name, back, ev)
			}
		}
	})

	t.Run("an_unknown_event_type_is_skipped_not_failed", func(t *testing.T) {
		ev, ok, err := organisation.Events().Decode("OrganisationMerged", 1, []byte(`{}`))
		if ok || err != nil || ev != nil {
			t.Fatalf("ok=%v err=%v ev=%v", ok, err, ev)
		}
	})

	t.Run("an_organisation_lives_in_its_own_stream", func(t *testing.T) {
		if got := organisation.StreamID("bergen"); got != "organisation-bergen" {
			t.Fatalf("stream %q", got)
		}
	})
}

func TestState(t *testing.T) {
	t.Run("folding_a_later_grant_never_changes_an_earlier_state", func(t *testing.T) {
		before := organisation.Decider.Fold([]organisation.Event{registered("bergen"), granted("bergen", "kari", organisation.RoleNeedsOwner)})
		after := organisation.Decider.Evolve(before, granted("bergen", "ola", organisation.RoleNeedsOwner))
		after = organisation.Decider.Evolve(after, revoked("bergen", "kari", organisation.RoleNeedsOwner))
		if len(before.Grants) != 1 || !before.Holds("kari", organisation.RoleNeedsOwner) {
			t.Fatalf("the earlier state changed: %v", before.Grants)
		}
		if len(after.Grants) != 1 || !after.Holds("ola", organisation.RoleNeedsOwner) {
			t.Fatalf("the later state is wrong: %v", after.Grants)
		}
	})

	t.Run("an_event_it_does_not_know_leaves_the_state_as_it_was", func(t *testing.T) {
		before := organisation.Decider.Fold([]organisation.Event{registered("bergen")})
		if after := organisation.Decider.Evolve(before, nil); !reflect.DeepEqual(after, before) {
			t.Fatalf("state changed: %+v", after)
		}
	})

	t.Run("a_new_state_is_not_registered", func(t *testing.T) {
		if s := organisation.Decider.Initial(); s.Registered || len(s.Grants) != 0 || s.Holds("kari", organisation.RoleAuditor) {
			t.Fatalf("initial %+v", s)
		}
	})
}

func TestDecide(t *testing.T) {
	t.Run("rejects_a_command_it_does_not_know_as_invalid_input", func(t *testing.T) {
		estest.For(t, organisation.Decider).
			Given(registered("bergen")).
			When(nil).
			ThenKind(es.KindInvalid)
	})
}

func TestVocabulary(t *testing.T) {
	t.Run("the_four_kinds_are_valid_and_nothing_else", func(t *testing.T) {
		for _, k := range []organisation.Kind{organisation.KindHub, organisation.KindMunicipality, organisation.KindSupplier, organisation.KindOther} {
			if !k.Valid() {
				t.Errorf("%s must be valid", k)
			}
		}
		if organisation.Kind("COUNTY").Valid() || organisation.Kind("").Valid() {
			t.Error("unknown kinds must be invalid")
		}
	})

	t.Run("every_role_is_known_and_held_somewhere", func(t *testing.T) {
		for _, r := range allRoles {
			if !organisation.KnownRole(r) {
				t.Errorf("%s must be known", r)
			}
			somewhere := false
			for _, k := range []organisation.Kind{organisation.KindHub, organisation.KindMunicipality, organisation.KindSupplier, organisation.KindOther} {
				somewhere = somewhere || organisation.RoleAllowedIn(r, k)
			}
			if !somewhere {
				t.Errorf("%s can be held nowhere", r)
			}
		}
	})

	t.Run("an_unknown_kind_holds_no_role", func(t *testing.T) {
		for _, r := range allRoles {
			if organisation.RoleAllowedIn(r, "COUNTY") {
				t.Errorf("%s allowed in an unknown kind", r)
			}
		}
	})

	t.Run("the_system_principal_is_not_a_person", func(t *testing.T) {
		if organisation.ValidUser(organisation.ReservedUser) {
			t.Fatal("the reserved user must be refused")
		}
	})

	t.Run("the_platform_is_not_an_organisation_id", func(t *testing.T) {
		if organisation.ValidID("*") {
			t.Fatal("* must not name an organisation")
		}
	})
}
