package mcheck

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"time"

	"github.com/dslessons/course/pkg/netsim"
)

// The wire protocol between Serve (the process running the nodes) and
// Dial (the process running the search). Every message is a frame: a
// 4-byte big-endian length, then that many bytes, the first of which
// says what the frame is. Numbers are unsigned varints unless noted;
// strings and byte strings are a length then bytes. Every length and
// count read is checked against a bound before anything is allocated,
// because the peer is not trusted.
//
//	'H' hello (Dial):   version, registry names
//	'h' hello (Serve):  version, node IDs, registry names
//	'S' steps (Dial):   count, then per input: node, state, kind (byte), from, msg, timer
//	's' steps (Serve):  count, then per step: state; timers (id, tag, after as a signed varint);
//	                    sends (to, msg); outputs; values (id, text, type name, JSON)
//	'e' error (Serve):  input index, node, event, message
//	'r' reset (Dial), answered by 'k' (Serve)
//	'q' quit (Dial)
const (
	wireVersion = 1
	// maxFrame bounds one frame (16 MiB).
	maxFrame = 16 << 20
	maxBatch = 4096
	maxJSON  = 64 << 10
	maxName  = 64
	maxWText = 4 * maxText
)

// writeFrame writes one frame.
func writeFrame(w io.Writer, payload []byte) error {
	if len(payload) > maxFrame {
		return fmt.Errorf("mcheck: wire: frame of %d bytes exceeds %d", len(payload), maxFrame)
	}
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(payload)))
	if _, err := w.Write(append(hdr[:], payload...)); err != nil {
		return fmt.Errorf("mcheck: wire: %w", err)
	}
	return nil
}

// readFrame reads one frame of at most max bytes.
func readFrame(r io.Reader, max int) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n == 0 || int64(n) > int64(max) {
		return nil, fmt.Errorf("mcheck: wire: frame length %d not in [1, %d]", n, max)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("mcheck: wire: truncated frame: %w", err)
	}
	return b, nil
}

// dec reads a frame's fields; the first error sticks and later reads
// return zero values.
type dec struct {
	b   []byte
	err error
}

func (d *dec) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("mcheck: wire: "+format, args...)
	}
}

func (d *dec) byte() byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) == 0 {
		d.fail("frame ends early")
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

// uint reads an unsigned varint of at most max.
func (d *dec) uint(max uint64, what string) uint64 {
	if d.err != nil {
		return 0
	}
	x, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad %s", what)
		return 0
	}
	d.b = d.b[n:]
	if x > max {
		d.fail("%s %d exceeds %d", what, x, max)
		return 0
	}
	return x
}

func (d *dec) int(what string) int64 {
	if d.err != nil {
		return 0
	}
	x, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("bad %s", what)
		return 0
	}
	d.b = d.b[n:]
	return x
}

func (d *dec) bytes(max int, what string) []byte {
	n := int(d.uint(uint64(max), what+" length"))
	if d.err != nil {
		return nil
	}
	if n > len(d.b) {
		d.fail("%s of %d bytes but only %d left", what, n, len(d.b))
		return nil
	}
	s := d.b[:n:n]
	d.b = d.b[n:]
	return s
}

func (d *dec) string(max int, what string) string { return string(d.bytes(max, what)) }

func (d *dec) end() {
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d bytes after the end of the frame", len(d.b))
	}
}

type enc struct{ b []byte }

func (e *enc) byte(c byte)     { e.b = append(e.b, c) }
func (e *enc) uint(x uint64)   { e.b = binary.AppendUvarint(e.b, x) }
func (e *enc) int(x int64)     { e.b = binary.AppendVarint(e.b, x) }
func (e *enc) bytes(s []byte)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *enc) string(s string) { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *enc) strings(ss []string) {
	e.uint(uint64(len(ss)))
	for _, s := range ss {
		e.string(s)
	}
}

func (d *dec) strings(maxN, maxLen int, what string) []string {
	n := int(d.uint(uint64(maxN), what+" count"))
	var ss []string
	for i := 0; i < n && d.err == nil; i++ {
		ss = append(ss, d.string(maxLen, what))
	}
	return ss
}

// Serve answers the step requests of a search in another process (see
// Dial) by running machine m, usually the *Model of a student's nodes.
// It returns nil when the peer says goodbye or closes the connection,
// and an error for a malformed request. Values of types registered in
// reg cross the wire as JSON; others as text only.
func Serve(rw io.ReadWriter, m Machine, reg *Registry) error {
	if rw == nil || m == nil {
		return errors.New("mcheck: Serve: nil connection or machine")
	}
	ids := m.Nodes()
	if len(ids) == 0 || len(ids) > MaxNodes {
		return fmt.Errorf("mcheck: Serve: %d nodes; want 1 to %d", len(ids), MaxNodes)
	}
	frame, err := readFrame(rw, maxFrame)
	if err != nil {
		return fmt.Errorf("mcheck: Serve: reading hello: %w", err)
	}
	d := dec{b: frame}
	if d.byte() != 'H' {
		return errors.New("mcheck: Serve: the peer did not say hello")
	}
	if v := d.uint(math.MaxUint32, "version"); d.err == nil && v != wireVersion {
		return fmt.Errorf("mcheck: Serve: peer speaks version %d, this is version %d", v, wireVersion)
	}
	d.strings(1<<16, maxName, "type name")
	if d.end(); d.err != nil {
		return d.err
	}
	e := enc{}
	e.byte('h')
	e.uint(wireVersion)
	strs := make([]string, len(ids))
	for i, id := range ids {
		strs[i] = string(id)
	}
	e.strings(strs)
	e.strings(reg.names())
	if err := writeFrame(rw, e.b); err != nil {
		return err
	}
	var in []Input
	var out []Step
	for {
		frame, err := readFrame(rw, maxFrame)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("mcheck: Serve: %w", err)
		}
		d := dec{b: frame}
		switch d.byte() {
		case 'q':
			return nil
		case 'r':
			if d.end(); d.err != nil {
				return d.err
			}
			if err := m.Reset(); err != nil {
				return fmt.Errorf("mcheck: Serve: %w", err)
			}
			if err := writeFrame(rw, []byte{'k'}); err != nil {
				return err
			}
			continue
		case 'S':
		default:
			return errors.New("mcheck: Serve: unknown request")
		}
		n := int(d.uint(maxBatch, "batch size"))
		in = in[:0]
		for k := 0; k < n && d.err == nil; k++ {
			in = append(in, Input{
				Node:  int(d.uint(MaxNodes-1, "node")),
				State: StateID(d.uint(math.MaxUint32, "state")),
				Kind:  InputKind(d.byte()),
				From:  int(d.uint(MaxNodes-1, "sender")),
				Msg:   ValueID(d.uint(math.MaxUint32, "message")),
				Timer: netsim.TimerID(d.uint(math.MaxUint32, "timer")),
			})
		}
		if d.end(); d.err != nil {
			return d.err
		}
		if cap(out) < n {
			out = make([]Step, n)
		}
		out = out[:n]
		clear(out)
		e.b = e.b[:0]
		if err := m.Steps(in, out); err != nil {
			var ne *NodeError
			if !errors.As(err, &ne) {
				ne = &NodeError{Event: "?", Err: err}
			}
			e.byte('e')
			e.uint(uint64(max(ne.Input, 0)))
			e.string(string(ne.Node))
			e.string(clip(ne.Event))
			e.string(clip(ne.Err.Error()))
		} else if err := encodeSteps(&e, out, reg); err != nil {
			e.b = e.b[:0]
			e.byte('e')
			e.uint(0)
			e.string("")
			e.string("")
			e.string(clip(err.Error()))
		}
		if err := writeFrame(rw, e.b); err != nil {
			return err
		}
	}
}

// clip bounds a string sent over the wire.
func clip(s string) string {
	if len(s) > maxWText {
		return s[:maxWText]
	}
	return s
}

func encodeSteps(e *enc, out []Step, reg *Registry) error {
	e.byte('s')
	e.uint(uint64(len(out)))
	for _, st := range out {
		e.uint(uint64(st.State))
		e.uint(uint64(len(st.Timers)))
		for _, t := range st.Timers {
			e.uint(uint64(t.ID))
			e.uint(uint64(t.Tag))
			e.int(int64(t.After))
		}
		e.uint(uint64(len(st.Sends)))
		for _, s := range st.Sends {
			e.uint(uint64(s.To))
			e.uint(uint64(s.Msg))
		}
		e.uint(uint64(len(st.Outputs)))
		for _, o := range st.Outputs {
			e.uint(uint64(o))
		}
		e.uint(uint64(len(st.Values)))
		for _, v := range st.Values {
			name, js, err := reg.encode(v.V)
			if err != nil {
				return err
			}
			if len(js) > maxJSON {
				return fmt.Errorf("value %s: JSON of %d bytes exceeds %d", v.Text, len(js), maxJSON)
			}
			e.uint(uint64(v.ID))
			e.string(clip(v.Text))
			e.string(name)
			e.bytes(js)
		}
	}
	if len(e.b) > maxFrame {
		return fmt.Errorf("a reply of %d bytes exceeds %d: use smaller steps", len(e.b), maxFrame)
	}
	return nil
}

// Remote is a Machine whose nodes run in another process, reached
// through a connection to Serve. Build one with Dial. It is not safe for
// concurrent use.
type Remote struct {
	rw      io.ReadWriter
	reg     *Registry
	timeout time.Duration
	ids     []netsim.NodeID
	frames  chan frameOrErr
	done    chan struct{} // closed by Close: the reader stops
	typed   []bool        // by ValueID: the value decoded to a Go value (or is nil)
	err     error         // once broken, every call fails
	close   sync.Once
}

type frameOrErr struct {
	b   []byte
	err error
}

// DefaultTimeout bounds each reply of a Remote when Dial is given 0.
const DefaultTimeout = 30 * time.Second

// Dial greets the Serve at the other end of rw and returns a Machine for
// Check. Each reply must come within timeout (0 means DefaultTimeout);
// a peer that sends garbage, oversized frames or inconsistent steps, or
// is silent for too long, makes the search fail with an error. A reader
// goroutine stays blocked on rw until it is closed: Close the Remote (or
// the connection, or end the peer process) when done.
func Dial(rw io.ReadWriter, reg *Registry, timeout time.Duration) (*Remote, error) {
	if rw == nil {
		return nil, errors.New("mcheck: Dial: nil connection")
	}
	if timeout < 0 {
		return nil, fmt.Errorf("mcheck: Dial: negative timeout %v", timeout)
	}
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	r := &Remote{rw: rw, reg: reg, timeout: timeout, frames: make(chan frameOrErr, 1), done: make(chan struct{})}
	go r.readLoop()
	e := enc{}
	e.byte('H')
	e.uint(wireVersion)
	e.strings(reg.names())
	if err := writeFrame(rw, e.b); err != nil {
		r.Close()
		return nil, err
	}
	if err := r.hello(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// hello reads and checks the peer's greeting.
func (r *Remote) hello() error {
	frame, err := r.next()
	if err != nil {
		return fmt.Errorf("mcheck: Dial: %w", err)
	}
	d := dec{b: frame}
	if d.byte() != 'h' {
		return errors.New("mcheck: Dial: the peer did not answer hello")
	}
	if v := d.uint(math.MaxUint32, "version"); d.err == nil && v != wireVersion {
		return fmt.Errorf("mcheck: Dial: peer speaks version %d, this is version %d", v, wireVersion)
	}
	ids := d.strings(MaxNodes, 32, "node ID")
	names := d.strings(1<<16, maxName, "type name")
	if d.end(); d.err != nil {
		return d.err
	}
	if len(ids) == 0 {
		return errors.New("mcheck: Dial: the peer has no nodes")
	}
	seen := map[netsim.NodeID]bool{}
	for _, s := range ids {
		id := netsim.NodeID(s)
		if err := id.Validate(); err != nil || seen[id] {
			return fmt.Errorf("mcheck: Dial: the peer sent a bad or repeated node ID %q", s)
		}
		seen[id] = true
		r.ids = append(r.ids, id)
	}
	if want := r.reg.names(); fmt.Sprint(names) != fmt.Sprint(want) {
		return fmt.Errorf("mcheck: Dial: the registries differ: the peer registered %v, this side %v", names, want)
	}
	return nil
}

func (r *Remote) readLoop() {
	for {
		b, err := readFrame(r.rw, maxFrame)
		select {
		case r.frames <- frameOrErr{b, err}:
		case <-r.done:
			return
		}
		if err != nil {
			return
		}
	}
}

// next waits for the next frame, at most r.timeout.
func (r *Remote) next() ([]byte, error) {
	if r.err != nil {
		return nil, r.err
	}
	t := time.NewTimer(r.timeout)
	defer t.Stop()
	select {
	case f := <-r.frames:
		if f.err != nil {
			if errors.Is(f.err, io.EOF) {
				f.err = errors.New("mcheck: wire: the peer closed the connection")
			}
			r.err = f.err
			return nil, f.err
		}
		return f.b, nil
	case <-t.C:
		r.err = fmt.Errorf("mcheck: wire: no answer within %v", r.timeout)
		return nil, r.err
	}
}

// Nodes lists the peer's node IDs.
func (r *Remote) Nodes() []netsim.NodeID { return r.ids }

// Reset asks the peer to forget every ID it handed out (see Machine).
func (r *Remote) Reset() error {
	if r.err != nil {
		return r.err
	}
	if err := writeFrame(r.rw, []byte{'r'}); err != nil {
		r.err = err
		return err
	}
	frame, err := r.next()
	if err != nil {
		return err
	}
	if len(frame) != 1 || frame[0] != 'k' {
		r.err = errors.New("mcheck: wire: the peer did not acknowledge a reset")
		return r.err
	}
	r.typed = r.typed[:0]
	return nil
}

// Node returns nil: node memory stays in the peer process.
func (r *Remote) Node(StateID) netsim.Node { return nil }

// Steps sends the inputs to the peer and checks and decodes its answer.
func (r *Remote) Steps(in []Input, out []Step) error {
	if len(out) != len(in) {
		return fmt.Errorf("mcheck: Steps: %d inputs but room for %d steps", len(in), len(out))
	}
	for lo := 0; lo < len(in); lo += maxBatch {
		hi := min(lo+maxBatch, len(in))
		if err := r.batch(in[lo:hi], out[lo:hi]); err != nil {
			var ne *NodeError
			if errors.As(err, &ne) {
				ne.Input += lo
			}
			return err
		}
	}
	return nil
}

func (r *Remote) batch(in []Input, out []Step) error {
	if r.err != nil {
		return r.err
	}
	e := enc{}
	e.byte('S')
	e.uint(uint64(len(in)))
	for _, x := range in {
		e.uint(uint64(x.Node))
		e.uint(uint64(x.State))
		e.byte(byte(x.Kind))
		e.uint(uint64(x.From))
		e.uint(uint64(x.Msg))
		e.uint(uint64(x.Timer))
	}
	if err := writeFrame(r.rw, e.b); err != nil {
		r.err = err
		return err
	}
	frame, err := r.next()
	if err != nil {
		return err
	}
	if err := r.decodeSteps(frame, in, out); err != nil {
		var ne *NodeError
		if !errors.As(err, &ne) {
			r.err = err
		}
		return err
	}
	return nil
}

// decodeSteps decodes a steps reply (or an error reply) for in into out.
func (r *Remote) decodeSteps(frame []byte, in []Input, out []Step) error {
	d := dec{b: frame}
	switch d.byte() {
	case 'e':
		k := int(d.uint(uint64(len(in)), "input index"))
		node := d.string(32, "node")
		event := d.string(maxWText, "event")
		msg := d.string(maxWText, "error")
		if d.end(); d.err != nil {
			return d.err
		}
		return &NodeError{Node: netsim.NodeID(node), Event: event, Err: errors.New(msg), Input: k}
	case 's':
	default:
		d.fail("unexpected reply")
		return d.err
	}
	if n := d.uint(maxBatch, "step count"); d.err == nil && int(n) != len(in) {
		return fmt.Errorf("mcheck: wire: %d steps for %d inputs", n, len(in))
	}
	nodes := uint64(len(r.ids) - 1)
	for k := range out {
		st := &out[k]
		st.State = StateID(d.uint(math.MaxInt32, "state"))
		nt := int(d.uint(maxTimers, "timer count"))
		st.Timers = make([]Timer, 0, nt)
		for i := 0; i < nt && d.err == nil; i++ {
			st.Timers = append(st.Timers, Timer{ID: netsim.TimerID(d.uint(math.MaxUint32, "timer ID")),
				Tag: ValueID(d.uint(math.MaxInt32, "timer tag")), After: netsim.Time(d.int("timer delay"))})
		}
		ns := int(d.uint(maxSends, "send count"))
		st.Sends = make([]Send, 0, ns)
		for i := 0; i < ns && d.err == nil; i++ {
			st.Sends = append(st.Sends, Send{To: int(d.uint(nodes, "receiver")), Msg: ValueID(d.uint(math.MaxInt32, "message"))})
		}
		no := int(d.uint(maxOutputs, "output count"))
		st.Outputs = make([]ValueID, 0, no)
		for i := 0; i < no && d.err == nil; i++ {
			st.Outputs = append(st.Outputs, ValueID(d.uint(math.MaxInt32, "output")))
		}
		nv := int(d.uint(maxSends+maxOutputs+maxTimers+1, "value count"))
		st.Values = make([]Value, 0, nv)
		for i := 0; i < nv && d.err == nil; i++ {
			id := ValueID(d.uint(math.MaxInt32, "value ID"))
			text := d.string(maxWText, "value text")
			name := d.string(maxName, "type name")
			js := d.bytes(maxJSON, "value JSON")
			if d.err != nil {
				break
			}
			if int(id) != len(r.typed) {
				return fmt.Errorf("mcheck: wire: value ID %d out of order (want %d)", id, len(r.typed))
			}
			v := Value{ID: id, Text: text}
			typed := name == "" && text == "nil"
			if name != "" {
				x, err := r.reg.decode(name, js)
				if err != nil {
					return fmt.Errorf("mcheck: wire: value %d (%s): %v", id, text, err)
				}
				v.V, typed = x, true
			}
			r.typed = append(r.typed, typed)
			st.Values = append(st.Values, v)
		}
		if d.err != nil {
			return d.err
		}
		for _, o := range st.Outputs {
			if int(o) < len(r.typed) && !r.typed[o] {
				return fmt.Errorf("mcheck: wire: node %s output a value of an unregistered type (text %s): register it on both sides",
					r.ids[in[k].Node], r.textOf(st, o))
			}
		}
	}
	d.end()
	return d.err
}

func (r *Remote) textOf(st *Step, v ValueID) string {
	for _, x := range st.Values {
		if x.ID == v {
			return x.Text
		}
	}
	return fmt.Sprintf("#%d", v)
}

// Close says goodbye to the peer and closes the connection if it is an
// io.Closer.
func (r *Remote) Close() error {
	var err error
	r.close.Do(func() {
		close(r.done)
		_ = writeFrame(r.rw, []byte{'q'})
		if c, ok := r.rw.(io.Closer); ok {
			err = c.Close()
		}
		if r.err == nil {
			r.err = errors.New("mcheck: Remote is closed")
		}
	})
	return err
}
