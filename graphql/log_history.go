package graphql

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"

	gql "github.com/graph-gophers/graphql-go"

	"github.com/felles/felles/app"
	"github.com/felles/felles/audit"
	"github.com/felles/felles/domain/accesslog"
	"github.com/felles/felles/domain/procurement"
	"github.com/felles/felles/eventstore"
)

// History serves streams as the log holds them (DOMAIN.md §4.6, §5 "Replay
// history / export"). Each event is shown or withheld by the rule of the
// stream and, in a case's stream, by the event's class exactly as every other
// field applies it (awardAccess.seesEvent): history is never a way round a
// field's rule. A member's needs drafts stay with that member, auditors
// included: §5 lets auditors read them after submission only "if policy
// retains them", and Felles has no such retention policy yet.
// Whoever gets SEALED, EVALUATOR_PRIVATE, COMMERCIAL_CONF data, or another
// organisation's ORG_PRIVATE or MEMBER_RECORD data, gets it recorded in the
// case's access log first (one record per page, naming every event shown).

type historyArgs struct {
	First  *int32 // 50 when null
	After  *string
	Reason *string
}

func (r *resolver) History(ctx context.Context, args struct {
	StreamID string
	historyArgs
}) (historyConnection, error) {
	p, err := principalFrom(ctx)
	if err != nil {
		return historyConnection{}, err
	}
	category, id, _ := strings.Cut(args.StreamID, "-")
	switch {
	case category == "procurement" && procurement.ValidID(id):
		s, err := r.visibleCase(ctx, p, id)
		if err != nil || s == nil {
			return historyConnection{}, err
		}
		return procurementResolver{r: r, s: *s}.History(ctx, args.historyArgs)
	case args.StreamID == audit.HeadStream:
		return r.history(ctx, args.StreamID, args.historyArgs, func(eventstore.Record) historyView { return historyView{} })
	case category == "organisation" && id != "":
		everything, err := r.Dispatcher.ReadScope(p, app.ObjectOrganisation)
		if err != nil {
			return historyConnection{}, toAPI(err)
		}
		if p.Org != id && !everything {
			return historyConnection{entries: []historyEntry{}}, nil
		}
		return r.history(ctx, args.StreamID, args.historyArgs, func(eventstore.Record) historyView { return historyView{} })
	case accesslog.IsStream(args.StreamID):
		caseID := strings.TrimPrefix(args.StreamID, accesslog.StreamPrefix)
		s, err := r.visibleCase(ctx, p, caseID)
		if err != nil || s == nil {
			return historyConnection{entries: []historyEntry{}}, err
		}
		a, err := r.tenderAccess(ctx, s.ID, s.Hub)
		if err != nil || !a.sealedReader() {
			return historyConnection{entries: []historyEntry{}}, err
		}
		return r.history(ctx, args.StreamID, args.historyArgs, func(eventstore.Record) historyView { return historyView{} })
	}
	return historyConnection{entries: []historyEntry{}}, nil
}

// History is the case's own stream.
func (p procurementResolver) History(ctx context.Context, args historyArgs) (historyConnection, error) {
	ta, err := p.tenderAccess(ctx)
	if err != nil || !ta.caseOrg || !procurement.ValidID(p.s.ID) {
		return historyConnection{entries: []historyEntry{}}, err
	}
	s, err := p.state(ctx)
	if err != nil {
		return historyConnection{}, toAPI(err)
	}
	a := newAwardAccess(ta, s)
	// a draft is read by the roles that read their organisation's draft
	// (Procurement.myNeedsDraft), not by everyone acting for the owner
	mayReadDrafts := p.r.Dispatcher.Authorize(ta.p, app.ObjectProcurement, "ReadNeedsDraft") == nil
	reg := procurement.Events()
	conn, err := p.r.history(ctx, procurement.StreamID(p.s.ID), args, func(rec eventstore.Record) historyView {
		ev, known, err := reg.Decode(rec.Type, rec.SchemaVersion, rec.Data)
		if err != nil || !known {
			return historyView{class: "UNKNOWN", withheld: "UNKNOWN"} // a type this build cannot classify is not shown
		}
		class, owner := procurement.VisibilityOf(ev)
		v := historyView{class: string(class)}
		if !a.seesEvent(ev) || (class == procurement.VisibilityOrgPrivate && !mayReadDrafts) {
			v.withheld = string(class)
			return v
		}
		switch class {
		case procurement.VisibilitySealed, procurement.VisibilityEvaluatorPrivate, procurement.VisibilityCommercialConf:
			v.confidential = true
		case procurement.VisibilityOrgPrivate, procurement.VisibilityMemberRecord:
			v.confidential = owner != ta.p.Org
		}
		return v
	})
	if err != nil {
		return conn, err
	}
	if p.at != nil { // time travel: the history stops where the case is shown
		for i, e := range conn.entries {
			if e.rec.Revision > p.at.revision {
				conn.entries, conn.more = conn.entries[:i], false
				break
			}
		}
	}
	var shown, classes []string
	for _, e := range conn.entries {
		if e.view.confidential {
			shown = append(shown, e.rec.ID)
			if !slices.Contains(classes, e.view.class) {
				classes = append(classes, e.view.class)
			}
		}
	}
	if len(shown) > 0 {
		purpose := "history"
		if args.Reason != nil && strings.TrimSpace(*args.Reason) != "" {
			purpose = strings.TrimSpace(*args.Reason)
		}
		err := p.r.Access.RecordRequest(ctx, ta.p, correlationFrom(ctx), accesslog.Logged{CaseID: p.s.ID,
			Resource: "history/" + procurement.StreamID(p.s.ID), Subject: strings.Join(shown, ","),
			Class: strings.Join(classes, ","), Purpose: purpose, Granted: true})
		if err != nil {
			return historyConnection{}, toAPI(err)
		}
	}
	return conn, nil
}

// historyView is what the caller may see of one event.
type historyView struct {
	class        string // "" outside a case's stream
	withheld     string // the class that hides the event's data, "" when shown
	confidential bool   // shown, and its reading is to be recorded
}

const maxHistoryReason = 500

// history reads one page of a stream and applies view to each event.
func (r *resolver) history(ctx context.Context, stream string, args historyArgs, view func(eventstore.Record) historyView) (historyConnection, error) {
	first := int32(50)
	if args.First != nil {
		first = *args.First
	}
	if first < 1 || first > MaxPageSize {
		return historyConnection{}, badInput("first.out_of_range", fmt.Sprintf("first must be between 1 and %d, got %d", MaxPageSize, first))
	}
	if args.Reason != nil && len(*args.Reason) > maxHistoryReason {
		return historyConnection{}, badInput("reason.too_long", fmt.Sprintf("reason must be at most %d bytes", maxHistoryReason))
	}
	from := uint64(0)
	if args.After != nil {
		rev, err := decodeNumberCursor("rev", "history", *args.After)
		if err != nil {
			return historyConnection{}, err
		}
		from = rev + 1
	}
	recs, err := r.Dispatcher.Store().ReadStream(ctx, stream, from, int(first)+1)
	if err != nil {
		return historyConnection{}, toAPI(err)
	}
	c := historyConnection{entries: []historyEntry{}}
	if len(recs) > int(first) {
		recs, c.more = recs[:first], true
	}
	for _, rec := range recs {
		c.entries = append(c.entries, historyEntry{rec: rec, view: view(rec)})
	}
	if len(recs) > 0 {
		cur := numberCursor("rev", recs[len(recs)-1].Revision)
		c.end = &cur
	}
	return c, nil
}

// numberCursor is an opaque cursor for a number of some kind (a revision, a leaf).
func numberCursor(kind string, n uint64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + ":" + strconv.FormatUint(n, 10)))
}

// decodeNumberCursor reads a numberCursor back; field names the list it came from.
func decodeNumberCursor(kind, field, s string) (uint64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil && len(b) > len(kind)+1 && string(b[:len(kind)+1]) == kind+":" {
		if n, err := strconv.ParseUint(string(b[len(kind)+1:]), 10, 64); err == nil {
			return n, nil
		}
	}
	return 0, badInput("after.malformed", fmt.Sprintf("after %q is not a cursor from %s", s, field))
}

type historyConnection struct {
	entries []historyEntry
	end     *string
	more    bool
}

func (c historyConnection) Entries() []historyEntry { return c.entries }
func (c historyConnection) EndCursor() *string      { return c.end }
func (c historyConnection) HasNextPage() bool       { return c.more }

type historyEntry struct {
	rec  eventstore.Record
	view historyView
}

func (e historyEntry) shown() bool { return e.view.withheld == "" }

// unless is s when the event's data is shown, null otherwise.
func (e historyEntry) unless(s string) *string {
	if !e.shown() {
		return nil
	}
	return &s
}

func (e historyEntry) EventID() gql.ID      { return gql.ID(e.rec.ID) }
func (e historyEntry) Stream() string       { return e.rec.Stream }
func (e historyEntry) Type() string         { return e.rec.Type }
func (e historyEntry) SchemaVersion() int32 { return int32(e.rec.SchemaVersion) }
func (e historyEntry) Revision() int32      { return int32(e.rec.Revision) }
func (e historyEntry) Position() string     { return e.rec.Position.String() }
func (e historyEntry) RecordedAt() DateTime { return DateTime{e.rec.RecordedAt} }
func (e historyEntry) PrevHash() string     { return e.rec.PrevHash }
func (e historyEntry) Hash() string         { return e.rec.Hash }
func (e historyEntry) Visibility() *string {
	if e.view.class == "" {
		return nil
	}
	return &e.view.class
}
func (e historyEntry) Data() *string         { return e.unless(string(e.rec.Data)) }
func (e historyEntry) User() *string         { return e.unless(e.rec.Metadata.User) }
func (e historyEntry) Organisation() *string { return e.unless(e.rec.Metadata.Org) }
func (e historyEntry) CommandID() *string    { return e.unless(e.rec.Metadata.CommandID) }
func (e historyEntry) CommandHash() *string  { return e.unless(e.rec.Metadata.CommandHash) }
func (e historyEntry) CorrelationID() *string {
	return e.unless(e.rec.Metadata.CorrelationID)
}
func (e historyEntry) CausationID() *string { return e.unless(e.rec.Metadata.CausationID) }
func (e historyEntry) Withheld() *string {
	if e.shown() {
		return nil
	}
	return &e.view.withheld
}
func (e historyEntry) OccurredAt() *DateTime {
	if !e.shown() {
		return nil
	}
	return &DateTime{e.rec.Metadata.OccurredAt}
}
