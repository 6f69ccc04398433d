package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/graphql"
)

// felles is a real server on a loopback port over a temporary data folder.
type felles struct {
	t      *testing.T
	srv    *server
	tokens *graphql.Tokens
}

func startFelles(t *testing.T) *felles {
	t.Helper()
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := start(context.Background(), serveConfig{dataDir: dir, addr: "127.0.0.1:0", demo: true, introspection: true}, log)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { srv.stop() })
	tokens, err := graphql.LoadTokens(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &felles{t: t, srv: srv, tokens: tokens}
}

// with is f reporting to t (a subtest).
func (f *felles) with(t *testing.T) *felles {
	c := *f
	c.t = t
	return &c
}

func (f *felles) token(user, org string) string {
	tok, err := f.tokens.Mint(user, org, time.Hour, time.Now())
	if err != nil {
		f.t.Fatal(err)
	}
	return tok
}

func (f *felles) head() string {
	h, err := f.srv.sys.store.Head(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return h.String()
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

type gqlResult struct {
	status int
	Data   map[string]any `json:"data"`
	Errors []gqlError     `json:"errors"`
}

func (r gqlResult) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func (r gqlResult) reason() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["reason"].(string)
	return c
}

// get walks data by a dotted path.
func (r gqlResult) get(path string) any {
	var cur any = r.Data
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}

func (f *felles) post(token string, body []byte) gqlResult {
	f.t.Helper()
	_, res := f.send(token, body)
	return res
}

// send posts a GraphQL request and answers with the raw body and its decoded form.
func (f *felles) send(token string, body []byte) ([]byte, gqlResult) {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+f.srv.addr+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	res := gqlResult{status: resp.StatusCode}
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		f.t.Fatalf("response is not JSON (%d): %s", resp.StatusCode, raw)
	}
	return raw, res
}

func (f *felles) gql(token, query string, vars map[string]any) gqlResult {
	f.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return f.post(token, body)
}

func (f *felles) ok(token, query string, vars map[string]any) gqlResult {
	f.t.Helper()
	r := f.gql(token, query, vars)
	if len(r.Errors) > 0 || r.status != http.StatusOK {
		f.t.Fatalf("want success, got %d %+v", r.status, r.Errors)
	}
	return r
}

// rejected asserts the request fails with code (and reason, when given) and
// appends nothing to the log.
func (f *felles) rejected(code, reason, token, query string, vars map[string]any) gqlResult {
	f.t.Helper()
	before := f.head()
	r := f.gql(token, query, vars)
	if r.code() != code || (reason != "" && r.reason() != reason) {
		f.t.Fatalf("want %s/%s, got %d %+v", code, reason, r.status, r.Errors)
	}
	if r.Errors[0].Message == "" {
		f.t.Fatal("an error must say what was wrong")
	}
	if after := f.head(); after != before {
		f.t.Fatalf("a rejected request appended events: head %s → %s", before, after)
	}
	return r
}

const (
	createCase = `mutation($title: String!, $j: Jurisdiction!, $cmd: ID, $cpv: [String!]) {
		createProcurement(input: {title: $title, jurisdiction: $j, commandId: $cmd, cpv: $cpv}) {
			procurement { id title phase jurisdiction cpv hub { id kind } members { status } }
			revision position } }`
	invite = `mutation($id: ID!, $org: ID!, $cmd: ID) {
		inviteMunicipality(input: {procurementId: $id, organisationId: $org, commandId: $cmd}) {
			procurement { id memberCounts { invited joined } members { organisation { id name kind } status } } revision position } }`
	accept = `mutation($id: ID!, $cmd: ID) {
		acceptInvitation(input: {procurementId: $id, commandId: $cmd}) {
			procurement { id memberCounts { invited joined } members { organisation { id } status } } revision position } }`
	decline = `mutation($id: ID!, $reason: String) {
		declineInvitation(input: {procurementId: $id, reason: $reason}) { procurement { id members { organisation { id } status } } revision } }`
	withdraw = `mutation($id: ID!, $reason: String!) {
		withdrawMunicipality(input: {procurementId: $id, reason: $reason}) { procurement { memberCounts { joined withdrawn } } revision } }`
	cancelCase = `mutation($id: ID!, $reason: String!) {
		cancelProcurement(input: {procurementId: $id, reason: $reason}) { procurement { phase } revision } }`
	readCase = `query($id: ID!) { procurement(id: $id) { id title phase createdAt updatedAt members { organisation { id } status } } }`
)

func TestTheContractAnswersAsDescribed(t *testing.T) {
	f := startFelles(t)
	hub := f.token("hub-coordinator", "hub")
	bergen := f.token("bergen-admin", "bergen")
	oslo := f.token("oslo-admin", "oslo")
	stavanger := f.token("stavanger-admin", "stavanger")
	auditor := f.token("auditor", "oslo")

	created := f.ok(hub, createCase, map[string]any{"title": "Velferdsteknologi", "j": "NO", "cmd": "create-1", "cpv": []string{"48000000-8"}})
	id := created.get("createProcurement.procurement.id").(string)
	if created.get("createProcurement.procurement.phase") != "DRAFT" || created.get("createProcurement.procurement.hub.id") != "hub" {
		t.Fatalf("a new case is a DRAFT coordinated by the hub: %+v", created.Data)
	}

	t.Run("a_retried_create_with_the_same_command_id_appends_nothing", func(t *testing.T) {
		f := f.with(t)
		before := f.head()
		again := f.ok(hub, createCase, map[string]any{"title": "Velferdsteknologi", "j": "NO", "cmd": "create-1", "cpv": []string{"48000000-8"}})
		if again.get("createProcurement.procurement.id") != id || again.get("createProcurement.position") != created.get("createProcurement.position") {
			t.Fatalf("retry answered differently: %+v vs %+v", again.Data, created.Data)
		}
		if f.head() != before {
			t.Fatal("retry appended events")
		}
	})

	t.Run("the_hub_invites_and_the_municipality_answers_for_itself", func(t *testing.T) {
		f := f.with(t)
		r := f.ok(hub, invite, map[string]any{"id": id, "org": "bergen"})
		if r.get("createProcurement") != nil || r.get("inviteMunicipality.procurement.memberCounts.invited") != float64(1) {
			t.Fatalf("invite: %+v", r.Data)
		}
		f.ok(hub, invite, map[string]any{"id": id, "org": "trondheim"})
		joined := f.ok(bergen, accept, map[string]any{"id": id, "cmd": "accept-bergen"})
		if joined.get("acceptInvitation.procurement.memberCounts.joined") != float64(1) {
			t.Fatalf("accept must be visible in its own response: %+v", joined.Data)
		}
		before := f.head()
		again := f.ok(bergen, accept, map[string]any{"id": id})
		if f.head() != before || again.get("acceptInvitation.revision") != joined.get("acceptInvitation.revision") {
			t.Fatal("a repeated accept must be a no-op")
		}
		f.ok(f.token("trondheim-admin", "trondheim"), decline, map[string]any{"id": id, "reason": "no budget this year"})
	})

	t.Run("guards_answer_with_codes_and_append_nothing", func(t *testing.T) {
		f := f.with(t)
		f.rejected("NOT_FOUND", "procurement.not_found", oslo, accept, map[string]any{"id": id})
		f.rejected("FORBIDDEN", "authorization.forbidden", oslo, invite, map[string]any{"id": id, "org": "stavanger"})
		f.rejected("FORBIDDEN", "authorization.forbidden", auditor, accept, map[string]any{"id": id})
		f.rejected("BAD_USER_INPUT", "procurement.title_required", hub, createCase, map[string]any{"title": "  ", "j": "NO"})
		f.rejected("BAD_USER_INPUT", "procurement.invalid_cpv", hub, createCase, map[string]any{"title": "x", "j": "SE", "cpv": []string{"abc"}})
		f.rejected("BAD_USER_INPUT", "", hub, createCase, map[string]any{"title": "x", "j": "DK"})
		f.rejected("BAD_USER_INPUT", "procurement.invalid_id", hub, invite, map[string]any{"id": "not-a-uuid", "org": "oslo"})
		f.rejected("NOT_FOUND", "procurement.not_found", hub, invite, map[string]any{"id": "00000000-0000-4000-8000-000000000000", "org": "oslo"})
		f.rejected("NOT_FOUND", "procurement.invitee_not_found", hub, invite, map[string]any{"id": id, "org": "nowhere"})
		f.rejected("RULE_VIOLATION", "procurement.hub_cannot_be_member", hub, invite, map[string]any{"id": id, "org": "hub"})
		f.rejected("BAD_USER_INPUT", "procurement.reason_required", bergen, withdraw, map[string]any{"id": id, "reason": ""})
		f.rejected("UNAUTHENTICATED", "", "", invite, map[string]any{"id": id, "org": "oslo"})
		r := f.rejected("UNAUTHENTICATED", "", "not-a-token", invite, map[string]any{"id": id, "org": "oslo"})
		if r.status != http.StatusUnauthorized {
			t.Fatalf("a bad token is HTTP 401, got %d", r.status)
		}
		forged, _ := graphqlTokensIn(t).Mint("hub-coordinator", "hub", time.Hour, time.Now())
		f.rejected("UNAUTHENTICATED", "", forged, invite, map[string]any{"id": id, "org": "oslo"})
		f.rejected("BAD_USER_INPUT", "", hub, `{ procurements(first: 1000) { edges { cursor } } }`, nil)
		f.rejected("BAD_USER_INPUT", "", hub, `{ procurements(after: "garbage") { edges { cursor } } }`, nil)
		f.rejected("BAD_USER_INPUT", "", hub, `{ nope }`, nil)
		f.rejected("BAD_USER_INPUT", "", hub, `mutation { createProcurement(input: {title: "x"}) { revision } }`, nil)
		huge := map[string]any{"query": "{ viewer { user } }", "variables": map[string]any{"pad": strings.Repeat("x", int(graphql.DefaultLimits.MaxBodyBytes))}}
		body, _ := json.Marshal(huge)
		if r := f.post(hub, body); r.code() != "BAD_USER_INPUT" || r.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("oversized body: want 413 BAD_USER_INPUT, got %d %+v", r.status, r.Errors)
		}
		if r := f.gql(hub, `{ procurements { edges { node { hub { id } members { organisation { id } } } } } }`, nil); len(r.Errors) > 0 {
			t.Fatalf("an ordinary nested query must pass the limits: %+v", r.Errors)
		}
	})

	t.Run("a_municipality_sees_only_cases_it_was_invited_to", func(t *testing.T) {
		f := f.with(t)
		if r := f.ok(stavanger, readCase, map[string]any{"id": id}); r.get("procurement") != nil {
			t.Fatalf("stavanger was never invited and must not see the case: %+v", r.Data)
		}
		r := f.ok(stavanger, `{ procurements { edges { node { id } } } }`, nil)
		for _, e := range r.get("procurements.edges").([]any) {
			if e.(map[string]any)["node"].(map[string]any)["id"] == id {
				t.Fatal("stavanger lists a case it was never invited to")
			}
		}
		if r := f.ok(bergen, readCase, map[string]any{"id": id}); r.get("procurement.id") != id {
			t.Fatal("a member sees its case")
		}
		if r := f.ok(auditor, readCase, map[string]any{"id": id}); r.get("procurement") != nil {
			t.Fatal("an auditor acting for oslo (never invited) does not see the case")
		}
		audBergen := f.token("auditor", "bergen")
		if r := f.ok(audBergen, readCase, map[string]any{"id": id}); r.get("procurement.id") != id {
			t.Fatal("an auditor acting for a member sees the case")
		}
	})

	t.Run("viewer_names_the_principal_and_roles", func(t *testing.T) {
		f := f.with(t)
		r := f.ok(bergen, `{ viewer { user organisation { id name kind } roles } }`, nil)
		if r.get("viewer.user") != "bergen-admin" || r.get("viewer.organisation.id") != "bergen" || fmt.Sprint(r.get("viewer.roles")) != "[municipality-admin]" {
			t.Fatalf("viewer: %+v", r.Data)
		}
		if r := f.gql("", `{ viewer { user } }`, nil); r.code() != "UNAUTHENTICATED" {
			t.Fatalf("viewer without a token: %+v", r.Errors)
		}
		if r := f.ok(hub, `{ organisations { id kind } }`, nil); len(r.get("organisations").([]any)) != len(demoOrgs) {
			t.Fatalf("organisations: %+v", r.Data)
		}
	})

	t.Run("a_withdrawn_member_and_a_cancelled_case", func(t *testing.T) {
		f := f.with(t)
		r := f.ok(bergen, withdraw, map[string]any{"id": id, "reason": "merged into a regional agreement"})
		if r.get("withdrawMunicipality.procurement.memberCounts.withdrawn") != float64(1) {
			t.Fatalf("withdraw: %+v", r.Data)
		}
		f.rejected("FORBIDDEN", "authorization.forbidden", f.token("oslo-admin", "oslo"), `mutation { registerOrganisation(input: {id: "xx", kind: MUNICIPALITY, name: "X", orgNumber: "123456789"}) { revision } }`, nil)
		f.rejected("FORBIDDEN", "authorization.forbidden", f.token("oslo-admin", "oslo"), cancelCase, map[string]any{"id": id, "reason": "not ours"})
		c := f.ok(hub, cancelCase, map[string]any{"id": id, "reason": "the need is covered by a national agreement"})
		if c.get("cancelProcurement.procurement.phase") != "CANCELLED" {
			t.Fatalf("cancel: %+v", c.Data)
		}
		f.rejected("RULE_VIOLATION", "procurement.cancelled", hub, invite, map[string]any{"id": id, "org": "oslo"})
		before := f.head()
		f.ok(hub, cancelCase, map[string]any{"id": id, "reason": "again"})
		if f.head() != before {
			t.Fatal("cancelling a cancelled case must be a no-op")
		}
	})

	t.Run("procurements_page_newest_first", func(t *testing.T) {
		f := f.with(t)
		for i := 0; i < 3; i++ {
			f.ok(hub, createCase, map[string]any{"title": fmt.Sprintf("Case %d", i), "j": "FI"})
		}
		p1 := f.ok(hub, `{ procurements(first: 2) { edges { cursor node { title } } pageInfo { hasNextPage endCursor } } }`, nil)
		edges := p1.get("procurements.edges").([]any)
		if len(edges) != 2 || edges[0].(map[string]any)["node"].(map[string]any)["title"] != "Case 2" || p1.get("procurements.pageInfo.hasNextPage") != true {
			t.Fatalf("first page: %+v", p1.Data)
		}
		p2 := f.ok(hub, `query($a: String) { procurements(first: 10, after: $a) { edges { node { title } } pageInfo { hasNextPage } } }`,
			map[string]any{"a": p1.get("procurements.pageInfo.endCursor")})
		if n := len(p2.get("procurements.edges").([]any)); n < 2 || p2.get("procurements.pageInfo.hasNextPage") != false {
			t.Fatalf("second page: %+v", p2.Data)
		}
	})
}

// graphqlTokensIn returns a signer with a key of its own: tokens it mints must
// be refused by the server.
func graphqlTokensIn(t *testing.T) *graphql.Tokens {
	tk, err := graphql.LoadTokens(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func TestGraphiQLAndHealthAreServed(t *testing.T) {
	f := startFelles(t)
	for path, want := range map[string]string{"/": "GraphiQL", "/healthz": "ok", "/readyz": `"status":"ready"`} {
		resp, err := http.Get("http://" + f.srv.addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
		}
	}
	if resp, _ := http.Get("http://" + f.srv.addr + "/graphql"); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET /graphql: %d", resp.StatusCode)
	}
}

func TestAGrantTakesEffectForTheNextRequest(t *testing.T) {
	f := startFelles(t)
	admin := f.token("bergen-admin", "bergen")
	newcomer := f.token("kari", "bergen")
	readRoles := `{ viewer { roles } }`
	if r := f.ok(newcomer, readRoles, nil); fmt.Sprint(r.get("viewer.roles")) != "[]" {
		t.Fatalf("kari holds no role yet: %+v", r.Data)
	}
	f.rejected("FORBIDDEN", "", newcomer, `{ procurements { edges { cursor } } }`, nil)
	grant := `mutation($u: String!, $r: String!) { grantRole(input: {organisationId: "bergen", user: $u, role: $r}) { organisation { id } revision position } }`
	f.ok(admin, grant, map[string]any{"u": "kari", "r": "municipality-admin"})
	if r := f.ok(newcomer, readRoles, nil); fmt.Sprint(r.get("viewer.roles")) != "[municipality-admin]" {
		t.Fatalf("the grant must apply to the very next request: %+v", r.Data)
	}
	f.ok(newcomer, `{ procurements { edges { cursor } } }`, nil)
	f.rejected("FORBIDDEN", "organisation.outside_own_organisation", admin, `mutation { grantRole(input: {organisationId: "oslo", user: "kari", role: "municipality-admin"}) { revision } }`, nil)
	f.rejected("RULE_VIOLATION", "organisation.role_not_for_kind", admin, grant, map[string]any{"u": "kari", "r": "hub-coordinator"})
	f.rejected("BAD_USER_INPUT", "organisation.unknown_role", admin, grant, map[string]any{"u": "kari", "r": "king"})
	f.ok(admin, `mutation { revokeRole(input: {organisationId: "bergen", user: "kari", role: "municipality-admin"}) { revision } }`, nil)
	f.rejected("FORBIDDEN", "", newcomer, `{ procurements { edges { cursor } } }`, nil)
}

func TestRebuildingTheViewsTwiceGivesTheSameDigest(t *testing.T) {
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := start(context.Background(), serveConfig{dataDir: dir, addr: "127.0.0.1:0", demo: true}, log)
	if err != nil {
		t.Fatal(err)
	}
	// The notary signs what the demo appended now, so that stopping the
	// server has nothing left to sign; the views then hold the whole log.
	if _, _, err := srv.notary.SignNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	head, err := srv.sys.store.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.sys.runner.WaitFor(context.Background(), head); err != nil {
		t.Fatal(err)
	}
	live, err := srv.sys.runner.Digest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv.stop()
	n1, d1, err := rebuildViews(context.Background(), dir, "", log)
	if err != nil {
		t.Fatal(err)
	}
	n2, d2, err := rebuildViews(context.Background(), dir, "", log)
	if err != nil {
		t.Fatal(err)
	}
	if n1 == 0 || n1 != n2 || d1 != d2 {
		t.Fatalf("rebuilds differ: %d %s vs %d %s", n1, d1, n2, d2)
	}
	if d1 != live {
		t.Fatalf("the views built live and the rebuilt views differ: %s vs %s", live, d1)
	}
}

// GraphiQL's own introspection query (graphql-js getIntrospectionQuery, as
// GraphiQL 3 sends it) must pass the limits, with or without the placeholder
// token GraphiQL's headers pane starts with.
const graphiqlIntrospection = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}`

func TestGraphiQLCanLoadTheSchema(t *testing.T) {
	f := startFelles(t)
	for _, token := range []string{"", "<paste a token from: felles token --user hub-coordinator --org hub>"} {
		r := f.gql(token, graphiqlIntrospection, nil)
		if len(r.Errors) > 0 || r.get("__schema.queryType.name") != "Query" {
			t.Fatalf("introspection with token %q: %+v", token, r.Errors)
		}
	}
}
