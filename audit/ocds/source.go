package ocds

import (
	"context"
	"errors"
	"fmt"

	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

var (
	// ErrNoCase is returned for a case the log does not hold.
	ErrNoCase = errors.New("ocds: the log holds no such case")
	// ErrNotACaseID is returned for a case ID that is not a UUID.
	ErrNotACaseID = errors.New("ocds: not a case ID (a UUID)")
)

const page = 5_000

// Source builds packages from an event store.
type Source struct {
	store eventstore.Store
	cfg   Config
}

// NewSource reads store under cfg.
func NewSource(store eventstore.Store, cfg Config) (*Source, error) {
	if store == nil {
		return nil, errors.New("ocds: a source needs an event store")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Source{store: store, cfg: cfg}, nil
}

// Config is the source's configuration.
func (s *Source) Config() Config { return s.cfg }

// OCID is the ocid of a case.
func (s *Source) OCID(caseID string) string { return s.cfg.OCID(caseID) }

// Case is one case's process, read from its stream; the organisations it
// names are read from their own streams.
func (s *Source) Case(ctx context.Context, caseID string) (Process, error) {
	return s.caseUpTo(ctx, caseID, nil)
}

// caseUpTo is the case as its releases stood after revision upTo of its
// stream (nil: now).
func (s *Source) caseUpTo(ctx context.Context, caseID string, upTo *uint64) (Process, error) {
	if !procurement.ValidID(caseID) {
		return Process{}, fmt.Errorf("%w: %q", ErrNotACaseID, caseID)
	}
	recs, err := readStream(ctx, s.store, procurement.StreamID(caseID))
	if err != nil {
		return Process{}, err
	}
	if len(recs) == 0 {
		return Process{}, fmt.Errorf("%w: %s", ErrNoCase, caseID)
	}
	if upTo != nil && *upTo+1 < uint64(len(recs)) {
		recs = recs[:*upTo+1]
	}
	dir := &streamDirectory{ctx: ctx, store: s.store, orgs: map[string]*Org{}}
	log, err := NewLog(s.cfg, dir.lookup)
	if err != nil {
		return Process{}, err
	}
	for _, rec := range recs {
		if err := log.Add(rec); err != nil {
			return Process{}, err
		}
		if dir.err != nil {
			return Process{}, dir.err
		}
	}
	return log.Processes()[0], nil
}

// All is every case of the log, read in log order.
func (s *Source) All(ctx context.Context) ([]Process, error) {
	log, err := NewLog(s.cfg, nil)
	if err != nil {
		return nil, err
	}
	var after eventstore.Position
	for {
		recs, err := s.store.ReadAll(ctx, after, page)
		if err != nil {
			return nil, fmt.Errorf("ocds: read the log: %w", err)
		}
		for _, rec := range recs {
			if err := log.Add(rec); err != nil {
				return nil, err
			}
		}
		if len(recs) < page {
			return log.Processes(), nil
		}
		after = recs[len(recs)-1].Position
	}
}

// processes is one case (caseID) or every case ("").
func (s *Source) processes(ctx context.Context, caseID string) ([]Process, error) {
	if caseID == "" {
		return s.All(ctx)
	}
	p, err := s.Case(ctx, caseID)
	if err != nil {
		return nil, err
	}
	return []Process{p}, nil
}

// URI is where a package is served.
func (s *Source) URI(kind, caseID string) string {
	u := s.cfg.BaseURL + "/ocds/" + kind
	if caseID != "" {
		u += "/" + caseID
	}
	return u
}

// ReleasePackage is the release package of one case, or of every case for "".
func (s *Source) ReleasePackage(ctx context.Context, caseID string) ([]byte, error) {
	ps, err := s.processes(ctx, caseID)
	if err != nil {
		return nil, err
	}
	return Encode(NewReleasePackage(s.cfg, s.URI("releases", caseID), ps))
}

// RecordPackage is the record package of one case, or of every case for "".
func (s *Source) RecordPackage(ctx context.Context, caseID string) ([]byte, error) {
	ps, err := s.processes(ctx, caseID)
	if err != nil {
		return nil, err
	}
	pkg, err := NewRecordPackage(s.cfg, s.URI("records", caseID), ps)
	if err != nil {
		return nil, err
	}
	return Encode(pkg)
}

// CasePackage is one case's record package (records) or release package,
// as it stood after revision upTo of the case's stream (nil: now): what time
// travel shows.
func (s *Source) CasePackage(ctx context.Context, caseID string, records bool, upTo *uint64) ([]byte, error) {
	p, err := s.caseUpTo(ctx, caseID, upTo)
	if err != nil {
		return nil, err
	}
	if !records {
		return Encode(NewReleasePackage(s.cfg, s.URI("releases", caseID), []Process{p}))
	}
	pkg, err := NewRecordPackage(s.cfg, s.URI("records", caseID), []Process{p})
	if err != nil {
		return nil, err
	}
	return Encode(pkg)
}

// streamDirectory reads an organisation's registration (the first event of
// its stream) the first time a release names it.
type streamDirectory struct {
	ctx   context.Context
	store eventstore.Store
	orgs  map[string]*Org
	err   error
}

func (d *streamDirectory) lookup(id string) (Org, bool) {
	if o, seen := d.orgs[id]; seen {
		if o == nil {
			return Org{}, false
		}
		return *o, true
	}
	d.orgs[id] = nil
	recs, err := d.store.ReadStream(d.ctx, organisation.StreamID(id), 0, 1)
	if err != nil {
		d.err = fmt.Errorf("ocds: read organisation %s: %w", id, err)
		return Org{}, false
	}
	if len(recs) == 0 {
		return Org{}, false
	}
	ev, ok, err := organisation.Events().Decode(recs[0].Type, recs[0].SchemaVersion, recs[0].Data)
	if err != nil {
		d.err = fmt.Errorf("ocds: organisation %s: %w", id, err)
		return Org{}, false
	}
	reg, isReg := ev.(organisation.OrganisationRegistered)
	if !ok || !isReg {
		return Org{}, false
	}
	o := Org{ID: reg.ID, Name: reg.Name, OrgNumber: reg.OrgNumber}
	d.orgs[id] = &o
	return o, true
}

func readStream(ctx context.Context, store eventstore.Store, stream string) ([]eventstore.Record, error) {
	var out []eventstore.Record
	var from uint64
	for {
		recs, err := store.ReadStream(ctx, stream, from, page)
		if err != nil {
			return nil, fmt.Errorf("ocds: read %s: %w", stream, err)
		}
		out = append(out, recs...)
		if len(recs) < page {
			return out, nil
		}
		from = recs[len(recs)-1].Revision + 1
	}
}
