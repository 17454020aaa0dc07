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
	"strings"
	"sync"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    config
		wantErr string
	}{
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
