// Package kurrentdbtest is an in-memory test double of the KurrentDB (EventStoreDB)
// gRPC protocol, built on the protos that ship with EventStore-Client-Go v4, so the
// real client talks to it over TCP exactly as it would to a node.
//
// It keeps one global log with commit and prepare positions that grow but are not
// gapless (every record takes at least 64 bytes of "log", like a real transaction
// file), per-stream revisions, expected-revision checks answered in the AppendResp
// body, best-effort idempotent appends (same event IDs right after the expected
// revision, as the real server's cache does), reads of streams and of $all in both
// directions, catch-up subscriptions to $all and to streams with filters,
// checkpoints, caught-up and live events. It writes a few system events of its own
// (a $settings event, a stream-metadata event, periodic $statsCollected) and one
// foreign event without any envelope, so adapters must filter the log as they
// would on a real node. Stop and Restart keep the log, so a test can take the
// "node" down and bring it back on the same port.
package kurrentdbtest

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/gossip"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/serverfeatures"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"google.golang.org/grpc"
	"google.golang.org/grpc/keepalive"
)

// ServerVersion is what the double reports through ServerFeatures.
const ServerVersion = "24.10.0"

// Server is the double. Its zero value is not usable; call NewServer.
type Server struct {
	api.UnimplementedStreamsServer
	serverfeatures.UnimplementedServerFeaturesServer

	addr       string
	statsEvery int

	mu      sync.Mutex
	gs      *grpc.Server
	log     []*record            // the global log in commit order
	streams map[string][]*record // per stream, by revision
	next    uint64               // log position of the next record
	appends int                  // client appends since the last $statsCollected
	changed chan struct{}        // closed and replaced after every write
	calls   map[string]int
}

// Option configures a Server.
type Option func(*Server)

// WithAddr listens on addr (host:port) instead of a free loopback port, for
// example to bring a stopped node back on the port a client already knows.
func WithAddr(addr string) Option { return func(s *Server) { s.addr = addr } }

// WithStatsEvery writes a system $statsCollected event after every n client
// appends (25 by default; 0 turns them off).
func WithStatsEvery(n int) Option { return func(s *Server) { s.statsEvery = n } }

// NewServer starts a double listening on 127.0.0.1 (a free port unless WithAddr).
func NewServer(opts ...Option) (*Server, error) {
	s := &Server{
		addr:       "127.0.0.1:0",
		statsEvery: 25,
		streams:    map[string][]*record{},
		next:       firstPosition,
		changed:    make(chan struct{}),
		calls:      map[string]int{},
	}
	for _, o := range opts {
		o(s)
	}
	s.seed()
	if err := s.Restart(); err != nil {
		return nil, err
	}
	return s, nil
}

// Start runs a double for the length of a test and returns its connection string.
func Start(t testing.TB, opts ...Option) string {
	t.Helper()
	s, err := NewServer(opts...)
	if err != nil {
		t.Fatalf("kurrentdbtest: %v", err)
	}
	t.Cleanup(s.Stop)
	return s.ConnString()
}

// Addr is the host:port the double listens on (it keeps it across restarts).
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// ConnString is an esdb:// connection string for the double (plain text).
func (s *Server) ConnString() string { return "esdb://" + s.Addr() + "?tls=false" }

// Stop takes the node down as a crash would: listeners and connections close,
// open calls and subscriptions fail on the client. The log is kept.
func (s *Server) Stop() {
	s.mu.Lock()
	gs := s.gs
	s.gs = nil
	s.mu.Unlock()
	if gs != nil {
		gs.Stop()
	}
}

// Restart brings a stopped node back on the same address with the same log.
func (s *Server) Restart() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gs != nil {
		return nil
	}
	lis, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("kurrentdbtest: listen on %s: %w", s.addr, err)
	}
	s.addr = lis.Addr().String()
	gs := grpc.NewServer(
		grpc.ForceServerCodec(codec{}),
		// The client pings every 10 s even without calls; the gRPC default policy
		// (one ping per 5 minutes) would answer with GOAWAY and drop the connection.
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: time.Second, PermitWithoutStream: true}),
		grpc.ChainUnaryInterceptor(func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
			s.count(info.FullMethod)
			return h(ctx, req)
		}),
		grpc.ChainStreamInterceptor(func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) error {
			s.count(info.FullMethod)
			return h(srv, ss)
		}),
	)
	api.RegisterStreamsServer(gs, s)
	serverfeatures.RegisterServerFeaturesServer(gs, s)
	gossip.RegisterGossipServer(gs, gossipServer{s: s})
	s.gs = gs
	go gs.Serve(lis)
	return nil
}

func (s *Server) count(method string) {
	s.mu.Lock()
	s.calls[method]++
	s.mu.Unlock()
}

// Calls reports how many times each gRPC method was called, by full method name
// (for example "/event_store.client.streams.Streams/Read").
func (s *Server) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.calls))
	for k, v := range s.calls {
		out[k] = v
	}
	return out
}

// Len is the number of records in the global log, system events included.
func (s *Server) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.log)
}

// GetSupportedMethods answers the client's first call on every connection.
func (s *Server) GetSupportedMethods(context.Context, *shared.Empty) (*serverfeatures.SupportedMethods, error) {
	const streams = "event_store.client.streams.streams"
	return &serverfeatures.SupportedMethods{
		EventStoreServerVersion: ServerVersion,
		Methods: []*serverfeatures.SupportedMethod{
			{ServiceName: streams, MethodName: "read"},
			{ServiceName: streams, MethodName: "append"},
		},
	}, nil
}

// gossipServer answers gossip for esdb+discover:// connection strings: one live
// leader, this node. (Its own type: the Streams service also has a Read method.)
type gossipServer struct {
	gossip.UnimplementedGossipServer
	s *Server
}

func (g gossipServer) Read(context.Context, *shared.Empty) (*gossip.ClusterInfo, error) {
	host, port, err := net.SplitHostPort(g.s.Addr())
	if err != nil {
		return nil, err
	}
	p, _ := strconv.Atoi(port)
	return &gossip.ClusterInfo{Members: []*gossip.MemberInfo{{
		InstanceId:   uuidProto(nodeID, true),
		TimeStamp:    time.Now().UnixNano() / 100,
		State:        gossip.MemberInfo_Leader,
		IsAlive:      true,
		HttpEndPoint: &gossip.EndPoint{Address: host, Port: uint32(p)},
	}}}, nil
}
