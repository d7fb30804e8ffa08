package ordering

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// Note is a message delivered as soon as it arrives.
type Note struct{ Payload string }

func (n Note) String() string { return n.Payload }

// Announcer sends each of its Payloads to every node of To, one payload
// every Every, the first one After its start.
type Announcer struct {
	To       []netsim.NodeID
	Payloads []string
	After    netsim.Time
	Every    netsim.Time
	sent     int
}

// Handle implements netsim.Node.
func (a *Announcer) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		if len(a.Payloads) > 0 {
			ctx.SetTimer(a.After, sendTick{})
		}
	case netsim.Timer:
		if a.sent >= len(a.Payloads) {
			return
		}
		for _, to := range a.To {
			ctx.Send(to, Note{Payload: a.Payloads[a.sent]})
		}
		a.sent++
		if a.sent < len(a.Payloads) {
			ctx.SetTimer(a.Every, sendTick{})
		}
	}
}

// ArrivalReceiver delivers every Note the moment it arrives: the order of
// arrival is the order it sees.
type ArrivalReceiver struct{ Delivered []string }

// Handle implements netsim.Node.
func (r *ArrivalReceiver) Handle(ctx *netsim.Context, ev netsim.Event) {
	if n, ok := ev.Msg.(Note); ok && ev.Kind == netsim.Receive {
		r.Delivered = append(r.Delivered, n.Payload)
	}
}

// DeliveredSoFar implements Deliverer.
func (r *ArrivalReceiver) DeliveredSoFar() []string { return r.Delivered }

// ReceiversConfig describes two senders, S1 (payloads a1, a2, ...) and S2
// (b1, b2, ...), each sending every payload to two receivers, R1 and R2,
// over FIFO links with variable delay. S2 starts Offset after S1.
type ReceiversConfig struct {
	Seed      uint64
	PerSender int          // 1..20
	Every     netsim.Time  // between one sender's payloads, > 0
	Offset    netsim.Time  // S2's head start behind S1, >= 0
	Delay     netsim.Delay // every link's delay
}

// DefaultReceivers is the lesson's scenario: three payloads per sender,
// 4 ms apart, S2 1 ms behind S1, delays of 1–10 ms.
func DefaultReceivers() ReceiversConfig {
	return ReceiversConfig{Seed: 1, PerSender: 3, Every: 4 * netsim.Millisecond, Offset: 1 * netsim.Millisecond,
		Delay: netsim.Uniform(1*netsim.Millisecond, 10*netsim.Millisecond)}
}

// Validate reports whether c is usable.
func (c ReceiversConfig) Validate() error {
	switch {
	case c.PerSender < 1 || c.PerSender > 20:
		return fmt.Errorf("ordering: %d payloads per sender, allowed 1..20", c.PerSender)
	case c.Every <= 0 || c.Every > netsim.Minute:
		return fmt.Errorf("ordering: sending interval %v not in (0, 1m]", c.Every)
	case c.Offset < 0 || c.Offset > netsim.Minute:
		return fmt.Errorf("ordering: offset %v not in [0, 1m]", c.Offset)
	}
	if err := c.Delay.Validate(); err != nil {
		return fmt.Errorf("ordering: %w", err)
	}
	return nil
}

// ReceiversRun is the outcome of RunReceivers.
type ReceiversRun struct {
	Config     ReceiversConfig
	R1, R2     []string // each receiver's delivery order
	Deliveries []Delivery
	Trace      netsim.Trace
	tracker    *tracker
}

// RunReceivers runs the two-senders, two-receivers scenario.
func RunReceivers(c ReceiversConfig) (*ReceiversRun, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	sim, err := netsim.New(netsim.Config{Seed: c.Seed, DefaultLink: netsim.Link{Delay: c.Delay}})
	if err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	pay := func(prefix string) []string {
		out := make([]string, c.PerSender)
		for i := range out {
			out[i] = prefix + strconv.Itoa(i+1)
		}
		return out
	}
	rcv := []netsim.NodeID{"R1", "R2"}
	r1, r2 := &ArrivalReceiver{}, &ArrivalReceiver{}
	t := newTracker()
	for _, n := range []struct {
		id   netsim.NodeID
		node netsim.Node
	}{
		{"R1", t.wrap(r1)},
		{"S1", &Announcer{To: rcv, Payloads: pay("a"), Every: c.Every}},
		{"S2", &Announcer{To: rcv, Payloads: pay("b"), After: c.Offset, Every: c.Every}},
		{"R2", t.wrap(r2)},
	} {
		if err := sim.AddNode(n.id, n.node); err != nil {
			return nil, fmt.Errorf("ordering: %w", err)
		}
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	return &ReceiversRun{Config: c, R1: r1.Delivered, R2: r2.Delivered, Deliveries: t.all, Trace: sim.Trace(), tracker: t}, nil
}

// Disagreements is the number of pairs of payloads that R1 and R2 see in
// opposite orders.
func (r *ReceiversRun) Disagreements() int { return Inversions(r.R1, r.R2) }

// String prints both receivers' orders and how far they disagree.
func (r *ReceiversRun) String() string {
	n := len(r.R1)
	return fmt.Sprintf("seed %d\nR1 delivers: %s\nR2 delivers: %s\npairs in opposite order: %d of %d\n",
		r.Config.Seed, strings.Join(r.R1, " "), strings.Join(r.R2, " "), r.Disagreements(), n*(n-1)/2)
}

// SenderOrderKept reports whether both receivers delivered each sender's
// payloads in the order that sender sent them (a1 before a2 ...).
func (r *ReceiversRun) SenderOrderKept() bool {
	for _, order := range [][]string{r.R1, r.R2} {
		last := map[byte]int{}
		for _, p := range order {
			k, err := strconv.Atoi(p[1:])
			if err != nil || k <= last[p[0]] {
				return false
			}
			last[p[0]] = k
		}
	}
	return true
}

// ReceiverSurvey runs the scenario for seeds first..first+runs-1 and
// returns in how many runs the two receivers disagree on at least one pair.
func ReceiverSurvey(c ReceiversConfig, first uint64, runs int) (disagree int, err error) {
	if runs < 1 || runs > 10000 {
		return 0, fmt.Errorf("ordering: %d runs, allowed 1..10000", runs)
	}
	for i := range runs {
		c.Seed = first + uint64(i)
		r, err := RunReceivers(c)
		if err != nil {
			return 0, err
		}
		if r.Disagreements() > 0 {
			disagree++
		}
	}
	return disagree, nil
}
