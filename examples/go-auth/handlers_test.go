package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeStore is an in-process Store. When err is set every call fails with it.
type fakeStore struct {
	mu     sync.Mutex
	users  map[string]string
	tokens map[string]string
	ttls   map[string]time.Duration
	err    error
}

func newFakeStore() *fakeStore {
	return &fakeStore{users: map[string]string{}, tokens: map[string]string{}, ttls: map[string]time.Duration{}}
}

func (s *fakeStore) Ping(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (s *fakeStore) CreateUser(_ context.Context, userID, hash string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return false, s.err
	}
	if _, ok := s.users[userID]; ok {
		return false, nil
	}
	s.users[userID] = hash
	return true, nil
}

func (s *fakeStore) PasswordHash(_ context.Context, userID string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return "", s.err
	}
	h, ok := s.users[userID]
	if !ok {
		return "", ErrNotFound
	}
	return h, nil
}

func (s *fakeStore) DeleteUser(_ context.Context, userID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	delete(s.users, userID)
	delete(s.tokens, userID)
	return nil
}

func (s *fakeStore) SaveToken(_ context.Context, userID, token string, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.tokens[userID] = token
	s.ttls[userID] = ttl
	return nil
}

func (s *fakeStore) Token(_ context.Context, userID string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return "", s.err
	}
	t, ok := s.tokens[userID]
	if !ok {
		return "", ErrNotFound
	}
	return t, nil
}

// aliceHash is the stored hash of alice's password "secret" (hashed once:
// hashing is slow on purpose).
var aliceHash = sync.OnceValue(func() string {
	h, err := hashPassword("secret")
	if err != nil {
		panic(err)
	}
	return h
})

const aliceToken = "0123456789abcdef"

// storeWithAlice holds alice (password "secret", token aliceToken) and bob
// (password "secret" too, no token).
func storeWithAlice() *fakeStore {
	s := newFakeStore()
	s.users["alice"] = aliceHash()
	s.tokens["alice"] = aliceToken
	s.users["bob"] = aliceHash()
	return s
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

const formType = "application/x-www-form-urlencoded"

func multipartBody(t *testing.T, kv ...string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for i := 0; i+1 < len(kv); i += 2 {
		if err := w.WriteField(kv[i], kv[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	return b.String(), w.FormDataContentType()
}

var hexToken = regexp.MustCompile(`^[0-9a-f]{64}$`)

func TestHandlers(t *testing.T) {
	mpBody, mpType := multipartBody(t, "userid", "carol", "password", "pw")
	mpDelete, mpDeleteType := multipartBody(t, "userid", "alice", "password", "secret")
	down := errors.New("dial tcp: connection refused")

	tests := []struct {
		name        string
		method      string
		target      string
		body        string
		contentType string
		storeErr    error
		wantStatus  int
		wantBody    string         // the body contains this
		wantBodyRE  *regexp.Regexp // or the whole body matches this
	}{
		// PUT /user
		{name: "register", method: "PUT", target: "/user", body: form("userid", "carol", "password", "pw"), contentType: formType, wantStatus: 200, wantBody: "created"},
		{name: "register multipart", method: "PUT", target: "/user", body: mpBody, contentType: mpType, wantStatus: 200},
		{name: "register with query fields", method: "PUT", target: "/user?userid=carol&password=pw", wantStatus: 200},
		{name: "register existing user", method: "PUT", target: "/user", body: form("userid", "alice", "password", "other"), contentType: formType, wantStatus: 409, wantBody: "exists"},
		{name: "register without password", method: "PUT", target: "/user", body: form("userid", "carol"), contentType: formType, wantStatus: 400, wantBody: "missing password"},
		{name: "register without userid", method: "PUT", target: "/user", body: form("password", "pw"), contentType: formType, wantStatus: 400, wantBody: "missing userid"},
		{name: "register with empty form", method: "PUT", target: "/user", contentType: formType, wantStatus: 400, wantBody: "missing userid and password"},
		{name: "register with a huge userid", method: "PUT", target: "/user", body: form("userid", strings.Repeat("u", 300), "password", "pw"), contentType: formType, wantStatus: 400},
		{name: "register with a bad form", method: "PUT", target: "/user", body: "userid=%zz", contentType: formType, wantStatus: 400},
		{name: "register while the database is down", method: "PUT", target: "/user", body: form("userid", "carol", "password", "pw"), contentType: formType, storeErr: down, wantStatus: 503},

		// DELETE /user
		{name: "delete", method: "DELETE", target: "/user", body: form("userid", "alice", "password", "secret"), contentType: formType, wantStatus: 200, wantBody: "deleted"},
		{name: "delete multipart", method: "DELETE", target: "/user", body: mpDelete, contentType: mpDeleteType, wantStatus: 200},
		{name: "delete with query fields", method: "DELETE", target: "/user?userid=alice&password=secret", wantStatus: 200},
		{name: "delete unknown user", method: "DELETE", target: "/user", body: form("userid", "nobody", "password", "secret"), contentType: formType, wantStatus: 404},
		{name: "delete with wrong password", method: "DELETE", target: "/user", body: form("userid", "alice", "password", "wrong"), contentType: formType, wantStatus: 401},
		{name: "delete without password", method: "DELETE", target: "/user", body: form("userid", "alice"), contentType: formType, wantStatus: 400},
		{name: "delete while the database is down", method: "DELETE", target: "/user", body: form("userid", "alice", "password", "secret"), contentType: formType, storeErr: down, wantStatus: 503},

		// GET /token
		{name: "token", method: "GET", target: "/token?userid=alice&password=secret", wantStatus: 200, wantBodyRE: hexToken},
		{name: "token for unknown user", method: "GET", target: "/token?userid=nobody&password=secret", wantStatus: 404},
		{name: "token with wrong password", method: "GET", target: "/token?userid=alice&password=wrong", wantStatus: 400, wantBody: "wrong password"},
		{name: "token without password", method: "GET", target: "/token?userid=alice", wantStatus: 400, wantBody: "missing password"},
		{name: "token while the database is down", method: "GET", target: "/token?userid=alice&password=secret", storeErr: down, wantStatus: 503},

		// POST /token/{userid}
		{name: "valid token", method: "POST", target: "/token/alice", body: aliceToken, wantStatus: 200, wantBody: "valid"},
		{name: "valid token with a newline", method: "POST", target: "/token/alice", body: aliceToken + "\n", wantStatus: 200},
		{name: "wrong token", method: "POST", target: "/token/alice", body: "deadbeef", wantStatus: 401},
		{name: "token prefix", method: "POST", target: "/token/alice", body: aliceToken[:8], wantStatus: 401},
		{name: "empty token", method: "POST", target: "/token/alice", wantStatus: 401},
		{name: "user without a token", method: "POST", target: "/token/bob", body: aliceToken, wantStatus: 401},
		{name: "token of unknown user", method: "POST", target: "/token/nobody", body: aliceToken, wantStatus: 401},
		{name: "token too large", method: "POST", target: "/token/alice", body: strings.Repeat("a", maxTokenBytes+1), wantStatus: 400},
		{name: "check token while the database is down", method: "POST", target: "/token/alice", body: aliceToken, storeErr: down, wantStatus: 503},

		// GET /health
		{name: "health", method: "GET", target: "/health", wantStatus: 200, wantBody: "ok"},
		{name: "health while the database is down", method: "GET", target: "/health", storeErr: down, wantStatus: 503},

		// other methods and paths
		{name: "GET /user", method: "GET", target: "/user", wantStatus: 405},
		{name: "POST /user", method: "POST", target: "/user", wantStatus: 405},
		{name: "PUT /token", method: "PUT", target: "/token", wantStatus: 405},
		{name: "GET /token/alice", method: "GET", target: "/token/alice", wantStatus: 405},
		{name: "DELETE /health", method: "DELETE", target: "/health", wantStatus: 405},
		{name: "unknown path", method: "GET", target: "/nope", wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := storeWithAlice()
			store.err = tt.storeErr
			h := newHandler(store, discardLogger())

			req := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			body := rec.Body.String()
			if rec.Code != tt.wantStatus {
				t.Fatalf("%s %s = %d %q, want %d", tt.method, tt.target, rec.Code, body, tt.wantStatus)
			}
			if tt.wantBody != "" && !strings.Contains(body, tt.wantBody) {
				t.Fatalf("body %q does not contain %q", body, tt.wantBody)
			}
			if tt.wantBodyRE != nil && !tt.wantBodyRE.MatchString(body) {
				t.Fatalf("body %q does not match %s", body, tt.wantBodyRE)
			}
		})
	}
}

func TestUserAndTokenLifecycle(t *testing.T) {
	store := newFakeStore()
	srv := httptest.NewServer(newHandler(store, discardLogger()))
	defer srv.Close()

	do := func(method, path, contentType, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	expect := func(wantStatus int, method, path, contentType, body string) string {
		t.Helper()
		status, got := do(method, path, contentType, body)
		if status != wantStatus {
			t.Fatalf("%s %s = %d %q, want %d", method, path, status, got, wantStatus)
		}
		return got
	}

	creds := form("userid", "dave", "password", "pa ss")
	expect(200, "PUT", "/user", formType, creds)
	expect(409, "PUT", "/user", formType, creds)

	stored := store.users["dave"]
	if strings.Contains(stored, "pa ss") || !verifyPassword(stored, "pa ss") {
		t.Fatalf("stored password %q is not a salted hash of the password", stored)
	}

	token := expect(200, "GET", "/token?"+creds, "", "")
	if !hexToken.MatchString(token) {
		t.Fatalf("token %q is not 64 hex characters", token)
	}
	if store.ttls["dave"] != time.Hour {
		t.Fatalf("token stored with ttl %v, want 1h", store.ttls["dave"])
	}
	expect(200, "POST", "/token/dave", "", token)
	expect(401, "POST", "/token/dave", "", token+"0")
	expect(401, "POST", "/token/eve", "", token)

	second := expect(200, "GET", "/token?"+creds, "", "")
	if second == token {
		t.Fatal("a new token equals the previous one")
	}
	expect(401, "POST", "/token/dave", "", token) // replaced
	expect(200, "POST", "/token/dave", "", second)

	expect(401, "DELETE", "/user", formType, form("userid", "dave", "password", "nope"))
	expect(200, "DELETE", "/user", formType, creds)
	expect(404, "DELETE", "/user", formType, creds)
	expect(404, "GET", "/token?"+creds, "", "")
	expect(401, "POST", "/token/dave", "", second) // the token went with the user
	expect(200, "PUT", "/user", formType, creds)   // the name is free again

	status, _ := do("GET", "/user", "", "")
	if status != 405 {
		t.Fatalf("GET /user = %d, want 405", status)
	}
}

func TestRequestLog(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	store := storeWithAlice()
	h := newHandler(store, logger)

	for _, target := range []string{"/health", "/token?userid=alice&password=secret", "/user"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", target, nil))
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want one log line per request, got %d:\n%s", len(lines), logs.String())
	}
	for i, want := range []string{
		"msg=request method=GET path=/health status=200 duration=",
		"msg=request method=GET path=/token status=200 duration=",
		"msg=request method=GET path=/user status=405 duration=",
	} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("log line %q does not contain %q", lines[i], want)
		}
	}
	if strings.Contains(logs.String(), "secret") {
		t.Errorf("the log holds the password:\n%s", logs.String())
	}
}

func TestStoreErrorIsLogged(t *testing.T) {
	var logs bytes.Buffer
	store := storeWithAlice()
	store.err = errors.New("connection refused")
	h := newHandler(store, slog.New(slog.NewTextHandler(&logs, nil)))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/token?userid=alice&password=secret", nil))
	if !strings.Contains(logs.String(), "level=ERROR msg=\"database error\"") || !strings.Contains(logs.String(), "connection refused") {
		t.Fatalf("the database error is not logged:\n%s", logs.String())
	}
}
