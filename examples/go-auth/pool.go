package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"time"
)

// The connection pool and the exchange rules that the Redis and the MySQL
// clients share. Only the protocols differ between the two; how connections
// are reused, when one is thrown away and when a command is retried must
// stay the same for both, so it is written once here.

// pooledConn is what the pool needs of a connection.
type pooledConn interface {
	// reusable is false once an exchange left the connection in a state
	// that the next command must not inherit (a deadline in the past).
	reusable() bool
	// close ends a connection that is still healthy, with a goodbye where
	// the protocol has one.
	close()
	// abort closes the socket at once: the connection failed or its server
	// is gone, so there is nobody to say goodbye to.
	abort()
}

// connPool keeps the idle connections of one client. It is safe for
// concurrent use.
type connPool[C pooledConn] struct {
	label     string                               // "redis host:port": the start of every error
	maxIdle   int                                  // idle connections kept at most
	errClosed error                                // what commands fail with after close
	dial      func(ctx context.Context) (C, error) // opens a connection ready for commands
	serverErr func(error) bool                     // an error the server answered with: the connection stays usable

	mu     sync.Mutex
	idle   []C
	closed bool
}

// newConnPool returns an empty pool that keeps at most defaultMaxIdle idle
// connections; the fields of connPool say what the arguments are.
func newConnPool[C pooledConn](label string, errClosed error, dial func(context.Context) (C, error), serverErr func(error) bool) *connPool[C] {
	return &connPool[C]{label: label, maxIdle: defaultMaxIdle, errClosed: errClosed, dial: dial, serverErr: serverErr}
}

// take takes an idle connection, or dials a new one when there is none or
// fresh is set. pooled tells which one it is.
func (p *connPool[C]) take(ctx context.Context, fresh bool) (cn C, pooled bool, err error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return cn, false, p.errClosed
	}
	if !fresh && len(p.idle) > 0 {
		cn = p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		p.mu.Unlock()
		return cn, true, nil
	}
	p.mu.Unlock()

	cn, err = p.dial(ctx)
	return cn, false, err
}

// put puts a healthy connection back into the pool, or closes it when the
// pool is closed or full.
func (p *connPool[C]) put(cn C) {
	p.mu.Lock()
	keep := !p.closed && cn.reusable() && len(p.idle) < p.maxIdle
	if keep {
		p.idle = append(p.idle, cn)
	}
	p.mu.Unlock()
	if !keep {
		cn.close()
	}
}

// dropIdle closes every idle connection without a goodbye: it is called
// when they are all believed dead.
func (p *connPool[C]) dropIdle() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, cn := range idle {
		cn.abort()
	}
}

// close closes the idle connections; later commands fail with errClosed.
// Connections in use are closed when they are put back.
func (p *connPool[C]) close() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.closed = true
	p.mu.Unlock()
	for _, cn := range idle {
		cn.close()
	}
}

// do runs one exchange on a pooled or new connection; what names it in
// errors.
//
// An error the server answered with (serverErr) ended the exchange cleanly:
// the connection goes back into the pool and the error comes back as it is.
// Any other error closes the connection, because it is in an unknown state.
// A pooled connection that fails as if the server had closed it while it
// sat idle (the server restarted) is retried once on a fresh connection. A
// fresh connection is never retried: the command may have run.
func (p *connPool[C]) do(ctx context.Context, what string, exchange func(C) error) error {
	fresh := false
	for {
		cn, pooled, err := p.take(ctx, fresh)
		if err != nil {
			return fmt.Errorf("%s: %w", p.label, err)
		}
		err = exchange(cn)
		if err == nil || p.serverErr(err) {
			p.put(cn)
			return err
		}
		cn.abort()
		if pooled && !fresh && isStale(err) && ctx.Err() == nil {
			// The server probably restarted: every idle connection is dead.
			p.dropIdle()
			fresh = true
			continue
		}
		return fmt.Errorf("%s: %s: %w", p.label, what, err)
	}
}

// isStale tells whether err looks like a connection the server closed while
// it sat in the pool.
func isStale(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// withDeadline runs exchange on nc within timeout and the context's
// deadline, whichever comes first. expired tells that the connection's
// deadline is (or is about to be) in the past, so it must not be reused.
//
// An error the server answered with (serverErr) comes back as it is. Any
// other error that the context's end caused comes back as the context's
// error, so that callers see context.Canceled or DeadlineExceeded rather
// than an I/O timeout.
func withDeadline(ctx context.Context, nc net.Conn, timeout time.Duration, serverErr func(error) bool, exchange func() error) (expired bool, err error) {
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := nc.SetDeadline(deadline); err != nil {
		return false, err
	}
	// Cancelling the context interrupts a blocked read or write.
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	err = exchange()
	expired = !stop() // the context was cancelled and moved the deadline
	if err == nil || serverErr(err) {
		return expired, err
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return expired, ctxErr
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		// The connection deadline was the context's and the context's own
		// timer has not fired yet.
		return expired, context.DeadlineExceeded
	}
	return expired, err
}
