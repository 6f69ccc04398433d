package graphql

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/felles/felles/app"
	"github.com/felles/felles/audit"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/projections"
	"github.com/felles/felles/projections/merkle"
)

// audSystem is the award tests' Felles with the merkle view beside its
// other views, a notary signing over its log as the server's does, and the
// API serving both. Every identifier here starts with "aud".
type audSystem struct {
	*awardSystem
	merkle *projections.Runner
	notary *audit.Notary
	key    *audit.Verifier
	api    *Server
}

// audTreeView is the notary's tree: the merkle view, as cmd/felles wires it.
type audTreeView struct{ db *sql.DB }

func (v audTreeView) Size(ctx context.Context) (int64, error) { return merkle.Size(ctx, v.db) }
func (v audTreeView) Root(ctx context.Context, n int64) (tlog.Hash, error) {
	return merkle.Root(ctx, v.db, n)
}
func (v audTreeView) Uncovered(ctx context.Context) (int64, error) {
	return merkle.Uncovered(ctx, v.db)
}

func newAudSystem(t *testing.T) *audSystem {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	x := &audSystem{awardSystem: newAwardSystem(t)}
	var err error
	if x.merkle, err = projections.NewRunner(ctx, x.runner.DB(), "merkle", "embedded:test", log, merkle.ReadModel{}); err != nil {
		t.Fatal(err)
	}
	signer, err := audit.LoadOrCreateSigner(t.TempDir(), "felles-test")
	if err != nil {
		t.Fatal(err)
	}
	if x.key, err = audit.NewVerifier(signer.PublicKey()); err != nil {
		t.Fatal(err)
	}
	if x.notary, err = audit.NewNotary(x.store, signer, audTreeView{x.runner.DB()}, x.clock.now, log); err != nil {
		t.Fatal(err)
	}
	deps := x.awardSystem.api.deps
	deps.AuditKey = signer.PublicKey()
	if x.api, err = NewServer(deps); err != nil {
		t.Fatal(err)
	}
	x.tree()
	return x
}

// tree brings the merkle view up to the log.
func (x *audSystem) tree() {
	x.t.Helper()
	if _, err := x.merkle.Rebuild(context.Background(), x.store); err != nil {
		x.t.Fatal(err)
	}
}

// sign has the notary sign the tree once the views have taken in the log, and
// waits for the views to take the head in.
func (x *audSystem) sign() audit.TreeHead {
	x.t.Helper()
	x.tree()
	h, signed, err := x.notary.SignNow(context.Background())
	if err != nil || !signed {
		x.t.Fatalf("signed %v: %v", signed, err)
	}
	x.tree()
	return h
}

// ask posts a query with a token ("" for none) and answers whatever comes back.
func (x *audSystem) ask(t *testing.T, token, q string, vars map[string]any) gqlAnswer {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	x.api.ServeHTTP(rec, req)
	var ans gqlAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
		t.Fatalf("not JSON: %s", rec.Body.String())
	}
	return ans
}

func (x *audSystem) ok(t *testing.T, token, q string, vars map[string]any) gqlAnswer {
	t.Helper()
	ans := x.ask(t, token, q, vars)
	if len(ans.Errors) > 0 {
		t.Fatalf("%s: %+v", q, ans.Errors)
	}
	return ans
}

// refused asserts the query fails with code and reason.
func (x *audSystem) refused(t *testing.T, code, reason, token, q string, vars map[string]any) {
	t.Helper()
	ans := x.ask(t, token, q, vars)
	if len(ans.Errors) == 0 || ans.Errors[0].Extensions["code"] != code || (reason != "" && ans.Errors[0].Extensions["reason"] != reason) {
		t.Fatalf("want %s/%s, got %+v", code, reason, ans.Errors)
	}
	if ans.Errors[0].Message == "" {
		t.Fatal("an error must say what was wrong")
	}
}

func (x *audSystem) token(t *testing.T, user, org string) string {
	t.Helper()
	tok, err := x.tokens.Mint(user, org, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// open checks a signed note from the API against the published key.
func (x *audSystem) open(t *testing.T, note any) audit.TreeHead {
	t.Helper()
	s, _ := note.(string)
	h, err := x.key.Open([]byte(s))
	if err != nil {
		t.Fatalf("the note %q: %v", s, err)
	}
	return h
}

// audHashes reads a list of base64 hashes from an answer.
func audHashes(t *testing.T, v any) []tlog.Hash {
	t.Helper()
	list, _ := v.([]any)
	out := make([]tlog.Hash, len(list))
	for i, s := range list {
		b, err := base64.StdEncoding.DecodeString(s.(string))
		if err != nil || len(b) != tlog.HashSize {
			t.Fatalf("hash %d: %q is not 32 bytes of base64", i, s)
		}
		copy(out[i][:], b)
	}
	return out
}

func audInt(v any) int64 { f, _ := v.(float64); return int64(f) }

const (
	audTreeQuery    = `{ auditPublicKey auditTree { size root latestHead { size root signedAt publicKey note leafIndex } } }`
	audHeadsQuery   = `query($first: Int, $after: String) { treeHeads(first: $first, after: $after) { heads { size root note leafIndex } endCursor } }`
	audIncludeQuery = `query($id: ID!, $size: Int) { inclusionProof(eventId: $id, treeSize: $size) { eventId leafIndex treeSize eventHash hashes head { size note } } }`
	audConsistQuery = `query($from: Int!, $to: Int!) { consistencyProof(from: $from, to: $to) { from to hashes fromRoot toRoot } }`
)

func TestTheAuditAPIAnswersWithProofsThatVerify(t *testing.T) {
	// given a case's log, a head signed over it, one more organisation
	// registered and a second head
	x := newAudSystem(t)
	first := x.sign()
	if _, err := x.awardSystem.api.deps.Orgs.Register(context.Background(), app.System, app.CommandMeta{}, app.RegisterInput{
		ID: "trondheim", Kind: organisation.KindMunicipality, Name: "Trondheim kommune", OrgNumber: "942110464"}); err != nil {
		t.Fatal(err)
	}
	second := x.sign()
	auditor := x.token(t, "auditor", "hub")
	recs, err := x.store.ReadAll(context.Background(), eventstore.Position{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	caseEvents, err := x.store.ReadStream(context.Background(), procurement.StreamID(x.caseID), 0, 0)
	if err != nil || len(caseEvents) < 10 {
		t.Fatalf("%d case events: %v", len(caseEvents), err)
	}
	event := caseEvents[7]

	t.Run("the_tree_and_its_latest_head", func(t *testing.T) {
		ans := x.ok(t, auditor, audTreeQuery, nil)
		if ans.get("auditPublicKey") != x.key.Key() {
			t.Errorf("auditPublicKey %v, the key is %s", ans.get("auditPublicKey"), x.key.Key())
		}
		tree := audit.NewTree(len(recs))
		for _, r := range recs {
			leaf, err := audit.LeafOf(r.Hash)
			if err != nil {
				t.Fatal(err)
			}
			tree.Add(leaf)
		}
		root, _ := tree.Root(tree.Size())
		if audInt(ans.get("auditTree.size")) != tree.Size() || ans.get("auditTree.root") != root.String() {
			t.Errorf("tree %v %v, the log's %d %s", ans.get("auditTree.size"), ans.get("auditTree.root"), tree.Size(), root)
		}
		h := x.open(t, ans.get("auditTree.latestHead.note"))
		if h.Size != second.Size || h.Root != second.Root || audInt(ans.get("auditTree.latestHead.size")) != second.Size ||
			ans.get("auditTree.latestHead.root") != second.Root.String() || audInt(ans.get("auditTree.latestHead.leafIndex")) != second.Size ||
			ans.get("auditTree.latestHead.publicKey") != x.key.Key() {
			t.Errorf("latest head %+v, signed %+v", ans.get("auditTree.latestHead"), second)
		}
		if at, err := time.Parse(time.RFC3339Nano, ans.get("auditTree.latestHead.signedAt").(string)); err != nil || !at.Equal(second.SignedAt) {
			t.Errorf("signed at %v, the head says %s", ans.get("auditTree.latestHead.signedAt"), second.SignedAt)
		}
	})

	t.Run("heads_page_by_page", func(t *testing.T) {
		page := x.ok(t, auditor, audHeadsQuery, map[string]any{"first": 1})
		heads := page.list("treeHeads.heads")
		cursor, _ := page.get("treeHeads.endCursor").(string)
		if len(heads) != 1 || cursor == "" || x.open(t, heads[0].(map[string]any)["note"]).Size != first.Size {
			t.Fatalf("first page %+v", page.Data)
		}
		page = x.ok(t, auditor, audHeadsQuery, map[string]any{"first": 1, "after": cursor})
		heads = page.list("treeHeads.heads")
		if len(heads) != 1 || x.open(t, heads[0].(map[string]any)["note"]).Size != second.Size {
			t.Fatalf("second page %+v", page.Data)
		}
		page = x.ok(t, auditor, audHeadsQuery, map[string]any{"first": 1, "after": page.get("treeHeads.endCursor")})
		if len(page.list("treeHeads.heads")) != 0 || page.get("treeHeads.endCursor") != nil {
			t.Fatalf("third page %+v", page.Data)
		}
		all := x.ok(t, auditor, `{ treeHeads { heads { size } endCursor } }`, nil)
		if len(all.list("treeHeads.heads")) != 2 || all.get("treeHeads.endCursor") != nil {
			t.Fatalf("all heads %+v", all.Data)
		}
	})

	t.Run("heads_with_first_left_to_its_default_through_a_variable", func(t *testing.T) {
		// A client that declares $first and leaves it out (or sends null) gets
		// the default page, as the schema's `first: Int = 20` promises.
		for name, vars := range map[string]map[string]any{"absent": nil, "null": {"first": nil}} {
			ans := x.ask(t, auditor, audHeadsQuery, vars)
			if len(ans.Errors) > 0 {
				t.Fatalf("a $first that is %s fails with %q instead of giving the default 20 heads", name, ans.Errors[0].Message)
			}
			if len(ans.list("treeHeads.heads")) != 2 {
				t.Fatalf("$first %s: %+v", name, ans.Data)
			}
		}
	})

	t.Run("inclusion_in_the_latest_head", func(t *testing.T) {
		ans := x.ok(t, auditor, audIncludeQuery, map[string]any{"id": event.ID})
		head := x.open(t, ans.get("inclusionProof.head.note"))
		leaf, err := audit.LeafOf(ans.get("inclusionProof.eventHash").(string))
		if err != nil || ans.get("inclusionProof.eventHash") != event.Hash || ans.get("inclusionProof.eventId") != event.ID {
			t.Fatalf("event %+v: %v", ans.get("inclusionProof"), err)
		}
		index := audInt(ans.get("inclusionProof.leafIndex"))
		if index != int64(event.Position.Commit-1) || audInt(ans.get("inclusionProof.treeSize")) != second.Size || head.Size != second.Size {
			t.Fatalf("proof of %+v", ans.get("inclusionProof"))
		}
		if err := audit.CheckInclusion(audHashes(t, ans.get("inclusionProof.hashes")), head, index, leaf); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("inclusion_in_an_earlier_head", func(t *testing.T) {
		ans := x.ok(t, auditor, audIncludeQuery, map[string]any{"id": event.ID, "size": first.Size})
		head := x.open(t, ans.get("inclusionProof.head.note"))
		leaf, _ := audit.LeafOf(event.Hash)
		if head.Size != first.Size {
			t.Fatalf("head %+v", head)
		}
		if err := audit.CheckInclusion(audHashes(t, ans.get("inclusionProof.hashes")), head, audInt(ans.get("inclusionProof.leafIndex")), leaf); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("consistency_between_the_heads", func(t *testing.T) {
		ans := x.ok(t, auditor, audConsistQuery, map[string]any{"from": first.Size, "to": second.Size})
		if ans.get("consistencyProof.fromRoot") != first.Root.String() || ans.get("consistencyProof.toRoot") != second.Root.String() {
			t.Fatalf("roots %+v", ans.get("consistencyProof"))
		}
		proof := audHashes(t, ans.get("consistencyProof.hashes"))
		if err := audit.CheckConsistency(proof, first, second); err != nil {
			t.Fatal(err)
		}
		if len(proof) == 0 {
			t.Fatal("an empty proof between two different sizes")
		}
	})

	t.Run("bad_input_is_refused", func(t *testing.T) {
		for _, c := range []struct {
			name, reason, q string
			vars            map[string]any
		}{
			{"first_zero", "first.out_of_range", audHeadsQuery, map[string]any{"first": 0}},
			{"first_too_many", "first.out_of_range", audHeadsQuery, map[string]any{"first": MaxPageSize + 1}},
			{"after_not_a_cursor", "after.malformed", audHeadsQuery, map[string]any{"first": 1, "after": "%%%"}},
			{"after_another_cursor", "after.malformed", audHeadsQuery, map[string]any{"first": 1,
				"after": base64.RawURLEncoding.EncodeToString([]byte("case:3"))}},
			{"after_a_negative_leaf", "after.malformed", audHeadsQuery, map[string]any{"first": 1,
				"after": base64.RawURLEncoding.EncodeToString([]byte("head:-1"))}},
			{"tree_too_small_for_the_event", "tree_size.too_small", audIncludeQuery, map[string]any{"id": event.ID, "size": event.Position.Commit - 1}},
			{"tree_beyond_the_log", "tree_size.beyond_tree", audIncludeQuery, map[string]any{"id": event.ID, "size": second.Size + 5}},
			{"event_no_head_covers_yet", "tree_size.not_signed_yet", audIncludeQuery, map[string]any{"id": recs[len(recs)-1].ID}},
			{"consistency_from_zero", "tree_size.out_of_range", audConsistQuery, map[string]any{"from": 0, "to": second.Size}},
			{"consistency_backwards", "tree_size.out_of_range", audConsistQuery, map[string]any{"from": second.Size, "to": first.Size}},
			{"consistency_beyond_the_log", "tree_size.out_of_range", audConsistQuery, map[string]any{"from": first.Size, "to": second.Size + 5}},
		} {
			t.Run(c.name, func(t *testing.T) { x.refused(t, CodeBadUserInput, c.reason, auditor, c.q, c.vars) })
		}
	})

	t.Run("an_unknown_event_has_no_proof", func(t *testing.T) {
		ans := x.ok(t, auditor, audIncludeQuery, map[string]any{"id": "00000000-0000-4000-8000-000000000000"})
		if ans.get("inclusionProof") != nil {
			t.Fatalf("a proof for no event: %+v", ans.Data)
		}
	})

	t.Run("a_caller_without_a_token_is_refused", func(t *testing.T) {
		for name, c := range map[string]struct {
			q    string
			vars map[string]any
		}{
			"auditTree":        {`{ auditTree { size } }`, nil},
			"treeHeads":        {audHeadsQuery, map[string]any{"first": 1}},
			"inclusionProof":   {audIncludeQuery, map[string]any{"id": event.ID}},
			"consistencyProof": {audConsistQuery, map[string]any{"from": first.Size, "to": second.Size}},
		} {
			t.Run(name, func(t *testing.T) { x.refused(t, CodeUnauthenticated, "", "", c.q, c.vars) })
		}
	})
}
