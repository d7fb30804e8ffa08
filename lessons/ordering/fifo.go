package ordering

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// Data is a message of a FIFO channel: the sender's sequence number (from
// 1) and the payload.
type Data struct {
	Seq     int
	Payload string
}

func (d Data) String() string { return "m" + strconv.Itoa(d.Seq) }

// Ack is the receiver's cumulative acknowledgement: it holds every message
// before Next.
type Ack struct{ Next int }

func (a Ack) String() string { return "ack " + strconv.Itoa(a.Next) }

type sendTick struct{}
type retransmitTick struct{}

// FIFOSender sends Payloads to To, one every Every, numbered 1, 2, 3, ...,
// and every RTO sends again each message not acknowledged yet, until all
// are. Its zero state is ready to run; only the exported configuration
// needs setting.
type FIFOSender struct {
	To       netsim.NodeID
	Payloads []string
	Every    netsim.Time // between first transmissions
	RTO      netsim.Time // retransmission interval

	sent            int // messages sent at least once
	acked           int // messages acknowledged (cumulative)
	rtoArmed        bool
	Retransmissions int // copies sent again after a timeout
}

// Handle implements netsim.Node.
func (s *FIFOSender) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		s.sendNext(ctx)
	case netsim.Timer:
		switch ev.Msg.(type) {
		case sendTick:
			s.sendNext(ctx)
		case retransmitTick:
			s.onTimeout(ctx)
		}
	case netsim.Receive:
		if a, ok := ev.Msg.(Ack); ok {
			s.onAck(a)
		}
	}
}

// sendNext sends the next message for the first time.
func (s *FIFOSender) sendNext(ctx *netsim.Context) {
	if s.sent >= len(s.Payloads) {
		return
	}
	s.sent++
	ctx.Send(s.To, Data{Seq: s.sent, Payload: s.Payloads[s.sent-1]})
	if s.sent < len(s.Payloads) {
		ctx.SetTimer(s.Every, sendTick{})
	}
	s.armRTO(ctx)
}

// onTimeout sends again every message sent but not acknowledged.
func (s *FIFOSender) onTimeout(ctx *netsim.Context) {
	s.rtoArmed = false
	for seq := s.acked + 1; seq <= s.sent; seq++ {
		ctx.Send(s.To, Data{Seq: seq, Payload: s.Payloads[seq-1]})
		s.Retransmissions++
	}
	s.armRTO(ctx)
}

func (s *FIFOSender) onAck(a Ack) {
	if a.Next-1 > s.acked && a.Next-1 <= s.sent {
		s.acked = a.Next - 1
	}
}

func (s *FIFOSender) armRTO(ctx *netsim.Context) {
	if !s.rtoArmed && s.acked < len(s.Payloads) {
		s.rtoArmed = true
		ctx.SetTimer(s.RTO, retransmitTick{})
	}
}

// Done reports whether every payload has been acknowledged.
func (s *FIFOSender) Done() bool { return s.acked == len(s.Payloads) }

// HoldBack is a FIFO receiver's hold-back queue: it delivers messages in
// sequence-number order, each once, holding those that arrive early until
// the gap before them is filled. The zero value expects message 1 first.
type HoldBack struct {
	next int            // sequence number expected next (0 means 1)
	held map[int]string // early arrivals, by sequence number
}

// Add takes one arrival and returns the payloads it makes deliverable, in
// order (none if the message is early or a duplicate). duplicate reports
// an arrival already delivered or already held.
func (h *HoldBack) Add(seq int, payload string) (deliver []string, duplicate bool) {
	if h.next == 0 {
		h.next = 1
	}
	if seq < h.next {
		return nil, true
	}
	if _, dup := h.held[seq]; dup {
		return nil, true
	}
	if seq > h.next {
		if h.held == nil {
			h.held = map[int]string{}
		}
		h.held[seq] = payload
		return nil, false
	}
	deliver = append(deliver, payload)
	h.next++
	for {
		p, ok := h.held[h.next]
		if !ok {
			break
		}
		delete(h.held, h.next)
		deliver = append(deliver, p)
		h.next++
	}
	return deliver, false
}

// Next is the sequence number expected next.
func (h *HoldBack) Next() int { return max(h.next, 1) }

// Held is the number of messages waiting in the queue.
func (h *HoldBack) Held() int { return len(h.held) }

// FIFOReceiver delivers a FIFOSender's payloads in order, each once, and
// acknowledges every arrival with the next sequence number it expects.
type FIFOReceiver struct {
	queue     HoldBack
	Delivered []string
	Arrivals  []int // sequence numbers in the order they arrived, copies included
	Discarded int   // duplicates thrown away
	MaxHeld   int   // largest number of messages held back at once
}

// Handle implements netsim.Node.
func (r *FIFOReceiver) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind != netsim.Receive {
		return
	}
	if d, ok := ev.Msg.(Data); ok {
		r.onData(ctx, ev.From, d)
	}
}

func (r *FIFOReceiver) onData(ctx *netsim.Context, from netsim.NodeID, d Data) {
	r.Arrivals = append(r.Arrivals, d.Seq)
	deliver, dup := r.queue.Add(d.Seq, d.Payload)
	if dup {
		r.Discarded++
	}
	r.Delivered = append(r.Delivered, deliver...)
	r.MaxHeld = max(r.MaxHeld, r.queue.Held())
	ctx.Send(from, Ack{Next: r.queue.Next()})
}

// DeliveredSoFar implements Deliverer.
func (r *FIFOReceiver) DeliveredSoFar() []string { return r.Delivered }

// DeliveriesPerArrival returns, for each arrival of a sequence number at a
// FIFO receiver that expects 1 first, how many messages that arrival
// makes it deliver.
func DeliveriesPerArrival(arrivals []int) []int {
	var h HoldBack
	out := make([]int, len(arrivals))
	for i, s := range arrivals {
		d, _ := h.Add(s, "m"+strconv.Itoa(s))
		out[i] = len(d)
	}
	return out
}

// FIFOConfig describes a FIFO channel experiment: a sender S sends
// Messages payloads (m1, m2, ...) to a receiver R over Link, in both
// directions (acknowledgements suffer the same faults).
type FIFOConfig struct {
	Seed     uint64
	Messages int // 1..200
	Link     netsim.Link
	Every    netsim.Time // time between first transmissions, > 0
	RTO      netsim.Time // retransmission interval, > 0
	Until    netsim.Time // virtual time the run stops, > 0
}

// DefaultFIFO is the lesson's channel: six messages 2 ms apart over a link
// that loses 20%, duplicates 10% and reorders half of the messages, with
// delays of 1–12 ms; retransmission every 30 ms.
func DefaultFIFO() FIFOConfig {
	return FIFOConfig{
		Seed: 1, Messages: 6, Every: 2 * netsim.Millisecond, RTO: 30 * netsim.Millisecond, Until: 2 * netsim.Second,
		Link: netsim.Link{Loss: 0.2, Duplicate: 0.1, Reorder: 0.5, Delay: netsim.Uniform(1*netsim.Millisecond, 12*netsim.Millisecond)},
	}
}

// Validate reports whether c is usable.
func (c FIFOConfig) Validate() error {
	switch {
	case c.Messages < 1 || c.Messages > 200:
		return fmt.Errorf("ordering: %d messages, allowed 1..200", c.Messages)
	case c.Every <= 0 || c.Every > netsim.Minute:
		return fmt.Errorf("ordering: sending interval %v not in (0, 1m]", c.Every)
	case c.RTO <= 0 || c.RTO > netsim.Minute:
		return fmt.Errorf("ordering: retransmission interval %v not in (0, 1m]", c.RTO)
	case c.Until <= 0 || c.Until > 60*netsim.Minute:
		return fmt.Errorf("ordering: run length %v not in (0, 1h]", c.Until)
	case c.Link.Loss >= 1:
		return fmt.Errorf("ordering: loss %v: a link that loses everything never delivers; use a loss below 1", c.Link.Loss)
	}
	if err := c.Link.Validate(); err != nil {
		return fmt.Errorf("ordering: %w", err)
	}
	return nil
}

// FIFORun is the outcome of RunFIFO.
type FIFORun struct {
	Config     FIFOConfig
	Sender     FIFOSender
	Receiver   FIFOReceiver
	Deliveries []Delivery
	Trace      netsim.Trace
	Stats      netsim.Stats
	tracker    *tracker
}

// RunFIFO runs the FIFO channel experiment.
func RunFIFO(c FIFOConfig) (*FIFORun, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	sim, err := netsim.New(netsim.Config{Seed: c.Seed, DefaultLink: c.Link})
	if err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	payloads := make([]string, c.Messages)
	for i := range payloads {
		payloads[i] = "m" + strconv.Itoa(i+1)
	}
	s := &FIFOSender{To: "R", Payloads: payloads, Every: c.Every, RTO: c.RTO}
	r := &FIFOReceiver{}
	t := newTracker()
	if err := sim.AddNode("S", s); err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	if err := sim.AddNode("R", t.wrap(r)); err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	if err := sim.Run(c.Until); err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	return &FIFORun{Config: c, Sender: *s, Receiver: *r, Deliveries: t.all, Trace: sim.Trace(), Stats: sim.Stats(), tracker: t}, nil
}

// String tells the run's story: what arrived, what was delivered, and
// what the channel had to repair.
func (r *FIFORun) String() string {
	var b strings.Builder
	l := r.Config.Link
	fmt.Fprintf(&b, "seed %d: %d messages over a link with loss %g, duplication %g, reordering %g, delay %v\n",
		r.Config.Seed, r.Config.Messages, l.Loss, l.Duplicate, l.Reorder, l.Delay)
	arr := make([]string, len(r.Receiver.Arrivals))
	for i, s := range r.Receiver.Arrivals {
		arr[i] = "m" + strconv.Itoa(s)
	}
	fmt.Fprintf(&b, "arrived at R:   %s\n", strings.Join(arr, " "))
	fmt.Fprintf(&b, "delivered by R: %s\n", strings.Join(r.Receiver.Delivered, " "))
	data, acks := r.Lost()
	fmt.Fprintf(&b, "lost by the network: %d data messages and %d acknowledgements; extra copies made by the network: %d\n", data, acks, r.Stats.Duplicated)
	fmt.Fprintf(&b, "S retransmitted %d messages; R threw away %d copies and held at most %d messages back at once\n",
		r.Sender.Retransmissions, r.Receiver.Discarded, r.Receiver.MaxHeld)
	return b.String()
}

// OutOfOrder counts the arrivals of a new message (not a copy) whose
// sequence number is not the next one expected: each of them had to wait
// in the hold-back queue.
func (r *FIFORun) OutOfOrder() int {
	var h HoldBack
	n := 0
	for _, s := range r.Receiver.Arrivals {
		if s > h.Next() {
			if _, dup := h.held[s]; !dup {
				n++
			}
		}
		h.Add(s, "")
	}
	return n
}

// InOrder reports whether R delivered exactly the payloads sent, each
// once, in the order sent.
func (r *FIFORun) InOrder() bool {
	if len(r.Receiver.Delivered) != len(r.Sender.Payloads) {
		return false
	}
	for i, p := range r.Sender.Payloads {
		if r.Receiver.Delivered[i] != p {
			return false
		}
	}
	return true
}

// Lost counts the data messages and the acknowledgements the network lost.
func (r *FIFORun) Lost() (data, acks int) {
	for _, rec := range r.Trace {
		if rec.Op != netsim.OpDrop || rec.Reason != netsim.DropLoss {
			continue
		}
		switch rec.Msg.(type) {
		case Data:
			data++
		case Ack:
			acks++
		}
	}
	return data, acks
}
