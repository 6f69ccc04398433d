package procurement_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/procurement"
)

// ndTask is a task as the tests name it: its kind and the version it concerns.
type ndTask struct {
	kind    procurement.TaskKind
	version int
}

func (k ndTask) String() string { return fmt.Sprintf("%s/%d", k.kind, k.version) }

func ndT(kind procurement.TaskKind, version ...int) ndTask {
	if len(version) > 0 {
		return ndTask{kind, version[0]}
	}
	return ndTask{kind: kind}
}

// ndTasksAre checks org's task list in the case told by history on day `at`.
func ndTasksAre(t *testing.T, history []procurement.Event, org string, at time.Time, want ...ndTask) {
	t.Helper()
	tasks := procurement.Decider.Fold(history).Tasks(org, at)
	got := make([]ndTask, len(tasks))
	for i, task := range tasks {
		got[i] = ndTask{task.Kind, task.Version}
		if strings.TrimSpace(task.Text) == "" {
			t.Errorf("task %s of %s has no text", got[i], org)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("tasks of %s: %v, want %v", org, got, want)
	}
}

func ndAnchored(org string) procurement.Event {
	return procurement.AnchoringDecisionRecorded{Org: org, Anchoring: procurement.Anchoring{DecidingBody: "bystyret", DecisionDate: "2025-03-04", CaseRef: "25/1"}}
}

func TestTasks(t *testing.T) {
	const (
		answer      = procurement.TaskAnswerInvitation
		anchor      = procurement.TaskRecordAnchoring
		closing     = procurement.TaskCloseRecruitment
		draft       = procurement.TaskDraftAgreement
		sign        = procurement.TaskSignAgreement
		consent     = procurement.TaskConsentToLead
		designate   = procurement.TaskDesignateLead
		mandate     = procurement.TaskGrantMandate
		costKey     = procurement.TaskSetCostKey
		submit      = procurement.TaskSubmitNeeds
		consolidate = procurement.TaskConsolidateNeeds
		approve     = procurement.TaskApproveConsolidated
		commit      = procurement.TaskCommitVolume
	)
	now := day(30)
	then := ndThen

	// The case step by step; oslo becomes the lead, bergen the other member.
	invitedOnly := []procurement.Event{created(), invited("oslo"), invited("bergen")}
	recruiting := then(invitedOnly, procurement.RecruitmentOpened{}, joined("oslo"))
	osloAnchored := then(recruiting, ndAnchored("oslo"))
	bothJoined := then(osloAnchored, joined("bergen"), ndAnchored("bergen"))
	agreement := then(bothJoined, procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}})
	drafted := then(agreement, procurement.CooperationAgreementDrafted{Version: 1, Terms: ndTerms(procurement.RuleUnanimous)})
	osloSigned1 := then(drafted, ndSigned("oslo", 1))
	amended := then(osloSigned1, procurement.CooperationAgreementAmended{Version: 2, Terms: ndTerms(procurement.RuleMajority)})
	osloConsents := then(amended, procurement.LeadConsentGiven{Org: "oslo", Lead: "oslo"})
	allConsent := then(osloConsents, procurement.LeadConsentGiven{Org: "bergen", Lead: "oslo"})
	designated := then(allConsent, procurement.LeadAuthorityDesignated{Lead: "oslo", ConsentFrom: []string{"bergen", "oslo"}})
	mandated := then(designated, ndMandate("bergen", "oslo"))
	keySet := then(mandated, procurement.CostSharingKeySet{Version: 1, Key: ndEqualKey},
		procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: day(15), Reason: procurement.ReasonKeySet, Shares: ndEqualShares([]string{"bergen", "oslo"})})
	needs := then(keySet, ndSigned("oslo", 2), ndSigned("bergen", 2),
		procurement.AgreementConcluded{Version: 2, DocumentHash: ndHash, Lead: "oslo", Members: []string{"bergen", "oslo"}, Mandates: []string{"m-bergen"}, CostKeyVersion: 1})
	osloSubmitted := then(needs, ndSubmitted("oslo", 1, ndNeed("n1")))
	allSubmitted := then(osloSubmitted, ndSubmitted("bergen", 1, ndNeed("n1")))
	sources := []procurement.SubmissionRef{ndSrc("bergen", 1), ndSrc("oslo", 1)}
	common := ndCommon("c1", ndRef("oslo", "n1"), ndRef("bergen", "n1"))
	version1 := then(allSubmitted, ndConsolidated(1, sources, common))
	osloApproved1 := then(version1, ndApproved("oslo", 1))
	rejected1 := then(osloApproved1, ndRejected("bergen", 1, "tunnels missing"),
		ndDecided(1, procurement.NeedsRejected, procurement.RuleMajority, []string{"oslo"}, []string{"bergen"}))
	resubmitted := then(version1, ndSubmitted("bergen", 2, ndNeed("n1"), ndNeed("n2")))
	version2 := then(rejected1, ndConsolidated(2, sources, common))
	approved2 := then(version2, ndApproved("oslo", 2), ndApproved("bergen", 2),
		ndDecided(2, procurement.NeedsApproved, procurement.RuleMajority, []string{"oslo", "bergen"}, nil))
	bergenCommitted := then(approved2, cmCommitted("bergen", cmBinding, "10", 1000))

	for _, c := range []struct {
		name    string
		history []procurement.Event
		org     string
		want    []ndTask
	}{
		{"an_invited_member_answers_the_invitation", invitedOnly, "oslo", []ndTask{ndT(answer)}},
		{"the_hub_waits_while_invitations_are_open", invitedOnly, hub, nil},
		{"an_invited_member_still_answers_during_recruitment", recruiting, "bergen", []ndTask{ndT(answer)}},
		{"a_member_that_joined_records_its_anchoring", recruiting, "oslo", []ndTask{ndT(anchor)}},
		{"an_anchored_member_waits_during_recruitment", osloAnchored, "oslo", nil},
		{"the_hub_cannot_close_while_an_invitation_is_open", osloAnchored, hub, nil},
		{"the_hub_closes_recruitment_once_every_invitation_is_answered", bothJoined, hub, []ndTask{ndT(closing)}},
		{"the_hub_cannot_close_with_one_member", then(osloAnchored, declined("bergen")), hub, nil},
		{"the_hub_drafts_the_agreement_and_sets_the_cost_key", agreement, hub, []ndTask{ndT(draft), ndT(costKey)}},
		{"a_member_consents_to_a_lead", agreement, "oslo", []ndTask{ndT(consent)}},
		{"an_unanchored_member_is_reminded_in_every_phase", then(recruiting, joined("bergen"), procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}}),
			"bergen", []ndTask{ndT(anchor), ndT(consent)}},
		{"once_drafted_the_hub_only_sets_the_cost_key", drafted, hub, []ndTask{ndT(costKey)}},
		{"a_member_signs_version_1", drafted, "oslo", []ndTask{ndT(sign, 1), ndT(consent)}},
		{"a_member_that_signed_does_not_sign_again", osloSigned1, "oslo", []ndTask{ndT(consent)}},
		{"the_other_member_still_signs_version_1", osloSigned1, "bergen", []ndTask{ndT(sign, 1), ndT(consent)}},
		{"after_an_amendment_the_member_signs_version_2", amended, "oslo", []ndTask{ndT(sign, 2), ndT(consent)}},
		{"a_member_that_consented_does_not_consent_again", osloConsents, "oslo", []ndTask{ndT(sign, 2)}},
		{"the_hub_cannot_designate_without_every_consent", osloConsents, hub, []ndTask{ndT(costKey)}},
		{"the_hub_designates_the_lead_every_member_consents_to", allConsent, hub, []ndTask{ndT(designate), ndT(costKey)}},
		{"the_hub_cannot_designate_when_the_consents_differ",
			then(osloConsents, procurement.LeadConsentGiven{Org: "bergen", Lead: "bergen"}), hub, []ndTask{ndT(costKey)}},
		{"the_other_member_grants_the_lead_a_mandate", designated, "bergen", []ndTask{ndT(sign, 2), ndT(mandate)}},
		{"the_lead_grants_itself_no_mandate", designated, "oslo", []ndTask{ndT(sign, 2)}},
		{"a_mandate_without_publish_is_not_enough",
			then(designated, procurement.MandateGranted{MandateID: "m-bergen", From: "bergen", To: "oslo", Scope: []procurement.Scope{procurement.ScopePrepare}, ValidUntil: "2025-12-31"}),
			"bergen", []ndTask{ndT(sign, 2), ndT(mandate)}},
		{"a_revoked_mandate_is_asked_for_again",
			then(mandated, procurement.MandateRevoked{MandateID: "m-bergen", From: "bergen", Reason: "x"}), "bergen", []ndTask{ndT(sign, 2), ndT(mandate)}},
		{"a_mandated_member_only_signs", mandated, "bergen", []ndTask{ndT(sign, 2)}},
		{"the_hub_has_nothing_left_once_the_key_is_set", keySet, hub, nil},
		{"in_the_needs_phase_the_lead_submits_and_commits", needs, "oslo", []ndTask{ndT(submit), ndT(commit)}},
		{"in_the_needs_phase_a_member_submits_and_commits", needs, "bergen", []ndTask{ndT(submit), ndT(commit)}},
		{"the_hub_waits_for_the_submissions", needs, hub, nil},
		{"a_member_that_submitted_only_commits", osloSubmitted, "oslo", []ndTask{ndT(commit)}},
		{"the_hub_waits_for_the_last_submission", osloSubmitted, hub, nil},
		{"the_hub_consolidates_version_1_once_everyone_submitted", allSubmitted, hub, []ndTask{ndT(consolidate, 1)}},
		{"the_lead_consolidates_too", allSubmitted, "oslo", []ndTask{ndT(commit), ndT(consolidate, 1)}},
		{"a_member_does_not_consolidate", allSubmitted, "bergen", []ndTask{ndT(commit)}},
		{"the_hub_waits_for_the_vote", version1, hub, nil},
		{"the_lead_approves_version_1", version1, "oslo", []ndTask{ndT(approve, 1), ndT(commit)}},
		{"a_member_approves_version_1", version1, "bergen", []ndTask{ndT(approve, 1), ndT(commit)}},
		{"a_member_that_voted_waits", osloApproved1, "oslo", []ndTask{ndT(commit)}},
		{"the_others_still_vote", osloApproved1, "bergen", []ndTask{ndT(approve, 1), ndT(commit)}},
		{"after_a_rejection_the_hub_consolidates_version_2", rejected1, hub, []ndTask{ndT(consolidate, 2)}},
		{"after_a_rejection_the_lead_consolidates_version_2", rejected1, "oslo", []ndTask{ndT(commit), ndT(consolidate, 2)}},
		{"after_a_rejection_nobody_votes_on_version_1", rejected1, "bergen", []ndTask{ndT(commit)}},
		{"after_a_resubmission_the_hub_consolidates_version_2", resubmitted, hub, []ndTask{ndT(consolidate, 2)}},
		{"after_a_resubmission_version_1_is_still_up_for_vote", resubmitted, "bergen", []ndTask{ndT(approve, 1), ndT(commit)}},
		{"a_member_approves_version_2", version2, "bergen", []ndTask{ndT(approve, 2), ndT(commit)}},
		{"the_hub_waits_for_the_vote_on_version_2", version2, hub, nil},
		{"once_approved_the_hub_invites_the_market", approved2, hub, []ndTask{ndT(procurement.TaskPublishDialogueNotice)}},
		{"once_approved_the_lead_commits_and_may_invite_the_market", approved2, "oslo", []ndTask{ndT(commit), ndT(procurement.TaskPublishDialogueNotice)}},
		{"once_approved_a_member_only_commits", approved2, "bergen", []ndTask{ndT(commit)}},
		{"a_member_that_committed_has_nothing_left", bergenCommitted, "bergen", nil},
		{"the_lead_still_commits", bergenCommitted, "oslo", []ndTask{ndT(commit), ndT(procurement.TaskPublishDialogueNotice)}},
		{"a_stranger_has_no_tasks", version1, "acme", nil},
		{"another_hub_has_no_tasks", allSubmitted, otherHub, nil},
		{"a_withdrawn_member_has_no_tasks",
			then(ndCase(procurement.RuleUnanimous, "oslo", "bergen", "tromso"), withdrew("tromso")), "tromso", nil},
		{"a_cancelled_case_has_no_tasks_for_the_hub", then(allSubmitted, cancelled()), hub, nil},
		{"a_cancelled_case_has_no_tasks_for_members", then(version1, cancelled()), "bergen", nil},
		{"no_case_no_tasks", nil, hub, nil},
	} {
		t.Run(c.name, func(t *testing.T) { ndTasksAre(t, c.history, c.org, now, c.want...) })
	}

	t.Run("a_mandate_past_its_last_day_is_asked_for_again", func(t *testing.T) {
		ndTasksAre(t, mandated, "bergen", time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC), ndT(sign, 2), ndT(mandate))
	})
	t.Run("a_withdrawal_of_the_last_member_who_had_not_submitted_lets_the_hub_consolidate", func(t *testing.T) {
		h := then(ndCase(procurement.RuleUnanimous, "oslo", "bergen", "tromso"), ndSubmittedAll("oslo", "bergen")...)
		ndTasksAre(t, h, hub, now)
		ndTasksAre(t, then(h, withdrew("tromso")), hub, now, ndT(consolidate, 1))
	})
	// A member that consented to a lead that then withdrew (it was not yet
	// designated, so it may) has in effect no consent: DesignateLeadAuthority
	// refuses the withdrawn organisation (ErrLeadNotMember).
	consentedToTromso := then([]procurement.Event{created(), invited("oslo"), invited("bergen"), invited("tromso"),
		procurement.RecruitmentOpened{}, joined("oslo"), joined("bergen"), joined("tromso"), ndAnchored("oslo"), ndAnchored("bergen"),
		procurement.RecruitmentClosed{Members: []string{"bergen", "oslo", "tromso"}}},
		procurement.LeadConsentGiven{Org: "oslo", Lead: "tromso"}, procurement.LeadConsentGiven{Org: "bergen", Lead: "tromso"},
		procurement.LeadConsentGiven{Org: "tromso", Lead: "tromso"}, withdrew("tromso"))
	t.Run("the_hub_is_not_told_to_designate_a_lead_that_withdrew", func(t *testing.T) {
		ndTasksAre(t, consentedToTromso, hub, now, ndT(draft), ndT(costKey))
	})
	t.Run("a_member_whose_chosen_lead_withdrew_consents_again", func(t *testing.T) {
		ndTasksAre(t, consentedToTromso, "oslo", now, ndT(consent))
	})
	t.Run("the_texts_name_the_version", func(t *testing.T) {
		for _, task := range procurement.Decider.Fold(version2).Tasks("bergen", now) {
			if task.Kind == approve && !strings.Contains(task.Text, "version 2") {
				t.Fatalf("the text %q does not name version 2", task.Text)
			}
		}
	})
}
