package main

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRedisStore(t *testing.T) {
	f := startFakeRedis(t)
	s := newRedisStore(newTestClient(t, f.addr()))
	checkStoreUserAndToken(t, s, func() {
		f.mu.Lock()
		ttl := f.ttls["token:alice"]
		f.mu.Unlock()
		if ttl != 3600 {
			t.Fatalf("token stored with EX %d, want 3600", ttl)
		}
	})
	checkStoreDeleteUser(t, s)
}

func TestRedisStoreDown(t *testing.T) {
	s := newRedisStore(newTestClient(t, unusedAddr(t)))
	ctx := context.Background()
	if err := s.Ping(ctx); err == nil {
		t.Fatal("Ping with no server: want an error")
	}
	if _, err := s.PasswordHash(ctx, "alice"); err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("PasswordHash with no server error = %v, want a connection error", err)
	}
	if _, err := s.CreateUser(ctx, "alice", "x:y"); err == nil {
		t.Fatal("CreateUser with no server: want an error")
	}
}

// checkStoreUserAndToken runs what every Store must do for one new user up
// to its first token: savedToken checks how the store kept it (say, its
// expiry) before the token is read back.
func checkStoreUserAndToken(t *testing.T, s Store, savedToken func()) {
	t.Helper()
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if _, err := s.PasswordHash(ctx, "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("PasswordHash(unknown) error = %v, want ErrNotFound", err)
	}
	if created, err := s.CreateUser(ctx, "alice", "salt:hash"); err != nil || !created {
		t.Fatalf("CreateUser = %v, %v; want true", created, err)
	}
	if created, err := s.CreateUser(ctx, "alice", "other:hash"); err != nil || created {
		t.Fatalf("CreateUser(existing) = %v, %v; want false", created, err)
	}
	if h, err := s.PasswordHash(ctx, "alice"); err != nil || h != "salt:hash" {
		t.Fatalf("PasswordHash = %q, %v; want the first hash", h, err)
	}
	if _, err := s.Token(ctx, "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Token before SaveToken error = %v, want ErrNotFound", err)
	}
	if err := s.SaveToken(ctx, "alice", "abc123", time.Hour); err != nil {
		t.Fatalf("SaveToken: %v", err)
	}
	savedToken()
	if tok, err := s.Token(ctx, "alice"); err != nil || tok != "abc123" {
		t.Fatalf("Token = %q, %v", tok, err)
	}
}

// checkStoreDeleteUser deletes the user alice and checks that her password
// hash and her token went with her.
func checkStoreDeleteUser(t *testing.T, s Store) {
	t.Helper()
	ctx := context.Background()
	if err := s.DeleteUser(ctx, "alice"); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	if _, err := s.PasswordHash(ctx, "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("PasswordHash after DeleteUser error = %v, want ErrNotFound", err)
	}
	if _, err := s.Token(ctx, "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Token after DeleteUser error = %v, want ErrNotFound", err)
	}
}
