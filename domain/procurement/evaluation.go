package procurement

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
)

// Evaluation (DOMAIN.md §1 P7, §2 evaluator sub-machine, §4.2, §4.4): every
// appointed evaluator declares against the suppliers of the opened tenders
// before any access to their content; a conflict recuses. Evaluators score each
// tender on each criterion in their scope, on the criterion's declared scale,
// with a justification for every quality score; the scores are the evaluator's
// alone until locked. The lead records the panel's consensus once every
// responsible evaluator has locked, may ask for clarifications and reject
// tenders with grounds, and finalises the report, whose ranking the decider
// computes from the consensus scores (ranking.go).

// evaluatorOf is the acting person as an appointed evaluator not recused.
func (s State) evaluatorOf(c Command) (EvaluatorAppointed, error) {
	a := c.Actor()
	ev, ok := s.Design.Evaluators[a.User]
	if !ok || ev.Org != a.Org {
		return ev, ErrNotEvaluator
	}
	if err := ensureOpen(s); err != nil {
		return ev, err
	}
	return ev, nil
}

func evaluationPhase(s State) error {
	if s.Phase != PhaseEvaluation {
		return ErrNotEvaluationPhase.With("the case is in %s", s.Phase)
	}
	return nil
}

// openedTenders are the tenders in the opening protocol of the tender round.
func (s State) openedTenders() []OpenedBid {
	return s.Tendering.Openings[RoundTenders].Bids
}

func (s State) openedTender(id string) (OpenedBid, bool) {
	for _, b := range s.openedTenders() {
		if b.BidID == id {
			return b, true
		}
	}
	return OpenedBid{}, false
}

// validTenders are the opened tenders not rejected, in the order received.
func (s State) validTenders() []OpenedBid {
	var out []OpenedBid
	for _, b := range s.openedTenders() {
		if _, rejected := s.Evaluation.Rejected[b.BidID]; !rejected {
			out = append(out, b)
		}
	}
	return out
}

// criteriaOf are the award criteria that apply to a tender: those of its lots.
func (s State) criteriaOf(b OpenedBid) map[string]AwardCriterion {
	out := map[string]AwardCriterion{}
	for _, lot := range b.Lots {
		if set, ok := s.criteriaFor(lot); ok {
			for _, cr := range set.Criteria {
				out[cr.ID] = cr
			}
		}
	}
	return out
}

// inScope says whether evaluator ev scores criterion cr of tender b.
func inScope(ev EvaluatorAppointed, b OpenedBid, cr string) bool {
	if len(ev.Criteria) > 0 && !slices.Contains(ev.Criteria, cr) {
		return false
	}
	if len(ev.Lots) == 0 {
		return true
	}
	for _, lot := range b.Lots {
		if slices.Contains(ev.Lots, lot) {
			return true
		}
	}
	return false
}

// scorePair is one (tender, criterion) to score.
type scorePair struct{ Bid, Criterion string }

// toScore is what evaluator ev must score: every criterion in scope of every
// valid tender.
func (s State) toScore(ev EvaluatorAppointed) []scorePair {
	var out []scorePair
	for _, b := range s.validTenders() {
		crits := s.criteriaOf(b)
		for _, id := range slices.Sorted(mapKeys(crits)) {
			if inScope(ev, b, id) {
				out = append(out, scorePair{b.BidID, id})
			}
		}
	}
	return out
}

// activeEvaluators are the appointed evaluators not recused, by person.
func (s State) activeEvaluators() []EvaluatorAppointed {
	var out []EvaluatorAppointed
	for _, p := range slices.Sorted(mapKeys(s.Design.Evaluators)) {
		if _, recused := s.Evaluation.Recused[p]; !recused {
			out = append(out, s.Design.Evaluators[p])
		}
	}
	return out
}

// MayReadBidContent says whether person (of org) may read the content of
// opened tender bid as an evaluator: appointed, not recused, declared no
// conflict, the tender within the evaluator's lots (DOMAIN.md §2: access is
// denied until COI_DECLARED(no conflict)).
func (s State) MayReadBidContent(person, org, bid string) bool {
	ev, ok := s.Design.Evaluators[person]
	if !ok || ev.Org != org {
		return false
	}
	if _, recused := s.Evaluation.Recused[person]; recused {
		return false
	}
	d, declared := s.Evaluation.Declarations[person]
	if !declared || d.HasConflict {
		return false
	}
	b, opened := s.openedTender(bid)
	if !opened {
		return false
	}
	return len(ev.Lots) == 0 || slices.ContainsFunc(b.Lots, func(l string) bool { return slices.Contains(ev.Lots, l) })
}

// ScoresVisible says whether the scores of evaluator `of` may be shown to
// person `to` now (DOMAIN.md §5, EVALUATOR_PRIVATE): always to the evaluator
// itself; once `of` has locked, to the lead (isLead) and to any evaluator who
// has locked too. Auditors are admitted by the caller after the lock.
func (s State) ScoresVisible(of, to string, isLead bool) bool {
	if of == to {
		return true
	}
	if _, locked := s.Evaluation.Locked[of]; !locked {
		return false
	}
	if isLead {
		return true
	}
	_, ownLocked := s.Evaluation.Locked[to]
	return ownLocked
}

func declareConflictOfInterest(s State, c DeclareConflictOfInterest) ([]Event, error) {
	var relations []string // nil when none, as it decodes from the log
	for _, r := range c.Relations {
		if r = strings.TrimSpace(r); r != "" {
			if tooLong(r, maxQuestion) {
				return nil, ErrRelationsRequired
			}
			relations = append(relations, r)
		}
	}
	if c.HasConflict && len(relations) == 0 {
		return nil, ErrRelationsRequired
	}
	ev, err := s.evaluatorOf(c)
	if err != nil {
		return nil, err
	}
	if prev, ok := s.Evaluation.Declarations[ev.Person]; ok {
		switch {
		case prev.HasConflict == c.HasConflict && slices.Equal(prev.Relations, relations):
			return nil, nil
		case prev.HasConflict:
			return nil, ErrRecused
		}
	}
	if _, recused := s.Evaluation.Recused[ev.Person]; recused {
		return nil, ErrRecused
	}
	if err := evaluationPhase(s); err != nil {
		return nil, err
	}
	var seen []string
	for _, b := range s.openedTenders() {
		seen = append(seen, b.Supplier)
	}
	seen = slices.Compact(slices.Sorted(slices.Values(seen)))
	out := []Event{ConflictOfInterestDeclared{Evaluator: ev.Person, Org: ev.Org, HasConflict: c.HasConflict, Relations: relations,
		BiddersSeen: seen, DeclaredAt: c.At.UTC()}}
	if c.HasConflict {
		out = append(out, EvaluatorRecused{Evaluator: ev.Person, Reason: "declared a conflict of interest", RecusedAt: c.At.UTC()})
	}
	return out, nil
}

func recuseEvaluator(s State, c RecuseEvaluator) ([]Event, error) {
	reason, err := requiredReason(c.Reason)
	if err != nil {
		return nil, err
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	if _, ok := s.Design.Evaluators[c.Evaluator]; !ok {
		return nil, ErrNotEvaluator.With("%q is not an appointed evaluator", c.Evaluator)
	}
	if prev, recused := s.Evaluation.Recused[c.Evaluator]; recused {
		// Recused already (a declared conflict): the lead may still name the
		// replacement, once.
		if prev.Replacement != "" || c.Replacement == "" || prev.Replacement == c.Replacement {
			return nil, nil
		}
	}
	if err := evaluationPhase(s); err != nil {
		return nil, err
	}
	if c.Replacement != "" {
		if _, taken := s.Design.Evaluators[c.Replacement]; taken || !personPattern.MatchString(c.Replacement) {
			return nil, ErrInvalidReplacement
		}
		if s.Members[c.ReplacementOrg] != MemberJoined && c.ReplacementOrg != s.Hub {
			return nil, ErrInvalidReplacement.With("the replacement's organisation must be the hub or a joined member")
		}
	}
	return []Event{EvaluatorRecused{Evaluator: c.Evaluator, Reason: reason, Replacement: c.Replacement, ReplacementOrg: c.ReplacementOrg, RecusedAt: c.At.UTC()}}, nil
}

// declaredNoConflict checks the evaluator may score: declared, no conflict, not locked.
func (s State) declaredNoConflict(person string) error {
	if _, recused := s.Evaluation.Recused[person]; recused {
		return ErrRecused
	}
	d, ok := s.Evaluation.Declarations[person]
	switch {
	case !ok:
		return ErrConflictDeclarationRequired
	case d.HasConflict:
		return ErrRecused
	}
	return nil
}

// checkScore checks a score against its criterion's scale.
func checkScore(cr AwardCriterion, score int) error {
	if score < cr.ScaleMin || score > cr.ScaleMax {
		return ErrScoreOutOfScale.With("criterion %s is scored %d–%d; got %d", cr.ID, cr.ScaleMin, cr.ScaleMax, score)
	}
	return nil
}

func scoreBid(s State, c ScoreBid) ([]Event, error) {
	justification := strings.TrimSpace(c.Justification)
	if tooLong(justification, maxText) {
		return nil, ErrScoreJustificationRequired
	}
	ev, err := s.evaluatorOf(c)
	if err != nil {
		return nil, err
	}
	if prev, ok := s.Evaluation.Scores[scoreKey(ev.Person, c.BidID, c.Criterion)]; ok && prev.Score == c.Score && prev.Justification == justification {
		return nil, nil
	}
	if err := evaluationPhase(s); err != nil {
		return nil, err
	}
	if err := s.declaredNoConflict(ev.Person); err != nil {
		return nil, err
	}
	if _, locked := s.Evaluation.Locked[ev.Person]; locked {
		return nil, ErrScoresLocked
	}
	b, ok := s.openedTender(c.BidID)
	if !ok {
		return nil, ErrBidNotFound
	}
	if _, rejected := s.Evaluation.Rejected[b.BidID]; rejected {
		return nil, ErrBidRejected
	}
	cr, ok := s.criteriaOf(b)[c.Criterion]
	switch {
	case !ok:
		return nil, ErrUnknownCriterion.With("tender %s has no award criterion %q", b.BidID, c.Criterion)
	case !inScope(ev, b, c.Criterion):
		return nil, ErrNotInScope
	}
	if err := checkScore(cr, c.Score); err != nil {
		return nil, err
	}
	if cr.Type == CriterionQuality && justification == "" {
		return nil, ErrScoreJustificationRequired
	}
	return []Event{BidScored{Evaluator: ev.Person, BidID: b.BidID, Criterion: cr.ID, Score: c.Score, Justification: justification, ScoredAt: c.At.UTC()}}, nil
}

func lockScores(s State, c LockScores) ([]Event, error) {
	ev, err := s.evaluatorOf(c)
	if err != nil {
		return nil, err
	}
	if _, locked := s.Evaluation.Locked[ev.Person]; locked {
		return nil, nil
	}
	if err := evaluationPhase(s); err != nil {
		return nil, err
	}
	if err := s.declaredNoConflict(ev.Person); err != nil {
		return nil, err
	}
	var set []BidScored
	var missing []string
	for _, p := range s.toScore(ev) {
		sc, ok := s.Evaluation.Scores[scoreKey(ev.Person, p.Bid, p.Criterion)]
		if !ok {
			missing = append(missing, p.Bid+"/"+p.Criterion)
			continue
		}
		sc.ScoredAt = sc.ScoredAt.UTC()
		set = append(set, sc)
	}
	if len(missing) > 0 {
		if len(missing) > 10 {
			missing = append(missing[:10], "…")
		}
		return nil, ErrScoresIncomplete.With("not scored: %s", strings.Join(missing, ", "))
	}
	// An evaluator whose lots have no valid tender locks an empty set: it
	// must not hold up the report.
	return []Event{EvaluatorScoresLocked{Evaluator: ev.Person, ScoreSetHash: ScoreSetHash(set), Scores: len(set), LockedAt: c.At.UTC()}}, nil
}

// ScoreSetHash binds an evaluator's locked scores: the SHA-256 of their JSON
// in (tender, criterion) order, so an auditor can check none changed.
func ScoreSetHash(scores []BidScored) string {
	sorted := slices.Clone(scores)
	slices.SortFunc(sorted, func(a, b BidScored) int {
		return strings.Compare(scoreKey(a.Evaluator, a.BidID, a.Criterion), scoreKey(b.Evaluator, b.BidID, b.Criterion))
	})
	body, _ := json.Marshal(sorted) // strings, ints and times always marshal
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

func recordConsensus(s State, c RecordConsensus) ([]Event, error) {
	rationale := strings.TrimSpace(c.Rationale)
	if !textOK(rationale, maxText) {
		return nil, ErrRationaleRequired
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	if prev, ok := s.Evaluation.Consensus[scoreKey("", c.BidID, c.Criterion)]; ok && prev.Score == c.Score && prev.Rationale == rationale {
		return nil, nil
	}
	if err := evaluationPhase(s); err != nil {
		return nil, err
	}
	b, ok := s.openedTender(c.BidID)
	if !ok {
		return nil, ErrBidNotFound
	}
	if _, rejected := s.Evaluation.Rejected[b.BidID]; rejected {
		return nil, ErrBidRejected
	}
	cr, ok := s.criteriaOf(b)[c.Criterion]
	if !ok {
		return nil, ErrUnknownCriterion.With("tender %s has no award criterion %q", b.BidID, c.Criterion)
	}
	if err := checkScore(cr, c.Score); err != nil {
		return nil, err
	}
	var individual []IndividualScore
	var open []string
	for _, ev := range s.activeEvaluators() {
		if !inScope(ev, b, cr.ID) {
			continue
		}
		if _, locked := s.Evaluation.Locked[ev.Person]; !locked {
			open = append(open, ev.Person)
			continue
		}
		sc := s.Evaluation.Scores[scoreKey(ev.Person, b.BidID, cr.ID)]
		individual = append(individual, IndividualScore{Evaluator: ev.Person, Score: sc.Score})
	}
	switch {
	case len(open) > 0:
		return nil, ErrScoresNotLocked.With("not locked: %s", strings.Join(open, ", "))
	case len(individual) == 0:
		return nil, ErrScoresNotLocked.With("no evaluator has scored %s on %s", b.BidID, cr.ID)
	}
	if s.Evaluation.Report != nil {
		return nil, ErrReportFinalized
	}
	return []Event{ConsensusScoreRecorded{BidID: b.BidID, Criterion: cr.ID, Score: c.Score, Rationale: rationale, Individual: individual, RecordedAt: c.At.UTC()}}, nil
}

func requestClarification(s State, c RequestClarification) ([]Event, error) {
	q := strings.TrimSpace(c.Question)
	switch {
	case !idPattern.MatchString(c.ClarificationID):
		return nil, ErrInvalidClarificationID
	case !textOK(q, maxQuestion):
		return nil, ErrQuestionTextRequired
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	b, ok := s.openedTender(c.BidID)
	if !ok {
		return nil, ErrBidNotFound
	}
	if prev, ok := s.Evaluation.Clarifications[c.ClarificationID]; ok {
		if prev.BidID == b.BidID && prev.Question == q && prev.SameQuestionToAll == c.SameQuestionToAll {
			return nil, nil
		}
		return nil, ErrClarificationIDTaken
	}
	if err := evaluationPhase(s); err != nil {
		return nil, err
	}
	return []Event{ClarificationRequested{ClarificationID: c.ClarificationID, BidID: b.BidID, Supplier: b.Supplier, Question: q,
		SameQuestionToAll: c.SameQuestionToAll, RequestedAt: c.At.UTC()}}, nil
}

func answerClarification(s State, c AnswerClarification) ([]Event, error) {
	answer := strings.TrimSpace(c.Answer)
	if !textOK(answer, maxText) {
		return nil, ErrAnswerRequired
	}
	cl, ok := s.Evaluation.Clarifications[c.ClarificationID]
	if !ok || cl.Supplier != c.By.Org {
		return nil, ErrClarificationNotFound
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	if cl.Answer != nil {
		if cl.Answer.Answer == answer {
			return nil, nil
		}
		return nil, ErrAlreadyAnswered
	}
	if err := evaluationPhase(s); err != nil {
		return nil, err
	}
	return []Event{ClarificationReceived{ClarificationID: cl.ClarificationID, BidID: cl.BidID, Answer: answer, ReceivedAt: c.At.UTC()}}, nil
}

func rejectBid(s State, c RejectBid) ([]Event, error) {
	grounds, legal := strings.TrimSpace(c.Grounds), strings.TrimSpace(c.LegalBasis)
	if !textOK(grounds, maxText) || !textOK(legal, maxTitle) {
		return nil, ErrGroundsRequired
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	b, ok := s.openedTender(c.BidID)
	if !ok {
		return nil, ErrBidNotFound
	}
	if _, rejected := s.Evaluation.Rejected[b.BidID]; rejected {
		return nil, nil
	}
	if err := evaluationPhase(s); err != nil {
		return nil, err
	}
	if s.awarded(b.BidID) {
		return nil, ErrBidAwarded
	}
	return []Event{BidRejected{BidID: b.BidID, Supplier: b.Supplier, Grounds: grounds, LegalBasis: legal, RejectedAt: c.At.UTC()}}, nil
}

func finalizeEvaluation(s State, c FinalizeEvaluation) ([]Event, error) {
	hash := strings.ToLower(strings.TrimSpace(c.ReportHash))
	var signed []string
	for _, p := range c.SignedBy {
		if p = strings.TrimSpace(p); p != "" {
			signed = append(signed, p)
		}
	}
	signed = slices.Compact(slices.Sorted(slices.Values(signed)))
	switch {
	case !sha256Hex.MatchString(hash):
		return nil, ErrInvalidDocumentHash.With("the evaluation report")
	case len(signed) == 0:
		return nil, ErrSignaturesRequired
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	if r := s.Evaluation.Report; r != nil && r.ReportHash == hash && slices.Equal(r.SignedBy, signed) {
		return nil, nil
	}
	if err := evaluationPhase(s); err != nil {
		return nil, err
	}
	if len(s.ActiveAwards()) > 0 {
		return nil, ErrAlreadyDecided.With("revoke the awards before finalising a new report")
	}
	if len(s.validTenders()) == 0 {
		return nil, ErrAllRejected
	}
	var undeclared, unlocked []string
	for _, p := range slices.Sorted(mapKeys(s.Design.Evaluators)) {
		ev := s.Design.Evaluators[p]
		_, recused := s.Evaluation.Recused[p]
		_, declared := s.Evaluation.Declarations[p]
		_, locked := s.Evaluation.Locked[p]
		switch {
		case recused:
		case !declared:
			undeclared = append(undeclared, p)
		case !locked && len(s.toScore(ev)) > 0:
			unlocked = append(unlocked, p)
		}
	}
	switch {
	case len(undeclared) > 0:
		return nil, ErrConflictDeclarationMissing.With("no declaration from %s", strings.Join(undeclared, ", "))
	case len(unlocked) > 0:
		return nil, ErrScoresNotLocked.With("not locked: %s", strings.Join(unlocked, ", "))
	case len(s.activeEvaluators()) == 0:
		return nil, ErrScoresNotLocked.With("every evaluator is recused: appoint a replacement")
	}
	var missing []string
	for _, b := range s.validTenders() {
		for _, id := range slices.Sorted(mapKeys(s.criteriaOf(b))) {
			if _, ok := s.Evaluation.Consensus[scoreKey("", b.BidID, id)]; !ok {
				missing = append(missing, b.BidID+"/"+id)
			}
		}
	}
	if len(missing) > 0 {
		return nil, ErrConsensusMissing.With("no consensus score for %s", strings.Join(missing, ", "))
	}
	return []Event{EvaluationReportFinalized{Version: s.Evaluation.Reports + 1, Lots: s.rankings(), ReportHash: hash, SignedBy: signed,
		FinalizedAt: c.At.UTC()}}, nil
}
