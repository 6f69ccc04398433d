package es

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Event is implemented by every domain event: EventType is the permanent name
// stored in the log (never a Go reflection name).
type Event interface {
	EventType() string
}

// Upcaster turns the JSON of one schema version into the JSON of the next.
type Upcaster func(data json.RawMessage) (json.RawMessage, error)

type registration[E Event] struct {
	version   int
	decode    func(data []byte) (E, error)
	upcasters map[int]Upcaster // from version → version+1
}

// Registry maps permanent event type names to their current schema version and a
// decoder, with upcasters for every older version still found in logs.
type Registry[E Event] struct {
	types map[string]*registration[E]
}

// NewRegistry returns an empty registry; packages fill theirs in a constructor
// function, never in init().
func NewRegistry[E Event]() *Registry[E] {
	return &Registry[E]{types: map[string]*registration[E]{}}
}

// Register declares event type T under its permanent name at the given current
// schema version. It panics on a duplicate name: that is a programming error
// found by the first test that builds the registry.
func Register[T any, E Event](r *Registry[E], version int) {
	var zero T
	ev, ok := any(zero).(E)
	if !ok {
		panic(fmt.Sprintf("es: %T does not implement the event interface", zero))
	}
	name := ev.EventType()
	if _, dup := r.types[name]; dup {
		panic("es: event type registered twice: " + name)
	}
	if version < 1 {
		panic("es: schema versions start at 1: " + name)
	}
	r.types[name] = &registration[E]{
		version: version,
		decode: func(data []byte) (E, error) {
			var v T
			if err := json.Unmarshal(data, &v); err != nil {
				var none E
				return none, err
			}
			return any(v).(E), nil
		},
		upcasters: map[int]Upcaster{},
	}
}

// AddUpcaster registers the step from schema version `from` to from+1 of name.
func (r *Registry[E]) AddUpcaster(name string, from int, up Upcaster) {
	reg, ok := r.types[name]
	if !ok {
		panic("es: upcaster for unknown event type " + name)
	}
	reg.upcasters[from] = up
}

// Version is the current schema version of name, or 0 when it is unknown.
func (r *Registry[E]) Version(name string) int {
	if reg, ok := r.types[name]; ok {
		return reg.version
	}
	return 0
}

// Names lists every registered event type, sorted.
func (r *Registry[E]) Names() []string {
	out := make([]string, 0, len(r.types))
	for n := range r.types {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Knows says whether name is one of this registry's event types.
func (r *Registry[E]) Knows(name string) bool { _, ok := r.types[name]; return ok }

// Encode returns the permanent name, current schema version and JSON of ev.
func (r *Registry[E]) Encode(ev E) (name string, version int, data []byte, err error) {
	name = ev.EventType()
	reg, ok := r.types[name]
	if !ok {
		return "", 0, nil, fmt.Errorf("es: encode: event type %q is not registered", name)
	}
	data, err = json.Marshal(ev)
	if err != nil {
		return "", 0, nil, fmt.Errorf("es: encode %s: %w", name, err)
	}
	return name, reg.version, data, nil
}

// Decode upcasts data written at schema version `version` to the current version
// and decodes it. ok is false for a type this registry does not know: callers
// skip such events (Evolve is total) rather than fail.
func (r *Registry[E]) Decode(name string, version int, data []byte) (ev E, ok bool, err error) {
	reg, known := r.types[name]
	if !known {
		return ev, false, nil
	}
	if version > reg.version {
		return ev, true, fmt.Errorf("es: %s schema version %d is newer than this build knows (%d)", name, version, reg.version)
	}
	raw := json.RawMessage(data)
	for v := version; v < reg.version; v++ {
		up, has := reg.upcasters[v]
		if !has {
			return ev, true, fmt.Errorf("es: no upcaster for %s from schema version %d", name, v)
		}
		if raw, err = up(raw); err != nil {
			return ev, true, fmt.Errorf("es: upcast %s v%d: %w", name, v, err)
		}
	}
	ev, err = reg.decode(raw)
	if err != nil {
		return ev, true, fmt.Errorf("es: decode %s: %w", name, err)
	}
	return ev, true, nil
}
