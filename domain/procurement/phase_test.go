package procurement_test

import (
	"testing"

	"github.com/felles/felles/domain/procurement"
)

// No event moves a case beyond DRAFT yet, so the rules that depend on later
// phases (closed for participants, withdrawal after notice, terminal) are pinned
// down here on the Phase values the decider consults.

func TestPhase(t *testing.T) {
	t.Run("the_machine_lists_every_phase_once_starting_in_draft", func(t *testing.T) {
		if len(procurement.Phases) != 21 || procurement.Phases[0] != procurement.PhaseDraft {
			t.Fatalf("phases: %v", procurement.Phases)
		}
		seen := map[procurement.Phase]bool{}
		for _, p := range procurement.Phases {
			if seen[p] {
				t.Fatalf("%s listed twice", p)
			}
			seen[p] = true
		}
	})

	t.Run("municipalities_join_only_in_draft_or_recruiting", func(t *testing.T) {
		for _, p := range procurement.Phases {
			want := p == procurement.PhaseDraft || p == procurement.PhaseRecruiting
			if got := p.OpenForParticipants(); got != want {
				t.Errorf("%s: open for participants %v, want %v", p, got, want)
			}
		}
	})

	t.Run("recruitment_closes_when_the_agreement_phase_starts", func(t *testing.T) {
		for _, p := range []procurement.Phase{procurement.PhaseAgreement, procurement.PhaseNeeds, procurement.PhaseTendering} {
			if p.OpenForParticipants() {
				t.Errorf("%s must be closed for participants", p)
			}
		}
	})

	t.Run("members_leave_freely_until_the_contract_notice", func(t *testing.T) {
		free := map[procurement.Phase]bool{
			procurement.PhaseDraft: true, procurement.PhaseRecruiting: true, procurement.PhaseAgreement: true,
			procurement.PhaseNeeds: true, procurement.PhaseMarketDialogue: true, procurement.PhaseDesign: true,
			procurement.PhaseApproval: true,
		}
		for _, p := range procurement.Phases {
			if got := p.BeforeNotice(); got != free[p] {
				t.Errorf("%s: before notice %v, want %v", p, got, free[p])
			}
		}
	})

	t.Run("the_notice_is_out_once_tendering_starts", func(t *testing.T) {
		if procurement.PhaseTendering.BeforeNotice() {
			t.Fatal("withdrawal in TENDERING must need approval")
		}
	})

	t.Run("closed_cancelled_and_unsuccessful_cases_have_ended", func(t *testing.T) {
		for _, p := range procurement.Phases {
			want := p == procurement.PhaseClosed || p == procurement.PhaseCancelled || p == procurement.PhaseUnsuccessful
			if got := p.Terminal(); got != want {
				t.Errorf("%s: terminal %v, want %v", p, got, want)
			}
		}
	})

	t.Run("a_phase_open_for_participants_is_before_the_notice_and_not_terminal", func(t *testing.T) {
		for _, p := range procurement.Phases {
			if p.OpenForParticipants() && (!p.BeforeNotice() || p.Terminal()) {
				t.Errorf("%s is open for participants but after notice or ended", p)
			}
			if p.Terminal() && p.BeforeNotice() {
				t.Errorf("%s has ended yet lets members leave freely", p)
			}
		}
	})

	t.Run("an_unknown_phase_allows_nothing", func(t *testing.T) {
		p := procurement.Phase("LIMBO")
		if p.OpenForParticipants() || p.BeforeNotice() || p.Terminal() {
			t.Fatal("an unknown phase must not open any door")
		}
	})
}

func TestJurisdiction(t *testing.T) {
	t.Run("norway_sweden_and_finland_are_supported", func(t *testing.T) {
		for _, j := range []procurement.Jurisdiction{procurement.JurisdictionNO, procurement.JurisdictionSE, procurement.JurisdictionFI} {
			if !j.Valid() {
				t.Errorf("%s must be valid", j)
			}
		}
	})

	t.Run("other_codes_are_not", func(t *testing.T) {
		for _, j := range []procurement.Jurisdiction{"", "DK", "IS", "se", "EU"} {
			if j.Valid() {
				t.Errorf("%q must be invalid", j)
			}
		}
	})
}
