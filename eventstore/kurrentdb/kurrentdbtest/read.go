package kurrentdbtest

import (
	"regexp"
	"sort"
	"strings"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// batch bounds how many records a subscription copies out of the log per lock.
const batch = 256

// Read implements Streams.Read: plain reads of a stream or of $all (count
// option) and catch-up subscriptions (subscription option).
func (s *Server) Read(req *api.ReadReq, stream api.Streams_ReadServer) error {
	opts := req.GetOptions()
	if opts == nil {
		return status.Error(codes.InvalidArgument, "read options are missing")
	}
	structured := opts.GetUuidOption().GetString_() == nil
	f, err := newFilter(opts.GetFilter())
	if err != nil {
		return err
	}
	_, subscribe := opts.GetCountOption().(*api.ReadReq_Options_Subscription)
	backwards := opts.GetReadDirection() == api.ReadReq_Options_Backwards
	switch so := opts.GetStreamOption().(type) {
	case *api.ReadReq_Options_All:
		if subscribe {
			return s.subscribeAll(so.All, f, structured, stream)
		}
		return s.readAll(so.All, backwards, opts.GetCount(), f, structured, stream)
	case *api.ReadReq_Options_Stream:
		if subscribe {
			return s.subscribeStream(so.Stream, structured, stream)
		}
		return s.readStream(so.Stream, backwards, opts.GetCount(), structured, stream)
	}
	return status.Error(codes.InvalidArgument, "neither a stream nor $all was given")
}

// readStream sends up to count events of one stream. Only event and
// stream_not_found messages are allowed here: the client panics on anything else.
func (s *Server) readStream(o *api.ReadReq_Options_StreamOptions, backwards bool, count uint64, structured bool, out api.Streams_ReadServer) error {
	name := string(o.GetStreamIdentifier().GetStreamName())
	s.mu.Lock()
	recs := s.streams[name]
	var page []*record
	if len(recs) > 0 {
		page = streamPage(recs, o, backwards, count)
	}
	s.mu.Unlock()
	if len(recs) == 0 {
		return out.Send(&api.ReadResp{Content: &api.ReadResp_StreamNotFound_{StreamNotFound: &api.ReadResp_StreamNotFound{
			StreamIdentifier: &shared.StreamIdentifier{StreamName: []byte(name)}}}})
	}
	for _, r := range page {
		if err := r.send(out, structured); err != nil {
			return err
		}
	}
	return nil
}

func streamPage(recs []*record, o *api.ReadReq_Options_StreamOptions, backwards bool, count uint64) []*record {
	last := uint64(len(recs)) - 1
	var page []*record
	if !backwards {
		from := uint64(0)
		switch r := o.GetRevisionOption().(type) {
		case *api.ReadReq_Options_StreamOptions_Revision:
			from = r.Revision
		case *api.ReadReq_Options_StreamOptions_End:
			from = last + 1
		}
		for i := from; i <= last && uint64(len(page)) < count; i++ {
			page = append(page, recs[i])
		}
		return page
	}
	from := last
	switch r := o.GetRevisionOption().(type) {
	case *api.ReadReq_Options_StreamOptions_Revision:
		from = min(r.Revision, last)
	case *api.ReadReq_Options_StreamOptions_Start:
		from = 0
	}
	for i := int64(from); i >= 0 && uint64(len(page)) < count; i-- {
		page = append(page, recs[i])
	}
	return page
}

// readAll sends up to count records of the log, system events included, as a
// real node does when no filter is given. Forwards from a position is
// inclusive; backwards from a position starts before it.
func (s *Server) readAll(o *api.ReadReq_Options_AllOptions, backwards bool, count uint64, f *filter, structured bool, out api.Streams_ReadServer) error {
	s.mu.Lock()
	var page []*record
	if !backwards {
		i := 0
		if p := o.GetPosition(); p != nil {
			i = s.searchLocked(p.GetCommitPosition(), p.GetPreparePosition())
		} else if o.GetEnd() != nil {
			i = len(s.log)
		}
		for ; i < len(s.log) && uint64(len(page)) < count; i++ {
			if f.match(s.log[i]) {
				page = append(page, s.log[i])
			}
		}
	} else {
		i := len(s.log) - 1
		if p := o.GetPosition(); p != nil {
			i = s.searchLocked(p.GetCommitPosition(), p.GetPreparePosition()) - 1
		} else if o.GetStart() != nil {
			i = -1
		}
		for ; i >= 0 && uint64(len(page)) < count; i-- {
			if f.match(s.log[i]) {
				page = append(page, s.log[i])
			}
		}
	}
	s.mu.Unlock()
	for _, r := range page {
		if err := r.send(out, structured); err != nil {
			return err
		}
	}
	return nil
}

// searchLocked is the index of the first record at or after (commit, prepare).
func (s *Server) searchLocked(commit, prepare uint64) int {
	return sort.Search(len(s.log), func(i int) bool { return !s.log[i].less(commit, prepare) })
}

// subscribeAll runs a catch-up subscription to $all: confirmation, history
// strictly after the start position, checkpoints while filtering, caught_up, then
// live records until the client goes away.
func (s *Server) subscribeAll(o *api.ReadReq_Options_AllOptions, f *filter, structured bool, out api.Streams_ReadServer) error {
	if err := out.Send(confirmation()); err != nil {
		return err
	}
	s.mu.Lock()
	next := 0
	switch {
	case o.GetPosition() != nil:
		p := o.GetPosition()
		next = s.searchLocked(p.GetCommitPosition(), p.GetPreparePosition())
		if next < len(s.log) && s.log[next].commit == p.GetCommitPosition() && s.log[next].prepare == p.GetPreparePosition() {
			next++ // delivery starts after the position
		}
	case o.GetEnd() != nil:
		next = len(s.log)
	}
	s.mu.Unlock()

	interval := f.checkpointInterval()
	scanned := 0
	var lastScanned *record
	caughtUp := false
	for {
		s.mu.Lock()
		page := append([]*record(nil), s.log[next:min(next+batch, len(s.log))]...)
		changed := s.changed
		s.mu.Unlock()
		for _, r := range page {
			next++
			lastScanned = r
			scanned++
			if f.match(r) {
				if err := r.send(out, structured); err != nil {
					return err
				}
			}
			if f != nil && scanned >= interval {
				scanned = 0
				if err := out.Send(checkpoint(r)); err != nil {
					return err
				}
			}
		}
		if len(page) > 0 {
			continue
		}
		if !caughtUp {
			caughtUp = true
			if f != nil && scanned > 0 && lastScanned != nil {
				scanned = 0
				if err := out.Send(checkpoint(lastScanned)); err != nil {
					return err
				}
			}
			if err := out.Send(&api.ReadResp{Content: &api.ReadResp_CaughtUp_{CaughtUp: &api.ReadResp_CaughtUp{}}}); err != nil {
				return err
			}
		}
		select {
		case <-changed:
		case <-out.Context().Done():
			return out.Context().Err()
		}
	}
}

// subscribeStream runs a catch-up subscription to one stream, after a revision.
func (s *Server) subscribeStream(o *api.ReadReq_Options_StreamOptions, structured bool, out api.Streams_ReadServer) error {
	if err := out.Send(confirmation()); err != nil {
		return err
	}
	name := string(o.GetStreamIdentifier().GetStreamName())
	s.mu.Lock()
	next := uint64(0)
	switch r := o.GetRevisionOption().(type) {
	case *api.ReadReq_Options_StreamOptions_Revision:
		next = r.Revision + 1
	case *api.ReadReq_Options_StreamOptions_End:
		next = uint64(len(s.streams[name]))
	}
	s.mu.Unlock()
	caughtUp := false
	for {
		s.mu.Lock()
		recs := s.streams[name]
		var page []*record
		if next < uint64(len(recs)) {
			page = append(page, recs[next:min(next+batch, uint64(len(recs)))]...)
		}
		changed := s.changed
		s.mu.Unlock()
		for _, r := range page {
			next++
			if err := r.send(out, structured); err != nil {
				return err
			}
		}
		if len(page) > 0 {
			continue
		}
		if !caughtUp {
			caughtUp = true
			if err := out.Send(&api.ReadResp{Content: &api.ReadResp_CaughtUp_{CaughtUp: &api.ReadResp_CaughtUp{}}}); err != nil {
				return err
			}
		}
		select {
		case <-changed:
		case <-out.Context().Done():
			return out.Context().Err()
		}
	}
}

func confirmation() *api.ReadResp {
	return &api.ReadResp{Content: &api.ReadResp_Confirmation{Confirmation: &api.ReadResp_SubscriptionConfirmation{
		SubscriptionId: uuid.NewString()}}}
}

func checkpoint(r *record) *api.ReadResp {
	return &api.ReadResp{Content: &api.ReadResp_Checkpoint_{Checkpoint: &api.ReadResp_Checkpoint{
		CommitPosition: r.commit, PreparePosition: r.prepare}}}
}

// filter is a server-side subscription filter on the stream name or the event
// type, by prefixes or by a regular expression. A nil filter lets everything by.
type filter struct {
	byType   bool
	prefixes []string
	re       *regexp.Regexp
	window   uint32
	multiple uint32
}

func newFilter(o *api.ReadReq_Options_FilterOptions) (*filter, error) {
	if o == nil {
		return nil, nil
	}
	f := &filter{window: 32, multiple: max(o.GetCheckpointIntervalMultiplier(), 1)}
	if w, ok := o.GetWindow().(*api.ReadReq_Options_FilterOptions_Max); ok && w.Max > 0 {
		f.window = w.Max
	}
	expr := o.GetStreamIdentifier()
	if et := o.GetEventType(); et != nil {
		f.byType, expr = true, et
	}
	if expr == nil {
		return nil, status.Error(codes.InvalidArgument, "the filter has neither a stream nor an event type expression")
	}
	f.prefixes = expr.GetPrefix()
	if rx := expr.GetRegex(); rx != "" {
		re, err := regexp.Compile(rx)
		if err != nil {
			return nil, status.Errorf(codes.InvalidArgument, "filter regex %q: %v", rx, err)
		}
		f.re = re
	}
	return f, nil
}

func (f *filter) match(r *record) bool {
	if f == nil {
		return true
	}
	subject := r.stream
	if f.byType {
		subject = r.eventType
	}
	if f.re != nil {
		return f.re.MatchString(subject)
	}
	for _, p := range f.prefixes {
		if strings.HasPrefix(subject, p) {
			return true
		}
	}
	return len(f.prefixes) == 0
}

// checkpointInterval is how many scanned records separate two checkpoints.
func (f *filter) checkpointInterval() int {
	if f == nil {
		return 0
	}
	return int(f.window * f.multiple)
}
