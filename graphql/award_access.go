package graphql

import (
	"context"
	"slices"
	"time"

	"github.com/felles/felles/domain/procurement"
)

// Field rules of qualification, evaluation, award, contracting and follow-up
// (DOMAIN.md §5, issue 6). These views are served from the case as the log
// folds it (app.Procurements.State), like the tasks: the rules below depend on
// the case itself (who locked, whether the report is final), which only the
// fold knows for certain, and a view that can never lag behind the case needs
// no read-your-writes wait. Each field starts from tenderAccess and adds:
//
//   - "the lead" is the lead's officers: people acting for the lead in a role
//     that reads sealed submissions (lead officer, lead signatory, auditor),
//     the LO column of DOMAIN.md §5; the lead's other staff read as a member.
//   - "auditors" are platform-wide readers; an auditor attached to an
//     organisation reads as that organisation does (docs/api.md).
//   - EVALUATOR_PRIVATE scores: State.ScoresVisible, for the person acting as
//     the appointed evaluator for the evaluator's own organisation.
//   - COMMERCIAL_CONF (negotiation minutes, clarifications): the lead and
//     auditors only; suppliers see their own on the public path.
//   - money per member (call-offs, payments, effects): a member its own; the
//     hub, the lead and auditors every member's.
//
// A list the caller may not see answers empty, an object null, as the other
// case fields do.

// awardAccess is what the principal is in one case, with the case folded.
type awardAccess struct {
	tenderAccess
	s         procurement.State
	hub       bool   // acts for the case's hub
	member    bool   // acts for a joined member
	evaluator string // the person, when acting as an appointed evaluator for the evaluator's organisation
}

// awardAccess answers ok=false (and no error) when the principal does not see
// the case at all.
func (p procurementResolver) awardAccess(ctx context.Context) (awardAccess, bool, error) {
	a, err := p.tenderAccess(ctx)
	if err != nil || !a.caseOrg {
		return awardAccess{}, false, err
	}
	s, err := p.state(ctx)
	if err != nil {
		return awardAccess{}, false, toAPI(err)
	}
	return newAwardAccess(a, s), true, nil
}

// newAwardAccess completes tenderAccess with the case as folded.
func newAwardAccess(a tenderAccess, s procurement.State) awardAccess {
	x := awardAccess{tenderAccess: a, s: s, hub: a.p.Org == s.Hub, member: s.Members[a.p.Org] == procurement.MemberJoined}
	if ev, ok := s.Design.Evaluators[a.p.User]; ok && ev.Org == a.p.Org {
		x.evaluator = ev.Person
	}
	return x
}

// leadOrAuditor: the lead's officers and platform-wide readers.
func (a awardAccess) leadOrAuditor() bool { return a.everything || a.leadSealed }

// seesEveryMember: call-offs, payments and effects of every member (DOMAIN.md
// §5 "Call-off, payments, KPI reporting": HC R, LO R, AU R).
func (a awardAccess) seesEveryMember() bool { return a.leadOrAuditor() || a.hub }

// seesOwnOrAll: a member's own money rows, or everyone's for those who see all.
func (a awardAccess) seesOwnOrAll(org string) bool { return a.seesEveryMember() || org == a.p.Org }

// seesAssessments: qualification decisions are the lead's until the
// candidates are invited, then the case's.
func (a awardAccess) seesAssessments() bool {
	return a.leadOrAuditor() || a.s.Qualification.Invitation != nil
}

// seesConsensus: the lead, the evaluators and auditors while the panel works;
// the members once the report is final (DOMAIN.md §5 "Finalize evaluation
// report": MA, MB R(after)).
func (a awardAccess) seesConsensus() bool {
	return a.leadOrAuditor() || a.evaluator != "" || (a.member && a.s.Evaluation.Report != nil)
}

// seesRanking: the finalised report's ranking, for the members, the
// evaluators and auditors.
func (a awardAccess) seesRanking() bool {
	return a.s.Evaluation.Report != nil && (a.member || a.evaluator != "" || a.leadOrAuditor())
}

// seesScoresOf says whether evaluator `of`'s scores may be shown (EVALUATOR_PRIVATE):
// State.ScoresVisible for the acting person; auditors once `of` has locked.
func (a awardAccess) seesScoresOf(of string) bool {
	if _, locked := a.s.Evaluation.Locked[of]; locked && a.everything {
		return true
	}
	return a.s.ScoresVisible(of, a.evaluator, a.leadSealed)
}

// seesSealed: the metadata of a round's sealed submissions (SEALED): the
// lead's officers and auditors always, the case once receipt of the round has
// closed (State.SealedMetadataVisible).
func (a awardAccess) seesSealed(round procurement.Round) bool {
	if a.leadOrAuditor() {
		return true
	}
	if _, closed := a.s.Tendering.Closed[round]; !closed {
		return false
	}
	return a.s.SealedMetadataVisible(a.p.Org, round)
}

// oldestFirst lists a map's entries the caller may see, oldest first (ties in
// key order), each wrapped as its resolver: the shape of every list of
// records the issue 6 views show. A nil sees shows every entry.
func oldestFirst[V, R any](m map[string]V, sees func(V) bool, at func(V) time.Time, wrap func(V) R) []R {
	keys := sortedKeys(m)
	slices.SortStableFunc(keys, func(x, y string) int { return at(m[x]).Compare(at(m[y])) })
	out := make([]R, 0, len(keys))
	for _, k := range keys {
		if sees == nil || sees(m[k]) {
			out = append(out, wrap(m[k]))
		}
	}
	return out
}
