package ocds

import (
	"fmt"
	"strings"

	"github.com/felles/felles/domain/es"
	"github.com/felles/felles/domain/organisation"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// Log folds events, in log order, into releases, case by case. Organisation
// events it meets fill its own directory; a Log made with a directory (one
// case read from its stream) asks that one instead.
type Log struct {
	cfg      Config
	dir      Directory
	orgs     map[string]Org
	cases    map[string]*caseBuilder
	order    []string
	releases map[string][]Release
	procs    *es.Registry[procurement.Event]
	orgEvs   *es.Registry[organisation.Event]
}

// NewLog starts an empty fold; dir may be nil to learn organisations from the
// log itself.
func NewLog(cfg Config, dir Directory) (*Log, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	l := &Log{cfg: cfg, dir: dir, orgs: map[string]Org{}, cases: map[string]*caseBuilder{},
		releases: map[string][]Release{}, procs: procurement.Events(), orgEvs: organisation.Events()}
	if l.dir == nil {
		l.dir = func(id string) (Org, bool) { o, ok := l.orgs[id]; return o, ok }
	}
	return l, nil
}

// Add folds the next event of the log. Events of other streams are skipped.
func (l *Log) Add(rec eventstore.Record) error {
	switch {
	case strings.HasPrefix(rec.Stream, "organisation-"):
		ev, ok, err := l.orgEvs.Decode(rec.Type, rec.SchemaVersion, rec.Data)
		if err != nil {
			return fmt.Errorf("ocds: event %s of %s: %w", rec.ID, rec.Stream, err)
		}
		if reg, isReg := ev.(organisation.OrganisationRegistered); ok && isReg {
			l.orgs[reg.ID] = Org{ID: reg.ID, Name: reg.Name, OrgNumber: reg.OrgNumber}
		}
	case strings.HasPrefix(rec.Stream, "procurement-"):
		caseID := strings.TrimPrefix(rec.Stream, "procurement-")
		ev, ok, err := l.procs.Decode(rec.Type, rec.SchemaVersion, rec.Data)
		if err != nil {
			return fmt.Errorf("ocds: event %s of %s: %w", rec.ID, rec.Stream, err)
		}
		if !ok {
			return nil // a type this version does not know publishes nothing
		}
		b, seen := l.cases[caseID]
		if !seen {
			b = newCaseBuilder(l.cfg, l.dir, caseID)
			l.cases[caseID] = b
			l.order = append(l.order, caseID)
		}
		r, err := b.apply(rec, ev)
		if err != nil {
			return err
		}
		if r != nil {
			l.releases[caseID] = append(l.releases[caseID], *r)
		}
	}
	return nil
}

// Processes are the cases met, in the order of their first event, with their
// releases.
func (l *Log) Processes() []Process {
	out := make([]Process, 0, len(l.order))
	for _, id := range l.order {
		out = append(out, Process{CaseID: id, OCID: l.cfg.OCID(id), Releases: l.releases[id]})
	}
	return out
}
