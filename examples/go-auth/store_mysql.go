package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// mysqlStore keeps users in the table users (id, the "salt:hash" of the
// password) and tokens in the table tokens (id, token, expires_at in Unix
// seconds). Every value travels as a hex literal (see bindQuery) into
// VARBINARY columns: compared byte for byte, like Redis keys.
type mysqlStore struct {
	client *MySQLClient
}

// mysqlMaxID is the width of the id columns: the longest id the handlers
// accept, so both stores take the same ids. A longer one is still refused
// before it reaches SQL: INSERT IGNORE would otherwise truncate it to a
// prefix (a warning, not an error) and two users would share one row.
const mysqlMaxID = maxUserIDLen

var mysqlSchema = []string{
	"CREATE TABLE IF NOT EXISTS users (id VARBINARY(256) PRIMARY KEY, hash VARBINARY(255) NOT NULL)",
	"CREATE TABLE IF NOT EXISTS tokens (id VARBINARY(256) PRIMARY KEY, token VARBINARY(255) NOT NULL, expires_at BIGINT NOT NULL)",
}

var errMySQLIDTooLong = fmt.Errorf("mysql: user id longer than %d bytes", mysqlMaxID)

func newMySQLStore(client *MySQLClient) *mysqlStore {
	return &mysqlStore{client: client}
}

// CreateTables creates the tables unless they exist.
func (s *mysqlStore) CreateTables(ctx context.Context) error {
	for _, stmt := range mysqlSchema {
		if _, err := s.client.Query(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

func (s *mysqlStore) Ping(ctx context.Context) error {
	return s.client.Ping(ctx)
}

func (s *mysqlStore) CreateUser(ctx context.Context, userID, passwordHash string) (bool, error) {
	if len(userID) > mysqlMaxID {
		return false, errMySQLIDTooLong
	}
	res, err := s.client.Query(ctx, "INSERT IGNORE INTO users (id, hash) VALUES (?, ?)", userID, passwordHash)
	if err != nil {
		return false, err
	}
	return res.AffectedRows == 1, nil
}

func (s *mysqlStore) PasswordHash(ctx context.Context, userID string) (string, error) {
	if len(userID) > mysqlMaxID {
		return "", ErrNotFound // cannot have been stored
	}
	return s.queryOne(ctx, "SELECT hash FROM users WHERE id = ?", userID)
}

// DeleteUser removes the token first: should the second statement fail, the
// user is left without a token rather than a token without its user.
func (s *mysqlStore) DeleteUser(ctx context.Context, userID string) error {
	if len(userID) > mysqlMaxID {
		return nil
	}
	if _, err := s.client.Query(ctx, "DELETE FROM tokens WHERE id = ?", userID); err != nil {
		return err
	}
	_, err := s.client.Query(ctx, "DELETE FROM users WHERE id = ?", userID)
	return err
}

// SaveToken replaces the user's token; it expires ttl (rounded up to whole
// seconds, like SET ... EX) after the database's clock.
func (s *mysqlStore) SaveToken(ctx context.Context, userID, token string, ttl time.Duration) error {
	if len(userID) > mysqlMaxID {
		return errMySQLIDTooLong
	}
	secs := int64((ttl + time.Second - 1) / time.Second)
	_, err := s.client.Query(ctx,
		"REPLACE INTO tokens (id, token, expires_at) VALUES (?, ?, UNIX_TIMESTAMP() + ?)", userID, token, secs)
	return err
}

func (s *mysqlStore) Token(ctx context.Context, userID string) (string, error) {
	if len(userID) > mysqlMaxID {
		return "", ErrNotFound
	}
	return s.queryOne(ctx, "SELECT token FROM tokens WHERE id = ? AND expires_at > UNIX_TIMESTAMP()", userID)
}

// queryOne returns the single value a query selects, or ErrNotFound.
func (s *mysqlStore) queryOne(ctx context.Context, query string, args ...any) (string, error) {
	res, err := s.client.Query(ctx, query, args...)
	if err != nil {
		return "", err
	}
	switch {
	case len(res.Columns) != 1:
		return "", errors.New("mysql: expected one column")
	case len(res.Rows) == 0:
		return "", ErrNotFound
	case !res.Rows[0][0].Valid:
		return "", errors.New("mysql: unexpected NULL")
	}
	return res.Rows[0][0].String, nil
}
