package ocds

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

// This file is the OCDS 1.1 merge routine ("Merging" in the OCDS 1.1.5
// documentation), behaving as its reference implementation ocdsmerge 0.8.0
// does, down to the cases the documentation leaves open. Like ocdsmerge it
// works in two steps: each release is flattened into (path, value) pairs, in
// which an object in an array is named by its "id" (identifier merge), and
// the pairs of all releases, kept in the order in which each path first
// appeared, are built back into one tree. The order of first appearance is
// what orders the objects of a merged array.
//
// How it behaves, and where it departs from ocdsmerge (marked "unlike"):
//
//   - Releases are sorted by "date" as strings (code-point order, no date
//     parsing), stably, so releases of the same date keep their input order.
//   - A literal, or an array that holds anything but objects, replaces the
//     earlier value. null removes a literal field (and such an array). An
//     empty object or an empty array of objects changes nothing ("If the
//     object/array is empty in input, do nothing"): an empty array of strings
//     that no rule names is an empty array of objects to ocdsmerge too; at a
//     WholeListMerge path (parties.roles) an empty array replaces the earlier.
//   - null given for a field that holds an object or an array of objects does
//     not remove it (to delete an object, null its fields, as the OCDS guidance
//     "Updates and deletions" does; the object stays, empty), and a literal
//     given there is ignored; ocdsmerge does the same. In a versioned release,
//     a null that comes before the object or array of objects is dropped;
//     unlike ocdsmerge, which fails with InconsistentTypeError before an
//     object, and puts the objects in the field's history of nulls before an
//     array.
//   - Objects in an array merge by "id": ids are equal when they are of the
//     same JSON type and value, numbers by numeric value (1 and 1.0 are the
//     same id, "1" is another; unlike ocdsmerge, which names objects by the
//     str() of their id, so that 1 and "1" in one release are one object to
//     it). An object without "id" is never merged: each one is appended.
//     Objects whose "id" is null all merge into one, shown without "id" (with
//     a versioned "id" in a versioned release); ocdsmerge does both. An id
//     that is an object or an array is an error (ocdsmerge fails on it with a
//     TypeError).
//   - Objects with the same id in one array of one release are merged into
//     one, the later one's fields winning (ocdsmerge does this and warns with
//     DuplicateIdValueWarning; here the merge is silent).
//   - A path that is a literal in an earlier release and an object or array of
//     objects in a later one is an error, as in ocdsmerge (unlike ocdsmerge,
//     which, if the literal was an array, or always in a versioned release,
//     appends the objects to it or to its history instead).
//   - In a versioned release a value is added to a field's history only when
//     it differs from the last one (deep equality, numbers by numeric value:
//     1 and 1.0 are equal; unlike Python, true is not equal to 1). "ocid" is
//     plain, and so is the "id" of an object in an array (versionId does not
//     change that, see MergeRules.VersionID); any other "id" (tender.id) is
//     versioned like any field.
//   - The compiled release has tag ["compiled"], id "<ocid>-<date>" and date
//     of the last release (if the rules do not omit "id" or "date" they are
//     merged as fields, as in ocdsmerge). A release's "tag" is never merged.
//
// Numbers are json.Number and come out with the text they went in with.

// JSON is one OCDS release (or a merged one) decoded as generic JSON: objects
// map[string]any, arrays []any, numbers json.Number, strings, bools and nil.
// Values of other Go types are accepted and taken as what json.Marshal makes
// of them.
type JSON = map[string]any

// Compile merges releases of one contracting process (the same ocid) into its
// compiled release: the releases sorted stably by date, merged by the rules,
// with tag ["compiled"], id "<ocid>-<date of the last release>" and the date
// of the last release. Every release must have an ocid, an id and a date, all
// strings. The releases are not modified; the result shares nothing with them.
func Compile(rules MergeRules, releases []JSON) (JSON, error) {
	out, _, err := mergeReleases(rules, releases, false)
	return out, err
}

// Versioned merges releases of one contracting process into its versioned
// release: every merged field holds its history, an array of
// {releaseID, releaseDate, releaseTag, value} with a new entry only when the
// value changes; "ocid" and the "id" of objects in arrays stay plain.
func Versioned(rules MergeRules, releases []JSON) (JSON, error) {
	out, _, err := mergeReleases(rules, releases, true)
	return out, err
}

// maxMergeDepth bounds the nesting of input values (encoding/json's own limit).
const maxMergeDepth = 10000

// mergeInput is one checked and copied input release.
type mergeInput struct {
	data     map[string]any
	ocid, id string
	date     string
	tag      any
	hasTag   bool
}

// mergeReleases is Compile (versioned false) or Versioned; it also returns the
// warnings ocdsmerge would give (duplicate ids in one array of one release).
func mergeReleases(rules MergeRules, input []JSON, versioned bool) (JSON, []string, error) {
	if len(input) == 0 {
		return nil, nil, fmt.Errorf("ocds: no releases to merge")
	}
	rs := make([]mergeInput, len(input))
	for i, in := range input {
		r, err := checkRelease(i, len(input), in)
		if err != nil {
			return nil, nil, err
		}
		if r.ocid != rs[0].ocid && i > 0 {
			return nil, nil, fmt.Errorf("ocds: releases of different ocids cannot be merged: release 1 of %d has ocid %q, release %d (id %q) has ocid %q",
				len(input), rs[0].ocid, i+1, r.id, r.ocid)
		}
		rs[i] = r
	}
	sort.SliceStable(rs, func(a, b int) bool { return rs[a].date < rs[b].date })

	m := newMerger(rules, versioned)
	for _, r := range rs {
		if err := m.add(r); err != nil {
			return nil, nil, err
		}
	}
	out, err := m.build()
	if err != nil {
		return nil, nil, err
	}
	if versioned {
		out["ocid"] = rs[0].ocid
	}
	return out, m.warnings, nil
}

// checkRelease copies a release into plain JSON values and checks its ocid,
// id and date.
func checkRelease(i, n int, in JSON) (mergeInput, error) {
	where := fmt.Sprintf("release %d of %d", i+1, n)
	if in == nil {
		return mergeInput{}, fmt.Errorf("ocds: %s is null, not an object", where)
	}
	v, err := plainJSON(in, 0)
	if err != nil {
		return mergeInput{}, fmt.Errorf("ocds: %s: %w", where, err)
	}
	data, ok := v.(map[string]any)
	if !ok {
		return mergeInput{}, fmt.Errorf("ocds: %s is not a JSON object", where)
	}
	r := mergeInput{data: data}
	if id, ok := data["id"].(string); ok && id != "" {
		where += fmt.Sprintf(" (id %q)", id)
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"ocid", &r.ocid}, {"id", &r.id}, {"date", &r.date}} {
		raw, present := data[f.name]
		s, isString := raw.(string)
		switch {
		case !present || raw == nil:
			return mergeInput{}, fmt.Errorf("ocds: %s has no %s; every release needs an ocid, an id and a date", where, f.name)
		case !isString:
			return mergeInput{}, fmt.Errorf("ocds: %s: %s is %s, not a string", where, f.name, jsonKind(raw))
		case s == "":
			return mergeInput{}, fmt.Errorf("ocds: %s: %s is empty", where, f.name)
		}
		*f.dst = s
	}
	r.tag, r.hasTag = data["tag"]
	delete(data, "tag") // never merged, whatever the rules say (as in ocdsmerge)
	return r, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("a %T", v)
}

// plainJSON deep-copies a value into plain JSON values (see JSON).
func plainJSON(v any, depth int) (any, error) {
	if depth > maxMergeDepth {
		return nil, fmt.Errorf("nested more than %d deep", maxMergeDepth)
	}
	switch x := v.(type) {
	case nil, bool, string:
		return x, nil
	case json.Number:
		if !isJSONNumber(string(x)) {
			return nil, fmt.Errorf("json.Number %q is not a JSON number", string(x))
		}
		return x, nil
	case map[string]any:
		if x == nil {
			return nil, nil
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			c, err := plainJSON(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case []any:
		if x == nil {
			return nil, nil
		}
		out := make([]any, len(x))
		for i, e := range x {
			c, err := plainJSON(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("a value of type %T is not JSON: %w", v, err)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("a value of type %T is not JSON: %w", v, err)
	}
	return out, nil
}

// pathSeg is one step of a flattened path: a field name, or an object in an
// array named by its identity.
type pathSeg struct {
	field string
	item  bool
	ident string // identity of the item (see idIdentity)
	id    any    // the item's "id" value, where the path first appeared
	hasID bool   // the item has an "id" member (maybe null)
}

// pathNode is a flattened path, interned: the same path in any release is the
// same node, so paths are compared and hashed in constant time.
type pathNode struct {
	parent *pathNode // nil for a field of the release itself
	seg    pathSeg
}

type pathKey struct {
	parent *pathNode
	item   bool
	name   string // field name or item identity
}

// segs is the path from the top.
func (n *pathNode) segs() []pathSeg {
	var out []pathSeg
	for p := n; p != nil; p = p.parent {
		out = append(out, p.seg)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// rulePath is the path's field names joined by ".", as in MergeRules.
func (n *pathNode) rulePath() string {
	var names []string
	for _, s := range n.segs() {
		if !s.item {
			names = append(names, s.field)
		}
	}
	return strings.Join(names, ".")
}

// flatData is an ordered map from paths to values: a value set again keeps the
// place where its path first appeared.
type flatData struct {
	index   map[*pathNode]int
	entries []flatEntry
}

type flatEntry struct {
	node  *pathNode
	value any
}

func newFlatData() *flatData { return &flatData{index: map[*pathNode]int{}} }

func (f *flatData) put(n *pathNode, value any) {
	if i, ok := f.index[n]; ok {
		f.entries[i].value = value
		return
	}
	f.index[n] = len(f.entries)
	f.entries = append(f.entries, flatEntry{n, value})
}

func (f *flatData) get(n *pathNode) (any, bool) {
	i, ok := f.index[n]
	if !ok {
		return nil, false
	}
	return f.entries[i].value, true
}

type merger struct {
	rules     MergeRules
	prefixes  map[string]bool // every rule path and its prefixes
	versioned bool
	data      *flatData
	paths     map[pathKey]*pathNode
	unique    int // names objects without id, each its own
	warnings  []string
}

func newMerger(rules MergeRules, versioned bool) *merger {
	m := &merger{rules: rules, versioned: versioned, data: newFlatData(),
		prefixes: map[string]bool{}, paths: map[pathKey]*pathNode{}}
	for _, set := range []map[string]bool{rules.OmitWhenMerged, rules.WholeListMerge} {
		for p := range set {
			for i := range p {
				if p[i] == '.' {
					m.prefixes[p[:i]] = true
				}
			}
			m.prefixes[p] = true
		}
	}
	return m
}

// node interns the path parent + s.
func (m *merger) node(parent *pathNode, s pathSeg) *pathNode {
	k := pathKey{parent, s.item, s.field}
	if s.item {
		k.name = s.ident
	}
	n, ok := m.paths[k]
	if !ok {
		n = &pathNode{parent, s}
		m.paths[k] = n
	}
	return n
}

// add merges one release into the merged data.
func (m *merger) add(r mergeInput) error {
	rf := newFlatData()
	if err := m.flattenObject(rf, r.data, nil, "", true, 0); err != nil {
		return fmt.Errorf("ocds: release %q: %w", r.id, err)
	}
	ocid := m.node(nil, pathSeg{field: "ocid"})
	if !m.versioned {
		m.data.put(m.node(nil, pathSeg{field: "tag"}), []any{"compiled"})
		m.data.put(m.node(nil, pathSeg{field: "id"}), r.ocid+"-"+r.date)
		m.data.put(m.node(nil, pathSeg{field: "date"}), r.date)
		m.data.put(ocid, r.ocid)
		for _, e := range rf.entries {
			m.data.put(e.node, e.value)
		}
		return nil
	}
	var tag any
	if r.hasTag {
		tag = r.tag
	}
	for _, e := range rf.entries {
		if e.node == ocid {
			continue // ocid is not versioned
		}
		old, ok := m.data.get(e.node)
		var history []any
		if ok {
			history = old.([]any)
			if last := history[len(history)-1].(map[string]any); jsonEqual(last["value"], e.value) {
				continue
			}
		}
		tagCopy, _ := plainJSON(tag, 0)
		m.data.put(e.node, append(history, map[string]any{
			"releaseID":   r.id,
			"releaseDate": r.date,
			"releaseTag":  tagCopy,
			"value":       e.value,
		}))
	}
	return nil
}

// flattenObject adds the fields of obj, at path at, to f. rule is the rule
// path of at; live says whether some rule path starts with it (if not, no
// rule applies below, and rule is not kept up).
func (m *merger) flattenObject(f *flatData, obj map[string]any, at *pathNode, rule string, live bool, depth int) error {
	if depth > maxMergeDepth {
		return fmt.Errorf("nested more than %d deep", maxMergeDepth)
	}
	for _, name := range fieldNames(obj) {
		v := obj[name]
		r, rLive := "", false
		if live {
			r = name
			if rule != "" {
				r = rule + "." + name
			}
			rLive = m.prefixes[r]
		}
		if rLive && m.rules.OmitWhenMerged[r] {
			continue
		}
		n := m.node(at, pathSeg{field: name})
		if (rLive && m.rules.WholeListMerge[r]) || isLiteral(v) {
			f.put(n, v)
			continue
		}
		var err error
		switch x := v.(type) {
		case map[string]any:
			if len(x) > 0 {
				err = m.flattenObject(f, x, n, r, rLive, depth+1)
			}
		case []any:
			if len(x) > 0 {
				err = m.flattenArray(f, x, n, r, rLive, depth+1)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// flattenArray adds the objects of an array of objects (identifier merge).
func (m *merger) flattenArray(f *flatData, arr []any, at *pathNode, rule string, live bool, depth int) error {
	first := map[string]int{}
	for i, e := range arr {
		obj := e.(map[string]any) // isLiteral let only arrays of objects through
		s := pathSeg{item: true}
		s.id, s.hasID = obj["id"]
		if s.hasID {
			ident, err := idIdentity(s.id)
			if err != nil {
				return fmt.Errorf("%s[%d].id: %w", pathString(at.segs()), i, err)
			}
			s.ident = ident
			if j, seen := first[ident]; !seen {
				first[ident] = i
			} else if j != i {
				m.warnings = append(m.warnings, fmt.Sprintf("Multiple objects have the `id` value %s in the `%s` array", pyIDRepr(s.id), at.rulePath()))
			}
		} else {
			m.unique++
			s.ident = "u" + strconv.Itoa(m.unique)
		}
		if len(obj) == 0 {
			continue
		}
		if err := m.flattenObject(f, obj, m.node(at, s), rule, live, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// isLiteral says whether a value merges as a whole: anything but an object or
// an array of nothing but objects.
func isLiteral(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		return false
	case []any:
		for _, e := range x {
			if _, ok := e.(map[string]any); !ok {
				return true
			}
		}
		return false
	}
	return true
}

// idIdentity names an "id" value for identifier merge: same JSON type and value.
func idIdentity(id any) (string, error) {
	switch x := id.(type) {
	case nil:
		return "z", nil
	case bool:
		if x {
			return "t", nil
		}
		return "f", nil
	case string:
		return "s" + x, nil
	case json.Number:
		return "n" + numKey(x), nil
	}
	return "", fmt.Errorf("an id must be a string, a number or null, not %s", jsonKind(id))
}

// pyIDRepr writes an id as ocdsmerge's warning does (Python repr of its str).
func pyIDRepr(id any) string {
	s := ""
	switch x := id.(type) {
	case nil:
		s = "None"
	case bool:
		s = "False"
		if x {
			s = "True"
		}
	case string:
		s = x
	case json.Number:
		s = x.String()
	}
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}

// pathString writes a flattened path for messages: /awards/1/suppliers.
func pathString(path []pathSeg) string {
	var b strings.Builder
	for _, s := range path {
		b.WriteByte('/')
		switch {
		case !s.item:
			b.WriteString(s.field)
		case !s.hasID:
			b.WriteString("(object without id)")
		default:
			raw, _ := json.Marshal(s.id)
			b.WriteString(strings.Trim(string(raw), `"`))
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// Tree building.

type mergedObject struct {
	fields map[string]any // *mergedObject, *mergedArray or a value
}

type mergedArray struct {
	items []*mergedObject
	index map[string]*mergedObject
}

// build turns the merged data back into a tree, paths in the order they first
// appeared.
func (m *merger) build() (JSON, error) {
	b := &treeBuilder{versioned: m.versioned, root: &mergedObject{fields: map[string]any{}}, built: map[*pathNode]any{}}
	for _, e := range m.data.entries {
		if err := b.place(e); err != nil {
			return nil, err
		}
	}
	return b.root.json(), nil
}

type treeBuilder struct {
	versioned bool
	root      *mergedObject
	built     map[*pathNode]any // the object or array made for a path
}

// place puts one flattened value into the tree, making the objects and arrays
// on its path that are not there yet.
func (b *treeBuilder) place(e flatEntry) error {
	// The steps from the deepest object or array already made.
	var cur any = b.root
	steps := []*pathNode{e.node}
	for p := e.node.parent; p != nil; p = p.parent {
		if c, ok := b.built[p]; ok {
			cur = c
			break
		}
		steps = append(steps, p)
	}
	for i := len(steps) - 1; i >= 0; i-- {
		n, last := steps[i], i == 0
		s := n.seg
		if s.item {
			arr, ok := cur.(*mergedArray)
			if !ok {
				return inconsistentTypes(n.parent.segs(), cur, "an array of objects")
			}
			o, ok := arr.index[s.ident]
			if !ok {
				o = &mergedObject{fields: map[string]any{}}
				if s.hasID && s.id != nil {
					o.fields["id"] = s.id
				}
				arr.index[s.ident] = o
				arr.items = append(arr.items, o)
			}
			cur = o
			b.built[n] = o
			continue
		}
		obj, ok := cur.(*mergedObject)
		if !ok {
			return inconsistentTypes(n.parent.segs(), cur, fmt.Sprintf("an object with a %q field", s.field))
		}
		child, exists := obj.fields[s.field]
		if exists {
			_, isObj := child.(*mergedObject)
			_, isArr := child.(*mergedArray)
			if isObj || isArr {
				cur = child
				b.built[n] = child
				continue
			}
			if last {
				// A field set before (an object's id, or a value given for
				// what is an object) is not set again.
				continue
			}
			if !b.versioned || !onlyNulls(child) {
				want := "an object"
				if steps[i-1].seg.item {
					want = "an array of objects"
				}
				had := child
				if b.versioned {
					had = lastNonNull(child)
				}
				return inconsistentTypes(n.segs(), had, want)
			}
			// Versioned: a field that was only ever null before it became an
			// object or array of objects has no history worth a conflict.
			delete(obj.fields, s.field)
		}
		if last {
			if e.value != nil {
				obj.fields[s.field] = e.value
			}
			continue
		}
		var c any = &mergedObject{fields: map[string]any{}}
		if steps[i-1].seg.item {
			c = &mergedArray{index: map[string]*mergedObject{}}
		}
		obj.fields[s.field] = c
		cur = c
		b.built[n] = c
	}
	return nil
}

// onlyNulls says whether a versioned history holds only nulls.
func onlyNulls(v any) bool {
	h, ok := v.([]any)
	if !ok {
		return false
	}
	for _, e := range h {
		if entry, ok := e.(map[string]any); !ok || entry["value"] != nil {
			return false
		}
	}
	return true
}

// lastNonNull is the last value that is not null in a versioned history.
func lastNonNull(v any) any {
	h, _ := v.([]any)
	for i := len(h) - 1; i >= 0; i-- {
		if entry, ok := h[i].(map[string]any); ok && entry["value"] != nil {
			return entry["value"]
		}
	}
	return nil
}

func inconsistentTypes(path []pathSeg, had any, now string) error {
	var what string
	switch had.(type) {
	case *mergedObject:
		what = "an object"
	case *mergedArray:
		what = "an array of objects"
	default:
		raw, _ := json.Marshal(had)
		what = "the value " + string(raw)
		if len(what) > 120 {
			what = what[:117] + "..."
		}
	}
	return fmt.Errorf("ocds: inconsistent types at %s: an earlier release had %s there, a later one has %s", pathString(path), what, now)
}

func (n *mergedObject) json() map[string]any {
	out := make(map[string]any, len(n.fields))
	for k, v := range n.fields {
		switch c := v.(type) {
		case *mergedObject:
			out[k] = c.json()
		case *mergedArray:
			items := make([]any, len(c.items))
			for i, it := range c.items {
				items[i] = it.json()
			}
			out[k] = items
		default:
			out[k] = v
		}
	}
	return out
}

func fieldNames(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Equality.

// jsonEqual is deep equality of JSON values, numbers by numeric value as
// Python compares ints and floats.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		return ok && (x == y || numKey(x) == numKey(y))
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !jsonEqual(v, w) {
				return false
			}
		}
		return true
	}
	return false
}

// numKey is a canonical name of a JSON number's value as Python reads it: an
// integer literal is an exact integer, any other a float64 (overflowing to
// infinity); an integral float equals the integer of the same value. Text that
// is not a JSON number is named by itself.
func numKey(n json.Number) string {
	s := string(n)
	if !isJSONNumber(s) {
		return "x:" + s
	}
	if !strings.ContainsAny(s, ".eE") {
		neg := strings.HasPrefix(s, "-")
		s = strings.TrimLeft(strings.TrimPrefix(s, "-"), "0")
		if s == "" {
			return "i:0"
		}
		if neg {
			return "i:-" + s
		}
		return "i:" + s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return "x:" + string(n) // not reached: the grammar was checked
	}
	switch {
	case math.IsInf(f, 1):
		return "f:+inf"
	case math.IsInf(f, -1):
		return "f:-inf"
	case f == math.Trunc(f):
		i, _ := new(big.Float).SetFloat64(f).Int(nil)
		return "i:" + i.String()
	}
	return "f:" + strconv.FormatFloat(f, 'g', -1, 64)
}

// isJSONNumber checks the JSON number grammar.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == j {
			return false
		}
	}
	return i == len(s)
}
