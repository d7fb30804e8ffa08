package mcheck

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"

	"github.com/dslessons/course/pkg/netsim"
)

// echo answers every message with its length, and outputs it.
type echo struct{ n int }

func (e *echo) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		ctx.Broadcast("hi")
		ctx.SetTimer(netsim.Millisecond, 7)
	case netsim.Receive:
		e.n++
		ctx.Output(e.n)
		if s, ok := ev.Msg.(string); ok && len(s) < 4 {
			ctx.Send(ev.From, s+"!")
		}
	}
}

func fuzzModel(t testing.TB) *Model {
	m := NewModel(1)
	for _, id := range []netsim.NodeID{"A", "B"} {
		if err := m.AddNode(id, &echo{}); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func fuzzRegistry() *Registry {
	r := NewRegistry()
	_ = r.Register("int", 0)
	_ = r.Register("string", "")
	return r
}

func frame(payload []byte) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(payload))), payload...)
}

// FuzzDecodeSteps feeds arbitrary replies to the Dial side: decoding and
// checking them must fail cleanly, never panic or allocate without bound.
func FuzzDecodeSteps(f *testing.F) {
	// Seed with a real reply: the two start steps of the fuzz model.
	m := fuzzModel(f)
	in := []Input{{Node: 0, Kind: InputStart}, {Node: 1, Kind: InputStart}}
	out := make([]Step, 2)
	if err := m.Steps(in, out); err != nil {
		f.Fatal(err)
	}
	var e enc
	if err := encodeSteps(&e, out, fuzzRegistry()); err != nil {
		f.Fatal(err)
	}
	f.Add(e.b)
	f.Add([]byte("e\x01\x01B\x05start\x04boom"))
	f.Add([]byte("s\x02\x01\x00\x00\x00\x00\x02\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, reply []byte) {
		r := &Remote{ids: []netsim.NodeID{"A", "B"}, reg: fuzzRegistry()}
		steps := make([]Step, len(in))
		if err := r.decodeSteps(reply, in, steps); err != nil {
			return
		}
		eng := newEngine(m, Options{MaxCopies: 2}, &watch{})
		for k := range steps {
			if _, err := eng.addStep(&in[k], &steps[k]); err != nil {
				return
			}
		}
	})
}

// FuzzServe feeds arbitrary requests to Serve: it must answer or return
// an error, never panic.
func FuzzServe(f *testing.F) {
	var h enc
	h.byte('H')
	h.uint(wireVersion)
	h.strings([]string{"int", "string"})
	var s enc
	s.byte('S')
	s.uint(2)
	for node := 0; node < 2; node++ {
		s.uint(uint64(node))
		s.uint(0)
		s.byte(byte(InputStart))
		s.uint(0)
		s.uint(0)
		s.uint(0)
	}
	f.Add(append(frame(h.b), frame(s.b)...))
	f.Add(append(append(frame(h.b), frame([]byte{'r'})...), frame(s.b)...))
	f.Add(append(frame(h.b), frame([]byte("S\x01\x00\x05\x01\x00\x00\x00"))...))
	f.Add(frame(h.b))
	f.Fuzz(func(t *testing.T, input []byte) {
		rw := struct {
			io.Reader
			io.Writer
		}{bytes.NewReader(input), io.Discard}
		_ = Serve(rw, fuzzModel(t), fuzzRegistry())
	})
}
