package procurement

import (
	"fmt"
	"slices"
	"time"
)

// Tasks answer an organisation's question "what is waiting for us in this
// case?". They are derived from the case's state, never stored, so they are
// always as current as the case.

// TaskKind names what is to be done; the strings are part of the API.
type TaskKind string

const (
	TaskAnswerInvitation    TaskKind = "ANSWER_INVITATION"
	TaskRecordAnchoring     TaskKind = "RECORD_ANCHORING"
	TaskCloseRecruitment    TaskKind = "CLOSE_RECRUITMENT"
	TaskDraftAgreement      TaskKind = "DRAFT_AGREEMENT"
	TaskSignAgreement       TaskKind = "SIGN_AGREEMENT"
	TaskConsentToLead       TaskKind = "CONSENT_TO_LEAD"
	TaskDesignateLead       TaskKind = "DESIGNATE_LEAD"
	TaskGrantMandate        TaskKind = "GRANT_MANDATE"
	TaskSetCostKey          TaskKind = "SET_COST_KEY"
	TaskSubmitNeeds         TaskKind = "SUBMIT_NEEDS"
	TaskConsolidateNeeds    TaskKind = "CONSOLIDATE_NEEDS"
	TaskApproveConsolidated TaskKind = "APPROVE_CONSOLIDATED_NEEDS"
	TaskCommitVolume        TaskKind = "COMMIT_VOLUME"
)

// Task is one thing waiting for an organisation.
type Task struct {
	Kind    TaskKind
	Version int // the agreement, consolidation, report or proposal version it concerns, if any
	Text    string
	// Person is the one person of the organisation the task is for (an
	// evaluator's declaration, scores and lock); "" when anyone acting for
	// the organisation may do it.
	Person string
}

// Tasks lists what is waiting for org in the case on day `at`, in the order
// the procurement needs them done.
func (s State) Tasks(org string, at time.Time) []Task {
	if !s.Created || s.Phase.Terminal() {
		return nil
	}
	var out []Task
	add := func(k TaskKind, v int, format string, args ...any) {
		out = append(out, Task{Kind: k, Version: v, Text: fmt.Sprintf(format, args...)})
	}
	if org == s.Hub {
		s.hubTasks(add)
	}
	switch s.Members[org] {
	case MemberInvited:
		if s.Phase.OpenForParticipants() {
			add(TaskAnswerInvitation, 0, "accept or decline the invitation to %q", s.Title)
		}
	case MemberJoined:
		s.memberTasks(org, at, add)
	}
	if org != "" && org == s.Lead && s.Phase == PhaseNeeds {
		s.consolidationTask(add)
	}
	s.tenderTasks(org, at, add)
	return append(out, s.awardTasks(org, at)...)
}

type addTask func(k TaskKind, v int, format string, args ...any)

func (s State) hubTasks(add addTask) {
	switch s.Phase {
	case PhaseRecruiting:
		if s.Count(MemberInvited) == 0 && s.Count(MemberJoined) >= MinJoinedMembers {
			add(TaskCloseRecruitment, 0, "every invitation is answered: close recruitment")
		}
	case PhaseAgreement:
		if s.Agreement.Version == 0 {
			add(TaskDraftAgreement, 0, "draft the cooperation agreement")
		}
		if s.Lead == "" {
			if lead, ok := s.unanimousLeadConsent(); ok {
				add(TaskDesignateLead, 0, "every member consents to %s as lead: designate it", lead)
			}
		}
		if s.CostKey.Version == 0 {
			add(TaskSetCostKey, 0, "set the cost-sharing key")
		}
	case PhaseNeeds:
		s.consolidationTask(add)
	}
}

func (s State) consolidationTask(add addTask) {
	if s.ApprovedNeeds() {
		return
	}
	for _, org := range s.joinedMembers() {
		if _, ok := s.Submissions[org]; !ok {
			return
		}
	}
	cur, ok := s.CurrentConsolidation()
	if !ok || cur.Outcome == NeedsRejected || s.submittedSince(cur) {
		add(TaskConsolidateNeeds, len(s.Consolidations)+1, "every member has submitted its needs: consolidate them into version %d", len(s.Consolidations)+1)
	}
}

// submittedSince says whether a member submitted after version c used its needs.
func (s State) submittedSince(c Consolidation) bool {
	for _, ref := range c.Sources {
		if s.Submissions[ref.Org].Version != ref.Version {
			return true
		}
	}
	return false
}

func (s State) unanimousLeadConsent() (string, bool) {
	lead := ""
	for _, org := range s.joinedMembers() {
		c := s.LeadConsents[org]
		if c == "" || (lead != "" && c != lead) {
			return "", false
		}
		lead = c
	}
	// A consent to a member that has since left designates no one.
	return lead, lead != "" && s.Members[lead] == MemberJoined
}

func (s State) memberTasks(org string, at time.Time, add addTask) {
	if _, ok := s.Anchoring[org]; !ok {
		add(TaskRecordAnchoring, 0, "record your decision to take part (deciding body, date, journal reference)")
	}
	if s.Phase == PhaseDraft || s.Phase == PhaseRecruiting || !s.Phase.BeforeNotice() {
		return
	}
	if s.Agreement.Version > 0 && !s.Agreement.SignedCurrent(org) {
		add(TaskSignAgreement, s.Agreement.Version, "sign version %d of the cooperation agreement", s.Agreement.Version)
	}
	if s.Phase == PhaseAgreement && s.Lead == "" && s.Members[s.LeadConsents[org]] != MemberJoined {
		add(TaskConsentToLead, 0, "consent to the member that is to lead the procurement")
	}
	if s.Lead != "" && org != s.Lead {
		var missing []Scope
		for _, sc := range ConclusionScopes {
			if _, ok := s.MandateCovers(org, s.Lead, sc, at); !ok {
				missing = append(missing, sc)
			}
		}
		if len(missing) > 0 {
			add(TaskGrantMandate, 0, "grant %s a mandate covering %v", s.Lead, missing)
		}
	}
	if s.Phase != PhaseNeeds {
		return
	}
	if _, ok := s.Submissions[org]; !ok {
		add(TaskSubmitNeeds, 0, "submit your needs (or adopt the common need)")
	}
	if cur, ok := s.CurrentConsolidation(); ok && cur.Outcome == "" &&
		!slices.Contains(cur.Approvals, org) && !slices.Contains(cur.Rejections, org) {
		add(TaskApproveConsolidated, cur.Version, "approve or reject version %d of the consolidated needs", cur.Version)
	}
	if !s.hasCommitment(org) {
		add(TaskCommitVolume, 0, "commit your volumes per lot (binding, indicative or option)")
	}
}

func (s State) hasCommitment(org string) bool {
	for _, c := range s.Commitments {
		if c.Org == org {
			return true
		}
	}
	return false
}
