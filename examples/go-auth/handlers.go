package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const (
	defaultTokenTTL = time.Hour
	maxFormBytes    = 64 << 10
	maxTokenBytes   = 4 << 10
	maxUserIDLen    = 256
	healthTimeout   = 2 * time.Second
)

// server holds what the HTTP handlers need.
type server struct {
	store    Store
	log      *slog.Logger
	tokenTTL time.Duration
}

// newHandler returns the service's routes, wrapped in request logging. Any
// other method on a known path gets 405 from the ServeMux, any other path 404.
func newHandler(store Store, logger *slog.Logger) http.Handler {
	s := &server{store: store, log: logger, tokenTTL: defaultTokenTTL}
	mux := http.NewServeMux()
	mux.HandleFunc("PUT /user", s.createUser)
	mux.HandleFunc("DELETE /user", s.deleteUser)
	mux.HandleFunc("GET /token", s.issueToken)
	mux.HandleFunc("POST /token/{userid}", s.checkToken)
	mux.HandleFunc("GET /health", s.health)
	return logRequests(logger, mux)
}

// PUT /user (form: userid, password): 200 created, 409 exists, 400 missing field.
func (s *server) createUser(w http.ResponseWriter, r *http.Request) {
	userID, password, ok := credentials(w, r)
	if !ok {
		return
	}
	hash, err := hashPassword(password)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	created, err := s.store.CreateUser(r.Context(), userID, hash)
	if err != nil {
		s.storeError(w, r, err)
		return
	}
	if !created {
		text(w, http.StatusConflict, "user already exists")
		return
	}
	text(w, http.StatusOK, "user created")
}

// DELETE /user (form: userid, password): 200 deleted, 404 unknown user,
// 401 wrong password, 400 missing field.
func (s *server) deleteUser(w http.ResponseWriter, r *http.Request) {
	userID, password, ok := credentials(w, r)
	if !ok {
		return
	}
	if !s.checkPassword(w, r, userID, password, http.StatusUnauthorized) {
		return
	}
	if err := s.store.DeleteUser(r.Context(), userID); err != nil {
		s.storeError(w, r, err)
		return
	}
	text(w, http.StatusOK, "user deleted")
}

// GET /token?userid=&password=: 200 with a new token as the whole body,
// 404 unknown user, 400 wrong password or missing field.
func (s *server) issueToken(w http.ResponseWriter, r *http.Request) {
	userID, password, ok := credentials(w, r)
	if !ok {
		return
	}
	if !s.checkPassword(w, r, userID, password, http.StatusBadRequest) {
		return
	}
	token, err := newToken()
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if err := s.store.SaveToken(r.Context(), userID, token, s.tokenTTL); err != nil {
		s.storeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, token) // exactly the token: no trailing newline
}

// POST /token/{userid} (body: the token): 200 valid, 401 invalid (wrong,
// expired or empty token, unknown user).
func (s *server) checkToken(w http.ResponseWriter, r *http.Request) {
	userID := r.PathValue("userid")
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxTokenBytes))
	if err != nil {
		text(w, http.StatusBadRequest, "cannot read the token: "+err.Error())
		return
	}
	given := strings.TrimSpace(string(body))
	stored, err := s.store.Token(r.Context(), userID)
	switch {
	case errors.Is(err, ErrNotFound):
		text(w, http.StatusUnauthorized, "invalid token")
		return
	case err != nil:
		s.storeError(w, r, err)
		return
	}
	if given == "" || !tokensEqual(given, stored) {
		text(w, http.StatusUnauthorized, "invalid token")
		return
	}
	text(w, http.StatusOK, "token valid")
}

// GET /health: 200 while the database answers PING, else 503.
func (s *server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.LogAttrs(r.Context(), slog.LevelDebug, "health check failed", slog.String("err", err.Error()))
		text(w, http.StatusServiceUnavailable, "database unavailable")
		return
	}
	text(w, http.StatusOK, "ok")
}

// checkPassword looks the user up and verifies the password. It answers 404
// for an unknown user and wrongStatus for a wrong password, and returns
// false when it has answered.
func (s *server) checkPassword(w http.ResponseWriter, r *http.Request, userID, password string, wrongStatus int) bool {
	stored, err := s.store.PasswordHash(r.Context(), userID)
	switch {
	case errors.Is(err, ErrNotFound):
		text(w, http.StatusNotFound, "user not found")
		return false
	case err != nil:
		s.storeError(w, r, err)
		return false
	}
	if !verifyPassword(stored, password) {
		text(w, wrongStatus, "wrong password")
		return false
	}
	return true
}

// credentials reads the userid and password fields (form body or query) and
// answers 400 when one is missing.
func credentials(w http.ResponseWriter, r *http.Request) (userID, password string, ok bool) {
	form, err := readForm(w, r)
	if err != nil {
		text(w, http.StatusBadRequest, "cannot read the form: "+err.Error())
		return "", "", false
	}
	userID, password = form.Get("userid"), form.Get("password")
	var missing []string
	if userID == "" {
		missing = append(missing, "userid")
	}
	if password == "" {
		missing = append(missing, "password")
	}
	if len(missing) > 0 {
		text(w, http.StatusBadRequest, "missing "+strings.Join(missing, " and "))
		return "", "", false
	}
	if len(userID) > maxUserIDLen {
		text(w, http.StatusBadRequest, fmt.Sprintf("userid longer than %d bytes", maxUserIDLen))
		return "", "", false
	}
	return userID, password, true
}

// readForm returns the query and form-body fields of a request, body fields
// first. Unlike Request.ParseForm it also reads a urlencoded body on DELETE
// (curl -X DELETE -d userid=... sends one).
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case mediaType == "multipart/form-data":
		if err := r.ParseMultipartForm(maxFormBytes); err != nil {
			return nil, err
		}
		return r.Form, nil
	case mediaType == "application/x-www-form-urlencoded" && !bodyParsedByNetHTTP(r.Method):
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		fields, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, err
		}
		for k, v := range r.Form {
			fields[k] = append(fields[k], v...)
		}
		return fields, nil
	default:
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		return r.Form, nil
	}
}

func bodyParsedByNetHTTP(method string) bool {
	return method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch
}

func (s *server) storeError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.LogAttrs(r.Context(), slog.LevelError, "database error",
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("err", err.Error()))
	text(w, http.StatusServiceUnavailable, "database unavailable")
}

func (s *server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.LogAttrs(r.Context(), slog.LevelError, "internal error",
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("err", err.Error()))
	text(w, http.StatusInternalServerError, "internal error")
}

// text answers with a one-line plain-text message.
func text(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	io.WriteString(w, msg+"\n")
}

// logRequests logs one line per request: method, path (never the query: it
// may hold a password), status and duration.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Duration("duration", time.Since(start)),
		)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (rec *statusRecorder) WriteHeader(status int) {
	if !rec.wroteHeader {
		rec.status = status
		rec.wroteHeader = true
	}
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *statusRecorder) Write(b []byte) (int, error) {
	rec.wroteHeader = true
	return rec.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (rec *statusRecorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }
