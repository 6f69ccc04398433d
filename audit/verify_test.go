package audit_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/felles/felles/audit"
)

func TestAnUntouchedLogVerifiesWithEveryHead(t *testing.T) {
	// given a log of three streams with two signed heads
	l := newAuLog(t)
	l.appendEvents(40, "procurement-a", "procurement-b", "organisation-oslo")
	l.signHead()
	l.appendEvents(25, "procurement-a", "accesslog-a")
	l.signHead()
	l.appendEvents(3, "procurement-b")

	// when it is verified
	rep, err := audit.VerifyLog(ctx, l.store, l.key, true, nil)

	// then every event and both heads check out, and the three events after
	// the last head (and the head event itself) are reported as not yet witnessed
	if err != nil {
		t.Fatal(err)
	}
	if rep.Events != 70 || rep.Heads != 2 || rep.Streams != 5 || rep.Unwitnessed != 4 {
		t.Fatalf("report %+v", rep)
	}
	want, _ := l.tree.Root(70)
	if rep.Root != want {
		t.Fatalf("root %s, want %s", rep.Root, want)
	}
}

func TestTheTreeAgreesWithTlogAndItsProofsHold(t *testing.T) {
	tree := audit.NewTree(0)
	for i := 0; i < 300; i++ {
		tree.Add([]byte{byte(i), byte(i >> 8)})
		n := tree.Size()
		root, err := tree.Root(n)
		if err != nil {
			t.Fatal(err)
		}
		// the root folds the RFC 6962 way, as tlog computes it from scratch
		want, err := tlog.TreeHash(n, tree)
		if err != nil || root != want {
			t.Fatalf("size %d: root %s, tlog %s (%v)", n, root, want, err)
		}
	}
	head := audit.TreeHead{Size: 300}
	head.Root, _ = tree.Root(300)
	for _, i := range []int64{0, 1, 128, 255, 299} {
		p, err := tree.InclusionProof(i, 300)
		if err != nil {
			t.Fatal(err)
		}
		if err := audit.CheckInclusion(p, head, i, []byte{byte(i), byte(i >> 8)}); err != nil {
			t.Fatalf("leaf %d: %v", i, err)
		}
		if err := audit.CheckInclusion(p, head, i, []byte{0xff}); err == nil {
			t.Fatalf("leaf %d: a proof holds for other data", i)
		}
	}
	older := audit.TreeHead{Size: 77}
	older.Root, _ = tree.Root(77)
	p, err := tree.ConsistencyProof(77, 300)
	if err != nil {
		t.Fatal(err)
	}
	if err := audit.CheckConsistency(p, older, head); err != nil {
		t.Fatal(err)
	}
	older.Root[0] ^= 1
	if err := audit.CheckConsistency(p, older, head); err == nil {
		t.Fatal("consistency holds for another older root")
	}
}

func TestAWholeLogExportVerifiesAndACaseExportProvesItsEvents(t *testing.T) {
	l := newAuLog(t)
	l.appendEvents(30, "procurement-a", "procurement-b")
	l.signHead()
	l.appendEvents(5, "procurement-a")

	var whole bytes.Buffer
	if _, err := audit.ExportLog(ctx, l.store, &whole, l.signer.PublicKey(), time.Now()); err != nil {
		t.Fatal(err)
	}
	rep, err := audit.VerifyExport(bytes.NewReader(whole.Bytes()), l.key, nil)
	if err != nil || rep.Events != 36 || rep.Heads != 1 {
		t.Fatalf("whole export: %+v %v", rep, err)
	}

	var one bytes.Buffer
	n, err := audit.ExportStreams(ctx, l.store, true, &one, l.signer, "a", []string{"procurement-a"}, time.Now())
	if err != nil || n != 20 {
		t.Fatalf("case export: %d %v", n, err)
	}
	rep, err = audit.VerifyExport(bytes.NewReader(one.Bytes()), l.key, nil)
	if err != nil || rep.Events != 20 || rep.LastHead.Size != 36 {
		t.Fatalf("case export: %+v %v", rep, err)
	}
	// a case export with one byte of data changed fails at that line
	tampered := strings.Replace(one.String(), `event 4 of procurement-a`, `event 5 of procurement-a`, 1)
	_, err = audit.VerifyExport(strings.NewReader(tampered), l.key, nil)
	var b *audit.Broken
	if !errors.As(err, &b) || b.Stream != "procurement-a" || b.Revision != 2 {
		t.Fatalf("tampered case export: %v", err)
	}
}
