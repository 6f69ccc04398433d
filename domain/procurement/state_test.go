package procurement_test

import (
	"reflect"
	"testing"

	"github.com/felles/felles/domain/procurement"
)

func TestState(t *testing.T) {
	t.Run("lists_members_sorted_by_organisation", func(t *testing.T) {
		s := procurement.Decider.Fold([]procurement.Event{
			created(), invited("tromso"), invited("bergen"), invited("oslo"), joined("oslo"), declined("tromso"),
		})
		want := []procurement.Member{
			{Org: "bergen", Status: procurement.MemberInvited},
			{Org: "oslo", Status: procurement.MemberJoined},
			{Org: "tromso", Status: procurement.MemberDeclined},
		}
		if got := s.MembersSorted(); !reflect.DeepEqual(got, want) {
			t.Fatalf("members %v, want %v", got, want)
		}
	})

	t.Run("counts_members_by_status", func(t *testing.T) {
		s := procurement.Decider.Fold([]procurement.Event{
			created(), invited("bergen"), invited("oslo"), invited("tromso"), joined("bergen"), joined("oslo"), withdrew("oslo"),
		})
		for st, want := range map[procurement.MemberStatus]int{
			procurement.MemberInvited: 1, procurement.MemberJoined: 1, procurement.MemberWithdrawn: 1, procurement.MemberDeclined: 0,
		} {
			if got := s.Count(st); got != want {
				t.Errorf("%s: %d, want %d", st, got, want)
			}
		}
	})

	t.Run("a_new_state_has_no_case_and_no_members", func(t *testing.T) {
		s := procurement.Decider.Initial()
		if s.Created || s.Phase != "" || len(s.Members) != 0 || len(s.MembersSorted()) != 0 {
			t.Fatalf("initial state %+v", s)
		}
	})

	t.Run("folding_a_later_event_never_changes_an_earlier_state", func(t *testing.T) {
		before := procurement.Decider.Fold([]procurement.Event{created(), invited("bergen")})
		after := procurement.Decider.Evolve(before, joined("bergen"))
		after = procurement.Decider.Evolve(after, invited("oslo"))
		if before.Members["bergen"] != procurement.MemberInvited || len(before.Members) != 1 {
			t.Fatalf("the earlier state changed: %v", before.Members)
		}
		if after.Members["bergen"] != procurement.MemberJoined || len(after.Members) != 2 {
			t.Fatalf("the later state is wrong: %v", after.Members)
		}
	})

	t.Run("an_event_it_does_not_know_leaves_the_state_as_it_was", func(t *testing.T) {
		before := procurement.Decider.Fold([]procurement.Event{created(), invited("bergen")})
		if after := procurement.Decider.Evolve(before, nil); !reflect.DeepEqual(after, before) {
			t.Fatalf("state changed: %+v", after)
		}
	})

	t.Run("a_case_created_event_fills_in_the_case", func(t *testing.T) {
		s := procurement.Decider.Fold([]procurement.Event{created()})
		c := created().(procurement.CaseCreated)
		if s.ID != c.ID || s.Title != c.Title || s.Description != c.Description || s.Jurisdiction != c.Jurisdiction ||
			!reflect.DeepEqual(s.CPV, c.CPV) || s.Hub != c.Hub || s.Phase != procurement.PhaseDraft {
			t.Fatalf("state %+v from %+v", s, c)
		}
	})
}
