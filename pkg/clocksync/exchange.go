package clocksync

import (
	"fmt"
	"time"

	"github.com/dslessons/course/pkg/internal/sat"
)

// MaxTime bounds the timestamps of an exchange and the offsets given to
// Berkeley: 2^62−1 ns, about 146 years. Within ±MaxTime the difference of
// two values always fits in a Duration, so no formula can come out with
// the wrong sign; beyond it, Validate and Berkeley report an error.
const MaxTime = time.Duration(1<<62 - 1)

// Exchange is the four timestamps of one NTP request and response:
// T1 and T4 are read on the client's clock, T2 and T3 on the server's.
type Exchange struct {
	T1 time.Duration // client sends the request
	T2 time.Duration // server receives it
	T3 time.Duration // server sends the response
	T4 time.Duration // client receives it
}

// Offset is θ = ((T2−T1)+(T3−T4))/2, the estimate of server clock minus
// client clock: add it to the client's clock to agree with the server.
//
// For timestamps beyond ±MaxTime (which Validate rejects) the differences
// saturate rather than wrap.
func (e Exchange) Offset() time.Duration {
	return halfSum(sat.Sub(e.T2, e.T1), sat.Sub(e.T3, e.T4))
}

// Delay is δ = (T4−T1)−(T3−T2), the round trip minus the server's
// processing time: the time the two messages spent in the network.
func (e Exchange) Delay() time.Duration {
	return sat.Sub(sat.Sub(e.T4, e.T1), sat.Sub(e.T3, e.T2))
}

// ErrorBound is δ/2, the most by which Offset can be wrong if the clocks
// do not drift during the exchange: the true offset lies in
// [Offset−δ/2, Offset+δ/2] whatever the split of δ between the two
// directions.
func (e Exchange) ErrorBound() time.Duration { return halfSum(e.Delay(), 1) }

// Validate reports timestamps that no real exchange can produce: a reply
// received before the request was sent, or sent before it was received.
func (e Exchange) Validate() error {
	for i, t := range []time.Duration{e.T1, e.T2, e.T3, e.T4} {
		if t < -MaxTime || t > MaxTime {
			return fmt.Errorf("clocksync: T%d %v not within ±%v (MaxTime)", i+1, t, MaxTime)
		}
	}
	if e.T4 < e.T1 {
		return fmt.Errorf("clocksync: T4 %v before T1 %v: the reply arrived before the request left", e.T4, e.T1)
	}
	if e.T3 < e.T2 {
		return fmt.Errorf("clocksync: T3 %v before T2 %v: the server replied before it received the request", e.T3, e.T2)
	}
	if e.Delay() < 0 {
		return fmt.Errorf("clocksync: negative delay %v: the server took longer than the round trip", e.Delay())
	}
	return nil
}

func (e Exchange) String() string {
	return fmt.Sprintf("T1=%v T2=%v T3=%v T4=%v offset=%v delay=%v", e.T1, e.T2, e.T3, e.T4, e.Offset(), e.Delay())
}

// Cristian is one round of Cristian's method: the client notes its clock
// when it sends the request (Sent) and when the reply arrives (Received);
// the reply carries the server's clock (Server).
type Cristian struct {
	Sent, Server, Received time.Duration
}

// RTT is the round trip measured on the client's clock.
func (c Cristian) RTT() time.Duration { return sat.Sub(c.Received, c.Sent) }

// Estimate is Server + RTT/2: what the server's clock probably reads at
// the moment the reply arrives.
func (c Cristian) Estimate() time.Duration { return sat.Add(c.Server, c.RTT()/2) }

// Offset is Estimate − Received, the correction to apply to the client.
func (c Cristian) Offset() time.Duration { return sat.Sub(c.Estimate(), c.Received) }

// ErrorBound is RTT/2 − minDelay: Cristian's bound, given that no message
// takes less than minDelay one way.
func (c Cristian) ErrorBound(minDelay time.Duration) time.Duration {
	return max(0, sat.Sub(halfSum(c.RTT(), 1), minDelay))
}

// Validate rejects a reply that arrived before the request left, and
// readings beyond ±MaxTime.
func (c Cristian) Validate() error {
	for _, t := range []time.Duration{c.Sent, c.Server, c.Received} {
		if t < -MaxTime || t > MaxTime {
			return fmt.Errorf("clocksync: reading %v not within ±%v (MaxTime)", t, MaxTime)
		}
	}
	if c.Received < c.Sent {
		return fmt.Errorf("clocksync: reply received at %v before the request was sent at %v", c.Received, c.Sent)
	}
	return nil
}

// Clock is anything that can be read at a true time, such as a
// physclock.Wall.
type Clock interface {
	Read(t time.Duration) time.Duration
}

// Simulate runs one NTP exchange in virtual time without a network: the
// client sends at true time at, the request takes forward, the server
// spends processing, the reply takes back. All three must be ≥ 0.
func Simulate(client, server Clock, at, forward, processing, back time.Duration) (Exchange, error) {
	if client == nil || server == nil {
		return Exchange{}, fmt.Errorf("clocksync: Simulate needs two clocks")
	}
	if forward < 0 || processing < 0 || back < 0 {
		return Exchange{}, fmt.Errorf("clocksync: delays must be ≥ 0, got forward %v, processing %v, back %v", forward, processing, back)
	}
	var e Exchange
	e.T1 = client.Read(at)
	e.T2 = server.Read(at + forward)
	e.T3 = server.Read(at + forward + processing)
	e.T4 = client.Read(at + forward + processing + back)
	return e, nil
}

// halfSum is (a+b)/2, truncated towards zero, without overflowing: when a
// and b have the same sign their halves are added (exact, since the
// remainders share that sign); otherwise a+b cannot overflow.
func halfSum(a, b time.Duration) time.Duration {
	if (a >= 0) == (b >= 0) {
		return a/2 + b/2 + (a%2+b%2)/2
	}
	return (a + b) / 2
}
