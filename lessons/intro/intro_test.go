package intro

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// within reports whether a simulated fraction is within 4.5 standard
// deviations of a binomial proportion p over n trials.
func within(t *testing.T, got, p float64, n int, msg string, args ...any) {
	t.Helper()
	sd := math.Sqrt(p * (1 - p) / float64(n))
	assert.LessOrEqual(t, math.Abs(got-p), 4.5*sd+1e-12, append([]any{msg + " (got %v, want %v±%v)"}, append(args, got, p, 4.5*sd)...)...)
}

// --- shared memory versus messages ---

func TestSharedMemorySumIsAlwaysRight(t *testing.T) {
	items := Items(1, 10000)
	for _, w := range []int{1, 2, 8, 64} {
		r, err := SharedMemorySum(items, w)
		require.NoError(t, err)
		assert.Equal(t, Sum(items), r.Total, "workers %d", w)
		n := 0
		for _, k := range r.PerWorker {
			n += k
		}
		assert.Equal(t, len(items), n, "every item taken exactly once")
	}
	_, err := SharedMemorySum(items, 0)
	assert.ErrorContains(t, err, "intro: workers 0 not in [1, 1024]")
}

func TestItemsAreSeeded(t *testing.T) {
	assert.Equal(t, Items(3, 50), Items(3, 50))
	assert.NotEqual(t, Items(3, 50), Items(4, 50))
	for _, x := range Items(9, 1000) {
		assert.True(t, x >= 1 && x <= 100)
	}
	assert.Equal(t, 6, Sum([]int{1, 2, 3}))
}

func TestMessageSumWithoutLossIsExact(t *testing.T) {
	r, err := MessageSum(MessageSumConfig{Seed: 5})
	require.NoError(t, err)
	assert.True(t, r.Complete())
	assert.Equal(t, r.Expected, r.Total)
	assert.Equal(t, Sum(Items(5, 1000)), r.Expected)
	// Each worker holds only a part, and no part is the whole.
	sum, items := 0, 0
	for _, p := range r.Partials {
		assert.Less(t, p.Sum, r.Expected)
		sum += p.Sum
		items += p.Items
	}
	assert.Equal(t, r.Expected, sum)
	assert.Equal(t, 1000, items)
	assert.Equal(t, uint64(8), r.Messages, "one query and one reply per worker")
	assert.NotContains(t, r.String(), "no answer")
	// Done when the last answer arrives: a few ms, within the slowest
	// possible round trip of 2·5ms, long before the 20ms window closes.
	assert.Positive(t, r.Time)
	assert.LessOrEqual(t, r.Time, 10*netsim.Millisecond)
	// The notebook sums the same 10,000 numbers as the shared-memory cell.
	for seed := uint64(1); seed <= 20; seed++ {
		r, err := MessageSum(MessageSumConfig{Seed: seed, Items: 10_000})
		require.NoError(t, err)
		assert.Equal(t, Sum(Items(seed, 10_000)), r.Total, "seed %d", seed)
		assert.Equal(t, uint64(8), r.Messages, "seed %d", seed)
		assert.LessOrEqual(t, r.Time, 10*netsim.Millisecond, "seed %d", seed)
	}
}

// Without retries, the coordinator has the full picture only if all 2N
// messages get through: probability (1-p)^(2N).
func TestMessageSumWithoutRetryLosesParts(t *testing.T) {
	const p, n, runs = 0.2, 4, 400
	complete := 0
	for seed := uint64(1); seed <= runs; seed++ {
		r, err := MessageSum(MessageSumConfig{Seed: seed, Loss: p, Workers: n})
		require.NoError(t, err)
		if r.Complete() {
			complete++
			assert.Equal(t, r.Expected, r.Total, "seed %d", seed)
		} else {
			assert.Less(t, r.Total, r.Expected, "seed %d", seed)
			assert.Contains(t, r.String(), "lost, slow or crashed?")
		}
	}
	within(t, float64(complete)/runs, math.Pow(1-p, 2*n), runs, "fraction of complete answers")
}

func TestMessageSumWithRetryCompletes(t *testing.T) {
	for seed := uint64(1); seed <= 100; seed++ {
		r, err := MessageSum(MessageSumConfig{Seed: seed, Loss: 0.3, Retry: true, Attempts: 25})
		require.NoError(t, err)
		assert.True(t, r.Complete(), "seed %d: %v", seed, r)
		assert.Equal(t, r.Expected, r.Total, "seed %d: duplicates must not be counted twice", seed)
	}
}

func TestMessageSumWithCrashedWorker(t *testing.T) {
	r, err := MessageSum(MessageSumConfig{Seed: 2, Retry: true, Crash: "w3"})
	require.NoError(t, err)
	assert.Equal(t, []netsim.NodeID{"w3"}, r.Missing)
	assert.Equal(t, r.Expected-r.Partials[2].Sum, r.Total)
	// It asked w3 every time, in vain: 10 attempts, then gave up.
	assert.Equal(t, uint64(4+3+9), r.Messages)
	assert.Equal(t, 10*20*netsim.Millisecond, r.Time)
	_, err = MessageSum(MessageSumConfig{Crash: "w9"})
	assert.ErrorContains(t, err, `intro: crash "w9": no such worker`)
}

// --- why distribute ---

func TestAvailabilityFormula(t *testing.T) {
	for _, c := range []struct {
		a    float64
		k    int
		want float64
	}{{0.99, 1, 0.99}, {0.99, 3, 0.999999}, {0.9, 2, 0.99}, {0.5, 3, 0.875}, {0, 4, 0}, {1, 1, 1}} {
		got, err := Availability(c.a, c.k)
		require.NoError(t, err)
		assert.InDelta(t, c.want, got, 1e-12, "a=%v k=%d", c.a, c.k)
	}
	_, err := Availability(1.5, 1)
	assert.ErrorContains(t, err, "intro: availability 1.5 not in [0,1]")
	_, err = Availability(0.5, 0)
	assert.ErrorContains(t, err, "intro: replicas 0")
}

// The lesson's claims: one 99% machine is down about 88 hours (3.7 days) a
// year; three of them, about half a minute.
func TestDowntimeClaims(t *testing.T) {
	r, err := SimulateAvailability(AvailabilityConfig{Seed: 1})
	require.NoError(t, err)
	year := 365.25 * 24.0
	assert.InDelta(t, 87.66, 0.01*year, 0.01)
	assert.InDelta(t, 3.65, 0.01*year/24, 0.01)
	assert.InDelta(t, 31.6, 1e-6*year*3600, 0.1)
	assert.InEpsilon(t, 87.66, r.Points[0].DowntimeYear, 0.05)
	assert.InEpsilon(t, 31.6/3600, r.Points[2].DowntimeYear, 0.25)
	_, rows := r.Table()
	assert.Contains(t, rows[0][3], "hours")
	assert.Contains(t, rows[2][3], "seconds")
}

func TestSimulatedAvailabilityMatchesFormula(t *testing.T) {
	for _, c := range []AvailabilityConfig{{Seed: 1}, {Seed: 2, A: 0.9, MaxReplicas: 4, Hours: 1e7}} {
		r, err := SimulateAvailability(c)
		require.NoError(t, err)
		for _, p := range r.Points {
			down, want := 1-p.Simulated, 1-p.Formula
			assert.InEpsilon(t, want, down, 0.25, "a=%v k=%d: unavailability %g, formula %g", r.Config.A, p.Replicas, down, want)
		}
		for i := 1; i < len(r.Points); i++ {
			assert.Greater(t, r.Points[i].Simulated, r.Points[i-1].Simulated, "more replicas, more availability")
		}
	}
	_, err := SimulateAvailability(AvailabilityConfig{A: 1})
	assert.ErrorContains(t, err, "not in (0,1)")
	_, err = SimulateAvailability(AvailabilityConfig{A: 0.5, Hours: 1e12})
	assert.ErrorContains(t, err, "at most 2e7")
}

func TestNearerReplicaIsFaster(t *testing.T) {
	s, err := MeasureReplicas(1, 500, nil)
	require.NoError(t, err)
	require.Len(t, s, 2)
	far, near := s[0], s[1]
	assert.Equal(t, 500, far.Requests)
	assert.InEpsilon(t, float64(80*netsim.Millisecond), float64(far.Median), 0.05)
	assert.InEpsilon(t, float64(4*netsim.Millisecond), float64(near.Median), 0.05)
	assert.Less(t, near.P99*10, far.Median)
	_, err = MeasureReplicas(1, 0, nil)
	assert.ErrorContains(t, err, "intro: requests 0")
}

// With equal shards, the job takes max(2k·c, (k+1)·c + 2d + W/(kR)):
// derived by hand in the package documentation.
func TestScaleOutMatchesTheFormula(t *testing.T) {
	r, err := RunScale(ScaleConfig{})
	require.NoError(t, err)
	for _, p := range r.Points {
		assert.Equal(t, p.Formula, p.Time, "k=%d", p.Workers)
		assert.Equal(t, uint64(2*p.Workers), p.Messages)
	}
	// By hand: k=8: 9ms + 10ms + 125ms = 144ms; k=128: 256ms.
	assert.Equal(t, 144*netsim.Millisecond, r.Points[3].Time)
	assert.Equal(t, 256*netsim.Millisecond, r.Points[7].Time)
	b := r.Best()
	assert.Equal(t, 32, b.Workers, "optimum near sqrt(W/(R·c)) ≈ 32")
	assert.InDelta(t, 1000/74.25, b.Speedup, 1e-9)
	assert.Less(t, r.Points[7].Speedup, r.Points[5].Speedup, "too many workers is slower")
	// Try this in 01: a coordinator 10× cheaper moves the optimum near
	// sqrt(W/(R·c)) = 100; by hand k=64: 6.5+10+15.625 = 32.125ms,
	// k=128: 12.9+10+7.8125 = 30.7125ms, k=256: 2·256·0.1 = 51.2ms.
	cheap, err := RunScale(ScaleConfig{PerMessage: 100 * netsim.Microsecond,
		Workers: []int{1, 2, 4, 8, 16, 32, 64, 128, 256}})
	require.NoError(t, err)
	assert.Equal(t, 128, cheap.Best().Workers)
	assert.Equal(t, 51200*netsim.Microsecond, cheap.Points[8].Time)
	_, err = RunScale(ScaleConfig{Workers: []int{0}})
	assert.ErrorContains(t, err, "intro: workers 0")
}

// --- the eight fallacies ---

func TestUnreliableNetwork(t *testing.T) {
	r, err := RunUnreliable(UnreliableConfig{Seed: 3})
	require.NoError(t, err)
	require.Len(t, r.Points, 7)
	for _, p := range r.Points {
		within(t, p.Naive, p.NaiveFormula, r.Config.Requests, "naive, p=%v", p.Loss)
		within(t, p.Retrying, p.RetryModel, r.Config.Requests, "retrying, p=%v", p.Loss)
		assert.GreaterOrEqual(t, p.Retrying, p.Naive)
		assert.GreaterOrEqual(t, p.RetryingMessages, r.Config.Requests)
	}
	assert.Equal(t, 1.0, r.Points[0].Naive, "no loss, no problem")
	assert.Less(t, r.Points[6].Naive, 0.55, "at 30%% loss the naive client loses about half")
	assert.Greater(t, r.Points[6].Retrying, 0.8)
	h, rows := r.Table()
	assert.Len(t, rows, 7)
	assert.Len(t, h, len(rows[0]))
	for _, bad := range []UnreliableConfig{{Losses: []float64{-0.1}}, {Losses: []float64{math.NaN()}}, {Requests: -1}, {Attempts: 101}} {
		_, err := RunUnreliable(bad)
		assert.ErrorContains(t, err, "intro: ")
	}
}

func TestChattyClient(t *testing.T) {
	r, err := RunLatency(20, nil)
	require.NoError(t, err)
	for _, x := range r.Rows {
		assert.Equal(t, 20, x.Chatty.RoundTrips)
		assert.Equal(t, 20*2*x.OneWay, x.Chatty.Total, "20 round trips")
		assert.Equal(t, 1, x.Batched.RoundTrips)
		assert.Equal(t, 2*x.OneWay, x.Batched.Total)
		assert.Equal(t, Keys(20), x.Chatty.Fetched)
		assert.Equal(t, Keys(20), x.Batched.Fetched)
	}
	assert.Equal(t, 2*netsim.Second, r.Rows[3].Chatty.Total, "20 keys across an ocean: 2 seconds")
	_, err = RunLatency(0, nil)
	assert.ErrorContains(t, err, "intro: number of keys 0")
	_, err = Fetch(nil, Keys(2), 0)
	assert.ErrorContains(t, err, "intro: no request plan")
}

func TestBandwidthCapsThroughput(t *testing.T) {
	r, err := RunBandwidth(BandwidthConfig{Seed: 4})
	require.NoError(t, err)
	assert.Equal(t, 1000.0, r.Capacity)
	prev := 0.0
	for _, p := range r.Points {
		assert.LessOrEqual(t, p.Throughput, r.Capacity*1.001, "load %v", p.Load)
		if p.Steady() {
			assert.Greater(t, p.MeanLatency, prev, "latency grows with load")
			prev = p.MeanLatency
			assert.GreaterOrEqual(t, p.P99Latency, p.MeanLatency)
			assert.Less(t, math.Abs(p.Growth), 5.0, "load %v: below capacity the wait does not grow (ms per s)", p.Load)
			if p.Load <= 0.8 {
				assert.InEpsilon(t, p.Model, p.MeanLatency, 0.1, "M/D/1 at load %v", p.Load)
				assert.InEpsilon(t, p.Offered, p.Throughput, 0.02, "below capacity everything gets through")
			}
			continue
		}
		// Above capacity: no steady state, so no mean; the link delivers
		// its capacity and the wait grows by (ρ-1) seconds per second.
		assert.True(t, math.IsNaN(p.MeanLatency) && math.IsNaN(p.P99Latency) && math.IsInf(p.Model, 1))
		assert.InEpsilon(t, r.Capacity, p.Throughput, 0.01, "above capacity the link delivers its capacity")
		assert.InEpsilon(t, (p.Load-1)*1000, p.Growth, 0.1, "load %v: growth in ms per s", p.Load)
		for _, at := range r.OverloadMarks() {
			w, ok := p.WaitAt(at)
			require.True(t, ok)
			want := OverloadWait(r.Capacity, p.Load, at, r.Config.Delay)
			assert.InDelta(t, want, w, max(0.1*want, 60), "load %v, sent at %v", p.Load, at)
		}
	}
	h, rows := r.SteadyTable()
	assert.Len(t, rows, 7)
	assert.Len(t, rows[0], len(h))
	h, rows = r.OverloadTable()
	assert.Len(t, rows, 3)
	assert.Equal(t, "wait if sent at 10s", h[5])
	for _, bad := range []BandwidthConfig{{Bandwidth: -1}, {MsgSize: -3}, {Loads: []float64{0}}, {Loads: []float64{11}}, {Duration: 1e6 * netsim.Second}, {Duration: netsim.Millisecond}} {
		_, err := RunBandwidth(bad)
		assert.ErrorContains(t, err, "intro: ")
	}
}

// The numbers the notebook's overload prose quotes (seed 1).
func TestOverloadNotebookNumbers(t *testing.T) {
	r, err := RunBandwidth(BandwidthConfig{Seed: 1})
	require.NoError(t, err)
	for _, p := range r.Points {
		if p.Load == 1.3 {
			w, _ := p.WaitAt(10 * netsim.Second)
			assert.InDelta(t, 3000, w, 100, "a message sent at 10 s at load 1.3 waits about 3 s")
		}
	}
	assert.InDelta(t, 6.0, OverloadWait(1000, 0.5, 10*netsim.Second, 5*netsim.Millisecond), 1e-9, "no queue below capacity in the fluid model")
	assert.InDelta(t, 1006.0, OverloadWait(1000, 1.2, 5*netsim.Second, 5*netsim.Millisecond), 1e-9)
	assert.True(t, math.IsInf(MD1Latency(1000, 1, 0), 1))
}

func TestManInTheMiddle(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		r, err := RunSecurity(SecurityConfig{Seed: seed})
		require.NoError(t, err)
		assert.Equal(t, r.Plain.Tampered, r.MAC.Tampered, "same attacker")
		assert.Equal(t, r.Plain.Tampered, r.Plain.AcceptedTampered, "the trusting bank carries out every altered order")
		assert.Zero(t, r.Plain.Rejected)
		assert.Zero(t, r.MAC.AcceptedTampered, "the MAC catches every alteration")
		assert.Equal(t, r.MAC.Tampered, r.MAC.Rejected)
		assert.Zero(t, r.MAC.ToMallory)
		assert.Equal(t, r.MAC.Sent-r.MAC.Tampered, r.MAC.AcceptedUntouched, "and rejects nothing else")
		if seed == 1 {
			assert.Positive(t, r.Plain.ToMallory)
		}
	}
	_, err := RunSecurity(SecurityConfig{Tamper: 2})
	assert.ErrorContains(t, err, "intro: tamper probability 2 not in [0,1]")
}

func TestSignVerify(t *testing.T) {
	// RFC 4231 test case 2: HMAC-SHA256 with key "Jefe".
	got := Sign([]byte("Jefe"), []byte("what do ya want for nothing?"))
	assert.Equal(t, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", hexString(got))
	tr := Transfer{Seq: 1, To: "bob", Amount: 10}
	assert.Equal(t, "1|bob|10", string(tr.Payload()))
	assert.True(t, Verify(MACKey, tr.Payload(), Sign(MACKey, tr.Payload())))
	assert.False(t, Verify(MACKey, []byte("1|mallory|10"), Sign(MACKey, tr.Payload())))
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	var s strings.Builder
	for _, c := range b {
		s.WriteByte(digits[c>>4])
		s.WriteByte(digits[c&15])
	}
	return s.String()
}

// --- plots: check the data behind them ---

func TestPlots(t *testing.T) {
	u, err := RunUnreliable(UnreliableConfig{Seed: 1, Requests: 200})
	require.NoError(t, err)
	p, err := PlotUnreliable(u)
	require.NoError(t, err)
	assert.Contains(t, p.Title.Text, "seed 1")
	assert.Equal(t, "requests answered (%)", p.Y.Label.Text)
	_, err = PlotUnreliable(UnreliableResult{})
	assert.Error(t, err)

	l, _ := RunLatency(5, nil)
	p, err = PlotLatency(l)
	require.NoError(t, err)
	assert.Contains(t, p.X.Label.Text, "ms")

	b, _ := RunBandwidth(BandwidthConfig{Seed: 2, Duration: netsim.Second})
	p, err = PlotBandwidth(b)
	require.NoError(t, err)
	assert.Contains(t, p.Title.Text, "seed 2")
	p, err = PlotOverload(b)
	require.NoError(t, err)
	assert.Contains(t, p.Title.Text, "seed 2")
	_, err = PlotBandwidth(BandwidthResult{Points: []BandwidthPoint{{Load: 1.2}}})
	assert.ErrorContains(t, err, "no load below capacity")
	_, err = PlotOverload(BandwidthResult{})
	assert.Error(t, err)

	tp, _ := RunTopology(TopologyConfig{Seed: 3})
	p, err = PlotTopology(tp)
	require.NoError(t, err)
	assert.Contains(t, p.Title.Text, "cut at 1s (seed 3)")
	_, err = PlotTopology(TopologyResult{})
	assert.Error(t, err)

	c, _ := RunCost(CostConfig{Sizes: []int{2, 4}})
	_, err = PlotCost(c)
	require.NoError(t, err)

	a, _ := SimulateAvailability(AvailabilityConfig{Seed: 1, A: 0.9, Hours: 1e5})
	p, err = PlotAvailability(a)
	require.NoError(t, err)
	assert.Contains(t, p.Y.Label.Text, "1 - A")
	_, err = PlotAvailability()
	assert.Error(t, err)

	s, _ := RunScale(ScaleConfig{Workers: []int{1, 2}})
	_, err = PlotScale(s)
	require.NoError(t, err)

	ts := powersOfTen{}.Ticks(1e-6, 0.5)
	var labels []string
	for _, tk := range ts {
		labels = append(labels, tk.Label)
	}
	assert.Equal(t, []string{"1e-6", "1e-5", "1e-4", "0.001", "0.01", "0.1"}, labels)
}

// The committed README picture is what WriteReadmeImage draws now.
func TestReadmeImageIsUpToDate(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteReadmeImage(&buf))
	committed, err := os.ReadFile(filepath.Join(repoRoot, ReadmeImage))
	require.NoError(t, err, "run: go run ./lessons/intro/cmd/readmeimage")
	assert.True(t, bytes.Equal(committed, buf.Bytes()), "%s is stale; run: go run ./lessons/intro/cmd/readmeimage", ReadmeImage)
	assert.True(t, slices.Equal(buf.Bytes()[:4], []byte("\x89PNG")))
}

func BenchmarkSimulateAvailability(b *testing.B) {
	for b.Loop() {
		if _, err := SimulateAvailability(AvailabilityConfig{Seed: 1, Hours: 1e7}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnreliableClient(b *testing.B) {
	for b.Loop() {
		if _, _, err := runClient(1, 0.1, 1000, 3, 10*netsim.Millisecond); err != nil {
			b.Fatal(err)
		}
	}
}
