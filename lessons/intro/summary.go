package intro

import (
	"fmt"

	"github.com/dslessons/course/pkg/netsim"
)

// FallacyOutcome is one line of the overview of the eight experiments:
// the code written under the fallacy, what happened to it, and what the
// code that does not assume it got.
type FallacyOutcome struct {
	Fallacy    Fallacy
	Experiment string
	Naive      string // what the code that believes the fallacy got
	Aware      string // what the code that does not believe it got
}

// FallacyOutcomes runs the eight experiments with their default settings
// and the given seed, and sums each up in one line.
func FallacyOutcomes(seed uint64) ([]FallacyOutcome, error) {
	var out []FallacyOutcome
	u, err := RunUnreliable(UnreliableConfig{Seed: seed, Losses: []float64{0.1}})
	if err != nil {
		return nil, err
	}
	out = append(out, FallacyOutcome{ReliableNetwork, "2000 requests, 10% of messages lost",
		"sends once: " + pct(u.Points[0].Naive) + " answered",
		fmt.Sprintf("retries (%d attempts): %s answered", u.Config.Attempts, pct(u.Points[0].Retrying))})

	l, err := RunLatency(20, []netsim.Time{10 * netsim.Millisecond})
	if err != nil {
		return nil, err
	}
	out = append(out, FallacyOutcome{ZeroLatency, "fetch 20 keys, 10ms one way",
		fmt.Sprintf("one request per key: %v", fmtSec(l.Rows[0].Chatty.Total)),
		fmt.Sprintf("one batched request: %v", fmtSec(l.Rows[0].Batched.Total))})

	b, err := RunBandwidth(BandwidthConfig{Seed: seed, Loads: []float64{0.5, 1.3}})
	if err != nil {
		return nil, err
	}
	late, _ := b.Points[1].WaitAt(b.Config.Duration)
	out = append(out, FallacyOutcome{InfiniteBandwidth, fmt.Sprintf("1 MB/s link, %.0f msg/s capacity, %s of sending", b.Capacity, fmtSec(b.Config.Duration)),
		fmt.Sprintf("offers 1.3× capacity: %.0f msg/s delivered; the last messages wait %.1fs, and the wait grows as long as the overload lasts",
			b.Points[1].Throughput, late/1e3),
		fmt.Sprintf("stays at 0.5×: mean latency %.1fms", b.Points[0].MeanLatency)})

	s, err := RunSecurity(SecurityConfig{Seed: seed})
	if err != nil {
		return nil, err
	}
	out = append(out, FallacyOutcome{SecureNetwork, fmt.Sprintf("%d payments through a tampering router", s.Config.Transfers),
		fmt.Sprintf("trusts the bytes: %d altered orders carried out", s.Plain.AcceptedTampered),
		fmt.Sprintf("checks an HMAC: %d of %d altered orders rejected", s.MAC.Rejected, s.MAC.Tampered)})

	t, err := RunTopology(TopologyConfig{Seed: seed})
	if err != nil {
		return nil, err
	}
	out = append(out, FallacyOutcome{FixedTopology, "a link on the route is cut half-way",
		fmt.Sprintf("hard-coded route: %d of %d packets delivered after the cut", t.HardCoded.DeliveredAfterChange, t.HardCoded.SentAfterChange),
		fmt.Sprintf("re-routes: %d of %d", t.Adaptive.DeliveredAfterChange, t.Adaptive.SentAfterChange)})

	a, err := RunAdmin(AdminConfig{Seed: seed, Intervals: []netsim.Time{netsim.Second, 4 * netsim.Second}})
	if err != nil {
		return nil, err
	}
	out = append(out, FallacyOutcome{OneAdministrator, "B's heartbeat interval changed from 1s to 4s; A's timeout stays 3s",
		fmt.Sprintf("changed on one side: %d false 'B is dead' in 10 minutes", a.Points[1].FalseSuspicions),
		fmt.Sprintf("settings agreed: %d", a.Points[0].FalseSuspicions)})

	c, err := RunCost(CostConfig{Sizes: []int{100}})
	if err != nil {
		return nil, err
	}
	out = append(out, FallacyOutcome{ZeroTransportCost, "100 nodes, one 200-byte heartbeat per second each",
		fmt.Sprintf("all-to-all: %.0f msg/s, %.0f GB/month", c.Points[0].AllToAllPerSec, c.Points[0].AllToAllGBPerMonth),
		fmt.Sprintf("to one monitor: %.0f msg/s", c.Points[0].MonitorPerSec)})

	h, err := RunHomogeneity(LittleEndian, []Encoding{BigEndian, LittleEndian}, []uint32{300})
	if err != nil {
		return nil, err
	}
	out = append(out, FallacyOutcome{HomogeneousNetwork, "a little-endian sender sends 300",
		fmt.Sprintf("peer assumes its own (big-endian) order: reads %d", h[0].Got[0]),
		fmt.Sprintf("byte order agreed: reads %d", h[1].Got[0])})
	return out, nil
}

// FallacyTable formats the outcomes as a table.
func FallacyTable(os []FallacyOutcome) (header []string, rows [][]string) {
	header = []string{"fallacy", "experiment", "code that believes it", "code that does not"}
	for _, o := range os {
		rows = append(rows, []string{o.Fallacy.String(), o.Experiment, o.Naive, o.Aware})
	}
	return header, rows
}
