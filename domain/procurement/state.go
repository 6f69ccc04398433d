package procurement

import (
	"slices"
	"sort"
)

// Member is one invited municipality.
type Member struct {
	Org    string
	Status MemberStatus
}

// State is one case as its stream tells it.
type State struct {
	Created      bool
	ID           string
	Title        string
	Description  string
	Jurisdiction Jurisdiction
	CPV          []string
	Hub          string
	Phase        Phase
	Members      map[string]MemberStatus
	Anchoring    map[string]Anchoring
	Mandates     map[string]Mandate

	Agreement      Agreement
	Lead           string            // the designated lead member, "" until designated
	LeadConsents   map[string]string // member → the lead it consents to
	CostKey        CurrentCostKey
	CostShares     []CostShareEntry // every set of shares, oldest first
	Drafts         map[string]Draft // member → its private draft (ORG_PRIVATE)
	Submissions    map[string]Submission
	Consolidations []Consolidation       // every consolidated version, oldest first
	Commitments    map[string]Commitment // by member, lot and type

	Dialogue  Dialogue  // market dialogue (tender_state.go)
	Design    Design    // competition design
	Tendering Tendering // published competition and sealed submissions

	Qualification Qualification // two-stage procedures: qualification and negotiation (award_state.go)
	Evaluation    Evaluation
	Award         Awards
	Contracting   Contracting
	Cancellations []CancellationVote // every proposed cancellation, oldest first
	Withdrawals   map[string]WithdrawalRequest
}

// MembersSorted lists members by organisation ID, for stable output.
func (s State) MembersSorted() []Member {
	out := make([]Member, 0, len(s.Members))
	for org, st := range s.Members {
		out = append(out, Member{Org: org, Status: st})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Org < out[j].Org })
	return out
}

// Count returns how many members have status st.
func (s State) Count(st MemberStatus) int {
	n := 0
	for _, x := range s.Members {
		if x == st {
			n++
		}
	}
	return n
}

func initial() State {
	return State{Members: map[string]MemberStatus{}, Anchoring: map[string]Anchoring{}, Mandates: map[string]Mandate{},
		Agreement: Agreement{Signed: map[string]int{}}, LeadConsents: map[string]string{}, Drafts: map[string]Draft{},
		Submissions: map[string]Submission{}, Commitments: map[string]Commitment{}}
}

func evolve(s State, ev Event) State {
	switch e := ev.(type) {
	case CaseCreated:
		s.Created, s.ID, s.Title, s.Description = true, e.ID, e.Title, e.Description
		s.Jurisdiction, s.CPV, s.Hub, s.Phase = e.Jurisdiction, e.CPV, e.Hub, PhaseDraft
	case MunicipalityInvited:
		s.Members = with(s.Members, e.Org, MemberInvited)
	case MunicipalityJoined:
		s.Members = with(s.Members, e.Org, MemberJoined)
	case InvitationDeclined:
		s.Members = with(s.Members, e.Org, MemberDeclined)
	case MunicipalityWithdrawn:
		s.Members = with(s.Members, e.Org, MemberWithdrawn)
	case ProcurementCancelled:
		s.Phase = PhaseCancelled
	case RecruitmentOpened:
		s.Phase = PhaseRecruiting
	case RecruitmentClosed:
		s.Phase = PhaseAgreement
	case MandateGranted:
		s.Mandates = with(s.Mandates, e.MandateID, Mandate{ID: e.MandateID, From: e.From, To: e.To, Scope: e.Scope, ValidUntil: e.ValidUntil})
	case MandateRevoked:
		if m, ok := s.Mandates[e.MandateID]; ok {
			m.Revoked = true
			s.Mandates = with(s.Mandates, m.ID, m)
		}
	case AnchoringDecisionRecorded:
		s.Anchoring = with(s.Anchoring, e.Org, e.Anchoring)
	case CooperationAgreementDrafted:
		s.Agreement = Agreement{Version: e.Version, Terms: e.Terms, Signed: s.Agreement.Signed}
	case CooperationAgreementAmended:
		s.Agreement = Agreement{Version: e.Version, Terms: e.Terms, Signed: s.Agreement.Signed}
	case CooperationAgreementSigned:
		s.Agreement.Signed = with(s.Agreement.Signed, e.Org, e.Version)
	case LeadConsentGiven:
		s.LeadConsents = with(s.LeadConsents, e.Org, e.Lead)
	case LeadAuthorityDesignated:
		s.Lead = e.Lead
	case CostSharingKeySet:
		s.CostKey = CurrentCostKey{Version: e.Version, Key: e.Key}
	case CostSharesCalculated:
		s.CostShares = append(slices.Clip(s.CostShares), CostShareEntry{KeyVersion: e.KeyVersion, EffectiveAt: e.EffectiveAt, Reason: e.Reason, Shares: e.Shares})
	case AgreementConcluded:
		s.Phase = PhaseNeeds
	case NeedsDraftSaved:
		s.Drafts = with(s.Drafts, e.Org, Draft{Version: e.DraftVersion, Needs: e.Needs, Notes: e.Notes})
	case NeedsSubmitted:
		s.Submissions = with(s.Submissions, e.Org, Submission{Version: e.Version, Needs: e.Needs, AdoptCommonNeed: e.AdoptCommonNeed})
	case NeedsConsolidated:
		s.Consolidations = append(slices.Clip(s.Consolidations), Consolidation{Version: e.Version, CommonNeeds: e.CommonNeeds, Divergences: e.Divergences, Sources: e.Sources})
	case ConsolidatedNeedsApproved:
		s.Consolidations = withVersion(s.Consolidations, e.Version, func(c *Consolidation) { c.Approvals = append(slices.Clip(c.Approvals), e.Org) })
	case ConsolidatedNeedsRejected:
		s.Consolidations = withVersion(s.Consolidations, e.Version, func(c *Consolidation) { c.Rejections = append(slices.Clip(c.Rejections), e.Org) })
	case ConsolidatedNeedsDecided:
		s.Consolidations = withVersion(s.Consolidations, e.Version, func(c *Consolidation) { c.Outcome = e.Outcome })
	case VolumeCommitted:
		s.Commitments = with(s.Commitments, e.key(), e.Commitment)
	case VolumeCommitmentChanged:
		s.Commitments = with(s.Commitments, e.key(), e.Commitment)
	default:
		return evolveAward(evolveTender(s, ev), ev)
	}
	return s
}

// with copies the map with one entry set, so a folded State never changes an
// earlier one.
func with[K comparable, V any](m map[K]V, k K, v V) map[K]V {
	out := make(map[K]V, len(m)+1)
	for key, val := range m {
		out[key] = val
	}
	out[k] = v
	return out
}

// withVersion copies the versions and changes one (a consolidation or a
// documents version being voted on).
func withVersion[T interface{ versionNumber() int }](xs []T, version int, change func(*T)) []T {
	out := slices.Clone(xs)
	for i := range out {
		if out[i].versionNumber() == version {
			change(&out[i])
		}
	}
	return out
}

func (c Consolidation) versionNumber() int    { return c.Version }
func (d DocumentsVersion) versionNumber() int { return d.Version }
