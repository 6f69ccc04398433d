package casework_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
	"github.com/felles/felles/messaging"
	"github.com/felles/felles/projections"
	"github.com/felles/felles/projections/cases"
	"github.com/felles/felles/projections/casework"
)

var ctx = context.Background()

// world is a real embedded log and a real views database with the cases and
// casework read models behind one runner, as cmd/felles wires them.
type world struct {
	store  *sqlite.Store
	runner *projections.Runner
	recs   []eventstore.Record
	n      int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	dir := t.TempDir()
	store, err := sqlite.Open(filepath.Join(dir, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	views, err := projections.OpenViews(filepath.Join(dir, "views.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { views.Close() })
	r, err := projections.NewRunner(ctx, views, "views", "test-log", slog.New(slog.NewTextHandler(io.Discard, nil)),
		cases.ReadModel{}, casework.ReadModel{})
	if err != nil {
		t.Fatal(err)
	}
	return &world{store: store, runner: r}
}

var registry = procurement.Events()

// emit appends events to the case's stream as having occurred at `at` and
// hands them to the runner the way the live subscription does.
func (w *world) emit(t *testing.T, caseID string, at time.Time, evs ...procurement.Event) {
	t.Helper()
	for _, ev := range evs {
		name, version, data, err := registry.Encode(ev)
		if err != nil {
			t.Fatal(err)
		}
		w.n++
		if _, err := w.store.Append(ctx, procurement.StreamID(caseID), eventstore.Any, []eventstore.EventData{{
			ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", w.n), Type: name, SchemaVersion: version, Data: data,
			Metadata: eventstore.Metadata{User: "test", Org: "hub", OccurredAt: at},
		}}); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := w.store.ReadAll(ctx, w.runner.Position(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		if err := w.runner.Handle(messaging.ToMessage(rec)); err != nil {
			t.Fatal(err)
		}
	}
	w.recs = append(w.recs, recs...)
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

var (
	hashV1 = strings.Repeat("a1", 32)
	hashV2 = strings.Repeat("b2", 32)
)

func terms(hash string, approval procurement.DecisionRule) procurement.AgreementTerms {
	return procurement.AgreementTerms{
		DocumentHash: hash,
		DecisionRules: procurement.DecisionRules{Procedure: procurement.RuleMajority, Approval: approval,
			Award: procurement.RuleLeadDecides},
		SigningModel:    procurement.SigningLeadSignsAll,
		LiabilityTerms:  "Each member bears its share by the key.",
		WithdrawalTerms: "Withdraw before the notice; accrued costs stay.",
	}
}

func recruited(w *world, t *testing.T, caseID string, members ...string) {
	t.Helper()
	evs := []procurement.Event{procurement.CaseCreated{ID: caseID, Title: "Digitalt tilsyn", Jurisdiction: "NO", Hub: "hub"}}
	for _, m := range members {
		evs = append(evs, procurement.MunicipalityInvited{Org: m})
	}
	evs = append(evs, procurement.RecruitmentOpened{})
	for _, m := range members {
		evs = append(evs, procurement.MunicipalityJoined{Org: m})
	}
	evs = append(evs, procurement.RecruitmentClosed{Members: members})
	w.emit(t, caseID, day(0), evs...)
}

func shares(bp ...any) []procurement.MemberShare {
	var out []procurement.MemberShare
	for i := 0; i < len(bp); i += 2 {
		out = append(out, procurement.MemberShare{Org: bp[i].(string), BasisPoints: int64(bp[i+1].(int))})
	}
	return out
}

func needs(ids ...string) []procurement.Need {
	var out []procurement.Need
	for _, id := range ids {
		out = append(out, procurement.Need{ID: id, Statement: "need " + id, UserGroup: "home care", SuccessCriteria: "works"})
	}
	return out
}

func TestCasework(t *testing.T) {
	w := newWorld(t)
	db := w.runner.DB()
	const c = "c1"
	recruited(w, t, c, "bergen", "oslo", "tromso")

	t.Run("nothing_is_there_before_the_agreement_work_starts", func(t *testing.T) {
		if a := must[*casework.Agreement](t)(casework.AgreementOf(ctx, db, c)); a != nil {
			t.Fatalf("agreement before any draft: %+v", a)
		}
		if k := must[*casework.CostKey](t)(casework.CostKeyOf(ctx, db, c)); k != nil {
			t.Fatalf("cost key before any: %+v", k)
		}
		if s := must[*casework.CostShares](t)(casework.CostSharesAsOf(ctx, db, c, day(100))); s != nil {
			t.Fatalf("shares before any: %+v", s)
		}
	})

	// The agreement: drafted, signed by two, amended (signatures reset), signed by all.
	v1, v2 := terms(hashV1, procurement.RuleUnanimous), terms(hashV2, procurement.RuleMajority)
	w.emit(t, c, day(2), procurement.CooperationAgreementDrafted{Version: 1, Terms: v1})
	w.emit(t, c, day(3),
		procurement.CooperationAgreementSigned{Org: "oslo", Version: 1, DocumentHash: hashV1, Signatory: "oslo-signatory", SignatureRef: "bankid-o1"},
		procurement.CooperationAgreementSigned{Org: "bergen", Version: 1, DocumentHash: hashV1, Signatory: "bergen-signatory", SignatureRef: "bankid-b1"})

	t.Run("the_draft_is_version_1_with_its_terms", func(t *testing.T) {
		a := must[*casework.Agreement](t)(casework.AgreementOf(ctx, db, c))
		if a == nil || a.Version != 1 || a.Terms != v1 || a.Lead != "" || !a.UpdatedAt.Equal(day(2)) {
			t.Fatalf("agreement: %+v", a)
		}
	})

	w.emit(t, c, day(4), procurement.CooperationAgreementAmended{Version: 2, Terms: v2})
	w.emit(t, c, day(5),
		procurement.CooperationAgreementSigned{Org: "tromso", Version: 2, DocumentHash: hashV2, Signatory: "tromso-signatory", SignatureRef: "bankid-t2"},
		procurement.CooperationAgreementSigned{Org: "bergen", Version: 2, DocumentHash: hashV2, Signatory: "bergen-signatory", SignatureRef: "bankid-b2"},
		procurement.CooperationAgreementSigned{Org: "oslo", Version: 2, DocumentHash: hashV2, Signatory: "oslo-signatory", SignatureRef: "bankid-o2"})

	t.Run("an_amendment_is_the_current_version_and_the_history_keeps_what_each_version_said", func(t *testing.T) {
		a := must[*casework.Agreement](t)(casework.AgreementOf(ctx, db, c))
		if a.Version != 2 || a.Terms != v2 || !a.UpdatedAt.Equal(day(4)) {
			t.Fatalf("agreement after the amendment: %+v", a)
		}
		vs := must[[]casework.AgreementVersion](t)(casework.AgreementVersions(ctx, db, c))
		want := []casework.AgreementVersion{{Version: 1, Terms: v1, At: day(2)}, {Version: 2, Terms: v2, At: day(4)}}
		if !reflect.DeepEqual(vs, want) {
			t.Fatalf("versions:\n got %+v\nwant %+v", vs, want)
		}
	})

	t.Run("every_signature_of_every_version_is_kept_by_version_then_org", func(t *testing.T) {
		sigs := must[[]casework.Signature](t)(casework.Signatures(ctx, db, c))
		var got []string
		for _, s := range sigs {
			got = append(got, fmt.Sprintf("v%d %s %s %s %s", s.Version, s.Org, s.Signatory, s.SignatureRef, s.SignedAt.Format(time.DateOnly)))
		}
		want := []string{
			"v1 bergen bergen-signatory bankid-b1 2025-03-04", "v1 oslo oslo-signatory bankid-o1 2025-03-04",
			"v2 bergen bergen-signatory bankid-b2 2025-03-06", "v2 oslo oslo-signatory bankid-o2 2025-03-06",
			"v2 tromso tromso-signatory bankid-t2 2025-03-06",
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("signatures:\n got %q\nwant %q", got, want)
		}
	})

	// The lead: tromso first consents to bergen, then to oslo; oslo is designated.
	w.emit(t, c, day(5), procurement.LeadConsentGiven{Org: "tromso", Lead: "bergen"}, procurement.LeadConsentGiven{Org: "bergen", Lead: "oslo"})
	w.emit(t, c, day(6), procurement.LeadConsentGiven{Org: "oslo", Lead: "oslo"}, procurement.LeadConsentGiven{Org: "tromso", Lead: "oslo"},
		procurement.LeadAuthorityDesignated{Lead: "oslo", ConsentFrom: []string{"bergen", "oslo", "tromso"}})

	t.Run("lead_consents_are_the_latest_per_member_and_the_designated_lead_is_on_the_agreement", func(t *testing.T) {
		cs := must[[]casework.LeadConsent](t)(casework.LeadConsents(ctx, db, c))
		want := []casework.LeadConsent{{"bergen", "oslo", day(5)}, {"oslo", "oslo", day(6)}, {"tromso", "oslo", day(6)}}
		if !reflect.DeepEqual(cs, want) {
			t.Fatalf("consents:\n got %+v\nwant %+v", cs, want)
		}
		a := must[*casework.Agreement](t)(casework.AgreementOf(ctx, db, c))
		if a.Lead != "oslo" || a.Version != 2 || a.Terms != v2 {
			t.Fatalf("agreement with lead: %+v", a)
		}
	})

	// The cost key and the first shares, in force from noon on day 6 and a half second.
	equal := procurement.CostKey{Method: "EQUAL"}
	firstAt := day(6).Add(3*time.Hour + 500*time.Millisecond)
	firstShares := shares("bergen", 3334, "oslo", 3333, "tromso", 3333)
	w.emit(t, c, firstAt, procurement.CostSharingKeySet{Version: 1, Key: equal},
		procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: firstAt, Reason: procurement.ReasonKeySet, Shares: firstShares})
	w.emit(t, c, day(6).Add(4*time.Hour), procurement.AgreementConcluded{Version: 2, DocumentHash: hashV2, Lead: "oslo",
		Members: []string{"bergen", "oslo", "tromso"}, Mandates: []string{"m-bergen", "m-tromso"}, CostKeyVersion: 1})

	t.Run("the_concluded_agreement_moves_the_case_summary_to_needs", func(t *testing.T) {
		s := must[*cases.Summary](t)(cases.Get(ctx, db, c))
		if s.Phase != string(procurement.PhaseNeeds) {
			t.Fatalf("phase after AgreementConcluded: %s", s.Phase)
		}
	})

	t.Run("the_cost_key_is_current", func(t *testing.T) {
		k := must[*casework.CostKey](t)(casework.CostKeyOf(ctx, db, c))
		if k == nil || k.Version != 1 || k.Key.Method != "EQUAL" || !k.SetAt.Equal(firstAt) {
			t.Fatalf("key: %+v", k)
		}
	})

	// Needs: private drafts, submissions, two consolidations with votes.
	w.emit(t, c, day(7),
		procurement.NeedsDraftSaved{Org: "bergen", DraftVersion: 1, Needs: needs("n1")},
		procurement.NeedsDraftSaved{Org: "oslo", DraftVersion: 1, Needs: needs("o1"), Notes: "oslo only"})
	w.emit(t, c, day(8), procurement.NeedsDraftSaved{Org: "bergen", DraftVersion: 2, Needs: needs("n1", "n2"), Notes: "ask the nurses"})

	t.Run("a_draft_is_read_only_by_the_organisation_that_owns_it", func(t *testing.T) {
		d := must[*casework.Draft](t)(casework.DraftOf(ctx, db, c, "bergen"))
		want := &casework.Draft{Org: "bergen", Version: 2, Needs: needs("n1", "n2"), Notes: "ask the nurses", SavedAt: day(8)}
		if !reflect.DeepEqual(d, want) {
			t.Fatalf("bergen's draft:\n got %+v\nwant %+v", d, want)
		}
		if d := must[*casework.Draft](t)(casework.DraftOf(ctx, db, c, "oslo")); d == nil || d.Org != "oslo" || d.Notes != "oslo only" {
			t.Fatalf("oslo's own draft: %+v", d)
		}
		for _, other := range []string{"tromso", "hub", ""} {
			if d := must[*casework.Draft](t)(casework.DraftOf(ctx, db, c, other)); d != nil {
				t.Fatalf("%q must not get a draft: %+v", other, d)
			}
		}
		if d := must[*casework.Draft](t)(casework.DraftOf(ctx, db, "another-case", "bergen")); d != nil {
			t.Fatalf("bergen's draft leaked into another case: %+v", d)
		}
	})

	w.emit(t, c, day(9),
		procurement.NeedsSubmitted{Org: "bergen", Version: 1, Needs: needs("n1")},
		procurement.NeedsSubmitted{Org: "tromso", Version: 1, AdoptCommonNeed: true},
		procurement.NeedsSubmitted{Org: "oslo", Version: 1, Needs: needs("o1")})
	w.emit(t, c, day(10), procurement.NeedsSubmitted{Org: "bergen", Version: 2, Needs: needs("n1", "n2")})

	t.Run("submissions_are_the_latest_per_member_by_org", func(t *testing.T) {
		subs := must[[]casework.Submission](t)(casework.Submissions(ctx, db, c))
		var got []string
		for _, s := range subs {
			got = append(got, fmt.Sprintf("%s v%d %d needs adopt=%v %s", s.Org, s.Version, len(s.Needs), s.AdoptCommonNeed, s.SubmittedAt.Format(time.DateOnly)))
		}
		want := []string{"bergen v2 2 needs adopt=false 2025-03-11", "oslo v1 1 needs adopt=false 2025-03-10", "tromso v1 0 needs adopt=true 2025-03-10"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("submissions:\n got %q\nwant %q", got, want)
		}
		s := must[*casework.Submission](t)(casework.SubmissionOf(ctx, db, c, "bergen"))
		if s == nil || s.Version != 2 || !reflect.DeepEqual(s.Needs, needs("n1", "n2")) {
			t.Fatalf("bergen's submission: %+v", s)
		}
		if s := must[*casework.Submission](t)(casework.SubmissionOf(ctx, db, c, "hub")); s != nil {
			t.Fatalf("the hub submitted nothing: %+v", s)
		}
	})

	sourcesV1 := []procurement.SubmissionRef{{Org: "bergen", Version: 2}, {Org: "oslo", Version: 1}, {Org: "tromso", Version: 1}}
	common1 := []procurement.CommonNeed{{ID: "c1", Statement: "Remote supervision", Sources: []procurement.NeedRef{{Org: "bergen", NeedID: "n1"}, {Org: "oslo", NeedID: "o1"}}}}
	div1 := []procurement.Divergence{{Topic: "Night shifts", Description: "Only bergen needs them", Orgs: []string{"bergen"}}}
	common2 := append(common1, procurement.CommonNeed{ID: "c2", Statement: "Night shifts", Sources: []procurement.NeedRef{{Org: "bergen", NeedID: "n2"}}})
	w.emit(t, c, day(11), procurement.NeedsConsolidated{Version: 1, Sources: sourcesV1, CommonNeeds: common1, Divergences: div1})
	w.emit(t, c, day(12),
		procurement.ConsolidatedNeedsApproved{Org: "oslo", Version: 1},
		procurement.ConsolidatedNeedsRejected{Org: "bergen", Version: 1, Comment: "night shifts are missing"},
		procurement.ConsolidatedNeedsDecided{Version: 1, Outcome: procurement.NeedsRejected, Rule: procurement.RuleUnanimous,
			Approvals: []string{"oslo"}, Rejections: []string{"bergen"}})
	w.emit(t, c, day(13), procurement.NeedsConsolidated{Version: 2, Sources: sourcesV1, CommonNeeds: common2, Divergences: []procurement.Divergence{}})
	w.emit(t, c, day(14),
		procurement.ConsolidatedNeedsApproved{Org: "tromso", Version: 2, Comment: "fine"},
		procurement.ConsolidatedNeedsApproved{Org: "bergen", Version: 2})

	t.Run("consolidations_come_oldest_first_with_votes_in_order_and_open_until_decided", func(t *testing.T) {
		cs := must[[]casework.Consolidation](t)(casework.Consolidations(ctx, db, c))
		if len(cs) != 2 {
			t.Fatalf("want 2 consolidations, got %+v", cs)
		}
		one, two := cs[0], cs[1]
		d12 := day(12)
		want1 := casework.Consolidation{Version: 1, Sources: sourcesV1, CommonNeeds: common1, Divergences: div1, Outcome: "REJECTED",
			ConsolidatedAt: day(11), DecidedAt: &d12, Votes: []casework.Vote{
				{Org: "oslo", Approve: true, At: day(12)}, {Org: "bergen", Approve: false, Comment: "night shifts are missing", At: day(12)}}}
		if !reflect.DeepEqual(one, want1) {
			t.Fatalf("version 1:\n got %+v\nwant %+v", one, want1)
		}
		if two.Version != 2 || two.Outcome != "" || two.DecidedAt != nil || len(two.CommonNeeds) != 2 || len(two.Divergences) != 0 ||
			len(two.Votes) != 2 || two.Votes[0].Org != "tromso" || two.Votes[0].Comment != "fine" || two.Votes[1].Org != "bergen" {
			t.Fatalf("version 2 while the vote is open: %+v", two)
		}
	})

	w.emit(t, c, day(15), procurement.ConsolidatedNeedsApproved{Org: "oslo", Version: 2},
		procurement.ConsolidatedNeedsDecided{Version: 2, Outcome: procurement.NeedsApproved, Rule: procurement.RuleMajority,
			Approvals: []string{"tromso", "bergen", "oslo"}})

	t.Run("a_decided_vote_has_its_outcome_and_moment", func(t *testing.T) {
		cs := must[[]casework.Consolidation](t)(casework.Consolidations(ctx, db, c))
		two := cs[1]
		if two.Outcome != "APPROVED" || two.DecidedAt == nil || !two.DecidedAt.Equal(day(15)) || len(two.Votes) != 3 || two.Votes[2].Org != "oslo" {
			t.Fatalf("version 2 decided: %+v", two)
		}
	})

	// Commitments: one per member, bergen raises its own; then volume shares.
	commitment := func(org, lot string, typ procurement.CommitmentType, qty string, value int64) procurement.Commitment {
		return procurement.Commitment{Org: org, Lot: lot, Type: typ, Quantity: qty, Unit: "licences", EstimatedValue: value,
			Currency: "NOK", BudgetYears: []int{2026, 2027}}
	}
	w.emit(t, c, day(16),
		procurement.VolumeCommitted{Commitment: commitment("bergen", "lot-1", procurement.CommitmentBinding, "100", 1_000_000_00)},
		procurement.VolumeCommitted{Commitment: commitment("oslo", "lot-1", procurement.CommitmentIndicative, "200", 2_000_000_00)},
		procurement.VolumeCommitted{Commitment: commitment("oslo", "lot-1", procurement.CommitmentOption, "50", 500_000_00)},
		procurement.VolumeCommitted{Commitment: commitment("tromso", "lot-1", procurement.CommitmentBinding, "30", 300_000_00)})
	w.emit(t, c, day(17), procurement.VolumeCommitmentChanged{Commitment: commitment("bergen", "lot-1", procurement.CommitmentBinding, "120.5", 1_200_000_00),
		PreviousQuantity: "100", PreviousValue: 1_000_000_00})

	t.Run("commitments_keep_when_they_were_made_and_changed", func(t *testing.T) {
		cs := must[[]casework.Commitment](t)(casework.Commitments(ctx, db, c))
		var got []string
		for _, x := range cs {
			got = append(got, fmt.Sprintf("%s %s %s %s %s %d %s %v %s %s", x.Org, x.Lot, x.Type, x.Quantity, x.Unit, x.EstimatedValue, x.Currency,
				x.BudgetYears, x.CommittedAt.Format(time.DateOnly), x.UpdatedAt.Format(time.DateOnly)))
		}
		want := []string{
			"bergen lot-1 BINDING 120.5 licences 120000000 NOK [2026 2027] 2025-03-17 2025-03-18",
			"oslo lot-1 INDICATIVE 200 licences 200000000 NOK [2026 2027] 2025-03-17 2025-03-17",
			"oslo lot-1 OPTION 50 licences 50000000 NOK [2026 2027] 2025-03-17 2025-03-17",
			"tromso lot-1 BINDING 30 licences 30000000 NOK [2026 2027] 2025-03-17 2025-03-17",
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("commitments:\n got %q\nwant %q", got, want)
		}
	})

	volume := procurement.CostKey{Method: "VOLUME", CountOptions: true}
	secondAt := day(17).Add(time.Hour)
	secondShares := shares("bergen", 2927, "oslo", 6098, "tromso", 975)
	w.emit(t, c, secondAt, procurement.CostSharingKeySet{Version: 2, Key: volume},
		procurement.CostSharesCalculated{KeyVersion: 2, EffectiveAt: secondAt, Reason: procurement.ReasonKeySet, Shares: secondShares})

	// tromso withdraws; the shares are recalculated from the withdrawal on.
	withdrawnAt := day(20).Add(250 * time.Millisecond)
	thirdShares := shares("bergen", 3243, "oslo", 6757)
	w.emit(t, c, withdrawnAt, procurement.MunicipalityWithdrawn{Org: "tromso", Reason: "budget cut"},
		procurement.CostSharesCalculated{KeyVersion: 2, EffectiveAt: withdrawnAt, Reason: procurement.ReasonMemberWithdrew, Shares: thirdShares})

	t.Run("the_joint_value_leaves_out_a_withdrawn_member", func(t *testing.T) {
		v := must[procurement.JointValue](t)(casework.JointValue(ctx, db, c, "NOK"))
		want := procurement.JointValue{Currency: "NOK", Binding: 1_200_000_00, Indicative: 2_000_000_00, Option: 500_000_00,
			PerMember: map[string]int64{"bergen": 1_200_000_00, "oslo": 2_500_000_00}}
		if !reflect.DeepEqual(v, want) {
			t.Fatalf("joint value:\n got %+v\nwant %+v", v, want)
		}
		if len(must[[]casework.Commitment](t)(casework.Commitments(ctx, db, c))) != 4 {
			t.Fatal("the withdrawn member's commitments stay on record")
		}
		if v := must[procurement.JointValue](t)(casework.JointValue(ctx, db, c, "SEK")); v.Total() != 0 || len(v.PerMember) != 0 {
			t.Fatalf("no commitments in SEK: %+v", v)
		}
	})

	t.Run("the_cost_key_in_force_is_the_latest_version", func(t *testing.T) {
		k := must[*casework.CostKey](t)(casework.CostKeyOf(ctx, db, c))
		if k == nil || k.Version != 2 || !reflect.DeepEqual(k.Key, volume) || !k.SetAt.Equal(secondAt) {
			t.Fatalf("key: %+v", k)
		}
	})

	t.Run("shares_as_of_a_moment_are_those_in_force_then", func(t *testing.T) {
		cases := []struct {
			name string
			at   time.Time
			want []procurement.MemberShare
		}{
			{"before_any_calculation", firstAt.Add(-time.Nanosecond), nil},
			// Within the same second: a layout that drops trailing zeros would
			// sort "…:00Z" after "…:00.5Z" and answer wrongly here.
			{"on_the_second_before_a_fractional_effective_time", firstAt.Truncate(time.Second), nil},
			{"at_the_exact_moment", firstAt, firstShares},
			{"between_the_first_and_the_second", day(10), firstShares},
			{"from_the_second_key_on", secondAt, secondShares},
			{"just_before_the_withdrawal", withdrawnAt.Add(-time.Nanosecond), secondShares},
			{"on_the_second_of_the_withdrawal", withdrawnAt.Truncate(time.Second), secondShares},
			{"after_the_withdrawal", day(30), thirdShares},
			{"in_another_time_zone", withdrawnAt.In(time.FixedZone("CET", 3600)), thirdShares},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				s := must[*casework.CostShares](t)(casework.CostSharesAsOf(ctx, db, c, tc.at))
				if tc.want == nil {
					if s != nil {
						t.Fatalf("want none, got %+v", s)
					}
					return
				}
				if s == nil || !reflect.DeepEqual(s.Shares, tc.want) {
					t.Fatalf("got %+v, want %v", s, tc.want)
				}
			})
		}
	})

	t.Run("the_share_history_lists_every_calculation_oldest_first", func(t *testing.T) {
		h := must[[]casework.CostShares](t)(casework.CostShareHistory(ctx, db, c))
		want := []casework.CostShares{
			{KeyVersion: 1, EffectiveAt: firstAt, Reason: procurement.ReasonKeySet, Shares: firstShares},
			{KeyVersion: 2, EffectiveAt: secondAt, Reason: procurement.ReasonKeySet, Shares: secondShares},
			{KeyVersion: 2, EffectiveAt: withdrawnAt, Reason: procurement.ReasonMemberWithdrew, Shares: thirdShares},
		}
		if !reflect.DeepEqual(h, want) {
			t.Fatalf("history:\n got %+v\nwant %+v", h, want)
		}
	})

	t.Run("another_case_sees_nothing_of_this_one", func(t *testing.T) {
		const other = "c2"
		if a := must[*casework.Agreement](t)(casework.AgreementOf(ctx, db, other)); a != nil {
			t.Fatalf("agreement: %+v", a)
		}
		if n := len(must[[]casework.Signature](t)(casework.Signatures(ctx, db, other))) + len(must[[]casework.Consolidation](t)(casework.Consolidations(ctx, db, other))) +
			len(must[[]casework.Commitment](t)(casework.Commitments(ctx, db, other))) + len(must[[]casework.CostShares](t)(casework.CostShareHistory(ctx, db, other))); n != 0 {
			t.Fatalf("rows of c1 under c2: %d", n)
		}
	})

	t.Run("applying_every_event_again_changes_nothing", func(t *testing.T) {
		before := must[string](t)(w.runner.Digest(ctx))
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		for _, rec := range w.recs {
			if err := (casework.ReadModel{}).Apply(ctx, tx, rec); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if after := must[string](t)(w.runner.Digest(ctx)); after != before {
			t.Fatal("a repeated event changed the views")
		}
	})

	t.Run("a_rebuild_from_the_log_gives_the_same_views", func(t *testing.T) {
		before := must[string](t)(w.runner.Digest(ctx))
		n, err := w.runner.Rebuild(ctx, w.store)
		if err != nil || n != len(w.recs) {
			t.Fatalf("rebuild: %d of %d, %v", n, len(w.recs), err)
		}
		if after := must[string](t)(w.runner.Digest(ctx)); after != before {
			t.Fatal("the rebuilt views differ")
		}
	})
}

func TestLeadBeforeDraft(t *testing.T) {
	// The hub may designate the lead before anyone drafts the agreement: the
	// lead is readable, the agreement has no version yet.
	w := newWorld(t)
	db := w.runner.DB()
	recruited(w, t, "c9", "bergen", "oslo")
	w.emit(t, "c9", day(1), procurement.LeadConsentGiven{Org: "bergen", Lead: "oslo"}, procurement.LeadConsentGiven{Org: "oslo", Lead: "oslo"},
		procurement.LeadAuthorityDesignated{Lead: "oslo", ConsentFrom: []string{"bergen", "oslo"}})
	a := must[*casework.Agreement](t)(casework.AgreementOf(ctx, db, "c9"))
	if a == nil || a.Lead != "oslo" || a.Version != 0 || a.Terms != (procurement.AgreementTerms{}) {
		t.Fatalf("lead before draft: %+v", a)
	}
	if vs := must[[]casework.AgreementVersion](t)(casework.AgreementVersions(ctx, db, "c9")); len(vs) != 0 {
		t.Fatalf("no versions yet: %+v", vs)
	}
	terms := terms(hashV1, procurement.RuleUnanimous)
	w.emit(t, "c9", day(2), procurement.CooperationAgreementDrafted{Version: 1, Terms: terms})
	a = must[*casework.Agreement](t)(casework.AgreementOf(ctx, db, "c9"))
	if a.Lead != "oslo" || a.Version != 1 || a.Terms != terms || !a.UpdatedAt.Equal(day(2)) {
		t.Fatalf("the draft keeps the lead: %+v", a)
	}
}

func TestStoredTimesSortAsMoments(t *testing.T) {
	// effective_at is compared as text: every stored time must have the same
	// width so that the text order is the time order.
	w := newWorld(t)
	db := w.runner.DB()
	recruited(w, t, "c3", "bergen")
	ats := []time.Time{t0, t0.Add(time.Nanosecond), t0.Add(500 * time.Millisecond), t0.Add(time.Second), t0.Add(10 * time.Second)}
	for i, at := range ats {
		w.emit(t, "c3", at, procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: at.In(time.FixedZone("X", -7*3600)),
			Reason: fmt.Sprint(i), Shares: shares("bergen", 10000)})
	}
	var stored []string
	rows, err := db.Query(`SELECT effective_at FROM case_cost_shares_v1 WHERE case_id = 'c3' ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		rows.Scan(&s)
		stored = append(stored, s)
	}
	for i := range stored {
		if len(stored[i]) != len("2025-03-01T09:00:00.000000000Z") || !strings.HasSuffix(stored[i], "Z") {
			t.Fatalf("not fixed-width UTC: %q", stored[i])
		}
		if i > 0 && stored[i-1] >= stored[i] {
			t.Fatalf("text order differs from time order: %q, %q", stored[i-1], stored[i])
		}
	}
	for i, at := range ats {
		s := must[*casework.CostShares](t)(casework.CostSharesAsOf(ctx, db, "c3", at))
		if s == nil || s.Reason != fmt.Sprint(i) || !s.EffectiveAt.Equal(at) {
			t.Fatalf("as of %v: %+v", at, s)
		}
	}
}
