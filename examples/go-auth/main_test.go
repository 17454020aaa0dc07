package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// parseConfigTest is one case of parseConfig: arguments and environment,
// and the config it must return or a part of its error.
type parseConfigTest struct {
	name    string
	args    []string
	env     map[string]string
	want    config
	wantErr string
}

func checkParseConfig(t *testing.T, tests []parseConfigTest) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			got, err := parseConfig(tt.args, getenv, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("config = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseConfig(t *testing.T) {
	tests := []parseConfigTest{
		{name: "defaults", want: config{port: 9000, redisAddr: "localhost:6379", logLevel: slog.LevelInfo}},
		{name: "environment", env: map[string]string{"PORT": "8080", "REDIS_ADDR": "redis:6379", "LOG_LEVEL": "debug"},
			want: config{port: 8080, redisAddr: "redis:6379", logLevel: slog.LevelDebug}},
		{name: "flags win over environment", args: []string{"-port", "7000", "-redis", "db:6380", "-log-level", "WARN"},
			env:  map[string]string{"PORT": "8080", "REDIS_ADDR": "redis:6379", "LOG_LEVEL": "debug"},
			want: config{port: 7000, redisAddr: "db:6380", logLevel: slog.LevelWarn}},
		{name: "error level", args: []string{"-log-level=error"}, want: config{port: 9000, redisAddr: "localhost:6379", logLevel: slog.LevelError}},
		{name: "version", args: []string{"-version"}, want: config{port: 9000, redisAddr: "localhost:6379", logLevel: slog.LevelInfo, showVersion: true}},
		{name: "bad port", args: []string{"-port", "http"}, wantErr: "not a port number"},
		{name: "port out of range", env: map[string]string{"PORT": "70000"}, wantErr: "not a port number"},
		{name: "bad redis address", args: []string{"-redis", "redis"}, wantErr: "not host:port"},
		{name: "bad log level", env: map[string]string{"LOG_LEVEL": "loud"}, wantErr: "log level"},
		{name: "unknown flag", args: []string{"-nope"}, wantErr: "not defined"},
		{name: "stray argument", args: []string{"serve"}, wantErr: "unexpected argument"},
	}
	checkParseConfig(t, tests)
}

func TestParseConfigHelp(t *testing.T) {
	var out bytes.Buffer
	_, err := parseConfig([]string{"-h"}, func(string) string { return "" }, &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("error = %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"-port", "-redis", "-log-level", "PORT", "REDIS_ADDR", "LOG_LEVEL"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("usage does not mention %s:\n%s", want, out.String())
		}
	}
}

// flakyStore fails Ping a number of times, then answers.
type flakyStore struct {
	fakeStore
	mu       sync.Mutex
	failures int
	pings    int
}

func (s *flakyStore) Ping(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pings++
	if s.pings <= s.failures {
		return errors.New("connection refused")
	}
	return nil
}

func TestWaitForDatabase(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	store := &flakyStore{failures: 3}
	if !waitForDatabase(context.Background(), store, "db:6379", logger, time.Millisecond, 4*time.Millisecond) {
		t.Fatal("waitForDatabase gave up")
	}
	if store.pings != 4 {
		t.Fatalf("pinged %d times, want 4", store.pings)
	}
	if n := strings.Count(logs.String(), "waiting for redis at db:6379"); n != 3 {
		t.Fatalf("logged %d waiting lines, want 3:\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), "connected to redis at db:6379") {
		t.Fatalf("no connected line:\n%s", logs.String())
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	never := &flakyStore{failures: 1 << 30}
	if waitForDatabase(ctx, never, "db:6379", discardLogger(), time.Millisecond, 10*time.Millisecond) {
		t.Fatal("waitForDatabase reported success for a database that never answers")
	}
}

func TestServeAnswersAndShutsDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	store := newFakeStore()
	store.err = errors.New("connection refused") // the database is not up yet
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, store, "db:6379", discardLogger()) }()

	health := func() int {
		resp, err := http.Get("http://" + ln.Addr().String() + "/health")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := health(); got != 503 {
		t.Fatalf("/health before the database answers = %d, want 503", got)
	}
	store.mu.Lock()
	store.err = nil
	store.mu.Unlock()
	if got := health(); got != 200 {
		t.Fatalf("/health once the database answers = %d, want 200", got)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after cancellation, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Fatal("still listening after shutdown")
	}
}

func TestParseConfigMySQL(t *testing.T) {
	base := config{port: 9000, redisAddr: "localhost:6379", logLevel: slog.LevelInfo}
	withMySQL := func(addr, user, password, database string) config {
		c := base
		c.mysqlAddr, c.mysqlUser, c.mysqlPassword, c.mysqlDatabase = addr, user, password, database
		return c
	}
	tests := []parseConfigTest{
		{name: "environment", env: map[string]string{"MYSQL_ADDR": "mysql:3306", "MYSQL_USER": "goauth", "MYSQL_PASSWORD": "pw", "MYSQL_DATABASE": "db"},
			want: withMySQL("mysql:3306", "goauth", "pw", "db")},
		{name: "defaults", env: map[string]string{"MYSQL_ADDR": "mysql:3306"}, want: withMySQL("mysql:3306", "root", "", "goauth")},
		{name: "flag", args: []string{"-mysql", "db:3307"}, env: map[string]string{"MYSQL_USER": "u"}, want: withMySQL("db:3307", "u", "", "goauth")},
		{name: "flag wins over environment", args: []string{"-mysql=db:3307"}, env: map[string]string{"MYSQL_ADDR": "mysql:3306"},
			want: withMySQL("db:3307", "root", "", "goauth")},
		{name: "credentials without an address keep Redis", env: map[string]string{"MYSQL_USER": "u", "MYSQL_PASSWORD": "pw", "MYSQL_DATABASE": "db"},
			want: base},
		{name: "bad mysql address", env: map[string]string{"MYSQL_ADDR": "mysql"}, wantErr: "mysql address"},
		{name: "bad mysql flag", args: []string{"-mysql", "db:3306:1"}, wantErr: "not host:port"},
	}
	checkParseConfig(t, tests)

	var out bytes.Buffer
	parseConfig([]string{"-h"}, func(string) string { return "" }, &out)
	for _, want := range []string{"-mysql", "MYSQL_ADDR", "MYSQL_USER", "MYSQL_PASSWORD", "MYSQL_DATABASE"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("usage does not mention %s:\n%s", want, out.String())
		}
	}
}

// syncBuffer is a bytes.Buffer for a logger written from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// With MySQL the service must not listen before the database answered and
// the tables exist.
func TestRunMySQLListensAfterTheDatabase(t *testing.T) {
	f := startFakeMySQL(t)
	f.set(func(f *fakeMySQL) { f.down = true }) // accepts and hangs up, like a server still starting

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	httpAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))

	var logs syncBuffer
	cfg := config{port: port, logLevel: slog.LevelInfo, redisAddr: "localhost:6379",
		mysqlAddr: f.addr(), mysqlUser: f.user, mysqlPassword: f.password, mysqlDatabase: f.database}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, slog.New(slog.NewTextHandler(&logs, nil))) }()

	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "waiting for mysql at "+f.addr()) {
		if time.Now().After(deadline) {
			t.Fatalf("no waiting line:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if c, err := net.DialTimeout("tcp", httpAddr, time.Second); err == nil {
		c.Close()
		t.Fatal("listening before the database answered")
	}

	f.set(func(f *fakeMySQL) { f.down = false })
	var resp *http.Response
	for {
		resp, err = http.Get("http://" + httpAddr + "/health")
		if err == nil {
			break
		}
		if time.Now().After(deadline.Add(5 * time.Second)) {
			t.Fatalf("not listening after the database came up: %v\n%s", err, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("/health = %d, want 200", resp.StatusCode)
	}
	out := logs.String()
	connected := strings.Index(out, "connected to mysql at "+f.addr())
	tables := strings.Index(out, "mysql tables ready")
	listening := strings.Index(out, "listening")
	if connected < 0 || tables < connected || listening < tables {
		t.Fatalf("want connected, tables ready, then listening:\n%s", out)
	}
	if strings.Contains(out, "redis") {
		t.Fatalf("a Redis line in a MySQL run:\n%s", out)
	}
	var created int
	f.mu.Lock()
	for _, q := range f.queries {
		if strings.HasPrefix(q, "CREATE TABLE IF NOT EXISTS") {
			created++
		}
	}
	f.mu.Unlock()
	if created != 2 {
		t.Fatalf("%d CREATE TABLE statements, want 2", created)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v after cancellation, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not stop")
	}
}

// A SIGTERM while waiting for MySQL is a clean stop.
func TestRunMySQLStopsWhileWaiting(t *testing.T) {
	addr := unusedAddr(t) // nothing answers there
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	cfg := config{port: 1, logLevel: slog.LevelInfo, redisAddr: "localhost:6379", mysqlAddr: addr, mysqlUser: "u"}
	if err := run(ctx, cfg, discardLogger()); err != nil {
		t.Fatalf("run = %v, want nil", err)
	}
}
