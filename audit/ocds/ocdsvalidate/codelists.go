package ocdsvalidate

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

const releaseTagCSV = "releaseTag.csv"

// loadCodelists reads the Code column of every CSV in <dir>/codelists and
// records, for every codelist a schema names, whether it is open. A codelist
// named by a schema without a CSV is an error.
func (v *Validator) loadCodelists() error {
	cdir := filepath.Join(v.dir, "codelists")
	files, err := filepath.Glob(filepath.Join(cdir, "*.csv"))
	if err != nil {
		return fmt.Errorf("ocdsvalidate: %w", err)
	}
	if len(files) == 0 {
		return fmt.Errorf("ocdsvalidate: no codelist CSV files in %s", cdir)
	}
	v.codes = make(map[string]map[string]bool, len(files))
	for _, f := range files {
		codes, err := readCodes(f)
		if err != nil {
			return fmt.Errorf("ocdsvalidate: %w", err)
		}
		v.codes[filepath.Base(f)] = codes
	}

	v.open = map[string]bool{}
	var problems []string
	for _, name := range schemaFiles {
		eachNode(v.raw[baseURL+name], func(n map[string]any) {
			cl, ok := n["codelist"].(string)
			if !ok {
				return
			}
			open, _ := n["openCodelist"].(bool)
			if prev, seen := v.open[cl]; seen && prev != open {
				problems = append(problems, fmt.Sprintf("%s: codelist %s is both open and closed", name, cl))
			}
			v.open[cl] = open
			if v.codes[cl] == nil {
				problems = append(problems, fmt.Sprintf("%s names codelist %s, which has no CSV in %s", name, cl, cdir))
			}
		})
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return fmt.Errorf("ocdsvalidate: %s", strings.Join(slices.Compact(problems), "; "))
	}
	return nil
}

// readCodes returns the values of the column named Code (documentType.csv
// starts with Category,Section,Code,...).
func readCodes(file string) (map[string]bool, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", file, err)
	}
	col := -1
	for i, h := range header {
		if strings.TrimPrefix(strings.TrimSpace(h), "\ufeff") == "Code" {
			col = i
			break
		}
	}
	if col < 0 {
		return nil, fmt.Errorf("%s: no Code column in header %q", file, header)
	}
	codes := map[string]bool{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if col < len(rec) && rec[col] != "" {
			codes[rec[col]] = true
		}
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("%s: no codes", file)
	}
	return codes, nil
}

// eachNode calls fn for every object in a JSON document.
func eachNode(doc any, fn func(map[string]any)) {
	switch d := doc.(type) {
	case map[string]any:
		fn(d)
		for _, c := range d {
			eachNode(c, fn)
		}
	case []any:
		for _, c := range d {
			eachNode(c, fn)
		}
	}
}

// Codelists checks every value of a field that the schema ties to a codelist
// (the "codelist" and "openCodelist" keywords, reached through $ref, arrays and
// nested objects): in every release of a release package; and in every record
// of a record package, in compiledRelease, in the releases (embedded releases,
// and the tag of linked releases), and in versionedRelease only the releaseTag
// values (checked against releaseTag.csv, closed).
//
// Closed codelists (openCodelist false): the value must be a Code of the CSV.
// Open codelists: a Code of the CSV or one of additions[<csv file name>]
// (e.g. additions["partyRole.csv"] = {"leadBuyer"}). Additions keyed by a closed
// codelist or by a name no schema uses are reported as errors too, so that a
// typo cannot silently let values through.
//
// The error lists every bad value with its JSON pointer, the codelist and
// whether it is open.
func (v *Validator) Codelists(doc []byte, additions map[string][]string) error {
	var inst any
	if err := json.Unmarshal(doc, &inst); err != nil {
		return fmt.Errorf("codelists: document is not JSON: %w", err)
	}
	top, ok := inst.(map[string]any)
	if !ok {
		return fmt.Errorf("codelists: document is not a JSON object")
	}
	_, hasReleases := top["releases"]
	_, hasRecords := top["records"]
	var root string
	switch {
	case hasReleases && !hasRecords:
		root = baseURL + releasePackageFile
	case hasRecords && !hasReleases:
		root = baseURL + recordPackageFile
	default:
		return fmt.Errorf("codelists: document has neither or both of \"releases\" and \"records\"; want a release package or a record package")
	}

	w := &codeWalker{v: v, extra: map[string]map[string]bool{}, seen: map[string]bool{}}
	for _, name := range slices.Sorted(maps.Keys(additions)) {
		open, known := v.open[name]
		switch {
		case !known:
			w.problems = append(w.problems, fmt.Sprintf("additions[%q]: no schema field uses codelist %s", name, name))
		case !open:
			w.problems = append(w.problems, fmt.Sprintf("additions[%q]: %s is a closed codelist; additions apply only to open codelists", name, name))
		}
		set := map[string]bool{}
		for _, c := range additions[name] {
			set[c] = true
		}
		w.extra[name] = set
	}
	w.walk(v.raw[root], root, inst, nil)
	if len(w.problems) == 0 {
		return nil
	}
	return &codelistError{problems: w.problems}
}

type codelistError struct{ problems []string }

func (e *codelistError) Error() string {
	return fmt.Sprintf("codelist check: %d problem(s)\n  %s", len(e.problems), strings.Join(e.problems, "\n  "))
}

type codeWalker struct {
	v        *Validator
	extra    map[string]map[string]bool
	seen     map[string]bool
	problems []string
}

// walk follows the schema node (in the document at base) alongside the
// instance. Instance keys are visited in sorted order and arrays in order, so
// the report is deterministic.
func (w *codeWalker) walk(node any, base string, inst any, ptr []string) {
	n, ok := node.(map[string]any)
	if !ok || inst == nil {
		return
	}
	if ref, ok := n["$ref"].(string); ok { // draft-04: siblings of $ref are ignored
		target, tbase, err := w.resolve(base, ref)
		if err != nil {
			w.problems = append(w.problems, fmt.Sprintf("%s: %v", pointer(ptr), err))
			return
		}
		if tbase == baseURL+versionedReleaseFile {
			w.releaseTags(inst, ptr)
			return
		}
		w.walk(target, tbase, inst, ptr)
		return
	}
	if cl, ok := n["codelist"].(string); ok {
		open, _ := n["openCodelist"].(bool)
		w.check(cl, open, inst, ptr)
	}
	for _, kw := range []string{"allOf", "anyOf", "oneOf"} {
		branches, _ := n[kw].([]any)
		for _, b := range branches { // codes are checked under every branch; duplicates are dropped
			w.walk(b, base, inst, ptr)
		}
	}
	switch in := inst.(type) {
	case map[string]any:
		props, _ := n["properties"].(map[string]any)
		if len(props) == 0 {
			return
		}
		for _, k := range slices.Sorted(maps.Keys(in)) {
			if sub, ok := props[k]; ok {
				w.walk(sub, base, in[k], append(slices.Clip(ptr), k))
			}
		}
	case []any:
		switch items := n["items"].(type) {
		case map[string]any:
			for i, el := range in {
				w.walk(items, base, el, append(slices.Clip(ptr), strconv.Itoa(i)))
			}
		case []any:
			for i, el := range in {
				if i < len(items) {
					w.walk(items[i], base, el, append(slices.Clip(ptr), strconv.Itoa(i)))
				}
			}
		}
	}
}

// resolve returns the node a $ref points at and the URL of its document.
func (w *codeWalker) resolve(base, ref string) (any, string, error) {
	u, frag, _ := strings.Cut(ref, "#")
	if u == "" {
		u = base
	}
	doc, ok := w.v.raw[u]
	if !ok {
		return nil, "", fmt.Errorf("$ref %q: %s is not one of the loaded OCDS schemas", ref, u)
	}
	node := doc
	if frag != "" {
		for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			m, ok := node.(map[string]any)
			if !ok {
				return nil, "", fmt.Errorf("$ref %q: cannot resolve %q", ref, tok)
			}
			if node, ok = m[tok]; !ok {
				return nil, "", fmt.Errorf("$ref %q: no %q", ref, tok)
			}
		}
	}
	return node, u, nil
}

// releaseTags checks every releaseTag array of a versioned release.
func (w *codeWalker) releaseTags(inst any, ptr []string) {
	switch in := inst.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(in)) {
			p := append(slices.Clip(ptr), k)
			if k == "releaseTag" {
				w.check(releaseTagCSV, false, in[k], p)
				continue
			}
			w.releaseTags(in[k], p)
		}
	case []any:
		for i, el := range in {
			w.releaseTags(el, append(slices.Clip(ptr), strconv.Itoa(i)))
		}
	}
}

// check checks a codelist field's value: a string, or an array of strings.
// Other types are the schema's business.
func (w *codeWalker) check(cl string, open bool, inst any, ptr []string) {
	switch in := inst.(type) {
	case string:
		w.checkOne(cl, open, in, pointer(ptr))
	case []any:
		for i, el := range in {
			if s, ok := el.(string); ok {
				w.checkOne(cl, open, s, pointer(append(slices.Clip(ptr), strconv.Itoa(i))))
			}
		}
	}
}

func (w *codeWalker) checkOne(cl string, open bool, val, ptr string) {
	if w.v.codes[cl][val] || (open && w.extra[cl][val]) {
		return
	}
	key := ptr + "\x00" + cl + "\x00" + val
	if w.seen[key] {
		return
	}
	w.seen[key] = true
	var msg string
	switch {
	case w.v.codes[cl] == nil:
		msg = fmt.Sprintf("%s: %q: codelist %s has no CSV", ptr, val, cl)
	case open:
		msg = fmt.Sprintf("%s: %q is not a code of open codelist %s (nor in additions[%q])", ptr, val, cl, cl)
	default:
		msg = fmt.Sprintf("%s: %q is not a code of closed codelist %s", ptr, val, cl)
	}
	w.problems = append(w.problems, msg)
}
