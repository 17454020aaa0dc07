package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// A tiny RESP2 client for Redis: just enough for this service (PING, GET,
// SET with EX or NX, DEL, EXISTS). Connections are kept in a small pool; a
// connection that failed with an I/O or protocol error is closed, never
// reused.

const (
	defaultDialTimeout = 2 * time.Second
	defaultCmdTimeout  = 2 * time.Second
	defaultMaxIdle     = 8

	maxBulkLen  = 16 << 20 // largest bulk string accepted from the server
	maxArrayLen = 1 << 16  // largest array accepted from the server
	maxDepth    = 8        // deepest nesting of arrays accepted
	maxLineLen  = 64 << 10 // longest simple string, error or header line
)

// ErrNil is returned when Redis answers with a null reply (a missing key).
var ErrNil = errors.New("redis: nil reply")

// RedisError is an error reply sent by the server (like "ERR syntax error").
// The connection stays usable after one.
type RedisError string

func (e RedisError) Error() string { return "redis: " + string(e) }

// ProtocolError means the server sent something that is not RESP2.
type ProtocolError string

func (e ProtocolError) Error() string { return "redis: protocol error: " + string(e) }

// reply is one decoded RESP2 value.
type reply struct {
	kind  byte // '+' simple string, '-' error, ':' integer, '$' bulk string, '*' array
	str   string
	num   int64
	null  bool
	elems []reply
}

// RedisClient talks to one Redis server. It is safe for concurrent use.
type RedisClient struct {
	addr        string
	dialTimeout time.Duration
	cmdTimeout  time.Duration
	pool        *connPool[*redisConn]
}

type redisConn struct {
	nc     net.Conn
	r      *bufio.Reader
	w      *bufio.Writer
	broken bool // must be closed rather than put back into the pool
}

func (cn *redisConn) reusable() bool { return !cn.broken }

// close just closes: RESP has no goodbye that would be worth a round trip.
func (cn *redisConn) close() { cn.nc.Close() }
func (cn *redisConn) abort() { cn.nc.Close() }

// NewRedisClient returns a client for the server at addr (host:port). It
// does not connect until the first command.
func NewRedisClient(addr string) *RedisClient {
	c := &RedisClient{
		addr:        addr,
		dialTimeout: defaultDialTimeout,
		cmdTimeout:  defaultCmdTimeout,
	}
	c.pool = newConnPool("redis "+addr, errClientClosed, c.dial, isRedisError)
	return c
}

// Addr is the server address the client connects to.
func (c *RedisClient) Addr() string { return c.addr }

// Close closes the idle connections; later commands fail.
func (c *RedisClient) Close() error {
	c.pool.close()
	return nil
}

var errClientClosed = errors.New("redis: client closed")

// Do sends one command and returns its reply. An error reply from the server
// comes back as a RedisError. A pooled connection that turns out to be dead
// (the server restarted) is retried once on a fresh connection.
func (c *RedisClient) Do(ctx context.Context, args ...string) (reply, error) {
	if len(args) == 0 {
		return reply{}, errors.New("redis: empty command")
	}
	var rep reply
	err := c.pool.do(ctx, args[0], func(cn *redisConn) error {
		var err error
		rep, err = cn.roundTrip(ctx, c.cmdTimeout, args)
		return err
	})
	if err != nil {
		return reply{}, err
	}
	return rep, nil
}

// dial opens a new connection to the server.
func (c *RedisClient) dial(ctx context.Context) (*redisConn, error) {
	d := net.Dialer{Timeout: c.dialTimeout}
	nc, err := d.DialContext(ctx, "tcp", c.addr)
	if err != nil {
		return nil, err
	}
	return &redisConn{nc: nc, r: bufio.NewReader(nc), w: bufio.NewWriter(nc)}, nil
}

// isRedisError tells an error reply, after which the connection stays
// usable, from a failed exchange.
func isRedisError(err error) bool {
	var rerr RedisError
	return errors.As(err, &rerr)
}

// roundTrip writes one command and reads its reply, within the command
// timeout and the context.
func (cn *redisConn) roundTrip(ctx context.Context, timeout time.Duration, args []string) (reply, error) {
	var rep reply
	expired, err := withDeadline(ctx, cn.nc, timeout, isRedisError, func() error {
		var err error
		rep, err = cn.exchange(args)
		if err == nil && rep.kind == '-' {
			err = RedisError(rep.str)
		}
		return err
	})
	if expired {
		cn.broken = true
	}
	if err != nil {
		return reply{}, err
	}
	return rep, nil
}

func (cn *redisConn) exchange(args []string) (reply, error) {
	if err := writeCommand(cn.w, args); err != nil {
		return reply{}, err
	}
	if err := cn.w.Flush(); err != nil {
		return reply{}, err
	}
	return readReply(cn.r, 0)
}

// writeCommand encodes a command as a RESP2 array of bulk strings.
func writeCommand(w *bufio.Writer, args []string) error {
	w.WriteByte('*')
	w.WriteString(strconv.Itoa(len(args)))
	w.WriteString("\r\n")
	for _, a := range args {
		w.WriteByte('$')
		w.WriteString(strconv.Itoa(len(a)))
		w.WriteString("\r\n")
		w.WriteString(a)
		if _, err := w.WriteString("\r\n"); err != nil {
			return err
		}
	}
	return nil
}

// readReply decodes one RESP2 value.
func readReply(r *bufio.Reader, depth int) (reply, error) {
	line, err := readLine(r)
	if err != nil {
		return reply{}, err
	}
	if line == "" {
		return reply{}, ProtocolError("empty line")
	}
	kind, rest := line[0], line[1:]
	switch kind {
	case '+', '-':
		return reply{kind: kind, str: rest}, nil
	case ':':
		n, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			return reply{}, ProtocolError("bad integer " + strconv.Quote(rest))
		}
		return reply{kind: kind, num: n}, nil
	case '$':
		n, err := readLength(rest, maxBulkLen)
		if err != nil {
			return reply{}, err
		}
		if n < 0 {
			return reply{kind: kind, null: true}, nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return reply{}, unexpectedEOF(err)
		}
		if buf[n] != '\r' || buf[n+1] != '\n' {
			return reply{}, ProtocolError("bulk string not terminated by CRLF")
		}
		return reply{kind: kind, str: string(buf[:n])}, nil
	case '*':
		if depth >= maxDepth {
			return reply{}, ProtocolError("arrays nested too deeply")
		}
		n, err := readLength(rest, maxArrayLen)
		if err != nil {
			return reply{}, err
		}
		if n < 0 {
			return reply{kind: kind, null: true}, nil
		}
		elems := make([]reply, 0, n)
		for range n {
			e, err := readReply(r, depth+1)
			if err != nil {
				return reply{}, unexpectedEOF(err)
			}
			elems = append(elems, e)
		}
		return reply{kind: kind, elems: elems}, nil
	default:
		return reply{}, ProtocolError(fmt.Sprintf("unexpected reply type %q", kind))
	}
}

// readLength parses the length of a bulk string or array: -1 (null) or
// 0..limit.
func readLength(s string, limit int) (int, error) {
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		return 0, ProtocolError("bad length " + strconv.Quote(s))
	case n == -1:
		return -1, nil
	case n < 0 || n > limit:
		return 0, ProtocolError("length out of range: " + s)
	}
	return n, nil
}

// readLine reads one CRLF-terminated line, without the CRLF.
func readLine(r *bufio.Reader) (string, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxLineLen {
			return "", ProtocolError("line too long")
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			if len(line) > 0 {
				return "", unexpectedEOF(err)
			}
			return "", err
		}
		break
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return "", ProtocolError("line not terminated by CRLF")
	}
	return string(line[:len(line)-2]), nil
}

// unexpectedEOF turns an EOF in the middle of a reply into
// io.ErrUnexpectedEOF, so that it is not mistaken for a stale connection.
func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// Ping checks that the server answers.
func (c *RedisClient) Ping(ctx context.Context) error {
	rep, err := c.Do(ctx, "PING")
	if err != nil {
		return err
	}
	if rep.kind != '+' || rep.str != "PONG" {
		return ProtocolError("unexpected PING reply")
	}
	return nil
}

// Get returns the value of key, or ErrNil when it does not exist.
func (c *RedisClient) Get(ctx context.Context, key string) (string, error) {
	rep, err := c.Do(ctx, "GET", key)
	if err != nil {
		return "", err
	}
	return bulkString(rep)
}

// Set stores value under key. A positive ttl sets an expiry in whole seconds
// (SET key value EX seconds), rounded up.
func (c *RedisClient) Set(ctx context.Context, key, value string, ttl time.Duration) error {
	args := []string{"SET", key, value}
	if ttl > 0 {
		secs := int64((ttl + time.Second - 1) / time.Second)
		args = append(args, "EX", strconv.FormatInt(secs, 10))
	}
	rep, err := c.Do(ctx, args...)
	if err != nil {
		return err
	}
	if rep.kind != '+' || rep.str != "OK" {
		return ProtocolError("unexpected SET reply")
	}
	return nil
}

// SetNX stores value under key only when key does not exist yet (SET key
// value NX) and tells whether it did.
func (c *RedisClient) SetNX(ctx context.Context, key, value string) (bool, error) {
	rep, err := c.Do(ctx, "SET", key, value, "NX")
	if err != nil {
		return false, err
	}
	switch {
	case rep.kind == '+' && rep.str == "OK":
		return true, nil
	case (rep.kind == '$' || rep.kind == '*') && rep.null:
		return false, nil
	}
	return false, ProtocolError("unexpected SET NX reply")
}

// Del deletes keys and returns how many existed.
func (c *RedisClient) Del(ctx context.Context, keys ...string) (int64, error) {
	return c.intCommand(ctx, "DEL", keys)
}

// Exists returns how many of keys exist.
func (c *RedisClient) Exists(ctx context.Context, keys ...string) (int64, error) {
	return c.intCommand(ctx, "EXISTS", keys)
}

func (c *RedisClient) intCommand(ctx context.Context, cmd string, keys []string) (int64, error) {
	if len(keys) == 0 {
		return 0, fmt.Errorf("redis: %s needs at least one key", cmd)
	}
	rep, err := c.Do(ctx, append([]string{cmd}, keys...)...)
	if err != nil {
		return 0, err
	}
	if rep.kind != ':' {
		return 0, ProtocolError("unexpected " + cmd + " reply")
	}
	return rep.num, nil
}

func bulkString(rep reply) (string, error) {
	switch {
	case rep.kind == '$' && rep.null:
		return "", ErrNil
	case rep.kind == '$':
		return rep.str, nil
	}
	return "", ProtocolError("expected a bulk string")
}
