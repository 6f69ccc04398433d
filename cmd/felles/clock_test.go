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
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := start(context.Background(), serveConfig{dataDir: t.TempDir(), addr: "127.0.0.1:0", clockInterval: time.Hour}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.stop()
	const caseID = "0193a5f0-7c1e-7000-8000-00000000c10c"
	stream := procurement.StreamID(caseID)
	history := []procurement.Event{
		procurement.CaseCreated{ID: caseID, Title: "Snow sensors", Jurisdiction: procurement.JurisdictionNO, Hub: "hub"},
		procurement.MunicipalityInvited{Org: "oslo"}, procurement.MunicipalityJoined{Org: "oslo"}, procurement.MunicipalityInvited{Org: "bergen"},
		procurement.MunicipalityJoined{Org: "bergen"},
		procurement.TenderDocumentsSubmitted{Version: 1, DocumentHash: strings.Repeat("ab", 32),
			SubmittedAt: time.Now().Add(-96 * time.Hour)},
		procurement.TenderDocumentsApproved{Org: "oslo", Version: 1},
	}
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
	deadline := time.Now().Add(10 * time.Second)
	for {
		recs, err := srv.sys.store.ReadStream(context.Background(), stream, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if last := recs[len(recs)-1]; last.Type == "ReminderSent" {
			ev, _, err := procurement.Events().Decode(last.Type, last.SchemaVersion, last.Data)
			if r, ok := ev.(procurement.ReminderSent); err != nil || !ok || r.Kind != procurement.ReminderMissingApproval ||
				!slices.Equal(r.Recipients, []string{"bergen"}) || last.Metadata.User != app.System.User {
				t.Fatalf("reminder %+v by %s: %v", ev, last.Metadata.User, err)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no reminder from the workflow clock; the case ends with %s", recs[len(recs)-1].Type)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
