package procurement_test

import (
	"slices"
	"testing"

	"github.com/felles/felles/domain/procurement"
)

// ndOneOfEachType is one example of every procurement event type.
func ndOneOfEachType() []procurement.Event {
	return []procurement.Event{
		created(), invited("bergen"), joined("bergen"), declined("oslo"), withdrew("bergen"), cancelled(),
		procurement.RecruitmentOpened{},
		procurement.RecruitmentClosed{Members: []string{"bergen", "oslo"}},
		ndAnchored("bergen"),
		ndMandate("bergen", "oslo"),
		procurement.MandateRevoked{MandateID: "m-bergen", From: "bergen", Reason: "new lead"},
		procurement.CooperationAgreementDrafted{Version: 1, Terms: ndTerms(procurement.RuleUnanimous)},
		procurement.CooperationAgreementAmended{Version: 2, Terms: ndTerms(procurement.RuleMajority)},
		ndSigned("bergen", 1),
		procurement.LeadConsentGiven{Org: "bergen", Lead: "oslo"},
		procurement.LeadAuthorityDesignated{Lead: "oslo", ConsentFrom: []string{"bergen", "oslo"}},
		procurement.CostSharingKeySet{Version: 1, Key: ndEqualKey},
		procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: day(15), Reason: procurement.ReasonKeySet, Shares: ndEqualShares([]string{"bergen", "oslo"})},
		procurement.AgreementConcluded{Version: 1, DocumentHash: ndHash, Lead: "oslo", Members: []string{"bergen", "oslo"}, Mandates: []string{"m-bergen"}, CostKeyVersion: 1},
		ndDrafted("bergen", 1, ndNeed("n1")),
		ndSubmitted("bergen", 1, ndNeed("n1")),
		ndConsolidated(1, []procurement.SubmissionRef{ndSrc("bergen", 1)}, ndCommon("c1", ndRef("bergen", "n1"))),
		ndApproved("bergen", 1),
		ndRejected("oslo", 1, "no"),
		ndDecided(1, procurement.NeedsRejected, procurement.RuleUnanimous, []string{"bergen"}, []string{"oslo"}),
		cmCommitted("bergen", cmBinding, "1", 100),
		procurement.VolumeCommitmentChanged{Commitment: cmCommitment("bergen", cmBinding, "2", 200), PreviousQuantity: "1", PreviousValue: 100},
	}
}

func TestVisibility(t *testing.T) {
	t.Run("the_examples_cover_every_registered_event_type", func(t *testing.T) {
		var names []string
		for _, e := range ndOneOfEachType() {
			names = append(names, e.EventType())
		}
		slices.Sort(names)
		if want := procurement.Events().Names(); !slices.Equal(names, slices.Sorted(slices.Values(want))) {
			t.Fatalf("examples %v\nregistered %v", names, want)
		}
	})
	t.Run("a_needs_draft_is_org_private_to_its_member", func(t *testing.T) {
		v, owner := procurement.VisibilityOf(ndDrafted("bergen", 1, ndNeed("n1")))
		if v != procurement.VisibilityOrgPrivate || owner != "bergen" {
			t.Fatalf("got %s of %q, want ORG_PRIVATE of bergen", v, owner)
		}
	})
	t.Run("only_its_member_sees_a_needs_draft", func(t *testing.T) {
		e := ndDrafted("bergen", 1, ndNeed("n1"))
		if !procurement.VisibleTo(e, "bergen") {
			t.Fatal("bergen does not see its own draft")
		}
		for _, org := range []string{hub, "oslo", "tromso", otherHub, "acme", "", "*"} {
			if procurement.VisibleTo(e, org) {
				t.Errorf("%q sees bergen's draft", org)
			}
		}
	})
	t.Run("every_other_event_is_case_internal", func(t *testing.T) {
		for _, e := range ndOneOfEachType() {
			if _, ok := e.(procurement.NeedsDraftSaved); ok {
				continue
			}
			if v, owner := procurement.VisibilityOf(e); v != procurement.VisibilityCaseInternal || owner != "" {
				t.Errorf("%s is %s of %q, want CASE_INTERNAL", e.EventType(), v, owner)
			}
			for _, org := range []string{hub, "oslo", "bergen"} {
				if !procurement.VisibleTo(e, org) {
					t.Errorf("%s is hidden from %s", e.EventType(), org)
				}
			}
		}
	})
	t.Run("a_submission_is_no_longer_private", func(t *testing.T) {
		if v, _ := procurement.VisibilityOf(ndSubmitted("bergen", 1, ndNeed("n1"))); v != procurement.VisibilityCaseInternal {
			t.Fatalf("a submission is %s", v)
		}
	})
}
