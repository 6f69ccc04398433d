package procurement_test

import (
	"strings"
	"testing"

	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
)

func TestSaveNeedsDraft(t *testing.T) {
	t.Run("a_member_saves_its_private_draft_as_version_1", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).
			When(ndDraft("bergen", ndNeed("n1"))).
			Then(ndDrafted("bergen", 1, ndNeed("n1")))
	})
	t.Run("the_draft_saved_by_one_member_is_org_private_to_that_member", func(t *testing.T) {
		got, err := procurement.Decider.Decide(procurement.Decider.Fold(ndInNeeds()), ndDraft("bergen", ndNeed("n1")))
		if err != nil || len(got) != 1 {
			t.Fatalf("want one event, got %v %v", got, err)
		}
		if v, owner := procurement.VisibilityOf(got[0]); v != procurement.VisibilityOrgPrivate || owner != "bergen" {
			t.Fatalf("visibility %s of %q, want ORG_PRIVATE of bergen", v, owner)
		}
		for _, org := range []string{hub, "oslo", "tromso"} {
			if procurement.VisibleTo(got[0], org) {
				t.Fatalf("%s sees bergen's draft", org)
			}
		}
	})
	t.Run("a_draft_may_be_partial", func(t *testing.T) {
		partial := procurement.Need{ID: "n1", Statement: "  something about snow  "}
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).
			When(ndDraft("bergen", partial)).
			Then(ndDrafted("bergen", 1, procurement.Need{ID: "n1", Statement: "something about snow"}))
	})
	t.Run("drafting_may_start_while_the_agreement_is_negotiated", func(t *testing.T) {
		h := []procurement.Event{created(), invited("oslo"), invited("bergen"), procurement.RecruitmentOpened{},
			joined("oslo"), joined("bergen"), procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}}}
		estest.For(t, procurement.Decider).Given(h...).
			When(ndDraft("oslo", ndNeed("n1"))).
			Then(ndDrafted("oslo", 1, ndNeed("n1")))
	})
	t.Run("a_changed_draft_is_the_next_version", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(ndInNeeds(), ndDrafted("bergen", 1, ndNeed("n1")))...).
			When(ndDraft("bergen", ndNeed("n1"), ndNeed("n2"))).
			Then(ndDrafted("bergen", 2, ndNeed("n1"), ndNeed("n2")))
	})
	t.Run("saving_the_same_draft_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(ndInNeeds(), ndDrafted("bergen", 1, ndNeed("n1")))...).
			When(ndDraft("bergen", ndNeed("n1"))).
			ThenNothing()
	})
	t.Run("the_acting_organisation_is_always_the_subject", func(t *testing.T) {
		// A bergen employee working under oslo's organisation saves oslo's
		// draft: the command has no field naming another member, so nobody
		// can save or overwrite a draft for another member.
		c := ndDraft("oslo", ndNeed("n9"))
		c.By = actor.Actor{User: "admin@bergen", Org: "oslo"}
		estest.For(t, procurement.Decider).Given(ndThen(ndInNeeds(), ndDrafted("bergen", 1, ndNeed("n1")))...).
			When(c).
			ThenState(func(t testing.TB, s procurement.State) {
				if d := s.Drafts["oslo"]; d.Version != 1 || len(d.Needs) != 1 || d.Needs[0].ID != "n9" {
					t.Fatalf("oslo's draft is %+v", d)
				}
				if d := s.Drafts["bergen"]; d.Version != 1 || d.Needs[0].ID != "n1" {
					t.Fatalf("bergen's draft changed: %+v", d)
				}
			})
	})
	t.Run("a_stranger_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(ndDraft("acme", ndNeed("n1"))).ThenError(procurement.ErrNotFound)
	})
	t.Run("the_hub_has_no_needs_of_its_own", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(ndDraft(hub, ndNeed("n1"))).ThenError(procurement.ErrNotMember)
	})
	t.Run("a_withdrawn_member_drafts_no_more", func(t *testing.T) {
		h := ndThen(ndCase(procurement.RuleUnanimous, "oslo", "bergen", "tromso"), withdrew("tromso"))
		estest.For(t, procurement.Decider).Given(h...).When(ndDraft("tromso", ndNeed("n1"))).ThenError(procurement.ErrNotMember)
	})
	t.Run("not_before_recruitment_closes", func(t *testing.T) {
		h := []procurement.Event{created(), invited("oslo"), procurement.RecruitmentOpened{}, joined("oslo")}
		estest.For(t, procurement.Decider).Given(h...).When(ndDraft("oslo", ndNeed("n1"))).ThenError(procurement.ErrNotNeedsPhase)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(ndInNeeds(), cancelled())...).
			When(ndDraft("bergen", ndNeed("n1"))).ThenError(procurement.ErrCancelled)
	})
	for name, c := range map[string]struct {
		needs []procurement.Need
		notes string
		want  error
	}{
		"a_need_without_an_id":     {[]procurement.Need{{Statement: "x"}}, "", procurement.ErrInvalidNeedID},
		"a_need_id_with_spaces":    {[]procurement.Need{{ID: "a b"}}, "", procurement.ErrInvalidNeedID},
		"the_same_need_id_twice":   {[]procurement.Need{{ID: "n1"}, {ID: " n1 "}}, "", procurement.ErrDuplicateNeedID},
		"a_statement_too_long":     {[]procurement.Need{{ID: "n1", Statement: runes(4001)}}, "", procurement.ErrNeedTooLong},
		"a_user_group_too_long":    {[]procurement.Need{{ID: "n1", UserGroup: runes(201)}}, "", procurement.ErrNeedTooLong},
		"more_than_a_hundred":      {ndNeeds(101), "", procurement.ErrTooManyNeeds},
		"notes_over_20000_letters": {nil, runes(20001), procurement.ErrNotesTooLong},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			cmd := ndDraft("bergen", c.needs...)
			cmd.Notes = c.notes
			estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(cmd).ThenError(c.want)
		})
	}
	t.Run("the_limits_themselves_are_allowed", func(t *testing.T) {
		cmd := ndDraft("bergen", procurement.Need{ID: "n1", Statement: runes(4000), UserGroup: runes(200)})
		cmd.Notes = runes(20000)
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(cmd).
			Then(procurement.NeedsDraftSaved{Org: "bergen", DraftVersion: 1, Needs: cmd.Needs, Notes: cmd.Notes})
	})
}

// ndNeeds is n complete needs.
func ndNeeds(n int) []procurement.Need {
	out := make([]procurement.Need, n)
	for i := range out {
		out[i] = ndNeed("n" + strings.Repeat("x", i))
	}
	return out
}

func TestSubmitNeeds(t *testing.T) {
	t.Run("a_member_submits_its_needs_as_version_1", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).
			When(ndSubmit("bergen", ndNeed("n1"))).
			Then(ndSubmitted("bergen", 1, ndNeed("n1")))
	})
	t.Run("a_member_may_adopt_the_common_need_instead_of_its_own", func(t *testing.T) {
		c := ndSubmit("bergen")
		c.AdoptCommonNeed = true
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(c).
			Then(procurement.NeedsSubmitted{Org: "bergen", Version: 1, Needs: []procurement.Need{}, AdoptCommonNeed: true})
	})
	t.Run("a_changed_submission_is_the_next_version", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(ndInNeeds(), ndSubmitted("bergen", 1, ndNeed("n1")))...).
			When(ndSubmit("bergen", ndNeed("n1"), ndNeed("n2"))).
			Then(ndSubmitted("bergen", 2, ndNeed("n1"), ndNeed("n2")))
	})
	t.Run("submitting_the_same_needs_again_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(ndInNeeds(), ndSubmitted("bergen", 1, ndNeed("n1")))...).
			When(ndSubmit("bergen", procurement.Need{ID: " n1 ", Statement: ndNeed("n1").Statement + " ", UserGroup: "road users",
				CurrentSolution: "manual closure", SuccessCriteria: "no car hit in a season"})).
			ThenNothing()
	})
	t.Run("oslos_staff_submitting_affects_only_oslo", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(ndInNeeds(), ndSubmitted("bergen", 1, ndNeed("n1")))...).
			When(ndSubmit("oslo", ndNeed("n7"))).
			ThenState(func(t testing.TB, s procurement.State) {
				if sub := s.Submissions["oslo"]; sub.Version != 1 || sub.Needs[0].ID != "n7" {
					t.Fatalf("oslo's submission is %+v", sub)
				}
				if sub := s.Submissions["bergen"]; sub.Version != 1 || sub.Needs[0].ID != "n1" {
					t.Fatalf("bergen's submission changed: %+v", sub)
				}
			})
	})
	t.Run("no_needs_and_no_adoption", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(ndSubmit("bergen")).ThenError(procurement.ErrNoNeeds)
	})
	for name, n := range map[string]procurement.Need{
		"without_a_statement":        {ID: "n1", UserGroup: "road users", SuccessCriteria: "fewer closures"},
		"without_a_user_group":       {ID: "n1", Statement: "warn", SuccessCriteria: "fewer closures"},
		"without_success_criteria":   {ID: "n1", Statement: "warn", UserGroup: "road users"},
		"with_only_blank_statement_": {ID: "n1", Statement: "   ", UserGroup: "road users", SuccessCriteria: "fewer closures"},
	} {
		t.Run("an_incomplete_need_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(ndSubmit("bergen", n)).ThenError(procurement.ErrNeedIncomplete)
		})
	}
	t.Run("a_stranger_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(ndSubmit("acme", ndNeed("n1"))).ThenError(procurement.ErrNotFound)
	})
	t.Run("the_hub_submits_no_needs", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(ndSubmit(hub, ndNeed("n1"))).ThenError(procurement.ErrNotMember)
	})
	t.Run("not_while_the_agreement_is_negotiated", func(t *testing.T) {
		h := []procurement.Event{created(), invited("oslo"), invited("bergen"), procurement.RecruitmentOpened{},
			joined("oslo"), joined("bergen"), procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}}}
		estest.For(t, procurement.Decider).Given(h...).When(ndSubmit("oslo", ndNeed("n1"))).ThenError(procurement.ErrNotNeedsPhase)
	})
	t.Run("not_after_the_consolidated_needs_are_approved", func(t *testing.T) {
		h := ndThen(ndVoting(procurement.RuleUnanimous, "oslo", "bergen"), ndApproved("oslo", 1), ndApproved("bergen", 1),
			ndDecided(1, procurement.NeedsApproved, procurement.RuleUnanimous, []string{"oslo", "bergen"}, nil))
		estest.For(t, procurement.Decider).Given(h...).When(ndSubmit("bergen", ndNeed("n2"))).ThenError(procurement.ErrNeedsAlreadyApproved)
	})
}

func TestConsolidateNeeds(t *testing.T) {
	submitted := ndThen(ndInNeeds(), ndSubmitted("oslo", 1, ndNeed("o1")), ndSubmitted("bergen", 1, ndNeed("b1"), ndNeed("b2")))
	sources := []procurement.SubmissionRef{ndSrc("bergen", 1), ndSrc("oslo", 1)}
	common := ndCommon("c1", ndRef("oslo", "o1"), ndRef("bergen", "b1"))

	t.Run("the_hub_consolidates_every_members_latest_submission_into_version_1", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(submitted...).
			When(ndConsolidate(hub, common, ndCommon("c2", ndRef("bergen", "b2"), ndRef("bergen", "b2")))).
			Then(ndConsolidated(1, sources, common, ndCommon("c2", ndRef("bergen", "b2"))))
	})
	t.Run("the_lead_may_consolidate_too", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(submitted...).
			When(ndConsolidate("oslo", common)).
			Then(ndConsolidated(1, sources, common))
	})
	t.Run("divergences_are_recorded_with_the_members_they_concern", func(t *testing.T) {
		c := ndConsolidate(hub, common)
		c.Divergences = []procurement.Divergence{{Topic: " coverage ", Description: "bergen needs tunnels too", Orgs: []string{"oslo", "bergen", "oslo"}}}
		estest.For(t, procurement.Decider).Given(submitted...).When(c).
			Then(procurement.NeedsConsolidated{Version: 1, Sources: sources, CommonNeeds: []procurement.CommonNeed{common},
				Divergences: []procurement.Divergence{{Topic: "coverage", Description: "bergen needs tunnels too", Orgs: []string{"bergen", "oslo"}}}})
	})
	t.Run("consolidating_the_same_again_while_the_vote_is_open_is_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(submitted, ndConsolidated(1, sources, common))...).
			When(ndConsolidate(hub, common)).
			ThenNothing()
	})
	t.Run("a_new_text_while_the_vote_is_open_is_the_next_version", func(t *testing.T) {
		other := ndCommon("c9", ndRef("oslo", "o1"))
		estest.For(t, procurement.Decider).Given(ndThen(submitted, ndConsolidated(1, sources, common))...).
			When(ndConsolidate(hub, other)).
			Then(ndConsolidated(2, sources, other))
	})
	t.Run("after_a_rejection_the_next_version_is_consolidated", func(t *testing.T) {
		h := ndThen(submitted, ndConsolidated(1, sources, common), ndRejected("bergen", 1, "tunnels missing"),
			ndDecided(1, procurement.NeedsRejected, procurement.RuleUnanimous, nil, []string{"bergen"}))
		estest.For(t, procurement.Decider).Given(h...).
			When(ndConsolidate(hub, common)).
			Then(ndConsolidated(2, sources, common))
	})
	t.Run("after_a_resubmission_the_next_version_uses_it", func(t *testing.T) {
		h := ndThen(submitted, ndConsolidated(1, sources, common), ndSubmitted("bergen", 2, ndNeed("b1")))
		estest.For(t, procurement.Decider).Given(h...).
			When(ndConsolidate(hub, common)).
			Then(ndConsolidated(2, []procurement.SubmissionRef{ndSrc("bergen", 2), ndSrc("oslo", 1)}, common))
	})
	t.Run("a_withdrawn_member_is_no_longer_a_source", func(t *testing.T) {
		h := ndThen(ndCase(procurement.RuleUnanimous, "oslo", "bergen", "tromso"), ndSubmitted("oslo", 1, ndNeed("o1")),
			ndSubmitted("bergen", 1, ndNeed("b1")), withdrew("tromso"))
		estest.For(t, procurement.Decider).Given(h...).
			When(ndConsolidate(hub, common)).
			Then(ndConsolidated(1, sources, common))
	})
	t.Run("not_before_every_joined_member_submitted", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(ndInNeeds(), ndSubmitted("oslo", 1, ndNeed("o1")))...).
			When(ndConsolidate(hub, ndCommon("c1", ndRef("oslo", "o1")))).
			ThenError(procurement.ErrNeedsOutstanding)
	})
	t.Run("a_need_not_in_the_latest_submission_cannot_be_cited", func(t *testing.T) {
		h := ndThen(submitted, ndSubmitted("bergen", 2, ndNeed("b1")))
		estest.For(t, procurement.Decider).Given(h...).
			When(ndConsolidate(hub, ndCommon("c1", ndRef("bergen", "b2")))).
			ThenError(procurement.ErrUnknownNeedRef)
	})
	t.Run("a_need_of_an_organisation_that_is_no_member_cannot_be_cited", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(submitted...).
			When(ndConsolidate(hub, ndCommon("c1", ndRef("tromso", "b1")))).
			ThenError(procurement.ErrUnknownNeedRef)
	})
	t.Run("a_divergence_naming_a_non_member", func(t *testing.T) {
		c := ndConsolidate(hub, common)
		c.Divergences = []procurement.Divergence{{Topic: "coverage", Description: "tunnels", Orgs: []string{"tromso"}}}
		estest.For(t, procurement.Decider).Given(submitted...).When(c).ThenError(procurement.ErrUnknownNeedRef)
	})
	for name, d := range map[string]procurement.Divergence{
		"without_a_topic":       {Description: "tunnels", Orgs: []string{"oslo"}},
		"without_a_description": {Topic: "coverage", Orgs: []string{"oslo"}},
		"naming_no_member":      {Topic: "coverage", Description: "tunnels"},
		"with_a_topic_too_long": {Topic: runes(201), Description: "tunnels", Orgs: []string{"oslo"}},
	} {
		t.Run("an_incomplete_divergence_"+name, func(t *testing.T) {
			c := ndConsolidate(hub, common)
			c.Divergences = []procurement.Divergence{d}
			estest.For(t, procurement.Decider).Given(submitted...).When(c).ThenError(procurement.ErrDivergenceIncomplete)
		})
	}
	for name, c := range map[string]struct {
		common []procurement.CommonNeed
		want   error
	}{
		"no_common_need":          {nil, procurement.ErrNoCommonNeeds},
		"a_common_need_bad_id":    {[]procurement.CommonNeed{{ID: "", Statement: "x"}}, procurement.ErrInvalidNeedID},
		"a_common_need_twice":     {[]procurement.CommonNeed{{ID: "c1", Statement: "x"}, {ID: "c1", Statement: "y"}}, procurement.ErrDuplicateNeedID},
		"a_common_need_unstated":  {[]procurement.CommonNeed{{ID: "c1", Statement: "  "}}, procurement.ErrNeedIncomplete},
		"a_common_need_too_long":  {[]procurement.CommonNeed{{ID: "c1", Statement: runes(4001)}}, procurement.ErrNeedTooLong},
		"over_a_hundred_of_them":  {ndCommons(101), procurement.ErrTooManyNeeds},
		"a_common_need_bad_cite":  {[]procurement.CommonNeed{ndCommon("c1", ndRef("oslo", "nope"))}, procurement.ErrUnknownNeedRef},
		"a_common_need_hub_cited": {[]procurement.CommonNeed{ndCommon("c1", ndRef(hub, "o1"))}, procurement.ErrUnknownNeedRef},
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(submitted...).When(ndConsolidate(hub, c.common...)).ThenError(c.want)
		})
	}
	t.Run("a_member_that_does_not_lead_cannot_consolidate", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(submitted...).When(ndConsolidate("bergen", common)).ThenError(procurement.ErrHubOrLeadOnly)
	})
	t.Run("a_stranger_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(submitted...).When(ndConsolidate(otherHub, common)).ThenError(procurement.ErrNotFound)
	})
	t.Run("not_before_the_needs_phase", func(t *testing.T) {
		h := []procurement.Event{created(), invited("oslo"), invited("bergen"), procurement.RecruitmentOpened{},
			joined("oslo"), joined("bergen"), procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}}}
		estest.For(t, procurement.Decider).Given(h...).When(ndConsolidate(hub, common)).ThenError(procurement.ErrNotNeedsPhase)
	})
	t.Run("not_in_a_cancelled_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(submitted, cancelled())...).When(ndConsolidate(hub, common)).ThenError(procurement.ErrCancelled)
	})
	t.Run("not_after_the_consolidated_needs_are_approved", func(t *testing.T) {
		h := ndThen(submitted, ndConsolidated(1, sources, common), ndApproved("oslo", 1), ndApproved("bergen", 1),
			ndDecided(1, procurement.NeedsApproved, procurement.RuleUnanimous, []string{"oslo", "bergen"}, nil))
		estest.For(t, procurement.Decider).Given(h...).When(ndConsolidate(hub, common)).ThenError(procurement.ErrNeedsAlreadyApproved)
	})
}

// ndCommons is n common needs citing nothing.
func ndCommons(n int) []procurement.CommonNeed {
	out := make([]procurement.CommonNeed, n)
	for i := range out {
		out[i] = procurement.CommonNeed{ID: "c" + strings.Repeat("x", i), Statement: "x"}
	}
	return out
}

func TestApproveConsolidatedNeeds(t *testing.T) {
	three := func(rule procurement.DecisionRule) []procurement.Event {
		return ndVoting(rule, "oslo", "bergen", "tromso")
	}
	unanimous := three(procurement.RuleUnanimous)

	t.Run("a_member_approves_the_current_version", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(unanimous...).
			When(ndApprove("bergen", 1)).
			Then(ndApproved("bergen", 1))
	})
	t.Run("the_comment_is_kept_trimmed", func(t *testing.T) {
		c := ndApprove("bergen", 1)
		c.Comment = "  good  "
		estest.For(t, procurement.Decider).Given(unanimous...).When(c).
			Then(procurement.ConsolidatedNeedsApproved{Org: "bergen", Version: 1, Comment: "good"})
	})
	t.Run("approving_an_outdated_version", func(t *testing.T) {
		h := ndThen(unanimous, ndConsolidated(2, []procurement.SubmissionRef{ndSrc("bergen", 1), ndSrc("oslo", 1), ndSrc("tromso", 1)},
			ndCommon("c1", ndRef("oslo", "n1"))))
		estest.For(t, procurement.Decider).Given(h...).When(ndApprove("bergen", 1)).ThenError(procurement.ErrNeedsVersionOutdated)
	})
	t.Run("approving_a_version_that_does_not_exist_yet", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(unanimous...).When(ndApprove("bergen", 2)).ThenError(procurement.ErrNeedsVersionOutdated)
	})
	t.Run("approving_twice_is_refused_not_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(unanimous, ndApproved("bergen", 1))...).
			When(ndApprove("bergen", 1)).ThenError(procurement.ErrAlreadyVoted)
	})
	t.Run("approving_after_rejecting_is_refused", func(t *testing.T) {
		h := ndThen(three(procurement.RuleMajority), ndRejected("bergen", 1, "too narrow"))
		estest.For(t, procurement.Decider).Given(h...).When(ndApprove("bergen", 1)).ThenError(procurement.ErrAlreadyVoted)
	})
	t.Run("voting_after_the_outcome", func(t *testing.T) {
		h := ndThen(three(procurement.RuleMajority), ndApproved("oslo", 1), ndApproved("bergen", 1),
			ndDecided(1, procurement.NeedsApproved, procurement.RuleMajority, []string{"oslo", "bergen"}, nil))
		estest.For(t, procurement.Decider).Given(h...).When(ndApprove("tromso", 1)).ThenError(procurement.ErrNeedsVersionDecided)
	})
	t.Run("nothing_to_approve_before_a_consolidation", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndInNeeds()...).When(ndApprove("bergen", 1)).ThenError(procurement.ErrNoConsolidation)
	})
	t.Run("the_hub_does_not_vote", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(unanimous...).When(ndApprove(hub, 1)).ThenError(procurement.ErrNotMember)
	})
	t.Run("a_withdrawn_member_does_not_vote", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(three(procurement.RuleMajority), withdrew("tromso"))...).
			When(ndApprove("tromso", 1)).ThenError(procurement.ErrNotMember)
	})
	t.Run("a_stranger_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(unanimous...).When(ndApprove("acme", 1)).ThenError(procurement.ErrNotFound)
	})
	t.Run("not_before_the_needs_phase", func(t *testing.T) {
		h := []procurement.Event{created(), invited("oslo"), invited("bergen"), procurement.RecruitmentOpened{},
			joined("oslo"), joined("bergen"), procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}}}
		estest.For(t, procurement.Decider).Given(h...).When(ndApprove("oslo", 1)).ThenError(procurement.ErrNotNeedsPhase)
	})
	t.Run("a_comment_over_2000_letters", func(t *testing.T) {
		c := ndApprove("bergen", 1)
		c.Comment = runes(2001)
		estest.For(t, procurement.Decider).Given(unanimous...).When(c).ThenError(procurement.ErrReasonTooLong)
	})
}

func TestRejectConsolidatedNeeds(t *testing.T) {
	majority := ndVoting(procurement.RuleMajority, "oslo", "bergen", "tromso")
	t.Run("a_member_rejects_with_reasons", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(majority...).
			When(ndReject("bergen", 1, "  tunnels are missing ")).
			Then(ndRejected("bergen", 1, "tunnels are missing"))
	})
	t.Run("rejecting_without_a_comment", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(majority...).When(ndReject("bergen", 1, "   ")).ThenError(procurement.ErrRejectionReasonRequired)
	})
	t.Run("a_comment_over_2000_letters", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(majority...).When(ndReject("bergen", 1, runes(2001))).ThenError(procurement.ErrReasonTooLong)
	})
	t.Run("rejecting_twice_is_refused_not_a_no_op", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(majority, ndRejected("bergen", 1, "no"))...).
			When(ndReject("bergen", 1, "still no")).ThenError(procurement.ErrAlreadyVoted)
	})
	t.Run("rejecting_after_approving_is_refused", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndThen(majority, ndApproved("bergen", 1))...).
			When(ndReject("bergen", 1, "changed my mind")).ThenError(procurement.ErrAlreadyVoted)
	})
	t.Run("rejecting_an_outdated_version", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(majority...).When(ndReject("bergen", 0, "no")).ThenError(procurement.ErrNeedsVersionOutdated)
	})
	t.Run("rejecting_after_the_outcome", func(t *testing.T) {
		h := ndThen(majority, ndApproved("oslo", 1), ndApproved("bergen", 1),
			ndDecided(1, procurement.NeedsApproved, procurement.RuleMajority, []string{"oslo", "bergen"}, nil))
		estest.For(t, procurement.Decider).Given(h...).When(ndReject("tromso", 1, "too late")).ThenError(procurement.ErrNeedsVersionDecided)
	})
	t.Run("a_stranger_is_told_there_is_no_such_case", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(majority...).When(ndReject(otherHub, 1, "no")).ThenError(procurement.ErrNotFound)
	})
}

func TestConsolidatedNeedsDecided(t *testing.T) {
	members := []string{"oslo", "bergen", "tromso"} // oslo leads
	voting := func(rule procurement.DecisionRule, votes ...procurement.Event) []procurement.Event {
		return ndThen(ndVoting(rule, members...), votes...)
	}
	const (
		unanimous = procurement.RuleUnanimous
		majority  = procurement.RuleMajority
		lead      = procurement.RuleLeadDecides
	)
	approved, rejected := procurement.NeedsApproved, procurement.NeedsRejected
	type vote = procurement.Command
	for _, c := range []struct {
		name  string
		rule  procurement.DecisionRule
		given []procurement.Event
		when  vote
		then  []procurement.Event
	}{
		{"unanimous_the_last_approval_approves", unanimous,
			[]procurement.Event{ndApproved("oslo", 1), ndApproved("tromso", 1)}, ndApprove("bergen", 1),
			[]procurement.Event{ndApproved("bergen", 1), ndDecided(1, approved, unanimous, []string{"oslo", "tromso", "bergen"}, nil)}},
		{"unanimous_an_approval_before_the_last_leaves_the_vote_open", unanimous,
			[]procurement.Event{ndApproved("oslo", 1)}, ndApprove("bergen", 1),
			[]procurement.Event{ndApproved("bergen", 1)}},
		{"unanimous_one_rejection_rejects", unanimous,
			[]procurement.Event{ndApproved("oslo", 1)}, ndReject("tromso", 1, "too narrow"),
			[]procurement.Event{ndRejected("tromso", 1, "too narrow"), ndDecided(1, rejected, unanimous, []string{"oslo"}, []string{"tromso"})}},
		{"majority_two_of_three_approve", majority,
			[]procurement.Event{ndApproved("tromso", 1)}, ndApprove("bergen", 1),
			[]procurement.Event{ndApproved("bergen", 1), ndDecided(1, approved, majority, []string{"tromso", "bergen"}, nil)}},
		{"majority_one_of_three_leaves_the_vote_open", majority,
			nil, ndApprove("bergen", 1),
			[]procurement.Event{ndApproved("bergen", 1)}},
		{"majority_one_rejection_of_three_leaves_the_vote_open", majority,
			nil, ndReject("bergen", 1, "no"),
			[]procurement.Event{ndRejected("bergen", 1, "no")}},
		{"majority_two_rejections_of_three_reject", majority,
			[]procurement.Event{ndApproved("oslo", 1), ndRejected("tromso", 1, "no")}, ndReject("bergen", 1, "no"),
			[]procurement.Event{ndRejected("bergen", 1, "no"), ndDecided(1, rejected, majority, []string{"oslo"}, []string{"tromso", "bergen"})}},
		{"lead_decides_the_leads_approval_approves_alone", lead,
			nil, ndApprove("oslo", 1),
			[]procurement.Event{ndApproved("oslo", 1), ndDecided(1, approved, lead, []string{"oslo"}, nil)}},
		{"lead_decides_the_leads_rejection_rejects_despite_the_others", lead,
			[]procurement.Event{ndApproved("bergen", 1), ndApproved("tromso", 1)}, ndReject("oslo", 1, "not yet"),
			[]procurement.Event{ndRejected("oslo", 1, "not yet"), ndDecided(1, rejected, lead, []string{"bergen", "tromso"}, []string{"oslo"})}},
		{"lead_decides_the_others_do_not_decide", lead,
			[]procurement.Event{ndApproved("bergen", 1)}, ndApprove("tromso", 1),
			[]procurement.Event{ndApproved("tromso", 1)}},
		{"lead_decides_another_members_rejection_does_not_decide", lead,
			nil, ndReject("tromso", 1, "no"),
			[]procurement.Event{ndRejected("tromso", 1, "no")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			estest.For(t, procurement.Decider).Given(voting(c.rule, c.given...)...).When(c.when).Then(c.then...)
		})
	}
	t.Run("majority_of_two_needs_both", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(ndVoting(majority, "oslo", "bergen")...).
			When(ndApprove("bergen", 1)).
			Then(ndApproved("bergen", 1))
	})
	t.Run("majority_a_tie_of_four_rejects", func(t *testing.T) {
		h := ndThen(ndVoting(majority, "oslo", "bergen", "tromso", "alta"), ndApproved("oslo", 1), ndApproved("bergen", 1), ndRejected("tromso", 1, "no"))
		estest.For(t, procurement.Decider).Given(h...).
			When(ndReject("alta", 1, "no")).
			Then(ndRejected("alta", 1, "no"), ndDecided(1, rejected, majority, []string{"oslo", "bergen"}, []string{"tromso", "alta"}))
	})
	t.Run("the_decided_version_is_settled_in_the_state", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(voting(unanimous, ndApproved("oslo", 1), ndApproved("tromso", 1))...).
			When(ndApprove("bergen", 1)).
			ThenState(func(t testing.TB, s procurement.State) {
				ndConsolidationIs(1, approved, "oslo", "tromso", "bergen")(t, s)
				if !s.ApprovedNeeds() {
					t.Fatal("the needs are not approved")
				}
			})
	})
	// A withdrawal takes the member out of the vote; when the remaining
	// members' votes are then enough, the withdrawal itself settles it (after
	// the cost shares are recalculated for the members who remain).
	t.Run("unanimous_a_withdrawal_of_the_last_open_voter_approves", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(voting(unanimous, ndApproved("oslo", 1), ndApproved("bergen", 1))...).
			When(withdraw("tromso", "the council cut the budget")).
			Then(withdrew("tromso"),
				procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: day(10), Reason: procurement.ReasonMemberWithdrew,
					Shares: ndEqualShares([]string{"bergen", "oslo"})},
				ndDecided(1, approved, unanimous, []string{"oslo", "bergen"}, nil))
	})
	t.Run("majority_a_withdrawal_makes_one_rejection_of_two_reject", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(voting(majority, ndRejected("bergen", 1, "no"))...).
			When(withdraw("tromso", "the council cut the budget")).
			Then(withdrew("tromso"),
				procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: day(10), Reason: procurement.ReasonMemberWithdrew,
					Shares: ndEqualShares([]string{"bergen", "oslo"})},
				ndDecided(1, rejected, majority, nil, []string{"bergen"}))
	})
	t.Run("a_withdrawal_that_does_not_settle_the_vote_leaves_it_open", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(voting(unanimous, ndApproved("oslo", 1))...).
			When(withdraw("tromso", "the council cut the budget")).
			Then(withdrew("tromso"),
				procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: day(10), Reason: procurement.ReasonMemberWithdrew,
					Shares: ndEqualShares([]string{"bergen", "oslo"})})
	})
	t.Run("the_decision_records_only_the_votes_that_counted", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(voting(majority, ndRejected("tromso", 1, "no"), withdrew("tromso"))...).
			When(ndReject("bergen", 1, "no")).
			Then(ndRejected("bergen", 1, "no"), ndDecided(1, rejected, majority, nil, []string{"bergen"}))
	})
	t.Run("a_rejected_version_is_followed_by_a_new_vote", func(t *testing.T) {
		h := voting(unanimous, ndRejected("bergen", 1, "no"), ndDecided(1, rejected, unanimous, nil, []string{"bergen"}),
			ndConsolidated(2, []procurement.SubmissionRef{ndSrc("bergen", 1), ndSrc("oslo", 1), ndSrc("tromso", 1)}, ndCommon("c2", ndRef("oslo", "n1"))),
			ndApproved("oslo", 2), ndApproved("tromso", 2))
		estest.For(t, procurement.Decider).Given(h...).
			When(ndApprove("bergen", 2)).
			Then(ndApproved("bergen", 2), ndDecided(2, approved, unanimous, []string{"oslo", "tromso", "bergen"}, nil))
	})
}
