package graphql

import (
	"context"
	"encoding/base64"
	"strconv"
	"time"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/app"
	"github.com/felles/felles/projections/cases"
	"github.com/felles/felles/projections/tendering"
)

// PublicTender is a case as the market sees it. A supplier is no member of a
// case, so `procurement` never shows it one (app.CaseVisible); once a dialogue
// or contract notice is published the case is public, and PublicTender is the
// only type a supplier reaches: it has no field that leads to Procurement, and
// every field shows only what is PUBLIC, what registered suppliers receive
// (SUPPLIER), or what concerns the reader's own organisation.
type publicTenderResolver struct {
	r           *resolver
	s           cases.Summary
	publishedAt time.Time
}

// publicTender reads a case if it is published; nil otherwise.
func (r *resolver) publicTender(ctx context.Context, id string) (*publicTenderResolver, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := r.Dispatcher.ReadScope(p, app.ObjectProcurement); err != nil {
		return nil, toAPI(err)
	}
	published, err := tendering.IsPublished(ctx, r.db(), id)
	if err != nil || !published {
		return nil, toAPI(err)
	}
	s, err := cases.Get(ctx, r.db(), id)
	if err != nil || s == nil {
		return nil, toAPI(err)
	}
	at, err := publishedAtOf(ctx, r, id)
	if err != nil {
		return nil, err
	}
	return &publicTenderResolver{r: r, s: *s, publishedAt: at}, nil
}

// publishedAtOf is when the market was first told: the dialogue notice, or
// the contract notice when there was no dialogue.
func publishedAtOf(ctx context.Context, r *resolver, id string) (time.Time, error) {
	if d, err := tendering.DialogueOf(ctx, r.db(), id); err != nil {
		return time.Time{}, toAPI(err)
	} else if d != nil {
		return d.PublishedAt, nil
	}
	n, err := tendering.NoticeOf(ctx, r.db(), id)
	if err != nil || n == nil {
		return time.Time{}, toAPI(err)
	}
	return n.PublishedAt, nil
}

func (r *resolver) PublicTender(ctx context.Context, args struct{ ID gql.ID }) (*publicTenderResolver, error) {
	return r.publicTender(ctx, string(args.ID))
}

type publicConnection struct {
	edges []publicEdge
	more  bool
}

type publicEdge struct {
	cursor string
	node   publicTenderResolver
}

func (c publicConnection) Edges() []publicEdge { return c.edges }
func (c publicConnection) PageInfo() pageInfo {
	pi := pageInfo{more: c.more}
	if len(c.edges) > 0 {
		pi.end = &c.edges[len(c.edges)-1].cursor
	}
	return pi
}
func (e publicEdge) Cursor() string             { return e.cursor }
func (e publicEdge) Node() publicTenderResolver { return e.node }

func encodePublicCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("pub:" + strconv.FormatInt(seq, 10)))
}

func decodePublicCursor(c string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 5 || string(b[:4]) != "pub:" {
		return 0, false
	}
	n, err := strconv.ParseInt(string(b[4:]), 10, 64)
	return n, err == nil && n > 0
}

func (r *resolver) PublicTenders(ctx context.Context, args struct {
	First *int32
	After *string
}) (publicConnection, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return publicConnection{}, err
	}
	if _, err := r.Dispatcher.ReadScope(p, app.ObjectProcurement); err != nil {
		return publicConnection{}, toAPI(err)
	}
	first := int32(20)
	if args.First != nil {
		first = *args.First
	}
	if first < 1 || first > MaxPageSize {
		return publicConnection{}, badInput("page.first_out_of_range", "first must be between 1 and 100")
	}
	var before int64
	if args.After != nil && *args.After != "" {
		var ok bool
		if before, ok = decodePublicCursor(*args.After); !ok {
			return publicConnection{}, badInput("page.bad_cursor", "after is not a cursor this API returned")
		}
	}
	page, more, err := tendering.PublishedPage(ctx, r.db(), before, int(first))
	if err != nil {
		return publicConnection{}, toAPI(err)
	}
	c := publicConnection{more: more, edges: make([]publicEdge, 0, len(page))}
	for _, pub := range page {
		s, err := cases.Get(ctx, r.db(), pub.CaseID)
		if err != nil {
			return publicConnection{}, toAPI(err)
		}
		if s == nil {
			continue
		}
		c.edges = append(c.edges, publicEdge{cursor: encodePublicCursor(pub.Seq), node: publicTenderResolver{r: r, s: *s, publishedAt: pub.PublishedAt}})
	}
	return c, nil
}

func (t publicTenderResolver) ID() gql.ID           { return gql.ID(t.s.ID) }
func (t publicTenderResolver) Title() string        { return t.s.Title }
func (t publicTenderResolver) Jurisdiction() string { return t.s.Jurisdiction }
func (t publicTenderResolver) Phase() string        { return t.s.Phase }
func (t publicTenderResolver) PublishedAt() DateTime {
	return DateTime{t.publishedAt}
}
func (t publicTenderResolver) Cpv() []string { return nonNilStrings(t.s.CPV) }
func (t publicTenderResolver) Description() *string {
	return optString(t.s.Description)
}
func (t publicTenderResolver) Hub(ctx context.Context) (organisationResolver, error) {
	return t.r.organisationOf(ctx, t.s.Hub)
}

func (t publicTenderResolver) access(ctx context.Context) (tenderAccess, error) {
	return t.r.tenderAccess(ctx, t.s.ID, t.s.Hub)
}

// Dialogue: the notice and the answers are PUBLIC; the events, their public
// minutes and the closing go to registered suppliers and the case's
// organisations. Nothing CASE_INTERNAL, whoever reads.
func (t publicTenderResolver) Dialogue(ctx context.Context) (*dialogueResolver, error) {
	a, err := t.access(ctx)
	if err != nil {
		return nil, err
	}
	d, err := tendering.DialogueOf(ctx, t.r.db(), t.s.ID)
	if err != nil || d == nil {
		return nil, toAPI(err)
	}
	registered := a.caseOrg
	if !registered {
		own, err := tendering.RegistrationOf(ctx, t.r.db(), t.s.ID, a.p.Org)
		if err != nil {
			return nil, toAPI(err)
		}
		registered = own != nil
	}
	return &dialogueResolver{r: t.r, caseID: t.s.ID, d: *d, supplierView: registered}, nil
}

// published says whether the contract notice is out: the design and the
// timetable are part of the published documents from then on.
func (t publicTenderResolver) published(ctx context.Context) (bool, error) {
	n, err := tendering.NoticeOf(ctx, t.r.db(), t.s.ID)
	return n != nil, toAPI(err)
}

func (t publicTenderResolver) Design(ctx context.Context) (*designResolver, error) {
	if ok, err := t.published(ctx); err != nil || !ok {
		return nil, err
	}
	return t.r.designOf(ctx, t.s.ID, false)
}

func (t publicTenderResolver) Timetable(ctx context.Context) (*timetableResolver, error) {
	if ok, err := t.published(ctx); err != nil || !ok {
		return nil, err
	}
	return t.r.timetableOf(ctx, t.s.ID)
}

func (t publicTenderResolver) ContractNotice(ctx context.Context) (*noticeResolver, error) {
	return t.r.noticeOf(ctx, t.s.ID, false)
}

func (t publicTenderResolver) Amendments(ctx context.Context) ([]amendmentResolver, error) {
	return t.r.amendmentsOf(ctx, t.s.ID)
}

func (t publicTenderResolver) MyRegistration(ctx context.Context) (*registrationResolver, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return nil, err
	}
	g, err := tendering.RegistrationOf(ctx, t.r.db(), t.s.ID, p.Org)
	if err != nil || g == nil {
		return nil, toAPI(err)
	}
	return &registrationResolver{t.r, *g}, nil
}

func (t publicTenderResolver) MyQuestions(ctx context.Context) ([]questionResolver, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return nil, err
	}
	qs, err := tendering.QuestionsOf(ctx, t.r.db(), t.s.ID, p.Org)
	if err != nil {
		return nil, toAPI(err)
	}
	return questionResolvers(t.r, qs), nil
}

// MyBids are the acting organisation's own receipts, whatever the phase.
func (t publicTenderResolver) MyBids(ctx context.Context) ([]bidResolver, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return nil, err
	}
	bs, err := tendering.BidsOf(ctx, t.r.db(), t.s.ID, p.Org)
	if err != nil {
		return nil, toAPI(err)
	}
	out := make([]bidResolver, len(bs))
	for i, b := range bs {
		out[i] = bidResolver{r: t.r, caseID: t.s.ID, b: b}
	}
	return out, nil
}
