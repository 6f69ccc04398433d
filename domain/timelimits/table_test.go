package timelimits_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/felles/felles/domain/timelimits"
)

// TestDefaultTableHoldsDomainValues reads DOMAIN.md §4.1 line by line against
// the embedded table, in every jurisdiction.
func TestDefaultTableHoldsDomainValues(t *testing.T) {
	type want struct {
		days       int // -1: no fixed number
		sources    []string
		unverified bool
		roll       bool
	}
	eu := func(j timelimits.Jurisdiction) map[string]want {
		ip := []string{"EU-31"}
		if j == timelimits.SE {
			ip = []string{"EU-31", "SE-IP"}
		}
		return map[string]want{
			"OPEN/TENDER_RECEIPT":                                {35, []string{"EU-27"}, false, false},
			"OPEN/TENDER_RECEIPT+E_SUBMISSION":                   {30, []string{"EU-27"}, false, false},
			"OPEN/TENDER_RECEIPT+QUALIFYING_PIN":                 {15, []string{"EU-27"}, false, false},
			"OPEN/TENDER_RECEIPT+URGENCY":                        {15, []string{"EU-27"}, false, false},
			"RESTRICTED/REQUEST_RECEIPT":                         {30, []string{"EU-28"}, false, false},
			"RESTRICTED/TENDERS_AFTER_INVITATION":                {30, []string{"EU-28"}, false, false},
			"RESTRICTED/TENDERS_AFTER_INVITATION+QUALIFYING_PIN": {10, []string{"EU-28"}, false, false},
			"COMPETITIVE_NEGOTIATION/REQUEST_RECEIPT":            {30, []string{"Art 29"}, true, false},
			"COMPETITIVE_NEGOTIATION/TENDERS_AFTER_INVITATION":   {30, []string{"Art 29"}, true, false},
			"COMPETITIVE_DIALOGUE/REQUEST_RECEIPT":               {30, []string{"EU-30"}, false, false},
			"COMPETITIVE_DIALOGUE/TENDERS_AFTER_INVITATION":      {-1, []string{"EU-30"}, true, false},
			"INNOVATION_PARTNERSHIP/REQUEST_RECEIPT":             {30, ip, false, false},
			"INNOVATION_PARTNERSHIP/TENDERS_AFTER_INVITATION":    {-1, []string{"EU-31"}, true, false},
			"DPS/REQUEST_RECEIPT":                                {-1, []string{"DOMAIN.md §4.1"}, true, false},
			"DPS/TENDERS_AFTER_INVITATION":                       {-1, []string{"DOMAIN.md §4.1"}, true, false},
			"OPEN/ADDITIONAL_INFO_BEFORE_DEADLINE":               {6, []string{"Art 47(3)/53(2)"}, true, false},
			"OPEN/ADDITIONAL_INFO_BEFORE_DEADLINE+URGENCY":       {4, []string{"Art 47(3)/53(2)"}, true, false},
			"RESTRICTED/LATE_CHANGE_EXTENSION":                   {7, []string{"PZ-TUT"}, false, false},
			"OPEN/AWARD_NOTICE_PUBLICATION":                      {30, []string{"Art 50", "REM"}, true, false},
		}
	}
	cases := map[timelimits.Jurisdiction]map[string]want{}
	for _, j := range timelimits.Jurisdictions() {
		cases[j] = eu(j)
	}
	cases[timelimits.NO]["OPEN/STANDSTILL"] = want{10, []string{"NO-KAR", "REM"}, true, true}
	cases[timelimits.SE]["OPEN/STANDSTILL"] = want{15, []string{"REM", "SE-AVS"}, false, true}
	cases[timelimits.SE]["OPEN/STANDSTILL+ELECTRONIC_NOTICE"] = want{10, []string{"REM", "SE-AVS"}, false, true}
	cases[timelimits.FI]["OPEN/STANDSTILL"] = want{14, []string{"HankL 1397/2016 §129", "FI-NOT", "REM"}, true, true}
	cases[timelimits.FI]["OPEN/STANDSTILL+ELECTRONIC_NOTICE"] = want{14, []string{"HankL 1397/2016 §129", "FI-NOT", "REM"}, true, true}

	for _, j := range timelimits.Jurisdictions() {
		for key, w := range cases[j] {
			t.Run(string(j)+"/"+key, func(t *testing.T) {
				pk, cond, _ := strings.Cut(key, "+")
				p, k, _ := strings.Cut(pk, "/")
				var conds []timelimits.Condition
				if cond != "" {
					conds = append(conds, timelimits.Condition(cond))
				}
				r := rule(t, j, timelimits.EUAbove, timelimits.Procedure(p), timelimits.Kind(k), conds...)
				days := r.Days
				if !r.HasLimit {
					days = -1
				}
				if days != w.days || r.Unverified != w.unverified || r.RollForward != w.roll || !slices.Equal(r.Sources, w.sources) {
					t.Fatalf("got days %d unverified %v roll %v sources %v, want %+v", days, r.Unverified, r.RollForward, r.Sources, w)
				}
				if !r.HasLimit && r.Note == "" {
					t.Fatal("a rule without a minimum must say why")
				}
			})
		}
	}

	t.Run("NO_part_II_has_no_fixed_minimum", func(t *testing.T) {
		for _, k := range []timelimits.Kind{timelimits.TenderReceipt, timelimits.RequestReceipt, timelimits.TendersAfterInvitation} {
			r := rule(t, timelimits.NO, timelimits.National, timelimits.CompetitiveNegotiation, k)
			if r.HasLimit || r.Unverified || !slices.Equal(r.Sources, []string{"NO-VEI"}) || !strings.Contains(r.Note, "adequate") {
				t.Fatalf("%s: %+v", k, r)
			}
		}
	})
	t.Run("every_jurisdiction_and_regime_has_every_kind", func(t *testing.T) {
		kinds := []timelimits.Kind{timelimits.TenderReceipt, timelimits.RequestReceipt, timelimits.TendersAfterInvitation,
			timelimits.AdditionalInfoBeforeDeadline, timelimits.LateChangeExtension, timelimits.Standstill, timelimits.AwardNoticePublication}
		for _, j := range timelimits.Jurisdictions() {
			for _, reg := range []timelimits.Regime{timelimits.EUAbove, timelimits.National} {
				for _, k := range kinds {
					p := timelimits.Restricted
					if k == timelimits.TenderReceipt {
						p = timelimits.Open
					}
					if _, err := table(t).Rule(j, reg, p, k); err != nil {
						t.Errorf("%s %s %s %s: %v", j, reg, p, k, err)
					}
				}
			}
		}
	})
	t.Run("late_change_extension_is_an_optional_policy", func(t *testing.T) {
		if r := rule(t, timelimits.FI, timelimits.National, timelimits.Open, timelimits.LateChangeExtension); !r.Optional || r.Days != 7 {
			t.Fatalf("%+v", r)
		}
	})
}

func TestRuleLookup(t *testing.T) {
	tbl := table(t)
	t.Run("an_open_procedure_has_no_requests_to_participate", func(t *testing.T) {
		_, err := tbl.Rule(timelimits.SE, timelimits.EUAbove, timelimits.Open, timelimits.RequestReceipt)
		if !errors.Is(err, timelimits.ErrNoRule) || !strings.Contains(err.Error(), "receipt of requests to participate period for the open procedure") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("falls_back_to_the_rule_for_any_procedure", func(t *testing.T) {
		r, err := tbl.Rule(timelimits.SE, timelimits.EUAbove, timelimits.DPS, timelimits.Standstill)
		if err != nil || r.Key != "SE/EU_ABOVE/ANY/STANDSTILL" {
			t.Fatalf("got %+v, %v", r.Key, err)
		}
	})
	t.Run("refuses_an_unknown_jurisdiction", func(t *testing.T) {
		if _, err := tbl.Rule("DK", timelimits.EUAbove, timelimits.Open, timelimits.TenderReceipt); !errors.Is(err, timelimits.ErrUnknownJurisdiction) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("refuses_an_unknown_procedure_or_kind", func(t *testing.T) {
		if _, err := tbl.Rule(timelimits.NO, timelimits.EUAbove, "NEGOTIATED_WITHOUT_NOTICE", timelimits.TenderReceipt); !errors.Is(err, timelimits.ErrNoRule) {
			t.Fatalf("got %v", err)
		}
		if _, err := tbl.Rule(timelimits.NO, timelimits.EUAbove, timelimits.Open, "QUESTIONS"); !errors.Is(err, timelimits.ErrNoRule) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a_rule_handed_out_cannot_change_the_table", func(t *testing.T) {
		r, _ := tbl.Rule(timelimits.NO, timelimits.EUAbove, timelimits.Open, timelimits.TenderReceipt)
		r.Reductions[0].To = 1
		r.Sources[0] = "changed"
		again, _ := tbl.Rule(timelimits.NO, timelimits.EUAbove, timelimits.Open, timelimits.TenderReceipt)
		if again.Sources[0] != "EU-27" || again.With(timelimits.ESubmission).Days != 30 {
			t.Fatalf("the table changed: %+v", again)
		}
	})
	t.Run("lists_every_rule_in_order", func(t *testing.T) {
		rules := tbl.Rules()
		if len(rules) < 40 || rules[0].Key != "NO/EU_ABOVE/OPEN/TENDER_RECEIPT" || rules[len(rules)-1].Key != "FI/NATIONAL/ANY/AWARD_NOTICE_PUBLICATION" {
			t.Fatalf("%d rules from %s to %s", len(rules), rules[0].Key, rules[len(rules)-1].Key)
		}
	})
}

func TestLoad(t *testing.T) {
	// tableWith wraps rule lines in a one-table file.
	tableWith := func(rules ...string) string {
		return fmt.Sprintf(`{"version": "test", "tables": [{"jurisdiction": "SE", "regime": "EU_ABOVE", "name": "EU", "rules": [%s]}]}`,
			strings.Join(rules, ","))
	}
	const open35 = `{"procedure": "OPEN", "kind": "TENDER_RECEIPT", "days": 35, "sources": ["EU-27"]}`

	t.Run("an_operator_replaces_a_value_without_a_release", func(t *testing.T) {
		tbl, err := timelimits.Load(strings.NewReader(tableWith(
			`{"procedure": "OPEN", "kind": "TENDER_RECEIPT", "days": 40, "sources": ["EU-27"], "reductions": [{"condition": "E_SUBMISSION", "minus": 5, "sources": ["EU-27"]}]}`)))
		if err != nil {
			t.Fatal(err)
		}
		r, err := tbl.Rule(timelimits.SE, timelimits.EUAbove, timelimits.Open, timelimits.TenderReceipt)
		if err != nil || r.Days != 40 || r.With(timelimits.ESubmission).Days != 35 || r.Table != "test" {
			t.Fatalf("got %+v, %v", r, err)
		}
		if _, err := tbl.Rule(timelimits.NO, timelimits.EUAbove, timelimits.Open, timelimits.TenderReceipt); !errors.Is(err, timelimits.ErrNoRule) {
			t.Fatalf("a rule not in the replacement: %v", err)
		}
	})

	for _, tc := range []struct {
		name, file, says string
	}{
		{"unknown_procedure", tableWith(`{"procedure": "NEGOTIATED", "kind": "TENDER_RECEIPT", "days": 35, "sources": ["X"]}`), `unknown procedure "NEGOTIATED"`},
		{"unknown_kind", tableWith(`{"procedure": "OPEN", "kind": "TENDER", "days": 35, "sources": ["X"]}`), `unknown kind "TENDER"`},
		{"negative_days", tableWith(`{"procedure": "OPEN", "kind": "TENDER_RECEIPT", "days": -1, "sources": ["X"]}`), "days cannot be negative"},
		{"unknown_condition", tableWith(`{"procedure": "OPEN", "kind": "TENDER_RECEIPT", "days": 35, "sources": ["X"], "reductions": [{"condition": "FRIDAY", "to": 10, "sources": ["X"]}]}`), `unknown condition "FRIDAY"`},
		{"reduction_that_lengthens", tableWith(`{"procedure": "OPEN", "kind": "TENDER_RECEIPT", "days": 35, "sources": ["X"], "reductions": [{"condition": "URGENCY", "to": 40, "sources": ["X"]}]}`), "must shorten"},
		{"reduction_below_zero", tableWith(`{"procedure": "OPEN", "kind": "TENDER_RECEIPT", "days": 5, "sources": ["X"], "reductions": [{"condition": "E_SUBMISSION", "minus": 6, "sources": ["X"]}]}`), "must shorten"},
		{"reduction_both_ways", tableWith(`{"procedure": "OPEN", "kind": "TENDER_RECEIPT", "days": 35, "sources": ["X"], "reductions": [{"condition": "URGENCY", "to": 15, "minus": 5, "sources": ["X"]}]}`), "exactly one of minus or to"},
		{"reduction_without_source", tableWith(`{"procedure": "OPEN", "kind": "TENDER_RECEIPT", "days": 35, "sources": ["X"], "reductions": [{"condition": "URGENCY", "to": 15}]}`), "reduction URGENCY needs its source keys"},
		{"reduction_twice", tableWith(`{"procedure": "OPEN", "kind": "TENDER_RECEIPT", "days": 35, "sources": ["X"], "reductions": [{"condition": "URGENCY", "to": 15, "sources": ["X"]}, {"condition": "URGENCY", "to": 10, "sources": ["X"]}]}`), "listed twice"},
		{"reduction_without_days", tableWith(`{"procedure": "OPEN", "kind": "TENDER_RECEIPT", "sources": ["X"], "note": "adequate", "reductions": [{"condition": "URGENCY", "to": 15, "sources": ["X"]}]}`), "nothing to reduce"},
		{"no_source", tableWith(`{"procedure": "OPEN", "kind": "TENDER_RECEIPT", "days": 35}`), "source keys"},
		{"no_days_and_no_reason", tableWith(`{"procedure": "OPEN", "kind": "TENDER_RECEIPT", "sources": ["X"]}`), "must say why"},
		{"same_rule_twice", tableWith(open35, open35), "listed twice"},
		{"misspelt_field", tableWith(`{"procedure": "OPEN", "kind": "TENDER_RECEIPT", "day": 35, "sources": ["X"]}`), `unknown field "day"`},
		{"unknown_jurisdiction", `{"version": "t", "tables": [{"jurisdiction": "DK", "regime": "EU_ABOVE", "name": "EU", "rules": []}]}`, `unknown jurisdiction "DK"`},
		{"unknown_regime", `{"version": "t", "tables": [{"jurisdiction": "NO", "regime": "EEA", "name": "EEA", "rules": []}]}`, `unknown regime "EEA"`},
		{"no_name", `{"version": "t", "tables": [{"jurisdiction": "NO", "regime": "NATIONAL", "rules": []}]}`, "needs a name"},
		{"no_version", `{"tables": [{"jurisdiction": "NO", "regime": "NATIONAL", "name": "NO", "rules": []}]}`, "needs a version"},
		{"no_tables", `{"version": "t", "tables": []}`, "has no rules"},
		{"not_json", `days: 35`, "invalid character"},
		{"empty", ``, "EOF"},
		{"two_documents", tableWith(open35) + `{}`, "unexpected data"},
	} {
		t.Run("refuses_"+tc.name, func(t *testing.T) {
			tbl, err := timelimits.Load(strings.NewReader(tc.file))
			if tbl != nil || !errors.Is(err, timelimits.ErrInvalidTable) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("got %v, want an invalid table saying %q", err, tc.says)
			}
		})
	}

	t.Run("names_every_problem_at_once", func(t *testing.T) {
		_, err := timelimits.Load(strings.NewReader(tableWith(
			`{"procedure": "OPEN", "kind": "TENDER_RECEIPT", "days": -3, "sources": ["X"]}`,
			`{"procedure": "CHAT", "kind": "STANDSTILL", "days": 10, "sources": ["X"]}`)))
		if err == nil || !strings.Contains(err.Error(), "rule 1 (OPEN TENDER_RECEIPT): days cannot be negative") || !strings.Contains(err.Error(), `rule 2 (CHAT STANDSTILL): unknown procedure "CHAT"`) {
			t.Fatalf("got %v", err)
		}
	})
}
