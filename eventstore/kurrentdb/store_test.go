package kurrentdb_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/kurrentdb"
	"github.com/felles/felles/eventstore/kurrentdb/kurrentdbtest"
	"github.com/felles/felles/eventstore/storetest"
)

func TestConformance(t *testing.T) {
	t.Run("grpc_double", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) eventstore.Store {
			return open(t, kurrentdbtest.Start(t))
		}, storetest.Options{Gapless: false})
	})

	t.Run("real_node", func(t *testing.T) {
		conn := os.Getenv("FELLES_TEST_KURRENTDB")
		if conn == "" {
			t.Skip("FELLES_TEST_KURRENTDB not set: the conformance suite ran against the gRPC double only")
		}
		// A real node keeps its data between runs and the suite uses fixed stream
		// names, so every test gets its own stream prefix: it sees only its streams
		// in ReadAll, Subscribe and Head, and its event-ID claims are its own.
		storetest.Run(t, func(t *testing.T) eventstore.Store {
			return open(t, conn, kurrentdb.WithStreamPrefix("felles-test-"+randomHex(6)+"-"))
		}, storetest.Options{Gapless: false})
	})
}

func open(t testing.TB, conn string, opts ...kurrentdb.Option) *kurrentdb.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := kurrentdb.Open(ctx, conn, opts...)
	if err != nil {
		t.Fatalf("open %s: %v", conn, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
