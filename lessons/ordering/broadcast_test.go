package ordering

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/lamport"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/vclock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDeliverableTable(t *testing.T) {
	for _, c := range deliverVisible {
		assert.Equal(t, c.Want, Deliverable(c.In.Msg, c.In.Local, c.In.Sender), c.Name)
	}
	// Padding and bad senders.
	assert.True(t, Deliverable(vclock.VC{0, 1}, vclock.VC{0}, 1), "a shorter local vector counts as zeros")
	assert.False(t, Deliverable(vclock.VC{0, 1, 1}, vclock.VC{0, 0}, 1), "an entry the node does not know")
	assert.False(t, Deliverable(vclock.VC{1}, vclock.VC{0}, 1))
	assert.False(t, Deliverable(vclock.VC{1}, vclock.VC{0}, -1))
	assert.False(t, Deliverable(nil, nil, 0))
}

// The delivery condition against its meaning, by brute force on small
// vectors: a message is deliverable exactly when delivering it would make
// the node's vector the entry-wise maximum of both with the sender's entry
// one higher and nothing else changed — it brings exactly one new
// broadcast and depends on nothing the node lacks.
func TestDeliverableOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		n := 1 + rng.IntN(4)
		msg, local := make(vclock.VC, n), make(vclock.VC, n)
		for k := range n {
			msg[k], local[k] = uint64(rng.IntN(4)), uint64(rng.IntN(4))
		}
		s := rng.IntN(n)
		merged := vclock.Merge(local.Clone(), msg)
		newCount := 0
		for k := range merged {
			newCount += int(merged[k] - local[k])
		}
		want := merged[s] == local[s]+1 && newCount == 1 && msg[s] == merged[s]
		assert.Equal(t, want, Deliverable(msg, local, s), "msg %v local %v sender %d", msg, local, s)
	}
}

func TestQuestionAnswer(t *testing.T) {
	causal, err := QuestionAnswer(false)
	require.NoError(t, err)
	assert.Equal(t, []string{"A1", "B1"}, causal.Nodes[2].Delivered, "C delivers the question first")
	assert.Equal(t, 1, causal.Nodes[2].MaxHeld, "C held B1")
	assert.Empty(t, causal.Violations())
	arrival, err := QuestionAnswer(true)
	require.NoError(t, err)
	assert.Equal(t, []string{"B1", "A1"}, arrival.Nodes[2].Delivered, "on arrival C shows the answer first")
	v := arrival.Violations()
	require.Len(t, v, 1)
	assert.Equal(t, Violation{Node: "C", Payload: "B1", Missing: "A1"}, v[0])
	p, err := QuestionAnswerDiagram()
	require.NoError(t, err)
	assert.NotNil(t, p)
	// The diagram marks exactly one held message, at causal C.
	labels := causalLabel(causal)
	held := 0
	for _, rec := range causal.Trace {
		if strings.HasPrefix(labels(rec), "held") {
			held++
			assert.Equal(t, netsim.NodeID("C"), rec.Node)
		}
	}
	assert.Equal(t, 1, held)
}

func TestCausalSurvey(t *testing.T) {
	// The lesson's table: on arrival, every one of 100 runs breaks
	// causality; causal delivery never does and delivers everything; and
	// nodes still deliver concurrent broadcasts in different orders.
	_, rows, err := CausalComparison(DefaultCausal(), 1, 100)
	require.NoError(t, err)
	assert.Equal(t, []string{"on arrival", "100 of 100", "1168", "0", "19478"}, rows[0])
	assert.Equal(t, []string{"causal (vector clocks)", "0 of 100", "0", "0", "16816"}, rows[1])
	// More seeds, other sizes, no reordering: still never a violation.
	for _, c := range []CausalConfig{
		{Workload: Workload{Nodes: 2, PerNode: 10, Gap: netsim.Millisecond, Delay: netsim.Exponential(5 * netsim.Millisecond), Reorder: 1}},
		{Workload: Workload{Nodes: 6, PerNode: 4, Gap: 5 * netsim.Millisecond, Delay: netsim.Uniform(netsim.Millisecond, 30*netsim.Millisecond), Reorder: 0.3}},
	} {
		bad, viol, undel, err := CausalSurvey(c, 1, 50, Deliverable)
		require.NoError(t, err)
		assert.Zero(t, bad+viol+undel, "%+v", c)
	}
}

// The violation checker against happens-before computed by pkg/history:
// a node's broadcasts and deliveries are its events, a broadcast's
// receipt at another node is the receive of a message, and a violation is
// a delivery of m at a node that has not yet delivered some m' whose
// broadcast happened before m's.
func TestViolationsMatchHappensBefore(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		c := DefaultCausal()
		c.Seed, c.OnArrival, c.PerNode = seed, true, 3
		r, err := RunCausal(c)
		require.NoError(t, err)
		// History: each delivery is a receive (or the broadcast itself).
		b := history.NewBuilder(membersAsStrings(r.Members)...)
		sends := map[string][]history.Msg{}
		sender := map[string]netsim.NodeID{}
		for i, n := range r.Nodes {
			for _, p := range n.Sent {
				sender[p] = r.Members[i]
			}
		}
		bcast := map[string]int{} // payload -> event index of its broadcast
		ev := 0
		recv := map[netsim.NodeID]map[string]int{}
		for _, d := range r.Deliveries {
			if sender[d.Payload] == d.Node {
				bcast[d.Payload] = ev // its first send: before all the others
				for _, to := range r.Members {
					if to != d.Node {
						sends[d.Payload] = append(sends[d.Payload], b.Send(string(d.Node), string(to), ""))
						ev++
					}
				}
				continue
			}
			k := index(r.Members, d.Node)
			si := index(r.Members, sender[d.Payload])
			// sends are in member order, skipping the sender
			j := k
			if k > si {
				j--
			}
			b.Receive(sends[d.Payload][j], "")
			if recv[d.Node] == nil {
				recv[d.Node] = map[string]int{}
			}
			recv[d.Node][d.Payload] = ev
			ev++
		}
		h, err := b.Build()
		require.NoError(t, err)
		want := 0
		for _, d := range r.Deliveries {
			if sender[d.Payload] == d.Node {
				continue
			}
			at := recv[d.Node][d.Payload]
			for p, e := range bcast {
				if p == d.Payload || !h.HappensBefore(e, bcast[d.Payload]) {
					continue
				}
				if sender[p] == d.Node {
					continue // its own broadcasts are delivered at once
				}
				if got, ok := recv[d.Node][p]; !ok || got > at {
					want++
					break
				}
			}
		}
		assert.Equal(t, want, len(r.Violations()), "seed %d", seed)
	}
}

func membersAsStrings(m []netsim.NodeID) []string {
	out := make([]string, len(m))
	for i, x := range m {
		out[i] = string(x)
	}
	return out
}

func TestCausalValidation(t *testing.T) {
	for i, f := range []func(*CausalConfig){
		func(c *CausalConfig) { c.Nodes = 1 },
		func(c *CausalConfig) { c.Nodes = 9 },
		func(c *CausalConfig) { c.PerNode = -1 },
		func(c *CausalConfig) { c.Gap = 0 },
		func(c *CausalConfig) { c.Reorder = -1 },
	} {
		c := DefaultCausal()
		f(&c)
		_, err := RunCausal(c)
		require.Error(t, err, "case %d", i)
	}
	_, err := RunCausalWith(DefaultCausal(), nil)
	assert.Error(t, err)
}

func TestTOBDefault(t *testing.T) {
	r, err := RunTOB(DefaultTOB())
	require.NoError(t, err)
	assert.True(t, r.Agree())
	assert.Zero(t, r.Undelivered())
	assert.Equal(t, 12, r.Broadcasts())
	// N(N−1) messages per broadcast: N−1 data, (N−1)² acknowledgements.
	assert.Equal(t, uint64(12*3*2), r.Stats.Sent)
	// The order is the (timestamp, sender) order.
	for _, n := range r.Nodes {
		assert.Equal(t, r.Nodes[0].Delivered, n.Delivered)
	}
	// The same rules written out in a cell (the notebook's myLess/myReady
	// are these) give the same run.
	w, err := RunTOBWith(DefaultTOB(), TOBRules{Less: TOBLess, Ready: TOBReady})
	require.NoError(t, err)
	assert.Equal(t, r.String(), w.String())
}

func TestTOBAgreesAcrossSeeds(t *testing.T) {
	for _, nodes := range []int{2, 3, 5, 8} {
		for seed := uint64(1); seed <= 30; seed++ {
			c := DefaultTOB()
			c.Seed, c.Nodes, c.Trace = seed, nodes, true
			r, err := RunTOB(c)
			require.NoError(t, err)
			assert.True(t, r.Agree(), "N=%d seed %d", nodes, seed)
			assert.Zero(t, r.Undelivered(), "N=%d seed %d", nodes, seed)
			assert.Equal(t, uint64(r.Broadcasts()*nodes*(nodes-1)), r.Stats.Sent)
			assertTOBOrder(t, r)
		}
	}
}

// assertTOBOrder checks that the agreed order is the order of the
// broadcasts by (Lamport timestamp, sender), read from the trace.
func assertTOBOrder(t *testing.T, r *TOBRun) {
	t.Helper()
	var sent []TOBData
	seen := map[string]bool{}
	for _, rec := range r.Trace {
		if m, ok := rec.Msg.(TOBData); ok && rec.Op == netsim.OpSend && !seen[m.Payload] {
			seen[m.Payload] = true
			sent = append(sent, m)
		}
	}
	slices.SortFunc(sent, func(a, b TOBData) int {
		if TOBLess(a, b) {
			return -1
		}
		return 1
	})
	want := make([]string, len(sent))
	for i, m := range sent {
		want[i] = m.Payload
	}
	assert.Equal(t, want, r.Nodes[0].Delivered, "seed %d", r.Config.Seed)
}

func TestTOBBrokenRules(t *testing.T) {
	// The "Try this" of the lesson: each broken rule makes the nodes
	// disagree on seed 1.
	always := func(TOBData, []lamport.Timestamp, int) bool { return true }
	r, err := RunTOBWith(DefaultTOB(), TOBRules{Ready: always})
	require.NoError(t, err)
	assert.False(t, r.Agree())
	noTie := func(a, b TOBData) bool { return a.TS < b.TS }
	r, err = RunTOBWith(DefaultTOB(), TOBRules{Less: noTie})
	require.NoError(t, err)
	assert.False(t, r.Agree())
	// A strict ">" in place of ">=" is only slower, never wrong.
	strict := func(head TOBData, latest []lamport.Timestamp, self int) bool {
		for q, ts := range latest {
			if q != self && q != head.From && ts <= head.TS {
				return false
			}
		}
		return true
	}
	for seed := uint64(1); seed <= 20; seed++ {
		c := DefaultTOB()
		c.Seed = seed
		r, err = RunTOBWith(c, TOBRules{Ready: strict})
		require.NoError(t, err)
		assert.True(t, r.Agree(), "seed %d", seed)
	}
}

func TestTOBVariants(t *testing.T) {
	vs, err := TOBVariants(DefaultTOB(), 15*netsim.Millisecond)
	require.NoError(t, err)
	require.Len(t, vs, 4)
	full, noAck, reorder, crash := vs[0], vs[1], vs[2], vs[3]
	assert.True(t, full.Agree)
	assert.Zero(t, full.Undelivered)
	assert.Equal(t, uint64(72), full.Messages)
	// No acknowledgements: the last broadcasts are never delivered, and
	// only the data messages are sent.
	assert.Positive(t, noAck.Undelivered)
	assert.True(t, noAck.Agree)
	assert.Equal(t, uint64(noAck.Broadcasts*2), noAck.Messages)
	// Reordering links: disagreement, and the cause the lesson names: a
	// data message arriving after a later-stamped message from the same
	// node.
	assert.False(t, reorder.Agree)
	rc := reorder.Config
	rc.Trace = true
	rr, err := RunTOB(rc)
	require.NoError(t, err)
	overtaken := 0
	latest := map[[2]netsim.NodeID]lamport.Timestamp{}
	for _, rec := range rr.Trace {
		if rec.Op != netsim.OpDeliver {
			continue
		}
		key := [2]netsim.NodeID{rec.From, rec.To}
		var ts lamport.Timestamp
		switch m := rec.Msg.(type) {
		case TOBData:
			ts = m.TS
			if ts < latest[key] {
				overtaken++
			}
		case TOBAck:
			ts = m.TS
		}
		latest[key] = max(latest[key], ts)
	}
	assert.Positive(t, overtaken)
	// A crash: live nodes stop delivering, without disagreeing.
	assert.Positive(t, crash.Undelivered)
	assert.True(t, crash.Agree)
	_, rows := TOBVariantTable(vs)
	assert.Equal(t, "NO", rows[2][3])

	c := DefaultTOB()
	c.Reorder = 0.5
	disagree, _, err := TOBSurvey(c, 1, 100)
	require.NoError(t, err)
	assert.Equal(t, 81, disagree, "the number the lesson prints")
	disagree, blocked, err := TOBSurvey(DefaultTOB(), 1, 100)
	require.NoError(t, err)
	assert.Zero(t, disagree+blocked)
	c = DefaultTOB()
	c.NoAcks = true
	_, blocked, err = TOBSurvey(c, 1, 50)
	require.NoError(t, err)
	assert.Equal(t, 50, blocked, "without acks the last broadcasts always wait forever")
}

func TestTOBCrashStory(t *testing.T) {
	// The lesson's crash run: C crashes at 30 ms; A and B deliver 18 of
	// 24 broadcasts and never more, though A and B go on broadcasting.
	c := DefaultTOB()
	c.PerNode, c.Gap, c.Crash, c.CrashAt = 10, 5*netsim.Millisecond, "C", 30*netsim.Millisecond
	r, err := RunTOB(c)
	require.NoError(t, err)
	assert.Equal(t, 24, r.Broadcasts())
	assert.Len(t, r.Nodes[0].Delivered, 18)
	assert.Len(t, r.Nodes[1].Delivered, 18)
	assert.True(t, r.Agree())
	var lastDelivery netsim.Time
	for _, d := range r.Deliveries {
		lastDelivery = max(lastDelivery, d.At)
	}
	lastBroadcast := max(slices.Max(r.Nodes[0].Plan), slices.Max(r.Nodes[1].Plan))
	assert.Greater(t, lastBroadcast, lastDelivery, "broadcasts continue after the last delivery")
	// Nothing stamped after the last message a live node got from C is
	// delivered: exactly those wait.
	for _, n := range r.Nodes[:2] {
		fromC := n.latest[2]
		for _, m := range n.queue {
			assert.Greater(t, m.TS, fromC)
		}
		assert.Equal(t, 6, n.Waiting())
	}
	p, err := PlotTOBCrash(r)
	require.NoError(t, err)
	assert.NotNil(t, p)
}

func TestTOBDiagram(t *testing.T) {
	// The small run drawn in the lesson: one broadcast per node, all
	// stamped 1, sent in the order C, B, A; every node delivers A1, B1,
	// C1 (the tie-break), A on receiving C1.
	c := DefaultTOB()
	c.PerNode, c.Trace = 1, true
	r, err := RunTOB(c)
	require.NoError(t, err)
	for _, n := range r.Nodes {
		assert.Equal(t, []string{"A1", "B1", "C1"}, n.Delivered)
	}
	var sendOrder []string
	for _, rec := range r.Trace {
		if m, ok := rec.Msg.(TOBData); ok && rec.Op == netsim.OpSend {
			assert.Equal(t, lamport.Timestamp(1), m.TS)
			if !slices.Contains(sendOrder, m.Payload) {
				sendOrder = append(sendOrder, m.Payload)
			}
		}
	}
	assert.Equal(t, []string{"C1", "B1", "A1"}, sendOrder)
	for _, d := range r.Deliveries {
		if d.Node == "A" {
			for _, rec := range r.Trace {
				if rec.Op == netsim.OpDeliver && rec.ID == d.Cause.ID {
					assert.Equal(t, "C1", rec.Msg.(TOBData).Payload)
				}
			}
		}
	}
	p, labels, err := r.diagram("")
	require.NoError(t, err)
	assert.NotNil(t, p)
	// Each node's three deliveries are drawn once, in order, at one event.
	assert.Equal(t, 3, count(labels, "d1 A1, d2 B1, d3 C1"))
	for _, l := range []string{"A1@1", "B1@1", "C1@1"} {
		assert.Equal(t, 1, count(labels, l))
	}
}

func count(labels []string, l string) int {
	n := 0
	for _, x := range labels {
		if x == l {
			n++
		}
	}
	return n
}

func TestTOBValidation(t *testing.T) {
	for i, f := range []func(*TOBConfig){
		func(c *TOBConfig) { c.Nodes = 1 },
		func(c *TOBConfig) { c.PerNode = 51 },
		func(c *TOBConfig) { c.Gap = 0 },
		func(c *TOBConfig) { c.Reorder = 1.5 },
		func(c *TOBConfig) { c.Crash = "Z" },
		func(c *TOBConfig) { c.CrashAt = -1 },
	} {
		c := DefaultTOB()
		f(&c)
		_, err := RunTOB(c)
		require.Error(t, err, "case %d", i)
		assert.True(t, strings.HasPrefix(err.Error(), "ordering: "), err.Error())
	}
}

func TestMutex(t *testing.T) {
	r, err := RunMutex(DefaultMutex())
	require.NoError(t, err)
	assert.Equal(t, 6, r.Entries())
	assert.Equal(t, 6.0, r.MessagesPerEntry())
	assert.Zero(t, r.Overlaps())
	assert.Equal(t, 1, r.MaxInside)
	// Exactly 3(N−1) per entry, never two inside, for 2..8 nodes and
	// 100 seeds each (what the lesson prints).
	most, overlaps, exact, err := MutexSafety(DefaultMutex(), []int{2, 3, 4, 5, 6, 7, 8}, 1, 100)
	require.NoError(t, err)
	assert.Equal(t, 1, most)
	assert.Zero(t, overlaps)
	assert.True(t, exact)
	pts, err := MutexCost(DefaultMutex(), []int{2, 5, 8})
	require.NoError(t, err)
	for _, p := range pts {
		assert.Equal(t, uint64(3*(p.Nodes-1)*p.Entries), p.Messages)
	}
	_, rows := CostTable(pts)
	assert.Equal(t, []string{"5", "10", "120", "12", "12"}, rows[1])
	p, err := PlotMutexCost(pts, 1)
	require.NoError(t, err)
	assert.NotNil(t, p)
}

func TestMutexDiagram(t *testing.T) {
	// The lesson's picture: three requests stamped 1, entries in the
	// order A, B, C, each after the previous one's release.
	c := DefaultMutex()
	c.Entries, c.Trace = 1, true
	r, err := RunMutex(c)
	require.NoError(t, err)
	var order []netsim.NodeID
	for _, iv := range r.Intervals {
		order = append(order, iv.Node)
	}
	assert.Equal(t, []netsim.NodeID{"A", "B", "C"}, order)
	for i := 1; i < len(r.Intervals); i++ {
		assert.GreaterOrEqual(t, r.Intervals[i].Enter, r.Intervals[i-1].Exit)
		// B and C enter on receiving the previous node's release.
		found := 0
		for _, rec := range r.Trace {
			if rec.Op == netsim.OpDeliver && rec.Node == r.Intervals[i].Node && rec.ID == r.Intervals[i].EnterCause.ID {
				found++
				rel, ok := rec.Msg.(MutexRelease)
				assert.True(t, ok, "%v", rec)
				assert.Equal(t, r.Intervals[i-1].Node, r.Members[rel.From])
			}
		}
		assert.Equal(t, 1, found)
	}
	for _, rec := range r.Trace {
		if m, ok := rec.Msg.(MutexRequest); ok {
			assert.Equal(t, lamport.Timestamp(1), m.TS)
		}
	}
	p, labels, err := r.diagram()
	require.NoError(t, err)
	assert.NotNil(t, p)
	assert.Equal(t, 3, count(labels, "ENTER"))
	assert.Equal(t, 3, count(labels, "leave"))
	assert.Equal(t, 3, count(labels, "req@1"))
}

func BenchmarkTOB(b *testing.B) {
	c := DefaultTOB()
	c.Nodes, c.PerNode = 5, 20
	for b.Loop() {
		if _, err := RunTOB(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDeliverable(b *testing.B) {
	msg, local := vclock.VC{3, 4, 1, 0, 7, 2, 2, 5}, vclock.VC{3, 3, 1, 0, 9, 2, 4, 5}
	for b.Loop() {
		Deliverable(msg, local, 1)
	}
}

func FuzzDeliverable(f *testing.F) {
	f.Add([]byte{0, 1, 0}, []byte{0, 0, 0}, 1)
	f.Add([]byte{}, []byte{1}, -3)
	f.Fuzz(func(t *testing.T, m, l []byte, s int) {
		if len(m) > 64 || len(l) > 64 {
			return
		}
		msg, local := make(vclock.VC, len(m)), make(vclock.VC, len(l))
		for i, x := range m {
			msg[i] = uint64(x)
		}
		for i, x := range l {
			local[i] = uint64(x)
		}
		got := Deliverable(msg, local, s)
		// Padding the shorter vector with zeros changes nothing.
		n := max(len(msg), len(local))
		pm, pl := slices.Grow(msg.Clone(), n), slices.Grow(local.Clone(), n)
		for len(pm) < n {
			pm = append(pm, 0)
		}
		for len(pl) < n {
			pl = append(pl, 0)
		}
		if s >= 0 && s < len(msg) && got != Deliverable(pm, pl, s) {
			t.Fatalf("padding changed the answer for %v %v %d", msg, local, s)
		}
		if got && (s < 0 || s >= len(msg)) {
			t.Fatalf("sender %d outside the vector is deliverable", s)
		}
	})
}

func TestNonMemberIsInert(t *testing.T) {
	// A node whose ID is not in Members takes no part (and says so in the
	// trace) instead of crashing the run.
	for _, n := range []netsim.Node{
		&Causal{Members: []netsim.NodeID{"A", "B"}, Plan: []netsim.Time{1}},
		&TOB{Members: []netsim.NodeID{"A", "B"}, Plan: []netsim.Time{1}},
		&Mutex{Members: []netsim.NodeID{"A", "B"}, Entries: 1},
	} {
		sim, err := netsim.New(netsim.Config{Seed: 1})
		require.NoError(t, err)
		require.NoError(t, sim.AddNode("Z", n))
		require.NoError(t, sim.AddNode("A", &ArrivalReceiver{}))
		require.NoError(t, sim.Run(netsim.Second))
		assert.Zero(t, sim.Stats().Sent)
		found := false
		for _, r := range sim.Trace() {
			found = found || strings.Contains(r.Text, "not in Members")
		}
		assert.True(t, found)
	}
}

// FuzzConfigs feeds arbitrary settings to the experiments' constructors:
// they return an error or run to completion, never panic or hang.
func FuzzConfigs(f *testing.F) {
	f.Add(uint64(1), 3, 4, int64(10e6), 0.5, 2, int64(1e6), 200.0, 100, true)
	f.Add(uint64(2), 0, -1, int64(-5), 2.0, 99, int64(-1), -1.0, 0, false)
	f.Fuzz(func(t *testing.T, seed uint64, nodes, per int, gap int64, reorder float64, senders int, eps int64, rate float64, msgs int, flag bool) {
		w := Workload{Seed: seed, Nodes: nodes, PerNode: per, Gap: netsim.Time(gap),
			Delay: netsim.Uniform(netsim.Millisecond, 5*netsim.Millisecond), Reorder: reorder}
		if _, err := RunCausal(CausalConfig{Workload: w, OnArrival: flag}); err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "ordering: "), err.Error())
		}
		if _, err := RunTOB(TOBConfig{Workload: w, NoAcks: flag, Crash: "B", CrashAt: netsim.Time(gap)}); err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "ordering: "), err.Error())
		}
		if _, err := RunMutex(MutexConfig{Seed: seed, Nodes: nodes, Entries: per, Think: netsim.Time(gap), Hold: netsim.Time(eps),
			Delay: netsim.Const(netsim.Millisecond)}); err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "ordering: "), err.Error())
		}
		c := DefaultClockOrder()
		c.Seed, c.Senders, c.ClockError, c.Rate, c.Messages, c.Paced = seed, senders, netsim.Time(eps), rate, msgs%2000, flag
		if _, err := RunClockOrder(c); err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "ordering: "), err.Error())
		}
		fc := DefaultFIFO()
		fc.Seed, fc.Messages, fc.Link.Loss, fc.Link.Reorder = seed, per, reorder/4, reorder
		if _, err := RunFIFO(fc); err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "ordering: "), err.Error())
		}
	})
}
