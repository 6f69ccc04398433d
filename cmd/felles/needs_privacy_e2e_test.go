package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The privacy rule of the needs phase (DOMAIN.md §5 "Member needs draft"): a
// member's draft needs are never returned to any other organisation through
// any query. The test drives a case into the NEEDS phase with drafts from
// three members, every text of each draft carrying a marker unique to the
// member, then walks every query field (generated from the live schema, all
// fields selected recursively) as every demo principal and searches each raw
// response — data and errors — for the markers.

// draftMembers are the members that keep private drafts in the case.
var draftMembers = []string{"oslo", "bergen", "trondheim"}

// draftReaderSuffixes are the demo users of a municipality whose role may read
// the municipality's own draft (ReadNeedsDraft): admin, needs owner and budget
// holder. The signatory may not.
var draftReaderSuffixes = []string{"admin", "needs", "budget"}

// privacyPrincipal is one token the walk acts with.
type privacyPrincipal struct {
	user, org string
	// ownDraft: the principal's roles include ReadNeedsDraft in org, so it
	// must see org's own latest draft (when org keeps one) and nothing else.
	// When false it must see no draft at all, not even its own org's.
	ownDraft bool
	// readsCase: the principal holds a role that reads the case, so the walk
	// must reach the case (a walk answering null everywhere proves nothing).
	readsCase bool
}

func (p privacyPrincipal) String() string { return p.user + "@" + p.org }

// demoPrincipals lists every demo user in every organisation it holds a role
// in, and two principals with a valid token but no role.
func demoPrincipals() []privacyPrincipal {
	caseOrgs := map[string]bool{"hub": true, "oslo": true, "bergen": true, "trondheim": true}
	out := []privacyPrincipal{{user: "hub-coordinator", org: "hub", readsCase: true}}
	for _, o := range demoOrgs {
		out = append(out, privacyPrincipal{user: "auditor", org: o.id, readsCase: caseOrgs[o.id]})
	}
	for _, o := range demoOrgs[1:] {
		for _, s := range []string{"admin", "needs", "budget", "signatory"} {
			out = append(out, privacyPrincipal{user: o.id + "-" + s, org: o.id, ownDraft: slices.Contains(draftReaderSuffixes, s), readsCase: caseOrgs[o.id]})
		}
	}
	return append(out,
		privacyPrincipal{user: "oslo-lead", org: "oslo", readsCase: true},
		privacyPrincipal{user: "oslo-lead-signatory", org: "oslo", readsCase: true},
		// Suppliers read published cases through publicTenders only: this
		// case has no notice, so they must find nothing of it.
		privacyPrincipal{user: "acme-sales", org: "acme"},
		privacyPrincipal{user: "nordic-sales", org: "nordic"},
		// Valid tokens, no role: a stranger in oslo, and bergen's needs owner
		// acting for oslo, where it holds nothing.
		privacyPrincipal{user: "nobody-at-all", org: "oslo"},
		privacyPrincipal{user: "bergen-needs", org: "oslo"},
	)
}

// draftMarkers are the unique strings hidden in every draft's texts.
type draftMarkers struct{ run string }

// of is the marker every draft of org carries, whatever its generation.
func (m draftMarkers) of(org string) string { return "secret-draft-" + org + "-" + m.run }

// gen is the marker of one generation of org's draft.
func (m draftMarkers) gen(org string, g int) string { return fmt.Sprintf("%s-g%d", m.of(org), g) }

// draftVars are saveNeedsDraft variables whose every text carries the marker.
func draftVars(id, marker string) map[string]any {
	needs := []map[string]any{}
	for i := 1; i <= 2; i++ {
		needs = append(needs, map[string]any{
			"id":              fmt.Sprintf("%s-n%d", marker, i),
			"statement":       "Statement " + marker,
			"userGroup":       "Users " + marker,
			"currentSolution": "Today " + marker,
			"successCriteria": "Success " + marker,
		})
	}
	return map[string]any{"id": id, "needs": needs, "notes": "Internal notes " + marker}
}

// --- schema walking ---

type introTypeRef struct {
	Kind   string        `json:"kind"`
	Name   *string       `json:"name"`
	OfType *introTypeRef `json:"ofType"`
}

func (t introTypeRef) named() string {
	for cur := &t; cur != nil; cur = cur.OfType {
		if cur.Name != nil {
			return *cur.Name
		}
	}
	return ""
}

type introArg struct {
	Name string       `json:"name"`
	Type introTypeRef `json:"type"`
}

type introField struct {
	Name string       `json:"name"`
	Args []introArg   `json:"args"`
	Type introTypeRef `json:"type"`
}

type introType struct {
	Kind          string       `json:"kind"`
	Name          string       `json:"name"`
	Fields        []introField `json:"fields"`
	PossibleTypes []struct {
		Name string `json:"name"`
	} `json:"possibleTypes"`
}

type introSchema struct {
	QueryType    struct{ Name string } `json:"queryType"`
	MutationType struct{ Name string } `json:"mutationType"`
	Types        []introType           `json:"types"`
}

const privacyIntrospection = `{ __schema { queryType { name } mutationType { name } types { kind name
	fields(includeDeprecated: true) { name args { name type { ...T } } type { ...T } }
	possibleTypes { name } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`

// schemaWalkDepth bounds how deep objects are expanded. The deepest path in the
// schema today, procurements → edges → node → costShares → shares →
// organisation, is six objects deep; a field cut off by the bound (or by a
// cycle) fails the test rather than going unchecked.
const schemaWalkDepth = 9

// schemaWalker builds selections of every field of a type, recursively.
type schemaWalker struct {
	types  map[string]introType
	caseID string
	// paths are the dotted paths of every field selected, leaves and objects.
	paths map[string]bool
	// unfillable are fields left out because a required argument has no value.
	unfillable []string
	// truncated are object fields left out by the depth bound or a cycle.
	truncated []string
}

// argValue is the literal for an argument, or false when the walk cannot
// supply one.
func (s *schemaWalker) argValue(field introField, a introArg) (string, bool) {
	switch {
	case a.Name == "id" && (field.Type.named() == "Procurement" || field.Type.named() == "PublicTender"):
		return strconv.Quote(s.caseID), true
	case a.Name == "first" && a.Type.named() == "Int":
		return "100", true
	case a.Name == "asOf" && a.Type.named() == "DateTime":
		return "", false // procurement(asOf:): the live case (time travel has tests of its own)
	case a.Name == "asOf":
		return `"2099-12-31"`, true
	case a.Name == "streamId": // the case's own stream: its history must not leak a draft either
		return strconv.Quote("procurement-" + s.caseID), true
	case a.Name == "eventId": // an event the tree does not hold: the proof is null
		return `"00000000-0000-4000-8000-000000000000"`, true
	case field.Name == "consistencyProof" && a.Name == "from":
		return "1", true
	case field.Name == "consistencyProof" && a.Name == "to":
		return "2", true
	}
	return "", false
}

func (s *schemaWalker) selection(typeName, path string, depth int, onPath []string) string {
	t, ok := s.types[typeName]
	if !ok {
		s.unfillable = append(s.unfillable, path+" (unknown type "+typeName+")")
		return "__typename"
	}
	switch t.Kind {
	case "INTERFACE", "UNION":
		parts := []string{"__typename"}
		for _, pt := range t.PossibleTypes {
			parts = append(parts, "...on "+pt.Name+"{"+s.selection(pt.Name, path, depth, onPath)+"}")
		}
		return strings.Join(parts, " ")
	}
	var parts []string
	for _, f := range t.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		fp := f.Name
		if path != "" {
			fp = path + "." + f.Name
		}
		var args []string
		skip := false
		for _, a := range f.Args {
			v, ok := s.argValue(f, a)
			switch {
			case ok:
				args = append(args, a.Name+":"+v)
			case a.Type.Kind == "NON_NULL":
				s.unfillable = append(s.unfillable, fp+"("+a.Name+")")
				skip = true
			}
		}
		if skip {
			continue
		}
		sel := f.Name
		if len(args) > 0 {
			sel += "(" + strings.Join(args, ",") + ")"
		}
		named := f.Type.named()
		switch s.types[named].Kind {
		case "SCALAR", "ENUM":
		default:
			if depth >= schemaWalkDepth || slices.Contains(onPath, named) {
				s.truncated = append(s.truncated, fp)
				continue
			}
			sel += "{" + s.selection(named, fp, depth+1, append(slices.Clone(onPath), named)) + "}"
		}
		s.paths[fp] = true
		parts = append(parts, sel)
	}
	if len(parts) == 0 {
		return "__typename"
	}
	return strings.Join(parts, " ")
}

// rootQueries are one query per field of the query type, each selecting all.
func (s *schemaWalker) rootQueries(schema introSchema) map[string]string {
	out := map[string]string{}
	root := s.types[schema.QueryType.Name]
	for _, f := range root.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		one := introType{Kind: "OBJECT", Name: root.Name, Fields: []introField{f}}
		s.types["__walk_"+f.Name] = one
		sel := s.selection("__walk_"+f.Name, "", 0, []string{root.Name})
		delete(s.types, "__walk_"+f.Name)
		if sel == "__typename" {
			continue // left out: listed in unfillable
		}
		out[f.Name] = "{" + sel + "}"
	}
	return out
}

// postRaw sends a request and answers with the raw body and its decoded form.
func (f *felles) postRaw(token, query string, vars map[string]any) (string, gqlResult) {
	f.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	raw, res := f.send(token, body)
	return string(raw), res
}

// leaks lists the markers of orgs other than allowed found in raw.
func draftLeaks(raw string, m draftMarkers, allowed string) []string {
	low := strings.ToLower(raw)
	var out []string
	for _, org := range draftMembers {
		if org != allowed && strings.Contains(low, m.of(org)) {
			out = append(out, org)
		}
	}
	return out
}

// checkOwnDraft asserts draft (a NeedsDraft object from a response) is org's
// latest draft, marker in every text, and holds no earlier generation.
func checkOwnDraft(t *testing.T, who string, draft any, org string, m draftMarkers, latest int) {
	t.Helper()
	d, ok := draft.(map[string]any)
	if !ok {
		t.Errorf("%s: myNeedsDraft must be its own organisation's draft, got %v", who, draft)
		return
	}
	want := strings.ToLower(m.gen(org, latest))
	if o, _ := d["organisation"].(map[string]any); o == nil || o["id"] != org {
		t.Errorf("%s: myNeedsDraft.organisation is %v, want %s", who, d["organisation"], org)
	}
	if n, _ := d["notes"].(string); !strings.Contains(strings.ToLower(n), want) {
		t.Errorf("%s: myNeedsDraft.notes %q lacks the latest marker %s", who, n, want)
	}
	needs, _ := d["needs"].([]any)
	if len(needs) != 2 {
		t.Errorf("%s: myNeedsDraft.needs has %d needs, want 2: %v", who, len(needs), d["needs"])
	}
	for _, n := range needs {
		nm, _ := n.(map[string]any)
		for _, k := range []string{"id", "statement", "userGroup", "currentSolution", "successCriteria"} {
			if v, _ := nm[k].(string); !strings.Contains(strings.ToLower(v), want) {
				t.Errorf("%s: myNeedsDraft.needs.%s %q lacks the latest marker %s", who, k, v, want)
			}
		}
	}
	blob, _ := json.Marshal(d)
	for g := 1; g < latest; g++ {
		if old := strings.ToLower(m.gen(org, g)); strings.Contains(strings.ToLower(string(blob)), old) {
			t.Errorf("%s: myNeedsDraft still shows the superseded draft %s", who, old)
		}
	}
}

func TestDraftNeedsNeverReachAnotherOrganisation(t *testing.T) {
	f := startFelles(t)
	rnd := make([]byte, 4)
	if _, err := rand.Read(rnd); err != nil {
		t.Fatal(err)
	}
	m := draftMarkers{run: hex.EncodeToString(rnd)}
	latest := map[string]int{} // each member's latest draft generation

	hub := f.token("hub-coordinator", "hub")
	tok := func(user, org string) string { return f.token(user, org) }

	// --- 1. a case in the NEEDS phase, drafts from several members ---
	id := f.ok(hub, createCase, map[string]any{"title": "Trygghetsalarmer", "j": "NO"}).get("createProcurement.procurement.id").(string)
	vars := map[string]any{"id": id}
	for _, org := range draftMembers {
		f.ok(hub, invite, map[string]any{"id": id, "org": org})
	}
	f.ok(hub, openRec, vars)
	for _, org := range draftMembers {
		f.ok(tok(org+"-admin", org), accept, vars)
	}
	if r := f.ok(hub, closeRecM, vars); r.get("closeRecruitment.procurement.phase") != "AGREEMENT" {
		t.Fatalf("close recruitment: %+v", r.Data)
	}

	saveDraft := func(org string) gqlResult {
		t.Helper()
		latest[org]++
		return f.ok(tok(org+"-needs", org), `mutation($id: ID!, $needs: [NeedInput!]!, $notes: String) {
			saveNeedsDraft(input: {procurementId: $id, needs: $needs, notes: $notes}) { procurement { phase myNeedsDraft { version } } revision } }`,
			draftVars(id, m.gen(org, latest[org])))
	}
	// A draft saved while the agreement is still being made.
	if r := saveDraft("trondheim"); r.get("saveNeedsDraft.procurement.phase") != "AGREEMENT" {
		t.Fatalf("draft in the agreement phase: %+v", r.Data)
	}

	hash := strings.Repeat("ab12", 16)
	f.ok(hub, `mutation($id: ID!, $hash: String!) { draftCooperationAgreement(input: {procurementId: $id, terms: {documentHash: $hash,
		decisionRules: {procedure: UNANIMOUS, approval: MAJORITY, award: LEAD_DECIDES}, signingModel: LEAD_SIGNS_ALL,
		liabilityTerms: "Each member carries its own share.", withdrawalTerms: "Free until the contract notice."}}) { revision } }`,
		map[string]any{"id": id, "hash": hash})
	for _, org := range draftMembers {
		sig := tok(org+"-signatory", org)
		f.ok(sig, `mutation($id: ID!, $hash: String!, $ref: String!) { signCooperationAgreement(input: {procurementId: $id, version: 1,
			documentHash: $hash, signatureRef: $ref}) { revision } }`, map[string]any{"id": id, "hash": hash, "ref": "bankid:" + org + "-sig-1"})
		f.ok(sig, `mutation($id: ID!) { consentToLead(input: {procurementId: $id, lead: "oslo"}) { revision } }`, vars)
	}
	f.ok(hub, `mutation($id: ID!) { designateLeadAuthority(input: {procurementId: $id, lead: "oslo"}) { revision } }`, vars)
	for _, org := range []string{"bergen", "trondheim"} {
		f.ok(tok(org+"-signatory", org), `mutation($id: ID!, $m: ID!) { grantMandate(input: {procurementId: $id, mandateId: $m, to: "oslo",
			scope: ["prepare", "publish"], validUntil: "2099-12-31"}) { revision } }`, map[string]any{"id": id, "m": "fullmakt-" + org})
	}
	const setKey = `mutation($id: ID!) { setCostSharingKey(input: {procurementId: $id, method: EQUAL, commandId: "privacy-key-1"}) {
		procurement { phase } revision } }`
	if r := f.ok(hub, setKey, vars); r.get("setCostSharingKey.procurement.phase") != "NEEDS" {
		t.Fatalf("the key completes the agreement phase: %+v", r.Data)
	}
	if r := f.ok(hub, readCase, vars); r.get("procurement.phase") != "NEEDS" {
		t.Fatalf("the case must be in NEEDS: %+v", r.Data)
	}

	for _, org := range draftMembers {
		saveDraft(org)
	}
	submit := `mutation($id: ID!, $needs: [NeedInput!]!) { submitNeeds(input: {procurementId: $id, needs: $needs}) { revision } }`
	for _, org := range []string{"oslo", "bergen"} {
		f.ok(tok(org+"-needs", org), submit, map[string]any{"id": id, "needs": []map[string]any{{
			"id": org + "-submitted-1", "statement": "Alarm for " + org, "userGroup": "Home care", "successCriteria": "Fewer falls",
		}}})
		saveDraft(org) // a draft after the submission
	}

	// --- 2. walk every query field as every principal ---
	_, intro := f.postRaw(hub, privacyIntrospection, nil)
	if len(intro.Errors) > 0 {
		t.Fatalf("introspection: %+v", intro.Errors)
	}
	var schema struct {
		Schema introSchema `json:"__schema"`
	}
	blob, _ := json.Marshal(intro.Data)
	if err := json.Unmarshal(blob, &schema); err != nil {
		t.Fatal(err)
	}
	sel := &schemaWalker{types: map[string]introType{}, caseID: id, paths: map[string]bool{}}
	for _, ty := range schema.Schema.Types {
		sel.types[ty.Name] = ty
	}
	queries := sel.rootQueries(schema.Schema)
	procSel := sel.selection("Procurement", "payload.procurement", 1, []string{"ProcurementPayload", "Procurement"})

	// --- 3. the walk must cover what it claims to ---
	if len(sel.unfillable) > 0 {
		t.Errorf("fields the walk cannot fill arguments for (teach argValue, or they go unchecked): %v", sel.unfillable)
	}
	if len(sel.truncated) > 0 {
		t.Errorf("fields cut off by the depth bound %d or a cycle (raise schemaWalkDepth): %v", schemaWalkDepth, sel.truncated)
	}
	for _, p := range []string{
		"procurement.myNeedsDraft.needs.statement", "procurement.myNeedsDraft.needs.id", "procurement.myNeedsDraft.notes",
		"procurement.needsSubmissions.needs.statement", "procurement.consolidatedNeeds.commonNeeds.statement",
		"procurements.edges.node.myNeedsDraft.needs.successCriteria", "procurements.edges.node.needsSubmissions.needs.userGroup",
		"myTasks.procurement.myNeedsDraft.needs.currentSolution", "myTasks.procurement.needsSubmissions.needs.id",
		"procurement.costShares.shares.organisation.id", "payload.procurement.myNeedsDraft.needs.statement",
	} {
		if !sel.paths[p] {
			t.Errorf("the generated queries do not select %s", p)
		}
	}
	for _, q := range []string{"viewer", "procurement", "procurements", "myTasks", "organisations"} {
		if _, ok := queries[q]; !ok {
			t.Errorf("no query generated for Query.%s", q)
		}
	}
	for name, q := range queries {
		if len(q) > 20_000 {
			t.Errorf("the query for %s is %d characters, over the server's limit", name, len(q))
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	names := make([]string, 0, len(queries))
	for n := range queries {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Logf("Query.%s: %d characters: %s", n, len(queries[n]), queries[n])
	}

	principals := demoPrincipals()
	walked := 0
	for _, p := range principals {
		token := tok(p.user, p.org)
		for _, name := range names {
			raw, res := f.postRaw(token, queries[name], nil)
			walked++
			allowed := ""
			if p.ownDraft {
				allowed = p.org
			}
			if l := draftLeaks(raw, m, allowed); len(l) > 0 {
				t.Errorf("LEAK: %s (may read drafts of: %q) reading Query.%s sees the draft of %v: %s", p, allowed, name, l, raw)
			}
			if p.readsCase && len(res.Errors) > 0 {
				t.Errorf("%s reading Query.%s: unexpected errors %+v", p, name, res.Errors)
			}
			if !p.readsCase && res.status == http.StatusOK && len(res.Errors) == 0 && name == "procurement" && res.get("procurement") != nil {
				t.Errorf("%s sees the case without a role in a member or the hub: %s", p, raw)
			}
			switch name {
			case "publicTender", "publicTenders":
				// No dialogue or contract notice is published: the case is
				// not public, for anyone.
				if strings.Contains(raw, id) {
					t.Errorf("%s finds the unpublished case through Query.%s: %s", p, name, raw)
				}
			case "procurement":
				if p.readsCase && res.get("procurement.id") != id {
					t.Errorf("%s must see the case, got %s", p, raw)
					continue
				}
				draft := res.get("procurement.myNeedsDraft")
				switch {
				case p.ownDraft && latest[p.org] > 0:
					checkOwnDraft(t, p.String(), draft, p.org, m, latest[p.org])
				case draft != nil:
					t.Errorf("%s must get no myNeedsDraft, got %v", p, draft)
				}
				if p.user == "hub-coordinator" {
					if subs, _ := res.get("procurement.needsSubmissions").([]any); len(subs) != 2 {
						t.Errorf("the hub sees both submissions, got %v", res.get("procurement.needsSubmissions"))
					}
				}
			case "myTasks":
				// Every member has tasks in the case (anchoring, volumes), so
				// the walk reaches the draft through myTasks too.
				tasks, _ := res.get("myTasks").([]any)
				inCase := 0
				for _, ct := range tasks {
					pm, _ := ct.(map[string]any)["procurement"].(map[string]any)
					if pm["id"] != id {
						continue
					}
					inCase++
					if p.ownDraft && latest[p.org] > 0 {
						checkOwnDraft(t, p.String()+" (myTasks)", pm["myNeedsDraft"], p.org, m, latest[p.org])
					} else if pm["myNeedsDraft"] != nil {
						t.Errorf("%s must get no myNeedsDraft through myTasks, got %v", p, pm["myNeedsDraft"])
					}
				}
				if p.readsCase && p.org != "hub" && inCase == 0 {
					t.Errorf("%s has no task in the case, so myTasks walked nothing: %s", p, raw)
				}
			case "procurements":
				if !p.readsCase {
					continue
				}
				found := false
				edges, _ := res.get("procurements.edges").([]any)
				for _, e := range edges {
					node, _ := e.(map[string]any)["node"].(map[string]any)
					if node["id"] != id {
						continue
					}
					found = true
					if p.ownDraft && latest[p.org] > 0 {
						checkOwnDraft(t, p.String()+" (procurements)", node["myNeedsDraft"], p.org, m, latest[p.org])
					} else if node["myNeedsDraft"] != nil {
						t.Errorf("%s must get no myNeedsDraft through procurements, got %v", p, node["myNeedsDraft"])
					}
				}
				if !found {
					t.Errorf("%s must list the case: %s", p, raw)
				}
			}
		}
	}

	// Mutation payloads: every member's draft save, and the hub's (retried)
	// key, answer with the whole case.
	payloadQ := func(field, input string) string {
		return "mutation($id: ID!, $needs: [NeedInput!]!, $notes: String) { " + field + "(input: " + input + ") { procurement { " + procSel + " } revision position } }"
	}
	for _, org := range draftMembers {
		v := draftVars(id, m.gen(org, latest[org]+1))
		latest[org]++
		raw, res := f.postRaw(tok(org+"-needs", org), payloadQ("saveNeedsDraft", "{procurementId: $id, needs: $needs, notes: $notes}"), v)
		if len(res.Errors) > 0 {
			t.Fatalf("%s saves a draft: %+v", org, res.Errors)
		}
		if l := draftLeaks(raw, m, org); len(l) > 0 {
			t.Errorf("LEAK: %s-needs's saveNeedsDraft payload carries the draft of %v: %s", org, l, raw)
		}
		checkOwnDraft(t, org+"-needs (saveNeedsDraft payload)", res.get("saveNeedsDraft.procurement.myNeedsDraft"), org, m, latest[org])
	}
	keyQ := `mutation { setCostSharingKey(input: {procurementId: "` + id + `", method: EQUAL, commandId: "privacy-key-1"}) { procurement { ` + procSel + ` } revision position } }`
	before := f.head()
	raw, res := f.postRaw(hub, keyQ, nil)
	if len(res.Errors) > 0 || res.get("setCostSharingKey.procurement.id") != id {
		t.Fatalf("the hub's retried key: %s", raw)
	}
	if f.head() != before {
		t.Fatal("a retried command appended events")
	}
	if l := draftLeaks(raw, m, ""); len(l) > 0 {
		t.Errorf("LEAK: the hub's setCostSharingKey payload carries the draft of %v: %s", l, raw)
	}
	raw, res = f.postRaw(hub, `mutation { setCostSharingKey(input: {procurementId: "`+id+`", method: EQUAL, countOptions: true}) { procurement { `+procSel+` } revision position } }`, nil)
	if len(res.Errors) > 0 {
		t.Fatalf("the hub's new key: %s", raw)
	}
	if l := draftLeaks(raw, m, ""); len(l) > 0 {
		t.Errorf("LEAK: the hub's setCostSharingKey payload carries the draft of %v: %s", l, raw)
	}

	t.Logf("walked %d principals × %d query fields = %d requests, %d field paths selected", len(principals), len(names), walked, len(sel.paths))
}
