package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/felles/felles/eventstore"
	"github.com/felles/felles/eventstore/sqlite"
)

// The crash test runs the real binary in a subprocess, fires commands at it
// from many clients, SIGKILLs it while requests are in flight and restarts it on
// the same data folder. Every command a client saw acknowledged must be in the
// log, the log must stay gapless with intact hash chains, the views must catch
// up, and retrying an acknowledged command must append nothing.
//
// Every identifier here starts with "crash" so it cannot collide with the other
// tests of the package.

const (
	crashCycles   = 3
	crashWorkers  = 16
	crashBudget   = 60 * time.Second
	crashHubUser  = "hub-coordinator"
	crashHubOrg   = "hub"
	crashCreate   = `mutation($title: String!, $cmd: ID) { createProcurement(input: {title: $title, jurisdiction: NO, commandId: $cmd}) { procurement { id } revision position } }`
	crashInvite   = `mutation($id: ID!, $org: ID!, $cmd: ID) { inviteMunicipality(input: {procurementId: $id, organisationId: $org, commandId: $cmd}) { procurement { id } revision position } }`
	crashReadCase = `query($id: ID!) { procurement(id: $id) { id title revision members { organisation { id } status } } }`
)

var crashMunicipalities = []string{"oslo", "bergen", "trondheim", "stavanger"}

func TestKillingTheServerLosesNoAcknowledgedEvent(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test builds and SIGKILLs the felles binary; skipped with -short")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("crash test needs the go toolchain on PATH to build the felles binary: ", err)
	}
	began := time.Now()
	bin := crashBuild(t, goBin)
	t.Logf("built %s in %s", filepath.Base(bin), time.Since(began).Round(time.Millisecond))

	dir := t.TempDir()
	token := crashMintToken(t, bin, dir, crashHubUser, crashHubOrg)
	srv := crashStart(t, bin, dir)

	var all []crashAck // every acknowledged command, over every cycle
	for cycle := range crashCycles {
		if time.Since(began) > crashBudget {
			t.Fatalf("the crash test ran out of its %s budget before cycle %d", crashBudget, cycle+1)
		}
		// Kill at a different moment in each cycle: the later cycles let the
		// load build up longer before the kill.
		delay := time.Duration(300+cycle*200+rand.IntN(200)) * time.Millisecond
		acks, inFlight := crashLoadAndKill(t, srv, token, cycle, delay)
		all = append(all, acks...)
		creates := 0
		for _, a := range acks {
			if a.org == "" {
				creates++
			}
		}
		t.Logf("cycle %d: SIGKILL %s after the first acknowledgement, with %d requests in flight; %d commands acknowledged before the kill (%d creates, %d invites), %d in total",
			cycle+1, delay, inFlight, len(acks), creates, len(acks)-creates, len(all))

		// The process is gone: the kernel released its lock on the data folder.
		release, err := lockDataDir(dir)
		if err != nil {
			t.Fatalf("cycle %d: the data folder is still locked after SIGKILL: %v", cycle+1, err)
		}
		release()

		head := crashCheckLog(t, dir, all)
		t.Logf("cycle %d: the log holds %d events, gapless, every stream's hash chain verifies", cycle+1, head)

		srv = crashStart(t, bin, dir)
		crashWaitViews(t, srv, head)
		crashCheckAPI(t, srv, token, all)
		crashCheckRetries(t, srv, token, all, head)
	}
	t.Logf("%d kill cycles, %d acknowledged commands, all durable; took %s", crashCycles, len(all), time.Since(began).Round(time.Millisecond))
}

// crashAck is one command a client saw acknowledged: HTTP 200, no errors.
type crashAck struct {
	commandID string
	caseID    string
	title     string // for creates
	org       string // for invites; "" for a create
	revision  int
	position  eventstore.Position
}

func (a crashAck) stream() string { return "procurement-" + a.caseID }

// crashLoadAndKill runs crashWorkers clients against srv; delay after the first
// acknowledgement it SIGKILLs the server. It returns what was acknowledged and
// how many requests were in flight at the kill.
func crashLoadAndKill(t *testing.T, srv *crashServer, token string, cycle int, delay time.Duration) ([]crashAck, int) {
	t.Helper()
	var (
		mu        sync.Mutex
		acks      []crashAck
		firstAck  = make(chan struct{})
		firstOnce sync.Once
		inFlight  sync.WaitGroup
		flying    int64
		killed    = make(chan struct{})
		flyMu     sync.Mutex
	)
	record := func(a crashAck) {
		mu.Lock()
		acks = append(acks, a)
		mu.Unlock()
		firstOnce.Do(func() { close(firstAck) })
	}
	// call posts one mutation; ok is true only for an acknowledgement. A reply
	// with errors while the server is up is a test failure: every command here
	// is valid.
	call := func(query string, vars map[string]any, field string) (crashPayload, bool) {
		flyMu.Lock()
		flying++
		flyMu.Unlock()
		defer func() { flyMu.Lock(); flying--; flyMu.Unlock() }()
		reply, status, err := srv.post(token, query, vars)
		if err != nil {
			select {
			case <-killed:
			default:
				t.Errorf("cycle %d: %s failed before the kill: %v", cycle+1, field, err)
			}
			return crashPayload{}, false
		}
		p, err := reply.payload(status, field)
		if err != nil {
			t.Errorf("cycle %d: %s was not acknowledged while the server was up: %v", cycle+1, field, err)
			return crashPayload{}, false
		}
		return p, true
	}
	worker := func(w int) {
		defer inFlight.Done()
		for i := 0; ; i++ {
			select {
			case <-killed:
				return
			default:
			}
			cmd := fmt.Sprintf("crash-c%d-w%d-%d", cycle+1, w, i)
			title := "Crash case " + cmd
			p, ok := call(crashCreate, map[string]any{"title": title, "cmd": cmd + "-create"}, "createProcurement")
			if !ok {
				return
			}
			record(crashAck{commandID: cmd + "-create", caseID: p.Procurement.ID, title: title, revision: p.Revision, position: p.pos})
			// The invites race each other on the case stream.
			var invites sync.WaitGroup
			for _, org := range crashMunicipalities {
				invites.Go(func() {
					id := cmd + "-invite-" + org
					q, ok := call(crashInvite, map[string]any{"id": p.Procurement.ID, "org": org, "cmd": id}, "inviteMunicipality")
					if ok {
						record(crashAck{commandID: id, caseID: p.Procurement.ID, org: org, revision: q.Revision, position: q.pos})
					}
				})
			}
			invites.Wait()
		}
	}
	inFlight.Add(crashWorkers)
	for w := range crashWorkers {
		go worker(w)
	}
	select {
	case <-firstAck:
		time.Sleep(delay)
	case <-time.After(15 * time.Second):
		t.Errorf("cycle %d: no command was acknowledged within 15s", cycle+1)
	}
	flyMu.Lock()
	n := int(flying)
	close(killed) // before the kill: from here on a failed request is expected
	flyMu.Unlock()
	srv.kill()
	inFlight.Wait()
	if t.Failed() {
		t.FailNow()
	}
	mu.Lock()
	defer mu.Unlock()
	return acks, n
}

// crashCheckLog reads the log of the stopped server: gapless positions 1..head,
// every acknowledged command stored at the position and revision it was
// acknowledged with, every stream's hash chain intact. It returns the head.
func crashCheckLog(t *testing.T, dir string, acks []crashAck) uint64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	store, err := sqlite.Open(filepath.Join(dir, "events.db"))
	if err != nil {
		t.Fatalf("open the log after the kill: %v", err)
	}
	defer store.Close()
	recs, err := store.ReadAll(ctx, eventstore.Position{}, 0)
	if err != nil {
		t.Fatalf("read the log: %v", err)
	}
	head, err := store.Head(ctx)
	if err != nil {
		t.Fatalf("head: %v", err)
	}
	if head.Commit != uint64(len(recs)) {
		t.Errorf("the head is %v but the log holds %d events", head, len(recs))
	}
	type key struct{ stream, commandID string }
	last := map[key]eventstore.Record{} // the last event each command appended to a stream
	streams := map[string]bool{}
	for i, r := range recs {
		if want := eventstore.Seq(uint64(i + 1)); r.Position != want {
			t.Fatalf("the log has a gap: event %d sits at position %v, want %v", i+1, r.Position, want)
		}
		streams[r.Stream] = true
		k := key{r.Stream, r.Metadata.CommandID}
		if prev, ok := last[k]; !ok || prev.Revision < r.Revision {
			last[k] = r
		}
	}
	lost := 0
	for _, a := range acks {
		if head.Less(a.position) {
			t.Errorf("command %s was acknowledged at position %v, beyond the head %v", a.commandID, a.position, head)
		}
		r, ok := last[key{a.stream(), a.commandID}]
		switch {
		case !ok:
			lost++
			if lost <= 10 {
				t.Errorf("LOST: command %s was acknowledged at %v (revision %d of %s) but has no event in the log", a.commandID, a.position, a.revision, a.stream())
			}
		case r.Position != a.position || r.Revision != uint64(a.revision):
			t.Errorf("command %s was acknowledged at position %v revision %d, the log has it at %v revision %d", a.commandID, a.position, a.revision, r.Position, r.Revision)
		case r.Metadata.User != crashHubUser || r.Metadata.Org != crashHubOrg:
			t.Errorf("command %s is stored as %s@%s", a.commandID, r.Metadata.User, r.Metadata.Org)
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged commands are missing from the log", lost, len(acks))
	}
	for s := range streams {
		events, err := store.ReadStream(ctx, s, 0, 0)
		if err != nil {
			t.Fatalf("read %s: %v", s, err)
		}
		if err := eventstore.VerifyChain(events); err != nil {
			t.Errorf("hash chain of %s: %v", s, err)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	return head.Commit
}

// crashWaitViews waits until the restarted server's views reach the log's head
// and checks that the restart (which loads the demo again) appended nothing.
func crashWaitViews(t *testing.T, srv *crashServer, head uint64) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var last crashReady
	for {
		r, err := srv.ready()
		if err == nil {
			last = r
			if r.Head != fmt.Sprint(head) {
				t.Fatalf("after the restart the head is %s, the log held %d before it: the restart appended or lost events", r.Head, head)
			}
			if r.ViewsPosition == r.Head {
				if r.Status != "ready" {
					t.Fatalf("readyz after the restart: %+v", r)
				}
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the views did not catch up with the log within 15s after the restart: %+v (last error %v)", last, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// crashCheckAPI reads every acknowledged case back through the API: it exists,
// and every acknowledged invitation shows.
func crashCheckAPI(t *testing.T, srv *crashServer, token string, acks []crashAck) {
	t.Helper()
	type want struct {
		title   string
		orgs    []string
		maxRev  int
		created bool
	}
	cases := map[string]*want{}
	for _, a := range acks {
		w := cases[a.caseID]
		if w == nil {
			w = &want{}
			cases[a.caseID] = w
		}
		if a.org == "" {
			w.title, w.created = a.title, true
		} else {
			w.orgs = append(w.orgs, a.org)
		}
		w.maxRev = max(w.maxRev, a.revision)
	}
	crashParallel(t, func(check func(func() error)) {
		for id, w := range cases {
			check(func() error {
				reply, status, err := srv.post(token, crashReadCase, map[string]any{"id": id})
				if err != nil {
					return err
				}
				var got struct {
					Procurement *struct {
						ID, Title string
						Revision  int
						Members   []struct {
							Organisation struct{ ID string }
							Status       string
						}
					}
				}
				if err := reply.decode(status, &got); err != nil {
					return fmt.Errorf("read case %s: %w", id, err)
				}
				p := got.Procurement
				if p == nil {
					return fmt.Errorf("case %s was acknowledged but is gone after the restart", id)
				}
				if w.created && p.Title != w.title {
					return fmt.Errorf("case %s has title %q, acknowledged %q", id, p.Title, w.title)
				}
				if p.Revision < w.maxRev {
					return fmt.Errorf("case %s is at revision %d, revision %d was acknowledged", id, p.Revision, w.maxRev)
				}
				member := map[string]string{}
				for _, m := range p.Members {
					member[m.Organisation.ID] = m.Status
				}
				for _, org := range w.orgs {
					if member[org] != "INVITED" {
						return fmt.Errorf("the invitation of %s to case %s was acknowledged but the member is %q", org, id, member[org])
					}
				}
				return nil
			})
		}
	})
}

// crashCheckRetries repeats every acknowledged command with its command ID: each
// answers with the acknowledged revision and position and the head stays put.
func crashCheckRetries(t *testing.T, srv *crashServer, token string, acks []crashAck, head uint64) {
	t.Helper()
	crashParallel(t, func(check func(func() error)) {
		for _, a := range acks {
			check(func() error {
				query, field := crashCreate, "createProcurement"
				vars := map[string]any{"title": a.title, "cmd": a.commandID}
				if a.org != "" {
					query, field = crashInvite, "inviteMunicipality"
					vars = map[string]any{"id": a.caseID, "org": a.org, "cmd": a.commandID}
				}
				reply, status, err := srv.post(token, query, vars)
				if err != nil {
					return err
				}
				p, err := reply.payload(status, field)
				if err != nil {
					return fmt.Errorf("retry of %s: %w", a.commandID, err)
				}
				if p.Procurement.ID != a.caseID || p.Revision != a.revision || p.pos != a.position {
					return fmt.Errorf("retry of %s answered case %s revision %d position %v; acknowledged case %s revision %d position %v",
						a.commandID, p.Procurement.ID, p.Revision, p.pos, a.caseID, a.revision, a.position)
				}
				return nil
			})
		}
	})
	r, err := srv.ready()
	if err != nil {
		t.Fatalf("readyz after the retries: %v", err)
	}
	if r.Head != fmt.Sprint(head) {
		t.Fatalf("retrying %d acknowledged commands moved the head from %d to %s", len(acks), head, r.Head)
	}
}

// crashParallel runs the checks that body hands to check on 8 goroutines and
// reports the first few failures.
func crashParallel(t *testing.T, body func(check func(func() error))) {
	t.Helper()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		errs  []error
		slots = make(chan struct{}, 8)
	)
	body(func(f func() error) {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			if err := f(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	})
	wg.Wait()
	for i, err := range errs {
		if i == 10 {
			t.Errorf("… and %d more", len(errs)-10)
			break
		}
		t.Error(err)
	}
	if len(errs) > 0 {
		t.FailNow()
	}
}

// ---- the subprocess ----

func crashBuild(t *testing.T, goBin string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "felles")
	cmd := exec.Command(goBin, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func crashMintToken(t *testing.T, bin, dir, user, org string) string {
	t.Helper()
	out, err := exec.Command(bin, "token", "--data", dir, "--user", user, "--org", org).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("felles token: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("felles token: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// crashServer is one felles serve subprocess.
type crashServer struct {
	t      *testing.T
	cmd    *exec.Cmd
	base   string
	client *http.Client
	exited chan struct{}
	stdout crashBuffer
	stderr crashBuffer
}

// crashBuffer is an io.Writer the test can read while the process writes.
type crashBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *crashBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *crashBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func crashFreePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// crashStart starts felles serve --demo on dir and waits until it serves and
// the demo data is loaded. The process is SIGKILLed at cleanup if still alive.
func crashStart(t *testing.T, bin, dir string) *crashServer {
	t.Helper()
	for attempt := 1; ; attempt++ {
		s, listenFailed := crashTryStart(t, bin, dir)
		if s != nil {
			return s
		}
		if !listenFailed || attempt == 3 {
			t.FailNow()
		}
		// Someone took the free port between our probe and the server's listen.
	}
}

// crashTryStart makes one attempt; it reports a failure to listen separately so
// the caller can try another port. Other failures are reported with t.Errorf.
func crashTryStart(t *testing.T, bin, dir string) (_ *crashServer, listenFailed bool) {
	t.Helper()
	addr := crashFreePort(t)
	s := &crashServer{
		t: t, base: "http://" + addr, exited: make(chan struct{}),
		client: &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 128}},
	}
	s.cmd = exec.Command(bin, "serve", "--data", dir, "--addr", addr, "--demo")
	s.cmd.Stdout, s.cmd.Stderr = &s.stdout, &s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start felles serve: %v", err)
	}
	go func() { s.cmd.Wait(); close(s.exited) }()
	t.Cleanup(func() {
		s.kill()
		if t.Failed() {
			t.Logf("felles serve on %s (pid %d) wrote:\n%s", addr, s.cmd.Process.Pid, crashTail(s.stderr.String(), 40))
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-s.exited:
			logs := s.stderr.String()
			if strings.Contains(logs, "listen on "+addr) {
				t.Logf("felles serve could not listen on %s; trying another port", addr)
				return nil, true
			}
			t.Errorf("felles serve exited at start (%v):\n%s", s.cmd.ProcessState, crashTail(logs, 40))
			return nil, false
		default:
		}
		if s.healthy() && strings.Contains(s.stdout.String(), "Demo data is loaded") {
			return s, false
		}
		if time.Now().After(deadline) {
			s.kill()
			t.Errorf("felles serve did not become healthy with demo data within 30s:\n%s", crashTail(s.stderr.String(), 40))
			return nil, false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *crashServer) healthy() bool {
	resp, err := s.client.Get(s.base + "/healthz")
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// kill sends SIGKILL and reaps the process; it is safe to call twice.
func (s *crashServer) kill() {
	select {
	case <-s.exited:
		return
	default:
	}
	s.cmd.Process.Kill()
	<-s.exited
	s.client.CloseIdleConnections()
}

type crashReady struct {
	Head          string `json:"head"`
	ViewsPosition string `json:"views_position"`
	Status        string `json:"status"`
	Poisoned      int    `json:"poisoned"`
}

func (s *crashServer) ready() (crashReady, error) {
	var r crashReady
	resp, err := s.client.Get(s.base + "/readyz")
	if err != nil {
		return r, err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return r, fmt.Errorf("readyz: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return r, fmt.Errorf("readyz answered %d: %+v", resp.StatusCode, r)
	}
	return r, nil
}

// crashReply is a GraphQL response.
type crashReply struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// post sends one GraphQL request; err is a transport failure (no full reply).
func (s *crashServer) post(token, query string, vars map[string]any) (crashReply, int, error) {
	var reply crashReply
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, s.base+"/graphql", bytes.NewReader(body))
	if err != nil {
		return reply, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := s.client.Do(req)
	if err != nil {
		return reply, 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply, resp.StatusCode, err
	}
	if err := json.Unmarshal(raw, &reply); err != nil {
		return reply, resp.StatusCode, fmt.Errorf("reply is not JSON (%d): %s", resp.StatusCode, raw)
	}
	return reply, resp.StatusCode, nil
}

// decode unpacks data into v if the reply is a success: 200 and no errors.
func (r crashReply) decode(status int, v any) error {
	if status != http.StatusOK || len(r.Errors) > 0 {
		msgs := make([]string, len(r.Errors))
		for i, e := range r.Errors {
			msgs[i] = fmt.Sprintf("%s (%v)", e.Message, e.Extensions["code"])
		}
		return fmt.Errorf("HTTP %d: %s", status, strings.Join(msgs, "; "))
	}
	if len(r.Data) == 0 || string(r.Data) == "null" {
		return fmt.Errorf("HTTP %d without data", status)
	}
	return json.Unmarshal(r.Data, v)
}

// crashPayload is a ProcurementPayload.
type crashPayload struct {
	Procurement struct{ ID string }
	Revision    int
	Position    string
	pos         eventstore.Position
}

func (r crashReply) payload(status int, field string) (crashPayload, error) {
	var data map[string]*crashPayload
	if err := r.decode(status, &data); err != nil {
		return crashPayload{}, err
	}
	p := data[field]
	if p == nil || p.Procurement.ID == "" {
		return crashPayload{}, fmt.Errorf("no %s payload in %s", field, r.Data)
	}
	pos, err := eventstore.ParsePosition(p.Position)
	if err != nil {
		return crashPayload{}, err
	}
	p.pos = pos
	return *p, nil
}

func crashTail(s string, lines int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(all) > lines {
		all = append([]string{fmt.Sprintf("… %d lines before", len(all)-lines)}, all[len(all)-lines:]...)
	}
	return strings.Join(all, "\n")
}
