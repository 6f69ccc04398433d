package es_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/felles/felles/domain/es"
)

// A scratch event family: ContactRenamed was stored at schema version 1 as one
// full name; version 2 splits it into given and family name; version 3 adds the
// locale the name is written in.

type event interface {
	es.Event
	isScratch()
}

type ContactRenamed struct {
	Org        string `json:"org"`
	GivenName  string `json:"givenName"`
	FamilyName string `json:"familyName"`
}

func (ContactRenamed) EventType() string { return "ContactRenamed" }
func (ContactRenamed) isScratch()        {}

type NoteAdded struct {
	Text string `json:"text"`
}

func (NoteAdded) EventType() string { return "NoteAdded" }
func (NoteAdded) isScratch()        {}

type Unregistered struct{}

func (Unregistered) EventType() string { return "Unregistered" }
func (Unregistered) isScratch()        {}

// contactRenamedV1 is the shape version 1 stored; only the test still knows it.
type contactRenamedV1 struct {
	Org      string `json:"org"`
	FullName string `json:"fullName"`
}

type contactRenamedV2 struct {
	Org        string `json:"org"`
	GivenName  string `json:"givenName"`
	FamilyName string `json:"familyName"`
}

// splitFullName is the upcaster from version 1 to 2: the last word is the
// family name.
func splitFullName(data json.RawMessage) (json.RawMessage, error) {
	var v1 contactRenamedV1
	if err := json.Unmarshal(data, &v1); err != nil {
		return nil, err
	}
	given, family := v1.FullName, ""
	if i := strings.LastIndex(v1.FullName, " "); i >= 0 {
		given, family = v1.FullName[:i], v1.FullName[i+1:]
	}
	return json.Marshal(contactRenamedV2{Org: v1.Org, GivenName: given, FamilyName: family})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// scratch is a registry at version 2 of ContactRenamed with its upcaster.
func scratch() *es.Registry[event] {
	r := es.NewRegistry[event]()
	es.Register[ContactRenamed](r, 2)
	es.Register[NoteAdded](r, 1)
	r.AddUpcaster("ContactRenamed", 1, splitFullName)
	return r
}

func panics(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = r.(string)
		}
	}()
	f()
	return ""
}

func TestRegistry(t *testing.T) {
	t.Run("upcasts_a_version_1_event_to_the_current_version_2", func(t *testing.T) {
		golden := mustJSON(t, contactRenamedV1{Org: "bergen", FullName: "Kari Anne Nordmann"})
		if want := `{"org":"bergen","fullName":"Kari Anne Nordmann"}`; string(golden) != want {
			t.Fatalf("golden v1 fixture %s, want %s", golden, want)
		}
		ev, ok, err := scratch().Decode("ContactRenamed", 1, golden)
		if err != nil || !ok {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
		want := ContactRenamed{Org: "bergen", GivenName: "Kari Anne", FamilyName: "Nordmann"}
		if !reflect.DeepEqual(ev, event(want)) {
			t.Fatalf("got %#v, want %#v", ev, want)
		}
	})

	t.Run("the_upcaster_writes_the_version_2_shape", func(t *testing.T) {
		out, err := splitFullName(mustJSON(t, contactRenamedV1{Org: "oslo", FullName: "Ola Nordmann"}))
		if err != nil {
			t.Fatal(err)
		}
		want := mustJSON(t, contactRenamedV2{Org: "oslo", GivenName: "Ola", FamilyName: "Nordmann"})
		if !bytes.Equal(out, want) {
			t.Fatalf("upcast to %s, want %s", out, want)
		}
	})

	t.Run("an_event_at_the_current_version_is_not_upcast", func(t *testing.T) {
		current := ContactRenamed{Org: "bergen", GivenName: "Kari", FamilyName: "Nordmann"}
		name, version, data, err := scratch().Encode(current)
		if err != nil || name != "ContactRenamed" || version != 2 {
			t.Fatalf("encode: %s v%d %v", name, version, err)
		}
		back, ok, err := scratch().Decode(name, version, data)
		if err != nil || !ok || !reflect.DeepEqual(back, event(current)) {
			t.Fatalf("decode: %#v ok=%v err=%v", back, ok, err)
		}
	})

	t.Run("upcasters_run_in_order_from_the_stored_version", func(t *testing.T) {
		r := es.NewRegistry[event]()
		es.Register[ContactRenamed](r, 3)
		var steps []int
		r.AddUpcaster("ContactRenamed", 2, func(d json.RawMessage) (json.RawMessage, error) {
			steps = append(steps, 2)
			return d, nil
		})
		r.AddUpcaster("ContactRenamed", 1, func(d json.RawMessage) (json.RawMessage, error) {
			steps = append(steps, 1)
			return splitFullName(d)
		})
		ev, _, err := r.Decode("ContactRenamed", 1, mustJSON(t, contactRenamedV1{Org: "bergen", FullName: "Kari Nordmann"}))
		if err != nil || !reflect.DeepEqual(steps, []int{1, 2}) {
			t.Fatalf("steps %v err %v", steps, err)
		}
		if ev.(ContactRenamed).FamilyName != "Nordmann" {
			t.Fatalf("decoded %#v", ev)
		}
		steps = nil
		if _, _, err := r.Decode("ContactRenamed", 2, mustJSON(t, contactRenamedV2{Org: "bergen", GivenName: "Kari"})); err != nil || !reflect.DeepEqual(steps, []int{2}) {
			t.Fatalf("from v2: steps %v err %v", steps, err)
		}
	})

	t.Run("a_missing_upcaster_is_an_error", func(t *testing.T) {
		r := es.NewRegistry[event]()
		es.Register[ContactRenamed](r, 2)
		_, ok, err := r.Decode("ContactRenamed", 1, mustJSON(t, contactRenamedV1{Org: "bergen", FullName: "Kari Nordmann"}))
		if !ok || err == nil || !strings.Contains(err.Error(), "no upcaster") {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
	})

	t.Run("a_failing_upcaster_is_reported_with_its_cause", func(t *testing.T) {
		boom := errors.New("boom")
		r := es.NewRegistry[event]()
		es.Register[ContactRenamed](r, 2)
		r.AddUpcaster("ContactRenamed", 1, func(json.RawMessage) (json.RawMessage, error) { return nil, boom })
		if _, ok, err := r.Decode("ContactRenamed", 1, []byte(`{}`)); !ok || !errors.Is(err, boom) {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
	})

	t.Run("an_event_from_a_newer_build_is_refused", func(t *testing.T) {
		if _, ok, err := scratch().Decode("ContactRenamed", 3, []byte(`{}`)); !ok || err == nil {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
	})

	t.Run("malformed_json_is_a_decode_error", func(t *testing.T) {
		if _, ok, err := scratch().Decode("NoteAdded", 1, []byte(`{"text":`)); !ok || err == nil {
			t.Fatalf("ok=%v err=%v", ok, err)
		}
	})

	t.Run("an_unknown_type_decodes_with_ok_false_and_no_error", func(t *testing.T) {
		ev, ok, err := scratch().Decode("SomethingNewer", 7, []byte(`not even json`))
		if ok || err != nil || ev != nil {
			t.Fatalf("ev=%v ok=%v err=%v", ev, ok, err)
		}
	})

	t.Run("encoding_an_unregistered_type_is_an_error", func(t *testing.T) {
		if _, _, _, err := scratch().Encode(Unregistered{}); err == nil {
			t.Fatal("want an error")
		}
	})

	t.Run("lists_names_sorted_and_knows_versions", func(t *testing.T) {
		r := scratch()
		if got := r.Names(); !reflect.DeepEqual(got, []string{"ContactRenamed", "NoteAdded"}) {
			t.Fatalf("names %v", got)
		}
		if r.Version("ContactRenamed") != 2 || r.Version("NoteAdded") != 1 || r.Version("Unregistered") != 0 {
			t.Fatal("wrong versions")
		}
		if !r.Knows("NoteAdded") || r.Knows("Unregistered") {
			t.Fatal("wrong Knows")
		}
	})

	t.Run("refuses_a_name_registered_twice", func(t *testing.T) {
		r := scratch()
		if msg := panics(func() { es.Register[NoteAdded](r, 1) }); !strings.Contains(msg, "twice") {
			t.Fatalf("panic %q", msg)
		}
	})

	t.Run("refuses_schema_version_0", func(t *testing.T) {
		if msg := panics(func() { es.Register[NoteAdded](es.NewRegistry[event](), 0) }); !strings.Contains(msg, "start at 1") {
			t.Fatalf("panic %q", msg)
		}
	})

	t.Run("refuses_a_type_that_is_not_an_event_of_the_family", func(t *testing.T) {
		if msg := panics(func() { es.Register[contactRenamedV1](es.NewRegistry[event](), 1) }); !strings.Contains(msg, "does not implement") {
			t.Fatalf("panic %q", msg)
		}
	})

	t.Run("refuses_an_upcaster_for_an_unknown_type", func(t *testing.T) {
		if msg := panics(func() { scratch().AddUpcaster("Unregistered", 1, splitFullName) }); !strings.Contains(msg, "unknown event type") {
			t.Fatalf("panic %q", msg)
		}
	})
}
