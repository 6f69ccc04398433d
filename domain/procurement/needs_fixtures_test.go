package procurement_test

import (
	"slices"
	"testing"

	"github.com/felles/felles/domain/costshare"
	"github.com/felles/felles/domain/procurement"
)

// Fixtures of the needs phase (behovsavklaring) and the volume commitments.
// Every helper here is prefixed nd (needs) or cm (commitments) so it never
// collides with the shared fixtures.

// ndHash is the SHA-256 of the cooperation agreement's text in the scenarios.
const ndHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

// ndTerms are valid agreement terms whose approval rule is the one under test.
func ndTerms(approval procurement.DecisionRule) procurement.AgreementTerms {
	return procurement.AgreementTerms{
		DocumentHash:    ndHash,
		DecisionRules:   procurement.DecisionRules{Procedure: procurement.RuleUnanimous, Approval: approval, Award: procurement.RuleUnanimous},
		SigningModel:    procurement.SigningLeadSignsAll,
		LiabilityTerms:  "Joint responsibility for what is done in the name of all.",
		WithdrawalTerms: "Costs accrued up to the withdrawal stay with the member.",
	}
}

// ndSigned is member org signing version v of the agreement.
func ndSigned(org string, v int) procurement.Event {
	return procurement.CooperationAgreementSigned{Org: org, Version: v, DocumentHash: ndHash, Signatory: "mayor@" + org, SignatureRef: "bankid-" + org}
}

// ndMandate is member org's mandate to lead covering what the needs phase requires.
func ndMandate(org, lead string) procurement.Event {
	return procurement.MandateGranted{MandateID: "m-" + org, From: org, To: lead,
		Scope: []procurement.Scope{procurement.ScopePrepare, procurement.ScopePublish}, ValidUntil: "2025-12-31"}
}

var ndEqualKey = procurement.CostKey{Method: costshare.Equal}

// ndEqualShares are the EQUAL key's shares of members as the case calculates them.
func ndEqualShares(members []string) []procurement.MemberShare {
	var in []costshare.Member
	for _, org := range members {
		in = append(in, costshare.Member{Org: org})
	}
	shares, err := costshare.Shares(costshare.Key{Method: costshare.Equal}, in)
	if err != nil {
		panic(err)
	}
	out := make([]procurement.MemberShare, len(shares))
	for i, sh := range shares {
		out[i] = procurement.MemberShare{Org: sh.Org, BasisPoints: sh.BasisPoints}
	}
	return out
}

// ndCase is the history of a case that has just entered the needs phase: the
// members joined, signed version 1 of the agreement (with the given approval
// rule), consented to the first member as lead and gave it their mandates; the
// hub set an EQUAL cost key. The first member is the lead.
func ndCase(rule procurement.DecisionRule, members ...string) []procurement.Event {
	lead := members[0]
	sorted := slices.Sorted(slices.Values(members))
	h := []procurement.Event{created()}
	for _, org := range members {
		h = append(h, invited(org))
	}
	h = append(h, procurement.RecruitmentOpened{})
	for _, org := range members {
		h = append(h, joined(org))
	}
	h = append(h, procurement.RecruitmentClosed{Members: sorted},
		procurement.CooperationAgreementDrafted{Version: 1, Terms: ndTerms(rule)})
	for _, org := range members {
		h = append(h, ndSigned(org, 1), procurement.LeadConsentGiven{Org: org, Lead: lead})
	}
	h = append(h, procurement.LeadAuthorityDesignated{Lead: lead, ConsentFrom: sorted})
	var mandates []string
	for _, org := range sorted {
		if org != lead {
			h = append(h, ndMandate(org, lead))
			mandates = append(mandates, "m-"+org)
		}
	}
	h = append(h, procurement.CostSharingKeySet{Version: 1, Key: ndEqualKey},
		procurement.CostSharesCalculated{KeyVersion: 1, EffectiveAt: day(15), Reason: procurement.ReasonKeySet, Shares: ndEqualShares(sorted)},
		procurement.AgreementConcluded{Version: 1, DocumentHash: ndHash, Lead: lead, Members: sorted, Mandates: mandates, CostKeyVersion: 1})
	return h
}

// ndInNeeds is the usual case in the needs phase: oslo leads, bergen is the
// other member, the members approve unanimously.
func ndInNeeds() []procurement.Event { return ndCase(procurement.RuleUnanimous, "oslo", "bergen") }

// ndThen appends events to a history without changing it.
func ndThen(h []procurement.Event, more ...procurement.Event) []procurement.Event {
	return append(slices.Clip(h), more...)
}

// ndNeed is a complete need statement.
func ndNeed(id string) procurement.Need {
	return procurement.Need{ID: id, Statement: "warn drivers before an avalanche reaches the road",
		UserGroup: "road users", CurrentSolution: "manual closure", SuccessCriteria: "no car hit in a season"}
}

// --- commands ---

func ndDraft(a string, needs ...procurement.Need) procurement.SaveNeedsDraft {
	return procurement.SaveNeedsDraft{Needs: needs, Notes: "ask the road department", By: by(a), At: day(20)}
}

func ndSubmit(org string, needs ...procurement.Need) procurement.SubmitNeeds {
	return procurement.SubmitNeeds{Needs: needs, By: by(org), At: day(21)}
}

func ndConsolidate(org string, common ...procurement.CommonNeed) procurement.ConsolidateNeeds {
	return procurement.ConsolidateNeeds{CommonNeeds: common, By: by(org), At: day(22)}
}

func ndApprove(org string, v int) procurement.ApproveConsolidatedNeeds {
	return procurement.ApproveConsolidatedNeeds{Version: v, By: by(org), At: day(23)}
}

func ndReject(org string, v int, comment string) procurement.RejectConsolidatedNeeds {
	return procurement.RejectConsolidatedNeeds{Version: v, Comment: comment, By: by(org), At: day(23)}
}

// --- events ---

func ndDrafted(org string, v int, needs ...procurement.Need) procurement.Event {
	return procurement.NeedsDraftSaved{Org: org, DraftVersion: v, Needs: needs, Notes: "ask the road department"}
}

func ndSubmitted(org string, v int, needs ...procurement.Need) procurement.Event {
	return procurement.NeedsSubmitted{Org: org, Version: v, Needs: needs}
}

// ndCommon is common need id stemming from the cited members' needs.
func ndCommon(id string, sources ...procurement.NeedRef) procurement.CommonNeed {
	return procurement.CommonNeed{ID: id, Statement: "detect avalanches over roads and warn in time", Sources: sources}
}

func ndRef(org, need string) procurement.NeedRef { return procurement.NeedRef{Org: org, NeedID: need} }

func ndSrc(org string, v int) procurement.SubmissionRef {
	return procurement.SubmissionRef{Org: org, Version: v}
}

func ndConsolidated(v int, sources []procurement.SubmissionRef, common ...procurement.CommonNeed) procurement.Event {
	return procurement.NeedsConsolidated{Version: v, Sources: sources, CommonNeeds: common, Divergences: []procurement.Divergence{}}
}

func ndApproved(org string, v int) procurement.Event {
	return procurement.ConsolidatedNeedsApproved{Org: org, Version: v}
}

func ndRejected(org string, v int, comment string) procurement.Event {
	return procurement.ConsolidatedNeedsRejected{Org: org, Version: v, Comment: comment}
}

func ndDecided(v int, outcome procurement.NeedsOutcome, rule procurement.DecisionRule, approvals, rejections []string) procurement.Event {
	return procurement.ConsolidatedNeedsDecided{Version: v, Outcome: outcome, Rule: rule, Approvals: approvals, Rejections: rejections}
}

// ndSubmittedAll is every member's first submission of one need "n1".
func ndSubmittedAll(members ...string) []procurement.Event {
	var out []procurement.Event
	for _, org := range members {
		out = append(out, ndSubmitted(org, 1, ndNeed("n1")))
	}
	return out
}

// ndVoting is a case of members (the first leads) under rule where everybody
// submitted and version 1 of the consolidated needs is up for vote.
func ndVoting(rule procurement.DecisionRule, members ...string) []procurement.Event {
	h := append(ndCase(rule, members...), ndSubmittedAll(members...)...)
	var sources []procurement.SubmissionRef
	var refs []procurement.NeedRef
	for _, org := range slices.Sorted(slices.Values(members)) {
		sources = append(sources, ndSrc(org, 1))
		refs = append(refs, ndRef(org, "n1"))
	}
	return append(h, ndConsolidated(1, sources, ndCommon("c1", refs...)))
}

// ndConsolidationIs checks the state of a consolidated version.
func ndConsolidationIs(v int, outcome procurement.NeedsOutcome, approvals ...string) func(testing.TB, procurement.State) {
	return func(t testing.TB, s procurement.State) {
		t.Helper()
		if len(s.Consolidations) < v {
			t.Fatalf("no consolidated version %d", v)
		}
		c := s.Consolidations[v-1]
		if c.Outcome != outcome || !slices.Equal(c.Approvals, approvals) {
			t.Fatalf("version %d: outcome %q approvals %v, want %q %v", v, c.Outcome, c.Approvals, outcome, approvals)
		}
	}
}

// --- commitments ---

// cmCommit is member org committing quantity (worth value NOK) of lot "L1".
func cmCommit(org string, typ procurement.CommitmentType, quantity, value string) procurement.CommitVolume {
	return procurement.CommitVolume{Lot: "L1", Type: typ, Quantity: quantity, Unit: "sensors", EstimatedValue: value,
		Currency: "NOK", BudgetYears: []int{2026, 2025, 2026}, By: by(org), At: day(24)}
}

// cmCommitment is the commitment cmCommit records, value in øre.
func cmCommitment(org string, typ procurement.CommitmentType, quantity string, value int64) procurement.Commitment {
	return procurement.Commitment{Org: org, Lot: "L1", Type: typ, Quantity: quantity, Unit: "sensors",
		EstimatedValue: value, Currency: "NOK", BudgetYears: []int{2025, 2026}}
}

func cmCommitted(org string, typ procurement.CommitmentType, quantity string, value int64) procurement.Event {
	return procurement.VolumeCommitted{Commitment: cmCommitment(org, typ, quantity, value)}
}
