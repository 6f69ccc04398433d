package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
	"github.com/felles/felles/eventstore/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) eventstore.Store {
		s, err := sqlite.Open(filepath.Join(t.TempDir(), "events.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}, storetest.Options{Gapless: true})
}
