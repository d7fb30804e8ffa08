package netsim

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// Link is the fault model of one directed link (from -> to). The zero
// Link is a perfect link: no loss, zero delay, FIFO, infinite bandwidth.
//
// What happens to a message sent at time t, in order:
//  1. Bandwidth: if Bandwidth > 0 the message waits in a FIFO queue behind
//     earlier messages on the link and then takes size/Bandwidth seconds
//     to transmit (see Sizer). With QueueLimit > 0, a message that finds
//     QueueLimit messages already waiting or transmitting is dropped
//     (reason "queue").
//  2. Loss: with probability Loss the message is dropped (reason "loss").
//  3. Delay: a propagation delay is drawn from Delay.
//  4. Order: links are FIFO, so the message arrives no earlier than the
//     previous message on the link; with probability Reorder it skips
//     that rule and keeps its own drawn delay, so it may overtake or be
//     overtaken. Reordering needs a variable Delay.
//  5. Duplication: with probability Duplicate a second copy is delivered,
//     with its own drawn delay and not bound by FIFO.
type Link struct {
	Loss       float64 // probability in [0,1] that a message is lost
	Duplicate  float64 // probability in [0,1] that a message is delivered twice
	Reorder    float64 // probability in [0,1] that a message ignores FIFO order
	Delay      Delay   // propagation delay distribution
	Bandwidth  float64 // bytes per second; 0 means unlimited (no queueing)
	QueueLimit int     // max messages queued or in transmission; 0 means unlimited
}

// Validate checks that probabilities are in [0,1], the delay is valid,
// and bandwidth and queue limit are finite and not negative.
func (l Link) Validate() error {
	for _, p := range []struct {
		name string
		v    float64
	}{{"loss", l.Loss}, {"duplicate", l.Duplicate}, {"reorder", l.Reorder}} {
		if !(p.v >= 0 && p.v <= 1) { // also catches NaN
			return errorf("%s probability %v not in [0,1]", p.name, p.v)
		}
	}
	if err := l.Delay.Validate(); err != nil {
		return err
	}
	if !(l.Bandwidth >= 0) || math.IsInf(l.Bandwidth, 0) {
		return errorf("bandwidth %v bytes/s invalid: want a finite number >= 0 (0 means unlimited)", l.Bandwidth)
	}
	if l.QueueLimit < 0 {
		return errorf("queue limit %d is negative: want >= 0 (0 means unlimited)", l.QueueLimit)
	}
	return nil
}

// Sizer is implemented by messages that know their size in bytes. Sizes
// matter only on links with a Bandwidth. A string or []byte message has
// size len(msg); any other message that is not a Sizer counts as 1 byte.
type Sizer interface {
	Size() int
}

func msgSize(msg any) int {
	switch m := msg.(type) {
	case Sizer:
		return max(m.Size(), 0)
	case string:
		return len(m)
	case []byte:
		return len(m)
	}
	return 1
}

// linkState is a Link plus its own random stream and queue state.
type linkState struct {
	Link
	pcg         *rand.PCG  // the link's stream
	rng         *rand.Rand // the same stream, for Delay.Sample
	lastArrival Time       // arrival time of the last FIFO message
	busyUntil   Time       // when the transmitter becomes free
	inQueue     []Time     // transmit-end times of queued messages (QueueLimit > 0 only)
	cut         bool       // blocked by a partition or cut
	lane        int32      // the event-queue lane of its FIFO deliveries
}

// float64 is rng.Float64 without the interface call (same stream, same
// values).
func (ls *linkState) float64() float64 {
	return float64(ls.pcg.Uint64()<<11>>11) / (1 << 53)
}

// sample draws a delay. The two most common distributions are drawn
// directly from the PCG; the values are the same as Delay.Sample(rng)
// would give, since rng reads the same PCG with the same algorithm.
func (ls *linkState) sample() Time {
	d := &ls.Delay
	switch {
	case d.kind == delayConst:
		return clampDelay(d.a)
	case d.kind == delayUniform && d.a < d.b && d.a >= 0 && d.b <= maxDelay:
		return d.a + Time(uint64n(ls.pcg, uint64(d.b-d.a)+1))
	}
	return d.Sample(ls.rng)
}

// uint64n is math/rand/v2's Rand.Uint64N algorithm (Lemire's
// multiply-shift with rejection) on a PCG.
func uint64n(p *rand.PCG, n uint64) uint64 {
	if n&(n-1) == 0 {
		return p.Uint64() & (n - 1)
	}
	hi, lo := bits.Mul64(p.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(p.Uint64(), n)
		}
	}
	return hi
}
