package ordering

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// Stamped is a message stamped with its sender's wall clock.
type Stamped struct {
	Payload string
	Seq     int // position in the true (real-time) send order, from 0; for measuring only
	From    int // sender index, the tie-break
	Stamp   netsim.Time
}

func (m Stamped) String() string { return m.Payload }

// stampLess is the order a receiver uses: by timestamp, ties by sender.
func stampLess(a, b Stamped) bool {
	if a.Stamp != b.Stamp {
		return a.Stamp < b.Stamp
	}
	return a.From < b.From
}

// Planned is one message a ClockSender sends, at a true (simulated) time.
type Planned struct {
	At      netsim.Time
	Seq     int
	Payload string
}

// ClockSender sends each planned message to every receiver at its planned
// time, stamped with its own wall clock: the simulator's true time plus
// Offset, the clock's error.
type ClockSender struct {
	Self   int
	To     []netsim.NodeID
	Offset netsim.Time
	Plan   []Planned // in time order
	next   int
}

// Handle implements netsim.Node.
func (s *ClockSender) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		s.arm(ctx)
	case netsim.Timer:
		if s.next >= len(s.Plan) {
			return
		}
		p := s.Plan[s.next]
		s.next++
		m := Stamped{Payload: p.Payload, Seq: p.Seq, From: s.Self, Stamp: ctx.Now() + s.Offset}
		for _, to := range s.To {
			ctx.Send(to, m)
		}
		s.arm(ctx)
	}
}

func (s *ClockSender) arm(ctx *netsim.Context) {
	if s.next < len(s.Plan) {
		ctx.SetTimer(max(0, s.Plan[s.next].At-ctx.Now()), sendTick{})
	}
}

type deadline struct{}

// ClockReceiver delivers Stamped messages in timestamp order (ties by
// sender). With a hold-back time H it holds each message until its own
// clock (true time + Offset) reads the message's stamp + H, so that every
// message with a smaller stamp has arrived by then if H covers the
// largest delay plus the largest difference between two clocks. With
// OnArrival it delivers each message the moment it arrives.
type ClockReceiver struct {
	Offset    netsim.Time
	Hold      netsim.Time
	OnArrival bool
	held      []Stamped // sorted by stampLess
	Delivered []string
	Seqs      []int // the delivered messages' true send positions
	inStamp   bool  // every delivery so far in timestamp order
	last      Stamped
}

// Handle implements netsim.Node.
func (r *ClockReceiver) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Receive:
		m, ok := ev.Msg.(Stamped)
		if !ok {
			return
		}
		if r.OnArrival {
			r.deliver(m)
			return
		}
		r.held = insertSorted(r.held, m, stampLess)
		ctx.SetTimer(max(0, m.Stamp+r.Hold-(ctx.Now()+r.Offset)), deadline{})
	case netsim.Timer:
		local := ctx.Now() + r.Offset
		for len(r.held) > 0 && r.held[0].Stamp+r.Hold <= local {
			r.deliver(r.held[0])
			r.held = r.held[1:]
		}
	}
}

func (r *ClockReceiver) deliver(m Stamped) {
	if len(r.Delivered) == 0 {
		r.inStamp = true
	} else if stampLess(m, r.last) {
		r.inStamp = false
	}
	r.last = m
	r.Delivered = append(r.Delivered, m.Payload)
	r.Seqs = append(r.Seqs, m.Seq)
}

// InStampOrder reports whether every delivery so far came in (timestamp,
// sender) order.
func (r *ClockReceiver) InStampOrder() bool { return r.inStamp || len(r.Delivered) == 0 }

// DeliveredSoFar implements Deliverer.
func (r *ClockReceiver) DeliveredSoFar() []string { return r.Delivered }

// Misordered counts the delivered messages that came out ahead of a
// message sent before them in real time (seqs are true send positions in
// delivery order).
func Misordered(seqs []int) int {
	n, least := 0, math.MaxInt
	for i := len(seqs) - 1; i >= 0; i-- {
		if least < seqs[i] {
			n++
		}
		least = min(least, seqs[i])
	}
	return n
}

// ClockOrderConfig describes ordering by synchronised clocks: Senders
// nodes send Messages messages in all, each to every one of Receivers
// nodes, stamped with their wall clocks. Every clock (senders' and
// receivers') is off true time by a fixed amount drawn uniformly from
// [−ClockError, +ClockError]. The messages leave at Rate per second in
// all, each from a sender picked at random: as a Poisson process
// (independent senders), or Paced exactly 1/Rate apart (a global schedule).
type ClockOrderConfig struct {
	Seed       uint64
	Senders    int         // 2..16
	Receivers  int         // 1..4
	ClockError netsim.Time // ε, in [0, 1s]
	Rate       float64     // messages per second, all senders together, in (0, 1e6]
	Paced      bool
	Messages   int          // 1..100000
	Delay      netsim.Delay // every link's delay
	MaxDelay   netsim.Time  // the largest delay, which receivers assume
	// Hold is how long receivers hold a message past its stamp; 0 means
	// the safe value MaxDelay + 2·ClockError. OnArrival delivers at once.
	Hold      netsim.Time
	OnArrival bool
	Trace     bool // keep the trace (small runs only)
}

// DefaultClockOrder is the lesson's system: four senders, two receivers,
// clocks within ±1 ms, 200 messages a second (Poisson), delays 1–5 ms.
func DefaultClockOrder() ClockOrderConfig {
	return ClockOrderConfig{Seed: 1, Senders: 4, Receivers: 2, ClockError: netsim.Millisecond, Rate: 200, Messages: 2000,
		Delay: netsim.Uniform(1*netsim.Millisecond, 5*netsim.Millisecond), MaxDelay: 5 * netsim.Millisecond}
}

// Validate reports whether c is usable.
func (c ClockOrderConfig) Validate() error {
	switch {
	case c.Senders < 2 || c.Senders > 16:
		return fmt.Errorf("ordering: %d senders, allowed 2..16", c.Senders)
	case c.Receivers < 1 || c.Receivers > 4:
		return fmt.Errorf("ordering: %d receivers, allowed 1..4", c.Receivers)
	case c.ClockError < 0 || c.ClockError > netsim.Second:
		return fmt.Errorf("ordering: clock error %v not in [0, 1s]", c.ClockError)
	case math.IsNaN(c.Rate) || c.Rate <= 0 || c.Rate > 1e6:
		return fmt.Errorf("ordering: message rate %v per second not in (0, 1e6]", c.Rate)
	case c.Messages < 1 || c.Messages > 100000:
		return fmt.Errorf("ordering: %d messages, allowed 1..100000", c.Messages)
	case c.MaxDelay < 0 || c.MaxDelay > netsim.Minute:
		return fmt.Errorf("ordering: delay bound %v not in [0, 1m]", c.MaxDelay)
	case c.Hold < 0 || c.Hold > netsim.Minute:
		return fmt.Errorf("ordering: hold-back time %v not in [0, 1m]", c.Hold)
	case float64(c.Messages)/c.Rate > 3600:
		return fmt.Errorf("ordering: %d messages at %v per second last over an hour; send fewer or faster", c.Messages, c.Rate)
	case c.Trace && c.Messages > 200:
		return fmt.Errorf("ordering: a trace of %d messages is too long to draw; trace at most 200", c.Messages)
	}
	if err := c.Delay.Validate(); err != nil {
		return fmt.Errorf("ordering: %w", err)
	}
	return nil
}

// SafeHold is the hold-back time the receivers use: Hold, or MaxDelay +
// 2·ClockError when Hold is 0.
func (c ClockOrderConfig) SafeHold() netsim.Time {
	if c.Hold > 0 {
		return c.Hold
	}
	return c.MaxDelay + 2*c.ClockError
}

// ClockOrderRun is the outcome of RunClockOrder.
type ClockOrderRun struct {
	Config          ClockOrderConfig
	SenderOffsets   []netsim.Time
	ReceiverOffsets []netsim.Time
	Orders          [][]string // each receiver's delivery order
	Seqs            [][]int    // the same, as true send positions
	Misordered      []int      // per receiver, see Misordered
	InStampOrder    []bool     // per receiver: delivered in (timestamp, sender) order
	Deliveries      []Delivery // when traced
	Trace           netsim.Trace
	tracker         *tracker
}

// Spread is D, the largest difference between two senders' clocks: two
// messages sent further apart than D always get timestamps in the right
// order.
func (r *ClockOrderRun) Spread() netsim.Time {
	return slices.Max(r.SenderOffsets) - slices.Min(r.SenderOffsets)
}

// MeanExcess is K, the average over ordered pairs of senders (i, j) of
// max(0, offset i − offset j): for a message rate λ well below 1/K, about
// λ·K of the messages overtake the message sent just before them.
func (r *ClockOrderRun) MeanExcess() float64 {
	s := 0.0
	for _, a := range r.SenderOffsets {
		for _, b := range r.SenderOffsets {
			s += float64(max(0, a-b))
		}
	}
	n := float64(len(r.SenderOffsets))
	return s / (n * n)
}

// MisorderedFraction is the fraction of deliveries, over all receivers,
// that came out ahead of a message sent earlier.
func (r *ClockOrderRun) MisorderedFraction() float64 {
	n, d := 0, 0
	for i, m := range r.Misordered {
		n += m
		d += len(r.Seqs[i])
	}
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// Agree reports whether every receiver delivered the same messages in the
// same order.
func (r *ClockOrderRun) Agree() bool {
	for _, o := range r.Orders[1:] {
		if !slices.Equal(o, r.Orders[0]) {
			return false
		}
	}
	return true
}

// String summarises the run.
func (r *ClockOrderRun) String() string {
	c := r.Config
	var b strings.Builder
	mode := "Poisson (independent senders)"
	if c.Paced {
		mode = "paced (exactly 1/rate apart)"
	}
	fmt.Fprintf(&b, "seed %d: %d senders, %d receivers, %d messages at %g/s %s, clocks within ±%s\n",
		c.Seed, c.Senders, c.Receivers, c.Messages, c.Rate, mode, Duration(c.ClockError))
	offs := make([]string, len(r.SenderOffsets))
	for i, o := range r.SenderOffsets {
		offs[i] = fmt.Sprintf("S%d %+.3f ms", i+1, float64(o)/1e6)
	}
	fmt.Fprintf(&b, "sender clock errors: %s (largest difference D = %.3f ms)\n", strings.Join(offs, ", "), float64(r.Spread())/1e6)
	if c.OnArrival {
		fmt.Fprintf(&b, "receivers deliver on arrival\n")
	} else {
		fmt.Fprintf(&b, "receivers hold each message until their clock reads stamp + %s\n", Duration(c.SafeHold()))
	}
	for i, m := range r.Misordered {
		fmt.Fprintf(&b, "R%d: %d of %d messages delivered ahead of one sent earlier (%.2f%%)\n", i+1, m, len(r.Seqs[i]), 100*float64(m)/float64(max(1, len(r.Seqs[i]))))
	}
	agree := "yes"
	if !r.Agree() {
		agree = fmt.Sprintf("no (%d pairs in opposite order at R1 and R2)", Inversions(r.Orders[0], r.Orders[min(1, len(r.Orders)-1)]))
	}
	fmt.Fprintf(&b, "all receivers deliver the same order: %s\n", agree)
	return b.String()
}

// RunClockOrder runs the experiment.
func RunClockOrder(c ClockOrderConfig) (*ClockOrderRun, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(c.Seed, 0x636c6f636b73)) // "clocks"
	offset := func() netsim.Time {
		return netsim.Time(math.Round((2*rng.Float64() - 1) * float64(c.ClockError)))
	}
	sOff := make([]netsim.Time, c.Senders)
	for i := range sOff {
		sOff[i] = offset()
	}
	rOff := make([]netsim.Time, c.Receivers)
	for i := range rOff {
		rOff[i] = offset()
	}
	plans := make([][]Planned, c.Senders)
	t := float64(netsim.Millisecond)
	gap := 1e9 / c.Rate // ns
	for i := range c.Messages {
		if c.Paced {
			t = float64(netsim.Millisecond) + float64(i)*gap
		} else {
			t += rng.ExpFloat64() * gap
		}
		s := rng.IntN(c.Senders)
		plans[s] = append(plans[s], Planned{At: netsim.Time(math.Round(t)), Seq: i, Payload: "m" + strconv.Itoa(i+1)})
	}
	return runClock(c, sOff, rOff, plans)
}

func runClock(c ClockOrderConfig, sOff, rOff []netsim.Time, plans [][]Planned) (*ClockOrderRun, error) {
	sim, err := netsim.New(netsim.Config{Seed: c.Seed, DefaultLink: netsim.Link{Delay: c.Delay}, NoTrace: !c.Trace})
	if err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	rcv := make([]netsim.NodeID, len(rOff))
	for i := range rcv {
		rcv[i] = netsim.NodeID("R" + strconv.Itoa(i+1))
	}
	tr := newTracker()
	for i := range sOff {
		s := &ClockSender{Self: i, To: rcv, Offset: sOff[i], Plan: plans[i]}
		if err := sim.AddNode(netsim.NodeID("S"+strconv.Itoa(i+1)), s); err != nil {
			return nil, fmt.Errorf("ordering: %w", err)
		}
	}
	receivers := make([]*ClockReceiver, len(rOff))
	for i := range receivers {
		receivers[i] = &ClockReceiver{Offset: rOff[i], Hold: c.SafeHold(), OnArrival: c.OnArrival}
		var n netsim.Node = receivers[i]
		if c.Trace {
			n = tr.wrap(receivers[i])
		}
		if err := sim.AddNode(rcv[i], n); err != nil {
			return nil, fmt.Errorf("ordering: %w", err)
		}
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return nil, fmt.Errorf("ordering: %w", err)
	}
	r := &ClockOrderRun{Config: c, SenderOffsets: sOff, ReceiverOffsets: rOff, Deliveries: tr.all, tracker: tr}
	if c.Trace {
		r.Trace = sim.Trace()
	}
	for _, rc := range receivers {
		r.Orders = append(r.Orders, rc.Delivered)
		r.Seqs = append(r.Seqs, rc.Seqs)
		r.Misordered = append(r.Misordered, Misordered(rc.Seqs))
		r.InStampOrder = append(r.InStampOrder, rc.InStampOrder())
	}
	return r, nil
}

// RatePoint is one point of RateSweep.
type RatePoint struct {
	Rate       float64     // messages per second
	ClockError netsim.Time // ε
	Misordered float64     // fraction of deliveries ahead of an earlier message
	Estimate   float64     // λ·K, the first-order estimate
	Agree      bool        // all receivers delivered the same order
}

// RateResult is the outcome of RateSweep.
type RateResult struct {
	Config ClockOrderConfig
	Points []RatePoint
	// The senders' clocks as multiples of ε (the same at every point):
	// D, the largest difference between two, and K, the mean of
	// max(0, offset i − offset j) over ordered pairs.
	DOverEps, KOverEps float64
}

// RateSweep runs c (Poisson senders) for every clock error and rate. The
// clocks' errors are the same multiples of ε at every point (same seed).
func RateSweep(c ClockOrderConfig, errs []netsim.Time, rates []float64) (*RateResult, error) {
	if len(errs)*len(rates) == 0 || len(errs)*len(rates) > 200 {
		return nil, fmt.Errorf("ordering: %d×%d sweep points, allowed 1..200", len(errs), len(rates))
	}
	c.Paced, c.Trace = false, false
	res := &RateResult{Config: c}
	for _, e := range errs {
		if e <= 0 {
			return nil, fmt.Errorf("ordering: clock error %v: a rate sweep needs errors > 0", e)
		}
		for _, rate := range rates {
			c.ClockError, c.Rate = e, rate
			r, err := RunClockOrder(c)
			if err != nil {
				return nil, err
			}
			res.Points = append(res.Points, RatePoint{Rate: rate, ClockError: e, Misordered: r.MisorderedFraction(),
				Estimate: rate * r.MeanExcess() / 1e9, Agree: r.Agree()})
			res.DOverEps, res.KOverEps = float64(r.Spread())/float64(e), r.MeanExcess()/float64(e)
		}
	}
	return res, nil
}

// String names the sweep and the clocks.
func (r *RateResult) String() string {
	agree := true
	for _, p := range r.Points {
		agree = agree && p.Agree
	}
	return fmt.Sprintf("seed %d: %d senders, %d messages per point; clocks: D = %.2f ε, K = %.2f ε; receivers agree at every point: %v\n",
		r.Config.Seed, r.Config.Senders, r.Config.Messages, r.DOverEps, r.KOverEps, agree)
}

// GapPoint is one point of GapSweep: messages a mean Gap apart, as a
// multiple Ratio of the clock error ε.
type GapPoint struct {
	Ratio   float64
	Gap     netsim.Time
	Poisson float64 // misordered fraction with independent senders (mean gap)
	Paced   float64 // misordered fraction with messages exactly Gap apart
}

// GapResult is the outcome of GapSweep.
type GapResult struct {
	Config ClockOrderConfig
	Spread netsim.Time // D of the drawn clocks
	Points []GapPoint
}

// GapSweep runs c with messages a mean gap of ratio·ε apart, Poisson and
// paced, for each ratio (in (0, 100]).
func GapSweep(c ClockOrderConfig, ratios []float64) (*GapResult, error) {
	if len(ratios) == 0 || len(ratios) > 200 {
		return nil, fmt.Errorf("ordering: %d gaps, allowed 1..200", len(ratios))
	}
	if c.ClockError <= 0 {
		return nil, fmt.Errorf("ordering: a gap sweep needs a clock error > 0")
	}
	c.Trace = false
	res := &GapResult{Config: c}
	for _, x := range ratios {
		if math.IsNaN(x) || x <= 0 || x > 100 {
			return nil, fmt.Errorf("ordering: gap ratio %v not in (0, 100]", x)
		}
		gap := x * float64(c.ClockError)
		c.Rate = 1e9 / gap
		pt := GapPoint{Ratio: x, Gap: netsim.Time(math.Round(gap))}
		for _, paced := range []bool{false, true} {
			c.Paced = paced
			r, err := RunClockOrder(c)
			if err != nil {
				return nil, err
			}
			if paced {
				pt.Paced = r.MisorderedFraction()
			} else {
				pt.Poisson = r.MisorderedFraction()
			}
			res.Spread = r.Spread()
		}
		res.Points = append(res.Points, pt)
	}
	slices.SortFunc(res.Points, func(a, b GapPoint) int { return cmp.Compare(a.Ratio, b.Ratio) })
	return res, nil
}

// Boundary is the smallest gap ratio from which on every paced point of
// the sweep has no misordered message, and ok=false if the largest has
// some.
func (g *GapResult) Boundary() (ratio float64, ok bool) {
	ratio, ok = math.Inf(1), false
	for i := len(g.Points) - 1; i >= 0; i-- {
		if g.Points[i].Paced > 0 {
			break
		}
		ratio, ok = g.Points[i].Ratio, true
	}
	return ratio, ok
}

// String prints the measured boundary next to D and 2ε.
func (g *GapResult) String() string {
	eps := float64(g.Config.ClockError)
	b, ok := g.Boundary()
	s := fmt.Sprintf("seed %d: clocks within ε = ±%s; largest difference between two senders' clocks D = %.2f ε; worst case 2ε\n",
		g.Config.Seed, Duration(g.Config.ClockError), float64(g.Spread)/eps)
	if !ok {
		return s + "paced messages: misordered at every gap tried\n"
	}
	s += fmt.Sprintf("paced messages: none misordered from a gap of %.2f ε on", b)
	for i := len(g.Points) - 1; i >= 0; i-- {
		if p := g.Points[i]; p.Paced > 0 {
			s += fmt.Sprintf("; %.2f%% misordered at %.2f ε", 100*p.Paced, p.Ratio)
			break
		}
	}
	s += "\n"
	zero := 0
	for _, p := range g.Points {
		if p.Poisson == 0 {
			zero++
		}
	}
	last := g.Points[len(g.Points)-1]
	if zero == 0 {
		return s + fmt.Sprintf("independent senders: misordered at every gap tried, still %.2f%% at a mean gap of %.2f ε\n", 100*last.Poisson, last.Ratio)
	}
	return s + fmt.Sprintf("independent senders: none misordered at %d of %d gaps\n", zero, len(g.Points))
}

// DefaultGaps are the gaps GapSweep tries in the lesson: 0.1 ε to 3 ε in
// steps of 0.1 ε.
func DefaultGaps() []float64 {
	out := make([]float64, 30)
	for i := range out {
		out[i] = float64(i+1) / 10
	}
	return out
}

// DefaultRates are the message rates RateSweep tries in the lesson: 10 to
// 100 000 per second, two per decade.
func DefaultRates() []float64 {
	return []float64{10, 31.6, 100, 316, 1000, 3160, 10000, 31600, 100000}
}

// DefaultClockErrors are the clock errors RateSweep tries in the lesson:
// 10 µs (PTP on a LAN), 100 µs and 1 ms (NTP).
func DefaultClockErrors() []netsim.Time {
	return []netsim.Time{10 * netsim.Microsecond, 100 * netsim.Microsecond, netsim.Millisecond}
}
