package clock

import (
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/domain/procurement"
)

func TestCommandIDsFitTheDispatcher(t *testing.T) {
	const caseID = "0193a5f0-7c1e-7000-8000-0000000c10c0"
	long := strings.Repeat("q", 64) // the longest question ID the domain accepts
	a := remindCommandID(procurement.ReminderUnansweredQuestion, caseID, long, "2025-05-31")
	b := remindCommandID(procurement.ReminderUnansweredQuestion, caseID, long[:63]+"r", "2025-05-31")
	switch {
	case len(a) > maxCommandID || len(b) > maxCommandID:
		t.Fatalf("too long: %d, %d", len(a), len(b))
	case a == b:
		t.Fatal("two subjects share a command ID")
	case a != remindCommandID(procurement.ReminderUnansweredQuestion, caseID, long, "2025-05-31"):
		t.Fatal("the command ID is not deterministic")
	case !strings.HasSuffix(a, "/2025-05-31"):
		t.Fatalf("the day is lost: %s", a)
	}
	if got := remindCommandID(procurement.ReminderMissingApproval, caseID, procurement.DocsSubject(2), "2025-04-19"); got !=
		"clock/remind/MISSING_APPROVAL/"+caseID+"/documents-v2/2025-04-19" {
		t.Fatalf("a short subject is not kept readable: %s", got)
	}
	deadline := time.Date(2025, 5, 31, 10, 0, 0, 0, time.UTC)
	if got := closeCommandID(caseID, procurement.RoundTenders, deadline); got != "clock/close/"+caseID+"/TENDERS/1748685600" {
		t.Fatalf("close command ID %s", got)
	}
	end := time.Date(2025, 6, 20, 21, 59, 59, 999_999_999, time.UTC) // the last instant of 20 June in Oslo
	if got := standstillCommandID(caseID, end); got != "clock/standstill/"+caseID+"/1750456799" || len(got) > maxCommandID {
		t.Fatalf("standstill command ID %s", got)
	}
}
