package procurement

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/felles/felles/domain/timelimits"
)

// Follow-up (DOMAIN.md §1 P10–P11, §2 transitions 21 and 24): the lead records
// milestones and deviations; in an innovation partnership it takes the gate
// decision at the end of each phase, in order, against the phase's targets,
// under the members' manageContract mandates (continue only with every target
// met; termination only at a phase's end [EU-31]). Members record payments and
// the effects they measure; the lead closes each contract (a partnership only
// once every phase is through or it was terminated), and the case closes once
// every buyer has reported its effects.

func recordMilestone(s State, c RecordMilestone) ([]Event, error) {
	title, note := strings.TrimSpace(c.Title), strings.TrimSpace(c.Note)
	switch {
	case !idPattern.MatchString(c.MilestoneID):
		return nil, ErrInvalidMilestoneID
	case !textOK(title, maxTitle) || tooLong(note, maxText):
		return nil, ErrDescriptionRequired
	case !c.Status.valid():
		return nil, ErrInvalidMilestoneStatus
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	if prev, ok := s.Contracting.Milestones[c.MilestoneID]; ok {
		if prev.ContractID != c.ContractID {
			return nil, ErrMilestoneIDTaken
		}
		if prev.Title == title && prev.Status == c.Status && prev.Note == note {
			return nil, nil
		}
	}
	if _, err := s.signedContract(c.ContractID); err != nil {
		return nil, err
	}
	return []Event{MilestoneRecorded{MilestoneID: c.MilestoneID, ContractID: c.ContractID, Title: title, Status: c.Status, Note: note, RecordedAt: c.At.UTC()}}, nil
}

func recordDeviation(s State, c RecordDeviation) ([]Event, error) {
	desc := strings.TrimSpace(c.Description)
	switch {
	case !idPattern.MatchString(c.DeviationID):
		return nil, ErrInvalidDeviationID
	case !c.Severity.valid():
		return nil, ErrInvalidSeverity
	case !textOK(desc, maxText):
		return nil, ErrDescriptionRequired
	}
	org := c.By.Org
	if _, err := memberStatus(s, org); err != nil {
		return nil, err
	}
	if prev, ok := s.Contracting.Deviations[c.DeviationID]; ok {
		if prev.ContractID == c.ContractID && prev.Severity == c.Severity && prev.Description == desc && prev.RecordedBy == org {
			return nil, nil
		}
		return nil, ErrDeviationIDTaken
	}
	k, err := s.signedContract(c.ContractID)
	if err != nil {
		return nil, err
	}
	if org != s.Lead && !slices.Contains(k.Buyers, org) {
		return nil, ErrNotBuyer.With("%s is not a buyer under contract %s", org, k.ID)
	}
	return []Event{ContractDeviationRecorded{DeviationID: c.DeviationID, ContractID: k.ID, Severity: c.Severity, Description: desc,
		RecordedBy: org, RecordedAt: c.At.UTC()}}, nil
}

// nextGate is the first partnership phase without a gate decision.
func (s State) nextGate() (PartnershipPhase, bool) {
	if s.Design.Partnership == nil || s.Contracting.Terminated != nil {
		return PartnershipPhase{}, false
	}
	for _, p := range s.Design.Partnership.Phases {
		if _, done := s.Contracting.Gates[p.ID]; !done {
			return p, true
		}
	}
	return PartnershipPhase{}, false
}

func completePhase(s State, c CompletePhase) ([]Event, error) {
	hash := strings.ToLower(strings.TrimSpace(c.AssessmentHash))
	reason := strings.TrimSpace(c.Reason)
	switch {
	case !sha256Hex.MatchString(hash):
		return nil, ErrInvalidDocumentHash.With("the assessment")
	case c.Decision != GateContinue && c.Decision != GateTerminate:
		return nil, ErrInvalidGateDecision
	case c.Decision == GateTerminate && !textOK(reason, maxText):
		return nil, ErrReasonRequired
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	if s.procedure() != timelimits.InnovationPartnership || s.Design.Partnership == nil {
		return nil, ErrNotPartnership
	}
	if prev, ok := s.Contracting.Gates[c.PhaseID]; ok {
		if prev.Decision == c.Decision && prev.AssessmentHash == hash {
			return nil, nil
		}
		return nil, ErrGateDecided
	}
	if s.Phase != PhaseContractActive {
		return nil, ErrNotFollowUpPhase.With("phase gates are decided while the partnership contract is active; the case is in %s", s.Phase)
	}
	if s.Contracting.Terminated != nil {
		return nil, ErrPartnershipTerminated
	}
	next, ok := s.nextGate()
	switch {
	case !ok:
		return nil, ErrGateDecided.With("every phase is decided")
	case next.ID != c.PhaseID:
		return nil, ErrPhaseOrder.With("the next phase to decide is %s", next.ID)
	case s.localDay(c.At) < next.Due:
		return nil, ErrPhaseNotEnded.With("phase %s ends on %s", next.ID, next.Due)
	}
	met := slices.Compact(slices.Sorted(slices.Values(c.TargetsMet)))
	var missed []string
	for _, t := range met {
		if !slices.Contains(next.IntermediateTargets, t) {
			return nil, ErrUnknownTarget.With("%q is not a target of phase %s", t, next.ID)
		}
	}
	for _, t := range next.IntermediateTargets {
		if !slices.Contains(met, t) {
			missed = append(missed, t)
		}
	}
	if c.Decision == GateContinue && len(missed) > 0 {
		return nil, ErrTargetsNotMet.With("not met: %s", strings.Join(missed, "; "))
	}
	ids, missing := s.mandatesFrom(s.joinedMembers(), ScopeManageContract, c.At)
	if len(missing) > 0 {
		return nil, ErrMandateMissing.With("no active manageContract mandate from %s", strings.Join(missing, ", "))
	}
	out := []Event{PartnershipPhaseCompleted{PhaseID: next.ID, TargetsMet: met, TargetsMissed: missed, AssessmentHash: hash,
		Decision: c.Decision, Mandates: ids, DecidedAt: c.At.UTC()}}
	if c.Decision == GateTerminate {
		out = append(out, PartnershipTerminated{PhaseID: next.ID, Reason: reason, TerminatedAt: c.At.UTC()})
	}
	return out, nil
}

func recordPayment(s State, c RecordPayment) ([]Event, error) {
	amount, err := ParseMoney(c.Amount)
	paid, dateErr := time.Parse(time.DateOnly, c.PaidOn)
	switch {
	case !idPattern.MatchString(c.PaymentID):
		return nil, ErrInvalidPaymentID
	case err != nil || amount <= 0:
		return nil, ErrInvalidAmount.With("the payment amount")
	case dateErr != nil || paid.Format(time.DateOnly) > s.localDay(c.At):
		return nil, ErrInvalidPeriod.With("the payment date is a date not after today")
	}
	org := c.By.Org
	if _, err := memberStatus(s, org); err != nil {
		return nil, err
	}
	if prev, ok := s.Contracting.Payments[c.PaymentID]; ok {
		if prev.Org == org && prev.ContractID == c.ContractID && prev.Amount == FormatMoney(amount) && prev.PaidOn == c.PaidOn {
			return nil, nil
		}
		return nil, ErrPaymentIDTaken
	}
	k, err := s.signedContract(c.ContractID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(k.Buyers, org) {
		return nil, ErrNotBuyer.With("%s is not a buyer under contract %s", org, k.ID)
	}
	return []Event{PaymentRecorded{PaymentID: c.PaymentID, ContractID: k.ID, Org: org, Amount: FormatMoney(amount), PaidOn: c.PaidOn}}, nil
}

// ParseDecimal reads a decimal with at most four places into ten-thousandths.
func ParseDecimal(v string) (int64, error) {
	v = strings.TrimSpace(v)
	neg := strings.HasPrefix(v, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(v, "-"), ".")
	if whole == "" || len(frac) > 4 || strings.ContainsAny(whole+frac, "+-") || len(whole) > 12 {
		return 0, ErrInvalidDecimal
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, ErrInvalidDecimal
	}
	f := int64(0)
	if frac != "" {
		if f, err = strconv.ParseInt((frac + "000")[:4], 10, 64); err != nil {
			return 0, ErrInvalidDecimal
		}
	}
	n := w*10000 + f
	if neg {
		n = -n
	}
	return n, nil
}

// FormatDecimal writes ten-thousandths with the places needed (at least none).
func FormatDecimal(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	s := sign + strconv.FormatInt(n/10000, 10)
	if f := n % 10000; f != 0 {
		s += "." + strings.TrimRight(strconv.FormatInt(10000+f, 10)[1:], "0")
	}
	return s
}

func recordEffect(s State, c RecordEffect) ([]Event, error) {
	kpi, unit, method := strings.TrimSpace(c.KPI), strings.TrimSpace(c.Unit), strings.TrimSpace(c.Method)
	base, e1 := ParseDecimal(c.Baseline)
	val, e2 := ParseDecimal(c.Value)
	from, e3 := time.Parse(time.DateOnly, c.PeriodFrom)
	to, e4 := time.Parse(time.DateOnly, c.PeriodTo)
	switch {
	case !idPattern.MatchString(c.MeasurementID):
		return nil, ErrInvalidMeasurementID
	case !textOK(kpi, maxTitle) || !textOK(unit, 50) || !textOK(method, maxQuestion):
		return nil, ErrKPIRequired
	case e1 != nil || e2 != nil:
		return nil, ErrInvalidDecimal
	case e3 != nil || e4 != nil || to.Before(from):
		return nil, ErrInvalidPeriod.With("the measurement period")
	}
	org := c.By.Org
	st, err := memberStatus(s, org)
	if err != nil {
		return nil, err
	}
	if st != MemberJoined {
		return nil, ErrNotMember
	}
	e := EffectMeasured{MeasurementID: c.MeasurementID, Org: org, KPI: kpi, Unit: unit, Baseline: FormatDecimal(base), Value: FormatDecimal(val),
		PeriodFrom: c.PeriodFrom, PeriodTo: c.PeriodTo, Method: method}
	if prev, ok := s.Contracting.Effects[c.MeasurementID]; ok {
		if prev == e {
			return nil, nil
		}
		return nil, ErrMeasurementIDTaken
	}
	if s.Phase != PhaseContractActive && s.Phase != PhaseFollowUp {
		return nil, ErrNotFollowUpPhase.With("the case is in %s", s.Phase)
	}
	return []Event{e}, nil
}

func closeContract(s State, c CloseContract) ([]Event, error) {
	hash := strings.ToLower(strings.TrimSpace(c.LessonsHash))
	switch {
	case c.FinalStatus != FinalComplete && c.FinalStatus != FinalIncomplete:
		return nil, ErrInvalidFinalStatus
	case hash != "" && !sha256Hex.MatchString(hash):
		return nil, ErrInvalidDocumentHash.With("the lessons learned")
	}
	if err := leadOnly(s, c); err != nil {
		return nil, err
	}
	k, ok := s.Contracting.Contracts[c.ContractID]
	if ok && k.Closed != nil {
		if k.Closed.FinalStatus == c.FinalStatus && k.Closed.LessonsHash == hash {
			return nil, nil
		}
		return nil, ErrContractClosed
	}
	if _, err := s.signedContract(c.ContractID); err != nil {
		return nil, err
	}
	if s.Design.Partnership != nil && s.procedure() == timelimits.InnovationPartnership {
		if next, open := s.nextGate(); open {
			return nil, ErrPartnershipOpen.With("phase %s has no gate decision", next.ID)
		}
	}
	closed := ContractClosed{ContractID: k.ID, FinalStatus: c.FinalStatus, LessonsHash: hash, ClosedAt: c.At.UTC()}
	closed.PhaseAfter = evolve(s, closed).Phase
	return []Event{closed}, nil
}

func closeCase(s State, c CloseCase) ([]Event, error) {
	hash := strings.ToLower(strings.TrimSpace(c.LessonsHash))
	if hash != "" && !sha256Hex.MatchString(hash) {
		return nil, ErrInvalidDocumentHash.With("the lessons learned")
	}
	if err := hubOrLead(s, c); err != nil && s.Phase != PhaseClosed {
		return nil, err
	}
	if cl := s.Contracting.Closed; cl != nil && (coordinates(s, c) || leads(s, c)) {
		if cl.LessonsHash == hash {
			return nil, nil
		}
		return nil, ErrTerminal
	}
	if err := ensureOpen(s); err != nil {
		return nil, err
	}
	if s.Phase != PhaseFollowUp {
		return nil, ErrNotFollowUpPhase.With("the case closes from FOLLOW_UP, once every contract is closed; it is in %s", s.Phase)
	}
	reported := map[string]bool{}
	for _, e := range s.Contracting.Effects {
		reported[e.Org] = true
	}
	var missing []string
	for _, m := range s.buyersUnderContract() {
		if !reported[m] {
			missing = append(missing, m)
		}
	}
	if len(missing) > 0 {
		return nil, ErrEffectsMissing.With("no effect measured by %s", strings.Join(missing, ", "))
	}
	return []Event{CaseClosed{LessonsHash: hash, ClosedAt: c.At.UTC()}}, nil
}

// buyersUnderContract are the joined members bound by a signed contract, sorted.
func (s State) buyersUnderContract() []string {
	var out []string
	for _, k := range s.Contracting.Contracts {
		if k.Signed == nil {
			continue
		}
		for _, m := range k.Buyers {
			if s.Members[m] == MemberJoined {
				out = append(out, m)
			}
		}
	}
	return slices.Compact(slices.Sorted(slices.Values(out)))
}
