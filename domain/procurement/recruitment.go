package procurement

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Recruitment (DOMAIN.md §2, transitions 2 and 3): the hub opens recruitment
// once it has invited someone, and closes it when at least two municipalities
// have joined and every invitation is answered; the case then moves on to the
// cooperation agreement, and the set of members is fixed for it.

// MinJoinedMembers is how many members make a procurement joint.
const MinJoinedMembers = 2

func openRecruitment(s State, c OpenRecruitment) ([]Event, error) {
	if !coordinates(s, c) {
		return nil, ErrNotFound
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	switch {
	case s.Phase == PhaseRecruiting:
		return nil, nil
	case s.Phase != PhaseDraft:
		return nil, ErrRecruitmentNotFromDraft
	case s.Count(MemberInvited)+s.Count(MemberJoined) == 0:
		return nil, ErrNoInvitations
	}
	return []Event{RecruitmentOpened{}}, nil
}

func closeRecruitment(s State, c CloseRecruitment) ([]Event, error) {
	if !coordinates(s, c) {
		return nil, ErrNotFound
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	switch {
	case s.Phase == PhaseAgreement:
		return nil, nil
	case s.Phase != PhaseRecruiting:
		return nil, ErrRecruitmentNotOpen
	case s.Count(MemberJoined) < MinJoinedMembers:
		return nil, ErrNotJoint.With("%d joined", s.Count(MemberJoined))
	case s.Count(MemberInvited) > 0:
		return nil, ErrInvitationsOutstanding.With("%d unanswered", s.Count(MemberInvited))
	}
	var members []string
	for _, m := range s.MembersSorted() {
		if m.Status == MemberJoined {
			members = append(members, m.Org)
		}
	}
	return []Event{RecruitmentClosed{Members: members}}, nil
}

// Anchoring is a member's political or administrative decision to take part
// (KS: joining "bør være politisk forankret").
type Anchoring struct {
	DecidingBody string `json:"decidingBody"`
	DecisionDate string `json:"decisionDate"` // YYYY-MM-DD, the date of the decision
	CaseRef      string `json:"caseRef"`      // the member's journal reference
}

func recordAnchoring(s State, c RecordAnchoringDecision) ([]Event, error) {
	a := Anchoring{DecidingBody: strings.TrimSpace(c.DecidingBody), DecisionDate: strings.TrimSpace(c.DecisionDate), CaseRef: strings.TrimSpace(c.CaseRef)}
	day, dateErr := time.Parse(time.DateOnly, a.DecisionDate)
	switch {
	case a.DecidingBody == "" || utf8.RuneCountInString(a.DecidingBody) > 200:
		return nil, ErrDecidingBodyRequired
	case dateErr != nil:
		return nil, ErrInvalidDecisionDate
	case a.CaseRef == "" || utf8.RuneCountInString(a.CaseRef) > 100:
		return nil, ErrCaseRefRequired
	case day.After(c.At):
		return nil, ErrDecisionInFuture
	}
	org := c.By.Org
	st, err := memberStatus(s, org)
	if err != nil {
		return nil, err
	}
	if st != MemberJoined {
		return nil, ErrNotMember
	}
	if s.Anchoring[org] == a {
		return nil, nil
	}
	return []Event{AnchoringDecisionRecorded{Org: org, Anchoring: a}}, nil
}
