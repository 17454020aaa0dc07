package main

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned by a Store when a user or token does not exist.
var ErrNotFound = errors.New("not found")

// Store keeps users (their password hashes) and their tokens. Handlers only
// see this interface, so they can be tested against an in-process fake.
type Store interface {
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// CreateUser stores a new user and tells whether it was created (false
	// when the user already exists).
	CreateUser(ctx context.Context, userID, passwordHash string) (bool, error)
	// PasswordHash returns the stored hash of a user, or ErrNotFound.
	PasswordHash(ctx context.Context, userID string) (string, error)
	// DeleteUser removes a user and its token.
	DeleteUser(ctx context.Context, userID string) error
	// SaveToken stores the current token of a user; it expires after ttl.
	SaveToken(ctx context.Context, userID, token string, ttl time.Duration) error
	// Token returns the current token of a user, or ErrNotFound.
	Token(ctx context.Context, userID string) (string, error)
}

// redisStore keeps users under "user:<userid>" (the "salt:hash" of the
// password) and tokens under "token:<userid>" (with an expiry).
type redisStore struct {
	client *RedisClient
}

func newRedisStore(client *RedisClient) *redisStore {
	return &redisStore{client: client}
}

func userKey(userID string) string  { return "user:" + userID }
func tokenKey(userID string) string { return "token:" + userID }

func (s *redisStore) Ping(ctx context.Context) error {
	return s.client.Ping(ctx)
}

func (s *redisStore) CreateUser(ctx context.Context, userID, passwordHash string) (bool, error) {
	return s.client.SetNX(ctx, userKey(userID), passwordHash)
}

func (s *redisStore) PasswordHash(ctx context.Context, userID string) (string, error) {
	return notFound(s.client.Get(ctx, userKey(userID)))
}

func (s *redisStore) DeleteUser(ctx context.Context, userID string) error {
	_, err := s.client.Del(ctx, userKey(userID), tokenKey(userID))
	return err
}

func (s *redisStore) SaveToken(ctx context.Context, userID, token string, ttl time.Duration) error {
	return s.client.Set(ctx, tokenKey(userID), token, ttl)
}

func (s *redisStore) Token(ctx context.Context, userID string) (string, error) {
	return notFound(s.client.Get(ctx, tokenKey(userID)))
}

func notFound(value string, err error) (string, error) {
	if errors.Is(err, ErrNil) {
		return "", ErrNotFound
	}
	return value, err
}
