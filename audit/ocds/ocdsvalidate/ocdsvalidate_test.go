package ocdsvalidate

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestA_minimal_valid_release_package_passes(t *testing.T) {
	v := validator(t)
	minimal := encode(t, releasePackage(minimalRelease(1)))
	noErr(t, "ReleasePackage(minimal)", v.ReleasePackage(minimal))
	noErr(t, "Codelists(minimal)", v.Codelists(minimal, nil))

	full := fixture(t, "release-package.json")
	noErr(t, "ReleasePackage(fixture)", v.ReleasePackage(full))
	noErr(t, "Codelists(fixture)", v.Codelists(full, nil))
}

func TestA_valid_record_package_with_compiledRelease_and_versionedRelease_passes(t *testing.T) {
	v := validator(t)
	doc := fixture(t, "record-package.json")
	rec := obj(decode(t, doc), "records", 0)
	for _, k := range []string{"releases", "compiledRelease", "versionedRelease"} {
		if rec[k] == nil {
			t.Fatalf("fixture record has no %s", k)
		}
	}
	noErr(t, "RecordPackage", v.RecordPackage(doc))
	noErr(t, "Codelists", v.Codelists(doc, nil))
}

func TestA_record_package_with_embedded_releases_passes(t *testing.T) {
	v := validator(t)
	doc := embeddedRecordPackage(t, nil)
	noErr(t, "RecordPackage", v.RecordPackage(doc))
	noErr(t, "Codelists", v.Codelists(doc, nil))
}

// embeddedRecordPackage is the record package fixture whose record embeds the
// release of the release package fixture (changed by fn, if not nil) instead of
// linking to it.
func embeddedRecordPackage(t *testing.T, fn func(release map[string]any)) []byte {
	t.Helper()
	release := obj(decode(t, fixture(t, "release-package.json")), "releases", 0)
	if fn != nil {
		fn(release)
	}
	return mutate(t, fixture(t, "record-package.json"), func(m map[string]any) {
		obj(m, "records", 0)["releases"] = []any{release}
	})
}

// releaseFailures are broken releases; each must fail wherever a release
// appears: in a release package, as a record's compiledRelease and as a
// record's embedded release. field is the failing instance location relative to
// the release, keyword the failing schema keyword; codelist, if set, means
// Codelists must fail too, naming that CSV.
var releaseFailures = []struct {
	name     string
	change   func(r map[string]any)
	field    string
	keyword  string
	mention  string
	codelist string
}{
	{
		name:    "missing_ocid",
		change:  func(r map[string]any) { delete(r, "ocid") },
		field:   "", // required is reported on the release object itself
		keyword: "required",
		mention: "'ocid'",
	},
	{
		name:    "bad_date_format",
		change:  func(r map[string]any) { r["date"] = "2024-05-01 09:00" },
		field:   "/date",
		keyword: "format",
		mention: "date-time",
	},
	{
		name:     "wrong_tag_value",
		change:   func(r map[string]any) { r["tag"] = []any{"tendering"} },
		field:    "/tag/0",
		keyword:  "enum",
		mention:  "tendering",
		codelist: "closed codelist releaseTag.csv",
	},
	{
		name:     "unknown_closed_codelist_currency",
		change:   func(r map[string]any) { obj(r, "tender", "value")["currency"] = "ZZZ" },
		field:    "/tender/value/currency",
		keyword:  "enum",
		mention:  "ZZZ",
		codelist: "closed codelist currency.csv",
	},
	{
		name:     "unknown_closed_codelist_tender_status",
		change:   func(r map[string]any) { obj(r, "tender")["status"] = "openForBids" },
		field:    "/tender/status",
		keyword:  "enum",
		mention:  "openForBids",
		codelist: "closed codelist tenderStatus.csv",
	},
}

func TestRelease_package_failures_name_the_field(t *testing.T) {
	v := validator(t)
	for _, tc := range releaseFailures {
		t.Run(tc.name, func(t *testing.T) {
			doc := mutate(t, fixture(t, "release-package.json"), func(m map[string]any) {
				tc.change(obj(m, "releases", 0))
			})
			at := "/releases/0" + tc.field
			wantErr(t, v.ReleasePackage(doc), at+": "+tc.keyword+":", tc.mention, "release-schema.json#")
			if tc.codelist != "" {
				wantErr(t, v.Codelists(doc, nil), at+": ", tc.mention, tc.codelist)
			}
		})
	}
}

func TestRecord_package_failures_in_compiledRelease_name_the_field(t *testing.T) {
	v := validator(t)
	for _, tc := range releaseFailures {
		t.Run(tc.name, func(t *testing.T) {
			doc := mutate(t, fixture(t, "record-package.json"), func(m map[string]any) {
				tc.change(obj(m, "records", 0, "compiledRelease"))
			})
			at := "/records/0/compiledRelease" + tc.field
			wantErr(t, v.RecordPackage(doc), at+": "+tc.keyword+":", tc.mention, "release-schema.json#")
			if tc.codelist != "" {
				wantErr(t, v.Codelists(doc, nil), at+": ", tc.mention, tc.codelist)
			}
		})
	}
}

func TestRecord_package_failures_in_embedded_releases_name_the_field(t *testing.T) {
	v := validator(t)
	for _, tc := range releaseFailures {
		t.Run(tc.name, func(t *testing.T) {
			doc := embeddedRecordPackage(t, tc.change)
			at := "/records/0/releases/0" + tc.field
			wantErr(t, v.RecordPackage(doc), at+": "+tc.keyword+":", tc.mention, "release-schema.json#")
			if tc.codelist != "" {
				wantErr(t, v.Codelists(doc, nil), at+": ", tc.mention, tc.codelist)
			}
		})
	}
}

func TestA_record_package_whose_compiledRelease_has_a_bad_tender_status_fails(t *testing.T) {
	v := validator(t)
	doc := mutate(t, fixture(t, "record-package.json"), func(m map[string]any) {
		obj(m, "records", 0, "compiledRelease", "tender")["status"] = "ongoing"
	})
	err := v.RecordPackage(doc)
	wantErr(t, err, "/records/0/compiledRelease/tender/status: enum:", "release-schema.json#/definitions/Tender/properties/status/enum")
	t.Logf("as reported:\n%v", err)
}

func TestA_record_package_whose_versionedRelease_has_a_malformed_versioned_value_fails(t *testing.T) {
	v := validator(t)
	cases := []struct {
		name   string
		change func(vr map[string]any)
		want   []string
	}{
		{
			name:   "plain_value_instead_of_versioned_array",
			change: func(vr map[string]any) { obj(vr, "tender")["status"] = "active" },
			want:   []string{"/records/0/versionedRelease/tender/status: type:", "versioned-release-validation-schema.json#"},
		},
		{
			name: "versioned_value_with_bad_releaseDate",
			change: func(vr map[string]any) {
				obj(vr, "tender", "status", 1)["releaseDate"] = "20 June 2024"
			},
			want: []string{"/records/0/versionedRelease/tender/status/1/releaseDate: format:", "date-time"},
		},
		{
			name: "versioned_value_outside_the_closed_codelist",
			change: func(vr map[string]any) {
				obj(vr, "tender", "status", 1)["value"] = "finished"
			},
			want: []string{"/records/0/versionedRelease/tender/status/1/value: enum:", "finished"},
		},
		{
			name:   "missing_required_initiationType",
			change: func(vr map[string]any) { delete(vr, "initiationType") },
			want:   []string{"/records/0/versionedRelease: required:", "'initiationType'"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := mutate(t, fixture(t, "record-package.json"), func(m map[string]any) {
				tc.change(obj(m, "records", 0, "versionedRelease"))
			})
			wantErr(t, v.RecordPackage(doc), tc.want...)
		})
	}
}

func TestA_linked_release_with_a_wrong_tag_fails(t *testing.T) {
	v := validator(t)
	doc := mutate(t, fixture(t, "record-package.json"), func(m map[string]any) {
		obj(m, "records", 0, "releases", 1)["tag"] = []any{"awarded"}
	})
	wantErr(t, v.RecordPackage(doc), "/records/0/releases/1/tag/0: enum:", "record-package-schema.json#/definitions/record/properties/releases/oneOf/0")
	wantErr(t, v.Codelists(doc, nil), "/records/0/releases/1/tag/0: ", "awarded", "closed codelist releaseTag.csv")
}

func TestA_record_package_missing_records_fails_naming_records(t *testing.T) {
	v := validator(t)
	doc := mutate(t, fixture(t, "record-package.json"), func(m map[string]any) { delete(m, "records") })
	wantErr(t, v.RecordPackage(doc), "(root): required:", "'records'")
}

func TestA_release_package_with_a_bad_uri_format_fails(t *testing.T) {
	v := validator(t)
	doc := mutate(t, fixture(t, "release-package.json"), func(m map[string]any) { m["uri"] = "road 2024.json" })
	wantErr(t, v.ReleasePackage(doc), "/uri: format:", "uri")
}

func TestEvery_violation_is_listed(t *testing.T) {
	v := validator(t)
	doc := mutate(t, fixture(t, "release-package.json"), func(m map[string]any) {
		r := obj(m, "releases", 0)
		delete(r, "ocid")
		r["date"] = "yesterday"
		obj(r, "tender")["status"] = "openForBids"
		m["publishedDate"] = "today"
	})
	wantErr(t, v.ReleasePackage(doc),
		"4 violation(s)",
		"/releases/0: required:",
		"/releases/0/date: format:",
		"/releases/0/tender/status: enum:",
		"/publishedDate: format:")
}

func TestA_document_that_is_not_JSON_fails(t *testing.T) {
	v := validator(t)
	wantErr(t, v.ReleasePackage([]byte(`{"releases": [`)), "not JSON")
	wantErr(t, v.RecordPackage([]byte(`{} {}`)), "not JSON")
	wantErr(t, v.Codelists([]byte(`[`), nil), "not JSON")
	wantErr(t, v.Codelists([]byte(`{"uri": "x"}`), nil), "neither or both")
}

func TestValidation_is_safe_for_concurrent_use(t *testing.T) {
	v := validator(t)
	rel, rec := fixture(t, "release-package.json"), fixture(t, "record-package.json")
	var wg sync.WaitGroup
	errs := make(chan error, 3*8)
	for range 8 {
		wg.Go(func() {
			errs <- v.ReleasePackage(rel)
			errs <- v.RecordPackage(rec)
			errs <- v.Codelists(rec, map[string][]string{"partyRole.csv": {"leadBuyer"}})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		noErr(t, "concurrent validation", err)
	}
}

func TestDir_finds_the_directory_from_a_subdirectory(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("test assumes the repository root is three levels up: %v", err)
	}
	want := filepath.Join(filepath.Dir(root), "shared", "ocds", "1.1.5")

	t.Chdir("testdata") // a directory below the package, itself below the root
	got, err := Dir()
	noErr(t, "Dir", err)
	if got != want {
		t.Fatalf("Dir() = %q, want %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(got, "codelists", "partyRole.csv")); err != nil {
		t.Fatal(err)
	}
}

func TestDir_says_where_it_looked_when_there_is_no_go_mod(t *testing.T) {
	tmp := t.TempDir()
	t.Chdir(tmp)
	_, err := Dir()
	wantErr(t, err, "no go.mod", tmp)
}

func TestLoad_reports_a_directory_without_schemas(t *testing.T) {
	tmp := t.TempDir()
	_, err := Load(tmp)
	wantErr(t, err, "release-package-schema.json", tmp)
}

func TestThe_loader_never_goes_to_the_network(t *testing.T) {
	dir, err := Dir()
	noErr(t, "Dir", err)
	l := localLoader{dir: dir}
	for _, u := range []string{
		"https://example.org/schema.json",
		baseURL + "release-schema.json.bak",
		"https://standard.open-contracting.org/schema/1__1__4/release-schema.json",
	} {
		_, err := l.Load(u)
		wantErr(t, err, "refusing to load "+u)
	}
	doc, err := l.Load(baseURL + releaseSchemaFile)
	noErr(t, "load release schema", err)
	if id := doc.(map[string]any)["id"]; id != baseURL+releaseSchemaFile {
		t.Fatalf("id = %v", id)
	}
}

func TestCodelists_are_read_from_the_Code_column(t *testing.T) {
	v := validator(t)
	dt := v.codes["documentType.csv"]
	if !dt["tenderNotice"] || !dt["contractSigned"] {
		t.Errorf("documentType.csv codes lack tenderNotice/contractSigned: %d codes", len(dt))
	}
	for _, notACode := range []string{"basic", "Category", "Code", "planning"} {
		if dt[notACode] {
			t.Errorf("documentType.csv: %q came from the wrong column", notACode)
		}
	}
	if !v.codes["currency.csv"]["NOK"] || v.open["currency.csv"] {
		t.Errorf("currency.csv: NOK missing or codelist not closed")
	}
	if !v.open["partyRole.csv"] || v.open["tenderStatus.csv"] {
		t.Errorf("open flags wrong: %v", v.open)
	}
	if n := len(v.open); n < 19 {
		t.Errorf("schemas name %d codelists, want every one of the 19 CSVs", n)
	}
	if err := v.Codelists(fixture(t, "release-package.json"), nil); err != nil && strings.Contains(err.Error(), "has no CSV") {
		t.Fatal(err)
	}
}
