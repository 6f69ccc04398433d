package procurement

import "sort"

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
	return State{Members: map[string]MemberStatus{}, Anchoring: map[string]Anchoring{}, Mandates: map[string]Mandate{}}
}

func evolve(s State, ev Event) State {
	switch e := ev.(type) {
	case CaseCreated:
		s.Created, s.ID, s.Title, s.Description = true, e.ID, e.Title, e.Description
		s.Jurisdiction, s.CPV, s.Hub, s.Phase = e.Jurisdiction, e.CPV, e.Hub, PhaseDraft
	case MunicipalityInvited:
		s.Members = withMember(s.Members, e.Org, MemberInvited)
	case MunicipalityJoined:
		s.Members = withMember(s.Members, e.Org, MemberJoined)
	case InvitationDeclined:
		s.Members = withMember(s.Members, e.Org, MemberDeclined)
	case MunicipalityWithdrawn:
		s.Members = withMember(s.Members, e.Org, MemberWithdrawn)
	case ProcurementCancelled:
		s.Phase = PhaseCancelled
	case RecruitmentOpened:
		s.Phase = PhaseRecruiting
	case RecruitmentClosed:
		s.Phase = PhaseAgreement
	case MandateGranted:
		s.Mandates = withMandate(s.Mandates, Mandate{ID: e.MandateID, From: e.From, To: e.To, Scope: e.Scope, ValidUntil: e.ValidUntil})
	case MandateRevoked:
		if m, ok := s.Mandates[e.MandateID]; ok {
			m.Revoked = true
			s.Mandates = withMandate(s.Mandates, m)
		}
	case AnchoringDecisionRecorded:
		a := make(map[string]Anchoring, len(s.Anchoring)+1)
		for k, v := range s.Anchoring {
			a[k] = v
		}
		a[e.Org] = e.Anchoring
		s.Anchoring = a
	}
	return s
}

func withMandate(m map[string]Mandate, x Mandate) map[string]Mandate {
	out := make(map[string]Mandate, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	out[x.ID] = x
	return out
}

// withMember copies the map so a folded State never changes an earlier one.
func withMember(m map[string]MemberStatus, org string, st MemberStatus) map[string]MemberStatus {
	out := make(map[string]MemberStatus, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	out[org] = st
	return out
}
