package transactions

import (
	"slices"

	"github.com/dslessons/course/lessons/replication"
	"github.com/dslessons/course/pkg/netsim"
)

// register is a client of the Raft group that holds the transaction's
// outcome as a write-once key (replication.Command.Once): propose writes
// a value if none is there yet, and the group's answer is the value that
// is there — the first one proposed and committed, whoever proposed it.
// The coordinator and the participants each have one.
type register struct {
	members []netsim.NodeID
	retry   netsim.Time
	guess   int
	seq     int
	pending *replication.Command
	timer   netsim.TimerID
}

// registerRetryAfter is how long a proposal waits for the group's answer
// before it goes to the next replica.
const registerRetryAfter = 100 * ms

// registerRetry is the timer tag of a proposal waiting for its answer.
type registerRetry struct{ seq int }

func (t registerRetry) String() string { return "register retry" }

// propose asks the group to set the transaction's outcome to o unless it
// is set already. One proposal at a time: a new one replaces the pending.
func (r *register) propose(ctx *netsim.Context, o Outcome) {
	if r.pending != nil {
		ctx.CancelTimer(r.timer)
	}
	r.seq++
	r.pending = &replication.Command{Seq: r.seq, Key: Tx, Value: string(o), Once: true}
	r.send(ctx)
}

func (r *register) send(ctx *netsim.Context) {
	ctx.Send(r.members[r.guess], replication.Submit{Cmd: *r.pending})
	r.timer = ctx.SetTimer(r.retry, registerRetry{r.pending.Seq})
}

// reset forgets the pending proposal (a crash).
func (r *register) reset() { r.pending = nil }

// timer handles a registerRetry: no answer in time, try the next replica.
func (r *register) onTimer(ctx *netsim.Context, t registerRetry, id netsim.TimerID) {
	if r.pending == nil || t.seq != r.pending.Seq || id != r.timer {
		return
	}
	r.guess = (r.guess + 1) % len(r.members)
	r.send(ctx)
}

// onMessage handles the group's answers. It returns the outcome the
// group holds once the pending proposal is answered.
func (r *register) onMessage(ctx *netsim.Context, from netsim.NodeID, msg any) (Outcome, bool) {
	if r.pending == nil {
		return Unknown, false
	}
	switch m := msg.(type) {
	case replication.Redirect:
		if m.Seq != r.pending.Seq {
			return Unknown, false
		}
		if i := slices.Index(r.members, m.Leader); i >= 0 && m.Leader != from {
			r.guess = i
			ctx.CancelTimer(r.timer)
			r.send(ctx)
		}
	case replication.Result:
		if m.Seq != r.pending.Seq {
			return Unknown, false
		}
		ctx.CancelTimer(r.timer)
		r.pending = nil
		if i := slices.Index(r.members, from); i >= 0 {
			r.guess = i
		}
		if o := Outcome(m.Value); o.Decided() {
			return o, true
		}
	}
	return Unknown, false
}
