package procurement_test

import (
	"reflect"
	"sort"
	"testing"

	"github.com/felles/felles/domain/procurement"
)

// oneOfEach holds one fully populated example of every procurement event.
func oneOfEach() []procurement.Event {
	return []procurement.Event{
		created(),
		invited("bergen"),
		joined("bergen"),
		declined("oslo"),
		procurement.InvitationDeclined{Org: "tromso"},
		withdrew("bergen"),
		cancelled(),
		procurement.RecruitmentOpened{},
		procurement.MandateGranted{MandateID: "m-1", From: "bergen", To: "oslo", Scope: []procurement.Scope{"prepare", "publish"}, ValidUntil: "2026-12-31"},
		procurement.MandateRevoked{MandateID: "m-1", From: "bergen", Reason: "new lead"},
		procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}},
		procurement.AnchoringDecisionRecorded{Org: "bergen", Anchoring: procurement.Anchoring{
			DecidingBody: "bystyret", DecisionDate: "2025-03-04", CaseRef: "25/1234"}},
		agreementDrafted(hashV1),
		agreementAmended(2, hashV2),
		agreementSigned("bergen", 2, hashV2),
		leadConsent("bergen", "oslo"),
		leadDesignated("oslo", "bergen", "oslo"),
		keySet(1, procurement.CostKey{Method: "HYBRID", Weights: procurement.KeyWeights{Equal: 2000, Population: 5000, Volume: 3000},
			CountOptions: true, Populations: []procurement.PopulationFigure{pop("bergen", 291940), pop("oslo", 717710)}}),
		procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: day(16), Reason: procurement.ReasonKeySet,
			Shares: []procurement.MemberShare{{Org: "bergen", BasisPoints: 2929}, {Org: "oslo", BasisPoints: 7071}}},
		concluded("lead-bergen"),
		procurement.NeedsDraftSaved{Org: "bergen", DraftVersion: 2, Needs: []procurement.Need{exampleNeed}, Notes: "ask the road office"},
		procurement.NeedsSubmitted{Org: "bergen", Version: 1, Needs: []procurement.Need{exampleNeed}, AdoptCommonNeed: true},
		procurement.NeedsConsolidated{Version: 1, Sources: []procurement.SubmissionRef{{Org: "bergen", Version: 1}, {Org: "oslo", Version: 2}},
			CommonNeeds: []procurement.CommonNeed{{ID: "c1", Statement: "Warn drivers of avalanches", Sources: []procurement.NeedRef{{Org: "bergen", NeedID: "n1"}}}},
			Divergences: []procurement.Divergence{{Topic: "coverage", Description: "oslo has no exposed roads", Orgs: []string{"oslo"}}}},
		procurement.ConsolidatedNeedsApproved{Org: "bergen", Version: 1, Comment: "fine"},
		procurement.ConsolidatedNeedsRejected{Org: "oslo", Version: 1, Comment: "too broad"},
		procurement.ConsolidatedNeedsDecided{Version: 1, Outcome: procurement.NeedsRejected, Rule: procurement.RuleUnanimous,
			Approvals: []string{"bergen"}, Rejections: []string{"oslo"}},
		committed("bergen", 100000),
		procurement.VolumeCommitmentChanged{Commitment: procurement.Commitment{Org: "bergen", Lot: "L1", Type: procurement.CommitmentOption,
			Quantity: "2.5", Unit: "licences", EstimatedValue: 250050, Currency: "NOK", BudgetYears: []int{2026, 2027}},
			PreviousQuantity: "10", PreviousValue: 100000},
	}
}

// exampleNeed is a complete need statement.
var exampleNeed = procurement.Need{ID: "n1", Statement: "Know when a road is exposed to avalanches", UserGroup: "road operators",
	CurrentSolution: "manual inspection", SuccessCriteria: "warnings 30 minutes ahead"}

func TestEvents(t *testing.T) {
	t.Run("every_event_type_is_registered_once", func(t *testing.T) {
		var names []string
		seen := map[string]bool{}
		for _, ev := range oneOfEach() {
			if !seen[ev.EventType()] {
				seen[ev.EventType()] = true
				names = append(names, ev.EventType())
			}
		}
		sort.Strings(names)
		if got := procurement.Events().Names(); !reflect.DeepEqual(got, names) {
			t.Fatalf("registered %v, examples cover %v", got, names)
		}
	})

	t.Run("every_event_round_trips_through_the_registry_unchanged", func(t *testing.T) {
		reg := procurement.Events()
		for _, ev := range oneOfEach() {
			name, version, data, err := reg.Encode(ev)
			if err != nil {
				t.Fatalf("encode %T: %v", ev, err)
			}
			if name != ev.EventType() || version != 1 {
				t.Fatalf("%T encoded as %s v%d", ev, name, version)
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

	t.Run("a_stream_folds_the_same_after_storage", func(t *testing.T) {
		reg := procurement.Events()
		history := []procurement.Event{created(), invited("bergen"), joined("bergen"), invited("oslo"), declined("oslo"), cancelled()}
		var stored []procurement.Event
		for _, ev := range history {
			name, v, data, err := reg.Encode(ev)
			if err != nil {
				t.Fatal(err)
			}
			back, _, err := reg.Decode(name, v, data)
			if err != nil {
				t.Fatal(err)
			}
			stored = append(stored, back)
		}
		if a, b := procurement.Decider.Fold(history), procurement.Decider.Fold(stored); !reflect.DeepEqual(a, b) {
			t.Fatalf("fold differs\n got: %+v\nwant: %+v", b, a)
		}
	})

	t.Run("an_unknown_event_type_is_skipped_not_failed", func(t *testing.T) {
		for _, name := range []string{"BidSubmitted", "caseCreated", ""} {
			ev, ok, err := procurement.Events().Decode(name, 1, []byte(`{"org":"bergen"}`))
			if ok || err != nil || ev != nil {
				t.Fatalf("%q: ok=%v err=%v ev=%v", name, ok, err, ev)
			}
		}
	})

	t.Run("an_event_from_a_newer_build_is_refused", func(t *testing.T) {
		_, ok, err := procurement.Events().Decode("MunicipalityJoined", 2, []byte(`{"org":"bergen"}`))
		if !ok || err == nil {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
	})

	t.Run("a_case_lives_in_its_own_stream", func(t *testing.T) {
		if got := procurement.StreamID(caseID); got != "procurement-"+caseID {
			t.Fatalf("stream %q", got)
		}
	})
}
