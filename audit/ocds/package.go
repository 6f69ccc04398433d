package ocds

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Publisher is the organisation publishing the data.
type Publisher struct {
	Name   string `json:"name"`
	Scheme string `json:"scheme,omitempty"`
	UID    string `json:"uid,omitempty"`
	URI    string `json:"uri,omitempty"`
}

// Metadata is what every package says of itself.
type Metadata struct {
	URI               string    `json:"uri"`
	Version           string    `json:"version"`
	Extensions        []string  `json:"extensions"`
	PublishedDate     string    `json:"publishedDate"`
	Publisher         Publisher `json:"publisher"`
	License           string    `json:"license,omitempty"`
	PublicationPolicy string    `json:"publicationPolicy,omitempty"`
}

// ReleasePackage is the OCDS 1.1 release package.
type ReleasePackage struct {
	Metadata
	Releases []Release `json:"releases"`
}

// RecordPackage is the OCDS 1.1 record package.
type RecordPackage struct {
	Metadata
	Records []Record `json:"records"`
}

// metadata of a package at uri holding ps.
func metadata(cfg Config, uri string, ps []Process) Metadata {
	return Metadata{URI: uri, Version: "1.1", Extensions: Extensions, PublishedDate: lastDate(ps),
		Publisher: cfg.Publisher, License: cfg.License, PublicationPolicy: cfg.PublicationPolicy}
}

// Record is one contracting process: its releases, embedded, and what they
// merge into.
type Record struct {
	OCID             string    `json:"ocid"`
	Releases         []Release `json:"releases"`
	CompiledRelease  JSON      `json:"compiledRelease"`
	VersionedRelease JSON      `json:"versionedRelease"`
}

// Process is one case's releases in log order.
type Process struct {
	CaseID   string
	OCID     string
	Releases []Release
}

// lastDate is the date of the latest release: the package's publishedDate, so
// the same log always gives the same bytes.
func lastDate(ps []Process) string {
	last := ""
	for _, p := range ps {
		for _, r := range p.Releases {
			if r.Date > last {
				last = r.Date
			}
		}
	}
	return last
}

// NewReleasePackage packs the releases of every process, case by case.
func NewReleasePackage(cfg Config, uri string, ps []Process) ReleasePackage {
	pkg := ReleasePackage{Metadata: metadata(cfg, uri, ps), Releases: []Release{}}
	for _, p := range ps {
		pkg.Releases = append(pkg.Releases, p.Releases...)
	}
	return pkg
}

// NewRecordPackage merges each process's releases into its record by the
// OCDS 1.1.5 merge rules.
func NewRecordPackage(cfg Config, uri string, ps []Process) (RecordPackage, error) {
	pkg := RecordPackage{Metadata: metadata(cfg, uri, ps), Records: []Record{}}
	rules := Rules115()
	for _, p := range ps {
		if len(p.Releases) == 0 {
			continue
		}
		generic, err := toJSON(p.Releases)
		if err != nil {
			return RecordPackage{}, err
		}
		compiled, err := Compile(rules, generic)
		if err != nil {
			return RecordPackage{}, fmt.Errorf("ocds: compile %s: %w", p.OCID, err)
		}
		versioned, err := Versioned(rules, generic)
		if err != nil {
			return RecordPackage{}, fmt.Errorf("ocds: version %s: %w", p.OCID, err)
		}
		pkg.Records = append(pkg.Records, Record{OCID: p.OCID, Releases: p.Releases, CompiledRelease: compiled, VersionedRelease: versioned})
	}
	return pkg, nil
}

// toJSON turns typed releases into generic JSON for the merge, numbers kept
// exactly as written.
func toJSON(rs []Release) ([]JSON, error) {
	out := make([]JSON, 0, len(rs))
	for _, r := range rs {
		raw, err := json.Marshal(r)
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var m JSON
		if err := dec.Decode(&m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// Encode writes a package as the bytes Felles serves: compact JSON, keys in a
// fixed order, no HTML escaping, one trailing newline.
func Encode(pkg any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(pkg); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
