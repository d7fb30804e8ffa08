package exercise

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

// The wire between a graded notebook (the student's process, in the
// sandbox) and the judge: one Unix-socket connection per check, carrying
// newline-delimited JSON messages of at most MaxMessage bytes.
//
//	student → judge   {"Op":"hello","Lesson":…,"Exercise":…,"Kind":"value","Value":…}
//	judge → student   {"Op":"done"}
//
//	student → judge   {"Op":"hello","Lesson":…,"Exercise":…,"Kind":"function"}
//	judge → student   {"Op":"call","ID":1,"In":…}
//	student → judge   {"Op":"out","ID":1,"Out":…}   or {"Op":"fail","ID":1,"Msg":…}
//	…
//	judge → student   {"Op":"done"}
//
// The judge never tells the student's process a verdict.

// MaxMessage bounds one message on the wire.
const MaxMessage = 4 << 20

type message struct {
	Op       string
	Lesson   string          `json:",omitempty"`
	Exercise string          `json:",omitempty"`
	Kind     string          `json:",omitempty"`
	Value    json.RawMessage `json:",omitempty"`
	ID       int64           `json:",omitempty"`
	In       json.RawMessage `json:",omitempty"`
	Out      json.RawMessage `json:",omitempty"`
	Msg      string          `json:",omitempty"`
}

type conn struct {
	c net.Conn
	r *bufio.Reader
}

func newConn(c net.Conn) *conn { return &conn{c: c, r: bufio.NewReaderSize(c, 64<<10)} }

// read reads one message, refusing lines longer than MaxMessage.
func (c *conn) read(deadline time.Time) (message, error) {
	var m message
	if err := c.c.SetReadDeadline(deadline); err != nil {
		return m, err
	}
	var line []byte
	for {
		chunk, err := c.r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > MaxMessage {
			return m, fmt.Errorf("message longer than %d bytes", MaxMessage)
		}
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			return m, errors.New("the connection closed")
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return m, errors.New("no answer in time")
		}
		return m, err
	}
	if err := json.Unmarshal(line, &m); err != nil {
		return m, fmt.Errorf("unreadable message: %v", err)
	}
	return m, nil
}

func (c *conn) write(m message, deadline time.Time) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if len(b) >= MaxMessage {
		return fmt.Errorf("message of %d bytes: at most %d", len(b), MaxMessage)
	}
	if err := c.c.SetWriteDeadline(deadline); err != nil {
		return err
	}
	_, err = c.c.Write(append(b, '\n'))
	return err
}

// ---- the student's side --------------------------------------------------------

// studentSessionLimit bounds one check's session from the student's side.
const studentSessionLimit = 30 * time.Minute

func dial() (*conn, error) {
	path := os.Getenv(GraderSocketEnv)
	if path == "" {
		return nil, errors.New("no grader socket")
	}
	c, err := net.DialTimeout("unix", path, 10*time.Second)
	if err != nil {
		return nil, err
	}
	return newConn(c), nil
}

// sendValue hands a value answer to the judge and waits for its receipt.
func sendValue(lesson, name string, value json.RawMessage) error {
	c, err := dial()
	if err != nil {
		return err
	}
	defer c.c.Close()
	deadline := time.Now().Add(time.Minute)
	if err := c.write(message{Op: "hello", Lesson: lesson, Exercise: name, Kind: ValueKind.String(), Value: value}, deadline); err != nil {
		return err
	}
	m, err := c.read(deadline)
	if err != nil {
		return err
	}
	if m.Op != "done" {
		return fmt.Errorf("the grader answered %q: %s", m.Op, m.Msg)
	}
	return nil
}

// serveFunc answers the judge's calls until it is done.
func serveFunc(lesson, name string, call func(json.RawMessage) (json.RawMessage, error)) error {
	c, err := dial()
	if err != nil {
		return err
	}
	defer c.c.Close()
	deadline := time.Now().Add(studentSessionLimit)
	if err := c.write(message{Op: "hello", Lesson: lesson, Exercise: name, Kind: FuncKind.String()}, deadline); err != nil {
		return err
	}
	for {
		m, err := c.read(deadline)
		if err != nil {
			return err
		}
		switch m.Op {
		case "done":
			return nil
		case "call":
			res, err := call(m.In)
			reply := message{Op: "out", ID: m.ID, Out: res}
			if err != nil {
				reply = message{Op: "fail", ID: m.ID, Msg: err.Error()}
			}
			if err := c.write(reply, deadline); err != nil {
				return err
			}
		default:
			return fmt.Errorf("the grader answered %q: %s", m.Op, m.Msg)
		}
	}
}

// ---- the judge's side --------------------------------------------------------

// session is one connection from a check, as the judge sees it.
type session struct {
	c        *conn
	deadline time.Time
	value    json.RawMessage
	nextID   int64
	broken   error
}

// call sends one input and waits at most timeout for the output.
func (s *session) call(in json.RawMessage, timeout time.Duration) (json.RawMessage, error) {
	if s.broken != nil {
		return nil, s.broken
	}
	deadline := time.Now().Add(timeout)
	if deadline.After(s.deadline) {
		deadline = s.deadline
	}
	s.nextID++
	if err := s.c.write(message{Op: "call", ID: s.nextID, In: in}, deadline); err != nil {
		s.broken = fmt.Errorf("your program stopped answering: %v", err)
		return nil, s.broken
	}
	m, err := s.c.read(deadline)
	if err != nil {
		s.broken = fmt.Errorf("your program stopped answering: %v", err)
		return nil, s.broken
	}
	if m.ID != s.nextID {
		s.broken = errors.New("your program answered out of turn")
		return nil, s.broken
	}
	switch m.Op {
	case "out":
		return m.Out, nil
	case "fail":
		if len(m.Msg) > 2000 {
			m.Msg = m.Msg[:2000] + "…"
		}
		return nil, errors.New(m.Msg)
	}
	s.broken = fmt.Errorf("your program sent %q instead of an output", m.Op)
	return nil, s.broken
}
