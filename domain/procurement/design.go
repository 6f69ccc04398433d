package procurement

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/felles/felles/domain/timelimits"
)

// The competition design (DOMAIN.md §1 P4, §2 transition 7): the lead, under
// the members' mandates to prepare, chooses the procedure, lots, requirements,
// qualification and award criteria, the partnership phases of an innovation
// partnership, the evaluators and the timetable. Each definition replaces the
// previous one while the design is open.

// designCommand checks the lead acts, under mandates to prepare, in DESIGN.
func designCommand(s State, c Command) error {
	if err := leadOnly(s, c); err != nil {
		return err
	}
	if s.Phase != PhaseDesign {
		return ErrNotDesignPhase.With("the case is in %s", s.Phase)
	}
	_, err := s.mandatesFor(ScopePrepare, c.When())
	return err
}

func selectProcedure(s State, c SelectProcedure) ([]Event, error) {
	basis, just := strings.TrimSpace(c.LegalBasis), strings.TrimSpace(c.Justification)
	var conds []timelimits.Condition // nil when empty, as a stored event decodes
	if len(c.Conditions) > 0 {
		conds = slices.Clone(c.Conditions)
		slices.Sort(conds)
	}
	switch {
	case !validProcedure(c.Procedure):
		return nil, ErrInvalidProcedure.With("%q", c.Procedure)
	case c.Regime != timelimits.EUAbove && c.Regime != timelimits.National:
		return nil, ErrInvalidRegime.With("%q", c.Regime)
	case tooLong(basis, maxQuestion) || tooLong(just, maxQuestion):
		return nil, ErrJustificationRequired
	case needsJustification(c.Procedure) && (basis == "" || just == ""):
		return nil, ErrJustificationRequired
	case len(slices.Compact(slices.Clone(conds))) != len(conds):
		return nil, ErrInvalidCondition
	}
	for _, x := range conds {
		if x != timelimits.ESubmission && x != timelimits.QualifyingPIN && x != timelimits.Urgency {
			return nil, ErrInvalidCondition.With("%q", x)
		}
	}
	if TwoStage(c.Procedure) {
		if c.MinCandidates < 1 || (c.MaxCandidates != 0 && c.MaxCandidates < c.MinCandidates) {
			return nil, ErrInvalidCandidates
		}
	} else if c.MinCandidates != 0 || c.MaxCandidates != 0 {
		return nil, ErrInvalidCandidates
	}
	if err := designCommand(s, c); err != nil {
		return nil, err
	}
	e := ProcedureSelected{Procedure: c.Procedure, Regime: c.Regime, LegalBasis: basis, Justification: just, Conditions: conds,
		MinCandidates: c.MinCandidates, MaxCandidates: c.MaxCandidates}
	if s.Design.Procedure != nil && reflect.DeepEqual(*s.Design.Procedure, e) {
		return nil, nil
	}
	return []Event{e}, nil
}

func defineLots(s State, c DefineLots) ([]Event, error) {
	if len(c.Lots) == 0 || len(c.Lots) > 50 {
		return nil, ErrInvalidLots
	}
	if err := designCommand(s, c); err != nil {
		return nil, err
	}
	lots := make([]Lot, len(c.Lots))
	seen := map[string]bool{}
	covered := map[string]bool{}
	for i, l := range c.Lots {
		l.Title = strings.TrimSpace(l.Title)
		l.Members = slices.Compact(slices.Sorted(slices.Values(l.Members)))
		if !idPattern.MatchString(l.ID) || seen[l.ID] || !textOK(l.Title, maxTitle) || len(l.Members) == 0 {
			return nil, ErrInvalidLots.With("lot %d", i+1)
		}
		for _, m := range l.Members {
			if s.Members[m] != MemberJoined {
				return nil, ErrInvalidLots.With("lot %s: %s is not a joined member", l.ID, m)
			}
			covered[m] = true
		}
		if l.EstimatedValue != "" {
			v, err := ParseMoney(l.EstimatedValue)
			if err != nil {
				return nil, err
			}
			l.EstimatedValue = FormatMoney(v)
		}
		seen[l.ID] = true
		lots[i] = l
	}
	if missing := s.membersWithout(func(org string) bool { return covered[org] }); len(missing) > 0 {
		return nil, ErrMemberWithoutLot.With("%s", strings.Join(missing, ", "))
	}
	if reflect.DeepEqual(s.Design.Lots.Lots, lots) {
		return nil, nil
	}
	return []Event{LotsDefined{Version: s.Design.Lots.Version + 1, Lots: lots}}, nil
}

// lotExists says whether id is a defined lot.
func (s State) lotExists(id string) bool {
	return slices.ContainsFunc(s.Design.Lots.Lots, func(l Lot) bool { return l.ID == id })
}

func (s State) unknownLot(ids []string) (string, bool) {
	for _, id := range ids {
		if !s.lotExists(id) {
			return id, true
		}
	}
	return "", false
}

func defineRequirements(s State, c DefineRequirements) ([]Event, error) {
	if len(c.Requirements) == 0 || len(c.Requirements) > 500 {
		return nil, ErrInvalidRequirements
	}
	if err := designCommand(s, c); err != nil {
		return nil, err
	}
	out := make([]Requirement, len(c.Requirements))
	seen := map[string]bool{}
	for i, r := range c.Requirements {
		r.Text = strings.TrimSpace(r.Text)
		r.Lots = slices.Compact(slices.Sorted(slices.Values(r.Lots)))
		switch {
		case !idPattern.MatchString(r.ID) || seen[r.ID] || !textOK(r.Text, maxQuestion):
			return nil, ErrInvalidRequirements.With("requirement %d", i+1)
		case r.Kind != RequirementMinimum && r.Kind != RequirementFunctional && r.Kind != RequirementPerformance:
			return nil, ErrInvalidRequirements.With("requirement %s: kind %q", r.ID, r.Kind)
		}
		if lot, bad := s.unknownLot(r.Lots); bad {
			return nil, ErrUnknownLot.With("requirement %s: %q", r.ID, lot)
		}
		seen[r.ID] = true
		out[i] = r
	}
	if reflect.DeepEqual(s.Design.Requirements.Requirements, out) {
		return nil, nil
	}
	return []Event{RequirementsDefined{Version: s.Design.Requirements.Version + 1, Requirements: out}}, nil
}

func defineQualification(s State, c DefineQualificationCriteria) ([]Event, error) {
	n, m := len(c.ExclusionGrounds), len(c.SelectionCriteria)
	if n+m == 0 || n > 100 || m > 100 {
		return nil, ErrInvalidQualification
	}
	if err := designCommand(s, c); err != nil {
		return nil, err
	}
	grounds := make([]string, n)
	for i, g := range c.ExclusionGrounds {
		if grounds[i] = strings.TrimSpace(g); !textOK(grounds[i], maxReason) {
			return nil, ErrInvalidQualification.With("exclusion ground %d", i+1)
		}
	}
	criteria := make([]SelectionCriterion, m)
	seen := map[string]bool{}
	for i, x := range c.SelectionCriteria {
		x.Text, x.Evidence = strings.TrimSpace(x.Text), strings.TrimSpace(x.Evidence)
		if !idPattern.MatchString(x.ID) || seen[x.ID] || !textOK(x.Text, maxQuestion) || !textOK(x.Evidence, maxReason) {
			return nil, ErrInvalidQualification.With("selection criterion %d", i+1)
		}
		seen[x.ID] = true
		criteria[i] = x
	}
	q := s.Design.Qualification
	if q.Version > 0 && slices.Equal(q.ExclusionGrounds, grounds) && slices.Equal(q.SelectionCriteria, criteria) {
		return nil, nil
	}
	return []Event{QualificationCriteriaDefined{Version: q.Version + 1, ExclusionGrounds: grounds, SelectionCriteria: criteria}}, nil
}

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func definePartnershipPhases(s State, c DefinePartnershipPhases) ([]Event, error) {
	if len(c.Phases) == 0 || len(c.Phases) > 20 {
		return nil, ErrInvalidPhases
	}
	if err := designCommand(s, c); err != nil {
		return nil, err
	}
	if s.procedure() != timelimits.InnovationPartnership {
		return nil, ErrNotInnovationPartnership
	}
	phases := make([]PartnershipPhase, len(c.Phases))
	seen := map[string]bool{}
	prevDue := truncateDay(c.At).Format(time.DateOnly)
	for i, p := range c.Phases {
		p.Goal = strings.TrimSpace(p.Goal)
		due, dueErr := time.Parse(time.DateOnly, p.Due)
		cost, costErr := ParseMoney(p.MaxCost)
		switch {
		case !idPattern.MatchString(p.ID) || seen[p.ID] || !textOK(p.Goal, maxReason):
			return nil, ErrInvalidPhases.With("phase %d", i+1)
		case len(p.IntermediateTargets) == 0 || len(p.IntermediateTargets) > 50:
			return nil, ErrInvalidPhases.With("phase %s: intermediate targets", p.ID)
		case costErr != nil || cost <= 0:
			return nil, ErrInvalidPhases.With("phase %s: maximum cost", p.ID)
		case dueErr != nil || !datePattern.MatchString(p.Due) || p.Due < prevDue || (i > 0 && p.Due == prevDue):
			return nil, ErrInvalidPhases.With("phase %s: due date must be a date after the previous phase's", p.ID)
		}
		targets := make([]string, len(p.IntermediateTargets))
		for j, t := range p.IntermediateTargets {
			if targets[j] = strings.TrimSpace(t); !textOK(targets[j], maxReason) {
				return nil, ErrInvalidPhases.With("phase %s: target %d", p.ID, j+1)
			}
		}
		p.IntermediateTargets, p.MaxCost, p.Due = targets, FormatMoney(cost), due.Format(time.DateOnly)
		prevDue = p.Due
		seen[p.ID] = true
		phases[i] = p
	}
	pc := c.PurchaseConditions
	pc.PerformanceLevel = strings.TrimSpace(pc.PerformanceLevel)
	cost, err := ParseMoney(pc.MaxCost)
	if err != nil || cost <= 0 || !textOK(pc.PerformanceLevel, maxReason) {
		return nil, ErrInvalidPhases.With("purchase conditions")
	}
	pc.MaxCost = FormatMoney(cost)
	if p := s.Design.Partnership; p != nil && reflect.DeepEqual(p.Phases, phases) && p.PurchaseConditions == pc {
		return nil, nil
	}
	version := 1
	if s.Design.Partnership != nil {
		version = s.Design.Partnership.Version + 1
	}
	return []Event{PartnershipPhasesDefined{Version: version, Phases: phases, PurchaseConditions: pc}}, nil
}

var personPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

func appointEvaluator(s State, c AppointEvaluator) ([]Event, error) {
	criteria := slices.Compact(slices.Sorted(slices.Values(c.Criteria)))
	lots := slices.Compact(slices.Sorted(slices.Values(c.Lots)))
	if !personPattern.MatchString(c.Person) || !idPattern.MatchString(c.Org) {
		return nil, ErrInvalidEvaluator
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	switch s.Phase {
	case PhaseDesign, PhaseApproval, PhaseTendering, PhaseReceiptClosed, PhaseQualification:
	case PhaseEvaluation:
		return nil, ErrEvaluationStarted
	default:
		return nil, ErrNotDesignPhase.With("the case is in %s", s.Phase)
	}
	if _, err := s.mandatesFor(ScopePrepare, c.At); err != nil {
		return nil, err
	}
	if lot, bad := s.unknownLot(lots); bad {
		return nil, ErrUnknownLot.With("%q", lot)
	}
	for _, id := range criteria {
		if !s.criterionExists(id) {
			return nil, ErrInvalidEvaluator.With("no award criterion %q", id)
		}
	}
	e := EvaluatorAppointed{Person: c.Person, Org: c.Org, Criteria: criteria, Lots: lots}
	if prev, ok := s.Design.Evaluators[c.Person]; ok && reflect.DeepEqual(prev, e) {
		return nil, nil
	}
	return []Event{e}, nil
}

func (s State) criterionExists(id string) bool {
	for _, set := range s.Design.AwardCriteria {
		if slices.ContainsFunc(set.Criteria, func(x AwardCriterion) bool { return x.ID == id }) {
			return true
		}
	}
	return false
}
