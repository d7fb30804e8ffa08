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
// and then Recv() is closed. Cancelling ctx, or calling Stop, stops the
// link at once: messages in flight are abandoned and Recv() is closed.
// Either way, Done() is closed when the link's goroutine has exited. A
// link whose Send() is closed but whose receiver has gone away waits to
// deliver; Stop it (or cancel ctx) so that its goroutine exits.
//
// # Limits
//
// A link runs one goroutine, however many messages are in flight: they
// wait in a heap ordered by delivery time, served by one timer. Config.Buffer
// is at most MaxBuffer, and at most MaxInFlight messages wait in the heap;
// beyond that the link stops reading Send() until some are delivered, so a
// fast sender blocks instead of exhausting memory.
package live

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/dslessons/course/pkg/netsim"
)

// Limits of a link.
const (
	// MaxBuffer bounds Config.Buffer, the capacity of the Send channel.
	MaxBuffer = 1 << 16
	// MaxInFlight bounds the messages a link holds between Send and
	// delivery.
	MaxInFlight = 1 << 16
)

// Config is the fault model of a live link.
type Config struct {
	Seed      uint64       // seeds loss, duplication and delay choices
	Loss      float64      // probability in [0,1] that a message is lost
	Duplicate float64      // probability in [0,1] that it is delivered twice
	Delay     netsim.Delay // delay distribution (netsim.Const, netsim.Uniform, ...)
	Buffer    int          // capacity of the Send channel, in [0, MaxBuffer]; 0 means 16
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
	in     chan T
	out    chan T
	done   chan struct{}
	cancel context.CancelFunc

	sent, delivered, lost, duplicated, abandoned atomic.Uint64
}

// NewLink starts a link; it runs until ctx is cancelled, Stop is called,
// or Send() is closed and drained.
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
	if cfg.Buffer < 0 || cfg.Buffer > MaxBuffer {
		return nil, fmt.Errorf("live: buffer %d not in [0,%d] (0 means 16)", cfg.Buffer, MaxBuffer)
	}
	if cfg.Buffer == 0 {
		cfg.Buffer = 16
	}
	ctx, cancel := context.WithCancel(ctx)
	l := &Link[T]{
		in:     make(chan T, cfg.Buffer),
		out:    make(chan T),
		done:   make(chan struct{}),
		cancel: cancel,
	}
	go l.pump(ctx, cfg)
	return l, nil
}

// Send is where the sender writes; close it to finish.
func (l *Link[T]) Send() chan<- T { return l.in }

// Recv is where the receiver reads; it is closed when the link stops.
func (l *Link[T]) Recv() <-chan T { return l.out }

// Done is closed once the link's goroutine has exited.
func (l *Link[T]) Done() <-chan struct{} { return l.done }

// Stop stops the link as cancelling its context would: messages in
// flight are abandoned and Recv() is closed. It returns once the link's
// goroutine has exited. Calling it again does nothing.
func (l *Link[T]) Stop() {
	l.cancel()
	<-l.done
}

// Stats returns the counters so far. Safe to call from any goroutine.
func (l *Link[T]) Stats() Stats {
	return Stats{Sent: l.sent.Load(), Delivered: l.delivered.Load(), Lost: l.lost.Load(),
		Duplicated: l.duplicated.Load(), Abandoned: l.abandoned.Load()}
}

// pending is a message waiting for its delivery time.
type pending[T any] struct {
	due time.Time
	seq uint64 // send order, to break ties
	m   T
}

// flight is a min-heap of pending messages by (due, seq).
type flight[T any] []pending[T]

func (f flight[T]) Len() int { return len(f) }
func (f flight[T]) Less(i, j int) bool {
	if !f[i].due.Equal(f[j].due) {
		return f[i].due.Before(f[j].due)
	}
	return f[i].seq < f[j].seq
}
func (f flight[T]) Swap(i, j int) { f[i], f[j] = f[j], f[i] }
func (f *flight[T]) Push(x any)   { *f = append(*f, x.(pending[T])) }
func (f *flight[T]) Pop() any {
	old := *f
	x := old[len(old)-1]
	old[len(old)-1] = pending[T]{} // do not keep the message alive
	*f = old[:len(old)-1]
	return x
}

// pump is the link's only goroutine. It reads Send(), draws each
// message's fate, keeps the survivors in a heap by delivery time, and
// hands each to the receiver when its time has come. Only pump touches
// the random source, so it needs no lock.
func (l *Link[T]) pump(ctx context.Context, cfg Config) {
	defer func() {
		close(l.out)
		close(l.done)
	}()
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5eed))
	var q flight[T]
	var seq uint64
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	timer.Stop()
	in := l.in
	for {
		if in == nil && len(q) == 0 {
			return // Send() closed and everything delivered
		}
		var out chan<- T // nil: nothing is due
		var head T
		var wake <-chan time.Time
		if len(q) > 0 {
			if wait := time.Until(q[0].due); wait <= 0 {
				out, head = l.out, q[0].m
			} else {
				timer.Reset(wait)
				wake = timer.C
			}
		}
		recv := in
		if len(q) >= MaxInFlight {
			recv = nil // back-pressure: the sender waits
		}
		select {
		case <-ctx.Done():
			l.abandoned.Add(uint64(len(q)))
			return
		case m, ok := <-recv:
			if !ok {
				in = nil
				continue
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
			now := time.Now()
			for range copies {
				seq++
				heap.Push(&q, pending[T]{due: now.Add(time.Duration(cfg.Delay.Sample(rng))), seq: seq, m: m})
			}
		case <-wake:
		case out <- head:
			heap.Pop(&q)
			l.delivered.Add(1)
		}
	}
}
