package intro

import (
	"fmt"
	"slices"

	"github.com/dslessons/course/pkg/netsim"
)

// A RequestPlan turns the keys a client needs into the requests it sends,
// one after another, each waiting for its reply: a chatty plan sends one
// key per request, a batched plan puts every key in one request.
type RequestPlan func(keys []string) [][]string

// Chatty is the plan written as if latency were zero: one request per key.
func Chatty(keys []string) [][]string {
	var reqs [][]string
	for _, k := range keys {
		reqs = append(reqs, []string{k})
	}
	return reqs
}

// Batched sends every key in one request.
func Batched(keys []string) [][]string { return [][]string{slices.Clone(keys)} }

// FetchResult is the outcome of one fetch on the simulator.
type FetchResult struct {
	OneWay     netsim.Time // one-way delay of the link
	RoundTrips int         // requests sent (each one round trip)
	Total      netsim.Time // time until the last reply arrived
	Fetched    []string    // keys the client received values for, in order
	Refused    int         // requests the server refused as too big (FetchLimited)
}

// batch is a request for some keys; values is the reply.
type batch []string
type values []string

// Fetch runs plan on the simulator: a client fetches keys from a server
// over links with a constant one-way delay, sending the plan's requests
// sequentially. The server answers instantly.
func Fetch(plan RequestPlan, keys []string, oneWay netsim.Time) (FetchResult, error) {
	return FetchLimited(plan, keys, oneWay, 0)
}

// FetchLimited is Fetch against a server that refuses requests for more
// than maxKeys keys (0: no limit): it answers them with no values.
func FetchLimited(plan RequestPlan, keys []string, oneWay netsim.Time, maxKeys int) (FetchResult, error) {
	if plan == nil {
		return FetchResult{}, fmt.Errorf("intro: no request plan (nil)")
	}
	if oneWay < 0 {
		return FetchResult{}, fmt.Errorf("intro: one-way delay %v is negative", oneWay)
	}
	if maxKeys < 0 {
		return FetchResult{}, fmt.Errorf("intro: at most %d keys per request: want >= 0 (0: no limit)", maxKeys)
	}
	if len(keys) > 100_000 {
		return FetchResult{}, fmt.Errorf("intro: %d keys: at most 100000", len(keys))
	}
	reqs := plan(slices.Clone(keys))
	if len(reqs) > 100_000 {
		return FetchResult{}, fmt.Errorf("intro: the plan sends %d requests: at most 100000", len(reqs))
	}
	res := FetchResult{OneWay: oneWay, RoundTrips: len(reqs)}
	sim, err := netsim.New(netsim.Config{NoTrace: true, DefaultLink: netsim.Link{Delay: netsim.Const(oneWay)}})
	if err != nil {
		return res, err
	}
	next := 0
	sendNext := func(ctx *netsim.Context) {
		if next < len(reqs) {
			ctx.Send("server", batch(slices.Clone(reqs[next])))
			next++
		}
	}
	cl := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		switch ev.Kind {
		case netsim.Start:
			sendNext(ctx)
		case netsim.Receive:
			res.Fetched = append(res.Fetched, ev.Msg.(values)...)
			res.Total = ctx.Now()
			sendNext(ctx)
		}
	})
	srv := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
		if ev.Kind == netsim.Receive {
			b := ev.Msg.(batch)
			if maxKeys > 0 && len(b) > maxKeys {
				res.Refused++
				ctx.Send(ev.From, values(nil))
				return
			}
			ctx.Send(ev.From, values(b))
		}
	})
	if err := sim.AddNode("client", cl); err != nil {
		return res, err
	}
	if err := sim.AddNode("server", srv); err != nil {
		return res, err
	}
	return res, sim.Run(netsim.Forever)
}

// LatencyRow compares the chatty and the batched plan at one delay.
type LatencyRow struct {
	OneWay          netsim.Time
	Chatty, Batched FetchResult
}

// LatencyResult is the outcome of RunLatency.
type LatencyResult struct {
	Keys int
	Rows []LatencyRow
}

// Keys returns n key names, "k01", "k02", ….
func Keys(n int) []string {
	ks := make([]string, n)
	for i := range ks {
		ks[i] = fmt.Sprintf("k%02d", i+1)
	}
	return ks
}

// RunLatency fetches n keys chatty and batched for each one-way delay
// (nil means 0.1ms in a rack, 1ms in a data centre, 10ms across a
// country, 50ms across an ocean).
func RunLatency(n int, oneWays []netsim.Time) (LatencyResult, error) {
	if n < 1 || n > 10000 {
		return LatencyResult{}, fmt.Errorf("intro: number of keys %d not in [1, 10000]", n)
	}
	if oneWays == nil {
		oneWays = []netsim.Time{100 * netsim.Microsecond, netsim.Millisecond, 10 * netsim.Millisecond, 50 * netsim.Millisecond}
	}
	res := LatencyResult{Keys: n}
	for _, d := range oneWays {
		c, err := Fetch(Chatty, Keys(n), d)
		if err != nil {
			return res, err
		}
		b, err := Fetch(Batched, Keys(n), d)
		if err != nil {
			return res, err
		}
		res.Rows = append(res.Rows, LatencyRow{d, c, b})
	}
	return res, nil
}

// Table returns the result as a table.
func (r LatencyResult) Table() (header []string, rows [][]string) {
	header = []string{"one-way delay", "chatty: round trips", "chatty: total", "batched: round trips", "batched: total"}
	for _, x := range r.Rows {
		rows = append(rows, []string{fmtSec(x.OneWay), fmt.Sprint(x.Chatty.RoundTrips), fmtSec(x.Chatty.Total),
			fmt.Sprint(x.Batched.RoundTrips), fmtSec(x.Batched.Total)})
	}
	return header, rows
}
