package procurement_test

import (
	"testing"
	"time"

	"github.com/felles/felles/domain/costshare"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

// pop is a member's population as SSB counted it on 1 January 2025.
func pop(org string, n int64) procurement.PopulationFigure {
	return procurement.PopulationFigure{Org: org, Population: n, Source: "SSB table 07459", RefDate: "2025-01-01"}
}

func shares(reason string, keyVersion int, at time.Time, orgShares ...any) procurement.Event {
	var out []procurement.MemberShare
	for i := 0; i < len(orgShares); i += 2 {
		out = append(out, procurement.MemberShare{Org: orgShares[i].(string), BasisPoints: int64(orgShares[i+1].(int))})
	}
	return procurement.CostSharesCalculated{KeyVersion: keyVersion, EffectiveAt: at, Reason: reason, Shares: out}
}

var volumeKey = procurement.CostKey{Method: costshare.Volume}

// commitVolumeCmd is org's binding commitment of value NOK for lot L1.
func commitVolumeCmd(org, value string, at time.Time) procurement.CommitVolume {
	return procurement.CommitVolume{Lot: "L1", Type: procurement.CommitmentBinding, Quantity: "10", Unit: "licences",
		EstimatedValue: value, Currency: "NOK", BudgetYears: []int{2026}, By: by(org), At: at}
}

func committed(org string, minor int64) procurement.Event {
	return procurement.VolumeCommitted{Commitment: procurement.Commitment{Org: org, Lot: "L1", Type: procurement.CommitmentBinding,
		Quantity: "10", Unit: "licences", EstimatedValue: minor, Currency: "NOK", BudgetYears: []int{2026}}}
}

func TestSetCostSharingKey(t *testing.T) {
	t.Run("an_equal_key_splits_evenly", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement...).When(setKeyCmd(by(hub), equalKey)).
			Then(keySet(1, equalKey), shares(procurement.ReasonKeySet, 1, day(16), "bergen", 5000, "oslo", 5000))
	})
	t.Run("an_equal_key_gives_the_odd_hundredth_to_the_first_member", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement3...).When(setKeyCmd(by(hub), equalKey)).
			Then(keySet(1, equalKey), shares(procurement.ReasonKeySet, 1, day(16), "bergen", 3334, "oslo", 3333, "tromso", 3333))
	})
	t.Run("the_platform_sets_it_for_the_hub", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement...).When(setKeyCmd(platform, equalKey)).
			Then(keySet(1, equalKey), shares(procurement.ReasonKeySet, 1, day(16), "bergen", 5000, "oslo", 5000))
	})
	t.Run("a_population_key_shares_by_inhabitants_with_the_figures_in_member_order", func(t *testing.T) {
		key := procurement.CostKey{Method: costshare.Population, Populations: []procurement.PopulationFigure{
			pop("tromso", 400), pop("bergen", 100), pop("oslo", 200)}}
		stored := procurement.CostKey{Method: costshare.Population, Populations: []procurement.PopulationFigure{
			pop("bergen", 100), pop("oslo", 200), pop("tromso", 400)}}
		// 100/700, 200/700, 400/700 = 14.2857 %, 28.5714 %, 57.1428 %: the
		// missing hundredth goes to the largest remainder, bergen's.
		estest.For(t, procurement.Decider).Given(inAgreement3...).When(setKeyCmd(by(hub), key)).
			Then(keySet(1, stored), shares(procurement.ReasonKeySet, 1, day(16), "bergen", 1429, "oslo", 2857, "tromso", 5714))
	})
	t.Run("a_hybrid_key_adds_its_parts", func(t *testing.T) {
		key := procurement.CostKey{Method: costshare.Hybrid, Weights: procurement.KeyWeights{Equal: 5000, Population: 5000},
			Populations: []procurement.PopulationFigure{pop("bergen", 100), pop("oslo", 300), pop("tromso", 600)}}
		// 16.6667 % each plus 5 %, 15 %, 30 %: three equal remainders, the two
		// missing hundredths go to the larger shares.
		estest.For(t, procurement.Decider).Given(inAgreement3...).When(setKeyCmd(by(hub), key)).
			Then(keySet(1, key), shares(procurement.ReasonKeySet, 1, day(16), "bergen", 2166, "oslo", 3167, "tromso", 4667))
	})
	t.Run("options_count_only_for_a_key_with_a_volume_part", func(t *testing.T) {
		key := equalKey
		key.CountOptions = true
		estest.For(t, procurement.Decider).Given(inAgreement...).When(setKeyCmd(by(hub), key)).
			Then(keySet(1, equalKey), shares(procurement.ReasonKeySet, 1, day(16), "bergen", 5000, "oslo", 5000))
	})
	t.Run("a_volume_key_with_nothing_committed_is_set_without_shares", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement...).When(setKeyCmd(by(hub), volumeKey)).
			Then(keySet(1, volumeKey))
	})
	t.Run("a_hybrid_key_with_a_volume_part_waits_for_volumes_too", func(t *testing.T) {
		key := procurement.CostKey{Method: costshare.Hybrid, Weights: procurement.KeyWeights{Equal: 2000, Volume: 8000}, CountOptions: true}
		estest.For(t, procurement.Decider).Given(inAgreement...).When(setKeyCmd(by(hub), key)).Then(keySet(1, key))
	})
	t.Run("the_same_key_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(given(inAgreement), keySet(1, equalKey))...).
			When(setKeyCmd(by(hub), equalKey)).ThenNothing()
	})
	t.Run("the_same_figures_in_another_order_are_the_same_key", func(t *testing.T) {
		stored := procurement.CostKey{Method: costshare.Population, Populations: []procurement.PopulationFigure{pop("bergen", 100), pop("oslo", 200)}}
		again := procurement.CostKey{Method: costshare.Population, Populations: []procurement.PopulationFigure{pop("oslo", 200), pop("bergen", 100)}}
		estest.For(t, procurement.Decider).Given(append(given(inAgreement), keySet(1, stored))...).
			When(setKeyCmd(by(hub), again)).ThenNothing()
	})
	t.Run("a_new_key_is_a_new_version_with_new_shares", func(t *testing.T) {
		key := procurement.CostKey{Method: costshare.Population, Populations: []procurement.PopulationFigure{pop("bergen", 1), pop("oslo", 3)}}
		estest.For(t, procurement.Decider).
			Given(append(given(inAgreement), keySet(1, equalKey), shares(procurement.ReasonKeySet, 1, day(15), "bergen", 5000, "oslo", 5000))...).
			When(setKeyCmd(by(hub), key)).
			Then(keySet(2, key), shares(procurement.ReasonKeySet, 2, day(16), "bergen", 2500, "oslo", 7500))
	})
	t.Run("the_key_can_change_in_the_needs_phase", func(t *testing.T) {
		key := procurement.CostKey{Method: costshare.Population, Populations: []procurement.PopulationFigure{pop("bergen", 1), pop("oslo", 3)}}
		estest.For(t, procurement.Decider).Given(concludedAgreement(equalKey)...).When(setKeyCmd(by(hub), key)).
			Then(keySet(2, key), shares(procurement.ReasonKeySet, 2, day(16), "bergen", 2500, "oslo", 7500))
	})
	t.Run("a_member_cannot_set_it", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement...).When(setKeyCmd(by("bergen"), equalKey)).ThenError(procurement.ErrHubOnly)
	})
	t.Run("the_lead_cannot_set_it", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(append(given(inAgreement), leadConsent("bergen", "oslo"), leadConsent("oslo", "oslo"), leadDesignated("oslo", "bergen", "oslo"))...).
			When(setKeyCmd(by("oslo"), equalKey)).ThenError(procurement.ErrHubOnly)
	})
	for _, stranger := range []string{otherHub, "tromso", "acme"} {
		t.Run("a_stranger_is_told_there_is_no_such_case_"+stranger, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(inAgreement...).When(setKeyCmd(by(stranger), equalKey)).ThenError(procurement.ErrNotFound)
		})
	}
	t.Run("not_before_recruitment_closed", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(created(), invited("bergen"), invited("oslo"), procurement.RecruitmentOpened{}, joined("bergen"), joined("oslo")).
			When(setKeyCmd(by(hub), equalKey)).ThenError(procurement.ErrCostKeyBeforeRecruitmentClosed)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(given(inAgreement), cancelled())...).
			When(setKeyCmd(by(hub), equalKey)).ThenError(procurement.ErrCancelled)
	})
	both := []procurement.PopulationFigure{pop("bergen", 100), pop("oslo", 200)}
	with := func(figures ...procurement.PopulationFigure) procurement.CostKey {
		return procurement.CostKey{Method: costshare.Population, Populations: figures}
	}
	for name, c := range map[string]struct {
		key  procurement.CostKey
		want error
	}{
		"hybrid_weights_that_do_not_sum_to_one": {procurement.CostKey{Method: costshare.Hybrid,
			Weights: procurement.KeyWeights{Equal: 5000, Population: 4000}, Populations: both}, costshare.ErrWeightsNotOne},
		"a_negative_weight": {procurement.CostKey{Method: costshare.Hybrid, Weights: procurement.KeyWeights{Equal: 11000, Volume: -1000}},
			costshare.ErrWeightOutOfRange},
		"weights_on_an_equal_key":                    {procurement.CostKey{Method: costshare.Equal, Weights: procurement.KeyWeights{Equal: 10000}}, costshare.ErrWeightsNotForMethod},
		"an_unknown_method":                          {procurement.CostKey{Method: "AREA"}, costshare.ErrUnknownMethod},
		"populations_on_an_equal_key":                {procurement.CostKey{Method: costshare.Equal, Populations: both}, procurement.ErrPopulationsNotForKey},
		"populations_on_a_hybrid_without_population": {procurement.CostKey{Method: costshare.Hybrid, Weights: procurement.KeyWeights{Equal: 5000, Volume: 5000}, Populations: both}, procurement.ErrPopulationsNotForKey},
		"a_member_without_a_population":              {with(pop("bergen", 100)), procurement.ErrPopulationMissing},
		"no_populations_at_all":                      {with(), procurement.ErrPopulationMissing},
		"a_population_for_an_organisation_never_invited": {with(pop("bergen", 100), pop("oslo", 200), pop("tromso", 300)),
			procurement.ErrPopulationNotMember},
		"a_population_for_the_hub":         {with(pop("bergen", 100), pop("oslo", 200), pop(hub, 1)), procurement.ErrPopulationNotMember},
		"a_member_twice":                   {with(pop("bergen", 100), pop("oslo", 200), pop("oslo", 200)), costshare.ErrDuplicateMember},
		"a_zero_population":                {with(pop("bergen", 0), pop("oslo", 200)), costshare.ErrPopulationNotPositive},
		"a_population_without_a_source":    {with(procurement.PopulationFigure{Org: "bergen", Population: 1, Source: " ", RefDate: "2025-01-01"}, pop("oslo", 2)), costshare.ErrPopulationSourceRequired},
		"a_population_without_a_date":      {with(procurement.PopulationFigure{Org: "bergen", Population: 1, Source: "SSB", RefDate: "1.1.2025"}, pop("oslo", 2)), costshare.ErrPopulationDateRequired},
		"a_population_dated_after_today":   {with(procurement.PopulationFigure{Org: "bergen", Population: 1, Source: "SSB", RefDate: "2025-12-31"}, pop("oslo", 2)), procurement.ErrPopulationDateInFuture},
		"a_source_of_over_200_characters":  {with(procurement.PopulationFigure{Org: "bergen", Population: 1, Source: runes(201), RefDate: "2025-01-01"}, pop("oslo", 2)), costshare.ErrPopulationSourceRequired},
		"a_hybrid_missing_a_population":    {procurement.CostKey{Method: costshare.Hybrid, Weights: procurement.KeyWeights{Equal: 5000, Population: 5000}, Populations: both[:1]}, procurement.ErrPopulationMissing},
		"a_population_for_an_unknown_name": {with(pop("bergen", 100), pop("oslo", 200), pop("atlantis", 1)), procurement.ErrPopulationNotMember},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(inAgreement...).When(setKeyCmd(by(hub), c.key)).ThenError(c.want)
		})
	}
	t.Run("refused_a_population_for_a_member_that_withdrew", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(append(given(inAgreement3), withdrew("tromso"))...).
			When(setKeyCmd(by(hub), with(pop("bergen", 100), pop("oslo", 200), pop("tromso", 300)))).
			ThenError(procurement.ErrPopulationNotMember)
	})
}

func TestCostSharesFollowTheVolumes(t *testing.T) {
	needs := concludedAgreement(volumeKey)
	t.Run("the_first_committed_value_calculates_the_shares_of_a_volume_key", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(needs...).When(commitVolumeCmd("bergen", "1000", day(30))).
			Then(committed("bergen", 100000), shares(procurement.ReasonVolumesChanged, 1, day(30), "bergen", 10000, "oslo", 0))
	})
	withBergen := append(given(needs), committed("bergen", 100000), shares(procurement.ReasonVolumesChanged, 1, day(30), "bergen", 10000, "oslo", 0))
	t.Run("another_commitment_recalculates_them", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBergen...).When(commitVolumeCmd("oslo", "3000", day(31))).
			Then(committed("oslo", 300000), shares(procurement.ReasonVolumesChanged, 1, day(31), "bergen", 2500, "oslo", 7500))
	})
	t.Run("a_changed_commitment_recalculates_them", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(append(withBergen, committed("oslo", 300000), shares(procurement.ReasonVolumesChanged, 1, day(31), "bergen", 2500, "oslo", 7500))...).
			When(commitVolumeCmd("bergen", "3000", day(32))).
			Then(procurement.VolumeCommitmentChanged{Commitment: procurement.Commitment{Org: "bergen", Lot: "L1", Type: procurement.CommitmentBinding,
				Quantity: "10", Unit: "licences", EstimatedValue: 300000, Currency: "NOK", BudgetYears: []int{2026}},
				PreviousQuantity: "10", PreviousValue: 100000},
				shares(procurement.ReasonVolumesChanged, 1, day(32), "bergen", 5000, "oslo", 5000))
	})
	t.Run("a_commitment_that_leaves_the_shares_as_they_are_calculates_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(withBergen...).When(func() procurement.CommitVolume {
			c := commitVolumeCmd("bergen", "1000", day(31))
			c.Lot = "L2"
			return c
		}()).Then(procurement.VolumeCommitted{Commitment: procurement.Commitment{Org: "bergen", Lot: "L2", Type: procurement.CommitmentBinding,
			Quantity: "10", Unit: "licences", EstimatedValue: 100000, Currency: "NOK", BudgetYears: []int{2026}}})
	})
	t.Run("an_equal_key_does_not_change_with_volumes", func(t *testing.T) {
		estest.For(t, procurement.Decider).
			Given(concludedAgreement(equalKey)...).
			When(commitVolumeCmd("bergen", "1000", day(30))).Then(committed("bergen", 100000))
	})
	t.Run("an_option_counts_only_when_the_key_says_so", func(t *testing.T) {
		option := commitVolumeCmd("bergen", "1000", day(30))
		option.Type = procurement.CommitmentOption
		optionEvent := procurement.VolumeCommitted{Commitment: procurement.Commitment{Org: "bergen", Lot: "L1", Type: procurement.CommitmentOption,
			Quantity: "10", Unit: "licences", EstimatedValue: 100000, Currency: "NOK", BudgetYears: []int{2026}}}
		estest.For(t, procurement.Decider).Given(needs...).When(option).Then(optionEvent)
		withOptions := procurement.CostKey{Method: costshare.Volume, CountOptions: true}
		estest.For(t, procurement.Decider).Given(concludedAgreement(withOptions)...).When(option).
			Then(optionEvent, shares(procurement.ReasonVolumesChanged, 1, day(30), "bergen", 10000, "oslo", 0))
	})
}

func TestCostSharesAfterAWithdrawal(t *testing.T) {
	keyed := append(given(inAgreement3), keySet(1, equalKey),
		shares(procurement.ReasonKeySet, 1, day(16), "bergen", 3334, "oslo", 3333, "tromso", 3333))
	leave := procurement.WithdrawMunicipality{Reason: "the council cut the budget", By: by("tromso"), At: day(20)}
	t.Run("the_remaining_members_share_from_the_moment_of_the_withdrawal", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(keyed...).When(leave).
			Then(withdrew("tromso"), shares(procurement.ReasonMemberWithdrew, 1, day(20), "bergen", 5000, "oslo", 5000))
	})
	t.Run("the_shares_before_the_withdrawal_stay_on_record", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(keyed...).When(leave).
			ThenState(func(t testing.TB, s procurement.State) {
				if got, ok := s.SharesAsOf(day(16).Add(-time.Second)); ok {
					t.Fatalf("shares before the key was set: %+v", got)
				}
				before, ok := s.SharesAsOf(day(20).Add(-time.Nanosecond))
				if !ok || before.Reason != procurement.ReasonKeySet || len(before.Shares) != 3 || before.Shares[2] != (procurement.MemberShare{Org: "tromso", BasisPoints: 3333}) {
					t.Fatalf("shares just before the withdrawal: %+v", before)
				}
				for _, at := range []time.Time{day(20), day(90)} {
					after, ok := s.SharesAsOf(at)
					if !ok || after.Reason != procurement.ReasonMemberWithdrew || after.EffectiveAt != day(20) ||
						len(after.Shares) != 2 || after.Shares[0].BasisPoints+after.Shares[1].BasisPoints != 10000 {
						t.Fatalf("shares at %v: %+v", at, after)
					}
				}
			})
	})
	t.Run("a_population_key_keeps_the_figures_of_the_remaining_members", func(t *testing.T) {
		key := procurement.CostKey{Method: costshare.Population, Populations: []procurement.PopulationFigure{pop("bergen", 100), pop("oslo", 200), pop("tromso", 700)}}
		estest.For(t, procurement.Decider).
			Given(append(given(inAgreement3), keySet(1, key), shares(procurement.ReasonKeySet, 1, day(16), "bergen", 1000, "oslo", 2000, "tromso", 7000))...).
			When(leave).
			Then(withdrew("tromso"), shares(procurement.ReasonMemberWithdrew, 1, day(20), "bergen", 3333, "oslo", 6667))
	})
	t.Run("without_a_key_a_withdrawal_calculates_nothing", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(inAgreement3...).When(leave).Then(withdrew("tromso"))
	})
}
