package mcheck_test

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/dslessons/course/pkg/mcheck"
	p "github.com/dslessons/course/pkg/mcheck/internal/protocols"
)

// registry is what a lab definition would give both sides.
func registry(t testing.TB) *mcheck.Registry {
	r := mcheck.NewRegistry()
	for name, v := range map[string]any{"string": "", "Data": p.Data{}, "Ack": p.Ack{}, "Outcome": p.Outcome("")} {
		if err := r.Register(name, v); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// TestMain doubles as the served process of TestSubprocess: with
// MCHECK_TEST_SERVE set, the test binary serves a model on its standard
// input and output.
func TestMain(m *testing.M) {
	if os.Getenv("MCHECK_TEST_SERVE") == "nodedup" {
		model := p.ExactlyOnce(p.Messages(2), p.Sender{}, p.Receiver{NoDedup: true})
		rw := struct {
			io.Reader
			io.Writer
		}{os.Stdin, os.Stdout}
		if err := mcheck.Serve(rw, model, registry(nil)); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serve runs Serve on one end of a pipe and returns the other end.
func serve(t *testing.T, m mcheck.Machine, reg *mcheck.Registry) net.Conn {
	t.Helper()
	a, b := net.Pipe()
	done := make(chan error, 1)
	go func() { done <- mcheck.Serve(a, m, reg) }()
	t.Cleanup(func() {
		b.Close()
		if err := <-done; err != nil && !errors.Is(err, io.ErrClosedPipe) {
			t.Errorf("Serve: %v", err)
		}
		a.Close()
	})
	return b
}

func TestWireMatchesInProcess(t *testing.T) {
	for _, c := range checkCases {
		t.Run(c.name, func(t *testing.T) {
			local, err := mcheck.Check(c.model(), c.opt)
			if err != nil {
				t.Fatal(err)
			}
			conn := serve(t, c.model(), registry(t))
			remote, err := mcheck.Dial(conn, registry(t), 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer remote.Close()
			for range 2 { // a Remote serves several searches
				r, err := mcheck.Check(remote, c.opt)
				if err != nil {
					t.Fatal(err)
				}
				if r.String() != local.String() {
					t.Errorf("over the wire:\n%s\nin process:\n%s", r, local)
				}
			}
		})
	}
}

func TestWireNodeError(t *testing.T) {
	m := mcheck.NewModel(1)
	_ = m.AddNode("S", &p.Sender{Msgs: p.Messages(2)})
	_ = m.AddNode("R", &picky{})
	remote, err := mcheck.Dial(serve(t, m, registry(t)), registry(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	_, err = mcheck.Check(remote, mcheck.Options{Invariants: []mcheck.Invariant{okInv}})
	var ne *mcheck.NodeError
	if !errors.As(err, &ne) || ne.Node != "R" || !strings.Contains(ne.Err.Error(), "message 1") || len(ne.Schedule) != 2 {
		t.Fatalf("error %v, want a NodeError of R after 2 steps", err)
	}
	if remote.Node(1) != nil {
		t.Error("a Remote showed node memory")
	}
}

func TestWireUnregisteredOutput(t *testing.T) {
	reg := mcheck.NewRegistry()
	_ = reg.Register("Data", p.Data{})
	m := p.ExactlyOnce(p.Messages(1), p.Sender{}, p.Receiver{})
	remote, err := mcheck.Dial(serve(t, m, reg), reg, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer remote.Close()
	_, err = mcheck.Check(remote, eoOpt(1, mcheck.Faults{}, 0))
	if err == nil || !strings.Contains(err.Error(), `node R output a value of an unregistered type (text "m0")`) {
		t.Fatalf("error %v", err)
	}
}

func TestSubprocess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "MCHECK_TEST_SERVE=nodedup")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	rw := struct {
		io.Reader
		io.Writer
	}{stdout, stdin}
	remote, err := mcheck.Dial(rw, registry(t), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	opt := eoOpt(2, mcheck.Faults{}, 0)
	r, err := mcheck.Check(remote, opt)
	if err != nil {
		t.Fatal(err)
	}
	local, _ := mcheck.Check(p.ExactlyOnce(p.Messages(2), p.Sender{}, p.Receiver{NoDedup: true}), opt)
	if r.String() != local.String() {
		t.Errorf("subprocess:\n%s\nin process:\n%s", r, local)
	}
	remote.Close()
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Errorf("served process: %v", err)
	}
}

// A hostile peer: whatever it sends, Dial and Check return an error in
// bounded time and memory.

type frameWriter struct{ b []byte }

func (f *frameWriter) byte(c byte) *frameWriter { f.b = append(f.b, c); return f }
func (f *frameWriter) uint(x uint64) *frameWriter {
	f.b = binary.AppendUvarint(f.b, x)
	return f
}
func (f *frameWriter) str(s string) *frameWriter {
	f.uint(uint64(len(s)))
	f.b = append(f.b, s...)
	return f
}
func (f *frameWriter) frame() []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(f.b))), f.b...)
}

// hello is a valid greeting from Serve with nodes A and B and no types.
func hello() []byte {
	return (&frameWriter{}).byte('h').uint(1).uint(2).str("A").str("B").uint(0).frame()
}

// hostile runs fake, a server that reads Dial's frames and answers with
// whatever it likes, on one end of a pipe.
func hostile(t *testing.T, fake func(c net.Conn)) net.Conn {
	a, b := net.Pipe()
	go func() {
		defer a.Close()
		fake(a)
	}()
	t.Cleanup(func() { b.Close() })
	return b
}

func readFrame(c net.Conn) {
	var hdr [4]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		return
	}
	_, _ = io.CopyN(io.Discard, c, int64(binary.BigEndian.Uint32(hdr[:])))
}

func TestHostilePeer(t *testing.T) {
	// One start step: node 0 goes to state 1 with nothing else.
	goodStep := func() *frameWriter {
		return (&frameWriter{}).byte('s').uint(2).
			uint(1).uint(0).uint(0).uint(0).uint(0). // A: state 1
			uint(2).uint(0).uint(0).uint(0).uint(0)  // B: state 2
	}
	cases := []struct {
		name    string
		hello   []byte // nil: the case starts after a valid hello
		reset   []byte // the answer to the reset, if not 'k'
		reply   []byte
		hangUp  bool // close the connection after writing
		dialErr string
		want    string
	}{
		{name: "garbage hello", hello: []byte("\x00\x00\x00\x05xello"), dialErr: "did not answer hello"},
		{name: "huge frame", hello: []byte{0xff, 0xff, 0xff, 0xff}, dialErr: "frame length 4294967295 not in [1, 16777216]"},
		{name: "empty frame", hello: []byte{0, 0, 0, 0}, dialErr: "frame length 0"},
		{name: "truncated frame", hello: []byte{0, 0, 0, 9, 'h', 1}, hangUp: true, dialErr: "truncated frame"},
		{name: "closed", hello: []byte{}, hangUp: true, dialErr: "the peer closed the connection"},
		{name: "silent", hello: []byte{}, dialErr: "no answer within"},
		{name: "wrong version", hello: (&frameWriter{}).byte('h').uint(9).frame(), dialErr: "version 9"},
		{name: "no nodes", hello: (&frameWriter{}).byte('h').uint(1).uint(0).uint(0).frame(), dialErr: "no nodes"},
		{name: "bad node ID", hello: (&frameWriter{}).byte('h').uint(1).uint(1).str("a b").uint(0).frame(), dialErr: `bad or repeated node ID "a b"`},
		{name: "too many nodes", hello: (&frameWriter{}).byte('h').uint(1).uint(1000).frame(), dialErr: "node ID count 1000 exceeds 64"},
		{name: "long node ID", hello: (&frameWriter{}).byte('h').uint(1).uint(1).str(strings.Repeat("x", 99)).frame(), dialErr: "node ID length 99 exceeds 32"},
		{name: "registry mismatch", hello: (&frameWriter{}).byte('h').uint(1).uint(1).str("A").uint(1).str("Other").frame(), dialErr: "registries differ"},
		{name: "trailing bytes", hello: (&frameWriter{}).byte('h').uint(1).uint(1).str("A").uint(0).byte('x').frame(), dialErr: "1 bytes after the end"},
		{name: "silent after hello", reset: []byte{}, want: "no answer within"},
		{name: "bad reset answer", reset: (&frameWriter{}).byte('x').frame(), want: "did not acknowledge a reset"},
		{name: "silent after reset", reply: []byte{}, want: "no answer within"},
		{name: "garbage reply", reply: (&frameWriter{}).byte('z').frame(), want: "unexpected reply"},
		{name: "wrong step count", reply: (&frameWriter{}).byte('s').uint(7).frame(), want: "7 steps for 2 inputs"},
		{name: "huge step count", reply: (&frameWriter{}).byte('s').uint(1 << 40).frame(), want: "step count 1099511627776 exceeds 4096"},
		{name: "state out of order", reply: (&frameWriter{}).byte('s').uint(2).uint(5).uint(0).uint(0).uint(0).uint(0).uint(6).uint(0).uint(0).uint(0).uint(0).frame(), want: "state ID 5 out of order"},
		{name: "huge timer count", reply: (&frameWriter{}).byte('s').uint(2).uint(1).uint(1 << 20).frame(), want: "timer count 1048576 exceeds 64"},
		{name: "huge text", reply: (&frameWriter{}).byte('s').uint(2).uint(1).uint(0).uint(0).uint(0).uint(1).uint(0).uint(1 << 30).frame(), want: "value text length 1073741824 exceeds 800"},
		{name: "text longer than the frame", reply: (&frameWriter{}).byte('s').uint(2).uint(1).uint(0).uint(0).uint(0).uint(1).uint(0).uint(500).frame(), want: "value text of 500 bytes but only"},
		{name: "unknown type", reply: (&frameWriter{}).byte('s').uint(2).uint(1).uint(0).uint(0).uint(0).uint(1).uint(0).str("x").str("Nope").str("{}").frame(), want: `type name "Nope" is not registered`},
		{name: "send to a node that does not exist", reply: (&frameWriter{}).byte('s').uint(2).uint(1).uint(0).uint(1).uint(9).uint(0).frame(), want: "receiver 9 exceeds 1"},
		{name: "send of an unknown value", reply: (&frameWriter{}).byte('s').uint(2).uint(1).uint(0).uint(1).uint(1).uint(3).uint(0).uint(0).uint(2).uint(0).uint(0).uint(0).uint(0).frame(), want: "bad send"},
		{name: "state of another node", reply: (&frameWriter{}).byte('s').uint(2).uint(1).uint(0).uint(0).uint(0).uint(0).uint(1).uint(0).uint(0).uint(0).uint(0).frame(), want: "state 1 belongs to node 0, not 1"},
		{name: "error reply", reply: (&frameWriter{}).byte('e').uint(1).str("B").str("start").str("boom").frame(), want: "node B, handling start: boom"},
		{name: "error reply with a bad index", reply: (&frameWriter{}).byte('e').uint(99).frame(), want: "input index 99 exceeds 2"},
		{name: "valid then closed", reply: goodStep().frame()[:10], hangUp: true, want: "truncated frame"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn := hostile(t, func(s net.Conn) {
				readFrame(s) // Dial's hello
				h := c.hello
				if h == nil {
					h = hello()
				}
				s.Write(h)
				if c.hello == nil {
					readFrame(s) // the reset
					if c.reset != nil {
						s.Write(c.reset)
					} else {
						s.Write((&frameWriter{}).byte('k').frame())
						readFrame(s) // the start steps
						s.Write(c.reply)
					}
				}
				if !c.hangUp {
					io.Copy(io.Discard, s) // until Dial's side closes
				}
			})
			remote, err := mcheck.Dial(conn, nil, 200*time.Millisecond)
			if c.dialErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.dialErr) {
					t.Fatalf("Dial: %v, want an error containing %q", err, c.dialErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer remote.Close()
			r, err := mcheck.Check(remote, mcheck.Options{Invariants: []mcheck.Invariant{okInv}})
			if err == nil || r != nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Check: (%v, %v), want an error containing %q", r, err, c.want)
			}
		})
	}
}

func TestServeRejectsBadRequests(t *testing.T) {
	m := p.ExactlyOnce(p.Messages(1), p.Sender{}, p.Receiver{})
	cases := []struct {
		name   string
		frames [][]byte
		want   string
	}{
		{"no hello", [][]byte{(&frameWriter{}).byte('S').frame()}, "did not say hello"},
		{"huge frame", [][]byte{{0x7f, 0, 0, 0}}, "frame length"},
		{"bad version", [][]byte{(&frameWriter{}).byte('H').uint(3).uint(0).frame()}, "version 3"},
		{"huge batch", [][]byte{(&frameWriter{}).byte('H').uint(1).uint(0).frame(), (&frameWriter{}).byte('S').uint(1 << 20).frame()}, "batch size 1048576 exceeds 4096"},
		{"unknown request", [][]byte{(&frameWriter{}).byte('H').uint(1).uint(0).frame(), (&frameWriter{}).byte('?').frame()}, "unknown request"},
	}
	for _, c := range cases {
		a, b := net.Pipe()
		done := make(chan error, 1)
		go func() { done <- mcheck.Serve(a, m, nil) }()
		go io.Copy(io.Discard, b)
		go func() {
			for _, f := range c.frames {
				b.Write(f)
			}
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: Serve returned %v, want %q", c.name, err, c.want)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("%s: Serve did not return", c.name)
		}
		a.Close()
		b.Close()
	}
	// A node failure is answered, not fatal: Serve keeps serving.
	if err := mcheck.Serve(nil, m, nil); err == nil {
		t.Error("Serve(nil) accepted")
	}
}

func TestRegistry(t *testing.T) {
	type bad1 struct{ x int }
	type bad2 struct{ F func() }
	type bad3 struct{ A any }
	type bad4 struct {
		N int `json:"n"`
	}
	r := mcheck.NewRegistry()
	cases := []struct {
		name string
		v    any
		want string
	}{
		{"", 1, "1 to 64 bytes"},
		{"a b", 1, "has character ' '"},
		{"x", nil, "nil sample"},
		{"x", bad1{}, "bad1.x is unexported"},
		{"x", bad2{}, "bad2.F has type func()"},
		{"x", bad3{}, "bad3.A has type interface {}"},
		{"x", bad4{}, "json tag"},
		{"x", map[float64]int{}, "JSON keys must be strings or integers"},
	}
	for _, c := range cases {
		if err := r.Register(c.name, c.v); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Register(%q, %T): %v, want %q", c.name, c.v, err, c.want)
		}
	}
	if err := r.Register("Data", p.Data{}); err != nil {
		t.Fatal(err)
	}
	if err := r.Register("Data", p.Ack{}); err == nil {
		t.Error("name registered twice")
	}
	if err := r.Register("Data2", p.Data{}); err == nil {
		t.Error("type registered twice")
	}
	var zero mcheck.Registry
	if err := zero.Register("x", 1); err == nil {
		t.Error("zero Registry accepted a type")
	}
}
