// Command go-auth is a small user-registration service: users and their
// tokens live in Redis (or, with MYSQL_ADDR, in MySQL), passwords are hashed
// with PBKDF2 and a random salt.
//
//	PUT    /user              form userid, password    200 created, 409 exists, 400 missing field
//	DELETE /user              form userid, password    200 deleted, 404 unknown user, 401 wrong password
//	GET    /token?userid=&password=                    200 token (hex body), 404 unknown user, 400 wrong password
//	POST   /token/{userid}    body: the token           200 valid, 401 invalid
//	GET    /health                                      200 while the database answers PING, else 503
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// version is stamped by the build: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

const shutdownTimeout = 10 * time.Second

type config struct {
	port        int
	redisAddr   string
	logLevel    slog.Level
	showVersion bool

	// MySQL replaces Redis when mysqlAddr is set; the other mysql fields
	// are only read (and defaulted) then.
	mysqlAddr     string
	mysqlUser     string
	mysqlPassword string
	mysqlDatabase string
}

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Getenv, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-auth:", err)
		os.Exit(2)
	}
	if cfg.showVersion {
		fmt.Println(version)
		return
	}
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: cfg.logLevel}))

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, logger); err != nil {
		logger.Error("go-auth stopped", "err", err)
		os.Exit(1)
	}
}

// parseConfig reads the flags; each flag defaults to its environment
// variable, then to the built-in default.
func parseConfig(args []string, getenv func(string) string, output io.Writer) (config, error) {
	fs := flag.NewFlagSet("go-auth", flag.ContinueOnError)
	fs.SetOutput(output)
	port := fs.String("port", envOr(getenv, "PORT", "9000"), "HTTP port to listen on (env PORT)")
	redisAddr := fs.String("redis", envOr(getenv, "REDIS_ADDR", "localhost:6379"), "Redis address host:port (env REDIS_ADDR)")
	mysqlAddr := fs.String("mysql", envOr(getenv, "MYSQL_ADDR", ""),
		"MySQL address host:port; selects MySQL instead of Redis (env MYSQL_ADDR; credentials from MYSQL_USER, MYSQL_PASSWORD, MYSQL_DATABASE)")
	level := fs.String("log-level", envOr(getenv, "LOG_LEVEL", "info"), "debug, info, warn or error (env LOG_LEVEL)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}

	cfg := config{redisAddr: *redisAddr, showVersion: *showVersion}
	n, err := strconv.Atoi(*port)
	if err != nil || n < 1 || n > 65535 {
		return config{}, fmt.Errorf("port %q is not a port number (1-65535)", *port)
	}
	cfg.port = n
	if _, _, err := net.SplitHostPort(cfg.redisAddr); err != nil {
		return config{}, fmt.Errorf("redis address %q is not host:port", cfg.redisAddr)
	}
	if *mysqlAddr != "" {
		if _, _, err := net.SplitHostPort(*mysqlAddr); err != nil {
			return config{}, fmt.Errorf("mysql address %q is not host:port", *mysqlAddr)
		}
		cfg.mysqlAddr = *mysqlAddr
		cfg.mysqlUser = envOr(getenv, "MYSQL_USER", "root")
		cfg.mysqlPassword = getenv("MYSQL_PASSWORD")
		cfg.mysqlDatabase = envOr(getenv, "MYSQL_DATABASE", "goauth")
	}
	switch strings.ToLower(*level) {
	case "debug":
		cfg.logLevel = slog.LevelDebug
	case "info":
		cfg.logLevel = slog.LevelInfo
	case "warn", "warning":
		cfg.logLevel = slog.LevelWarn
	case "error":
		cfg.logLevel = slog.LevelError
	default:
		return config{}, fmt.Errorf("log level %q is not one of debug, info, warn, error", *level)
	}
	return cfg, nil
}

func envOr(getenv func(string) string, name, fallback string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return fallback
}

// run serves until ctx is cancelled, then shuts down gracefully.
func run(ctx context.Context, cfg config, logger *slog.Logger) error {
	if cfg.mysqlAddr != "" {
		return runMySQL(ctx, cfg, logger)
	}
	logger.Info("starting go-auth", "version", version, "port", cfg.port, "redis", cfg.redisAddr)
	client := NewRedisClient(cfg.redisAddr)
	defer client.Close()

	ln, err := net.Listen("tcp", ":"+strconv.Itoa(cfg.port))
	if err != nil {
		return err
	}
	return serve(ctx, ln, newRedisStore(client), cfg.redisAddr, logger)
}

// runMySQL is run with MySQL: unlike Redis, it does not listen before the
// database answered and the tables exist, so that a readiness check sees a
// refused connection until the service can really serve.
func runMySQL(ctx context.Context, cfg config, logger *slog.Logger) error {
	logger.Info("starting go-auth", "version", version, "port", cfg.port, "mysql", cfg.mysqlAddr,
		"user", cfg.mysqlUser, "database", cfg.mysqlDatabase)
	client := NewMySQLClient(MySQLConfig{
		Addr: cfg.mysqlAddr, User: cfg.mysqlUser, Password: cfg.mysqlPassword, Database: cfg.mysqlDatabase,
	})
	defer client.Close()
	store := newMySQLStore(client)

	if err := prepareMySQL(ctx, store, cfg.mysqlAddr, logger, 250*time.Millisecond, 5*time.Second); err != nil {
		if ctx.Err() != nil {
			logger.Info("stopped")
			return nil // stopped (SIGTERM) while waiting: not a failure
		}
		return err
	}
	ln, err := net.Listen("tcp", ":"+strconv.Itoa(cfg.port))
	if err != nil {
		return err
	}
	return serveWith(ctx, ln, store, nil, logger)
}

// prepareMySQL waits until MySQL answers (logging "waiting for mysql at ..."
// with the same backoff as for Redis), then creates the tables. An I/O error
// while creating them goes back to waiting; an error the server answered
// (like a missing privilege) will not mend itself and is returned.
func prepareMySQL(ctx context.Context, store *mysqlStore, addr string, logger *slog.Logger, initial, maxDelay time.Duration) error {
	for {
		if !waitFor(ctx, store, "mysql", addr, logger, initial, maxDelay) {
			return ctx.Err()
		}
		schemaCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := store.CreateTables(schemaCtx)
		cancel()
		if err == nil {
			logger.Info("mysql tables ready")
			return nil
		}
		var merr *MySQLError
		if errors.As(err, &merr) {
			return fmt.Errorf("creating the mysql tables: %w", err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		logger.Warn("creating the mysql tables failed", "err", err, "retry_in", initial)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(initial):
		}
	}
}

// serve answers HTTP on ln right away (/health says 503 until the database
// answers), waits for the database in the background, and shuts down
// gracefully when ctx is cancelled.
func serve(ctx context.Context, ln net.Listener, store Store, dbAddr string, logger *slog.Logger) error {
	return serveWith(ctx, ln, store, func(ctx context.Context) {
		waitForDatabase(ctx, store, dbAddr, logger, 250*time.Millisecond, 5*time.Second)
	}, logger)
}

// serveWith answers HTTP on ln, runs background (when not nil) beside it, and
// shuts down gracefully when ctx is cancelled.
func serveWith(ctx context.Context, ln net.Listener, store Store, background func(context.Context), logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           newHandler(store, logger),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	if background != nil {
		bgCtx, stopBackground := context.WithCancel(ctx)
		defer stopBackground()
		go background(bgCtx)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("listening", "addr", ln.Addr().String())

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// waitForDatabase pings the database until it answers, with a growing pause
// between attempts (initial, doubling, at most maxDelay). It returns true once the
// database answered, false when ctx is cancelled first.
func waitForDatabase(ctx context.Context, store Store, addr string, logger *slog.Logger, initial, maxDelay time.Duration) bool {
	return waitFor(ctx, store, "redis", addr, logger, initial, maxDelay)
}

// waitFor is waitForDatabase for a database named name in the log lines.
func waitFor(ctx context.Context, store Store, name, addr string, logger *slog.Logger, initial, maxDelay time.Duration) bool {
	delay := initial
	for {
		pingCtx, cancel := context.WithTimeout(ctx, healthTimeout)
		err := store.Ping(pingCtx)
		cancel()
		if err == nil {
			logger.Info("connected to " + name + " at " + addr)
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		logger.Warn("waiting for "+name+" at "+addr, "err", err, "retry_in", delay)
		select {
		case <-ctx.Done():
			return false
		case <-time.After(delay):
		}
		delay = min(delay*2, maxDelay)
	}
}
