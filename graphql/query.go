package graphql

import (
	"context"
	"encoding/base64"
	"strconv"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/app"
	"github.com/felles/felles/projections/cases"
	"github.com/felles/felles/projections/organisations"
)

// MaxPageSize caps `first` on every connection.
const MaxPageSize = 100

type viewerResolver struct {
	r *resolver
	p app.Principal
}

func (v viewerResolver) User() string { return v.p.User }
func (v viewerResolver) Organisation(ctx context.Context) (organisationResolver, error) {
	return v.r.organisationOf(ctx, v.p.Org)
}
func (v viewerResolver) Roles() []string {
	roles := v.r.Roles.RolesFor(v.p.User, v.p.Org)
	if roles == nil {
		return []string{}
	}
	return roles
}

func (r *resolver) Viewer(ctx context.Context) (viewerResolver, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return viewerResolver{}, err
	}
	return viewerResolver{r: r, p: p}, nil
}

// visibleCase reads a case if the principal may see it; nil otherwise.
func (r *resolver) visibleCase(ctx context.Context, p app.Principal, id string) (*cases.Summary, error) {
	everything, err := r.Dispatcher.ReadScope(p, app.ObjectProcurement)
	if err != nil {
		return nil, toAPI(err)
	}
	s, err := cases.Get(ctx, r.db(), id)
	if err != nil || s == nil {
		return nil, toAPI(err)
	}
	status, err := cases.MemberStatus(ctx, r.db(), id, p.Org)
	if err != nil {
		return nil, toAPI(err)
	}
	if !app.CaseVisible(p, everything, s.Hub, status) {
		return nil, nil
	}
	return s, nil
}

func (r *resolver) Procurement(ctx context.Context, args struct {
	ID         gql.ID
	AsOf       *DateTime
	AtRevision *int32
}) (*procurementResolver, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return nil, err
	}
	if args.AsOf != nil || args.AtRevision != nil {
		return r.historicCase(ctx, p, string(args.ID), args.AsOf, args.AtRevision)
	}
	s, err := r.visibleCase(ctx, p, string(args.ID))
	if err != nil || s == nil {
		return nil, err
	}
	return &procurementResolver{r: r, s: *s}, nil
}

type connection struct {
	edges []edge
	more  bool
}

type edge struct {
	cursor string
	node   procurementResolver
}

func (c connection) Edges() []edge { return c.edges }
func (c connection) PageInfo() pageInfo {
	pi := pageInfo{more: c.more}
	if len(c.edges) > 0 {
		pi.end = &c.edges[len(c.edges)-1].cursor
	}
	return pi
}
func (e edge) Cursor() string            { return e.cursor }
func (e edge) Node() procurementResolver { return e.node }

type pageInfo struct {
	more bool
	end  *string
}

func (p pageInfo) HasNextPage() bool  { return p.more }
func (p pageInfo) EndCursor() *string { return p.end }

func encodeCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("case:" + strconv.FormatInt(seq, 10)))
}

func decodeCursor(c string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 6 || string(b[:5]) != "case:" {
		return 0, false
	}
	n, err := strconv.ParseInt(string(b[5:]), 10, 64)
	return n, err == nil && n > 0
}

func (r *resolver) Procurements(ctx context.Context, args struct {
	First *int32
	After *string
}) (connection, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return connection{}, err
	}
	first := int32(20)
	if args.First != nil {
		first = *args.First
	}
	if first < 1 || first > MaxPageSize {
		return connection{}, badInput("page.first_out_of_range", "first must be between 1 and 100")
	}
	var before int64
	if args.After != nil && *args.After != "" {
		var ok bool
		if before, ok = decodeCursor(*args.After); !ok {
			return connection{}, badInput("page.bad_cursor", "after is not a cursor this API returned")
		}
	}
	everything, err := r.Dispatcher.ReadScope(p, app.ObjectProcurement)
	if err != nil {
		return connection{}, toAPI(err)
	}
	visibleTo := p.Org
	if everything {
		visibleTo = ""
	}
	page, more, err := cases.Page(ctx, r.db(), visibleTo, before, int(first))
	if err != nil {
		return connection{}, toAPI(err)
	}
	c := connection{more: more, edges: make([]edge, len(page))}
	for i, s := range page {
		c.edges[i] = edge{cursor: encodeCursor(s.CreatedSeq), node: procurementResolver{r: r, s: s}}
	}
	return c, nil
}

func (r *resolver) Organisations(ctx context.Context) ([]organisationResolver, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := r.Dispatcher.ReadScope(p, app.ObjectOrganisation); err != nil {
		return nil, toAPI(err)
	}
	all, err := organisations.All(ctx, r.db())
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]organisationResolver, len(all))
	for i, o := range all {
		out[i] = organisationResolver{o}
	}
	return out, nil
}
