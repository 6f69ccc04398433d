package graphql

import (
	"context"
	"fmt"

	gql "github.com/graph-gophers/graphql-go"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/felles/felles/projections/merkle"
)

// The tamper-evident log: the tree, its signed heads and proofs, served from
// the merkle_v1 view to any authenticated caller. Proofs carry hashes only:
// an inclusion proof is asked for by event ID, which only those who saw the
// event know, and it names neither the stream nor the content.

func (r *resolver) AuditPublicKey() *string {
	if r.AuditKey == "" {
		return nil
	}
	k := r.AuditKey
	return &k
}

type auditTreeResolver struct {
	size int64
	root tlog.Hash
	head *merkle.Head
}

func (r *resolver) AuditTree(ctx context.Context) (auditTreeResolver, error) {
	if _, err := principalFrom(ctx); err != nil {
		return auditTreeResolver{}, err
	}
	n, err := merkle.Size(ctx, r.db())
	if err != nil {
		return auditTreeResolver{}, toAPI(err)
	}
	root, err := merkle.Root(ctx, r.db(), n)
	if err != nil {
		return auditTreeResolver{}, toAPI(err)
	}
	t := auditTreeResolver{size: n, root: root}
	h, ok, err := merkle.LatestHead(ctx, r.db())
	if err != nil {
		return t, toAPI(err)
	}
	if ok {
		t.head = &h
	}
	return t, nil
}

func (t auditTreeResolver) Size() int32  { return int32(t.size) }
func (t auditTreeResolver) Root() string { return t.root.String() }
func (t auditTreeResolver) LatestHead() *headResolver {
	if t.head == nil {
		return nil
	}
	return &headResolver{*t.head}
}

type headResolver struct{ h merkle.Head }

func (h headResolver) Size() int32        { return int32(h.h.Size) }
func (h headResolver) Root() string       { return h.h.Root }
func (h headResolver) SignedAt() DateTime { return DateTime{h.h.SignedAt} }
func (h headResolver) PublicKey() string  { return h.h.Signer }
func (h headResolver) Note() string       { return h.h.Note }
func (h headResolver) LeafIndex() int32   { return int32(h.h.Leaf) }

type headConnection struct {
	heads []headResolver
	end   *string
}

func (c headConnection) Heads() []headResolver { return c.heads }
func (c headConnection) EndCursor() *string    { return c.end }

func (r *resolver) TreeHeads(ctx context.Context, args struct {
	First *int32 // 20 when absent or null
	After *string
}) (headConnection, error) {
	if _, err := principalFrom(ctx); err != nil {
		return headConnection{}, err
	}
	first := int32(20)
	if args.First != nil {
		first = *args.First
	}
	if first < 1 || first > MaxPageSize {
		return headConnection{}, badInput("first.out_of_range", fmt.Sprintf("first must be between 1 and %d, got %d", MaxPageSize, first))
	}
	after := int64(-1)
	if args.After != nil {
		leaf, err := decodeNumberCursor("head", "treeHeads", *args.After)
		if err != nil {
			return headConnection{}, err
		}
		after = int64(leaf)
	}
	hs, err := merkle.Heads(ctx, r.db(), after, int(first))
	if err != nil {
		return headConnection{}, toAPI(err)
	}
	c := headConnection{heads: make([]headResolver, len(hs))}
	for i, h := range hs {
		c.heads[i] = headResolver{h}
	}
	if len(hs) == int(first) {
		cur := numberCursor("head", uint64(hs[len(hs)-1].Leaf))
		c.end = &cur
	}
	return c, nil
}

type inclusionResolver struct {
	eventID string
	leaf    merkle.Leaf
	size    int64
	hash    string
	proof   tlog.RecordProof
	head    *merkle.Head
}

func (r *resolver) InclusionProof(ctx context.Context, args struct {
	EventID  gql.ID
	TreeSize *int32
}) (*inclusionResolver, error) {
	if _, err := principalFrom(ctx); err != nil {
		return nil, err
	}
	leaf, ok, err := merkle.LeafOfEvent(ctx, r.db(), string(args.EventID))
	if err != nil || !ok {
		return nil, toAPI(err)
	}
	x := &inclusionResolver{eventID: string(args.EventID), leaf: leaf}
	if args.TreeSize == nil {
		h, ok, err := merkle.LatestHead(ctx, r.db())
		if err != nil {
			return nil, toAPI(err)
		}
		if !ok || h.Size <= leaf.Index {
			return nil, badInput("tree_size.not_signed_yet", "no signed head covers this event yet; give treeSize, or ask again after the next head (at most a minute)")
		}
		x.size, x.head = h.Size, &h
	} else {
		x.size = int64(*args.TreeSize)
		if h, ok, err := merkle.HeadOfSize(ctx, r.db(), x.size); err != nil {
			return nil, toAPI(err)
		} else if ok {
			x.head = &h
		}
	}
	if x.size <= leaf.Index {
		return nil, badInput("tree_size.too_small", fmt.Sprintf("event %s is event %d of the log: a tree of %d events does not hold it", args.EventID, leaf.Index, x.size))
	}
	if x.proof, err = merkle.InclusionProof(ctx, r.db(), leaf.Index, x.size); err != nil {
		return nil, badInput("tree_size.beyond_tree", err.Error())
	}
	recs, err := r.Dispatcher.Store().ReadStream(ctx, leaf.Stream, leaf.Revision, 1)
	if err != nil || len(recs) != 1 || recs[0].ID != leaf.EventID {
		return nil, toAPI(fmt.Errorf("graphql: the event of leaf %d is not in the log where the tree says: %w", leaf.Index, err))
	}
	x.hash = recs[0].Hash
	return x, nil
}

func (x *inclusionResolver) EventID() gql.ID   { return gql.ID(x.eventID) }
func (x *inclusionResolver) LeafIndex() int32  { return int32(x.leaf.Index) }
func (x *inclusionResolver) TreeSize() int32   { return int32(x.size) }
func (x *inclusionResolver) EventHash() string { return x.hash }
func (x *inclusionResolver) Hashes() []string  { return hashStrings(x.proof) }
func (x *inclusionResolver) Head() *headResolver {
	if x.head == nil {
		return nil
	}
	return &headResolver{*x.head}
}

type consistencyResolver struct {
	from, to         int64
	proof            tlog.TreeProof
	fromRoot, toRoot tlog.Hash
}

func (r *resolver) ConsistencyProof(ctx context.Context, args struct{ From, To int32 }) (consistencyResolver, error) {
	if _, err := principalFrom(ctx); err != nil {
		return consistencyResolver{}, err
	}
	c := consistencyResolver{from: int64(args.From), to: int64(args.To)}
	var err error
	if c.proof, err = merkle.ConsistencyProof(ctx, r.db(), c.from, c.to); err != nil {
		return c, badInput("tree_size.out_of_range", err.Error())
	}
	if c.fromRoot, err = merkle.Root(ctx, r.db(), c.from); err != nil {
		return c, toAPI(err)
	}
	if c.toRoot, err = merkle.Root(ctx, r.db(), c.to); err != nil {
		return c, toAPI(err)
	}
	return c, nil
}

func (c consistencyResolver) From() int32      { return int32(c.from) }
func (c consistencyResolver) To() int32        { return int32(c.to) }
func (c consistencyResolver) Hashes() []string { return hashStrings(c.proof) }
func (c consistencyResolver) FromRoot() string { return c.fromRoot.String() }
func (c consistencyResolver) ToRoot() string   { return c.toRoot.String() }

func hashStrings(hs []tlog.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.String()
	}
	return out
}
