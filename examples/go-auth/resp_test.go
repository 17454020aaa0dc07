package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeRedis is an in-process RESP2 server on a net.Listener: a map for PING,
// GET, SET (EX, NX), DEL and EXISTS, plus test commands: RAW <reply> sends a
// raw reply, HANG never answers, CLOSE drops the connection.
type fakeRedis struct {
	fakeServer // its mu guards the fields below too

	data     map[string]string
	ttls     map[string]int
	commands [][]string
}

func startFakeRedis(t *testing.T) *fakeRedis {
	t.Helper()
	f := &fakeRedis{data: map[string]string{}, ttls: map[string]int{}}
	f.listen(t, f.serve)
	return f
}

func (f *fakeRedis) lastCommand() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.commands) == 0 {
		return nil
	}
	return f.commands[len(f.commands)-1]
}

func (f *fakeRedis) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		req, err := readReply(r, 0)
		if err != nil {
			return
		}
		if req.kind != '*' || len(req.elems) == 0 {
			c.Write([]byte("-ERR Protocol error: expected an array\r\n"))
			return
		}
		args := make([]string, len(req.elems))
		for i, e := range req.elems {
			if e.kind != '$' {
				c.Write([]byte("-ERR Protocol error: expected bulk strings\r\n"))
				return
			}
			args[i] = e.str
		}
		switch strings.ToUpper(args[0]) {
		case "HANG":
			io.Copy(io.Discard, c) // until the client gives up
			return
		case "CLOSE":
			return
		}
		if _, err := c.Write([]byte(f.handle(args))); err != nil {
			return
		}
	}
}

func (f *fakeRedis) handle(args []string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.commands = append(f.commands, args)
	cmd, args := strings.ToUpper(args[0]), args[1:]
	switch {
	case cmd == "PING" && len(args) == 0:
		return "+PONG\r\n"
	case cmd == "RAW" && len(args) == 1:
		return args[0]
	case cmd == "GET" && len(args) == 1:
		v, ok := f.data[args[0]]
		if !ok {
			return "$-1\r\n"
		}
		return fmt.Sprintf("$%d\r\n%s\r\n", len(v), v)
	case cmd == "SET" && len(args) >= 2:
		key, value, nx, ttl := args[0], args[1], false, 0
		for opts := args[2:]; len(opts) > 0; opts = opts[1:] {
			switch strings.ToUpper(opts[0]) {
			case "NX":
				nx = true
			case "EX":
				if len(opts) < 2 {
					return "-ERR syntax error\r\n"
				}
				n, err := strconv.Atoi(opts[1])
				if err != nil || n <= 0 {
					return "-ERR invalid expire time in 'set' command\r\n"
				}
				ttl, opts = n, opts[1:]
			default:
				return "-ERR syntax error\r\n"
			}
		}
		if _, exists := f.data[key]; nx && exists {
			return "$-1\r\n"
		}
		f.data[key] = value
		f.ttls[key] = ttl
		return "+OK\r\n"
	case (cmd == "DEL" || cmd == "EXISTS") && len(args) > 0:
		n := 0
		for _, k := range args {
			if _, ok := f.data[k]; ok {
				n++
				if cmd == "DEL" {
					delete(f.data, k)
					delete(f.ttls, k)
				}
			}
		}
		return fmt.Sprintf(":%d\r\n", n)
	}
	return fmt.Sprintf("-ERR unknown command '%s', with args beginning with: \r\n", cmd)
}

func TestReadReply(t *testing.T) {
	deep := strings.Repeat("*1\r\n", maxDepth+1) + "+x\r\n"
	tests := []struct {
		name    string
		in      string
		want    reply
		wantErr error // matched with errors.Is, or by type for ProtocolError
	}{
		{name: "simple string", in: "+OK\r\n", want: reply{kind: '+', str: "OK"}},
		{name: "error", in: "-ERR wrong\r\n", want: reply{kind: '-', str: "ERR wrong"}},
		{name: "integer", in: ":42\r\n", want: reply{kind: ':', num: 42}},
		{name: "negative integer", in: ":-3\r\n", want: reply{kind: ':', num: -3}},
		{name: "bulk string", in: "$5\r\nhello\r\n", want: reply{kind: '$', str: "hello"}},
		{name: "bulk string holding CRLF", in: "$7\r\nhe\r\nllo\r\n", want: reply{kind: '$', str: "he\r\nllo"}},
		{name: "empty bulk string", in: "$0\r\n\r\n", want: reply{kind: '$', str: ""}},
		{name: "null bulk string", in: "$-1\r\n", want: reply{kind: '$', null: true}},
		{name: "array", in: "*2\r\n$1\r\na\r\n:1\r\n", want: reply{kind: '*', elems: []reply{{kind: '$', str: "a"}, {kind: ':', num: 1}}}},
		{name: "empty array", in: "*0\r\n", want: reply{kind: '*', elems: []reply{}}},
		{name: "null array", in: "*-1\r\n", want: reply{kind: '*', null: true}},
		{name: "nested array", in: "*1\r\n*1\r\n+x\r\n", want: reply{kind: '*', elems: []reply{{kind: '*', elems: []reply{{kind: '+', str: "x"}}}}}},
		{name: "nothing", in: "", wantErr: io.EOF},
		{name: "unknown type", in: "?x\r\n", wantErr: ProtocolError("")},
		{name: "empty line", in: "\r\n", wantErr: ProtocolError("")},
		{name: "LF without CR", in: "+OK\n", wantErr: ProtocolError("")},
		{name: "bad integer", in: ":abc\r\n", wantErr: ProtocolError("")},
		{name: "bad length", in: "$x\r\n", wantErr: ProtocolError("")},
		{name: "negative length", in: "$-2\r\n", wantErr: ProtocolError("")},
		{name: "huge length", in: "$99999999999\r\n", wantErr: ProtocolError("")},
		{name: "bulk string without CRLF", in: "$2\r\nabcd\r\n", wantErr: ProtocolError("")},
		{name: "truncated bulk string", in: "$3\r\nab", wantErr: io.ErrUnexpectedEOF},
		{name: "truncated line", in: "+OK", wantErr: io.ErrUnexpectedEOF},
		{name: "truncated array", in: "*2\r\n+a\r\n", wantErr: io.ErrUnexpectedEOF},
		{name: "too deep", in: deep, wantErr: ProtocolError("")},
		{name: "line too long", in: "+" + strings.Repeat("a", maxLineLen) + "\r\n", wantErr: ProtocolError("")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readReply(bufio.NewReader(strings.NewReader(tt.in)), 0)
			if tt.wantErr != nil {
				var perr ProtocolError
				wantProtocol := errors.As(tt.wantErr, &perr)
				if wantProtocol && !errors.As(err, &perr) || !wantProtocol && !errors.Is(err, tt.wantErr) {
					t.Fatalf("readReply(%q) error = %v, want %T %v", tt.in, err, tt.wantErr, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("readReply(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("readReply(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestWriteCommand(t *testing.T) {
	var b strings.Builder
	w := bufio.NewWriter(&b)
	if err := writeCommand(w, []string{"SET", "token:a", "x\r\ny", "EX", "3600"}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	want := "*5\r\n$3\r\nSET\r\n$7\r\ntoken:a\r\n$4\r\nx\r\ny\r\n$2\r\nEX\r\n$4\r\n3600\r\n"
	if b.String() != want {
		t.Fatalf("writeCommand wrote %q, want %q", b.String(), want)
	}
}

func newTestClient(t *testing.T, addr string) *RedisClient {
	t.Helper()
	c := NewRedisClient(addr)
	c.dialTimeout = time.Second
	c.cmdTimeout = time.Second
	t.Cleanup(func() { c.Close() })
	return c
}

func TestClientCommands(t *testing.T) {
	f := startFakeRedis(t)
	c := newTestClient(t, f.addr())
	ctx := context.Background()

	if err := c.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if _, err := c.Get(ctx, "missing"); !errors.Is(err, ErrNil) {
		t.Fatalf("Get(missing) error = %v, want ErrNil", err)
	}
	if err := c.Set(ctx, "k", "v 1", 0); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if got := f.lastCommand(); !reflect.DeepEqual(got, []string{"SET", "k", "v 1"}) {
		t.Fatalf("Set without ttl sent %q", got)
	}
	if v, err := c.Get(ctx, "k"); err != nil || v != "v 1" {
		t.Fatalf("Get(k) = %q, %v; want \"v 1\"", v, err)
	}
	if err := c.Set(ctx, "t", "x", time.Hour); err != nil {
		t.Fatalf("Set with ttl: %v", err)
	}
	if got := f.lastCommand(); !reflect.DeepEqual(got, []string{"SET", "t", "x", "EX", "3600"}) {
		t.Fatalf("Set with ttl sent %q", got)
	}
	if err := c.Set(ctx, "t", "x", 1500*time.Millisecond); err != nil {
		t.Fatalf("Set with ttl: %v", err)
	}
	if got := f.lastCommand(); !reflect.DeepEqual(got, []string{"SET", "t", "x", "EX", "2"}) {
		t.Fatalf("Set with 1.5s ttl sent %q, want EX 2", got)
	}
	if ok, err := c.SetNX(ctx, "n", "1"); err != nil || !ok {
		t.Fatalf("SetNX(new) = %v, %v; want true", ok, err)
	}
	if ok, err := c.SetNX(ctx, "n", "2"); err != nil || ok {
		t.Fatalf("SetNX(existing) = %v, %v; want false", ok, err)
	}
	if v, _ := c.Get(ctx, "n"); v != "1" {
		t.Fatalf("SetNX overwrote the value: %q", v)
	}
	if n, err := c.Exists(ctx, "k", "n", "missing"); err != nil || n != 2 {
		t.Fatalf("Exists = %d, %v; want 2", n, err)
	}
	if n, err := c.Del(ctx, "k", "n", "missing"); err != nil || n != 2 {
		t.Fatalf("Del = %d, %v; want 2", n, err)
	}
	if n, err := c.Exists(ctx, "k"); err != nil || n != 0 {
		t.Fatalf("Exists after Del = %d, %v; want 0", n, err)
	}
	if _, err := c.Del(ctx); err == nil {
		t.Fatal("Del without keys: want an error")
	}
	if _, err := c.Do(ctx); err == nil {
		t.Fatal("Do without a command: want an error")
	}
	if got := f.acceptedConns(); got != 1 {
		t.Fatalf("sequential commands used %d connections, want 1", got)
	}
}

func TestClientErrorReplyKeepsConnection(t *testing.T) {
	f := startFakeRedis(t)
	c := newTestClient(t, f.addr())
	ctx := context.Background()

	_, err := c.Do(ctx, "BOGUS")
	var rerr RedisError
	if !errors.As(err, &rerr) || !strings.HasPrefix(string(rerr), "ERR unknown command") {
		t.Fatalf("Do(BOGUS) error = %v, want a RedisError", err)
	}
	checkPingAfter(t, c, f, "an error reply", 1, "an error reply keeps the connection")
}

func TestClientProtocolErrorDropsConnection(t *testing.T) {
	f := startFakeRedis(t)
	c := newTestClient(t, f.addr())
	ctx := context.Background()

	_, err := c.Do(ctx, "RAW", "?what\r\n")
	var perr ProtocolError
	if !errors.As(err, &perr) {
		t.Fatalf("error = %v, want a ProtocolError", err)
	}
	checkPingAfter(t, c, f, "a protocol error", 2, "a protocol error closes the connection")
	if _, err := c.Do(ctx, "RAW", "+PANG\r\n"); err != nil {
		t.Fatal(err)
	}
	if err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestClientUnexpectedReplies(t *testing.T) {
	f := startFakeRedis(t)
	c := newTestClient(t, f.addr())
	ctx := context.Background()
	var perr ProtocolError
	// A reply of the wrong type for the command is a protocol error.
	rep, err := c.Do(ctx, "RAW", ":1\r\n")
	if err != nil || rep.num != 1 {
		t.Fatalf("RAW :1 = %+v, %v", rep, err)
	}
	if _, err := bulkString(rep); !errors.As(err, &perr) {
		t.Fatalf("bulkString(integer) error = %v, want a ProtocolError", err)
	}
}

func TestClientTimeout(t *testing.T) {
	f := startFakeRedis(t)
	c := newTestClient(t, f.addr())
	c.cmdTimeout = 100 * time.Millisecond

	start := time.Now()
	_, err := c.Do(context.Background(), "HANG")
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Do(HANG) error = %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("timeout took %v", d)
	}
	checkPingAfter(t, c, f, "a timeout", 2, "a timed-out connection is dropped")
}

func TestClientContextDeadline(t *testing.T) {
	f := startFakeRedis(t)
	c := newTestClient(t, f.addr())
	c.cmdTimeout = time.Minute

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Do(ctx, "HANG")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Do(HANG) error = %v, want context.DeadlineExceeded", err)
	}
}

func TestClientContextCancel(t *testing.T) {
	f := startFakeRedis(t)
	c := newTestClient(t, f.addr())
	c.cmdTimeout = time.Minute

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Do(ctx, "HANG")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Do(HANG) error = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("cancellation took %v", d)
	}
	if err := c.Ping(context.Background()); err != nil {
		t.Fatalf("Ping after a cancelled command: %v", err)
	}
}

func TestClientReconnectsAfterServerRestart(t *testing.T) {
	f := startFakeRedis(t)
	checkReconnectsAfterRestart(t, newTestClient(t, f.addr()), f)
}

func TestClientServerClosesMidCommand(t *testing.T) {
	f := startFakeRedis(t)
	c := newTestClient(t, f.addr())
	// A fresh connection that breaks is not retried: the command may have run.
	if _, err := c.Do(context.Background(), "CLOSE"); err == nil {
		t.Fatal("Do(CLOSE): want an error")
	}
	if got := f.acceptedConns(); got != 1 {
		t.Fatalf("used %d connections, want 1 (no retry on a fresh connection)", got)
	}
}

func TestClientDialError(t *testing.T) {
	addr := unusedAddr(t)
	c := newTestClient(t, addr)
	err := c.Ping(context.Background())
	if err == nil || !strings.Contains(err.Error(), addr) {
		t.Fatalf("Ping error = %v, want a dial error naming %s", err, addr)
	}
}

func TestClientClosed(t *testing.T) {
	f := startFakeRedis(t)
	checkFailsAfterClose(t, newTestClient(t, f.addr()), errClientClosed)
}

func TestClientConcurrentUse(t *testing.T) {
	f := startFakeRedis(t)
	c := newTestClient(t, f.addr())
	ctx := context.Background()

	inParallel(t, 50, func(i int) error {
		key, value := fmt.Sprintf("key%d", i), fmt.Sprintf("value%d", i)
		if err := c.Set(ctx, key, value, 0); err != nil {
			return err
		}
		if got, err := c.Get(ctx, key); err != nil || got != value {
			return fmt.Errorf("Get(%s) = %q, %v; want %q", key, got, err, value)
		}
		return nil
	})
	c.pool.mu.Lock()
	idle := len(c.pool.idle)
	c.pool.mu.Unlock()
	if idle > c.pool.maxIdle {
		t.Fatalf("%d idle connections, more than maxIdle %d", idle, c.pool.maxIdle)
	}
}
