package ordering

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHoldBackTable(t *testing.T) {
	for _, c := range []struct {
		arrivals []int
		want     []int
	}{
		{[]int{1, 2, 3}, []int{1, 1, 1}},
		{[]int{3, 2, 1}, []int{0, 0, 3}},
		{[]int{2, 1, 4, 4, 6, 3, 5}, []int{0, 2, 0, 0, 0, 2, 2}}, // the lesson's example
		{[]int{1, 1, 2, 1}, []int{1, 0, 1, 0}},
		{[]int{2, 2, 1}, []int{0, 0, 2}},
		{nil, []int{}},
	} {
		assert.Equal(t, c.want, DeliveriesPerArrival(c.arrivals), "%v", c.arrivals)
	}
}

// The hold-back queue against a brute-force oracle: after each arrival
// the delivered messages are exactly 1..k, where k is the longest prefix
// of 1, 2, 3, ... among the numbers seen so far, each delivered once.
func TestHoldBackOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := 1 + rng.IntN(12)
		var arrivals []int
		for range n {
			arrivals = append(arrivals, 1+rng.IntN(8))
		}
		var h HoldBack
		var delivered []string
		seen := map[int]bool{}
		for _, s := range arrivals {
			d, dup := h.Add(s, "m"+string(rune('0'+s)))
			wasSeen := seen[s]
			seen[s] = true
			assert.Equal(t, wasSeen, dup, "%v", arrivals)
			delivered = append(delivered, d...)
			k := 0
			for seen[k+1] {
				k++
			}
			require.Len(t, delivered, k, "%v", arrivals)
			for i, p := range delivered {
				assert.Equal(t, "m"+string(rune('0'+i+1)), p)
			}
			assert.Equal(t, k+1, h.Next())
			held := 0
			for s := range seen {
				if s > k {
					held++
				}
			}
			assert.Equal(t, held, h.Held())
		}
	}
}

func TestFIFODefaultStory(t *testing.T) {
	// The story the lesson tells about seed 1.
	r, err := RunFIFO(DefaultFIFO())
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 4, 6, 6, 3, 4, 5}, r.Receiver.Arrivals)
	assert.Equal(t, []string{"m1", "m2", "m3", "m4", "m5", "m6"}, r.Receiver.Delivered)
	assert.True(t, r.InOrder())
	data, acks := r.Lost()
	assert.Equal(t, 2, data, "the first m3 and m5")
	assert.Equal(t, 3, acks)
	assert.Equal(t, uint64(data+acks), r.Stats.Lost)
	assert.Equal(t, 4, r.Sender.Retransmissions, "m3..m6 once")
	assert.Equal(t, 2, r.Receiver.Discarded)
	assert.Equal(t, 2, r.Receiver.MaxHeld)
	assert.Equal(t, 2, r.OutOfOrder(), "m4 and m6 arrived early")
	// The copies R threw away were retransmissions, not network copies:
	// the one copy the network made was of an acknowledgement.
	for _, rec := range r.Trace {
		if rec.Op == netsim.OpDuplicate {
			_, isAck := rec.Msg.(Ack)
			assert.True(t, isAck, "network copy of %v", rec.Msg)
		}
	}
	assert.Equal(t, uint64(1), r.Stats.Duplicated)
	// The lost data were the first copies of m3 and m5; the
	// retransmissions were m3 to m6, once each.
	var lost, again []int
	sent := map[int]bool{}
	for _, rec := range r.Trace {
		d, ok := rec.Msg.(Data)
		if !ok {
			continue
		}
		switch {
		case rec.Op == netsim.OpDrop:
			lost = append(lost, d.Seq)
		case rec.Op == netsim.OpSend && sent[d.Seq]:
			again = append(again, d.Seq)
		case rec.Op == netsim.OpSend:
			sent[d.Seq] = true
		}
	}
	assert.Equal(t, []int{3, 5}, lost)
	assert.Equal(t, []int{3, 4, 5, 6}, again)
	s := r.String()
	assert.Contains(t, s, "arrived at R:   m1 m2 m4 m6 m6 m3 m4 m5")
	assert.Contains(t, s, "lost by the network: 2 data messages and 3 acknowledgements")
}

func TestFIFOAlwaysInOrder(t *testing.T) {
	// 200 seeds of the lesson's link: exactly m1..m6, in order, once.
	c := DefaultFIFO()
	for seed := uint64(1); seed <= 200; seed++ {
		c.Seed = seed
		r, err := RunFIFO(c)
		require.NoError(t, err)
		assert.True(t, r.InOrder(), "seed %d: %v", seed, r.Receiver.Delivered)
		assert.True(t, r.Sender.Done(), "seed %d", seed)
	}
	// A much worse link still delivers in order, only later.
	c.Link.Loss, c.Messages = 0.5, 20
	for seed := uint64(1); seed <= 50; seed++ {
		c.Seed = seed
		r, err := RunFIFO(c)
		require.NoError(t, err)
		assert.True(t, r.InOrder(), "seed %d", seed)
	}
}

func TestFIFOWithoutHoldBackWouldMisorder(t *testing.T) {
	// The link really reorders and duplicates: over 50 seeds the raw
	// arrival order differs from the send order in most runs.
	c := DefaultFIFO()
	differ := 0
	for seed := uint64(1); seed <= 50; seed++ {
		c.Seed = seed
		r, err := RunFIFO(c)
		require.NoError(t, err)
		if !slices.IsSorted(r.Receiver.Arrivals) || len(r.Receiver.Arrivals) != c.Messages {
			differ++
		}
	}
	assert.Greater(t, differ, 40)
}

func TestFIFOValidation(t *testing.T) {
	bad := []func(*FIFOConfig){
		func(c *FIFOConfig) { c.Messages = 0 },
		func(c *FIFOConfig) { c.Messages = 201 },
		func(c *FIFOConfig) { c.Every = 0 },
		func(c *FIFOConfig) { c.RTO = -1 },
		func(c *FIFOConfig) { c.Until = 0 },
		func(c *FIFOConfig) { c.Link.Loss = 1 },
		func(c *FIFOConfig) { c.Link.Loss = -0.1 },
		func(c *FIFOConfig) { c.Link.Reorder = 2 },
	}
	for i, f := range bad {
		c := DefaultFIFO()
		f(&c)
		_, err := RunFIFO(c)
		require.Error(t, err, "case %d", i)
		assert.True(t, strings.HasPrefix(err.Error(), "ordering: "), err.Error())
	}
}

func TestFIFODiagram(t *testing.T) {
	r, err := RunFIFO(DefaultFIFO())
	require.NoError(t, err)
	labels := r.arrivalLabels()
	var all []string
	for _, l := range labels {
		all = append(all, l)
	}
	joined := strings.Join(all, "|")
	for i := 1; i <= 6; i++ {
		assert.Equal(t, 1, strings.Count(joined, "d"+string(rune('0'+i))+" m"), "delivery %d drawn once", i)
	}
	assert.Contains(t, joined, "held m4")
	assert.Contains(t, joined, "held m6")
	assert.Equal(t, 2, strings.Count(joined, "dropped"))
	p, err := r.Diagram()
	require.NoError(t, err)
	assert.NotNil(t, p)
}

func TestReceivers(t *testing.T) {
	r, err := RunReceivers(DefaultReceivers())
	require.NoError(t, err)
	// The lesson's seed: each receiver keeps each sender's order, the
	// two disagree on three pairs; R1 puts a1 first, R2 b1.
	assert.True(t, r.SenderOrderKept())
	assert.Equal(t, 3, r.Disagreements())
	assert.Equal(t, "a1", r.R1[0])
	assert.Equal(t, "b1", r.R2[0])
	n, err := ReceiverSurvey(DefaultReceivers(), 1, 100)
	require.NoError(t, err)
	assert.Equal(t, 96, n, "the survey the lesson prints")
	// Equal constant delays: both receivers see the send order.
	c := DefaultReceivers()
	c.Delay = netsim.Const(5 * netsim.Millisecond)
	n, err = ReceiverSurvey(c, 1, 20)
	require.NoError(t, err)
	assert.Zero(t, n)
	p, err := r.Diagram()
	require.NoError(t, err)
	assert.NotNil(t, p)
	_, err = RunReceivers(ReceiversConfig{PerSender: 0, Every: 1, Delay: netsim.Const(1)})
	assert.Error(t, err)
	_, err = ReceiverSurvey(DefaultReceivers(), 1, 0)
	assert.Error(t, err)
}

func TestInversions(t *testing.T) {
	assert.Equal(t, 0, Inversions([]string{"a", "b", "c"}, []string{"a", "b", "c"}))
	assert.Equal(t, 3, Inversions([]string{"a", "b", "c"}, []string{"c", "b", "a"}))
	assert.Equal(t, 1, Inversions([]string{"a", "b", "c"}, []string{"b", "a", "x"}))
	rng := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		n := rng.IntN(30)
		a := make([]string, n)
		for i := range a {
			a[i] = string(rune('A' + i))
		}
		b := slices.Clone(a)
		rng.Shuffle(n, func(i, j int) { b[i], b[j] = b[j], b[i] })
		assert.Equal(t, bruteInversions(a, b), Inversions(a, b))
	}
}

func bruteInversions(a, b []string) int {
	pos := map[string]int{}
	for i, x := range b {
		pos[x] = i
	}
	n := 0
	for i := range a {
		for j := i + 1; j < len(a); j++ {
			if pos[a[i]] > pos[a[j]] {
				n++
			}
		}
	}
	return n
}

func TestTwoReplicas(t *testing.T) {
	s := TwoReplicas(100, Deposit(100), Interest(10))
	assert.Contains(t, s, "deposit 100, then interest 10%: 220.00")
	assert.Contains(t, s, "interest 10%, then deposit 100: 210.00")
}

func FuzzHoldBack(f *testing.F) {
	f.Add([]byte{2, 1, 4, 4, 6, 3, 5})
	f.Add([]byte{0, 255, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1000 {
			return
		}
		var h HoldBack
		want := 1
		for _, x := range b {
			d, _ := h.Add(int(x)-10, "")
			want += len(d)
			if h.Next() != want {
				t.Fatalf("next %d, delivered up to %d", h.Next(), want-1)
			}
		}
	})
}

func FuzzInversions(f *testing.F) {
	f.Add([]byte("abc"), []byte("cab"))
	f.Fuzz(func(t *testing.T, x, y []byte) {
		if len(x) > 200 || len(y) > 200 {
			return
		}
		// Distinct items only (the function's contract).
		uniq := func(s []byte) []string {
			seen := map[byte]bool{}
			var out []string
			for _, c := range s {
				if !seen[c] {
					seen[c] = true
					out = append(out, string(c))
				}
			}
			return out
		}
		a, b := uniq(x), uniq(y)
		var common []string
		inB := map[string]bool{}
		for _, s := range b {
			inB[s] = true
		}
		for _, s := range a {
			if inB[s] {
				common = append(common, s)
			}
		}
		var bc []string
		inA := map[string]bool{}
		for _, s := range a {
			inA[s] = true
		}
		for _, s := range b {
			if inA[s] {
				bc = append(bc, s)
			}
		}
		if got, want := Inversions(a, b), bruteInversions(common, bc); got != want {
			t.Fatalf("Inversions(%v, %v) = %d, brute force %d", a, b, got, want)
		}
	})
}
