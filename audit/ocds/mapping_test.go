package ocds

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

func TestEveryPublishableEventIsOneReleaseWithTheTagOfDomainSection6(t *testing.T) {
	l := wholeCase(t)
	rs := l.releases()
	byID := map[string]Release{}
	for _, r := range rs {
		byID[r.ID] = r
	}
	var got []string
	for _, rec := range l.recs {
		if r, ok := byID[rec.ID]; ok {
			got = append(got, rec.Type+":"+strings.Join(r.Tag, ","))
			if r.Date != stamp(rec.Metadata.OccurredAt) || r.OCID != DefaultConfig.OCID(testCase) || r.InitiationType != "tender" {
				t.Errorf("release %s: date %s ocid %s, want the event's occurred-at and the case's ocid", r.ID, r.Date, r.OCID)
			}
		}
	}
	want := []string{
		"CaseCreated:planning", "MunicipalityJoined:planningUpdate", "MunicipalityJoined:planningUpdate",
		"LeadAuthorityDesignated:planningUpdate", "CostSharesCalculated:planningUpdate", "ConsolidatedNeedsDecided:planningUpdate",
		"VolumeCommitted:planningUpdate", "VolumeCommitted:planningUpdate", "ContractNoticePublished:tender",
		"AnswerPublished:tenderUpdate", "TenderingClosed:tenderUpdate", "BidsOpened:tenderUpdate", "AwardNotificationSent:award",
		"ComplaintReceived:awardUpdate", "ReviewResolved:awardUpdate", "StandstillEnded:awardUpdate", "ContractSigned:contract",
		"AwardNoticePublished:contractUpdate", "PaymentRecorded:implementation", "MilestoneRecorded:contractUpdate",
		"ContractClosed:contractTermination",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("releases by event:\n got %q\nwant %q", got, want)
	}
}

func TestNothingConfidentialLeaves(t *testing.T) {
	l := wholeCase(t)
	ps := []Process{{CaseID: testCase, OCID: DefaultConfig.OCID(testCase), Releases: l.releases()}}
	rel, err := Encode(NewReleasePackage(DefaultConfig, "http://localhost/r", ps))
	if err != nil {
		t.Fatal(err)
	}
	recPkg, err := NewRecordPackage(DefaultConfig, "http://localhost/c", ps)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := Encode(recPkg)
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string][]byte{"release package": rel, "record package": rec} {
		for _, secret := range []string{secretDraft, secretSubmittedNeed, secretScoreWhy, secretClarification, secretPerson,
			secretMinutesHash, secretCostShare, "6281", secretAgreementTerm, "oslo-signer", "acme-ceo", "person-", "Feil i evalueringen",
			"Spørsmål fra Acme", "Forklar prisen"} {
			if bytes.Contains(doc, []byte(secret)) {
				t.Errorf("the %s holds %q", name, secret)
			}
		}
	}
	// The complainant is a tenderer, so its name is public; that it complained is not.
	for _, r := range ps[0].Releases {
		if slices.Contains(r.Tag, "awardUpdate") && r.Tender != nil {
			raw, _ := json.Marshal(r)
			if bytes.Contains(raw, []byte("Nordic")) {
				t.Errorf("the complaint's release names the complainant: %s", raw)
			}
		}
	}
}

func TestTenderersAndAwardsAreNamedOnlyOnceTheTenderersAreNotified(t *testing.T) {
	l := wholeCase(t)
	notified := false
	for _, r := range l.releases() {
		raw, _ := json.Marshal(r)
		if slices.Contains(r.Tag, "award") {
			notified = true
			if r.Tender == nil || len(r.Tender.Tenderers) != 2 || len(r.Awards) != 1 || r.Awards[0].Status != "pending" {
				t.Fatalf("the award release names both tenderers and the pending award: %s", raw)
			}
			continue
		}
		if !notified && (bytes.Contains(raw, []byte("Acme")) || bytes.Contains(raw, []byte("Nordic")) || len(r.Awards) > 0) {
			t.Fatalf("release %s (%v) names a supplier or an award before the notification: %s", r.ID, r.Tag, raw)
		}
	}
	if !notified {
		t.Fatal("no award release")
	}
}

func TestTheCompiledReleaseIsTheCaseAsThePublicKnowsItAtTheEnd(t *testing.T) {
	l := wholeCase(t)
	generic, err := toJSON(l.releases())
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(Rules115(), generic)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) string {
		var v any = map[string]any(c)
		for _, k := range strings.Split(path, ".") {
			switch x := v.(type) {
			case map[string]any:
				v = x[k]
			case []any:
				var i int
				fmt.Sscan(k, &i)
				if i >= len(x) {
					return "<missing>"
				}
				v = x[i]
			default:
				return "<missing>"
			}
		}
		return fmt.Sprint(v)
	}
	for path, want := range map[string]string{
		"tender.status":                                           "complete",
		"tender.procurementMethod":                                "open",
		"tender.mainProcurementCategory":                          "goods",
		"tender.value.amount":                                     "3000000.50",
		"tender.value.currency":                                   "NOK",
		"planning.budget.amount.amount":                           "3000000.50",
		"tender.numberOfTenderers":                                "2",
		"tender.awardCriteria":                                    "ratedCriteria",
		"tender.lots.0.awardCriteria.criteria.1.numbers.0.number": "70",
		"tender.enquiries.0.answer":                               "Per bruker per måned",
		"awards.0.status":                                         "active",
		"awards.0.value.amount":                                   "2900000",
		"contracts.0.status":                                      "terminated",
		"contracts.0.implementation.transactions.0.value.amount":  "125000.50",
		"contracts.0.milestones.0.status":                         "met",
		"buyer.name":                                              "Oslo kommune",
		"tag.0":                                                   "compiled",
		"bids.statistics.0.value":                                 "2",
	} {
		if got := get(path); got != want {
			t.Errorf("compiled %s = %s, want %s", path, got, want)
		}
	}
	roles := map[string]string{}
	for _, p := range c["parties"].([]any) {
		m := p.(map[string]any)
		roles[fmt.Sprint(m["name"])] = fmt.Sprint(m["roles"])
	}
	for name, want := range map[string]string{
		"Innkjøpssamarbeidet Vest":                       "[procurementServiceProvider]",
		"Oslo kommune":                                   "[buyer leadBuyer procuringEntity]",
		"Bergen kommune":                                 "[buyer payer]",
		"Acme Velferdsteknologi AS":                      "[supplier tenderer payee]",
		"Nordic Care AS":                                 "[tenderer]",
		"Klagenemnda for offentlige anskaffelser (KOFA)": "[reviewBody]",
	} {
		if roles[name] != want {
			t.Errorf("%s has roles %s, want %s (all: %v)", name, roles[name], want, roles)
		}
	}
	if id := get("buyer.id"); id != "NO-BRC-958935420" {
		t.Errorf("the lead is identified by its organisation number under NO-BRC, got %s", id)
	}
}

func TestTheSameLogGivesTheSameBytes(t *testing.T) {
	build := func() ([]byte, []byte) {
		l := wholeCase(t)
		ps := []Process{{CaseID: testCase, OCID: DefaultConfig.OCID(testCase), Releases: l.releases()}}
		rel, err := Encode(NewReleasePackage(DefaultConfig, "u", ps))
		if err != nil {
			t.Fatal(err)
		}
		pkg, err := NewRecordPackage(DefaultConfig, "u", ps)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := Encode(pkg)
		if err != nil {
			t.Fatal(err)
		}
		return rel, rec
	}
	r1, c1 := build()
	r2, c2 := build()
	if !bytes.Equal(r1, r2) || !bytes.Equal(c1, c2) {
		t.Fatal("two exports of the same log differ")
	}
}

func TestAReleaseNeverChangesWhenTheLogGrows(t *testing.T) {
	l := wholeCase(t)
	all := l.releases()
	for cut := 1; cut < len(l.recs); cut += 7 {
		part := &logBuilder{t: t, recs: l.recs[:cut], caseID: testCase}
		if !hasCase(part) {
			continue
		}
		early := part.releases()
		for i, r := range early {
			a, _ := json.Marshal(r)
			b, _ := json.Marshal(all[i])
			if !bytes.Equal(a, b) {
				t.Fatalf("release %s differs once the log grew past event %d:\n%s\n%s", r.ID, cut, a, b)
			}
		}
	}
}

func hasCase(l *logBuilder) bool {
	return slices.ContainsFunc(l.recs, func(r eventstore.Record) bool { return r.Type == "CaseCreated" })
}

func TestAWithdrawnMemberIsNoLongerABuyer(t *testing.T) {
	l := newLog(t).org("hub", "Hub", "", organisation.KindHub).org("bergen", "Bergen kommune", "964338531", organisation.KindMunicipality)
	l.events(procurement.CaseCreated{ID: testCase, Title: "T", Jurisdiction: procurement.JurisdictionNO, Hub: "hub"},
		procurement.MunicipalityJoined{Org: "bergen"}, procurement.MunicipalityWithdrawn{Org: "bergen", Reason: "budsjett"})
	rs := l.releases()
	last := rs[len(rs)-1]
	if len(last.Parties) != 1 || len(last.Parties[0].Roles) != 0 || last.Tag[0] != "planningUpdate" {
		t.Fatalf("the withdrawal's release gives bergen no role: %+v", last)
	}
	if bytes.Contains(mustJSON(t, last), []byte("budsjett")) {
		t.Fatal("the reason of a withdrawal is internal")
	}
	if rs[0].Parties[0].ID != "felles-hub" || rs[0].Parties[0].Identifier != nil {
		t.Fatalf("an organisation without a number is identified by its Felles ID: %+v", rs[0].Parties)
	}
}

func TestACancelledOrUnsuccessfulProcedureSaysSo(t *testing.T) {
	created := procurement.CaseCreated{ID: testCase, Title: "T", Jurisdiction: procurement.JurisdictionSE, Hub: "hub"}
	t.Run("cancelled", func(t *testing.T) {
		rs := newLog(t).events(created, procurement.ProcurementCancelled{Reason: "Behovet falt bort"}).releases()
		r := rs[len(rs)-1]
		if r.Tag[0] != "tenderCancellation" || r.Tender.Status != "cancelled" || r.Tender.Documents[0].Description != "Behovet falt bort" ||
			r.Language != "sv" {
			t.Fatalf("got %+v", r)
		}
	})
	t.Run("unsuccessful_with_a_successor", func(t *testing.T) {
		succ := "0193e1a4-7c2b-7d3e-9f00-000000000002"
		rs := newLog(t).events(created, procurement.ProcurementUnsuccessful{Reason: procurement.UnsuccessfulNoBids, SuccessorCaseID: succ}).releases()
		r := rs[len(rs)-1]
		if r.Tag[0] != "tenderUpdate" || r.Tender.Status != "unsuccessful" || len(r.RelatedProcesses) != 1 ||
			r.RelatedProcesses[0].Identifier != DefaultConfig.OCID(succ) {
			t.Fatalf("got %+v", r)
		}
	})
}

func TestBadInputIsRefusedWithTheReason(t *testing.T) {
	t.Run("an_event_that_does_not_decode", func(t *testing.T) {
		l := newLog(t)
		l.add("procurement-"+testCase, "CaseCreated", 1, []byte(`{"id": 7}`))
		log, _ := NewLog(DefaultConfig, nil)
		err := log.Add(l.recs[0])
		if err == nil || !strings.Contains(err.Error(), l.recs[0].ID) {
			t.Fatalf("the error names the event: %v", err)
		}
	})
	t.Run("an_event_before_the_case", func(t *testing.T) {
		l := newLog(t).events(procurement.MunicipalityJoined{Org: "x"})
		log, _ := NewLog(DefaultConfig, nil)
		if err := log.Add(l.recs[0]); err == nil || !strings.Contains(err.Error(), "before the case was created") {
			t.Fatalf("got %v", err)
		}
	})
	for _, c := range []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"a_prefix_not_of_ocds", func(c *Config) { c.OCIDPrefix = "felles" }, "ocid prefix"},
		{"no_publisher", func(c *Config) { c.Publisher.Name = " " }, "publisher"},
		{"a_base_url_without_scheme", func(c *Config) { c.BaseURL = "localhost:8080" }, "base URL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig
			c.edit(&cfg)
			if _, err := NewLog(cfg, nil); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error about the %s", err, c.want)
			}
		})
	}
}

func mustJSON(t testing.TB, v any) []byte {
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
