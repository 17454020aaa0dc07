package main

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"
)

// What the tests of the Redis and the MySQL client share: both fake servers
// accept and count connections the same way, and both clients are held to
// the same rules about reusing connections.

// fakeServer is the listening half of a fake database: it accepts
// connections, counts them and can drop them all. mu also guards the fields
// of the fake that embeds it.
type fakeServer struct {
	ln net.Listener

	mu       sync.Mutex
	down     bool // accept connections and close them at once, like a server still starting
	conns    map[net.Conn]bool
	accepted int
}

// listen starts accepting connections on a free local port, each served by
// serve; the test's cleanup stops it and drops every connection.
func (s *fakeServer) listen(t *testing.T, serve func(net.Conn)) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.ln = ln
	s.conns = map[net.Conn]bool{}
	go s.accept(serve)
	t.Cleanup(func() {
		ln.Close()
		s.kill()
	})
}

func (s *fakeServer) addr() string { return s.ln.Addr().String() }

func (s *fakeServer) accept(serve func(net.Conn)) {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.down {
			s.mu.Unlock()
			c.Close()
			continue
		}
		s.accepted++
		s.conns[c] = true
		s.mu.Unlock()
		go serve(c)
	}
}

// kill drops every open connection, like a restarting server.
func (s *fakeServer) kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.Close()
		delete(s.conns, c)
	}
}

func (s *fakeServer) acceptedConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accepted
}

// unusedAddr is a local address where nothing listens (any more).
func unusedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// pinger is either client, as the shared checks see it.
type pinger interface {
	Ping(ctx context.Context) error
}

// fakeDB is either fake server, as the shared checks see it.
type fakeDB interface {
	acceptedConns() int
	kill()
}

// checkPingAfter checks that c still answers a Ping after what happened, and
// that the fake server has then accepted conns connections in all (why
// says which rule that count shows).
func checkPingAfter(t *testing.T, c pinger, f fakeDB, what string, conns int, why string) {
	t.Helper()
	if err := c.Ping(context.Background()); err != nil {
		t.Fatalf("Ping after %s: %v", what, err)
	}
	if got := f.acceptedConns(); got != conns {
		t.Fatalf("used %d connections, want %d (%s)", got, conns, why)
	}
}

// checkReconnectsAfterRestart checks that a pooled connection which the
// server dropped (it restarted) is replaced by a new one without an error.
func checkReconnectsAfterRestart(t *testing.T, c pinger, f fakeDB) {
	t.Helper()
	if err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.kill() // the pooled connection is now dead
	time.Sleep(50 * time.Millisecond)
	checkPingAfter(t, c, f, "the server dropped the pooled connection", 2, "a new one for the dead one")
}

// checkFailsAfterClose checks that commands fail with errClosed once the
// client is closed.
func checkFailsAfterClose(t *testing.T, c interface {
	pinger
	Close() error
}, errClosed error) {
	t.Helper()
	if err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if err := c.Ping(context.Background()); !errors.Is(err, errClosed) {
		t.Fatalf("Ping after Close error = %v, want %v", err, errClosed)
	}
}

// inParallel runs fn(0) to fn(n-1) at once and reports every error.
func inParallel(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(i); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
