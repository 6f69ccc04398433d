package procurement_test

import (
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/es/estest"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
)

// Tests of the timetable (DOMAIN.md §4.1, §4.6): every period is checked
// against the legal minimum of the case's jurisdiction (NO), regime and
// procedure, counted in calendar days in Europe/Oslo from the day after the
// sending and ending at local midnight, and the computations are stored.

func dzOslo(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// dzLocal is a wall-clock time in Oslo.
func dzLocal(t testing.TB, y int, m time.Month, d, hour, minute int) time.Time {
	return time.Date(y, m, d, hour, minute, 0, 0, dzOslo(t))
}

// dzOpen35 is the open procedure without e-submission: 35 days.
func dzOpen35() procurement.ProcedureSelected {
	return procurement.ProcedureSelected{Procedure: timelimits.Open, Regime: timelimits.EUAbove, LegalBasis: "FOA § 13-1"}
}

func dzSetTimetable(plan procurement.TimetablePlan, limits *timelimits.Table) procurement.SetTimetable {
	return procurement.SetTimetable{Timetable: plan, Limits: limits, By: tdLeadBy(), At: dzNow()}
}

// dzPlanUntil is the open procedure's timetable with the notice on day 50
// (2025-04-21 09:00 UTC), questions until day 52 and tenders until deadline,
// opened an hour later.
func dzPlanUntil(deadline time.Time) procurement.TimetablePlan {
	return procurement.TimetablePlan{NoticeAt: tdAt(50, 9), QACutoff: tdAt(52, 12), TenderDeadline: deadline, OpeningAt: deadline.Add(time.Hour)}
}

// dzRestrictedPlan: notice day 50, questions until day 60, requests until day
// 85 (2025-05-26), tenders until day 116 (2025-06-26), opening an hour later.
func dzRestrictedPlan() procurement.TimetablePlan {
	return procurement.TimetablePlan{NoticeAt: tdAt(50, 9), QACutoff: tdAt(60, 12), RequestDeadline: tdAt(85, 10),
		TenderDeadline: tdAt(116, 10), OpeningAt: tdAt(116, 11)}
}

// dzMinimum is what the time-limit library computes for a period of the case
// (NO, above the EEA threshold) starting at from: what TimetableSet stores.
func dzMinimum(t testing.TB, limits *timelimits.Table, p procurement.ProcedureSelected, k timelimits.Kind, from time.Time) timelimits.Computation {
	t.Helper()
	rule, err := limits.Rule(timelimits.NO, p.Regime, p.Procedure, k)
	if err != nil {
		t.Fatal(err)
	}
	_, c, err := timelimits.EarliestEnd(rule.With(p.Conditions...), from)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// dzRuleName is the name of a rule of the NO table above the threshold.
func dzRuleName(t testing.TB, limits *timelimits.Table, p timelimits.Procedure, k timelimits.Kind) string {
	t.Helper()
	rule, err := limits.Rule(timelimits.NO, timelimits.EUAbove, p, k)
	if err != nil {
		t.Fatal(err)
	}
	return rule.Name
}

// dzTimetableIs checks the stored timetable with a check of its minima.
func dzTimetableIs(version int, check func(testing.TB, []timelimits.Computation)) func(testing.TB, procurement.State) {
	return func(t testing.TB, s procurement.State) {
		t.Helper()
		tt := s.Design.Timetable
		if tt == nil {
			t.Fatal("no timetable")
		}
		if tt.Version != version || tt.TimeZone != "Europe/Oslo" {
			t.Fatalf("timetable version %d in %q, want version %d in Europe/Oslo", tt.Version, tt.TimeZone, version)
		}
		check(t, tt.Minima)
	}
}

// dzTooShort checks the command is refused as too short with a message naming
// the rule and the earliest allowed end.
func dzTooShort(t *testing.T, history []procurement.Event, cmd procurement.Command, rule, earliest string) {
	t.Helper()
	estest.For(t, procurement.Decider).Given(history...).When(cmd).ThenError(timelimits.ErrTooShort)
	msg := dzErrorMessage(t, history, cmd, timelimits.ErrTooShort)
	for _, want := range []string{rule, "earliest allowed end is " + earliest + " Europe/Oslo"} {
		if !strings.Contains(msg, want) {
			t.Fatalf("the message %q does not say %q", msg, want)
		}
	}
}

func TestSetTimetable(t *testing.T) {
	limits := tdLimits(t)
	open := dzDesignWith(tdProcedure(timelimits.Open))
	open35 := dzDesignWith(dzOpen35())
	restricted := dzDesignWith(tdProcedure(timelimits.Restricted))
	openName := dzRuleName(t, limits, timelimits.Open, timelimits.TenderReceipt)

	t.Run("the_lead_sets_the_timetable_and_the_legal_minima_are_stored", func(t *testing.T) {
		plan := tdPlan()
		estest.For(t, procurement.Decider).Given(open...).When(dzSetTimetable(plan, limits)).
			Then(procurement.TimetableSet{Version: 1, Timetable: plan, TimeZone: "Europe/Oslo", Minima: []timelimits.Computation{
				dzMinimum(t, limits, tdProcedure(timelimits.Open), timelimits.TenderReceipt, plan.NoticeAt),
				dzMinimum(t, limits, tdProcedure(timelimits.Open), timelimits.AdditionalInfoBeforeDeadline, plan.QACutoff),
			}})
	})
	t.Run("e_submission_shortens_the_open_procedure_from_35_to_30_days", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(open...).When(dzSetTimetable(tdPlan(), limits)).
			ThenState(dzTimetableIs(1, func(t testing.TB, m []timelimits.Computation) {
				if len(m) != 2 {
					t.Fatalf("minima %+v, want the tender receipt and the additional information", m)
				}
				if m[0].Rule != "NO/EU_ABOVE/OPEN/TENDER_RECEIPT" || m[0].BaseDays != 35 || m[0].Days != 30 ||
					len(m[0].Reductions) != 1 || m[0].Reductions[0] != timelimits.ESubmission || m[0].SentDate != "2025-04-21" || m[0].EndDate != "2025-05-21" {
					t.Fatalf("tender receipt %+v", m[0])
				}
				if m[1].Rule != "NO/EU_ABOVE/ANY/ADDITIONAL_INFO_BEFORE_DEADLINE" || m[1].Days != 6 {
					t.Fatalf("additional information %+v", m[1])
				}
			}))
	})
	t.Run("a_tender_deadline_34_days_after_the_notice_is_too_short", func(t *testing.T) {
		// The notice goes on 2025-04-21; the 34th day after ends at midnight
		// into 2025-05-26, the 35th at midnight into 2025-05-27.
		dzTooShort(t, open35, dzSetTimetable(dzPlanUntil(dzLocal(t, 2025, 5, 26, 0, 0)), limits),
			openName+": at least 35 days", "2025-05-27 00:00")
	})
	t.Run("a_tender_deadline_a_minute_before_the_35th_day_ends_is_too_short", func(t *testing.T) {
		dzTooShort(t, open35, dzSetTimetable(dzPlanUntil(dzLocal(t, 2025, 5, 26, 23, 59)), limits),
			openName, "2025-05-27 00:00")
	})
	t.Run("a_tender_deadline_35_full_days_after_the_notice_is_allowed", func(t *testing.T) {
		deadline := dzLocal(t, 2025, 5, 27, 0, 0)
		estest.For(t, procurement.Decider).Given(open35...).When(dzSetTimetable(dzPlanUntil(deadline), limits)).
			ThenState(dzTimetableIs(1, func(t testing.TB, m []timelimits.Computation) {
				if m[0].Days != 35 || m[0].BaseDays != 35 || len(m[0].Reductions) != 0 || m[0].LastDay != "2025-05-26" || m[0].EndDate != "2025-05-26" {
					t.Fatalf("tender receipt %+v", m[0])
				}
				if !m[0].End.Add(time.Nanosecond).Equal(deadline) {
					t.Fatalf("the period ends %v, want the instant before %v", m[0].End, deadline)
				}
			}))
	})
	t.Run("with_e_submission_29_days_are_too_short", func(t *testing.T) {
		dzTooShort(t, open, dzSetTimetable(dzPlanUntil(dzLocal(t, 2025, 5, 21, 0, 0)), limits),
			openName+": at least 30 days with", "2025-05-22 00:00")
	})
	t.Run("with_e_submission_30_days_are_enough", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(open...).When(dzSetTimetable(dzPlanUntil(dzLocal(t, 2025, 5, 22, 0, 0)), limits)).
			ThenState(dzTimetableIs(1, func(t testing.TB, m []timelimits.Computation) {
				if m[0].Days != 30 {
					t.Fatalf("tender receipt %+v", m[0])
				}
			}))
	})
	t.Run("a_qualifying_pin_shortens_the_open_procedure_to_15_days", func(t *testing.T) {
		p := tdProcedure(timelimits.Open)
		p.Conditions = []timelimits.Condition{timelimits.ESubmission, timelimits.QualifyingPIN}
		estest.For(t, procurement.Decider).Given(dzDesignWith(p)...).When(dzSetTimetable(dzPlanUntil(dzLocal(t, 2025, 5, 7, 0, 0)), limits)).
			ThenState(dzTimetableIs(1, func(t testing.TB, m []timelimits.Computation) {
				if m[0].Days != 15 || len(m[0].Reductions) != 2 {
					t.Fatalf("tender receipt %+v", m[0])
				}
			}))
		dzTooShort(t, dzDesignWith(p), dzSetTimetable(dzPlanUntil(dzLocal(t, 2025, 5, 6, 23, 0)), limits), "at least 15 days", "2025-05-07 00:00")
	})
	t.Run("below_the_threshold_no_fixed_minimum_applies", func(t *testing.T) {
		p := procurement.ProcedureSelected{Procedure: timelimits.Open, Regime: timelimits.National}
		plan := procurement.TimetablePlan{NoticeAt: tdAt(50, 9), QACutoff: tdAt(51, 9), TenderDeadline: tdAt(53, 9), OpeningAt: tdAt(53, 9)}
		estest.For(t, procurement.Decider).Given(dzDesignWith(p)...).When(dzSetTimetable(plan, limits)).
			ThenState(dzTimetableIs(1, func(t testing.TB, m []timelimits.Computation) {
				if m[0].HasLimit || m[0].Rule != "NO/NATIONAL/ANY/TENDER_RECEIPT" {
					t.Fatalf("tender receipt %+v", m[0])
				}
			}))
	})
	t.Run("questions_closing_five_days_before_the_deadline_are_too_late", func(t *testing.T) {
		plan := tdPlan()
		plan.QACutoff = tdAt(86, 12)
		dzTooShort(t, open, dzSetTimetable(plan, limits),
			dzRuleName(t, limits, timelimits.Open, timelimits.AdditionalInfoBeforeDeadline), "2025-06-03 00:00")
	})

	t.Run("a_restricted_procedure_stores_the_requests_the_tenders_and_the_questions", func(t *testing.T) {
		plan := dzRestrictedPlan()
		p := tdProcedure(timelimits.Restricted)
		estest.For(t, procurement.Decider).Given(restricted...).When(dzSetTimetable(plan, limits)).
			Then(procurement.TimetableSet{Version: 1, Timetable: plan, TimeZone: "Europe/Oslo", Minima: []timelimits.Computation{
				dzMinimum(t, limits, p, timelimits.RequestReceipt, plan.NoticeAt),
				dzMinimum(t, limits, p, timelimits.TendersAfterInvitation, plan.RequestDeadline),
				dzMinimum(t, limits, p, timelimits.AdditionalInfoBeforeDeadline, plan.QACutoff),
			}})
	})
	t.Run("a_restricted_procedure_checks_30_days_for_requests", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(restricted...).When(dzSetTimetable(dzRestrictedPlan(), limits)).
			ThenState(dzTimetableIs(1, func(t testing.TB, m []timelimits.Computation) {
				if len(m) != 3 || m[0].Rule != "NO/EU_ABOVE/RESTRICTED/REQUEST_RECEIPT" || m[0].Days != 30 ||
					m[1].Rule != "NO/EU_ABOVE/RESTRICTED/TENDERS_AFTER_INVITATION" || m[1].Days != 30 || m[1].SentDate != "2025-05-26" {
					t.Fatalf("minima %+v", m)
				}
			}))
	})
	t.Run("a_restricted_request_deadline_29_days_after_the_notice_is_too_short", func(t *testing.T) {
		plan := dzRestrictedPlan()
		plan.QACutoff, plan.RequestDeadline = tdAt(52, 12), dzLocal(t, 2025, 5, 21, 0, 0)
		dzTooShort(t, restricted, dzSetTimetable(plan, limits),
			dzRuleName(t, limits, timelimits.Restricted, timelimits.RequestReceipt)+": at least 30 days", "2025-05-22 00:00")
	})
	t.Run("restricted_tenders_29_days_after_the_request_deadline_are_too_short", func(t *testing.T) {
		plan := dzRestrictedPlan()
		plan.TenderDeadline, plan.OpeningAt = dzLocal(t, 2025, 6, 25, 0, 0), dzLocal(t, 2025, 6, 25, 9, 0)
		dzTooShort(t, restricted, dzSetTimetable(plan, limits),
			dzRuleName(t, limits, timelimits.Restricted, timelimits.TendersAfterInvitation), "2025-06-26 00:00")
	})
	t.Run("a_restricted_procedure_needs_a_request_deadline", func(t *testing.T) {
		plan := dzRestrictedPlan()
		plan.RequestDeadline = time.Time{}
		estest.For(t, procurement.Decider).Given(restricted...).When(dzSetTimetable(plan, limits)).ThenError(procurement.ErrRequestDeadlineRequired)
	})
	t.Run("restricted_tenders_due_with_the_requests_are_out_of_order", func(t *testing.T) {
		plan := dzRestrictedPlan()
		plan.TenderDeadline = plan.RequestDeadline
		estest.For(t, procurement.Decider).Given(restricted...).When(dzSetTimetable(plan, limits)).ThenError(procurement.ErrInvalidTimetable)
	})
	t.Run("restricted_questions_closing_after_the_request_deadline_are_out_of_order", func(t *testing.T) {
		plan := dzRestrictedPlan()
		plan.QACutoff = tdAt(86, 9)
		estest.For(t, procurement.Decider).Given(restricted...).When(dzSetTimetable(plan, limits)).ThenError(procurement.ErrInvalidTimetable)
	})
	t.Run("an_innovation_partnership_has_no_fixed_minimum_for_tenders_after_invitation", func(t *testing.T) {
		plan := dzRestrictedPlan()
		plan.TenderDeadline, plan.OpeningAt = tdAt(86, 10), tdAt(86, 11)
		estest.For(t, procurement.Decider).Given(dzDesignWith(tdProcedure(timelimits.InnovationPartnership))...).When(dzSetTimetable(plan, limits)).
			ThenState(dzTimetableIs(1, func(t testing.TB, m []timelimits.Computation) {
				if m[0].Days != 30 || m[1].HasLimit || m[1].Rule != "NO/EU_ABOVE/INNOVATION_PARTNERSHIP/TENDERS_AFTER_INVITATION" {
					t.Fatalf("minima %+v", m)
				}
			}))
	})
	t.Run("an_open_procedure_has_no_request_deadline", func(t *testing.T) {
		plan := tdPlan()
		plan.RequestDeadline = tdAt(80, 10)
		estest.For(t, procurement.Decider).Given(open...).When(dzSetTimetable(plan, limits)).ThenError(procurement.ErrRequestDeadlineNotUsed)
	})
	for name, change := range map[string]func(*procurement.TimetablePlan){
		"questions_closing_at_the_notice":      func(p *procurement.TimetablePlan) { p.QACutoff = p.NoticeAt },
		"questions_closing_before_the_notice":  func(p *procurement.TimetablePlan) { p.QACutoff = p.NoticeAt.Add(-time.Hour) },
		"questions_closing_at_the_deadline":    func(p *procurement.TimetablePlan) { p.QACutoff = p.TenderDeadline },
		"questions_closing_after_the_deadline": func(p *procurement.TimetablePlan) { p.QACutoff = p.TenderDeadline.Add(time.Hour) },
		"an_opening_before_the_deadline":       func(p *procurement.TimetablePlan) { p.OpeningAt = p.TenderDeadline.Add(-time.Minute) },
		"no_question_cut_off":                  func(p *procurement.TimetablePlan) { p.QACutoff = time.Time{} },
		"no_tender_deadline":                   func(p *procurement.TimetablePlan) { p.TenderDeadline = time.Time{} },
		"no_opening":                           func(p *procurement.TimetablePlan) { p.OpeningAt = time.Time{} },
		"a_deadline_before_the_notice":         func(p *procurement.TimetablePlan) { p.TenderDeadline, p.OpeningAt = tdAt(49, 9), tdAt(49, 10) },
	} {
		t.Run("refused_"+name, func(t *testing.T) {
			plan := tdPlan()
			change(&plan)
			estest.For(t, procurement.Decider).Given(open...).When(dzSetTimetable(plan, limits)).ThenError(procurement.ErrInvalidTimetable)
		})
	}
	t.Run("the_bids_may_be_opened_at_the_deadline", func(t *testing.T) {
		plan := tdPlan()
		plan.OpeningAt = plan.TenderDeadline
		estest.For(t, procurement.Decider).Given(open...).When(dzSetTimetable(plan, limits)).ThenState(dzTimetableIs(1, func(testing.TB, []timelimits.Computation) {}))
	})
	t.Run("a_notice_planned_in_the_past_is_refused", func(t *testing.T) {
		c := dzSetTimetable(tdPlan(), limits)
		c.At = tdAt(50, 9).Add(time.Minute)
		estest.For(t, procurement.Decider).Given(open...).When(c).ThenError(procurement.ErrNoticeInPast)
	})
	t.Run("a_notice_planned_for_this_very_minute_is_allowed", func(t *testing.T) {
		c := dzSetTimetable(tdPlan(), limits)
		c.At = tdAt(50, 9).Add(40 * time.Second)
		estest.For(t, procurement.Decider).Given(open...).When(c).ThenState(dzTimetableIs(1, func(testing.TB, []timelimits.Computation) {}))
	})
	t.Run("the_procedure_comes_first", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(tdDesign()...).When(dzSetTimetable(tdPlan(), limits)).ThenError(procurement.ErrProcedureFirst)
	})
	t.Run("without_a_time_limit_table_nothing_can_be_checked", func(t *testing.T) {
		estest.For(t, procurement.Decider).Given(open...).When(dzSetTimetable(tdPlan(), nil)).ThenError(procurement.ErrTimeLimitsUnavailable)
	})

	t.Run("a_period_over_the_spring_dst_change_still_ends_at_local_midnight", func(t *testing.T) {
		// Notice on 2026-03-20 at 10:00 CET; summer time starts on 2026-03-29.
		// The 35th day is 2026-04-24 and ends at midnight CEST, 22:00 UTC.
		notice := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
		plan := procurement.TimetablePlan{NoticeAt: notice, QACutoff: notice.AddDate(0, 0, 5),
			TenderDeadline: time.Date(2026, 4, 24, 22, 0, 0, 0, time.UTC), OpeningAt: time.Date(2026, 4, 25, 7, 0, 0, 0, time.UTC)}
		estest.For(t, procurement.Decider).Given(open35...).When(dzSetTimetable(plan, limits)).
			ThenState(dzTimetableIs(1, func(t testing.TB, m []timelimits.Computation) {
				end := m[0].End.In(dzOslo(t))
				if _, offset := end.Zone(); m[0].EndDate != "2026-04-24" || end.Hour() != 23 || end.Minute() != 59 || offset != 2*3600 {
					t.Fatalf("the period ends %v (%s), want 2026-04-24 23:59:59 CEST", end, m[0].EndDate)
				}
			}))
		plan.TenderDeadline = time.Date(2026, 4, 24, 21, 59, 0, 0, time.UTC)
		dzTooShort(t, open35, dzSetTimetable(plan, limits), openName, "2026-04-25 00:00")
	})
	t.Run("a_period_over_the_autumn_dst_change_still_ends_at_local_midnight", func(t *testing.T) {
		// Notice on 2025-10-10 at 11:00 CEST; winter time starts on 2025-10-26.
		// The 35th day is 2025-11-14 and ends at midnight CET, 23:00 UTC.
		notice := time.Date(2025, 10, 10, 9, 0, 0, 0, time.UTC)
		plan := procurement.TimetablePlan{NoticeAt: notice, QACutoff: notice.AddDate(0, 0, 5),
			TenderDeadline: time.Date(2025, 11, 14, 23, 0, 0, 0, time.UTC), OpeningAt: time.Date(2025, 11, 15, 8, 0, 0, 0, time.UTC)}
		estest.For(t, procurement.Decider).Given(open35...).When(dzSetTimetable(plan, limits)).
			ThenState(dzTimetableIs(1, func(t testing.TB, m []timelimits.Computation) {
				end := m[0].End.In(dzOslo(t))
				if _, offset := end.Zone(); m[0].EndDate != "2025-11-14" || end.Hour() != 23 || offset != 3600 {
					t.Fatalf("the period ends %v (%s), want 2025-11-14 23:59:59 CET", end, m[0].EndDate)
				}
			}))
		plan.TenderDeadline = time.Date(2025, 11, 14, 22, 59, 0, 0, time.UTC)
		dzTooShort(t, open35, dzSetTimetable(plan, limits), openName, "2025-11-15 00:00")
	})

	t.Run("times_given_in_local_time_are_stored_in_utc", func(t *testing.T) {
		oslo, utc := tdPlan(), tdPlan()
		oslo.NoticeAt, oslo.QACutoff = oslo.NoticeAt.In(dzOslo(t)), oslo.QACutoff.In(dzOslo(t))
		oslo.TenderDeadline, oslo.OpeningAt = oslo.TenderDeadline.In(dzOslo(t)), oslo.OpeningAt.In(dzOslo(t))
		estest.For(t, procurement.Decider).Given(open...).When(dzSetTimetable(oslo, limits)).
			Then(procurement.TimetableSet{Version: 1, Timetable: utc, TimeZone: "Europe/Oslo", Minima: []timelimits.Computation{
				dzMinimum(t, limits, tdProcedure(timelimits.Open), timelimits.TenderReceipt, utc.NoticeAt),
				dzMinimum(t, limits, tdProcedure(timelimits.Open), timelimits.AdditionalInfoBeforeDeadline, utc.QACutoff),
			}})
	})
	t.Run("the_same_timetable_again_is_a_no_op", func(t *testing.T) {
		plan := tdPlan()
		plan.TenderDeadline = plan.TenderDeadline.In(dzOslo(t))
		estest.For(t, procurement.Decider).Given(tdThen(open, procurement.TimetableSet{Version: 1, Timetable: tdPlan(), TimeZone: "Europe/Oslo"})...).
			When(dzSetTimetable(plan, limits)).ThenNothing()
	})
	t.Run("a_changed_timetable_is_the_next_version", func(t *testing.T) {
		plan := tdPlan()
		plan.FourEyesOpening = true
		estest.For(t, procurement.Decider).Given(tdThen(open, procurement.TimetableSet{Version: 1, Timetable: tdPlan(), TimeZone: "Europe/Oslo"})...).
			When(dzSetTimetable(plan, limits)).
			Then(procurement.TimetableSet{Version: 2, Timetable: plan, TimeZone: "Europe/Oslo", Minima: []timelimits.Computation{
				dzMinimum(t, limits, tdProcedure(timelimits.Open), timelimits.TenderReceipt, plan.NoticeAt),
				dzMinimum(t, limits, tdProcedure(timelimits.Open), timelimits.AdditionalInfoBeforeDeadline, plan.QACutoff),
			}})
	})
	t.Run("after_a_new_procedure_the_next_timetable_is_version_2", func(t *testing.T) {
		h := tdThen(open, procurement.TimetableSet{Version: 1, Timetable: tdPlan(), TimeZone: "Europe/Oslo"}, tdProcedure(timelimits.Restricted))
		plan := dzRestrictedPlan()
		p := tdProcedure(timelimits.Restricted)
		estest.For(t, procurement.Decider).Given(h...).When(dzSetTimetable(plan, limits)).
			Then(procurement.TimetableSet{Version: 2, Timetable: plan, TimeZone: "Europe/Oslo", Minima: []timelimits.Computation{
				dzMinimum(t, limits, p, timelimits.RequestReceipt, plan.NoticeAt),
				dzMinimum(t, limits, p, timelimits.TendersAfterInvitation, plan.RequestDeadline),
				dzMinimum(t, limits, p, timelimits.AdditionalInfoBeforeDeadline, plan.QACutoff),
			}})
	})
	t.Run("after_a_new_procedure_the_same_plan_is_set_again_as_version_2", func(t *testing.T) {
		h := tdThen(open, procurement.TimetableSet{Version: 1, Timetable: tdPlan(), TimeZone: "Europe/Oslo"},
			tdProcedure(timelimits.Restricted), tdProcedure(timelimits.Open))
		estest.For(t, procurement.Decider).Given(h...).When(dzSetTimetable(tdPlan(), limits)).
			ThenState(dzTimetableIs(2, func(t testing.TB, m []timelimits.Computation) {
				if len(m) != 2 {
					t.Fatalf("minima %+v", m)
				}
			}))
	})
}
