package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/felles/felles/audit"
	"github.com/felles/felles/audit/ocds"
	"github.com/felles/felles/domain/accesslog"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/projections"
)

// The auditor's commands: verify, export and replay. They read the log and
// never append to it; they take no lock on the data folder, so they run beside
// a serving process.

// openLogForReading opens the data folder's log (or a KurrentDB) for reading;
// the embedded log must exist.
func openLogForReading(ctx context.Context, dir, storeURL string, log *slog.Logger) (eventstore.Store, error) {
	if storeURL == "" {
		if _, err := os.Stat(filepath.Join(dir, "events.db")); err != nil {
			return nil, fmt.Errorf("no event log in %s: %w", dir, err)
		}
	}
	return openStore(ctx, dir, storeURL, log)
}

func verify(ctx context.Context, args []string, log *slog.Logger, out io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	dataDir := fs.String("data", "./data", "data folder whose log to verify")
	storeURL := fs.String("store", "", "verify a KurrentDB log instead (its positions are not gapless)")
	exportFile := fs.String("export", "", "verify an export file (felles export) instead of a log")
	key := fs.String("key", "", "the published public key (name+hash+key); without it, the key in the data folder or the export's header is used")
	headsFile := fs.String("heads", "", "signed heads kept outside the log (JSON lines with a \"note\" field), to catch a cut-off tail")
	if err := fs.Parse(args); err != nil {
		return err
	}
	verifier, keySource, err := verifierFor(*key, *dataDir, *exportFile)
	if err != nil {
		return err
	}
	trusted, err := readTrustedHeads(*headsFile)
	if err != nil {
		return err
	}
	start := time.Now()
	var rep audit.Report
	if *exportFile != "" {
		f, err := os.Open(*exportFile)
		if err != nil {
			return err
		}
		defer f.Close()
		rep, err = audit.VerifyExport(bufio.NewReaderSize(f, 1<<20), verifier, trusted)
		if err != nil {
			return err
		}
	} else {
		store, err := openLogForReading(ctx, *dataDir, *storeURL, log)
		if err != nil {
			return err
		}
		defer store.Close()
		if rep, err = audit.VerifyLog(ctx, store, verifier, *storeURL == "", trusted); err != nil {
			return err
		}
	}
	elapsed := time.Since(start)
	fmt.Fprintf(out, "verified %d events in %d streams in %s (%.0f events/s) against %s\n",
		rep.Events, rep.Streams, elapsed.Round(time.Millisecond), float64(rep.Events)/elapsed.Seconds(), keySource)
	if rep.Proven {
		fmt.Fprintf(out, "every hash chain holds, and every event is proven to be in the log of %d events whose root %s the closing head signed at %s\n",
			rep.LastHead.Size, rep.Root, rep.LastHead.SignedAt.Format(time.RFC3339))
		return nil
	}
	fmt.Fprintf(out, "every hash chain holds; tree root %s\n", rep.Root)
	fmt.Fprintf(out, "%d signed heads in the log and %d kept outside it verified", rep.Heads, rep.Trusted)
	if rep.LastHead != nil {
		fmt.Fprintf(out, "; the last covers %d events (signed %s); %d events are not yet covered by a signed head\n",
			rep.LastHead.Size, rep.LastHead.SignedAt.Format(time.RFC3339), rep.Unwitnessed)
	} else {
		fmt.Fprintf(out, "; no signed head covers the log yet\n")
	}
	return nil
}

// verifierFor picks the key to verify against, saying where it came from.
func verifierFor(key, dataDir, exportFile string) (*audit.Verifier, string, error) {
	if key != "" {
		v, err := audit.NewVerifier(key)
		return v, "the published key " + key, err
	}
	if exportFile != "" {
		f, err := os.Open(exportFile)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		rd, err := audit.NewReader(f)
		if err != nil {
			return nil, "", err
		}
		if rd.Header.PublicKey == "" {
			return nil, "", errors.New("the export names no key: pass --key with the published key")
		}
		v, err := audit.NewVerifier(rd.Header.PublicKey)
		return v, "the key named in the export (pass --key to verify against the published one)", err
	}
	signer, err := existingSigner(dataDir)
	if err != nil {
		return nil, "", err
	}
	v, err := audit.NewVerifier(signer.PublicKey())
	return v, "the key in the data folder (pass --key to verify against the published one)", err
}

// existingSigner reads the data folder's signing key without creating one.
func existingSigner(dataDir string) (*audit.Signer, error) {
	raw, err := os.ReadFile(filepath.Join(dataDir, audit.KeyFile))
	if err != nil {
		return nil, fmt.Errorf("no signing key in %s (pass --key with the published key): %w", dataDir, err)
	}
	return audit.NewSigner(strings.TrimSpace(string(raw)))
}

// readTrustedHeads reads signed heads, one JSON object with a "note" per line.
func readTrustedHeads(path string) (map[string][]byte, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string][]byte{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var h struct {
			Note string `json:"note"`
		}
		if err := json.Unmarshal(sc.Bytes(), &h); err != nil || h.Note == "" {
			return nil, fmt.Errorf("%s line %d: expected a JSON object with the signed head in \"note\"", path, n)
		}
		out[fmt.Sprintf("%s line %d", path, n)] = []byte(h.Note)
	}
	return out, sc.Err()
}

func export(ctx context.Context, args []string, log *slog.Logger, stdout io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	dataDir := fs.String("data", "./data", "data folder")
	storeURL := fs.String("store", "", "export a KurrentDB log instead")
	format := fs.String("format", "jsonl", "export format: jsonl (the log, for auditors), ocds-releases or ocds-records (open data)")
	caseID := fs.String("case", "", "export one case (its stream and its access log) with inclusion proofs, instead of the whole log")
	outPath := fs.String("out", "", "file to write (default: standard output)")
	ocdsConfig := ocdsFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("export: unexpected arguments %q", fs.Args())
	}
	switch *format {
	case "jsonl", "ocds-releases", "ocds-records":
	default:
		return fmt.Errorf("unknown format %q: felles exports jsonl, ocds-releases or ocds-records", *format)
	}
	if *caseID != "" && !procurement.ValidID(*caseID) {
		return fmt.Errorf("--case %q is not a case ID (a UUID)", *caseID)
	}
	var openData ocds.Config
	if *format != "jsonl" {
		cfg, err := ocdsConfig(ocds.DefaultConfig.BaseURL)
		if err != nil {
			return err
		}
		openData = cfg
	}
	var signer *audit.Signer
	if *format == "jsonl" {
		s, err := existingSigner(*dataDir)
		if err != nil {
			return err
		}
		signer = s
	}
	store, err := openLogForReading(ctx, *dataDir, *storeURL, log)
	if err != nil {
		return err
	}
	defer store.Close()
	var w io.Writer = stdout
	if *outPath != "" {
		f, err := os.OpenFile(*outPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer f.Close()
		w = f
	}
	if *format != "jsonl" {
		return exportOCDS(ctx, store, openData, *format, *caseID, w)
	}
	if *caseID == "" {
		n, err := audit.ExportLog(ctx, store, w, signer.PublicKey(), time.Now())
		if err == nil {
			fmt.Fprintf(os.Stderr, "exported %d events\n", n)
		}
		return err
	}
	streams := []string{procurement.StreamID(*caseID), accesslog.StreamID(*caseID)}
	n, err := audit.ExportStreams(ctx, store, *storeURL == "", w, signer, *caseID, streams, time.Now())
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("the log holds no events of case %s", *caseID)
	}
	fmt.Fprintf(os.Stderr, "exported %d events of case %s with their inclusion proofs\n", n, *caseID)
	return nil
}

func replay(ctx context.Context, args []string, log *slog.Logger, stdout io.Writer) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	dataDir := fs.String("data", "./data", "data folder")
	storeURL := fs.String("store", "", "replay a KurrentDB log instead")
	untilText := fs.String("until", "", "the moment (RFC 3339) the views are rebuilt as of: every event recorded up to it")
	outPath := fs.String("out", "", "views file to create (default: DATA/views-asof-<until>.db)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	until, err := time.Parse(time.RFC3339Nano, *untilText)
	if err != nil {
		return fmt.Errorf("--until %q is not an RFC 3339 time like 2026-11-02T12:00:00+01:00", *untilText)
	}
	if *outPath == "" {
		*outPath = filepath.Join(*dataDir, "views-asof-"+until.UTC().Format("20060102T150405Z")+".db")
	}
	if _, err := os.Stat(*outPath); err == nil {
		return fmt.Errorf("%s exists: replay writes a new views file, choose another --out", *outPath)
	}
	store, err := openLogForReading(ctx, *dataDir, *storeURL, log)
	if err != nil {
		return err
	}
	defer store.Close()
	views, err := projections.OpenViews(*outPath)
	if err != nil {
		return err
	}
	defer views.Close()
	runner, err := projections.NewRunner(ctx, views, "replay", "replay-until:"+until.UTC().Format(time.RFC3339Nano), log, readModels()...)
	if err != nil {
		return err
	}
	n, err := runner.Rebuild(ctx, untilStore{Store: store, until: until})
	if err != nil {
		return err
	}
	digest, err := runner.Digest(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rebuilt views as of %s from %d events into %s\nview digest: %s\n",
		until.Format(time.RFC3339), n, *outPath, digest)
	return nil
}

// untilStore is the log as it stood at a moment: its events up to the first
// one recorded after it.
type untilStore struct {
	eventstore.Store
	until time.Time
}

func (s untilStore) ReadAll(ctx context.Context, after eventstore.Position, limit int) ([]eventstore.Record, error) {
	page, err := s.Store.ReadAll(ctx, after, limit)
	for i, rec := range page {
		if rec.RecordedAt.After(s.until) {
			return page[:i], err
		}
	}
	return page, err
}
