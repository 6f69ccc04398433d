package graphql

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/messaging"
)

// Subscriptions over a real WebSocket (issue 9, part 3): the award system
// (award_fixture_test.go) served by httptest on a loopback port, its views
// kept up to date by a live consumer of the log as `felles serve` does, and a
// gorilla client speaking graphql-transport-ws by hand.

const subQuery = `subscription($id: ID!) { procurementEvents(id: $id) {
	eventId stream type schemaVersion revision position recordedAt prevHash hash visibility withheld data
	user organisation commandId commandHash correlationId causationId occurredAt } }`

// subSystem is the award system behind a loopback server.
type subSystem struct {
	*awardSystem
	srv        *httptest.Server
	subscribed chan string // case IDs, each time a subscription listens to the log
	n          int         // commands run by the tests, for command IDs
}

func newSubSystem(t *testing.T) *subSystem {
	t.Helper()
	x := &subSystem{awardSystem: newAwardSystem(t), subscribed: make(chan string, 64)}
	x.views() // the views up to the prepared case; from here on the live consumer keeps them
	ctx, cancel := context.WithCancel(context.Background())
	head, err := x.store.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	feed, err := x.store.Subscribe(ctx, head)
	if err != nil {
		t.Fatal(err)
	}
	consumed := make(chan struct{})
	go func() {
		defer close(consumed)
		for {
			rec, err := feed.Next(ctx)
			if err != nil {
				return
			}
			if err := x.runner.Handle(messaging.ToMessage(rec)); err != nil {
				t.Errorf("views at %s: %v", rec.Position, err)
				return
			}
		}
	}()
	hook := func(caseID string) { x.subscribed <- caseID }
	subscribedHook.Store(&hook)
	mux := http.NewServeMux()
	x.api.Routes(mux)
	x.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		x.srv.Close()
		subscribedHook.Store(nil)
		cancel()
		<-consumed
	})
	return x
}

// settle waits until the views include everything in the log.
func (x *subSystem) settle() {
	x.t.Helper()
	head, err := x.store.Head(context.Background())
	if err != nil {
		x.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := x.runner.WaitFor(ctx, head); err != nil {
		x.t.Fatal(err)
	}
}

func (x *subSystem) meta() app.CommandMeta {
	x.n++
	return app.CommandMeta{CommandID: "sub-" + strconv.Itoa(x.n)}
}

func (x *subSystem) must(what string, _ app.Result, err error) {
	x.t.Helper()
	if err != nil {
		x.t.Fatalf("%s: %v", what, err)
	}
}

// youngCase creates a case of the hub and invites members; with two or more
// they join and recruitment closes, so the case is in AGREEMENT, where
// members save needs drafts.
func (x *subSystem) youngCase(members ...string) string {
	x.t.Helper()
	ctx, hub := context.Background(), hubReader.principal()
	id, _, err := x.cases.Create(ctx, hub, x.meta(), app.CreateInput{Title: "Shared meal delivery", Jurisdiction: procurement.JurisdictionNO})
	if err != nil {
		x.t.Fatal(err)
	}
	for _, m := range members {
		res, err := x.cases.Invite(ctx, hub, x.meta(), id, m)
		x.must("invite "+m, res, err)
	}
	if len(members) >= 2 {
		res, err := x.cases.OpenRecruitment(ctx, hub, x.meta(), id)
		x.must("open recruitment", res, err)
		for _, m := range members {
			res, err := x.cases.Accept(ctx, app.Principal{User: m + "-admin", Org: m}, x.meta(), id)
			x.must(m+" joins", res, err)
		}
		res, err = x.cases.CloseRecruitment(ctx, hub, x.meta(), id)
		x.must("close recruitment", res, err)
	}
	x.settle()
	return id
}

// anchor records r's organisation's anchoring decision in the case.
func (x *subSystem) anchor(r reader, caseID, ref string) {
	x.t.Helper()
	res, err := x.cases.RecordAnchoring(context.Background(), r.principal(), x.meta(), caseID,
		app.AnchoringInput{DecidingBody: "kommunestyret", DecisionDate: "2026-03-01", CaseRef: ref})
	x.must(r.String()+" records its anchoring", res, err)
}

// streamAfter is the case's stream from revision from on, as stored.
func (x *subSystem) streamAfter(caseID string, from uint64) []eventstore.Record {
	x.t.Helper()
	recs, err := x.store.ReadStream(context.Background(), procurement.StreamID(caseID), from, 0)
	if err != nil {
		x.t.Fatal(err)
	}
	return recs
}

func (x *subSystem) token(r reader) string {
	x.t.Helper()
	token, err := x.tokens.Mint(r.user, r.org, time.Hour, time.Now())
	if err != nil {
		x.t.Fatal(err)
	}
	return token
}

func (x *subSystem) wsURL(query string) string {
	return "ws" + strings.TrimPrefix(x.srv.URL, "http") + "/graphql" + query
}

// dial opens a graphql-transport-ws socket with the header and query given.
func (x *subSystem) dial(query string, header http.Header) (*wsClient, *http.Response, error) {
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
	c, resp, err := d.Dial(x.wsURL(query), header)
	if err != nil {
		return nil, resp, err
	}
	x.t.Cleanup(func() { c.Close() })
	return &wsClient{t: x.t, c: c, x: x}, resp, nil
}

// connect is a socket of r after connection_init and connection_ack.
func (x *subSystem) connect(r reader) *wsClient {
	x.t.Helper()
	c, resp, err := x.dial("", http.Header{"Authorization": {"Bearer " + x.token(r)}})
	if err != nil {
		x.t.Fatalf("%s: upgrade: %v (%v)", r, err, status(resp))
	}
	c.init()
	return c
}

func status(resp *http.Response) any {
	if resp == nil {
		return "no response"
	}
	return resp.StatusCode
}

type wsClient struct {
	t *testing.T
	c *websocket.Conn
	x *subSystem
}

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

func (c *wsClient) send(m any) {
	c.t.Helper()
	if err := c.c.WriteJSON(m); err != nil {
		c.t.Fatalf("write %v: %v", m, err)
	}
}

func (c *wsClient) read() wsMessage {
	c.t.Helper()
	c.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var m wsMessage
	if err := c.c.ReadJSON(&m); err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return m
}

func (c *wsClient) init() {
	c.t.Helper()
	c.send(map[string]any{"type": "connection_init"})
	if m := c.read(); m.Type != "connection_ack" {
		c.t.Fatalf("connection_init answered %+v", m)
	}
}

// subscribe starts procurementEvents(caseID) as operation op and waits until
// it listens to the log.
func (c *wsClient) subscribe(op, caseID string) {
	c.t.Helper()
	c.send(map[string]any{"id": op, "type": "subscribe", "payload": map[string]any{"query": subQuery, "variables": map[string]any{"id": caseID}}})
	select {
	case got := <-c.x.subscribed:
		if got != caseID {
			c.t.Fatalf("subscribed to %s, expected %s", got, caseID)
		}
	case <-time.After(10 * time.Second):
		c.t.Fatalf("the subscription to %s did not start", caseID)
	}
}

// subPayload is what a `next` carries.
type subPayload struct {
	Data struct {
		ProcurementEvents map[string]any `json:"procurementEvents"`
	} `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// next reads the next message, which must be a `next` of op, and returns its
// entry and the raw payload.
func (c *wsClient) next(op string) (map[string]any, string) {
	c.t.Helper()
	m := c.read()
	if m.Type != "next" || m.ID != op {
		c.t.Fatalf("expected next of %s, got %s %s %s", op, m.Type, m.ID, m.Payload)
	}
	var p subPayload
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		c.t.Fatal(err)
	}
	if len(p.Errors) > 0 {
		c.t.Fatalf("next of %s has errors: %s", op, m.Payload)
	}
	return p.Data.ProcurementEvents, string(m.Payload)
}

// nothingPending checks with a ping that no message is waiting before the pong.
func (c *wsClient) nothingPending() {
	c.t.Helper()
	c.send(map[string]any{"type": "ping"})
	if m := c.read(); m.Type != "pong" {
		c.t.Fatalf("expected nothing before the pong, got %s %s %s", m.Type, m.ID, m.Payload)
	}
}

// historyOf is the case's history as r asks it with POST, by revision.
func (x *subSystem) historyOf(r reader, caseID string) map[int]map[string]any {
	x.t.Helper()
	out := map[int]map[string]any{}
	var after any
	for page := 0; page < 100; page++ {
		body, _ := json.Marshal(map[string]any{"query": lhQuery, "variables": map[string]any{"id": caseID, "after": after}})
		req, _ := http.NewRequest(http.MethodPost, x.srv.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+x.token(r))
		resp, err := x.srv.Client().Do(req)
		if err != nil {
			x.t.Fatal(err)
		}
		var ans gqlAnswer
		err = json.NewDecoder(resp.Body).Decode(&ans)
		resp.Body.Close()
		if err != nil || len(ans.Errors) > 0 {
			x.t.Fatalf("history as %s: %v %v", r, err, ans.Errors)
		}
		for _, e := range ans.list("procurement.history.entries") {
			e := e.(map[string]any)
			out[int(e["revision"].(float64))] = e
		}
		if ans.get("procurement.history.hasNextPage") != true {
			return out
		}
		after = ans.get("procurement.history.endCursor")
	}
	x.t.Fatal("history does not end")
	return nil
}

// subscriptionGoroutines are the goroutines of subscriptions still running.
func subscriptionGoroutines() []string {
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	var left []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "graphql.(*resolver).deliverCase") || strings.Contains(g, "graphql.wsSubscriber.Subscribe") ||
			strings.Contains(g, "graphql-transport-ws.(*connection).runSubscription") || strings.Contains(g, "internal/exec.(*Request).Subscribe") {
			left = append(left, g)
		}
	}
	return left
}

// goroutinesSettle waits until runtime.NumGoroutine is back at most at
// baseline and no subscription goroutine is left.
func goroutinesSettle(t *testing.T, baseline int, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, left := runtime.NumGoroutine(), subscriptionGoroutines()
		if n <= baseline && len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d goroutines, %d before; subscription goroutines left:\n%s", what, n, baseline, strings.Join(left, "\n\n"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stableGoroutines is runtime.NumGoroutine once it stops changing.
func stableGoroutines() int {
	n := runtime.NumGoroutine()
	for range 50 {
		time.Sleep(20 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			return n
		}
		n = m
	}
	return n
}

func TestSubscription_given_a_member_subscribed_to_its_case_when_events_are_appended_then_it_receives_each_once_in_order_as_history_shows_it(t *testing.T) {
	x := newSubSystem(t)
	id := x.youngCase("oslo", "bergen")
	x.anchor(osloAdmin, id, "before-subscribing") // before the subscription: not delivered
	head := x.streamAfter(id, 0)
	c := x.connect(osloAdmin)
	c.subscribe("1", id)

	x.anchor(osloAdmin, id, "one")
	x.anchor(bergenAdmin, id, "two")
	x.anchor(osloAdmin, id, "three")

	want := x.streamAfter(id, uint64(len(head)))
	if len(want) != 3 {
		t.Fatalf("the log has %d new events of the case, expected 3", len(want))
	}
	var got []map[string]any
	for i := range want {
		e, _ := c.next("1")
		if e["eventId"] != want[i].ID || int(e["revision"].(float64)) != int(want[i].Revision) || e["type"] != want[i].Type {
			t.Fatalf("event %d: got %v %v %v, expected %s at revision %d (%s)", i, e["eventId"], e["revision"], e["type"], want[i].ID, want[i].Revision, want[i].Type)
		}
		if e["withheld"] != nil || !strings.Contains(e["data"].(string), []string{"one", "two", "three"}[i]) {
			t.Errorf("event %d comes withheld or without its data: %v", i, e)
		}
		got = append(got, e)
	}
	// exactly once: the next message is the next event, no repeat before it
	x.anchor(bergenAdmin, id, "four")
	if e, _ := c.next("1"); int(e["revision"].(float64)) != int(want[2].Revision)+1 {
		t.Fatalf("after revision %d came %v", want[2].Revision, e["revision"])
	}
	c.nothingPending()
	// one shape: each entry is the case's history entry, field for field
	history := x.historyOf(osloAdmin, id)
	for _, e := range got {
		h := history[int(e["revision"].(float64))]
		for k, v := range h {
			if e[k] != v {
				t.Errorf("revision %v, %s: the subscription gave %v, history %v", e["revision"], k, e[k], v)
			}
		}
	}
}

func TestSubscription_given_two_municipalities_and_the_hub_subscribed_when_one_saves_its_private_needs_draft_then_only_the_owner_receives_its_content(t *testing.T) {
	x := newSubSystem(t)
	id := x.youngCase("oslo", "bergen")
	owner, other, hub := x.connect(osloAdmin), x.connect(bergenAdmin), x.connect(hubReader)
	owner.subscribe("mine", id)
	other.subscribe("theirs", id)
	hub.subscribe("hub", id)

	need := procurement.Need{ID: "n1", Statement: "hot meals at home", UserGroup: "home care users", SuccessCriteria: "no missed meals"}
	res, err := x.cases.SaveNeedsDraft(context.Background(), osloAdmin.principal(), x.meta(), id, []procurement.Need{need}, "oslo-private-draft-note")
	x.must("oslo saves its draft", res, err)

	if e, _ := owner.next("mine"); e["type"] != "NeedsDraftSaved" || e["withheld"] != nil || !strings.Contains(e["data"].(string), "oslo-private-draft-note") {
		t.Errorf("oslo does not receive its own draft: %v", e)
	}
	for _, s := range []struct {
		c  *wsClient
		op string
	}{{other, "theirs"}, {hub, "hub"}} {
		e, raw := s.c.next(s.op)
		if e["type"] != "NeedsDraftSaved" || e["withheld"] != "ORG_PRIVATE" || e["data"] != nil || e["organisation"] != nil || e["user"] != nil {
			t.Errorf("%s: oslo's draft is not withheld: %v", s.op, e)
		}
		if strings.Contains(raw, "oslo-private-draft-note") || strings.Contains(raw, "hot meals") {
			t.Errorf("%s: the draft's content reached another organisation: %s", s.op, raw)
		}
	}
}

func TestSubscription_given_no_token_or_a_bad_token_when_upgrading_then_the_upgrade_is_refused_with_401(t *testing.T) {
	x := newSubSystem(t)
	foreign, err := LoadTokens(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	forged, _ := foreign.Mint("oslo-admin", "oslo", time.Hour, time.Now())
	expired, _ := x.tokens.Mint("oslo-admin", "oslo", time.Hour, time.Now().Add(-2*time.Hour))
	good := x.token(osloAdmin)
	for _, tc := range []struct {
		name   string
		query  string
		header http.Header
	}{
		{"no token", "", nil},
		{"GraphiQL's placeholder", "", http.Header{"Authorization": {"Bearer <paste a token>"}}},
		{"not a bearer header", "", http.Header{"Authorization": {"Basic b3Nsbzpvc2xv"}}},
		{"malformed token", "", http.Header{"Authorization": {"Bearer not-a-jwt"}}},
		{"token of another server", "", http.Header{"Authorization": {"Bearer " + forged}}},
		{"expired token", "", http.Header{"Authorization": {"Bearer " + expired}}},
		{"bad token in the query", "?token=not-a-jwt", nil},
		{"token in the header and the query", "?token=" + good, http.Header{"Authorization": {"Bearer " + good}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, resp, err := x.dial(tc.query, tc.header)
			if err == nil {
				c.c.Close()
				t.Fatal("the upgrade was accepted")
			}
			if !errors.Is(err, websocket.ErrBadHandshake) || resp == nil || resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("expected 401 before the upgrade, got %v (%v)", status(resp), err)
			}
			if resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("no WWW-Authenticate header")
			}
		})
	}
	t.Run("a good token in the query, as browsers send it", func(t *testing.T) {
		c, resp, err := x.dial("?token="+good, nil)
		if err != nil {
			t.Fatalf("refused: %v (%v)", err, status(resp))
		}
		c.init()
	})
}

func TestSubscription_given_a_foreign_origin_when_upgrading_then_it_is_refused_with_403_unless_allowed(t *testing.T) {
	x := newSubSystem(t)
	auth := func(origin string) http.Header {
		return http.Header{"Authorization": {"Bearer " + x.token(osloAdmin)}, "Origin": {origin}}
	}
	for _, origin := range []string{"http://evil.example", "null", "http://" + strings.TrimPrefix(x.srv.URL, "http://") + ".evil.example"} {
		c, resp, err := x.dial("", auth(origin))
		if err == nil {
			c.c.Close()
			t.Fatalf("origin %s: the upgrade was accepted", origin)
		}
		if resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("origin %s: expected 403, got %v (%v)", origin, status(resp), err)
		}
	}
	// the server's own origin passes
	c, resp, err := x.dial("", auth(x.srv.URL))
	if err != nil {
		t.Fatalf("same origin refused: %v (%v)", err, status(resp))
	}
	c.init()

	// an allow-list admits its origins and still no other
	d := x.api.deps
	d.Origins = []string{"https://App.example/"}
	allowing, err := NewServer(d)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	allowing.Routes(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	dial := func(origin string) (*http.Response, error) {
		d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}, HandshakeTimeout: 5 * time.Second}
		c, resp, err := d.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql", auth(origin))
		if err == nil {
			c.Close()
		}
		return resp, err
	}
	if resp, err := dial("https://app.example"); err != nil {
		t.Fatalf("allowed origin refused: %v (%v)", err, status(resp))
	}
	if resp, err := dial("http://evil.example"); err == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign origin with an allow-list: %v (%v)", status(resp), err)
	}
}

func TestSubscription_given_a_principal_who_may_not_read_the_case_when_subscribing_then_it_gets_an_error(t *testing.T) {
	x := newSubSystem(t)
	id := x.youngCase("oslo") // bergen is not invited
	for _, tc := range []struct {
		r      reader
		caseID string
		code   string
	}{
		{bergenAdmin, id, CodeNotFound},
		{bergenAdmin, "6f1c2d3e-4f50-4617-8829-3a4b5c6d7e8f", CodeNotFound}, // no such case: the same answer
		{bergenAdmin, "not-a-case", CodeNotFound},
		{reader{"acme-sales", "acme"}, id, CodeNotFound}, // a supplier finds cases through publicTender
		{reader{"nobody", "oslo"}, id, CodeForbidden},    // no role at all, even in a member organisation
	} {
		c := x.connect(tc.r)
		c.send(map[string]any{"id": "s", "type": "subscribe", "payload": map[string]any{"query": subQuery, "variables": map[string]any{"id": tc.caseID}}})
		m := c.read()
		var p subPayload
		json.Unmarshal(m.Payload, &p)
		if m.Type != "next" || len(p.Errors) == 0 || p.Data.ProcurementEvents != nil {
			t.Fatalf("%s subscribing to %s: expected an error, got %s %s", tc.r, tc.caseID, m.Type, m.Payload)
		}
		if code := p.Errors[0].Extensions["code"]; (tc.code != "" && code != tc.code) || code == nil || code == CodeInternal {
			t.Errorf("%s subscribing to %s: code %v, expected %s", tc.r, tc.caseID, code, tc.code)
		}
		if m := c.read(); m.Type != "complete" || m.ID != "s" {
			t.Errorf("%s: after the error came %s %s", tc.r, m.Type, m.Payload)
		}
	}
	// the one who may read it subscribes
	c := x.connect(osloAdmin)
	c.subscribe("ok", id)
	res, err := x.cases.Invite(context.Background(), hubReader.principal(), x.meta(), id, "bergen")
	x.must("invite bergen", res, err)
	if e, _ := c.next("ok"); e["type"] != "MunicipalityInvited" {
		t.Fatalf("oslo receives %v", e)
	}
}

func TestSubscription_given_a_query_or_a_mutation_over_the_socket_then_it_runs_without_a_principal_and_changes_nothing(t *testing.T) {
	x := newSubSystem(t)
	c := x.connect(hubReader)
	before := x.streamAfter(x.caseID, 0)
	for op, q := range map[string]string{
		"query":    `{ viewer { user } }`,
		"mutation": `mutation { inviteMunicipality(input: {procurementId: "` + x.caseID + `", organisationId: "oslo"}) { revision } }`,
	} {
		c.send(map[string]any{"id": op, "type": "subscribe", "payload": map[string]any{"query": q}})
		m := c.read()
		var p subPayload
		json.Unmarshal(m.Payload, &p)
		if m.Type != "next" || m.ID != op || len(p.Errors) == 0 || p.Errors[0].Extensions["code"] != CodeUnauthenticated {
			t.Fatalf("a %s over the socket answered %s %s", op, m.Type, m.Payload)
		}
		if m := c.read(); m.Type != "complete" || m.ID != op {
			t.Fatalf("after the %s came %s %s", op, m.Type, m.Payload)
		}
	}
	if after := x.streamAfter(x.caseID, 0); len(after) != len(before) {
		t.Fatalf("the mutation over the socket appended %d events", len(after)-len(before))
	}
}

func TestSubscription_given_a_completed_subscription_when_events_follow_then_none_is_delivered_and_no_goroutine_is_left(t *testing.T) {
	x := newSubSystem(t)
	id := x.youngCase("oslo", "bergen")
	before := stableGoroutines()
	c := x.connect(osloAdmin)
	connected := stableGoroutines()
	c.subscribe("1", id)
	x.anchor(osloAdmin, id, "delivered")
	if e, _ := c.next("1"); !strings.Contains(e["data"].(string), "delivered") {
		t.Fatalf("first event: %v", e)
	}

	c.send(map[string]any{"id": "1", "type": "complete"})
	goroutinesSettle(t, connected, "after complete")
	x.anchor(osloAdmin, id, "after-complete")
	x.settle()
	c.nothingPending() // the connection lives on, the subscription does not

	c.c.Close()
	goroutinesSettle(t, before, "after closing the connection")
}

func TestSubscription_given_a_client_that_goes_away_when_subscribed_then_no_goroutine_is_left(t *testing.T) {
	x := newSubSystem(t)
	id := x.youngCase("oslo", "bergen")
	before := stableGoroutines()
	c := x.connect(osloAdmin)
	c.subscribe("1", id)
	c.subscribe("2", id)
	x.anchor(bergenAdmin, id, "seen")
	seen := map[string]bool{}
	for range 2 {
		m := c.read()
		seen[m.Type+" "+m.ID] = true
	}
	if !seen["next 1"] || !seen["next 2"] {
		t.Fatalf("both subscriptions should get the event: %v", seen)
	}

	c.c.Close() // no complete, no close frame: the TCP connection ends
	goroutinesSettle(t, before, "after the client went away")
	x.anchor(bergenAdmin, id, "nobody listens")
	x.settle()
	goroutinesSettle(t, before, "after an event nobody listens to")
}

func TestSubscription_given_the_lead_and_the_hub_subscribed_when_a_sealed_tender_arrives_then_the_lead_receives_it_recorded_and_the_hub_withheld(t *testing.T) {
	x := newSubSystem(t)
	lead, hub := x.connect(leadReader), x.connect(hubReader)
	lead.subscribe("lead", x.caseID)
	hub.subscribe("hub", x.caseID)
	records := len(lhAccessRecords(t, x.awardSystem))

	x.at(awardDay(60, 9)).submit("acme") // receipt is open: its metadata is the lead's until it closes

	e, _ := lead.next("lead")
	if e["type"] != "BidSubmitted" || e["visibility"] != "SEALED" || e["withheld"] != nil || e["data"] == nil {
		t.Errorf("the lead does not receive the submission's metadata: %v", e)
	}
	if e, raw := hub.next("hub"); e["type"] != "BidSubmitted" || e["withheld"] != "SEALED" || e["data"] != nil || strings.Contains(raw, "acme") {
		t.Errorf("the hub receives sealed metadata before receipt closed: %s", raw)
	}
	// the lead's reading is in the case's access log, as a history page's is
	recs := lhAccessRecords(t, x.awardSystem)
	if len(recs) != records+1 || !strings.Contains(string(recs[len(recs)-1].Data), subscriptionPurpose) ||
		!strings.Contains(string(recs[len(recs)-1].Data), e["eventId"].(string)) {
		t.Fatalf("the delivery of sealed metadata is not recorded: %d records before, now %v", records, recs)
	}
}
