package clock_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/domain/timelimits"
	"github.com/felles/felles/reactors/clock"
)

// Two-stage procedures: the notice opens a round of requests to participate
// (due on day 85), the clock closes it, the lead qualifies acme and invites it;
// the restricted procedure goes straight to tender, a competitive procedure
// with negotiation calls for final tenders. Either opens the tender round
// with its own deadline (day 130, 10:00 UTC), which the clock closes too.

func newTwoStageFixture(t *testing.T, p timelimits.Procedure) *fixture {
	t.Helper()
	f := newFixture(t)
	f.procedure = p
	f.plan = procurement.TimetablePlan{NoticeAt: day(50, 9), QACutoff: day(78, 12), RequestDeadline: day(85, 10),
		TenderDeadline: day(130, 10), OpeningAt: day(130, 11)}
	return f
}

// candidatesQualified closes the requests round by the clock and qualifies
// acme's request.
func (f *fixture) candidatesQualified(t *testing.T, r *clock.Reactor) {
	t.Helper()
	req := procurement.SealedSubmission{BidID: "req-1", Supplier: "acme", Lots: []string{"lot-1"}, ReceivedAt: day(70, 9),
		SHA256: sha("acme's request"), CiphertextRef: "vault/req-1", SizeBytes: 512}
	f.given(t, procurement.RequestToParticipateReceived{SealedSubmission: req})
	f.clock.set(f.plan.RequestDeadline)
	f.tick(t, r)
	got := closes(t, f)
	if len(got) != 1 || got[0].Event.(procurement.TenderingClosed).Round != procurement.RoundRequests {
		t.Fatalf("want the requests round closed at its deadline, got %d closes", len(got))
	}
	f.given(t, procurement.BidsOpened{Round: procurement.RoundRequests, OpenedAt: day(86, 9), OpenedBy: []string{"officer@oslo"},
		Bids: []procurement.OpenedBid{{BidID: "req-1", Supplier: "acme", Lots: []string{"lot-1"}, ReceivedAt: req.ReceivedAt,
			SHA256: req.SHA256, HashVerified: true}}, HashesVerified: true, ProtocolHash: sha("requests protocol")})
	f.clock.set(day(88, 9))
	f.decide(t, procurement.AssessQualification{SubmissionID: "req-1", Qualified: true, By: leadOfficer, At: f.clock.now()})
	f.clock.set(day(90, 9))
	f.decide(t, procurement.InviteCandidates{Invited: []string{"acme"}, Limits: f.cases.TimeLimits(), By: leadOfficer, At: f.clock.now()})
}

// checkTenderRoundClosedAt wants the tender round closed once, at deadline,
// under the close's command ID for that deadline, caused by the event cause.
func checkTenderRoundClosedAt(t *testing.T, f *fixture, r *clock.Reactor, deadline time.Time, cause string) {
	t.Helper()
	f.clock.set(deadline.Add(-time.Second))
	f.tick(t, r)
	if n := len(closes(t, f)); n != 1 {
		t.Fatalf("the tender round closed before its deadline (%d closes)", n)
	}
	f.clock.set(deadline)
	f.tick(t, r)
	f.clock.set(deadline.Add(time.Hour))
	f.tick(t, r)
	got := closes(t, f)
	if len(got) != 2 {
		t.Fatalf("want the tender round closed once at its deadline, got %d closes in all", len(got))
	}
	c := got[1].Event.(procurement.TenderingClosed)
	if c.Round != procurement.RoundTenders || !c.Deadline.Equal(deadline) || !c.ClosedAt.Equal(deadline) {
		t.Fatalf("closed %+v", c)
	}
	md := got[1].Metadata
	if want := "clock/close/" + caseID + "/TENDERS/" + strconv.FormatInt(deadline.Unix(), 10); md.CommandID != want || md.User != app.System.User {
		t.Fatalf("the close was not the platform's command for the deadline: %+v", md)
	}
	if md.CausationID != cause {
		t.Fatalf("the close's cause is %q, want %q", md.CausationID, cause)
	}
	if st := f.state(t); st.Phase != procurement.PhaseReceiptClosed {
		t.Fatalf("the case is in %s", st.Phase)
	}
}

func TestTheRestrictedInvitationsTenderRoundClosesAtItsDeadline(t *testing.T) {
	f := newTwoStageFixture(t, timelimits.Restricted)
	f.clock.set(day(60, 9))
	f.tendering(t)
	r := f.startClock(t, clock.Config{})
	f.candidatesQualified(t, r)
	inv := events[procurement.CandidatesInvited](t, f)
	if len(inv) != 1 || inv[0].Event.(procurement.CandidatesInvited).Next != procurement.PhaseTendering ||
		!inv[0].Event.(procurement.CandidatesInvited).TenderDeadline.Equal(f.plan.TenderDeadline) {
		t.Fatalf("the restricted invitation did not open the tender round: %+v", inv)
	}
	checkTenderRoundClosedAt(t, f, r, f.plan.TenderDeadline, inv[0].ID)
}

// negotiating takes a competitive procedure with negotiation to final
// tenders called on day 135 for day 170 (the legal minimum is 30 days from the
// call), with the published tender deadline (day 130) passing meanwhile.
func negotiating(t *testing.T) (*fixture, *clock.Reactor) {
	t.Helper()
	f := newTwoStageFixture(t, timelimits.CompetitiveNegotiation)
	f.clock.set(day(60, 9))
	f.tendering(t)
	r := f.startClock(t, clock.Config{})
	f.candidatesQualified(t, r)
	if st := f.state(t); st.Phase != procurement.PhaseNegotiation {
		t.Fatalf("the invitation left the case in %s", st.Phase)
	}
	f.clock.set(f.plan.TenderDeadline.Add(time.Hour))
	if sent := f.sending(func() { f.tick(t, r) }); sent != 0 {
		t.Fatalf("the clock sent %d commands during the negotiation", sent)
	}
	f.clock.set(day(135, 9))
	f.decide(t, procurement.CallForFinalTenders{Deadline: finalDeadline, Limits: f.cases.TimeLimits(), By: leadOfficer, At: f.clock.now()})
	return f, r
}

var finalDeadline = day(170, 10)

func TestTheFinalTendersRoundClosesAtTheCalledDeadline(t *testing.T) {
	f, r := negotiating(t)
	checkTenderRoundClosedAt(t, f, r, finalDeadline, events[procurement.FinalTendersCalled](t, f)[0].ID)
}

func TestAnExtensionOfTheFinalTendersRoundMovesTheClose(t *testing.T) {
	f, r := negotiating(t)
	extended := day(177, 10)
	f.clock.set(day(160, 9))
	if _, err := f.cases.AmendTender(ctx, leadOfficer, app.CommandMeta{}, caseID, app.AmendInput{
		Changes: []string{"Sensors must also report snow depth"}, Rationale: "Asked for by both members' road services",
		Material: true, NewDeadline: extended}); err != nil {
		t.Fatal(err)
	}
	ext := events[procurement.TenderDeadlineExtended](t, f)
	if len(ext) != 1 || ext[0].Event.(procurement.TenderDeadlineExtended).Round != procurement.RoundTenders {
		t.Fatalf("the amendment did not extend the final round: %+v", ext)
	}
	f.clock.set(finalDeadline.Add(time.Minute))
	f.tick(t, r)
	if n := len(closes(t, f)); n != 1 {
		t.Fatalf("the final round closed at the deadline it was extended from")
	}
	checkTenderRoundClosedAt(t, f, r, extended, ext[0].ID)
}
