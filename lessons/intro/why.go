package intro

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/dslessons/course/pkg/netsim"
)

// Availability is the probability that at least one of k replicas is up
// when each is up with probability a, independently: 1 - (1-a)^k.
func Availability(a float64, k int) (float64, error) {
	if !(a >= 0 && a <= 1) {
		return 0, fmt.Errorf("intro: availability %v not in [0,1]", a)
	}
	if k < 1 {
		return 0, fmt.Errorf("intro: replicas %d: want >= 1", k)
	}
	return 1 - math.Pow(1-a, float64(k)), nil
}

// AvailabilityConfig configures SimulateAvailability: MaxReplicas
// replicas each fail after an exponential time with mean MTTF and are
// repaired after an exponential time with mean MTTR, independently, so
// each is up a fraction A = MTTF/(MTTF+MTTR) of the time. The service is
// up while at least one replica is.
type AvailabilityConfig struct {
	Seed        uint64
	A           float64 // availability of one replica; 0 means 0.99
	MaxReplicas int     // 0 means 3
	MTTR        float64 // hours; 0 means 1
	Hours       float64 // simulated time; 0 means 1e8 hours
}

// AvailabilityPoint is the outcome for k replicas.
type AvailabilityPoint struct {
	Replicas     int
	Simulated    float64 // fraction of time at least one replica was up
	Formula      float64 // 1 - (1-A)^k
	DowntimeYear float64 // hours per year the service is down, simulated
}

// AvailabilityResult is the outcome of SimulateAvailability.
type AvailabilityResult struct {
	Config AvailabilityConfig
	Points []AvailabilityPoint
}

// SimulateAvailability runs the replicas through their up and down
// periods (an alternating renewal process in simulated hours, no wall
// clock) and measures, for k = 1…MaxReplicas, the fraction of time at
// least one of the first k replicas was up.
func SimulateAvailability(cfg AvailabilityConfig) (AvailabilityResult, error) {
	if cfg.A == 0 {
		cfg.A = 0.99
	}
	if cfg.MaxReplicas == 0 {
		cfg.MaxReplicas = 3
	}
	if cfg.MTTR == 0 {
		cfg.MTTR = 1
	}
	if cfg.Hours == 0 {
		cfg.Hours = 1e8
	}
	if !(cfg.A > 0 && cfg.A < 1) {
		return AvailabilityResult{}, fmt.Errorf("intro: availability %v not in (0,1)", cfg.A)
	}
	if cfg.MaxReplicas < 1 || cfg.MaxReplicas > 8 {
		return AvailabilityResult{}, fmt.Errorf("intro: replicas %d not in [1, 8]", cfg.MaxReplicas)
	}
	if !(cfg.MTTR > 0) || !(cfg.Hours > 0) || math.IsInf(cfg.Hours, 0) {
		return AvailabilityResult{}, fmt.Errorf("intro: MTTR %v and hours %v must be finite and > 0", cfg.MTTR, cfg.Hours)
	}
	mttf := cfg.A / (1 - cfg.A) * cfg.MTTR
	if cfg.Hours/(mttf+cfg.MTTR)*float64(cfg.MaxReplicas) > 2e7 {
		return AvailabilityResult{}, fmt.Errorf("intro: about %.0f failures to simulate; at most 2e7 (shorten Hours)",
			cfg.Hours/(mttf+cfg.MTTR)*float64(cfg.MaxReplicas))
	}
	k := cfg.MaxReplicas
	up := make([]bool, k)
	next := make([]float64, k) // time of each replica's next change
	rngs := make([]*rand.Rand, k)
	for i := range k {
		rngs[i] = rand.New(rand.NewPCG(cfg.Seed, uint64(i)+1))
		up[i] = true
		next[i] = rngs[i].ExpFloat64() * mttf
	}
	down := make([]float64, k+1) // down[j]: time the first j replicas were all down
	now := 0.0
	for now < cfg.Hours {
		i := 0
		for j := 1; j < k; j++ {
			if next[j] < next[i] {
				i = j
			}
		}
		t := min(next[i], cfg.Hours)
		for j := 0; j < k && !up[j]; j++ {
			down[j+1] += t - now
		}
		now = t
		up[i] = !up[i]
		if up[i] {
			next[i] = now + rngs[i].ExpFloat64()*mttf
		} else {
			next[i] = now + rngs[i].ExpFloat64()*cfg.MTTR
		}
	}
	res := AvailabilityResult{Config: cfg}
	for j := 1; j <= k; j++ {
		f, _ := Availability(cfg.A, j)
		sim := 1 - down[j]/cfg.Hours
		res.Points = append(res.Points, AvailabilityPoint{Replicas: j, Simulated: sim, Formula: f,
			DowntimeYear: (1 - sim) * 365.25 * 24})
	}
	return res, nil
}

// Table returns the result as a table.
func (r AvailabilityResult) Table() (header []string, rows [][]string) {
	header = []string{"replicas", "simulated", "1-(1-a)^k", "downtime per year"}
	for _, p := range r.Points {
		rows = append(rows, []string{fmt.Sprint(p.Replicas), fmt.Sprintf("%.7f", p.Simulated),
			fmt.Sprintf("%.7f", p.Formula), fmtHours(p.DowntimeYear)})
	}
	return header, rows
}

func fmtHours(h float64) string {
	switch {
	case h >= 1:
		return fmt.Sprintf("%.1f hours", h)
	case h*60 >= 1:
		return fmt.Sprintf("%.1f minutes", h*60)
	}
	return fmt.Sprintf("%.1f seconds", h*3600)
}

// ReplicaSite is a replica at some distance from a client.
type ReplicaSite struct {
	Name   string
	OneWay netsim.Delay
}

// LatencySite is the measured round-trip times to one replica.
type LatencySite struct {
	Name        string
	Median, P99 netsim.Time
	Requests    int
	RTTs        []netsim.Time
}

// MeasureReplicas has a client in Europe send Requests requests, one at a
// time, to each site, and measures round-trip times. nil sites means a
// replica across the Atlantic (40ms ± 4ms one way) and one in the same
// region (2ms ± 0.5ms).
func MeasureReplicas(seed uint64, requests int, sites []ReplicaSite) ([]LatencySite, error) {
	if requests < 1 || requests > 100000 {
		return nil, fmt.Errorf("intro: requests %d not in [1, 100000]", requests)
	}
	if sites == nil {
		sites = []ReplicaSite{
			{"us-east (far)", netsim.Normal(40*netsim.Millisecond, 4*netsim.Millisecond)},
			{"eu-west (near)", netsim.Normal(2*netsim.Millisecond, netsim.Millisecond/2)},
		}
	}
	sim, err := netsim.New(netsim.Config{Seed: seed, NoTrace: true})
	if err != nil {
		return nil, err
	}
	rtts := make([][]netsim.Time, len(sites))
	next := make([]int, len(sites))
	ids := make([]netsim.NodeID, len(sites))
	for i := range sites {
		ids[i] = netsim.NodeID(fmt.Sprintf("replica%d", i))
	}
	err = sim.AddNode("client", netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		switch ev.Kind {
		case netsim.Start:
			for i := range sites {
				ctx.Send(ids[i], ctx.Now())
			}
		case netsim.Receive:
			i := slices.Index(ids, ev.From)
			rtts[i] = append(rtts[i], ctx.Now()-ev.Msg.(netsim.Time))
			if next[i]++; next[i] < requests {
				ctx.Send(ids[i], ctx.Now())
			}
		}
	}))
	if err != nil {
		return nil, err
	}
	for i, s := range sites {
		if err := sim.AddNode(ids[i], netsim.NodeFunc(echoAny)); err != nil {
			return nil, err
		}
		l := netsim.Link{Delay: s.OneWay}
		if err := sim.SetLink("client", ids[i], l); err != nil {
			return nil, err
		}
		if err := sim.SetLink(ids[i], "client", l); err != nil {
			return nil, err
		}
	}
	if err := sim.Run(netsim.Forever); err != nil {
		return nil, err
	}
	out := make([]LatencySite, len(sites))
	for i, s := range sites {
		fs := make([]float64, len(rtts[i]))
		for j, r := range rtts[i] {
			fs[j] = float64(r)
		}
		out[i] = LatencySite{Name: s.Name, Median: netsim.Time(quantile(fs, 0.5)), P99: netsim.Time(quantile(fs, 0.99)),
			Requests: len(rtts[i]), RTTs: rtts[i]}
	}
	return out, nil
}

func echoAny(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Receive {
		ctx.Send(ev.From, ev.Msg)
	}
}

// ReplicaTable formats MeasureReplicas' result.
func ReplicaTable(sites []LatencySite) (header []string, rows [][]string) {
	header = []string{"replica", "requests", "median round trip", "p99 round trip"}
	for _, s := range sites {
		rows = append(rows, []string{s.Name, fmt.Sprint(s.Requests), fmtMs(s.Median), fmtMs(s.P99)})
	}
	return header, rows
}

// fmtMs formats t in milliseconds with one decimal.
func fmtMs(t netsim.Time) string { return fmt.Sprintf("%.1fms", float64(t)/1e6) }
