package audit

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/felles/felles/eventstore"
)

// The export is JSON lines: a header, then one line per event in the order of
// the log, then, for an export of one case, the signed head its proofs lead
// to. Each event line holds the whole envelope with both hashes and the data
// verbatim, so `felles verify` recomputes every hash from the file alone.

// ExportFormat names the file format in its header.
const ExportFormat = "felles-export-v1"

// Scopes of an export.
const (
	ScopeLog  = "log"  // the whole log: gapless, every head included as an event
	ScopeCase = "case" // one case's streams, each event with its inclusion proof
)

// Header is the first line of an export.
type Header struct {
	Kind       string    `json:"kind"` // "header"
	Format     string    `json:"format"`
	Scope      string    `json:"scope"`
	Case       string    `json:"case,omitempty"`
	Streams    []string  `json:"streams,omitempty"`
	Gapless    bool      `json:"gapless,omitempty"` // positions are 1, 2, 3, … (the embedded log): a position must be its leaf + 1
	PublicKey  string    `json:"publicKey,omitempty"`
	ExportedAt time.Time `json:"exportedAt"`
}

// Line is one event of an export.
type Line struct {
	Kind          string              `json:"kind"`  // "event"
	Index         int64               `json:"index"` // the event's Merkle leaf
	Position      string              `json:"position"`
	Stream        string              `json:"stream"`
	Revision      uint64              `json:"revision"`
	ID            string              `json:"id"`
	Type          string              `json:"type"`
	SchemaVersion int                 `json:"schemaVersion"`
	Data          json.RawMessage     `json:"data,omitempty"`
	DataBase64    string              `json:"dataBase64,omitempty"` // when the stored data is not compact JSON
	Metadata      eventstore.Metadata `json:"metadata"`
	RecordedAt    time.Time           `json:"recordedAt"`
	PrevHash      string              `json:"prevHash"`
	Hash          string              `json:"hash"`
	Proof         []string            `json:"proof,omitempty"` // case exports: inclusion in the closing head's tree
}

// Closing is the last line of a case export: the signed head every proof leads to.
type Closing struct {
	Kind string `json:"kind"` // "head"
	Note string `json:"note"`
}

// Writer writes an export.
type Writer struct {
	w   *bufio.Writer
	enc *json.Encoder
}

// NewWriter starts an export with its header.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false) // the data must come out byte for byte
	h.Kind, h.Format = "header", ExportFormat
	if err := enc.Encode(h); err != nil {
		return nil, err
	}
	return &Writer{w: bw, enc: enc}, nil
}

// Event writes one event; proof is nil for a whole-log export.
func (w *Writer) Event(index int64, rec eventstore.Record, proof tlog.RecordProof) error {
	l := Line{Kind: "event", Index: index, Position: rec.Position.String(), Stream: rec.Stream, Revision: rec.Revision,
		ID: rec.ID, Type: rec.Type, SchemaVersion: rec.SchemaVersion, Metadata: rec.Metadata,
		RecordedAt: rec.RecordedAt, PrevHash: rec.PrevHash, Hash: rec.Hash}
	if isCompactJSON(rec.Data) {
		l.Data = rec.Data
	} else {
		l.DataBase64 = base64.StdEncoding.EncodeToString(rec.Data)
	}
	for _, h := range proof {
		l.Proof = append(l.Proof, base64.StdEncoding.EncodeToString(h[:]))
	}
	return w.enc.Encode(l)
}

// Close writes the closing head (a case export) and flushes.
func (w *Writer) Close(closingNote string) error {
	if closingNote != "" {
		if err := w.enc.Encode(Closing{Kind: "head", Note: closingNote}); err != nil {
			return err
		}
	}
	return w.w.Flush()
}

// isCompactJSON says whether the encoder would write data unchanged.
func isCompactJSON(data []byte) bool {
	if len(data) == 0 || !json.Valid(data) {
		return false
	}
	var b bytes.Buffer
	if err := json.Compact(&b, data); err != nil {
		return false
	}
	return bytes.Equal(b.Bytes(), data)
}

// Record turns an export line back into the record it was written from.
func (l Line) Record() (eventstore.Record, error) {
	pos, err := eventstore.ParsePosition(l.Position)
	if err != nil {
		return eventstore.Record{}, err
	}
	data := []byte(l.Data)
	if l.DataBase64 != "" {
		if data, err = base64.StdEncoding.DecodeString(l.DataBase64); err != nil {
			return eventstore.Record{}, fmt.Errorf("dataBase64: %w", err)
		}
	}
	return eventstore.Record{ID: l.ID, Stream: l.Stream, Revision: l.Revision, Position: pos, Type: l.Type,
		SchemaVersion: l.SchemaVersion, Data: data, Metadata: l.Metadata, RecordedAt: l.RecordedAt,
		PrevHash: l.PrevHash, Hash: l.Hash}, nil
}

// ProofHashes decodes the line's inclusion proof.
func (l Line) ProofHashes() (tlog.RecordProof, error) {
	out := make(tlog.RecordProof, len(l.Proof))
	for i, s := range l.Proof {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) != tlog.HashSize {
			return nil, fmt.Errorf("proof hash %d is not 32 bytes of base64", i)
		}
		copy(out[i][:], b)
	}
	return out, nil
}

// ErrMalformedExport says a file is not an export this build can read.
var ErrMalformedExport = errors.New("audit: malformed export")

// Reader reads an export line by line.
type Reader struct {
	sc     *bufio.Scanner
	line   int
	Header Header
}

// MaxExportLine bounds one line of an export (an event with its data).
const MaxExportLine = 64 << 20

// NewReader reads and checks the header.
func NewReader(r io.Reader) (*Reader, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), MaxExportLine)
	rd := &Reader{sc: sc}
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformedExport, err)
		}
		return nil, fmt.Errorf("%w: the file is empty", ErrMalformedExport)
	}
	rd.line = 1
	if err := json.Unmarshal(sc.Bytes(), &rd.Header); err != nil || rd.Header.Kind != "header" {
		return nil, fmt.Errorf("%w: line 1 is not an export header", ErrMalformedExport)
	}
	if rd.Header.Format != ExportFormat {
		return nil, fmt.Errorf("%w: format %q, this build reads %q", ErrMalformedExport, rd.Header.Format, ExportFormat)
	}
	if rd.Header.Scope != ScopeLog && rd.Header.Scope != ScopeCase {
		return nil, fmt.Errorf("%w: scope %q", ErrMalformedExport, rd.Header.Scope)
	}
	return rd, nil
}

// Next returns the next event line, or the closing head's note; io.EOF at the end.
func (r *Reader) Next() (*Line, string, error) {
	if !r.sc.Scan() {
		if err := r.sc.Err(); err != nil {
			return nil, "", fmt.Errorf("%w: line %d: %v", ErrMalformedExport, r.line+1, err)
		}
		return nil, "", io.EOF
	}
	r.line++
	var kind struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(r.sc.Bytes(), &kind); err != nil {
		return nil, "", fmt.Errorf("%w: line %d is not JSON", ErrMalformedExport, r.line)
	}
	switch kind.Kind {
	case "event":
		var l Line
		if err := json.Unmarshal(r.sc.Bytes(), &l); err != nil {
			return nil, "", fmt.Errorf("%w: line %d: %v", ErrMalformedExport, r.line, err)
		}
		return &l, "", nil
	case "head":
		var c Closing
		if err := json.Unmarshal(r.sc.Bytes(), &c); err != nil {
			return nil, "", fmt.Errorf("%w: line %d: %v", ErrMalformedExport, r.line, err)
		}
		return nil, c.Note, nil
	}
	return nil, "", fmt.Errorf("%w: line %d has kind %q", ErrMalformedExport, r.line, kind.Kind)
}

// LineNumber is the line last read.
func (r *Reader) LineNumber() int { return r.line }
