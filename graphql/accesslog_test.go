package graphql

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/accesslog"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/policies"
	"github.com/felles/felles/vault"
)

// Reads of confidential fields through the API are recorded in the case's
// access log (DOMAIN.md §5; graphql/accesslog.go), and Procurement.accessLog
// shows the log with each record's place in the hash chain. The case is the
// award views' case (award_fixture_test.go) taken to two scored tenders, one
// evaluator locked and a clarification answered.

const (
	aclClarificationsQ = `query($id: ID!) { procurement(id: $id) { evaluation { clarifications { id question answer } } } }`
	aclScoresQ         = `query($id: ID!) { procurement(id: $id) { evaluation { tenders { bidId cells { criterion scores { evaluator score } } } } } }`
	aclLocksQ          = `query($id: ID!) { procurement(id: $id) { evaluation { tenders { bidId } locks { evaluator } } } }`
	aclLogQ            = `query($id: ID!) { procurement(id: $id) { accessLog { user organisation { id } resource subject class purpose granted at
		eventId revision position hash prevHash } } }`
	aclSealedQ = `query($id: ID!) { procurement(id: $id) { sealedAccessLog { user organisation { id } bidId resource class purpose granted at } } }`
	aclSecret  = "acl-secret-unit-price 4 250 NOK"
)

// aclCase is the award system with the case ready for confidential reads.
type aclCase struct {
	*awardSystem
	acme, nordic string
	requests     int
}

func newAclCase(t *testing.T) *aclCase {
	t.Helper()
	x := newAwardSystem(t)
	lead, bergenEva, osloEva := leadReader.principal(), bergenEvaluator.principal(), osloEvaluator.principal()
	x.at(awardDay(60, 9))
	x.submit("acme")
	x.submit("nordic")
	x.at(awardPlan.TenderDeadline)
	if _, err := x.cases.CloseReceipt(t.Context(), platform, app.CommandMeta{CommandID: "close"}, x.caseID); err != nil {
		t.Fatal(err)
	}
	x.at(awardPlan.OpeningAt)
	if _, err := x.bids.Open(t.Context(), lead, app.CommandMeta{CommandID: "open"}, x.caseID); err != nil {
		t.Fatal(err)
	}
	c := &aclCase{awardSystem: x, acme: x.bidOf["acme"], nordic: x.bidOf["nordic"]}
	x.at(awardDay(91, 9))
	for _, ev := range []app.Principal{bergenEva, osloEva} {
		x.run(ev, func(at time.Time) procurement.Command { return procurement.DeclareConflictOfInterest{By: ev, At: at} })
		for _, bid := range []string{c.acme, c.nordic} {
			for _, crit := range []string{"price", "quality"} {
				x.run(ev, func(at time.Time) procurement.Command {
					return procurement.ScoreBid{BidID: bid, Criterion: crit, Score: 7, Justification: "acl", By: ev, At: at}
				})
			}
		}
	}
	x.run(bergenEva, func(at time.Time) procurement.Command { return procurement.LockScores{By: bergenEva, At: at} })
	x.run(lead, func(at time.Time) procurement.Command {
		return procurement.RequestClarification{ClarificationID: "acl-1", BidID: c.acme, Question: "Confirm the unit price.", By: lead, At: at}
	})
	acmeSales := app.Principal{User: "acme-sales", Org: "acme"}
	x.run(acmeSales, func(at time.Time) procurement.Command {
		return procurement.AnswerClarification{ClarificationID: "acl-1", Answer: aclSecret, By: acmeSales, At: at}
	})
	return c
}

// aclRecords is the case's access log as the store holds it.
func (c *aclCase) aclRecords() []eventstore.Record {
	c.t.Helper()
	recs, err := c.store.ReadStream(context.Background(), accesslog.StreamID(c.caseID), 0, 0)
	if err != nil {
		c.t.Fatal(err)
	}
	return recs
}

func aclDecode(t *testing.T, r eventstore.Record) accesslog.Logged {
	t.Helper()
	ev, ok, err := accesslog.Events().Decode(r.Type, r.SchemaVersion, r.Data)
	x, isLogged := ev.(accesslog.Logged)
	if err != nil || !ok || !isLogged {
		t.Fatalf("%s is not AccessLogged: %v", r.Type, err)
	}
	return x
}

// aclAsk posts q to api as r with a correlation ID of its own and answers the
// raw body, the decoded answer and the correlation ID.
func (c *aclCase) aclAsk(api *Server, r reader, q string) (string, gqlAnswer, string) {
	c.t.Helper()
	c.views()
	c.requests++
	correlation := "acl-request-" + strconv.Itoa(c.requests)
	token, err := c.tokens.Mint(r.user, r.org, time.Hour, time.Now())
	if err != nil {
		c.t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"id": c.caseID}})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("X-Correlation-ID", correlation)
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, req)
	var ans gqlAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
		c.t.Fatalf("not JSON: %s", rec.Body.String())
	}
	return rec.Body.String(), ans, correlation
}

// aclRead asks the case's API and fails on any error.
func (c *aclCase) aclRead(r reader, q string) (gqlAnswer, string) {
	c.t.Helper()
	raw, ans, correlation := c.aclAsk(c.api, r, q)
	if len(ans.Errors) > 0 {
		c.t.Fatalf("%s: %s", r, raw)
	}
	return ans, correlation
}

// aclNew is what a read appended to the access log.
func (c *aclCase) aclNew(before int) []eventstore.Record { return c.aclRecords()[before:] }

func TestConfidentialFieldReadsAreRecorded(t *testing.T) {
	c := newAclCase(t)

	for _, field := range []struct {
		name, q, resource, class string
		readers, nobody          []reader // who gets data; who gets nothing
	}{
		{"clarifications", aclClarificationsQ, resClarifications, "COMMERCIAL_CONF",
			[]reader{leadReader, auditorReader}, []reader{hubReader, bergenAdmin, osloAdmin, bergenEvaluator}},
		// bergen-eva has locked, oslo-eva has not: the lead and auditors see
		// bergen-eva's scores; each evaluator sees only its own (not recorded).
		{"scores", aclScoresQ, resScores, "EVALUATOR_PRIVATE",
			[]reader{leadReader, auditorReader}, []reader{hubReader, bergenAdmin, osloAdmin, bergenEvaluator, osloEvaluator}},
	} {
		t.Run("a_read_of_"+field.name+"_by_the_lead_or_an_auditor_appends_one_record_for_the_whole_field", func(t *testing.T) {
			for _, r := range field.readers {
				before := len(c.aclRecords())

				_, correlation := c.aclRead(r, field.q)

				recs := c.aclNew(before)
				if len(recs) != 1 {
					t.Fatalf("%s: want one record, got %d", r, len(recs))
				}
				got := aclDecode(t, recs[0])
				if got.User != r.user || got.Org != r.org || got.CaseID != c.caseID || got.Resource != field.resource ||
					got.Class != field.class || got.Subject != c.caseID || got.Purpose != "graphql read" || !got.Granted ||
					!got.At.Equal(c.clock.now()) {
					t.Errorf("%s: record %+v", r, got)
				}
				if recs[0].Metadata.CorrelationID != correlation || recs[0].Metadata.User != r.user {
					t.Errorf("%s: the record's metadata %+v does not lead to request %s", r, recs[0].Metadata, correlation)
				}
			}
		})
		t.Run("a_read_of_"+field.name+"_that_shows_nothing_or_only_ones_own_appends_nothing", func(t *testing.T) {
			for _, r := range field.nobody {
				before := len(c.aclRecords())
				c.aclRead(r, field.q)
				if recs := c.aclNew(before); len(recs) != 0 {
					t.Errorf("%s: %d records for a read that showed nothing of others: %+v", r, len(recs), aclDecode(t, recs[0]))
				}
			}
		})
	}

	t.Run("a_query_that_does_not_select_the_confidential_field_appends_nothing", func(t *testing.T) {
		before := len(c.aclRecords())
		c.aclRead(leadReader, aclLocksQ)
		if recs := c.aclNew(before); len(recs) != 0 {
			t.Errorf("the lead read only the locks, yet %d records", len(recs))
		}
	})

	t.Run("the_records_are_in_the_log_with_a_valid_hash_chain", func(t *testing.T) {
		recs := c.aclRecords()
		if len(recs) == 0 {
			t.Fatal("no records")
		}
		if err := eventstore.VerifyChain(recs); err != nil {
			t.Fatal(err)
		}
	})
}

func TestProcurementAccessLog(t *testing.T) {
	c := newAclCase(t)
	c.aclRead(auditorReader, aclClarificationsQ)
	recs := c.aclRecords()

	t.Run("the_lead_and_an_auditor_see_every_record_with_its_place_in_the_chain", func(t *testing.T) {
		for _, r := range []reader{leadReader, auditorReader} {
			a, _ := c.aclRead(r, aclLogQ)
			got := a.list("procurement.accessLog")
			if len(got) != len(recs) {
				t.Fatalf("%s sees %d records, the log holds %d", r, len(got), len(recs))
			}
			for i, x := range got {
				m, want := x.(map[string]any), aclDecode(t, recs[i])
				if m["eventId"] != recs[i].ID || m["revision"] != float64(recs[i].Revision) || m["position"] != recs[i].Position.String() ||
					m["hash"] != recs[i].Hash || m["prevHash"] != recs[i].PrevHash {
					t.Errorf("%s: record %d %v does not point at its event", r, i, m)
				}
				if m["user"] != want.User || m["organisation"].(map[string]any)["id"] != want.Org || m["resource"] != want.Resource ||
					m["class"] != want.Class || m["purpose"] != want.Purpose || m["granted"] != want.Granted {
					t.Errorf("%s: record %d %v, the log says %+v", r, i, m, want)
				}
			}
			last := got[len(got)-1].(map[string]any)
			if last["user"] != "auditor" || last["resource"] != resClarifications || last["class"] != "COMMERCIAL_CONF" {
				t.Errorf("%s: the auditor's read is not the last record: %v", r, last)
			}
			first := got[0].(map[string]any)
			if first["resource"] != "bid/"+c.acme+"/content" && first["resource"] != "bid/"+c.nordic+"/content" ||
				first["class"] != "SEALED" || first["purpose"] != "hash verification at the opening" {
				t.Errorf("%s: the opening's verification is not first: %v", r, first)
			}
		}
	})

	t.Run("a_member_the_hub_and_an_evaluator_see_an_empty_log", func(t *testing.T) {
		for _, r := range []reader{bergenAdmin, osloAdmin, hubReader, bergenEvaluator} {
			a, _ := c.aclRead(r, aclLogQ)
			if got := a.list("procurement.accessLog"); len(got) != 0 {
				t.Errorf("%s sees the access log: %v", r, got)
			}
		}
	})

	t.Run("reading_the_access_log_records_nothing", func(t *testing.T) {
		before := len(c.aclRecords())
		c.aclRead(auditorReader, aclLogQ)
		c.aclRead(leadReader, aclSealedQ)
		if n := len(c.aclRecords()); n != before {
			t.Errorf("reading the access log appended %d records", n-before)
		}
	})

	t.Run("the_sealed_access_log_shows_only_the_sealed_content_records", func(t *testing.T) {
		a, _ := c.aclRead(leadReader, aclSealedQ)
		got := a.list("procurement.sealedAccessLog")
		if len(got) != 2 { // the two verifications at the opening
			t.Fatalf("want the two verifications, got %v", got)
		}
		for _, x := range got {
			m := x.(map[string]any)
			if m["class"] != "SEALED" || m["resource"] != "bid/"+m["bidId"].(string)+"/content" || m["user"] != "oslo-lead" || m["granted"] != true {
				t.Errorf("sealed access %v", m)
			}
		}
	})
}

// aclRefusingStore refuses every append to an access-log stream.
type aclRefusingStore struct{ eventstore.Store }

func (s aclRefusingStore) Append(ctx context.Context, stream string, e eventstore.Expected, evs []eventstore.EventData) (eventstore.AppendResult, error) {
	if accesslog.IsStream(stream) {
		return eventstore.AppendResult{}, io.ErrClosedPipe
	}
	return s.Store.Append(ctx, stream, e, evs)
}

func TestAReadThatCannotBeRecordedReturnsNoData(t *testing.T) {
	c := newAclCase(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	enforcer, err := policies.NewEnforcer(t.Context(), policies.GrantSourceFunc(func(context.Context) ([]policies.Grant, error) {
		return awardGrants, nil
	}), log)
	if err != nil {
		t.Fatal(err)
	}
	d, err := app.NewDispatcher(aclRefusingStore{c.store}, commandsOpen{enforcer}, c.clock.now, log)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := vault.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sealed.Close() })
	cases := app.NewProcurements(d)
	api, err := NewServer(Deps{Dispatcher: d, Cases: cases, Orgs: app.NewOrganisations(d), Bids: app.NewBids(cases, sealed),
		Views: c.runner, Roles: enforcer, Tokens: c.tokens, Log: log})
	if err != nil {
		t.Fatal(err)
	}

	for _, q := range []struct{ name, query, secret string }{
		{"clarifications", aclClarificationsQ, aclSecret},
		{"scores", aclScoresQ, `"evaluator":"bergen-eva"`},
	} {
		t.Run("the_"+q.name+"_are_withheld_and_the_answer_is_an_error", func(t *testing.T) {
			before := len(c.aclRecords())

			raw, ans, correlation := c.aclAsk(api, auditorReader, q.query)

			if len(ans.Errors) == 0 || ans.Errors[0].Extensions["code"] != CodeInternal ||
				!strings.Contains(ans.Errors[0].Message, correlation) {
				t.Errorf("want an internal error naming the correlation ID, got %s", raw)
			}
			if strings.Contains(raw, q.secret) {
				t.Errorf("the unrecorded read returned the data: %s", raw)
			}
			if ans.get("procurement.evaluation") != nil {
				t.Errorf("the evaluation was answered: %s", raw)
			}
			if n := len(c.aclRecords()); n != before {
				t.Errorf("%d records appended through a refusing store", n-before)
			}
		})
	}

	t.Run("a_read_that_needs_no_record_still_answers", func(t *testing.T) {
		raw, ans, _ := c.aclAsk(api, bergenAdmin, aclClarificationsQ)
		if len(ans.Errors) > 0 || ans.get("procurement.evaluation") == nil {
			t.Errorf("a member's read, which shows nothing confidential, failed: %s", raw)
		}
	})
}

// The negotiation rounds (COMMERCIAL_CONF) of a two-stage procedure, on a
// folded case (a two-stage procedure is long to drive through commands).
func TestNegotiationRoundReadsAreRecorded(t *testing.T) {
	x := newAwardSystem(t)
	s := procurement.Decider.Initial()
	for _, ev := range []procurement.Event{
		procurement.CaseCreated{ID: x.caseID, Hub: "hub", Jurisdiction: procurement.JurisdictionNO},
		procurement.MunicipalityInvited{Org: "oslo"}, procurement.MunicipalityJoined{Org: "oslo"},
		procurement.LeadAuthorityDesignated{Lead: "oslo"},
		procurement.NegotiationRoundHeld{Round: 1, Supplier: "acme", MinutesHash: awardHash("acl minutes acme 1")},
	} {
		s = procurement.Decider.Evolve(s, ev)
	}
	r := &resolver{Deps: Deps{Access: app.NewAccessLog(x.d)}}
	records := func() int {
		recs, err := x.store.ReadStream(t.Context(), accesslog.StreamID(x.caseID), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(recs)
	}
	for _, c := range []struct {
		r                      reader
		everything, leadSealed bool
		want                   int
	}{{leadReader, false, true, 1}, {auditorReader, true, false, 1}, {osloAdmin, false, false, 0}, {hubReader, false, false, 0}} {
		a := newAwardAccess(tenderAccess{p: c.r.principal(), everything: c.everything, caseOrg: true, lead: c.r.org == "oslo", leadSealed: c.leadSealed}, s)
		before := records()
		if err := r.recordQualificationReads(t.Context(), a); err != nil {
			t.Fatal(err)
		}
		if got := records() - before; got != c.want {
			t.Errorf("%s: %d records, want %d", c.r, got, c.want)
		}
	}
}
