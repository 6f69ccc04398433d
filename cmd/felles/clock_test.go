package main

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/actor"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

func TestServeParsesTheClockInterval(t *testing.T) {
	if cfg, err := parseServeFlags(nil); err != nil || cfg.clockInterval != 30*time.Second {
		t.Fatalf("default: %v %v", cfg.clockInterval, err)
	}
	if cfg, err := parseServeFlags([]string{"--clock-interval", "5s"}); err != nil || cfg.clockInterval != 5*time.Second {
		t.Fatalf("5s: %v %v", cfg.clockInterval, err)
	}
	for _, bad := range []string{"0s", "-1m", "soon"} {
		if _, err := parseServeFlags([]string{"--clock-interval", bad}); err == nil {
			t.Errorf("--clock-interval %s accepted", bad)
		}
	}
}

// The clock runs inside serve on the wall clock: a documents vote that has
// waited four days gets its reminder right after the event arrives (the
// interval is an hour, so only the tick after the message can send it).
func TestServeRunsTheWorkflowClock(t *testing.T) {
	srv := startServeWithClock(t)
	history := []procurement.Event{
		procurement.CaseCreated{ID: clockCaseID, Title: "Snow sensors", Jurisdiction: procurement.JurisdictionNO, Hub: "hub"},
		procurement.MunicipalityInvited{Org: "oslo"}, procurement.MunicipalityJoined{Org: "oslo"}, procurement.MunicipalityInvited{Org: "bergen"},
		procurement.MunicipalityJoined{Org: "bergen"},
		procurement.TenderDocumentsSubmitted{Version: 1, DocumentHash: strings.Repeat("ab", 32),
			SubmittedAt: time.Now().Add(-96 * time.Hour)},
		procurement.TenderDocumentsApproved{Org: "oslo", Version: 1},
	}
	appendHistory(t, srv, history)
	last := waitForClock(t, srv, "ReminderSent")
	ev, _, err := procurement.Events().Decode(last.Type, last.SchemaVersion, last.Data)
	if r, ok := ev.(procurement.ReminderSent); err != nil || !ok || r.Kind != procurement.ReminderMissingApproval ||
		!slices.Equal(r.Recipients, []string{"bergen"}) || last.Metadata.User != app.System.User {
		t.Fatalf("reminder %+v by %s: %v", ev, last.Metadata.User, err)
	}
}

// The clock inside serve ends a standstill that is over, as the platform: the
// wiring gives it EndStandstill and the system principal may send it.
func TestServeRunsTheWorkflowClockToTheStandstillsEnd(t *testing.T) {
	srv := startServeWithClock(t)
	endsAt := time.Now().Add(-time.Minute)
	appendHistory(t, srv, []procurement.Event{
		procurement.CaseCreated{ID: clockCaseID, Title: "Snow sensors", Jurisdiction: procurement.JurisdictionNO, Hub: "hub"},
		procurement.StandstillStarted{EndsAt: endsAt},
	})
	last := waitForClock(t, srv, "StandstillEnded")
	ev, _, err := procurement.Events().Decode(last.Type, last.SchemaVersion, last.Data)
	if e, ok := ev.(procurement.StandstillEnded); err != nil || !ok || !e.EndedAt.After(endsAt) || last.Metadata.User != app.System.User ||
		!strings.HasPrefix(last.Metadata.CommandID, "clock/standstill/"+clockCaseID+"/") {
		t.Fatalf("end %+v by %s under %q: %v", ev, last.Metadata.User, last.Metadata.CommandID, err)
	}
}

const clockCaseID = "0193a5f0-7c1e-7000-8000-00000000c10c"

// startServeWithClock starts serve with a clock whose interval is an hour, so
// only the tick after a message can act within a test.
func startServeWithClock(t *testing.T) *server {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := start(context.Background(), serveConfig{dataDir: t.TempDir(), addr: "127.0.0.1:0", clockInterval: time.Hour}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.stop() })
	return srv
}

// appendHistory appends a case's events as the platform.
func appendHistory(t *testing.T, srv *server, history []procurement.Event) {
	t.Helper()
	stream := procurement.StreamID(clockCaseID)
	data := make([]eventstore.EventData, len(history))
	for i, ev := range history {
		name, version, body, err := procurement.Events().Encode(ev)
		if err != nil {
			t.Fatal(err)
		}
		data[i] = eventstore.EventData{ID: app.EventID("given", stream, i), Type: name, SchemaVersion: version, Data: body,
			Metadata: eventstore.Metadata{User: "system", Org: actor.Platform, CommandID: "given-" + strconv.Itoa(i), OccurredAt: time.Now()}}
	}
	if _, err := srv.sys.store.Append(context.Background(), stream, eventstore.NoStream, data); err != nil {
		t.Fatal(err)
	}
}

// waitForClock waits until the case's last event is of type typ.
func waitForClock(t *testing.T, srv *server, typ string) eventstore.Record {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		recs, err := srv.sys.store.ReadStream(context.Background(), procurement.StreamID(clockCaseID), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if last := recs[len(recs)-1]; last.Type == typ {
			return last
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s from the workflow clock; the case ends with %s", typ, recs[len(recs)-1].Type)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
