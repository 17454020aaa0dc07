package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// A minimal client for the MySQL client/server protocol (MySQL and MariaDB):
// just enough for this service. It is written against the standard library
// only, on purpose: the module has zero dependencies and the build has no Go
// module proxy, so a driver such as github.com/go-sql-driver/mysql is not an
// option.
//
// What it speaks: Handshake v10 answered by a HandshakeResponse41 with
// mysql_native_password (also after an AuthSwitchRequest), OK/ERR/EOF
// packets, COM_PING and COM_QUERY with OK results and text result sets. It
// does not set CLIENT_DEPRECATE_EOF, so result sets end with EOF packets. No
// TLS, no prepared statements, no other authentication plugin (a MySQL 8
// account on caching_sha2_password is refused with a clear error).
//
// Values never reach the SQL text as they are: Query replaces each ?
// placeholder by a hex literal X'...' (strings and byte slices) or a decimal
// number (integers), so no input can end a literal or add a statement.
//
// Connections are kept in the pool that the Redis client uses too
// (pool.go). A server ERR packet keeps the connection (the exchange ended
// cleanly); an I/O or protocol error, a timeout or a cancelled context
// closes it, and the next command dials a new one.

const (
	mysqlMaxPacket = 1<<24 - 1 // payload length that continues in the next packet
	mysqlMaxResult = 16 << 20  // largest payload (over continued packets) accepted
	mysqlMaxCols   = 4096      // most columns accepted in a result set

	mysqlNativePassword = "mysql_native_password"

	comQuit  = 0x01
	comQuery = 0x03
	comPing  = 0x0e

	// Capability flags (https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__capabilities__flags.html).
	clientLongPassword     = 0x00000001
	clientLongFlag         = 0x00000004
	clientConnectWithDB    = 0x00000008
	clientProtocol41       = 0x00000200
	clientTransactions     = 0x00002000
	clientSecureConnection = 0x00008000
	clientPluginAuth       = 0x00080000

	serverMoreResultsExist = 0x0008

	charsetUTF8MB4 = 45 // utf8mb4_general_ci
)

// MySQLError is an ERR packet from the server: an error code, the SQL state
// and the message. The connection stays usable after one (except during the
// handshake, where the server closes it).
type MySQLError struct {
	Code    uint16
	State   string // five characters, like "42S02"; empty when the server sent none
	Message string
}

func (e *MySQLError) Error() string {
	if e.State == "" {
		return fmt.Sprintf("mysql: error %d: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("mysql: error %d (%s): %s", e.Code, e.State, e.Message)
}

// MySQLProtocolError means the server sent something this client does not
// understand (or does not support); the connection is closed.
type MySQLProtocolError string

func (e MySQLProtocolError) Error() string { return "mysql: protocol error: " + string(e) }

// NullString is one value of a result row; Valid is false for SQL NULL.
type NullString struct {
	String string
	Valid  bool
}

// MySQLResult is what a query returned: AffectedRows for a statement that
// answered OK, Columns and Rows for one that returned a result set.
type MySQLResult struct {
	AffectedRows uint64
	LastInsertID uint64
	Columns      []string
	Rows         [][]NullString
}

// MySQLConfig says where and as whom to connect.
type MySQLConfig struct {
	Addr     string // host:port
	User     string
	Password string
	Database string // optional: the default database of every connection
}

// MySQLClient talks to one MySQL server. It is safe for concurrent use.
type MySQLClient struct {
	cfg         MySQLConfig
	dialTimeout time.Duration
	cmdTimeout  time.Duration
	pool        *connPool[*mysqlConn]
}

type mysqlConn struct {
	nc     net.Conn
	r      *bufio.Reader
	w      *bufio.Writer
	seq    byte   // sequence id of the next packet
	caps   uint32 // capabilities agreed with the server
	broken bool   // must be closed rather than put back into the pool
}

// NewMySQLClient returns a client for cfg. It does not connect until the
// first command.
func NewMySQLClient(cfg MySQLConfig) *MySQLClient {
	c := &MySQLClient{
		cfg:         cfg,
		dialTimeout: defaultDialTimeout,
		cmdTimeout:  defaultCmdTimeout,
	}
	c.pool = newConnPool("mysql "+cfg.Addr, errMySQLClientClosed, c.dial, isMySQLError)
	return c
}

// Addr is the server address the client connects to.
func (c *MySQLClient) Addr() string { return c.cfg.Addr }

var errMySQLClientClosed = errors.New("mysql: client closed")

// Close closes the idle connections; later commands fail.
func (c *MySQLClient) Close() error {
	c.pool.close()
	return nil
}

// Ping sends COM_PING and expects OK.
func (c *MySQLClient) Ping(ctx context.Context) error {
	return c.do(ctx, "PING", func(cn *mysqlConn) error {
		cn.seq = 0
		if err := cn.writePacket([]byte{comPing}); err != nil {
			return err
		}
		_, err := cn.readOK()
		return err
	})
}

// Query runs one statement. Each ? in query is replaced by the next arg: a
// string or []byte as a hex literal X'...', an int or int64 as a decimal
// number. query itself must be a constant: it is sent as it is.
func (c *MySQLClient) Query(ctx context.Context, query string, args ...any) (*MySQLResult, error) {
	stmt, err := bindQuery(query, args)
	if err != nil {
		return nil, err
	}
	var res *MySQLResult
	err = c.do(ctx, firstWord(query), func(cn *mysqlConn) error {
		var err error
		res, err = cn.query(stmt)
		return err
	})
	return res, err
}

// do runs one exchange on a pooled or new connection. A pooled connection
// that turns out to be dead (the server restarted or closed it) is retried
// once on a fresh one.
func (c *MySQLClient) do(ctx context.Context, what string, exchange func(*mysqlConn) error) error {
	return c.pool.do(ctx, what, func(cn *mysqlConn) error {
		return cn.run(ctx, c.cmdTimeout, exchange)
	})
}

// dial opens and authenticates a new connection.
func (c *MySQLClient) dial(ctx context.Context) (*mysqlConn, error) {
	d := net.Dialer{Timeout: c.dialTimeout}
	nc, err := d.DialContext(ctx, "tcp", c.cfg.Addr)
	if err != nil {
		return nil, err
	}
	cn := &mysqlConn{nc: nc, r: bufio.NewReader(nc), w: bufio.NewWriter(nc)}
	err = cn.run(ctx, c.cmdTimeout, func(cn *mysqlConn) error { return cn.handshake(c.cfg) })
	if err != nil {
		nc.Close()
		return nil, err
	}
	return cn, nil
}

// isMySQLError tells an ERR packet, after which the connection stays usable,
// from a failed exchange.
func isMySQLError(err error) bool {
	var merr *MySQLError
	return errors.As(err, &merr)
}

func (cn *mysqlConn) reusable() bool { return !cn.broken }

// close sends COM_QUIT first, so that the server sees a client that left
// rather than an aborted connection.
func (cn *mysqlConn) close() { cn.quit() }
func (cn *mysqlConn) abort() { cn.nc.Close() }

// quit says goodbye (COM_QUIT, best effort) and closes the connection.
func (cn *mysqlConn) quit() {
	if !cn.broken {
		cn.nc.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		cn.seq = 0
		cn.writePacket([]byte{comQuit})
	}
	cn.nc.Close()
}

// run performs one exchange within the command timeout and the context.
func (cn *mysqlConn) run(ctx context.Context, timeout time.Duration, exchange func(*mysqlConn) error) error {
	expired, err := withDeadline(ctx, cn.nc, timeout, isMySQLError, func() error { return exchange(cn) })
	if expired {
		cn.broken = true
	}
	return err
}

// handshake reads the server's Handshake v10, answers it and follows an
// AuthSwitchRequest until the server says OK.
func (cn *mysqlConn) handshake(cfg MySQLConfig) error {
	cn.seq = 0
	p, err := cn.readPacket()
	if err != nil {
		return err
	}
	if len(p) > 0 && p[0] == 0xff {
		return parseErr(p, false) // "Too many connections", "Host is blocked", ...
	}
	hs, err := parseHandshake(p)
	if err != nil {
		return err
	}
	const required = clientProtocol41 | clientSecureConnection
	if hs.caps&required != required {
		return MySQLProtocolError("server does not support the 4.1 protocol with secure authentication")
	}
	caps := uint32(clientLongPassword|clientLongFlag|clientProtocol41|clientTransactions|clientSecureConnection|clientPluginAuth) & hs.caps
	caps |= clientProtocol41 | clientSecureConnection
	if cfg.Database != "" {
		if hs.caps&clientConnectWithDB == 0 {
			return MySQLProtocolError("server cannot select a database at connect")
		}
		caps |= clientConnectWithDB
	}
	cn.caps = caps
	if strings.IndexByte(cfg.User, 0) >= 0 || strings.IndexByte(cfg.Database, 0) >= 0 {
		return errors.New("mysql: user or database name holds a NUL byte")
	}

	auth := scrambleNativePassword(hs.scramble, cfg.Password)
	var b bytes.Buffer
	b.Write(binary.LittleEndian.AppendUint32(nil, caps))
	b.Write(binary.LittleEndian.AppendUint32(nil, mysqlMaxPacket))
	b.WriteByte(charsetUTF8MB4)
	b.Write(make([]byte, 23))
	b.WriteString(cfg.User)
	b.WriteByte(0)
	b.WriteByte(byte(len(auth)))
	b.Write(auth)
	if caps&clientConnectWithDB != 0 {
		b.WriteString(cfg.Database)
		b.WriteByte(0)
	}
	if caps&clientPluginAuth != 0 {
		b.WriteString(mysqlNativePassword)
		b.WriteByte(0)
	}
	if err := cn.writePacket(b.Bytes()); err != nil {
		return err
	}

	switched := false
	for {
		p, err := cn.readPacket()
		if err != nil {
			return err
		}
		if len(p) == 0 {
			return MySQLProtocolError("empty packet during authentication")
		}
		switch p[0] {
		case 0x00:
			_, err := parseOK(p)
			return err
		case 0xff:
			return parseErr(p, true)
		case 0xfe:
			// AuthSwitchRequest: plugin name, NUL, the new scramble.
			if switched {
				return MySQLProtocolError("second auth switch request")
			}
			switched = true
			plugin, data, ok := cutNUL(p[1:])
			if !ok {
				return MySQLProtocolError("auth switch request without a plugin name (old password authentication is not supported)")
			}
			if plugin != mysqlNativePassword {
				return MySQLProtocolError(fmt.Sprintf("server asks for the auth plugin %q; only %s is supported", plugin, mysqlNativePassword))
			}
			data = bytes.TrimSuffix(data, []byte{0})
			if len(data) != 20 {
				return MySQLProtocolError(fmt.Sprintf("auth switch scramble of %d bytes, want 20", len(data)))
			}
			if err := cn.writePacket(scrambleNativePassword(data, cfg.Password)); err != nil {
				return err
			}
		case 0x01:
			return MySQLProtocolError("server wants more authentication data (caching_sha2_password?); only " + mysqlNativePassword + " is supported")
		default:
			return MySQLProtocolError(fmt.Sprintf("unexpected packet 0x%02x during authentication", p[0]))
		}
	}
}

type handshakeV10 struct {
	serverVersion string
	caps          uint32
	scramble      []byte // 20 bytes
	plugin        string
}

func parseHandshake(p []byte) (handshakeV10, error) {
	var hs handshakeV10
	if len(p) == 0 || p[0] != 10 {
		return hs, MySQLProtocolError("not a protocol 10 handshake")
	}
	version, rest, ok := cutNUL(p[1:])
	if !ok || len(rest) < 4+8+1+2 {
		return hs, MySQLProtocolError("short handshake")
	}
	hs.serverVersion = version
	rest = rest[4:] // connection id
	scramble := append([]byte(nil), rest[:8]...)
	rest = rest[8+1:] // part 1, filler
	hs.caps = uint32(binary.LittleEndian.Uint16(rest))
	rest = rest[2:]
	if len(rest) >= 1+2+2+1+10 {
		hs.caps |= uint32(binary.LittleEndian.Uint16(rest[3:])) << 16
		authLen := int(rest[5])
		rest = rest[16:]
		if hs.caps&clientSecureConnection != 0 {
			n := max(13, authLen-8)
			if len(rest) < n {
				return hs, MySQLProtocolError("short handshake scramble")
			}
			scramble = append(scramble, rest[:12]...) // the 13th byte is a NUL
			rest = rest[n:]
		}
		if hs.caps&clientPluginAuth != 0 {
			// The name is NUL-terminated, but some servers leave the NUL out.
			name, _, _ := cutNUL(rest)
			hs.plugin = name
		}
	}
	if len(scramble) != 20 {
		return hs, MySQLProtocolError("handshake without a 20-byte scramble")
	}
	hs.scramble = scramble
	return hs, nil
}

// scrambleNativePassword is mysql_native_password's answer to a scramble:
// SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))). An empty
// password answers nothing.
func scrambleNativePassword(scramble []byte, password string) []byte {
	if password == "" {
		return nil
	}
	stage1 := sha1.Sum([]byte(password))
	stage2 := sha1.Sum(stage1[:])
	h := sha1.New()
	h.Write(scramble)
	h.Write(stage2[:])
	out := h.Sum(nil)
	for i := range out {
		out[i] ^= stage1[i]
	}
	return out
}

// query sends COM_QUERY and reads an OK or a text result set.
func (cn *mysqlConn) query(stmt string) (*MySQLResult, error) {
	cn.seq = 0
	if err := cn.writePacket(append([]byte{comQuery}, stmt...)); err != nil {
		return nil, err
	}
	p, err := cn.readPacket()
	if err != nil {
		return nil, err
	}
	if len(p) == 0 {
		return nil, MySQLProtocolError("empty reply to a query")
	}
	switch p[0] {
	case 0x00:
		return parseOK(p)
	case 0xff:
		return nil, parseErr(p, true)
	case 0xfb:
		return nil, MySQLProtocolError("server asks for a LOCAL INFILE, which is not supported")
	}
	n, rest, err := readLenEncInt(p)
	if err != nil || len(rest) != 0 || n == 0 || n > mysqlMaxCols {
		return nil, MySQLProtocolError("bad column count")
	}
	res := &MySQLResult{Columns: make([]string, n)}
	for i := range res.Columns {
		p, err := cn.readPacket()
		if err != nil {
			return nil, unexpectedEOF(err)
		}
		if res.Columns[i], err = parseColumnName(p); err != nil {
			return nil, err
		}
	}
	if p, err = cn.readPacket(); err != nil {
		return nil, unexpectedEOF(err)
	}
	if !isEOF(p) {
		return nil, MySQLProtocolError("no EOF packet after the column definitions")
	}
	for {
		p, err := cn.readPacket()
		if err != nil {
			return nil, unexpectedEOF(err)
		}
		switch {
		case isEOF(p):
			if binary.LittleEndian.Uint16(p[3:5])&serverMoreResultsExist != 0 {
				return nil, MySQLProtocolError("more than one result set")
			}
			return res, nil
		case len(p) > 0 && p[0] == 0xff:
			return nil, parseErr(p, true) // the statement failed while sending rows
		}
		row, err := parseRow(p, int(n))
		if err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, row)
	}
}

// parseColumnName reads a ColumnDefinition41 and returns the column's name.
func parseColumnName(p []byte) (string, error) {
	var fields [6]string // catalog, schema, table, org_table, name, org_name
	rest := p
	for i := range fields {
		s, null, r, err := readLenEncString(rest)
		if err != nil || null {
			return "", MySQLProtocolError("bad column definition")
		}
		fields[i], rest = s, r
	}
	if fields[0] != "def" {
		return "", MySQLProtocolError("bad column definition catalog")
	}
	n, rest, err := readLenEncInt(rest)
	if err != nil || n < 0x0c || uint64(len(rest)) < n {
		return "", MySQLProtocolError("bad column definition length")
	}
	return fields[4], nil
}

// parseRow reads one row of a text result set: n length-encoded strings,
// 0xfb for NULL.
func parseRow(p []byte, n int) ([]NullString, error) {
	row := make([]NullString, n)
	rest := p
	for i := range row {
		s, null, r, err := readLenEncString(rest)
		if err != nil {
			return nil, MySQLProtocolError("bad row")
		}
		if !null {
			row[i] = NullString{String: s, Valid: true}
		}
		rest = r
	}
	if len(rest) != 0 {
		return nil, MySQLProtocolError("row longer than its columns")
	}
	return row, nil
}

// readOK reads a packet that must be OK (an ERR comes back as *MySQLError).
func (cn *mysqlConn) readOK() (*MySQLResult, error) {
	p, err := cn.readPacket()
	if err != nil {
		return nil, err
	}
	switch {
	case len(p) > 0 && p[0] == 0x00:
		return parseOK(p)
	case len(p) > 0 && p[0] == 0xff:
		return nil, parseErr(p, true)
	}
	return nil, MySQLProtocolError("expected an OK packet")
}

func isEOF(p []byte) bool { return len(p) == 5 && p[0] == 0xfe }

// parseOK reads an OK packet: 0x00, affected rows, last insert id, status,
// warnings, info.
func parseOK(p []byte) (*MySQLResult, error) {
	affected, rest, err := readLenEncInt(p[1:])
	if err != nil {
		return nil, MySQLProtocolError("bad OK packet")
	}
	lastID, rest, err := readLenEncInt(rest)
	if err != nil || len(rest) < 4 {
		return nil, MySQLProtocolError("bad OK packet")
	}
	if binary.LittleEndian.Uint16(rest)&serverMoreResultsExist != 0 {
		return nil, MySQLProtocolError("more than one result")
	}
	return &MySQLResult{AffectedRows: affected, LastInsertID: lastID}, nil
}

// parseErr reads an ERR packet: 0xff, code, "#" and the SQL state (4.1
// protocol, which a server may leave out before the handshake), message.
func parseErr(p []byte, protocol41 bool) error {
	if len(p) < 3 {
		return MySQLProtocolError("short ERR packet")
	}
	e := &MySQLError{Code: binary.LittleEndian.Uint16(p[1:3])}
	rest := p[3:]
	if len(rest) >= 6 && rest[0] == '#' {
		e.State, rest = string(rest[1:6]), rest[6:]
	} else if protocol41 && len(rest) > 0 && rest[0] == '#' {
		return MySQLProtocolError("short SQL state in ERR packet")
	}
	e.Message = string(rest)
	return e
}

// readLenEncInt reads a length-encoded integer.
func readLenEncInt(b []byte) (uint64, []byte, error) {
	if len(b) == 0 {
		return 0, nil, errShortLenEnc
	}
	var n int
	switch b[0] {
	case 0xfc:
		n = 2
	case 0xfd:
		n = 3
	case 0xfe:
		n = 8
	case 0xfb, 0xff:
		return 0, nil, MySQLProtocolError(fmt.Sprintf("0x%02x is not a length-encoded integer", b[0]))
	default:
		return uint64(b[0]), b[1:], nil
	}
	if len(b) < 1+n {
		return 0, nil, errShortLenEnc
	}
	var v uint64
	for i := n; i >= 1; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v, b[1+n:], nil
}

var errShortLenEnc = MySQLProtocolError("truncated length-encoded value")

// readLenEncString reads a length-encoded string, or NULL (0xfb).
func readLenEncString(b []byte) (s string, null bool, rest []byte, err error) {
	if len(b) > 0 && b[0] == 0xfb {
		return "", true, b[1:], nil
	}
	n, rest, err := readLenEncInt(b)
	if err != nil {
		return "", false, nil, err
	}
	if uint64(len(rest)) < n {
		return "", false, nil, errShortLenEnc
	}
	return string(rest[:n]), false, rest[n:], nil
}

// appendLenEncInt appends a length-encoded integer (used by the tests' fake
// server, and kept beside its reader).
func appendLenEncInt(b []byte, v uint64) []byte {
	switch {
	case v < 0xfb:
		return append(b, byte(v))
	case v <= 0xffff:
		return append(b, 0xfc, byte(v), byte(v>>8))
	case v <= 0xffffff:
		return append(b, 0xfd, byte(v), byte(v>>8), byte(v>>16))
	}
	return append(append(b, 0xfe), binary.LittleEndian.AppendUint64(nil, v)...)
}

func cutNUL(b []byte) (string, []byte, bool) {
	i := bytes.IndexByte(b, 0)
	if i < 0 {
		return string(b), nil, false
	}
	return string(b[:i]), b[i+1:], true
}

// readPacket reads one payload, joining packets of the maximum length with
// the ones that continue them, and checks the sequence ids.
func (cn *mysqlConn) readPacket() ([]byte, error) {
	var payload []byte
	for first := true; ; first = false {
		var hdr [4]byte
		if _, err := io.ReadFull(cn.r, hdr[:]); err != nil {
			if !first {
				return nil, unexpectedEOF(err)
			}
			return nil, err // io.EOF: the server closed the connection
		}
		n := int(hdr[0]) | int(hdr[1])<<8 | int(hdr[2])<<16
		if hdr[3] != cn.seq {
			return nil, MySQLProtocolError(fmt.Sprintf("packet sequence %d, want %d", hdr[3], cn.seq))
		}
		cn.seq++
		if len(payload)+n > mysqlMaxResult {
			return nil, MySQLProtocolError("packet too large")
		}
		start := len(payload)
		payload = append(payload, make([]byte, n)...)
		if _, err := io.ReadFull(cn.r, payload[start:]); err != nil {
			return nil, unexpectedEOF(err)
		}
		if n < mysqlMaxPacket {
			return payload, nil
		}
	}
}

// writePacket writes one payload (split into packets of the maximum length
// when needed) and flushes it.
func (cn *mysqlConn) writePacket(payload []byte) error {
	for {
		n := min(len(payload), mysqlMaxPacket)
		cn.w.Write([]byte{byte(n), byte(n >> 8), byte(n >> 16), cn.seq})
		cn.seq++
		cn.w.Write(payload[:n])
		payload = payload[n:]
		if n < mysqlMaxPacket {
			break
		}
	}
	return cn.w.Flush()
}

// bindQuery replaces each ? in query by the next argument, encoded so that
// it cannot change the statement: strings and byte slices as hex literals,
// integers as decimal numbers.
func bindQuery(query string, args []any) (string, error) {
	var b strings.Builder
	next := 0
	for i := 0; i < len(query); i++ {
		if query[i] != '?' {
			b.WriteByte(query[i])
			continue
		}
		if next >= len(args) {
			return "", fmt.Errorf("mysql: query has more placeholders than the %d arguments", len(args))
		}
		switch v := args[next].(type) {
		case string:
			b.WriteString("X'")
			b.WriteString(hex.EncodeToString([]byte(v)))
			b.WriteByte('\'')
		case []byte:
			b.WriteString("X'")
			b.WriteString(hex.EncodeToString(v))
			b.WriteByte('\'')
		case int:
			b.WriteString(strconv.Itoa(v))
		case int64:
			b.WriteString(strconv.FormatInt(v, 10))
		default:
			return "", fmt.Errorf("mysql: cannot bind an argument of type %T", v)
		}
		next++
	}
	if next != len(args) {
		return "", fmt.Errorf("mysql: query has %d placeholders for %d arguments", next, len(args))
	}
	return b.String(), nil
}

func firstWord(query string) string {
	query = strings.TrimSpace(query)
	if i := strings.IndexAny(query, " \t\n"); i > 0 {
		return strings.ToUpper(query[:i])
	}
	return strings.ToUpper(query)
}
