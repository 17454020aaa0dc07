package main

import (
	"encoding/hex"
	"strings"
	"testing"
)

func TestHashPassword(t *testing.T) {
	h1, err := hashPassword("s3cret")
	if err != nil {
		t.Fatal(err)
	}
	h2, err := hashPassword("s3cret")
	if err != nil {
		t.Fatal(err)
	}
	if h1 == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	salt, hash, ok := strings.Cut(h1, ":")
	if !ok {
		t.Fatalf("hash %q is not salt:hash", h1)
	}
	if b, err := hex.DecodeString(salt); err != nil || len(b) != saltLen {
		t.Fatalf("salt %q is not %d hex bytes", salt, saltLen)
	}
	if b, err := hex.DecodeString(hash); err != nil || len(b) != hashLen {
		t.Fatalf("hash %q is not %d hex bytes", hash, hashLen)
	}
	if strings.Contains(h1, "s3cret") {
		t.Fatal("the stored value contains the password")
	}
}

func TestVerifyPassword(t *testing.T) {
	stored, err := hashPassword("s3cret")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		stored   string
		password string
		want     bool
	}{
		{"right password", stored, "s3cret", true},
		{"wrong password", stored, "s3cret!", false},
		{"empty password", stored, "", false},
		{"no separator", strings.ReplaceAll(stored, ":", ""), "s3cret", false},
		{"salt not hex", "zz:" + strings.SplitN(stored, ":", 2)[1], "s3cret", false},
		{"hash not hex", strings.SplitN(stored, ":", 2)[0] + ":zz", "s3cret", false},
		{"empty hash", strings.SplitN(stored, ":", 2)[0] + ":", "s3cret", false},
		{"empty", "", "s3cret", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verifyPassword(tt.stored, tt.password); got != tt.want {
				t.Fatalf("verifyPassword = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNewToken(t *testing.T) {
	a, err := newToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := newToken()
	if a == b {
		t.Fatal("two tokens are equal")
	}
	if raw, err := hex.DecodeString(a); err != nil || len(raw) != tokenLen {
		t.Fatalf("token %q is not %d hex bytes", a, tokenLen)
	}
	if !tokensEqual(a, a) || tokensEqual(a, b) || tokensEqual(a, a[:10]) {
		t.Fatal("tokensEqual is wrong")
	}
}
