package procurement

import (
	"slices"
	"strings"
	"time"

	"github.com/felles/felles/domain/timelimits"
)

// The tender documents go to the members for approval (DOMAIN.md §2
// transitions 7–8). The vote follows the agreement: its approval rule, and its
// procedure rule as well because the documents fix the procedure; where the two
// differ the stricter one decides (UNANIMOUS, then MAJORITY, then
// LEAD_DECIDES). A rejection sends the design back to the lead.

// designGaps lists what the design still lacks before the documents can go
// for approval.
func (s State) designGaps() []string {
	var gaps []string
	add := func(g string) { gaps = append(gaps, g) }
	d := s.Design
	if d.Procedure == nil {
		add("the procedure")
	}
	if len(d.Lots.Lots) == 0 {
		add("the lots")
	}
	covered := map[string]bool{}
	for _, l := range d.Lots.Lots {
		buyers := 0
		for _, m := range l.Members {
			if s.Members[m] == MemberJoined {
				buyers++
				covered[m] = true
			}
		}
		if buyers == 0 {
			add("a joined member buying lot " + l.ID)
		}
		set, ok := s.criteriaFor(l.ID)
		if !ok {
			add("award criteria for lot " + l.ID)
			continue
		}
		if err := qualityRule(s, set.Criteria); err != nil {
			add("a quality criterion for lot " + l.ID + " (competitive dialogue and innovation partnership)")
		}
	}
	if missing := s.membersWithout(func(org string) bool { return covered[org] }); len(d.Lots.Lots) > 0 && len(missing) > 0 {
		add("a lot for " + strings.Join(missing, ", "))
	}
	if len(d.Requirements.Requirements) == 0 {
		add("the requirements")
	}
	if d.Qualification.Version == 0 {
		add("the qualification criteria")
	}
	if s.procedure() == timelimits.InnovationPartnership && d.Partnership == nil {
		add("the partnership phases with targets and maximum costs")
	}
	if d.Timetable == nil {
		add("the timetable")
	}
	if len(d.Evaluators) == 0 {
		add("an appointed evaluator")
	}
	if s.JointEstimatedValue().Total() <= 0 {
		add("the estimated value (committed volumes with values)")
	}
	return gaps
}

func submitTenderDocuments(s State, c SubmitTenderDocuments) ([]Event, error) {
	hash := strings.ToLower(strings.TrimSpace(c.DocumentHash))
	if !sha256Hex.MatchString(hash) {
		return nil, ErrInvalidDocumentHash
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	if cur, ok := s.CurrentDocuments(); ok && s.Phase == PhaseApproval && cur.DocumentHash == hash {
		return nil, nil
	}
	if err := designCommand(s, c); err != nil {
		return nil, err
	}
	if gaps := s.designGaps(); len(gaps) > 0 {
		return nil, ErrDesignIncomplete.With("missing: %s", strings.Join(gaps, "; "))
	}
	return []Event{TenderDocumentsSubmitted{Version: len(s.Design.Documents) + 1, DocumentHash: hash, SubmittedAt: c.At.UTC()}}, nil
}

func voteOnDocuments(s State, org string, version int, hash, comment string, approve bool) ([]Event, error) {
	comment = strings.TrimSpace(comment)
	hash = strings.ToLower(strings.TrimSpace(hash))
	switch {
	case version < 1:
		return nil, ErrInvalidDocumentsVersion
	case tooLong(comment, maxReason):
		return nil, ErrReasonTooLong
	case !approve && comment == "":
		return nil, ErrRejectionReasonRequired
	case approve && !sha256Hex.MatchString(hash):
		return nil, ErrInvalidDocumentHash
	}
	st, err := memberStatus(s, org)
	if err != nil {
		return nil, err
	}
	if st != MemberJoined {
		return nil, ErrNotMember
	}
	cur, ok := s.CurrentDocuments()
	switch {
	case !ok || (s.Phase != PhaseApproval && cur.Outcome == ""):
		return nil, ErrNotApprovalPhase.With("the case is in %s", s.Phase)
	case version != cur.Version:
		return nil, ErrDocumentsVersionOutdated.With("you vote on version %d, the current version is %d", version, cur.Version)
	case slices.Contains(cur.Approvals, org) || slices.Contains(cur.Rejections, org):
		return nil, ErrAlreadyVoted.With("%s has voted on version %d", org, version)
	case cur.Outcome != "":
		return nil, ErrDocumentsVersionDecided.With("version %d was %s", version, strings.ToLower(string(cur.Outcome)))
	case approve && hash != cur.DocumentHash:
		return nil, ErrDocumentsHashMismatch
	}
	if approve {
		return []Event{TenderDocumentsApproved{Org: org, Version: version, DocumentHash: hash, Comment: comment}}, nil
	}
	return []Event{TenderDocumentsRejected{Org: org, Version: version, Comment: comment}}, nil
}

// documentsRule is the stricter of the agreement's approval and procedure rules.
func (s State) documentsRule() DecisionRule {
	rank := func(r DecisionRule) int {
		switch r {
		case RuleLeadDecides:
			return 0
		case RuleMajority:
			return 1
		}
		return 2 // UNANIMOUS, and the safe reading of anything else
	}
	rules := s.Agreement.Terms.DecisionRules
	if rank(rules.Procedure) > rank(rules.Approval) {
		return rules.Procedure
	}
	return rules.Approval
}

// decideDocumentsVote returns TenderDocumentsDecided when the current
// version's vote has just reached a result.
func decideDocumentsVote(s State) []Event {
	cur, ok := s.CurrentDocuments()
	if !ok || cur.Outcome != "" || s.Phase != PhaseApproval {
		return nil
	}
	rule := s.documentsRule()
	outcome := voteOutcome(rule, s.joinedMembers(), s.Lead, cur.Approvals, cur.Rejections)
	if outcome == "" {
		return nil
	}
	return []Event{TenderDocumentsDecided{Version: cur.Version, Outcome: outcome, Rule: rule}}
}

// voteOutcome is a vote's result under a decision rule, or "" while it is
// open. Only the voters count; votes of others (members that withdrew) do not.
func voteOutcome(rule DecisionRule, voters []string, lead string, approvals, rejections []string) NeedsOutcome {
	n := len(voters)
	yes, no := 0, 0
	for _, org := range voters {
		switch {
		case slices.Contains(approvals, org):
			yes++
		case slices.Contains(rejections, org):
			no++
		}
	}
	if n == 0 {
		return ""
	}
	switch rule {
	case RuleLeadDecides:
		switch {
		case slices.Contains(approvals, lead):
			return NeedsApproved
		case slices.Contains(rejections, lead):
			return NeedsRejected
		}
	case RuleMajority:
		switch {
		case 2*yes > n:
			return NeedsApproved
		case 2*(n-no) <= n: // even every open vote approving cannot make a majority
			return NeedsRejected
		}
	default:
		switch {
		case no > 0:
			return NeedsRejected
		case yes == n:
			return NeedsApproved
		}
	}
	return ""
}

// votesMissing lists the joined members that have not voted on the current
// documents version.
func (s State) votesMissing() []string {
	cur, ok := s.CurrentDocuments()
	if !ok || cur.Outcome != "" {
		return nil
	}
	return s.membersWithout(func(org string) bool {
		return slices.Contains(cur.Approvals, org) || slices.Contains(cur.Rejections, org)
	})
}

// localDay is the date of t in the case's legal time zone.
func (s State) localDay(t time.Time) string {
	if loc, err := timelimits.Jurisdiction(s.Jurisdiction).Location(); err == nil {
		t = t.In(loc)
	}
	return t.Format(time.DateOnly)
}
