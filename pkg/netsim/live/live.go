// Package live is the real-time companion of netsim: a lossy, delaying
// link between goroutines, built from channels, for demos of what
// "the network" looks like to concurrent Go code.
//
// Unlike netsim it uses the wall clock and the Go scheduler, so runs are
// NOT reproducible: delivery order depends on timers and scheduling (the
// random choices of loss and delay are seeded, but which message wins a
// race is not). Use netsim for experiments, tests and plots; use live to
// show the same faults with goroutines, channels, select and
// context.Context.
//
// # Usage
//
//	ctx, cancel := context.WithCancel(context.Background())
//	defer cancel()
//	link, err := live.NewLink[string](ctx, live.Config{
//		Seed:  1,
//		Loss:  0.2,
//		Delay: netsim.Uniform(netsim.Millisecond, 5*netsim.Millisecond),
//	})
//	if err != nil { ... }
//	link.Send() <- "hello"          // never blocks for long: the link buffers
//	select {
//	case m := <-link.Recv():        // arrives after its delay, if not lost
//		fmt.Println(m)
//	case <-time.After(50 * time.Millisecond):
//		fmt.Println("timeout")      // lost, or just slow? You cannot tell.
//	}
//
// Senders that may outlive the link should select on ctx.Done() as well
// as on Send(), as the example does; a cancelled link stops reading.
// Closing Send() flushes the link: messages in flight are still delivered
// and then Recv() is closed. Cancelling ctx stops the link at once:
// messages in flight are abandoned and Recv() is closed. Either way, Done()
// is closed when every goroutine of the link has exited.
package live

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dslessons/course/pkg/netsim"
)

// Config is the fault model of a live link.
type Config struct {
	Seed      uint64       // seeds loss, duplication and delay choices
	Loss      float64      // probability in [0,1] that a message is lost
	Duplicate float64      // probability in [0,1] that it is delivered twice
	Delay     netsim.Delay // delay distribution (netsim.Const, netsim.Uniform, ...)
	Buffer    int          // capacity of the Send channel; 0 means 16
}

// Stats counts what a link did so far.
type Stats struct {
	Sent, Delivered, Lost, Duplicated, Abandoned uint64
}

func (s Stats) String() string {
	return fmt.Sprintf("sent=%d delivered=%d lost=%d duplicated=%d abandoned=%d",
		s.Sent, s.Delivered, s.Lost, s.Duplicated, s.Abandoned)
}

// Link is a one-way lossy link carrying values of type T.
type Link[T any] struct {
	in   chan T
	out  chan T
	done chan struct{}

	sent, delivered, lost, duplicated, abandoned atomic.Uint64
}

// NewLink starts a link; it runs until ctx is cancelled or Send() is
// closed and drained.
func NewLink[T any](ctx context.Context, cfg Config) (*Link[T], error) {
	if ctx == nil {
		return nil, errors.New("live: nil context")
	}
	for _, p := range []struct {
		name string
		v    float64
	}{{"loss", cfg.Loss}, {"duplicate", cfg.Duplicate}} {
		if !(p.v >= 0 && p.v <= 1) {
			return nil, fmt.Errorf("live: %s probability %v not in [0,1]", p.name, p.v)
		}
	}
	if err := cfg.Delay.Validate(); err != nil {
		return nil, fmt.Errorf("live: %w", err)
	}
	if cfg.Buffer < 0 {
		return nil, fmt.Errorf("live: buffer %d is negative: want >= 0", cfg.Buffer)
	}
	if cfg.Buffer == 0 {
		cfg.Buffer = 16
	}
	l := &Link[T]{
		in:   make(chan T, cfg.Buffer),
		out:  make(chan T),
		done: make(chan struct{}),
	}
	go l.pump(ctx, cfg)
	return l, nil
}

// Send is where the sender writes; close it to finish.
func (l *Link[T]) Send() chan<- T { return l.in }

// Recv is where the receiver reads; it is closed when the link stops.
func (l *Link[T]) Recv() <-chan T { return l.out }

// Done is closed once all of the link's goroutines have exited.
func (l *Link[T]) Done() <-chan struct{} { return l.done }

// Stats returns the counters so far. Safe to call from any goroutine.
func (l *Link[T]) Stats() Stats {
	return Stats{Sent: l.sent.Load(), Delivered: l.delivered.Load(), Lost: l.lost.Load(),
		Duplicated: l.duplicated.Load(), Abandoned: l.abandoned.Load()}
}

// pump reads from in and starts one delivery goroutine per surviving
// copy. Only pump touches the random source, so it needs no lock.
func (l *Link[T]) pump(ctx context.Context, cfg Config) {
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5eed))
	var wg sync.WaitGroup
	defer func() {
		wg.Wait() // every delivery goroutine has delivered or given up
		close(l.out)
		close(l.done)
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case m, ok := <-l.in:
			if !ok {
				return
			}
			l.sent.Add(1)
			if rng.Float64() < cfg.Loss {
				l.lost.Add(1)
				continue
			}
			copies := 1
			if rng.Float64() < cfg.Duplicate {
				copies = 2
				l.duplicated.Add(1)
			}
			for range copies {
				d := time.Duration(cfg.Delay.Sample(rng))
				wg.Add(1)
				go l.deliver(ctx, &wg, m, d)
			}
		}
	}
}

// deliver waits d, then hands m to the receiver, unless ctx is cancelled
// first.
func (l *Link[T]) deliver(ctx context.Context, wg *sync.WaitGroup, m T, d time.Duration) {
	defer wg.Done()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		l.abandoned.Add(1)
		return
	}
	select {
	case l.out <- m:
		l.delivered.Add(1)
	case <-ctx.Done():
		l.abandoned.Add(1)
	}
}
