package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/felles/felles/audit/ocds"
	"github.com/felles/felles/audit/ocds/ocdsvalidate"
)

// openData checks the case as open data once the partnership is closed
// (issue 8): the packages served over HTTP, through GraphQL and by the export
// are the same bytes, validate against the official OCDS 1.1.5 schemas with
// codes from the official codelists, hold a release for every stage, and
// hold none of the case's confidential data.
func (p *partnership) openData(t *testing.T) {
	f := p.f.with(t)
	dir, err := ocdsvalidate.Dir()
	if err != nil {
		t.Fatal(err)
	}
	v, err := ocdsvalidate.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	get := func(t *testing.T, path string) []byte {
		t.Helper()
		resp, err := http.Get("http://" + f.srv.addr + path) // open data: no token
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
		}
		return body
	}
	releases, records := get(t, "/ocds/releases/"+p.id), get(t, "/ocds/records/"+p.id)

	t.Run("the_packages_validate_against_the_official_schemas_and_codelists", func(t *testing.T) {
		if err := v.ReleasePackage(releases); err != nil {
			t.Errorf("release package: %v", err)
		}
		if err := v.RecordPackage(records); err != nil {
			t.Errorf("record package: %v", err)
		}
		for name, doc := range map[string][]byte{"release package": releases, "record package": records} {
			if err := v.Codelists(doc, ocds.CodelistAdditions); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		all := get(t, "/ocds/releases")
		if err := v.ReleasePackage(all); err != nil {
			t.Errorf("the package of every case: %v", err)
		}
		if err := v.RecordPackage(get(t, "/ocds/records")); err != nil {
			t.Errorf("the record package of every case: %v", err)
		}
	})

	t.Run("every_stage_is_published", func(t *testing.T) {
		var pkg struct {
			Releases []struct {
				ID  string   `json:"id"`
				Tag []string `json:"tag"`
			} `json:"releases"`
		}
		if err := json.Unmarshal(releases, &pkg); err != nil {
			t.Fatal(err)
		}
		var tags []string
		for _, r := range pkg.Releases {
			tags = append(tags, r.Tag...)
		}
		for _, want := range []string{"planning", "planningUpdate", "tender", "tenderUpdate", "award", "awardUpdate", "contract",
			"contractUpdate", "implementation", "implementationUpdate", "contractTermination"} {
			if !slices.Contains(tags, want) {
				t.Errorf("no %s release among %v", want, tags)
			}
		}
	})

	t.Run("http_graphql_and_the_export_give_the_same_bytes_every_time", func(t *testing.T) {
		f := f.with(t)
		if again := get(t, "/ocds/releases/"+p.id); !bytes.Equal(again, releases) {
			t.Error("two reads of the release package differ")
		}
		if again := get(t, "/ocds/records/"+p.id); !bytes.Equal(again, records) {
			t.Error("two reads of the record package differ")
		}
		r := f.ok(p.admin["bergen"], ipCaseQ(`openData { ocid releasePackage recordPackage }`), p.vars())
		if r.get("procurement.openData.releasePackage") != string(releases) || r.get("procurement.openData.recordPackage") != string(records) {
			t.Error("GraphQL's openData differs from the HTTP packages")
		}
		if !strings.HasSuffix(r.get("procurement.openData.ocid").(string), "-"+p.id) {
			t.Errorf("the ocid ends with the case ID: %v", r.get("procurement.openData.ocid"))
		}
		cfg := ocds.DefaultConfig
		cfg.BaseURL = "http://" + f.srv.addr
		for format, want := range map[string][]byte{"ocds-releases": releases, "ocds-records": records} {
			var out bytes.Buffer
			if err := exportOCDS(context.Background(), f.srv.sys.store, cfg, format, p.id, &out); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("felles export --format %s differs from what the server serves", format)
			}
		}
	})

	t.Run("nothing_confidential_leaves", func(t *testing.T) {
		secrets := []string{ipEvaluator, "Vurdert mot kravspesifikasjonen", "Panelets samlede vurdering", "bankid:", "-lead-signatory",
			"oslo-lead", "myNeedsDraft"}
		for _, s := range p.tenders {
			secrets = append(secrets, s.canary)
		}
		for _, s := range p.bids {
			secrets = append(secrets, s.canary)
		}
		for name, doc := range map[string][]byte{"release package": releases, "record package": records} {
			for _, s := range secrets {
				if s != "" && bytes.Contains(doc, []byte(s)) {
					t.Errorf("the %s holds %q", name, s)
				}
			}
		}
	})

	t.Run("time_travel_shows_the_releases_published_by_then", func(t *testing.T) {
		f := f.with(t)
		var now struct {
			Releases []json.RawMessage `json:"releases"`
		}
		_ = json.Unmarshal(releases, &now)
		r := f.ok(p.hub, `query($id: ID!) { procurement(id: $id, atRevision: 40) { openData { releasePackage } } }`, p.vars())
		var then struct {
			Releases []json.RawMessage `json:"releases"`
		}
		if err := json.Unmarshal([]byte(r.get("procurement.openData.releasePackage").(string)), &then); err != nil {
			t.Fatal(err)
		}
		if len(then.Releases) == 0 || len(then.Releases) >= len(now.Releases) {
			t.Fatalf("as of revision 40 the case had published %d of its %d releases", len(then.Releases), len(now.Releases))
		}
		for i, rel := range then.Releases {
			if !bytes.Equal(rel, now.Releases[i]) {
				t.Fatalf("release %d changed since it was published:\n%s\n%s", i, rel, now.Releases[i])
			}
		}
	})

	t.Run("a_case_that_does_not_exist_is_404_and_a_bad_id_400", func(t *testing.T) {
		for path, want := range map[string]int{"/ocds/releases/0193e1a4-7c2b-7d3e-9f00-00000000dead": 404, "/ocds/records/nope": 400} {
			resp, err := http.Get("http://" + f.srv.addr + path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != want || len(body) == 0 {
				t.Errorf("GET %s: %d %s, want %d with the reason", path, resp.StatusCode, body, want)
			}
		}
	})
}
