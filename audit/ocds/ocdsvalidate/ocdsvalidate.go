// Package ocdsvalidate is test support: it validates OCDS 1.1.5 release
// packages and record packages against the official, unchanged JSON Schemas
// (draft-04) and checks codelist values against the official CSV codelists.
//
// The schemas refer to each other by their canonical ids
// (https://standard.open-contracting.org/schema/1__1__5/<file>). Load maps
// every such URL to the file of the same name in the schema directory; nothing
// is ever fetched over the network, and any other URL is refused.
//
// A *Validator is safe for concurrent use once loaded.
package ocdsvalidate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// BaseURL is the prefix of the ids of the OCDS 1.1.5 schemas.
const baseURL = "https://standard.open-contracting.org/schema/1__1__5/"

// Schema file names inside the 1.1.5 directory.
const (
	releasePackageFile   = "release-package-schema.json"
	recordPackageFile    = "record-package-schema.json"
	releaseSchemaFile    = "release-schema.json"
	versionedReleaseFile = "versioned-release-validation-schema.json"
)

// schemaFiles are the files the loader is allowed to serve.
var schemaFiles = []string{releasePackageFile, recordPackageFile, releaseSchemaFile, versionedReleaseFile}

// Dir finds the 1.1.5 schema directory: walks up from the working directory to
// the repository root (the directory holding go.mod) and returns
// <root>/../shared/ocds/1.1.5, or an error that says where it looked.
func Dir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("ocdsvalidate: working directory: %w", err)
	}
	var looked []string
	for d := wd; ; {
		looked = append(looked, d)
		if fi, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && !fi.IsDir() {
			dir := filepath.Join(filepath.Dir(d), "shared", "ocds", "1.1.5")
			if _, err := os.Stat(filepath.Join(dir, releasePackageFile)); err != nil {
				return "", fmt.Errorf("ocdsvalidate: repository root %s (found from %s), but no OCDS 1.1.5 schemas at %s: %w", d, wd, dir, err)
			}
			return dir, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("ocdsvalidate: no go.mod found walking up from %s (looked in %s)", wd, strings.Join(looked, ", "))
		}
		d = parent
	}
}

// Validator validates OCDS 1.1.5 packages. Create it with Load.
type Validator struct {
	dir            string
	releasePackage *jsonschema.Schema
	recordPackage  *jsonschema.Schema

	// raw schema documents by canonical URL, for the codelist walk.
	raw map[string]any
	// codes by CSV file name ("partyRole.csv") -> set of codes.
	codes map[string]map[string]bool
	// open reports, per CSV file name referenced by a schema, whether the
	// codelist is open (openCodelist true).
	open map[string]bool
}

// localLoader serves the OCDS schema URLs from the local directory and refuses
// everything else (the draft-04 metaschema is embedded in the library and never
// reaches the loader).
type localLoader struct{ dir string }

func (l localLoader) Load(url string) (any, error) {
	name, ok := strings.CutPrefix(url, baseURL)
	if !ok || !slices.Contains(schemaFiles, name) {
		return nil, fmt.Errorf("refusing to load %s: only %s{%s} are mapped (to files in %s); nothing is fetched over the network",
			url, baseURL, strings.Join(schemaFiles, ","), l.dir)
	}
	doc, err := readJSONFile(filepath.Join(l.dir, name))
	if err != nil {
		return nil, err
	}
	if m, ok := doc.(map[string]any); ok {
		if id, _ := m["id"].(string); id != url {
			return nil, fmt.Errorf("%s: id is %q, want %q", filepath.Join(l.dir, name), id, url)
		}
	}
	return doc, nil
}

func readJSONFile(p string) (any, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return doc, nil
}

// Load compiles the release package and record package schemas from dir and
// reads every codelist CSV.
func Load(dir string) (*Validator, error) {
	v := &Validator{dir: dir, raw: map[string]any{}}
	loader := localLoader{dir: dir}

	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4) // the files say draft-04 themselves; this only pins the default
	c.AssertFormat()                  // date-time, uri, ... are assertions, not annotations
	c.UseLoader(jsonschema.SchemeURLLoader{"https": loader, "http": loader})

	var err error
	if v.releasePackage, err = c.Compile(baseURL + releasePackageFile); err != nil {
		return nil, fmt.Errorf("ocdsvalidate: compile %s: %w", releasePackageFile, err)
	}
	if v.recordPackage, err = c.Compile(baseURL + recordPackageFile); err != nil {
		return nil, fmt.Errorf("ocdsvalidate: compile %s: %w", recordPackageFile, err)
	}
	for _, name := range schemaFiles {
		doc, err := loader.Load(baseURL + name)
		if err != nil {
			return nil, fmt.Errorf("ocdsvalidate: %w", err)
		}
		v.raw[baseURL+name] = doc
	}
	if err := v.loadCodelists(); err != nil {
		return nil, err
	}
	return v, nil
}

// ReleasePackage validates a release package document against
// release-package-schema.json (and, through it, release-schema.json). The error
// lists every violation with its JSON pointer and schema keyword.
func (v *Validator) ReleasePackage(doc []byte) error {
	return validate(v.releasePackage, releasePackageFile, doc)
}

// RecordPackage validates a record package document against
// record-package-schema.json, which applies release-schema.json to embedded
// releases and compiledRelease and versioned-release-validation-schema.json to
// versionedRelease.
func (v *Validator) RecordPackage(doc []byte) error {
	return validate(v.recordPackage, recordPackageFile, doc)
}

func validate(sch *jsonschema.Schema, name string, doc []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("%s: document is not JSON: %w", name, err)
	}
	err = sch.Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("%s: %w", name, err)
	}
	var out []violation
	seen := map[violation]bool{}
	collect(ve, func(x violation) {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	})
	return &schemaError{schema: name, violations: out}
}

// violation is one failed assertion: a leaf of the validator's error tree.
type violation struct {
	pointer  string // JSON pointer into the instance ("" is the root)
	keyword  string // failing schema keyword: required, enum, format, type, ...
	location string // schema location, shortened: release-schema.json#/definitions/Tender/properties/status/enum
	message  string
}

// schemaError lists every schema violation of a document.
type schemaError struct {
	schema     string
	violations []violation
}

func (e *schemaError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid against %s: %d violation(s)", e.schema, len(e.violations))
	for _, x := range e.violations {
		p := x.pointer
		if p == "" {
			p = "(root)"
		}
		fmt.Fprintf(&b, "\n  %s: %s: %s [%s]", p, x.keyword, x.message, x.location)
	}
	return b.String()
}

const maxMessage = 240

func collect(e *jsonschema.ValidationError, emit func(violation)) {
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			collect(c, emit)
		}
		return
	}
	kp := e.ErrorKind.KeywordPath()
	kw := ""
	if len(kp) > 0 {
		kw = kp[len(kp)-1]
	}
	if ref, ok := e.ErrorKind.(*kind.Reference); ok {
		kw = ref.Keyword
	}
	if kw == "" {
		kw = strings.TrimPrefix(fmt.Sprintf("%T", e.ErrorKind), "*kind.")
	}
	msg := ""
	if out := e.BasicOutput(); out != nil && out.Error != nil {
		msg = out.Error.String()
	}
	if en, ok := e.ErrorKind.(*kind.Enum); ok {
		// The library's message lists only the allowed values; put the
		// offending one first (the list can be the 300 currency codes).
		got, _ := json.Marshal(en.Got)
		msg = fmt.Sprintf("%s is not allowed (%d allowed: %s)", got, len(en.Want), strings.TrimPrefix(msg, "value must be one of "))
	}
	if len(msg) > maxMessage {
		msg = msg[:maxMessage] + "…"
	}
	emit(violation{
		pointer:  pointer(e.InstanceLocation),
		keyword:  kw,
		location: shortSchemaURL(e.SchemaURL) + pointer(kp),
		message:  msg,
	})
}

func shortSchemaURL(u string) string {
	if rest, ok := strings.CutPrefix(u, baseURL); ok {
		return rest
	}
	return path.Base(u)
}

// pointer renders tokens as an RFC 6901 JSON pointer.
func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		t = strings.ReplaceAll(t, "~", "~0")
		b.WriteString(strings.ReplaceAll(t, "/", "~1"))
	}
	return b.String()
}
