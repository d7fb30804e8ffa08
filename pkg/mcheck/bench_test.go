package mcheck_test

import (
	"net"
	"testing"

	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/mcheck/internal/cputime"
	p "github.com/dslessons/course/pkg/mcheck/internal/protocols"
)

// BenchmarkExactlyOnce checks the first lab's scenario exhaustively:
// exactly-once delivery of n messages over a link that reorders, loses
// up to Loss and duplicates up to Duplicate messages. Each iteration is
// one whole search; states/s and bytes/state are reported.
func BenchmarkExactlyOnce(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
		f    mcheck.Faults
	}{
		{"msgs=3/loss=2/dup=1", 3, mcheck.Faults{Loss: 2, Duplicate: 1}},
		{"msgs=4/loss=2/dup=1", 4, mcheck.Faults{Loss: 2, Duplicate: 1}},
	} {
		b.Run(c.name, func(b *testing.B) {
			msgs := p.Messages(c.n)
			opt := mcheck.Options{Invariants: []mcheck.Invariant{p.InOrderOnce(msgs)}, Faults: c.f}
			var states, bytes float64
			var secs float64
			cpu0 := cputime.Now()
			for range b.N {
				m := p.ExactlyOnce(msgs, p.Sender{}, p.Receiver{})
				r, err := mcheck.Check(m, opt)
				if err != nil || r.Outcome != mcheck.Passed {
					b.Fatal(r, err)
				}
				states += float64(r.States)
				secs += r.Elapsed.Seconds()
				bytes = r.BytesPerState
			}
			if cpu := cputime.Now() - cpu0; cpu > 0 {
				b.ReportMetric(states/cpu.Seconds(), "states/cpu-s")
			}
			b.ReportMetric(states/secs, "states/s")
			b.ReportMetric(bytes, "bytes/state")
			b.ReportMetric(states/float64(b.N), "states")
		})
	}
}

// BenchmarkExactlyOnceRemote is the 3-message search with the nodes
// behind Serve and Dial (an in-memory pipe): the cost of the wire.
func BenchmarkExactlyOnceRemote(b *testing.B) {
	msgs := p.Messages(3)
	opt := mcheck.Options{Invariants: []mcheck.Invariant{p.InOrderOnce(msgs)}, Faults: mcheck.Faults{Loss: 2, Duplicate: 1}}
	var states float64
	cpu0 := cputime.Now()
	for range b.N {
		a, c := net.Pipe()
		reg := registry(b)
		go mcheck.Serve(a, p.ExactlyOnce(msgs, p.Sender{}, p.Receiver{}), reg)
		remote, err := mcheck.Dial(c, reg, 0)
		if err != nil {
			b.Fatal(err)
		}
		r, err := mcheck.Check(remote, opt)
		if err != nil || r.Outcome != mcheck.Passed {
			b.Fatal(r, err)
		}
		states += float64(r.States)
		remote.Close()
		a.Close()
	}
	if cpu := cputime.Now() - cpu0; cpu > 0 {
		b.ReportMetric(states/cpu.Seconds(), "states/cpu-s")
	}
}
