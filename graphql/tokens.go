package graphql

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/felles/felles/app"
	"github.com/felles/felles/domain/organisation"
)

// tokenKeyFile holds the ed25519 seed that signs the embedded default's bearer
// tokens; whoever can read the data folder can mint tokens, as with any key.
const tokenKeyFile = "token.key"

const tokenIssuer = "felles"

// Tokens signs and verifies the embedded default's bearer tokens: EdDSA JWTs
// naming the user (sub) and the organisation they act for (org).
type Tokens struct {
	key ed25519.PrivateKey
}

// LoadTokens reads the signing key from dir, creating it on first use.
func LoadTokens(dir string) (*Tokens, error) {
	path := filepath.Join(dir, tokenKeyFile)
	seed, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("tokens: create %s: %w", dir, err)
		}
		seed = make([]byte, ed25519.SeedSize)
		if _, err := rand.Read(seed); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			return LoadTokens(dir) // another process created it first
		}
		if err != nil {
			return nil, fmt.Errorf("tokens: create key: %w", err)
		}
		if _, err := f.Write(seed); err != nil {
			f.Close()
			return nil, err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, err
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, fmt.Errorf("tokens: read key: %w", err)
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("tokens: %s is not an ed25519 seed", path)
	}
	return &Tokens{key: ed25519.NewKeyFromSeed(seed)}, nil
}

type claims struct {
	Org string `json:"org"`
	jwt.RegisteredClaims
}

// Mint signs a token for user acting for org, valid for ttl.
func (t *Tokens) Mint(user, org string, ttl time.Duration, now time.Time) (string, error) {
	if !organisation.ValidUser(user) {
		return "", fmt.Errorf("tokens: %q cannot be a user name", user)
	}
	if !organisation.ValidID(org) {
		return "", fmt.Errorf("tokens: %q cannot be an organisation ID", org)
	}
	c := claims{Org: org, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: tokenIssuer, Subject: user, IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
	}}
	return jwt.NewWithClaims(jwt.SigningMethodEdDSA, c).SignedString(t.key)
}

// Verify checks a token and returns its principal.
func (t *Tokens) Verify(token string) (app.Principal, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.key.Public(), nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}), jwt.WithIssuer(tokenIssuer),
		jwt.WithExpirationRequired(), jwt.WithLeeway(30*time.Second))
	if err != nil {
		return app.Principal{}, err
	}
	if !organisation.ValidUser(c.Subject) || !organisation.ValidID(c.Org) {
		return app.Principal{}, errors.New("token names no valid user and organisation")
	}
	return app.Principal{User: c.Subject, Org: c.Org}, nil
}
