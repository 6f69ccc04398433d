package procurement

import (
	"regexp"
	"slices"
	"time"
)

// Mandates (fullmakt, DOMAIN.md §3 and §4.3): a member's signatory authorises
// another member (the lead) to act on its behalf, for an explicit scope and
// until a date. Every later act of the lead on behalf of members must be
// covered by an active mandate; MandateCovers is that check.

// Scope is one kind of act a mandate can cover.
type Scope string

const (
	ScopePrepare         Scope = "prepare"
	ScopePublish         Scope = "publish"
	ScopeAnswerQuestions Scope = "answerQuestions"
	ScopeEvaluate        Scope = "evaluate"
	ScopeDecideAward     Scope = "decideAward"
	ScopeNotify          Scope = "notify"
	ScopeSignContract    Scope = "signContract"
	ScopeManageContract  Scope = "manageContract"
)

// Scopes lists every scope, in the order of the procurement.
var Scopes = []Scope{ScopePrepare, ScopePublish, ScopeAnswerQuestions, ScopeEvaluate, ScopeDecideAward, ScopeNotify, ScopeSignContract, ScopeManageContract}

// Mandate is one granted mandate as the case knows it.
type Mandate struct {
	ID         string
	From, To   string
	Scope      []Scope
	ValidUntil string // YYYY-MM-DD, the last day it is valid
	Revoked    bool
}

// activeOn says whether the mandate is in force on day `at` (in UTC dates).
func (m Mandate) activeOn(at time.Time) bool {
	return !m.Revoked && at.UTC().Format(time.DateOnly) <= m.ValidUntil
}

// MandateCovers finds an active mandate from member `from` to organisation
// `to` that covers the act on day `at`, and returns its ID.
func (s State) MandateCovers(from, to string, act Scope, at time.Time) (string, bool) {
	for _, id := range slices.Sorted(mapKeys(s.Mandates)) {
		m := s.Mandates[id]
		if m.From == from && m.To == to && m.activeOn(at) && slices.Contains(m.Scope, act) {
			return id, true
		}
	}
	return "", false
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

var mandateIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func grantMandate(s State, c GrantMandate) ([]Event, error) {
	scope, err := normaliseScope(c.Scope)
	if err != nil {
		return nil, err
	}
	until, dateErr := time.Parse(time.DateOnly, c.ValidUntil)
	switch {
	case !mandateIDPattern.MatchString(c.MandateID):
		return nil, ErrInvalidMandateID
	case dateErr != nil:
		return nil, ErrInvalidValidUntil
	case until.Before(truncateDay(c.At)):
		return nil, ErrMandateExpired
	}
	from := c.By.Org
	st, err := memberStatus(s, from)
	if err != nil {
		return nil, err
	}
	switch {
	case st != MemberJoined:
		return nil, ErrNotMember
	case c.To == from:
		return nil, ErrMandateToSelf
	case s.Members[c.To] != MemberJoined:
		return nil, ErrMandateToNonMember.With("%q", c.To)
	}
	ev := MandateGranted{MandateID: c.MandateID, From: from, To: c.To, Scope: scope, ValidUntil: c.ValidUntil}
	if m, ok := s.Mandates[c.MandateID]; ok {
		if m.From == from && m.To == c.To && slices.Equal(m.Scope, scope) && m.ValidUntil == c.ValidUntil && !m.Revoked {
			return nil, nil
		}
		return nil, ErrMandateIDTaken
	}
	return []Event{ev}, nil
}

func revokeMandate(s State, c RevokeMandate) ([]Event, error) {
	reason, err := requiredReason(c.Reason)
	if err != nil {
		return nil, err
	}
	m, ok := s.Mandates[c.MandateID]
	if !ok || m.From != c.By.Org {
		// Another member's mandate does not exist for the actor.
		if _, err := memberStatus(s, c.By.Org); err != nil {
			return nil, err
		}
		return nil, ErrMandateNotFound
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	if m.Revoked {
		return nil, nil
	}
	return []Event{MandateRevoked{MandateID: c.MandateID, From: m.From, Reason: reason}}, nil
}

// normaliseScope checks every scope and returns them in the procurement's
// order without repeats, so equal scopes compare equal.
func normaliseScope(in []string) ([]Scope, error) {
	if len(in) == 0 {
		return nil, ErrMandateScopeRequired
	}
	seen := map[Scope]bool{}
	for _, raw := range in {
		sc := Scope(raw)
		if !slices.Contains(Scopes, sc) {
			return nil, ErrUnknownMandateScope.With("%q", raw)
		}
		seen[sc] = true
	}
	var out []Scope
	for _, sc := range Scopes {
		if seen[sc] {
			out = append(out, sc)
		}
	}
	return out, nil
}

func truncateDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
