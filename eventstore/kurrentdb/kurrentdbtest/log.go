package kurrentdbtest

import (
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// firstPosition leaves room for the records a real node writes before any client
// event (epochs, $users, …), so no client event sits at position 0.
const firstPosition = 4096

var nodeID = uuid.MustParse("5f3bd3c1-1b4e-4b2a-9a55-6c1f0e0d7c11")

// record is one event of the log; it is never changed once appended.
type record struct {
	id          uuid.UUID
	stream      string
	revision    uint64
	commit      uint64
	prepare     uint64
	eventType   string
	contentType string
	created     int64 // .NET ticks (100 ns) since the Unix epoch
	data        []byte
	meta        []byte
	wire        []byte // the ReadResp carrying this record, encoded once (structured UUID)
}

func (r *record) less(commit, prepare uint64) bool {
	if r.commit != commit {
		return r.commit < commit
	}
	return r.prepare < prepare
}

// proposed is an event of an append before it gets its place in the log.
type proposed struct {
	id          uuid.UUID
	eventType   string
	contentType string
	data, meta  []byte
}

// seed writes what a fresh node already holds besides client events: settings,
// a stream-metadata event and one event from some other application that has no
// Felles envelope at all.
func (s *Server) seed() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.write("$settings", []proposed{{id: uuid.New(), eventType: "$settings", contentType: "application/json",
		data: []byte(`{"$userStreamAcl":{"$r":"$all","$w":"$all"},"$systemStreamAcl":{"$r":"$admins","$w":"$admins"}}`)}})
	s.write("$$procurement-archive", []proposed{{id: uuid.New(), eventType: "$metadata", contentType: "application/json",
		data: []byte(`{"$maxAge":31536000}`)}})
	s.write("legacy-import", []proposed{{id: uuid.New(), eventType: "LegacyRowImported", contentType: "application/json",
		data: []byte(`{"row":1}`)}})
}

// write appends events to stream at its end; the caller holds s.mu and has
// checked the expected revision. Records take at least 64 bytes of log each and
// grow with their size, so positions increase with gaps. The events of one
// append share the commit position of the append (its last prepare position),
// like a transaction, while each keeps its own prepare position.
func (s *Server) write(stream string, events []proposed) []*record {
	now := time.Now().UnixNano() / 100
	rev := uint64(len(s.streams[stream]))
	out := make([]*record, len(events))
	for i, e := range events {
		size := 64 + len(stream) + len(e.eventType) + len(e.data) + len(e.meta)
		size = (size + 7) &^ 7
		out[i] = &record{id: e.id, stream: stream, revision: rev + uint64(i), prepare: s.next,
			eventType: e.eventType, contentType: e.contentType, created: now, data: e.data, meta: e.meta}
		s.next += uint64(size)
	}
	commit := out[len(out)-1].prepare
	for _, r := range out {
		r.commit = commit
		// Reads send the same bytes again and again: encode once.
		r.wire, _ = proto.Marshal(r.readResp(true))
	}
	s.log = append(s.log, out...)
	s.streams[stream] = append(s.streams[stream], out...)
	close(s.changed)
	s.changed = make(chan struct{})
	return out
}

// Append implements Streams.Append: options first, then the proposed events.
func (s *Server) Append(stream api.Streams_AppendServer) error {
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	opts := first.GetOptions()
	if opts == nil {
		return status.Error(codes.InvalidArgument, "the first append message must carry the options")
	}
	name := string(opts.GetStreamIdentifier().GetStreamName())
	if name == "" {
		return status.Error(codes.InvalidArgument, "stream name is empty")
	}
	var events []proposed
	for {
		msg, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		p := msg.GetProposedMessage()
		if p == nil {
			return status.Error(codes.InvalidArgument, "expected a proposed message")
		}
		typ, ok := p.GetMetadata()["type"]
		if !ok {
			return status.Error(codes.InvalidArgument, "required metadata property 'type' is missing")
		}
		ct, ok := p.GetMetadata()["content-type"]
		if !ok {
			return status.Error(codes.InvalidArgument, "required metadata property 'content-type' is missing")
		}
		id, err := uuidFromProto(p.GetId())
		if err != nil {
			return status.Error(codes.InvalidArgument, err.Error())
		}
		events = append(events, proposed{id: id, eventType: typ, contentType: ct, data: p.GetData(), meta: p.GetCustomMetadata()})
	}
	return stream.SendAndClose(s.appendChecked(name, opts, events))
}

func (s *Server) appendChecked(name string, opts *api.AppendReq_Options, events []proposed) *api.AppendResp {
	s.mu.Lock()
	defer s.mu.Unlock()
	current := s.streams[name]
	exists := len(current) > 0
	var start uint64 // where the append would begin if the expectation holds
	ok := false
	switch e := opts.GetExpectedStreamRevision().(type) {
	case *api.AppendReq_Options_Revision:
		start, ok = e.Revision+1, exists && uint64(len(current))-1 == e.Revision
	case *api.AppendReq_Options_NoStream:
		start, ok = 0, !exists
	case *api.AppendReq_Options_StreamExists:
		start, ok = uint64(len(current)), exists
	default: // Any
		start, ok = uint64(len(current)), true
	}
	if dup, last := idempotent(current, opts, start, events); dup {
		// Like the real node's idempotency cache: the same events at the same place
		// are acknowledged without being written, and without a log position.
		return &api.AppendResp{Result: &api.AppendResp_Success_{Success: &api.AppendResp_Success{
			CurrentRevisionOption: &api.AppendResp_Success_CurrentRevision{CurrentRevision: last},
			PositionOption:        &api.AppendResp_Success_NoPosition{NoPosition: &shared.Empty{}},
		}}}
	}
	if !ok {
		return wrongExpectedVersion(current, opts)
	}
	if len(events) == 0 {
		success := &api.AppendResp_Success{PositionOption: &api.AppendResp_Success_NoPosition{NoPosition: &shared.Empty{}}}
		if exists {
			success.CurrentRevisionOption = &api.AppendResp_Success_CurrentRevision{CurrentRevision: uint64(len(current)) - 1}
		} else {
			success.CurrentRevisionOption = &api.AppendResp_Success_NoStream{NoStream: &shared.Empty{}}
		}
		return &api.AppendResp{Result: &api.AppendResp_Success_{Success: success}}
	}
	written := s.write(name, events)
	last := written[len(written)-1]
	if len(name) == 0 || name[0] != '$' {
		s.appends++
		if s.statsEvery > 0 && s.appends >= s.statsEvery {
			s.appends = 0
			s.write("$stats-"+s.addr, []proposed{{id: uuid.New(), eventType: "$statsCollected", contentType: "application/json",
				data: []byte(fmt.Sprintf(`{"proc-startTime":%q}`, time.Now().UTC().Format(time.RFC3339)))}})
		}
	}
	// The real node reports the commit position twice ("not technically correct,
	// but matches current behavior"); here that is also the last event's position.
	return &api.AppendResp{Result: &api.AppendResp_Success_{Success: &api.AppendResp_Success{
		CurrentRevisionOption: &api.AppendResp_Success_CurrentRevision{CurrentRevision: last.revision},
		PositionOption: &api.AppendResp_Success_Position{Position: &api.AppendResp_Position{
			CommitPosition: last.commit, PreparePosition: last.commit}},
	}}}
}

// idempotent reports whether events were already written, with the same IDs, at
// the place this append expects to write them.
func idempotent(current []*record, opts *api.AppendReq_Options, start uint64, events []proposed) (bool, uint64) {
	if len(events) == 0 {
		return false, 0
	}
	if _, anyRev := opts.GetExpectedStreamRevision().(*api.AppendReq_Options_Any); anyRev {
		if len(current) < len(events) {
			return false, 0
		}
		start = uint64(len(current) - len(events))
	}
	end := start + uint64(len(events))
	if end > uint64(len(current)) {
		return false, 0
	}
	for i, e := range events {
		if current[start+uint64(i)].id != e.id {
			return false, 0
		}
	}
	return true, end - 1
}

func wrongExpectedVersion(current []*record, opts *api.AppendReq_Options) *api.AppendResp {
	w := &api.AppendResp_WrongExpectedVersion{}
	if len(current) == 0 {
		w.CurrentRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_NoStream_20_6_0{NoStream_20_6_0: &shared.Empty{}}
		w.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentNoStream{CurrentNoStream: &shared.Empty{}}
	} else {
		rev := uint64(len(current)) - 1
		w.CurrentRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_CurrentRevision_20_6_0{CurrentRevision_20_6_0: rev}
		w.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentRevision{CurrentRevision: rev}
	}
	switch e := opts.GetExpectedStreamRevision().(type) {
	case *api.AppendReq_Options_Revision:
		w.ExpectedRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_ExpectedRevision_20_6_0{ExpectedRevision_20_6_0: e.Revision}
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedRevision{ExpectedRevision: e.Revision}
	case *api.AppendReq_Options_NoStream:
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedNoStream{ExpectedNoStream: &shared.Empty{}}
	case *api.AppendReq_Options_StreamExists:
		w.ExpectedRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_StreamExists_20_6_0{StreamExists_20_6_0: &shared.Empty{}}
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedStreamExists{ExpectedStreamExists: &shared.Empty{}}
	default:
		w.ExpectedRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_Any_20_6_0{Any_20_6_0: &shared.Empty{}}
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedAny{ExpectedAny: &shared.Empty{}}
	}
	return &api.AppendResp{Result: &api.AppendResp_WrongExpectedVersion_{WrongExpectedVersion: w}}
}

func uuidFromProto(u *shared.UUID) (uuid.UUID, error) {
	if st := u.GetStructured(); st != nil {
		var b [16]byte
		binary.BigEndian.PutUint64(b[:8], uint64(st.GetMostSignificantBits()))
		binary.BigEndian.PutUint64(b[8:], uint64(st.GetLeastSignificantBits()))
		return uuid.UUID(b), nil
	}
	if str := u.GetString_(); str != "" {
		return uuid.Parse(str)
	}
	return uuid.Nil, fmt.Errorf("event id is missing")
}

func uuidProto(id uuid.UUID, structured bool) *shared.UUID {
	if !structured {
		return &shared.UUID{Value: &shared.UUID_String_{String_: id.String()}}
	}
	return &shared.UUID{Value: &shared.UUID_Structured_{Structured: &shared.UUID_Structured{
		MostSignificantBits:  int64(binary.BigEndian.Uint64(id[:8])),
		LeastSignificantBits: int64(binary.BigEndian.Uint64(id[8:])),
	}}}
}

func (r *record) readResp(structured bool) *api.ReadResp {
	return &api.ReadResp{Content: &api.ReadResp_Event{Event: &api.ReadResp_ReadEvent{
		Event: &api.ReadResp_ReadEvent_RecordedEvent{
			Id:               uuidProto(r.id, structured),
			StreamIdentifier: &shared.StreamIdentifier{StreamName: []byte(r.stream)},
			StreamRevision:   r.revision,
			PreparePosition:  r.prepare,
			CommitPosition:   r.commit,
			// The client log.Fatalf's when "created" is missing.
			Metadata:       map[string]string{"type": r.eventType, "content-type": r.contentType, "created": strconv.FormatInt(r.created, 10)},
			CustomMetadata: r.meta,
			Data:           r.data,
		},
		Position: &api.ReadResp_ReadEvent_CommitPosition{CommitPosition: r.commit},
	}}}
}

// send writes a record to a read or subscription: the encoded bytes when the
// client wants structured UUIDs (it always does), else a fresh message.
func (r *record) send(out api.Streams_ReadServer, structured bool) error {
	if structured && r.wire != nil {
		return out.SendMsg(encoded(r.wire))
	}
	return out.Send(r.readResp(structured))
}

// encoded is a message already in its wire form; codec passes it through.
type encoded []byte

// codec is the proto codec, except that it sends encoded messages as they are.
type codec struct{}

func (codec) Marshal(v any) ([]byte, error) {
	if e, ok := v.(encoded); ok {
		return e, nil
	}
	m, ok := v.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("kurrentdbtest: cannot encode %T", v)
	}
	return proto.Marshal(m)
}

func (codec) Unmarshal(data []byte, v any) error {
	m, ok := v.(proto.Message)
	if !ok {
		return fmt.Errorf("kurrentdbtest: cannot decode into %T", v)
	}
	return proto.Unmarshal(data, m)
}

func (codec) Name() string { return "proto" }
