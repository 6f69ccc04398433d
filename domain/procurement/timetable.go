package procurement

import (
	"time"

	"github.com/felles/felles/domain/timelimits"
)

// The timetable (DOMAIN.md §4.1, §4.6): every planned period is checked against
// the legal minimum of the case's jurisdiction, regime and procedure from the
// time-limit table the application hands in, and the computations are stored
// in the event. At the notice the first deadline is checked again from the
// actual moment of sending.

// limitRule looks up one rule with the case's facts applied.
func (s State) limitRule(t *timelimits.Table, k timelimits.Kind) (timelimits.Rule, error) {
	p := s.Design.Procedure
	r, err := t.Rule(timelimits.Jurisdiction(s.Jurisdiction), p.Regime, p.Procedure, k)
	if err != nil {
		return r, err
	}
	return r.With(p.Conditions...), nil
}

// checkPeriod checks that the period from `from` to `to` meets rule k and
// returns the computation to store.
func (s State) checkPeriod(t *timelimits.Table, k timelimits.Kind, from, to time.Time) (timelimits.Computation, error) {
	r, err := s.limitRule(t, k)
	if err != nil {
		return timelimits.Computation{}, err
	}
	if err := timelimits.Check(r, from, to); err != nil {
		return timelimits.Computation{}, err
	}
	_, c, err := timelimits.EarliestEnd(r, from)
	return c, err
}

// firstDeadline is the deadline of the first round and its kind of period.
func firstDeadline(p timelimits.Procedure, plan TimetablePlan) (time.Time, timelimits.Kind, Round) {
	if TwoStage(p) {
		return plan.RequestDeadline, timelimits.RequestReceipt, RoundRequests
	}
	return plan.TenderDeadline, timelimits.TenderReceipt, RoundTenders
}

// checkPlan checks the order of the times and every legal minimum when the
// notice is sent at noticeAt.
func (s State) checkPlan(t *timelimits.Table, plan TimetablePlan, noticeAt time.Time) ([]timelimits.Computation, error) {
	proc := s.procedure()
	two := TwoStage(proc)
	switch {
	case two && plan.RequestDeadline.IsZero():
		return nil, ErrRequestDeadlineRequired
	case !two && !plan.RequestDeadline.IsZero():
		return nil, ErrRequestDeadlineNotUsed
	case plan.NoticeAt.IsZero() || plan.QACutoff.IsZero() || plan.TenderDeadline.IsZero() || plan.OpeningAt.IsZero():
		return nil, ErrInvalidTimetable.With("give the notice, question cut-off, tender deadline and opening times")
	}
	first, kind, _ := firstDeadline(proc, plan)
	switch {
	case !plan.QACutoff.After(plan.NoticeAt) || !first.After(plan.QACutoff):
		return nil, ErrInvalidTimetable.With("the question cut-off falls between the notice and the first deadline")
	case two && !plan.TenderDeadline.After(plan.RequestDeadline):
		return nil, ErrInvalidTimetable.With("the tender deadline comes after the request deadline")
	case plan.OpeningAt.Before(plan.TenderDeadline):
		return nil, ErrInvalidTimetable.With("the opening cannot be before the tender deadline")
	}
	var minima []timelimits.Computation
	add := func(k timelimits.Kind, from, to time.Time) error {
		c, err := s.checkPeriod(t, k, from, to)
		minima = append(minima, c)
		return err
	}
	if err := add(kind, noticeAt, first); err != nil {
		return nil, err
	}
	if !plan.QACutoff.After(noticeAt) {
		// Sent later than planned: no supplier could ask a question.
		return nil, ErrInvalidTimetable.With("the notice is sent after the question cut-off: set a new timetable")
	}
	if two {
		// The invitation to tender goes out after the requests are assessed:
		// the request deadline is the earliest it can be sent.
		if err := add(timelimits.TendersAfterInvitation, plan.RequestDeadline, plan.TenderDeadline); err != nil {
			return nil, err
		}
	}
	if err := add(timelimits.AdditionalInfoBeforeDeadline, plan.QACutoff, first); err != nil {
		return nil, err
	}
	return minima, nil
}

func setTimetable(s State, c SetTimetable) ([]Event, error) {
	if err := designCommand(s, c); err != nil {
		return nil, err
	}
	if s.Design.Procedure == nil {
		return nil, ErrProcedureFirst
	}
	if c.Limits == nil {
		return nil, ErrTimeLimitsUnavailable
	}
	plan := normalisePlan(c.Timetable)
	if plan.NoticeAt.Before(c.At.Truncate(time.Minute)) {
		return nil, ErrNoticeInPast
	}
	if cur := s.Design.Timetable; cur != nil && cur.Timetable == plan {
		return nil, nil
	}
	minima, err := s.checkPlan(c.Limits, plan, plan.NoticeAt)
	if err != nil {
		return nil, err
	}
	zone := timelimits.Jurisdiction(s.Jurisdiction).TimeZone()
	return []Event{TimetableSet{Version: s.Design.TimetableSets + 1, Timetable: plan, TimeZone: zone, Minima: minima}}, nil
}

func normalisePlan(p TimetablePlan) TimetablePlan {
	utc := func(t time.Time) time.Time {
		if t.IsZero() {
			return time.Time{}
		}
		return t.UTC()
	}
	p.NoticeAt, p.QACutoff, p.RequestDeadline = utc(p.NoticeAt), utc(p.QACutoff), utc(p.RequestDeadline)
	p.TenderDeadline, p.OpeningAt = utc(p.TenderDeadline), utc(p.OpeningAt)
	return p
}
