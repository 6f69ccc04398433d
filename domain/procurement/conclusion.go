package procurement

import (
	"fmt"
	"slices"
	"time"
)

// Transition 4 (DOMAIN.md §2), AGREEMENT → NEEDS, has no command of its own:
// it happens with the command that fulfils its last condition. The conditions:
// the current agreement version signed by every joined member, a lead
// designated, every other joined member's active mandate to the lead covering
// what it does next (prepare and publish), and a cost-sharing key set.

// ConclusionScopes are the acts every member's mandate to the lead must cover
// before the needs phase.
var ConclusionScopes = []Scope{ScopePrepare, ScopePublish}

// AgreementGaps lists what still stands between the case and the needs phase
// on day `at`, in a stable order; none means it can conclude.
func (s State) AgreementGaps(at time.Time) []string {
	var gaps []string
	joined := s.joinedMembers()
	if len(joined) < MinJoinedMembers {
		gaps = append(gaps, fmt.Sprintf("only %d joined member(s) remain: a joint procurement needs at least %d", len(joined), MinJoinedMembers))
	}
	if s.Agreement.Version == 0 {
		gaps = append(gaps, "no cooperation agreement is drafted")
	} else {
		for _, org := range joined {
			if !s.Agreement.SignedCurrent(org) {
				gaps = append(gaps, fmt.Sprintf("%s has not signed version %d", org, s.Agreement.Version))
			}
		}
	}
	if s.Lead == "" {
		gaps = append(gaps, "no lead is designated")
	} else {
		for _, org := range joined {
			if org == s.Lead {
				continue
			}
			for _, sc := range ConclusionScopes {
				if _, ok := s.MandateCovers(org, s.Lead, sc, at); !ok {
					gaps = append(gaps, fmt.Sprintf("%s has no active mandate to %s covering %s", org, s.Lead, sc))
				}
			}
		}
	}
	if s.CostKey.Version == 0 {
		gaps = append(gaps, "no cost-sharing key is set")
	}
	return gaps
}

// joinedMembers lists the joined members in organisation ID order.
func (s State) joinedMembers() []string {
	var out []string
	for _, m := range s.MembersSorted() {
		if m.Status == MemberJoined {
			out = append(out, m.Org)
		}
	}
	return out
}

// concludeAgreement returns AgreementConcluded when s is in AGREEMENT and has
// no gaps left.
func concludeAgreement(s State, at time.Time) []Event {
	if s.Phase != PhaseAgreement || len(s.AgreementGaps(at)) > 0 {
		return nil
	}
	var mandates []string
	for _, org := range s.joinedMembers() {
		if org == s.Lead {
			continue
		}
		for _, sc := range ConclusionScopes {
			if id, ok := s.MandateCovers(org, s.Lead, sc, at); ok && !slices.Contains(mandates, id) {
				mandates = append(mandates, id)
			}
		}
	}
	return []Event{AgreementConcluded{
		Version: s.Agreement.Version, DocumentHash: s.Agreement.Terms.DocumentHash, Lead: s.Lead,
		Members: s.joinedMembers(), Mandates: mandates, CostKeyVersion: s.CostKey.Version,
	}}
}
