package ocds

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// MergeRules says how fields merge. A path is the field names from the top of
// a release joined by ".", array levels left out: "parties.additionalIdentifiers",
// "tender.items.additionalClassifications", "tender.id".
//
// A field with no rule merges by the generic rules of OCDS 1.1 (objects field by
// field, arrays of objects by identifier, anything else replaced whole); that is
// how fields of extensions that the rules do not know merge.
type MergeRules struct {
	// OmitWhenMerged: the field is left out of compiled and versioned releases
	// (at the top level of OCDS 1.1.5: "id", "date" and "tag").
	OmitWhenMerged map[string]bool
	// WholeListMerge: the field's value is replaced whole, never merged, even if
	// it is an array of objects with ids. ocdsmerge also gives this rule to every
	// array whose items the schema declares as anything but objects with an "id"
	// (such as "parties.roles"); arrays that are not in the rules and hold
	// anything but objects are replaced whole anyway.
	WholeListMerge map[string]bool
	// VersionID: the "id" fields declared "versionId": true. It is
	// informational: as OCDS 1.1.5 ("Merging", Identifier merge) and ocdsmerge
	// define it, an "id" that is not the id of an object in an array is
	// versioned like any field, and the id of an object in an array is kept
	// plain in a versioned release, versionId or not ("If versionId: true is
	// declared on the id field of an object within an array, it is ignored").
	VersionID map[string]bool
}

// Rules115 returns the merge rules of the official OCDS 1.1.5 release schema:
// what RulesFromSchema gives for it (and what ocdsmerge 0.8.0 derives from it),
// written out so that nothing reads the schema at run time. Each call returns
// fresh maps.
func Rules115() MergeRules {
	return MergeRules{
		OmitWhenMerged: ruleSet("date", "id", "tag"),
		WholeListMerge: ruleSet(
			"awards.amendment.changes",
			"awards.amendments.changes",
			"awards.items.additionalClassifications",
			"awards.suppliers.additionalIdentifiers",
			"buyer.additionalIdentifiers",
			"contracts.amendment.changes",
			"contracts.amendments.changes",
			"contracts.implementation.transactions.payee.additionalIdentifiers",
			"contracts.implementation.transactions.payer.additionalIdentifiers",
			"contracts.items.additionalClassifications",
			"contracts.relatedProcesses.relationship",
			"parties.additionalIdentifiers",
			"parties.roles",
			"relatedProcesses.relationship",
			"tender.additionalProcurementCategories",
			"tender.amendment.changes",
			"tender.amendments.changes",
			"tender.items.additionalClassifications",
			"tender.procuringEntity.additionalIdentifiers",
			"tender.submissionMethod",
			"tender.tenderers.additionalIdentifiers",
		),
		VersionID: ruleSet(
			"awards.items.classification.id",
			"awards.items.unit.id",
			"awards.suppliers.identifier.id",
			"buyer.identifier.id",
			"contracts.implementation.transactions.payee.identifier.id",
			"contracts.implementation.transactions.payer.identifier.id",
			"contracts.implementation.transactions.providerOrganization.id",
			"contracts.implementation.transactions.receiverOrganization.id",
			"contracts.items.classification.id",
			"contracts.items.unit.id",
			"parties.identifier.id",
			"tender.id",
			"tender.items.classification.id",
			"tender.items.unit.id",
			"tender.procuringEntity.identifier.id",
			"tender.tenderers.identifier.id",
		),
	}
}

func ruleSet(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// maxSchemaNodes bounds the walk of RulesFromSchema, so that a schema whose
// refs fan out exponentially is refused instead of walked for ever.
const maxSchemaNodes = 200000

// RulesFromSchema derives the merge rules from a release schema (JSON Schema
// draft 4, "$ref" to "#/..." in the same document), the way ocdsmerge does:
// starting from the top-level "properties", with every "$ref" replaced by what
// it points to (keys beside a "$ref" are ignored, as jsonref does),
//
//   - a field with "omitWhenMerged" (or the 1.0 "mergeStrategy": "ocdsOmit")
//     is omitted, and nothing under it gets a rule;
//   - else an array with "wholeListMerge" (or "mergeStrategy": "ocdsVersion")
//     is merged whole, and nothing under it gets a rule;
//   - else an object with "properties" is walked into;
//   - else an array with "items" is merged whole if the items' "type" names
//     anything but "object", or if they are objects with "properties" but no
//     "id" among them; objects with an "id" are walked into.
//
// An "id" field with "versionId" reached by this walk is listed in VersionID.
// Only local refs are followed; a remote or dangling ref, a ref cycle, or a
// field schema that is not an object is an error (ocdsmerge would fetch the
// remote ref, or fail).
func RulesFromSchema(schema []byte) (MergeRules, error) {
	dec := json.NewDecoder(bytes.NewReader(schema))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return MergeRules{}, fmt.Errorf("ocds: release schema: %w", err)
	}
	if dec.More() {
		return MergeRules{}, fmt.Errorf("ocds: release schema: more than one JSON value")
	}
	w := &schemaWalker{root: root, rules: MergeRules{
		OmitWhenMerged: map[string]bool{},
		WholeListMerge: map[string]bool{},
		VersionID:      map[string]bool{},
	}}
	top, err := w.resolve(root, "#", nil)
	if err != nil {
		return MergeRules{}, err
	}
	obj, ok := top.node.(map[string]any)
	if !ok {
		return MergeRules{}, fmt.Errorf("ocds: release schema: not a JSON object")
	}
	props, ok := obj["properties"]
	if !ok {
		return MergeRules{}, fmt.Errorf("ocds: release schema: no top-level \"properties\"")
	}
	if err := w.walk(props, "", top.refs); err != nil {
		return MergeRules{}, err
	}
	return w.rules, nil
}

type schemaWalker struct {
	root  any
	rules MergeRules
	nodes int
}

// resolved is a schema node with every "$ref" on it followed, and the refs
// followed to reach it from the top (to find cycles).
type resolved struct {
	node any
	refs []string
}

// resolve follows "$ref" until it reaches a node without one. refs are the
// refs already being expanded above this node.
func (w *schemaWalker) resolve(node any, where string, refs []string) (resolved, error) {
	for {
		obj, ok := node.(map[string]any)
		if !ok {
			return resolved{node, refs}, nil
		}
		raw, ok := obj["$ref"]
		if !ok {
			return resolved{node, refs}, nil
		}
		ref, ok := raw.(string)
		if !ok {
			return resolved{}, fmt.Errorf("ocds: release schema: %s: $ref is not a string", where)
		}
		for _, seen := range refs {
			if seen == ref {
				return resolved{}, fmt.Errorf("ocds: release schema: %s: $ref %q is cyclic (%s)", where, ref, strings.Join(append(refs, ref), " -> "))
			}
		}
		target, err := jsonPointer(w.root, ref)
		if err != nil {
			return resolved{}, fmt.Errorf("ocds: release schema: %s: %w", where, err)
		}
		refs = append(refs[:len(refs):len(refs)], ref)
		node, where = target, ref
	}
}

// jsonPointer resolves a local JSON reference "#/a/b" (RFC 6901 with ~0 and ~1).
func jsonPointer(root any, ref string) (any, error) {
	if ref == "#" {
		return root, nil
	}
	if !strings.HasPrefix(ref, "#/") {
		return nil, fmt.Errorf("$ref %q is not local (only refs starting with \"#/\" are followed)", ref)
	}
	node := root
	for _, tok := range strings.Split(ref[2:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch n := node.(type) {
		case map[string]any:
			next, ok := n[tok]
			if !ok {
				return nil, fmt.Errorf("$ref %q points at nothing (no %q)", ref, tok)
			}
			node = next
		case []any:
			i, ok := pointerIndex(tok, len(n))
			if !ok {
				return nil, fmt.Errorf("$ref %q points at nothing (no index %q)", ref, tok)
			}
			node = n[i]
		default:
			return nil, fmt.Errorf("$ref %q points at nothing (%q is under a value)", ref, tok)
		}
	}
	return node, nil
}

func pointerIndex(tok string, n int) (int, bool) {
	if tok == "" || len(tok) > 9 || (len(tok) > 1 && tok[0] == '0') {
		return 0, false
	}
	i := 0
	for _, c := range tok {
		if c < '0' || c > '9' {
			return 0, false
		}
		i = i*10 + int(c-'0')
	}
	return i, i < n
}

// walk derives the rules of the fields in a "properties" object.
func (w *schemaWalker) walk(props any, path string, refs []string) error {
	r, err := w.resolve(props, "properties of "+schemaPlace(path), refs)
	if err != nil {
		return err
	}
	obj, ok := r.node.(map[string]any)
	if !ok {
		return fmt.Errorf("ocds: release schema: the properties of %s are not an object", schemaPlace(path))
	}
	for _, key := range fieldNames(obj) {
		w.nodes++
		if w.nodes > maxSchemaNodes {
			return fmt.Errorf("ocds: release schema: more than %d fields to walk; refusing", maxSchemaNodes)
		}
		full := key
		if path != "" {
			full = path + "." + key
		}
		fr, err := w.resolve(obj[key], full, r.refs)
		if err != nil {
			return err
		}
		field, ok := fr.node.(map[string]any)
		if !ok {
			return fmt.Errorf("ocds: release schema: the schema of %s is not an object", full)
		}
		types := schemaTypes(field)
		switch {
		case pyTruthy(field["omitWhenMerged"]) || field["mergeStrategy"] == "ocdsOmit":
			w.rules.OmitWhenMerged[full] = true
			continue
		case types["array"] && (pyTruthy(field["wholeListMerge"]) || field["mergeStrategy"] == "ocdsVersion"):
			w.rules.WholeListMerge[full] = true
			continue
		}
		if key == "id" && pyTruthy(field["versionId"]) {
			w.rules.VersionID[full] = true
		}
		if _, has := field["properties"]; types["object"] && has {
			if err := w.walk(field["properties"], full, fr.refs); err != nil {
				return err
			}
			continue
		}
		rawItems, has := field["items"]
		if !types["array"] || !has {
			continue
		}
		ir, err := w.resolve(rawItems, full+" items", fr.refs)
		if err != nil {
			return err
		}
		items, ok := ir.node.(map[string]any)
		if !ok {
			continue // tuple validation: ocdsmerge sees no item types, so no rule
		}
		itemTypes := schemaTypes(items)
		other := false
		for t := range itemTypes {
			other = other || t != "object"
		}
		itemProps, hasProps := items["properties"]
		switch {
		case other:
			w.rules.WholeListMerge[full] = true
		case itemTypes["object"] && hasProps:
			pr, err := w.resolve(itemProps, "properties of "+full+" items", ir.refs)
			if err != nil {
				return err
			}
			po, ok := pr.node.(map[string]any)
			if !ok {
				return fmt.Errorf("ocds: release schema: the properties of %s items are not an object", full)
			}
			if _, hasID := po["id"]; !hasID {
				w.rules.WholeListMerge[full] = true
			} else if err := w.walk(po, full, pr.refs); err != nil {
				return err
			}
		}
	}
	return nil
}

func schemaPlace(path string) string {
	if path == "" {
		return "the release"
	}
	return path
}

// schemaTypes is a field schema's "type", string or array, as a set.
func schemaTypes(field map[string]any) map[string]bool {
	types := map[string]bool{}
	switch t := field["type"].(type) {
	case string:
		types[t] = true
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				types[s] = true
			}
		}
	}
	return types
}

// pyTruthy is Python's truth of a JSON value, which ocdsmerge tests keywords by
// ("omitWhenMerged": false and absent are both false).
func pyTruthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case json.Number:
		k := numKey(x)
		return k != "i:0"
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}
