package ocdsvalidate

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var loadOnce = sync.OnceValues(func() (*Validator, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	return Load(dir)
})

// validator returns the shared Validator, loaded once from the real schemas.
func validator(tb testing.TB) *Validator {
	tb.Helper()
	v, err := loadOnce()
	if err != nil {
		tb.Fatalf("load: %v", err)
	}
	return v
}

func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func decode(tb testing.TB, doc []byte) map[string]any {
	tb.Helper()
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		tb.Fatal(err)
	}
	return m
}

func encode(tb testing.TB, m any) []byte {
	tb.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// mutate decodes doc, lets fn change it and encodes it again.
func mutate(tb testing.TB, doc []byte, fn func(m map[string]any)) []byte {
	tb.Helper()
	m := decode(tb, doc)
	fn(m)
	return encode(tb, m)
}

// obj walks a decoded document along keys (string) and indexes (int) and
// returns the object found there; it panics on a wrong path, which is a bug
// in the test.
func obj(v any, path ...any) map[string]any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v.(map[string]any)
}

// wantErr fails unless err is non-nil and mentions every fragment.
func wantErr(t *testing.T, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want an error mentioning %q, got nil", fragments)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error does not mention %q:\n%v", f, err)
		}
	}
}

func noErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: want no error, got:\n%v", what, err)
	}
}

// minimalRelease has only the fields release-schema.json requires.
func minimalRelease(n int) map[string]any {
	return map[string]any{
		"ocid":           "ocds-felles-min-" + strconv.Itoa(n),
		"id":             "ocds-felles-min-" + strconv.Itoa(n) + "-planning",
		"date":           "2024-03-01T00:00:00Z",
		"tag":            []any{"planning"},
		"initiationType": "tender",
	}
}

// releasePackage wraps releases in the fields release-package-schema.json
// requires.
func releasePackage(releases ...any) map[string]any {
	return map[string]any{
		"uri":           "https://example.org/felles/ocds/release-packages/minimal.json",
		"version":       "1.1",
		"publishedDate": "2024-03-01T00:00:00Z",
		"publisher":     map[string]any{"name": "Felles test publisher"},
		"releases":      releases,
	}
}
