package audit

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// TreeHead is a statement of the log's size and Merkle root at a moment.
type TreeHead struct {
	Size     int64
	Root     tlog.Hash
	SignedAt time.Time
}

// headOrigin is the first line of every tree head: it names what is signed,
// so a Felles signature can never be taken for another note.
const headOrigin = "felles log tree v1"

// Text is the head as signed: four lines, the origin, the size, the root in
// base64 and the signing time (RFC 3339, UTC).
func (h TreeHead) Text() string {
	return fmt.Sprintf("%s\n%d\n%s\n%s\n", headOrigin, h.Size,
		base64.StdEncoding.EncodeToString(h.Root[:]), h.SignedAt.UTC().Format(time.RFC3339Nano))
}

// ErrMalformedHead says a signed head cannot even be read.
var ErrMalformedHead = errors.New("audit: malformed tree head")

// parseHeadText reads the four lines of Text back.
func parseHeadText(text string) (TreeHead, error) {
	lines := strings.Split(text, "\n")
	if len(lines) != 5 || lines[4] != "" || lines[0] != headOrigin {
		return TreeHead{}, fmt.Errorf("%w: expected %q and three lines", ErrMalformedHead, headOrigin)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || size > MaxTreeSize || strconv.FormatInt(size, 10) != lines[1] {
		return TreeHead{}, fmt.Errorf("%w: size %q", ErrMalformedHead, lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return TreeHead{}, fmt.Errorf("%w: root %q", ErrMalformedHead, lines[2])
	}
	at, err := time.Parse(time.RFC3339Nano, lines[3])
	if err != nil {
		return TreeHead{}, fmt.Errorf("%w: time %q", ErrMalformedHead, lines[3])
	}
	h := TreeHead{Size: size, SignedAt: at}
	copy(h.Root[:], root)
	return h, nil
}

// Signer signs tree heads with the server's ed25519 key.
type Signer struct {
	signer note.Signer
	public string
}

// Sign returns the head as a signed note (the text, a blank line, the signature line).
func (s *Signer) Sign(h TreeHead) (string, error) {
	msg, err := note.Sign(&note.Note{Text: h.Text()}, s.signer)
	if err != nil {
		return "", fmt.Errorf("audit: sign tree head: %w", err)
	}
	return string(msg), nil
}

// PublicKey is the verifier key to publish: "<name>+<key hash>+<ed25519 key>".
func (s *Signer) PublicKey() string { return s.public }

// KeyFile is the signing key's file in the data folder.
const KeyFile = "audit.key"

// LoadOrCreateSigner reads the key from dir/audit.key, creating a new ed25519
// key (0600) named after the server when there is none.
func LoadOrCreateSigner(dir, name string) (*Signer, error) {
	path := filepath.Join(dir, KeyFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		skey, _, gerr := note.GenerateKey(rand.Reader, name)
		if gerr != nil {
			return nil, fmt.Errorf("audit: generate signing key: %w", gerr)
		}
		f, ferr := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if ferr != nil {
			return nil, fmt.Errorf("audit: create %s: %w", path, ferr)
		}
		_, werr := f.WriteString(skey + "\n")
		if serr := f.Sync(); werr == nil {
			werr = serr
		}
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			os.Remove(path)
			return nil, fmt.Errorf("audit: write %s: %w", path, werr)
		}
		raw = []byte(skey)
	} else if err != nil {
		return nil, fmt.Errorf("audit: read %s: %w", path, err)
	}
	return NewSigner(string(bytes.TrimSpace(raw)))
}

// NewSigner takes an encoded private key ("PRIVATE+KEY+name+hash+key").
func NewSigner(skey string) (*Signer, error) {
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("audit: signing key: %w", err)
	}
	pub, err := publicOf(skey)
	if err != nil {
		return nil, err
	}
	return &Signer{signer: signer, public: pub}, nil
}

// publicOf derives the verifier key of an encoded private key.
func publicOf(skey string) (string, error) {
	// "PRIVATE+KEY+name+hash+base64(alg ‖ seed)": the verifier key is
	// "name+hash+base64(alg ‖ public key)".
	parts := strings.SplitN(skey, "+", 5)
	if len(parts) != 5 {
		return "", errors.New("audit: signing key is not PRIVATE+KEY+name+hash+key")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 33 || raw[0] != 1 {
		return "", errors.New("audit: signing key is not an ed25519 note key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	return parts[2] + "+" + parts[3] + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, pub...)), nil
}

// Verifier checks signed heads against one published key.
type Verifier struct {
	verifiers note.Verifiers
	key       string
}

// NewVerifier takes a published key ("name+hash+key").
func NewVerifier(vkey string) (*Verifier, error) {
	v, err := note.NewVerifier(strings.TrimSpace(vkey))
	if err != nil {
		return nil, fmt.Errorf("audit: public key: %w", err)
	}
	return &Verifier{verifiers: note.VerifierList(v), key: strings.TrimSpace(vkey)}, nil
}

// Key is the published key the verifier trusts.
func (v *Verifier) Key() string { return v.key }

// Open checks a signed head's signature and reads it. A head signed by any
// other key, or not signed at all, is refused.
func (v *Verifier) Open(signed []byte) (TreeHead, error) {
	n, err := note.Open(signed, v.verifiers)
	if err != nil {
		var unknown *note.UnverifiedNoteError
		if errors.As(err, &unknown) {
			return TreeHead{}, fmt.Errorf("audit: tree head is not signed by the published key %s", v.key)
		}
		return TreeHead{}, fmt.Errorf("%w: %v", ErrMalformedHead, err)
	}
	return parseHeadText(n.Text)
}
