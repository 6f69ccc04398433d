package ocdsvalidate

import (
	"fmt"
	"testing"
)

// package200 is the release package fixture with its release repeated 200
// times under distinct ocids and ids (releases must be unique).
func package200(tb testing.TB) []byte {
	tb.Helper()
	return mutate(tb, fixture(tb, "release-package.json"), func(m map[string]any) {
		rels := make([]any, 200)
		for i := range rels {
			r := obj(decode(tb, fixture(tb, "release-package.json")), "releases", 0)
			r["ocid"] = fmt.Sprintf("ocds-felles-road-%04d", i)
			r["id"] = fmt.Sprintf("ocds-felles-road-%04d-tender-1", i)
			rels[i] = r
		}
		m["releases"] = rels
	})
}

func TestA_200_release_package_passes(t *testing.T) {
	v := validator(t)
	doc := package200(t)
	noErr(t, "ReleasePackage", v.ReleasePackage(doc))
	noErr(t, "Codelists", v.Codelists(doc, nil))
}

func BenchmarkReleasePackage200(b *testing.B) {
	v := validator(b)
	doc := package200(b)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if err := v.ReleasePackage(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCodelists200(b *testing.B) {
	v := validator(b)
	doc := package200(b)
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if err := v.Codelists(doc, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	dir, err := Dir()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}
