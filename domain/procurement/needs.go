package procurement

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Needs (behovsavklaring, DOMAIN.md §1 P2): each member's needs owner drafts
// the member's needs privately (ORG_PRIVATE: not the hub, not the lead, not
// other members), submits them when ready; the hub or the lead consolidates
// the submissions into numbered versions of common needs with the divergences
// recorded, and the members approve or reject each version under the
// agreement's approval rule.

// Need is one need statement of a member.
type Need struct {
	ID              string `json:"id"`
	Statement       string `json:"statement"`
	UserGroup       string `json:"userGroup"`
	CurrentSolution string `json:"currentSolution,omitempty"`
	SuccessCriteria string `json:"successCriteria"`
}

// NeedRef points at one need of one member's submission.
type NeedRef struct {
	Org    string `json:"org"`
	NeedID string `json:"needId"`
}

// CommonNeed is a need the consolidation states for all, with the members'
// needs it stems from.
type CommonNeed struct {
	ID        string    `json:"id"`
	Statement string    `json:"statement"`
	Sources   []NeedRef `json:"sources"`
}

// Divergence is where members' needs differ and the consolidation says so.
type Divergence struct {
	Topic       string   `json:"topic"`
	Description string   `json:"description"`
	Orgs        []string `json:"orgs"`
}

// SubmissionRef is the version of a member's submission a consolidation used.
type SubmissionRef struct {
	Org     string `json:"org"`
	Version int    `json:"version"`
}

// Submission is a member's latest submitted needs.
type Submission struct {
	Version         int
	Needs           []Need
	AdoptCommonNeed bool
}

// Consolidation is one consolidated version and the members' votes on it.
type Consolidation struct {
	Version     int
	CommonNeeds []CommonNeed
	Divergences []Divergence
	Sources     []SubmissionRef
	Approvals   []string // members, in the order they approved
	Rejections  []string
	Outcome     NeedsOutcome // "" while the vote is open
}

// NeedsOutcome is the result of the vote on a consolidated version.
type NeedsOutcome string

const (
	NeedsApproved NeedsOutcome = "APPROVED"
	NeedsRejected NeedsOutcome = "REJECTED"
)

// ApprovedNeeds says whether a consolidated version has been approved.
func (s State) ApprovedNeeds() bool {
	for _, c := range s.Consolidations {
		if c.Outcome == NeedsApproved {
			return true
		}
	}
	return false
}

// CurrentConsolidation is the latest consolidated version, if any.
func (s State) CurrentConsolidation() (Consolidation, bool) {
	if len(s.Consolidations) == 0 {
		return Consolidation{}, false
	}
	return s.Consolidations[len(s.Consolidations)-1], true
}

const (
	maxNeeds      = 100
	maxNeedText   = 4000
	maxNotes      = 20000
	maxShortField = 200
)

var needIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// checkNeeds normalises a list of needs; complete demands what a submission
// needs (statement, user group and success criteria), a draft may be partial.
func checkNeeds(in []Need, complete bool) ([]Need, error) {
	if len(in) > maxNeeds {
		return nil, ErrTooManyNeeds
	}
	out := make([]Need, len(in))
	seen := map[string]bool{}
	for i, n := range in {
		n = Need{ID: strings.TrimSpace(n.ID), Statement: strings.TrimSpace(n.Statement), UserGroup: strings.TrimSpace(n.UserGroup),
			CurrentSolution: strings.TrimSpace(n.CurrentSolution), SuccessCriteria: strings.TrimSpace(n.SuccessCriteria)}
		switch {
		case !needIDPattern.MatchString(n.ID):
			return nil, ErrInvalidNeedID.With("need %d: %q", i+1, n.ID)
		case seen[n.ID]:
			return nil, ErrDuplicateNeedID.With("%q", n.ID)
		case tooLong(n.Statement, maxNeedText) || tooLong(n.UserGroup, maxShortField) ||
			tooLong(n.CurrentSolution, maxNeedText) || tooLong(n.SuccessCriteria, maxNeedText):
			return nil, ErrNeedTooLong.With("need %q", n.ID)
		case complete && n.Statement == "":
			return nil, ErrNeedIncomplete.With("need %q has no statement", n.ID)
		case complete && n.UserGroup == "":
			return nil, ErrNeedIncomplete.With("need %q has no user group", n.ID)
		case complete && n.SuccessCriteria == "":
			return nil, ErrNeedIncomplete.With("need %q has no success criteria", n.ID)
		}
		seen[n.ID] = true
		out[i] = n
	}
	return out, nil
}

func tooLong(s string, max int) bool { return utf8.RuneCountInString(s) > max }

// needsMember checks that the actor is a joined member of an open case.
func needsMember(s State, org string) error {
	st, err := memberStatus(s, org)
	if err != nil {
		return err
	}
	if st != MemberJoined {
		return ErrNotMember
	}
	return nil
}

func saveNeedsDraft(s State, c SaveNeedsDraft) ([]Event, error) {
	needs, err := checkNeeds(c.Needs, false)
	if err != nil {
		return nil, err
	}
	notes := strings.TrimSpace(c.Notes)
	if tooLong(notes, maxNotes) {
		return nil, ErrNotesTooLong
	}
	org := c.By.Org
	if err := needsMember(s, org); err != nil {
		return nil, err
	}
	if s.Phase != PhaseAgreement && s.Phase != PhaseNeeds {
		return nil, ErrNotNeedsPhase.With("the case is in %s", s.Phase)
	}
	if d, ok := s.Drafts[org]; ok && slices.Equal(d.Needs, needs) && d.Notes == notes {
		return nil, nil
	}
	return []Event{NeedsDraftSaved{Org: org, DraftVersion: s.Drafts[org].Version + 1, Needs: needs, Notes: notes}}, nil
}

// Draft is a member's latest private draft.
type Draft struct {
	Version int
	Needs   []Need
	Notes   string
}

func submitNeeds(s State, c SubmitNeeds) ([]Event, error) {
	needs, err := checkNeeds(c.Needs, true)
	if err != nil {
		return nil, err
	}
	if len(needs) == 0 && !c.AdoptCommonNeed {
		return nil, ErrNoNeeds
	}
	org := c.By.Org
	if err := needsMember(s, org); err != nil {
		return nil, err
	}
	switch {
	case s.Phase != PhaseNeeds:
		return nil, ErrNotNeedsPhase.With("the case is in %s", s.Phase)
	case s.ApprovedNeeds():
		return nil, ErrNeedsAlreadyApproved
	}
	if sub, ok := s.Submissions[org]; ok && slices.Equal(sub.Needs, needs) && sub.AdoptCommonNeed == c.AdoptCommonNeed {
		return nil, nil
	}
	return []Event{NeedsSubmitted{Org: org, Version: s.Submissions[org].Version + 1, Needs: needs, AdoptCommonNeed: c.AdoptCommonNeed}}, nil
}

func consolidateNeeds(s State, c ConsolidateNeeds) ([]Event, error) {
	if err := hubOrLead(s, c); err != nil {
		return nil, err
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	switch {
	case s.Phase != PhaseNeeds:
		return nil, ErrNotNeedsPhase.With("the case is in %s", s.Phase)
	case s.ApprovedNeeds():
		return nil, ErrNeedsAlreadyApproved
	}
	var missing []string
	var sources []SubmissionRef
	for _, org := range s.joinedMembers() {
		sub, ok := s.Submissions[org]
		if !ok {
			missing = append(missing, org)
			continue
		}
		sources = append(sources, SubmissionRef{Org: org, Version: sub.Version})
	}
	if len(missing) > 0 {
		return nil, ErrNeedsOutstanding.With("not yet submitted: %s", strings.Join(missing, ", "))
	}
	common, err := checkCommonNeeds(s, c.CommonNeeds)
	if err != nil {
		return nil, err
	}
	divergences, err := checkDivergences(s, c.Divergences)
	if err != nil {
		return nil, err
	}
	if cur, ok := s.CurrentConsolidation(); ok && cur.Outcome == "" && slices.EqualFunc(cur.CommonNeeds, common, equalCommonNeed) &&
		slices.EqualFunc(cur.Divergences, divergences, equalDivergence) && slices.Equal(cur.Sources, sources) {
		return nil, nil // the version under vote says exactly this
	}
	return []Event{NeedsConsolidated{Version: len(s.Consolidations) + 1, Sources: sources, CommonNeeds: common, Divergences: divergences}}, nil
}

func checkCommonNeeds(s State, in []CommonNeed) ([]CommonNeed, error) {
	if len(in) == 0 {
		return nil, ErrNoCommonNeeds
	}
	if len(in) > maxNeeds {
		return nil, ErrTooManyNeeds
	}
	out := make([]CommonNeed, len(in))
	seen := map[string]bool{}
	for i, n := range in {
		n.ID, n.Statement = strings.TrimSpace(n.ID), strings.TrimSpace(n.Statement)
		switch {
		case !needIDPattern.MatchString(n.ID):
			return nil, ErrInvalidNeedID.With("common need %d: %q", i+1, n.ID)
		case seen[n.ID]:
			return nil, ErrDuplicateNeedID.With("%q", n.ID)
		case n.Statement == "":
			return nil, ErrNeedIncomplete.With("common need %q has no statement", n.ID)
		case tooLong(n.Statement, maxNeedText):
			return nil, ErrNeedTooLong.With("common need %q", n.ID)
		}
		seen[n.ID] = true
		refs := make([]NeedRef, 0, len(n.Sources))
		for _, r := range n.Sources {
			sub, ok := s.Submissions[r.Org]
			if !ok || s.Members[r.Org] != MemberJoined || !slices.ContainsFunc(sub.Needs, func(x Need) bool { return x.ID == r.NeedID }) {
				return nil, ErrUnknownNeedRef.With("common need %q cites %s/%s", n.ID, r.Org, r.NeedID)
			}
			if !slices.Contains(refs, r) {
				refs = append(refs, r)
			}
		}
		n.Sources = refs
		out[i] = n
	}
	return out, nil
}

func checkDivergences(s State, in []Divergence) ([]Divergence, error) {
	if len(in) > maxNeeds {
		return nil, ErrTooManyNeeds
	}
	out := make([]Divergence, len(in))
	for i, d := range in {
		d.Topic, d.Description = strings.TrimSpace(d.Topic), strings.TrimSpace(d.Description)
		switch {
		case d.Topic == "" || tooLong(d.Topic, maxShortField):
			return nil, ErrDivergenceIncomplete.With("divergence %d needs a topic of at most %d characters", i+1, maxShortField)
		case d.Description == "" || tooLong(d.Description, maxNeedText):
			return nil, ErrDivergenceIncomplete.With("divergence %q needs a description", d.Topic)
		case len(d.Orgs) == 0:
			return nil, ErrDivergenceIncomplete.With("divergence %q names no member", d.Topic)
		}
		orgs := slices.Clone(d.Orgs)
		slices.Sort(orgs)
		orgs = slices.Compact(orgs)
		for _, org := range orgs {
			if s.Members[org] != MemberJoined {
				return nil, ErrUnknownNeedRef.With("divergence %q names %q, who is not a member", d.Topic, org)
			}
		}
		d.Orgs = orgs
		out[i] = d
	}
	return out, nil
}

func equalCommonNeed(a, b CommonNeed) bool {
	return a.ID == b.ID && a.Statement == b.Statement && slices.Equal(a.Sources, b.Sources)
}

func equalDivergence(a, b Divergence) bool {
	return a.Topic == b.Topic && a.Description == b.Description && slices.Equal(a.Orgs, b.Orgs)
}

func voteOnNeeds(s State, org string, version int, comment string, approve bool) ([]Event, error) {
	comment = strings.TrimSpace(comment)
	switch {
	case tooLong(comment, maxReason):
		return nil, ErrReasonTooLong
	case !approve && comment == "":
		return nil, ErrRejectionReasonRequired
	}
	if err := needsMember(s, org); err != nil {
		return nil, err
	}
	if s.Phase != PhaseNeeds {
		return nil, ErrNotNeedsPhase.With("the case is in %s", s.Phase)
	}
	cur, ok := s.CurrentConsolidation()
	switch {
	case !ok:
		return nil, ErrNoConsolidation
	case version != cur.Version:
		return nil, ErrNeedsVersionOutdated.With("you vote on version %d, the current version is %d", version, cur.Version)
	case slices.Contains(cur.Approvals, org):
		return nil, ErrAlreadyVoted.With("%s approved version %d", org, version)
	case slices.Contains(cur.Rejections, org):
		return nil, ErrAlreadyVoted.With("%s rejected version %d", org, version)
	case cur.Outcome != "":
		return nil, ErrNeedsVersionDecided.With("version %d was %s", version, strings.ToLower(string(cur.Outcome)))
	}
	if approve {
		return []Event{ConsolidatedNeedsApproved{Org: org, Version: version, Comment: comment}}, nil
	}
	return []Event{ConsolidatedNeedsRejected{Org: org, Version: version, Comment: comment}}, nil
}

// needsOutcome is the vote's result under the agreement's approval rule, or
// "" while it is still open. Only joined members vote; a member that
// withdrew no longer counts.
func needsOutcome(s State, c Consolidation) NeedsOutcome {
	return voteOutcome(s.Agreement.Terms.DecisionRules.Approval, s.joinedMembers(), s.Lead, c.Approvals, c.Rejections)
}

// decideNeedsVote returns ConsolidatedNeedsDecided when the current version's
// vote has just reached a result.
func decideNeedsVote(s State) []Event {
	cur, ok := s.CurrentConsolidation()
	if !ok || cur.Outcome != "" || s.Phase != PhaseNeeds {
		return nil
	}
	outcome := needsOutcome(s, cur)
	if outcome == "" {
		return nil
	}
	// Only the votes that counted: a member that withdrew after voting no
	// longer decides anything.
	counted := func(orgs []string) []string {
		var out []string
		for _, org := range orgs {
			if s.Members[org] == MemberJoined {
				out = append(out, org)
			}
		}
		return out
	}
	return []Event{ConsolidatedNeedsDecided{Version: cur.Version, Outcome: outcome, Rule: s.Agreement.Terms.DecisionRules.Approval,
		Approvals: counted(cur.Approvals), Rejections: counted(cur.Rejections)}}
}

// String names a need reference for messages.
func (r NeedRef) String() string { return fmt.Sprintf("%s/%s", r.Org, r.NeedID) }
