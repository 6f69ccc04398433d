package graphql

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

const aoFields = `revision phase members { organisation { id } status } costShares { keyVersion shares { organisation { id } percent } }
	agreement { version } tasks { kind } timeline { revision type } award { decisions { lot } }`

func aoAsk(t *testing.T, x *awardSystem, r reader, args string) gqlAnswer {
	t.Helper()
	return lhAsk(t, x, r, `query($id: ID!) { procurement(id: $id`+args+`) { `+aoFields+` } }`, map[string]any{"id": x.caseID})
}

func TestACaseAtARevisionShowsItsMembersAndSharesAsTheyWere(t *testing.T) {
	x := newAwardSystem(t)
	// revision 4: oslo has joined, bergen is still invited, no cost shares yet
	ans := aoAsk(t, x, hubReader, ", atRevision: 4")
	if len(ans.Errors) > 0 {
		t.Fatal(ans.Errors)
	}
	members := fmt.Sprint(ans.get("procurement.members"))
	if members != "[map[organisation:map[id:bergen] status:INVITED] map[organisation:map[id:oslo] status:JOINED]]" {
		t.Errorf("members at revision 4: %s", members)
	}
	if ans.get("procurement.costShares") != nil || ans.get("procurement.revision") != 4.0 || len(ans.list("procurement.timeline")) > 5 {
		t.Errorf("at revision 4: %v", ans.Data)
	}
	// revision 16: the shares are calculated, 50/50
	ans = aoAsk(t, x, hubReader, ", atRevision: 16")
	if got := fmt.Sprint(ans.get("procurement.costShares.shares")); got != "[map[organisation:map[id:bergen] percent:50.00 %] map[organisation:map[id:oslo] percent:50.00 %]]" {
		t.Errorf("shares at revision 16: %s (%v)", got, ans.Errors)
	}
}

func TestACaseAtItsLastRevisionIsTheLiveCase(t *testing.T) {
	x := newAwardSystem(t)
	x.at(awardDay(42, 9)) // the server's clock at the last event (the fixture's history ends on day 42)
	for _, r := range []reader{hubReader, leadReader, bergenAdmin, auditorReader} {
		live := aoAsk(t, x, r, "")
		rev := int(live.get("procurement.revision").(float64))
		then := aoAsk(t, x, r, fmt.Sprintf(", atRevision: %d", rev))
		a, _ := json.Marshal(live.Data)
		b, _ := json.Marshal(then.Data)
		if string(a) != string(b) || len(then.Errors) > 0 {
			t.Errorf("%s: live %s\nat its last revision %s %v", r, a, b, then.Errors)
		}
	}
}

func TestTimeTravelRefusesWhatItCannotAnswer(t *testing.T) {
	x := newAwardSystem(t)
	if ans := aoAsk(t, x, hubReader, `, asOf: "2001-01-01T00:00:00Z"`); len(ans.Errors) > 0 || ans.get("procurement") != nil {
		t.Errorf("before the case existed: %v %v", ans.Data, ans.Errors)
	}
	if ans := aoAsk(t, x, hubReader, `, asOf: "`+time.Now().Add(time.Hour).UTC().Format(time.RFC3339)+`"`); ans.get("procurement.revision") == nil {
		t.Errorf("asOf after the last event: %v %v", ans.Data, ans.Errors)
	}
	for args, reason := range map[string]string{
		`, asOf: "2026-03-05T00:00:00Z", atRevision: 3`: "as_of.both",
		`, atRevision: -1`:     "at_revision.out_of_range",
		`, atRevision: 100000`: "at_revision.out_of_range",
	} {
		ans := aoAsk(t, x, hubReader, args)
		if len(ans.Errors) == 0 || ans.Errors[0].Extensions["reason"] != reason {
			t.Errorf("%s: %v", args, ans.Errors)
		}
	}
	// a case an organisation does not see today is not seen in the past either
	if ans := aoAsk(t, x, reader{"trondheim-admin", "trondheim"}, ", atRevision: 3"); ans.get("procurement") != nil {
		t.Errorf("an outsider sees the case as it was: %v", ans.Data)
	}
}
