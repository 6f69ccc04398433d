package ocds

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// sharedOCDS returns the directory of the official OCDS 1.1.5 files, found by
// walking up from the working directory to the first directory with
// shared/ocds/1.1.5/release-schema.json in it (beside the repository root).
func sharedOCDS(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatalf("sharedOCDS: working directory: %v", err)
	}
	for dir := wd; ; {
		candidate := filepath.Join(dir, "shared", "ocds", "1.1.5")
		if _, err := os.Stat(filepath.Join(candidate, "release-schema.json")); err == nil {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("sharedOCDS: no shared/ocds/1.1.5/release-schema.json in %s or any directory above it; "+
				"the official OCDS 1.1.5 schema is expected in ../shared/ocds/1.1.5 beside the repository root", wd)
		}
		dir = parent
	}
}

func releaseSchema115(t testing.TB) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(sharedOCDS(t), "release-schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func ruleKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		if v {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func sameRules(t *testing.T, got, want MergeRules) {
	t.Helper()
	for _, c := range []struct {
		name      string
		got, want map[string]bool
	}{
		{"OmitWhenMerged", got.OmitWhenMerged, want.OmitWhenMerged},
		{"WholeListMerge", got.WholeListMerge, want.WholeListMerge},
		{"VersionID", got.VersionID, want.VersionID},
	} {
		if g, w := ruleKeys(c.got), ruleKeys(c.want); !reflect.DeepEqual(g, w) {
			t.Errorf("%s:\n got  %s\n want %s", c.name, strings.Join(g, ", "), strings.Join(w, ", "))
		}
	}
}

func TestRules115MatchTheOfficialSchema(t *testing.T) {
	derived, err := RulesFromSchema(releaseSchema115(t))
	if err != nil {
		t.Fatal(err)
	}
	sameRules(t, Rules115(), derived)
}

func TestRules115_when_called_twice_then_the_maps_are_not_shared(t *testing.T) {
	a := Rules115()
	a.WholeListMerge["tender.items"] = true
	if Rules115().WholeListMerge["tender.items"] {
		t.Fatal("a change to one Rules115 result shows in the next")
	}
}

// The 21 wholeListMerge paths below are what ocdsmerge 0.8.0
// (get_merge_rules) derives from the 1.1.5 schema; written out here so that a
// change in either derivation shows.
func TestRulesFromSchema_given_the_115_schema_then_the_paths_are_those_of_ocdsmerge(t *testing.T) {
	r, err := RulesFromSchema(releaseSchema115(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"awards.amendment.changes", "awards.amendments.changes", "awards.items.additionalClassifications",
		"awards.suppliers.additionalIdentifiers", "buyer.additionalIdentifiers", "contracts.amendment.changes",
		"contracts.amendments.changes", "contracts.implementation.transactions.payee.additionalIdentifiers",
		"contracts.implementation.transactions.payer.additionalIdentifiers", "contracts.items.additionalClassifications",
		"contracts.relatedProcesses.relationship", "parties.additionalIdentifiers", "parties.roles",
		"relatedProcesses.relationship", "tender.additionalProcurementCategories", "tender.amendment.changes",
		"tender.amendments.changes", "tender.items.additionalClassifications", "tender.procuringEntity.additionalIdentifiers",
		"tender.submissionMethod", "tender.tenderers.additionalIdentifiers",
	}
	if got := ruleKeys(r.WholeListMerge); !reflect.DeepEqual(got, want) {
		t.Errorf("wholeListMerge:\n got  %v\n want %v", got, want)
	}
	if got := ruleKeys(r.OmitWhenMerged); !reflect.DeepEqual(got, []string{"date", "id", "tag"}) {
		t.Errorf("omitWhenMerged: %v", got)
	}
	for _, p := range []string{"tender.id", "parties.identifier.id", "tender.items.unit.id"} {
		if !r.VersionID[p] {
			t.Errorf("versionId: %s missing", p)
		}
	}
	for _, p := range []string{"parties.additionalIdentifiers.id", "awards.id"} {
		if r.VersionID[p] {
			t.Errorf("versionId: %s listed", p)
		}
	}
}

func TestRulesFromSchema_given_each_keyword_then_the_rule_follows_ocdsmerge(t *testing.T) {
	schema := `{
	  "definitions": {
	    "Thing": {"type": "object", "properties": {
	      "id": {"type": "string", "versionId": true},
	      "codes": {"type": "array", "items": {"type": "string"}},
	      "notes": {"type": "array", "items": {"type": "object", "properties": {"text": {"type": "string"}}}},
	      "parts": {"type": "array", "items": {"$ref": "#/definitions/Part"}},
	      "secret": {"type": "string", "omitWhenMerged": true},
	      "kept": {"type": "string", "omitWhenMerged": false}
	    }},
	    "Part": {"type": "object", "properties": {
	      "id": {"type": ["string", "integer"]},
	      "tags": {"type": ["array", "null"], "wholeListMerge": true, "items": {"$ref": "#/definitions/Part"}}
	    }}
	  },
	  "properties": {
	    "id": {"type": "string", "omitWhenMerged": true},
	    "old": {"type": "string", "mergeStrategy": "ocdsOmit"},
	    "oldList": {"type": "array", "mergeStrategy": "ocdsVersion", "items": {"type": "object", "properties": {"id": {}}}},
	    "thing": {"$ref": "#/definitions/Thing", "omitWhenMerged": true},
	    "things": {"type": "array", "items": {"$ref": "#/definitions/Thing"}},
	    "untyped": {"items": {"type": "string"}},
	    "mixed": {"type": "array", "items": {"type": ["object", "null"], "properties": {"id": {}}}},
	    "tuple": {"type": "array", "items": [{"type": "string"}]},
	    "~odd/name": {"$ref": "#/definitions/~0~1"}
	  }
	}`
	schema = strings.Replace(schema, `"definitions": {`, `"definitions": {"~/": {"type": "object", "properties": {"x": {"type": "array", "items": {"type": "number"}}}},`, 1)
	r, err := RulesFromSchema([]byte(schema))
	if err != nil {
		t.Fatal(err)
	}
	sameRules(t, r, MergeRules{
		OmitWhenMerged: ruleSet("id", "old", "things.secret", "thing.secret"),
		// "thing" carries omitWhenMerged beside its $ref, which (as in jsonref)
		// is ignored; so Thing's rules apply under "thing" too.
		WholeListMerge: ruleSet("oldList", "things.codes", "things.notes", "things.parts.tags",
			"thing.codes", "thing.notes", "thing.parts.tags", "mixed", "~odd/name.x"),
		VersionID: ruleSet("things.id", "thing.id"),
	})
}

func TestRulesFromSchema_given_a_bad_schema_then_it_says_what_is_wrong(t *testing.T) {
	for _, c := range []struct{ name, schema, want string }{
		{"not json", `{`, "release schema"},
		{"not an object", `[]`, "not a JSON object"},
		{"no properties", `{}`, `no top-level "properties"`},
		{"remote ref", `{"properties": {"a": {"$ref": "https://example.com/s.json#/x"}}}`, "not local"},
		{"dangling ref", `{"properties": {"a": {"$ref": "#/definitions/Nope"}}}`, "points at nothing"},
		{"ref cycle", `{"definitions": {"A": {"type": "object", "properties": {"a": {"$ref": "#/definitions/A"}}}}, "properties": {"a": {"$ref": "#/definitions/A"}}}`, "cyclic"},
		{"field not an object", `{"properties": {"a": true}}`, "is not an object"},
		{"properties not an object", `{"properties": {"a": {"type": "object", "properties": []}}}`, "are not an object"},
		{"two values", `{} {}`, "more than one"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := RulesFromSchema([]byte(c.schema))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one saying %q", err, c.want)
			}
		})
	}
}
