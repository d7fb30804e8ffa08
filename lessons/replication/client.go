package replication

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/dslessons/course/pkg/netsim"
)

// ClientStats counts what one client did.
type ClientStats struct {
	ID        netsim.NodeID
	Issued    int // commands issued
	Done      int // commands acknowledged with a Result
	Sends     int // Submit messages sent, retries included
	Redirects int
	// Latency of each acknowledged command, from its first send to its
	// Result, in order of acknowledgement.
	Latencies []netsim.Time
}

func (s ClientStats) String() string {
	return fmt.Sprintf("%s: %d issued, %d acknowledged, %d submits sent, %d redirects", s.ID, s.Issued, s.Done, s.Sends, s.Redirects)
}

type issueTag struct{}

func (issueTag) String() string { return "issue" }

type retryTag struct{ seq int }

func (t retryTag) String() string { return "retry #" + strconv.Itoa(t.seq) }

// keyNames are the keys clients write: "x", "y", "z", then other letters.
const keyNames = "xyzwvutsrqponmlkjihgfedcba"

type request struct {
	cmd   Command
	first netsim.Time
	timer netsim.TimerID
	done  bool
}

// client issues cfg.Commands commands, one every cfg.Interval, without
// waiting for earlier ones (open loop). It sends each to the replica it
// believes leads, follows redirects, and after cfg.RetryAfter without a
// Result resends it to the next replica. A command is retried until
// acknowledged; the replicas apply it once.
type client struct {
	cfg     *Config
	members []netsim.NodeID
	stats   *ClientStats
	guess   int
	reqs    []*request // reqs[seq-1]
}

func (c *client) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start, netsim.Restart:
		if c.stats.Issued < c.cfg.Commands {
			// Clients start out of step with each other.
			ctx.SetTimer(c.cfg.Interval/2+netsim.Time(ctx.Rand().Int64N(int64(c.cfg.Interval))), issueTag{})
		}
		for _, r := range c.reqs {
			if !r.done {
				c.send(ctx, r)
			}
		}
	case netsim.Timer:
		switch t := ev.Msg.(type) {
		case issueTag:
			c.issue(ctx)
			if c.stats.Issued < c.cfg.Commands {
				ctx.SetTimer(c.cfg.Interval, issueTag{})
			}
		case retryTag:
			if r := c.reqs[t.seq-1]; !r.done && r.timer == ev.Timer {
				c.guess = (c.guess + 1) % len(c.members)
				c.send(ctx, r)
			}
		}
	case netsim.Receive:
		switch m := ev.Msg.(type) {
		case Result:
			if m.Seq < 1 || m.Seq > len(c.reqs) || c.reqs[m.Seq-1].done {
				return
			}
			r := c.reqs[m.Seq-1]
			r.done = true
			ctx.CancelTimer(r.timer)
			c.stats.Done++
			c.stats.Latencies = append(c.stats.Latencies, ctx.Now()-r.first)
			if i := slices.Index(c.members, ev.From); i >= 0 {
				c.guess = i
			}
		case Redirect:
			c.stats.Redirects++
			if m.Seq < 1 || m.Seq > len(c.reqs) || c.reqs[m.Seq-1].done {
				return
			}
			// Follow a hint at once; without one, wait for the retry timer.
			if i := slices.Index(c.members, m.Leader); i >= 0 && m.Leader != ev.From {
				c.guess = i
				r := c.reqs[m.Seq-1]
				ctx.CancelTimer(r.timer)
				c.send(ctx, r)
			}
		}
	}
}

func (c *client) issue(ctx *netsim.Context) {
	c.stats.Issued++
	seq := c.stats.Issued
	k := ctx.Rand().IntN(c.cfg.Keys)
	key := keyNames[k : k+1]
	r := &request{cmd: Command{Client: ctx.Self(), Seq: seq, Key: key, Value: strconv.Itoa(seq)}, first: ctx.Now()}
	c.reqs = append(c.reqs, r)
	c.send(ctx, r)
}

func (c *client) send(ctx *netsim.Context, r *request) {
	c.stats.Sends++
	ctx.Send(c.members[c.guess], Submit{Cmd: r.cmd})
	r.timer = ctx.SetTimer(c.cfg.RetryAfter, retryTag{r.cmd.Seq})
}

// Order is one scripted message from the scenario's director node "ctl":
// at time At, send Msg (Campaign or Submit) to replica To.
type Order struct {
	At  netsim.Time
	To  netsim.NodeID
	Msg any
}

// CampaignAt orders replica to start an election at time at.
func CampaignAt(at netsim.Time, replica netsim.NodeID) Order {
	return Order{At: at, To: replica, Msg: Campaign{}}
}

// SubmitAt submits key=value to replica at time at (sent once, not retried).
func SubmitAt(at netsim.Time, replica netsim.NodeID, key, value string) Order {
	return Order{At: at, To: replica, Msg: Submit{Cmd: Command{Key: key, Value: value}}}
}

func (o Order) String() string { return fmt.Sprintf("%v ctl->%s %v", o.At, o.To, o.Msg) }

// Director is the netsim ID of the node that sends the scripted orders.
const Director netsim.NodeID = "ctl"

type orderTag struct{ i int }

func (t orderTag) String() string { return "order " + strconv.Itoa(t.i+1) }

// director sends the orders of a scripted scenario; it also acts as the
// client of the commands it submits (numbered by order).
type director struct {
	orders []Order
	stats  *ClientStats
	done   map[int]bool
}

func (d *director) Handle(ctx *netsim.Context, ev netsim.Event) {
	switch ev.Kind {
	case netsim.Start:
		for i, o := range d.orders {
			ctx.SetTimer(o.At-ctx.Now(), orderTag{i})
		}
	case netsim.Timer:
		t, ok := ev.Msg.(orderTag)
		if !ok {
			return
		}
		o := d.orders[t.i]
		msg := o.Msg
		if s, ok := msg.(Submit); ok {
			s.Cmd.Client, s.Cmd.Seq = ctx.Self(), t.i+1
			msg = s
			d.stats.Issued++
			d.stats.Sends++
		}
		ctx.Send(o.To, msg)
	case netsim.Receive:
		switch m := ev.Msg.(type) {
		case Result:
			if !d.done[m.Seq] {
				d.done[m.Seq] = true
				d.stats.Done++
			}
		case Redirect:
			d.stats.Redirects++
		}
	}
}
