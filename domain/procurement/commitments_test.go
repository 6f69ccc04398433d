package procurement_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/felles/felles/domain/costshare"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

const (
	cmBinding    = procurement.CommitmentBinding
	cmIndicative = procurement.CommitmentIndicative
	cmOption     = procurement.CommitmentOption
)

func TestCommitVolume(t *testing.T) {
	t.Run("a_member_commits_a_volume_for_a_lot", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).
			When(cmCommit("bergen", cmBinding, "120", "1250000.50")).
			Then(cmCommitted("bergen", cmBinding, "120", 125000050))
	})
	t.Run("the_quantity_is_normalised_and_the_budget_years_sorted", func(t *testing.T) {
		c := cmCommit("bergen", cmOption, " 2.50 ", "10.5")
		c.Unit = " sensors "
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(c).
			Then(cmCommitted("bergen", cmOption, "2.5", 1050))
	})
	t.Run("the_same_commitment_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(ndInNeeds(), cmCommitted("bergen", cmBinding, "120", 100000))...).
			When(cmCommit("bergen", cmBinding, "120.000", "1000")).
			ThenNothing()
	})
	t.Run("a_changed_commitment_is_recorded_with_what_it_was", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(ndInNeeds(), cmCommitted("bergen", cmBinding, "120", 100000))...).
			When(cmCommit("bergen", cmBinding, "80", "800")).
			Then(procurement.VolumeCommitmentChanged{Commitment: cmCommitment("bergen", cmBinding, "80", 80000), PreviousQuantity: "120", PreviousValue: 100000})
	})
	t.Run("before_the_notice_a_binding_commitment_may_be_reduced_to_zero", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(ndInNeeds(), cmCommitted("bergen", cmBinding, "120", 100000))...).
			When(cmCommit("bergen", cmBinding, "0", "0")).
			Then(procurement.VolumeCommitmentChanged{Commitment: cmCommitment("bergen", cmBinding, "0", 0), PreviousQuantity: "120", PreviousValue: 100000})
	})
	t.Run("each_type_of_a_lot_is_its_own_commitment", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(ndInNeeds(), cmCommitted("bergen", cmBinding, "120", 100000))...).
			When(cmCommit("bergen", cmOption, "30", "250")).
			Then(cmCommitted("bergen", cmOption, "30", 25000))
	})
	t.Run("oslos_staff_committing_affects_only_oslo", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(ndInNeeds(), cmCommitted("bergen", cmBinding, "120", 100000))...).
			When(cmCommit("oslo", cmBinding, "5", "50")).
			Then(cmCommitted("oslo", cmBinding, "5", 5000))
	})
	t.Run("in_a_swedish_case_commitments_are_in_sek", func(t *testing.T) {
		h := cmIn(procurement.JurisdictionSE)
		c := cmCommit("bergen", cmBinding, "1", "1")
		c.Currency = "SEK"
		want := cmCommitment("bergen", cmBinding, "1", 100)
		want.Currency = "SEK"
		estest.For(t, procurement.Decider).Given(h...).When(c).Then(procurement.VolumeCommitted{Commitment: want})
	})
	t.Run("under_a_volume_key_a_commitment_recalculates_the_shares", func(t *testing.T) {
		var h []procurement.Event
		for _, e := range ndInNeeds() {
			switch e.(type) {
			case procurement.CostSharingKeySet:
				h = append(h, procurement.CostSharingKeySet{Version: 1, Key: procurement.CostKey{Method: costshare.Volume}})
			case procurement.CostSharesCalculated:
				// a volume key has no shares before the first commitment
			default:
				h = append(h, e)
			}
		}
		estest.For(t, procurement.Decider).Given(h...).
			When(cmCommit("bergen", cmBinding, "120", "1000")).
			Then(cmCommitted("bergen", cmBinding, "120", 100000),
				procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: day(24), Reason: procurement.ReasonVolumesChanged,
					Shares: []procurement.MemberShare{{Org: "bergen", BasisPoints: 10000}, {Org: "oslo", BasisPoints: 0}}})
	})

	t.Run("a_negative_volume", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(cmCommit("bergen", cmBinding, "-5", "100")).ThenError(procurement.ErrNegativeVolume)
	})
	t.Run("a_negative_value", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(cmCommit("bergen", cmBinding, "5", "-100")).ThenError(procurement.ErrNegativeValue)
	})
	t.Run("a_currency_other_than_the_jurisdictions", func(t *testing.T) {
		c := cmCommit("bergen", cmBinding, "5", "100")
		c.Currency = "SEK"
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(c).ThenError(procurement.ErrCurrencyMismatch)
	})
	t.Run("a_first_commitment_of_zero", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(cmCommit("bergen", cmBinding, "0.000", "100")).ThenError(procurement.ErrZeroCommitment)
	})
	for name, c := range map[string]struct {
		change func(*procurement.CommitVolume)
		want   error
	}{
		"a_quantity_with_four_decimals": {func(c *procurement.CommitVolume) { c.Quantity = "1.2345" }, procurement.ErrInvalidQuantity},
		"a_quantity_that_is_no_number":  {func(c *procurement.CommitVolume) { c.Quantity = "many" }, procurement.ErrInvalidQuantity},
		"no_quantity":                   {func(c *procurement.CommitVolume) { c.Quantity = "" }, procurement.ErrInvalidQuantity},
		"a_value_with_three_decimals":   {func(c *procurement.CommitVolume) { c.EstimatedValue = "1.234" }, procurement.ErrInvalidValue},
		"a_value_with_a_decimal_comma":  {func(c *procurement.CommitVolume) { c.EstimatedValue = "1,5" }, procurement.ErrInvalidValue},
		"no_lot":                        {func(c *procurement.CommitVolume) { c.Lot = "" }, procurement.ErrInvalidLot},
		"a_lot_with_spaces":             {func(c *procurement.CommitVolume) { c.Lot = "lot 1" }, procurement.ErrInvalidLot},
		"an_unknown_type":               {func(c *procurement.CommitVolume) { c.Type = "FIRM" }, procurement.ErrInvalidCommitmentType},
		"no_unit":                       {func(c *procurement.CommitVolume) { c.Unit = "  " }, procurement.ErrUnitRequired},
		"a_unit_too_long":               {func(c *procurement.CommitVolume) { c.Unit = runes(51) }, procurement.ErrUnitRequired},
		"a_lowercase_currency":          {func(c *procurement.CommitVolume) { c.Currency = "nok" }, procurement.ErrInvalidCurrency},
		"no_budget_year":                {func(c *procurement.CommitVolume) { c.BudgetYears = nil }, procurement.ErrInvalidBudgetYears},
		"a_budget_year_before_2000":     {func(c *procurement.CommitVolume) { c.BudgetYears = []int{1999, 2025} }, procurement.ErrInvalidBudgetYears},
		"a_budget_year_after_2100":      {func(c *procurement.CommitVolume) { c.BudgetYears = []int{2025, 2101} }, procurement.ErrInvalidBudgetYears},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			cmd := cmCommit("bergen", cmBinding, "5", "100")
			c.change(&cmd)
			estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(cmd).ThenError(c.want)
		})
	}
	t.Run("a_stranger_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(cmCommit("acme", cmBinding, "5", "100")).ThenError(procurement.ErrNotFound)
	})
	t.Run("the_hub_commits_no_volumes", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(cmCommit(hub, cmBinding, "5", "100")).ThenError(procurement.ErrNotMember)
	})
	t.Run("a_withdrawn_member_commits_no_volumes", func(t *testing.T) {
		h := ndThen(ndCase(procurement.RuleUnanimous, "oslo", "bergen", "tromso"), withdrew("tromso"))
		estest.For(t, procurement.Decider).Given(h...).When(cmCommit("tromso", cmBinding, "5", "100")).ThenError(procurement.ErrNotMember)
	})
	t.Run("not_before_the_needs_phase", func(t *testing.T) {
		h := []procurement.Event{created(), invited("oslo"), invited("bergen"), procurement.RecruitmentOpened{},
			joined("oslo"), joined("bergen"), procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}}}
		estest.For(t, procurement.Decider).Given(h...).When(cmCommit("oslo", cmBinding, "5", "100")).ThenError(procurement.ErrCommitmentBeforeNeeds)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(ndInNeeds(), cancelled())...).
			When(cmCommit("bergen", cmBinding, "5", "100")).ThenError(procurement.ErrCancelled)
	})
}

// No event moves a case past the needs phase yet (there is no contract notice
// to publish), so the rule on binding commitments after the notice is checked
// on a state whose phase is set by hand.
func TestBindingCommitmentsAfterTheNotice(t *testing.T) {
	afterNotice := func(t *testing.T, c procurement.CommitVolume) ([]procurement.Event, error) {
		t.Helper()
		s := procurement.Decider.Fold(ndThen(ndInNeeds(), cmCommitted("bergen", cmBinding, "120", 100000), cmCommitted("bergen", cmIndicative, "10", 5000)))
		s.Phase = procurement.PhaseTendering
		return procurement.Decider.Decide(s, c)
	}
	for name, c := range map[string]procurement.CommitVolume{
		"a_smaller_quantity": cmCommit("bergen", cmBinding, "119.999", "1000"),
		"a_smaller_value":    cmCommit("bergen", cmBinding, "120", "999.99"),
		"another_unit": func() procurement.CommitVolume {
			c := cmCommit("bergen", cmBinding, "120", "1000")
			c.Unit = "boxes"
			return c
		}(),
	} {
		t.Run("cannot_be_reduced_by_"+name, func(t *testing.T) {
			if evs, err := afterNotice(t, c); !errors.Is(err, procurement.ErrBindingReduction) || len(evs) != 0 {
				t.Fatalf("want ErrBindingReduction, got %v %v", evs, err)
			}
		})
	}
	t.Run("can_be_raised", func(t *testing.T) {
		evs, err := afterNotice(t, cmCommit("bergen", cmBinding, "150", "1200"))
		if err != nil || len(evs) != 1 {
			t.Fatalf("want one change, got %v %v", evs, err)
		}
		if _, ok := evs[0].(procurement.VolumeCommitmentChanged); !ok {
			t.Fatalf("want VolumeCommitmentChanged, got %#v", evs[0])
		}
	})
	t.Run("an_indicative_commitment_can_still_be_reduced", func(t *testing.T) {
		if _, err := afterNotice(t, cmCommit("bergen", cmIndicative, "1", "10")); err != nil {
			t.Fatalf("want the reduction accepted, got %v", err)
		}
	})
}

// cmIn is ndInNeeds in a case of jurisdiction j.
func cmIn(j procurement.Jurisdiction) []procurement.Event {
	h := ndInNeeds()
	c := h[0].(procurement.CaseCreated)
	c.Jurisdiction = j
	h[0] = c
	return h
}

func TestParseQuantity(t *testing.T) {
	for _, c := range []struct {
		in    string
		norm  string
		milli int64
	}{
		{"120", "120", 120000},
		{"2.5", "2.5", 2500},
		{"2.50", "2.5", 2500},
		{" 0.001 ", "0.001", 1},
		{"10.000", "10", 10000},
		{"0", "0", 0},
		{"999999999999999.999", "999999999999999.999", 999999999999999999},
	} {
		norm, milli, err := procurement.ParseQuantity(c.in)
		if err != nil || norm != c.norm || milli != c.milli {
			t.Errorf("ParseQuantity(%q) = %q %d %v, want %q %d", c.in, norm, milli, err, c.norm, c.milli)
		}
	}
	for in, want := range map[string]error{
		"-5": procurement.ErrNegativeVolume, "-0": procurement.ErrNegativeVolume, " -1.5": procurement.ErrNegativeVolume,
		"": procurement.ErrInvalidQuantity, "1.2345": procurement.ErrInvalidQuantity, "007": procurement.ErrInvalidQuantity,
		"1e3": procurement.ErrInvalidQuantity, "+5": procurement.ErrInvalidQuantity, "1.": procurement.ErrInvalidQuantity,
		".5": procurement.ErrInvalidQuantity, "1000000000000000": procurement.ErrInvalidQuantity,
	} {
		if _, _, err := procurement.ParseQuantity(in); !errors.Is(err, want) {
			t.Errorf("ParseQuantity(%q): %v, want %v", in, err, want)
		}
	}
}

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]int64{
		"1250000": 125000000, "1250000.50": 125000050, "1.5": 150, "0.01": 1, "0": 0, " 42 ": 4200,
		"99999999999.99": 9999999999999,
	} {
		if got, err := procurement.ParseMoney(in); err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d %v, want %d", in, got, err, want)
		}
	}
	for in, want := range map[string]error{
		"-1": procurement.ErrNegativeValue, "-0.01": procurement.ErrNegativeValue,
		"": procurement.ErrInvalidValue, "1.234": procurement.ErrInvalidValue, "1,5": procurement.ErrInvalidValue,
		"01": procurement.ErrInvalidValue, "NOK 5": procurement.ErrInvalidValue, "100000000000": procurement.ErrInvalidValue, "999999999999999.99": procurement.ErrInvalidValue,
	} {
		if _, err := procurement.ParseMoney(in); !errors.Is(err, want) {
			t.Errorf("ParseMoney(%q): %v, want %v", in, err, want)
		}
	}
}

func TestFormatMoney(t *testing.T) {
	for minor, want := range map[int64]string{
		0: "0.00", 5: "0.05", 150: "1.50", 125000050: "1250000.50", -5: "-0.05", -12345: "-123.45",
		math.MaxInt64: "92233720368547758.07",
	} {
		if got := procurement.FormatMoney(minor); got != want {
			t.Errorf("FormatMoney(%d) = %q, want %q", minor, got, want)
		}
	}
	t.Run("parses_back_to_the_same_amount", func(t *testing.T) {
		for _, minor := range []int64{0, 1, 99, 100, 101, 125000050, 9999999999999} {
			if got, err := procurement.ParseMoney(procurement.FormatMoney(minor)); err != nil || got != minor {
				t.Errorf("ParseMoney(FormatMoney(%d)) = %d %v", minor, got, err)
			}
		}
	})
}

func TestJointEstimatedValue(t *testing.T) {
	h := ndThen(ndCase(procurement.RuleUnanimous, "oslo", "bergen", "tromso"),
		cmCommitted("oslo", cmBinding, "100", 1000000),
		cmCommitted("bergen", cmBinding, "50", 500000),
		cmCommitted("bergen", cmIndicative, "10", 20000),
		cmCommitted("bergen", cmOption, "20", 300000),
		cmCommitted("tromso", cmBinding, "999", 9990000))

	t.Run("is_the_sum_over_the_joined_members_options_included", func(t *testing.T) {
		v := procurement.Decider.Fold(h).JointEstimatedValue()
		if v.Currency != "NOK" || v.Binding != 11490000 || v.Indicative != 20000 || v.Option != 300000 || v.Total() != 11810000 {
			t.Fatalf("joint value %+v (total %d)", v, v.Total())
		}
		if v.PerMember["oslo"] != 1000000 || v.PerMember["bergen"] != 820000 || v.PerMember["tromso"] != 9990000 {
			t.Fatalf("per member %v", v.PerMember)
		}
	})
	t.Run("a_withdrawn_members_commitments_no_longer_count", func(t *testing.T) {
		v := procurement.Decider.Fold(ndThen(h, withdrew("tromso"))).JointEstimatedValue()
		if v.Binding != 1500000 || v.Total() != 1820000 {
			t.Fatalf("joint value %+v (total %d)", v, v.Total())
		}
		if _, ok := v.PerMember["tromso"]; ok {
			t.Fatalf("tromso still counts: %v", v.PerMember)
		}
	})
	t.Run("a_changed_commitment_counts_with_its_new_value", func(t *testing.T) {
		changed := procurement.VolumeCommitmentChanged{Commitment: cmCommitment("oslo", cmBinding, "10", 100000), PreviousQuantity: "100", PreviousValue: 1000000}
		v := procurement.Decider.Fold(ndThen(h, changed)).JointEstimatedValue()
		if v.PerMember["oslo"] != 100000 || v.Total() != 10910000 {
			t.Fatalf("joint value %+v (total %d)", v, v.Total())
		}
	})
	t.Run("is_in_the_jurisdictions_currency", func(t *testing.T) {
		for j, want := range map[procurement.Jurisdiction]string{procurement.JurisdictionNO: "NOK", procurement.JurisdictionSE: "SEK", procurement.JurisdictionFI: "EUR"} {
			if got := procurement.Decider.Fold(cmIn(j)).JointEstimatedValue().Currency; got != want || procurement.CurrencyOf(j) != want {
				t.Errorf("%s counts in %s, want %s", j, got, want)
			}
		}
	})
	t.Run("stays_far_from_overflow_at_the_largest_commitments_allowed", func(t *testing.T) {
		// Through the decider: the largest value ParseMoney accepts, as many
		// commitments as a member may hold, for three members.
		s := procurement.Decider.Fold(ndInNeeds())
		for _, org := range []string{"oslo", "bergen", "tromso"} {
			if s.Members[org] != procurement.MemberJoined {
				continue
			}
			for i := 0; ; i++ {
				cmd := procurement.CommitVolume{Lot: fmt.Sprintf("L%d", i), Type: procurement.CommitmentBinding, Quantity: "1", Unit: "stk",
					EstimatedValue: "99999999999.99", Currency: "NOK", BudgetYears: []int{2027}, By: by(org), At: day(40)}
				evs, err := procurement.Decider.Decide(s, cmd)
				if errors.Is(err, procurement.ErrTooManyCommitments) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range evs {
					s = procurement.Decider.Evolve(s, e)
				}
			}
		}
		if v := s.JointEstimatedValue(); v.Total() <= 0 || v.Total() > math.MaxInt64/1000 {
			t.Fatalf("joint value %d must be positive and far from overflow", v.Total())
		}
	})
	t.Run("is_zero_before_any_commitment", func(t *testing.T) {
		if v := procurement.Decider.Fold(ndInNeeds()).JointEstimatedValue(); v.Total() != 0 || len(v.PerMember) != 0 {
			t.Fatalf("joint value %+v", v)
		}
	})
}
