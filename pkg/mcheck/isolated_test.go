package mcheck_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/mcheck"
	p "github.com/dslessons/course/pkg/mcheck/internal/protocols"
	"github.com/dslessons/course/pkg/netsim"
)

// whisper is shared memory between a cheating sender and receiver: what
// a protocol must not use.
var whisper []string

type cheatSender struct{ Msgs []string }

func (s *cheatSender) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Start {
		whisper = s.Msgs
		for i, m := range s.Msgs {
			ctx.Send("R", p.Data{Seq: i, Val: m})
		}
	}
}

type cheatReceiver struct{ Done bool }

func (r *cheatReceiver) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Start && !r.Done {
		r.Done = true
		for _, m := range whisper {
			ctx.Output(m)
		}
	}
}

// nothingLearned: the receiver delivers nothing, and nothing is in flight.
var nothingLearned = mcheck.Invariant{Name: "R learns only from messages", Check: func(s *mcheck.State) error {
	if out := s.Outputs("R"); len(out) > 0 {
		return fmt.Errorf("R delivered %v, but no message reached it", out)
	}
	if fl := s.InFlight(); len(fl) > 0 {
		return fmt.Errorf("%d messages in flight on a cut network", len(fl))
	}
	return nil
}}

// With every link cut, a receiver that delivers through shared memory is
// caught, and a correct one passes exhaustively.
func TestIsolatedCatchesSharedMemory(t *testing.T) {
	msgs := p.Messages(2)
	opt := mcheck.Options{Invariants: []mcheck.Invariant{nothingLearned}, Isolated: true}

	m := mcheck.NewModel(1)
	_ = m.AddNode("S", &cheatSender{Msgs: msgs})
	_ = m.AddNode("R", &cheatReceiver{})
	r, err := mcheck.Check(m, opt)
	if err != nil {
		t.Fatal(err)
	}
	if r.Outcome != mcheck.Violated || !strings.Contains(r.Detail, "no message reached it") {
		t.Fatalf("the shared-memory receiver was not caught: %v", r)
	}

	honest := p.ExactlyOnce(msgs, p.Sender{}, p.Receiver{})
	r, err = mcheck.Check(honest, opt)
	if err != nil || r.Outcome != mcheck.Passed || !r.Exhaustive {
		t.Fatalf("a correct protocol failed on a cut network: %v %v", r, err)
	}
	// The same protocol on a working network does deliver: the cut is
	// what kept R silent.
	r, err = mcheck.Check(p.ExactlyOnce(msgs, p.Sender{}, p.Receiver{}), mcheck.Options{Invariants: []mcheck.Invariant{nothingLearned}})
	if err != nil || r.Outcome != mcheck.Violated {
		t.Fatalf("without Isolated, R should receive and deliver: %v %v", r, err)
	}
}
