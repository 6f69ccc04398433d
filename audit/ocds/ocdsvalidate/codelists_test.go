package ocdsvalidate

import (
	"testing"
)

func TestOpen_codelist_values_pass_only_with_the_addition_given(t *testing.T) {
	v := validator(t)
	doc := mutate(t, fixture(t, "release-package.json"), func(m map[string]any) {
		p := obj(m, "releases", 0, "parties", 0)
		p["roles"] = append(p["roles"].([]any), "leadBuyer")
		obj(m, "releases", 0, "tender", "documents", 0)["documentType"] = "snowMap"
	})
	// The schema itself does not constrain open codelists.
	noErr(t, "ReleasePackage", v.ReleasePackage(doc))

	wantErr(t, v.Codelists(doc, nil),
		"2 problem(s)",
		`/releases/0/parties/0/roles/2: "leadBuyer" is not a code of open codelist partyRole.csv`,
		`/releases/0/tender/documents/0/documentType: "snowMap" is not a code of open codelist documentType.csv`)

	both := map[string][]string{"partyRole.csv": {"leadBuyer"}, "documentType.csv": {"snowMap"}}
	noErr(t, "Codelists with both additions", v.Codelists(doc, both))

	// An addition counts only for its own codelist and its own value.
	err := v.Codelists(doc, map[string][]string{"partyRole.csv": {"leadBuyer", "snowMap"}})
	wantErr(t, err, "1 problem(s)", "/releases/0/tender/documents/0/documentType", "open codelist documentType.csv")
	err = v.Codelists(doc, map[string][]string{"partyRole.csv": {"leadbuyer"}, "documentType.csv": {"snowMap"}})
	wantErr(t, err, "1 problem(s)", `"leadBuyer"`, "partyRole.csv")
}

func TestOpen_codelist_values_in_a_compiledRelease_need_the_addition_too(t *testing.T) {
	v := validator(t)
	doc := mutate(t, fixture(t, "record-package.json"), func(m map[string]any) {
		obj(m, "records", 0, "compiledRelease", "parties", 1)["roles"] = []any{"supplier", "subcontractor"}
	})
	noErr(t, "RecordPackage", v.RecordPackage(doc))
	wantErr(t, v.Codelists(doc, nil), `/records/0/compiledRelease/parties/1/roles/1: "subcontractor" is not a code of open codelist partyRole.csv`)
	noErr(t, "Codelists with addition", v.Codelists(doc, map[string][]string{"partyRole.csv": {"subcontractor"}}))
}

func TestAdditions_never_admit_values_of_a_closed_codelist(t *testing.T) {
	v := validator(t)
	doc := mutate(t, fixture(t, "release-package.json"), func(m map[string]any) {
		obj(m, "releases", 0, "tender", "value")["currency"] = "ZZZ"
	})
	wantErr(t, v.Codelists(doc, map[string][]string{"currency.csv": {"ZZZ"}}),
		`additions["currency.csv"]: currency.csv is a closed codelist`,
		`/releases/0/tender/value/currency: "ZZZ" is not a code of closed codelist currency.csv`)
}

func TestAdditions_for_a_codelist_no_schema_uses_are_reported(t *testing.T) {
	v := validator(t)
	wantErr(t, v.Codelists(fixture(t, "release-package.json"), map[string][]string{"partyRoles.csv": {"leadBuyer"}}),
		`additions["partyRoles.csv"]: no schema field uses codelist partyRoles.csv`)
}

func TestVersionedRelease_releaseTag_values_are_checked_against_the_closed_releaseTag_codelist(t *testing.T) {
	v := validator(t)
	doc := mutate(t, fixture(t, "record-package.json"), func(m map[string]any) {
		obj(m, "records", 0, "versionedRelease", "tender", "status", 1)["releaseTag"] = []any{"award", "awarded"}
	})
	// versioned-release-validation-schema.json types releaseTag as plain strings.
	noErr(t, "RecordPackage", v.RecordPackage(doc))
	wantErr(t, v.Codelists(doc, nil),
		`/records/0/versionedRelease/tender/status/1/releaseTag/1: "awarded" is not a code of closed codelist releaseTag.csv`)
}

func TestVersionedRelease_values_other_than_releaseTag_are_left_to_the_schema(t *testing.T) {
	v := validator(t)
	doc := mutate(t, fixture(t, "record-package.json"), func(m map[string]any) {
		roles := obj(m, "records", 0, "versionedRelease", "parties", 0, "roles", 0)
		roles["value"] = []any{"buyer", "leadBuyer"}
	})
	noErr(t, "RecordPackage", v.RecordPackage(doc))
	noErr(t, "Codelists", v.Codelists(doc, nil))
}

func TestCodelist_problems_are_listed_in_document_order(t *testing.T) {
	v := validator(t)
	doc := mutate(t, fixture(t, "release-package.json"), func(m map[string]any) {
		r := obj(m, "releases", 0)
		r["tag"] = []any{"tender", "bogusTag"}
		obj(r, "tender")["procurementMethod"] = "closed"
		obj(r, "tender", "items", 0, "unit")["scheme"] = "FELLES"
		obj(r, "tender", "items", 0, "classification")["scheme"] = "FELLES-CPV"
		obj(r, "tender", "milestones", 0)["type"] = "snowfall"
		obj(r, "tender")["submissionMethod"] = []any{"carrierPigeon"}
	})
	err := v.Codelists(doc, nil)
	wantErr(t, err, "6 problem(s)")
	want := "codelist check: 6 problem(s)\n" +
		`  /releases/0/tag/1: "bogusTag" is not a code of closed codelist releaseTag.csv` + "\n" +
		`  /releases/0/tender/items/0/classification/scheme: "FELLES-CPV" is not a code of open codelist itemClassificationScheme.csv (nor in additions["itemClassificationScheme.csv"])` + "\n" +
		`  /releases/0/tender/items/0/unit/scheme: "FELLES" is not a code of open codelist unitClassificationScheme.csv (nor in additions["unitClassificationScheme.csv"])` + "\n" +
		`  /releases/0/tender/milestones/0/type: "snowfall" is not a code of open codelist milestoneType.csv (nor in additions["milestoneType.csv"])` + "\n" +
		`  /releases/0/tender/procurementMethod: "closed" is not a code of closed codelist method.csv` + "\n" +
		`  /releases/0/tender/submissionMethod/0: "carrierPigeon" is not a code of open codelist submissionMethod.csv (nor in additions["submissionMethod.csv"])`
	if err.Error() != want {
		t.Errorf("got:\n%s\nwant:\n%s", err, want)
	}
}
