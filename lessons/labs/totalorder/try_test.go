package totalorder_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/dslessons/course/lessons/labs/totalorder"
	"github.com/dslessons/course/pkg/netsim"
)

func TestTryReference(t *testing.T) {
	run, err := totalorder.Try(reference, totalorder.DefaultNetwork())
	if err != nil {
		t.Fatal(err)
	}
	want := "seed 1: 3 members broadcast A1 A2 B1 C1; links: delay uniform(1ms,10ms), reorder 0.5, duplicate 0.1; FIFO layer on\n"
	if !run.Agree() || !strings.HasPrefix(run.String(), want) || !strings.Contains(run.String(), "✓ every member delivers") {
		t.Fatalf("%s", run)
	}
	if run.Stats.Duplicated == 0 {
		t.Fatal("the default network made no copies: the run shows no duplicate")
	}
	// Same seed, same run.
	again, err := totalorder.Try(reference, totalorder.DefaultNetwork())
	if err != nil || again.String() != run.String() || len(again.Trace) != len(run.Trace) {
		t.Fatalf("two runs with seed 1 differ: %v", err)
	}
}

// With the FIFO layer the reference agrees in every run; without it the
// network's reordering makes the members disagree (or miss broadcasts) in
// many runs.
func TestTrySeeds(t *testing.T) {
	bad := 0
	for seed := uint64(1); seed <= 40; seed++ {
		n := totalorder.DefaultNetwork()
		n.Seed = seed
		run, err := totalorder.Try(reference, n)
		if err != nil || !run.Agree() {
			t.Fatalf("seed %d: %v\n%s", seed, err, run)
		}
		n.NoFIFO = true
		if run, err = totalorder.Try(reference, n); err != nil {
			t.Fatal(err)
		}
		if !run.Agree() {
			bad++
		}
	}
	if bad < 10 {
		t.Fatalf("without FIFO links only %d of 40 runs went wrong", bad)
	}
}

func TestTryStarter(t *testing.T) {
	run, err := totalorder.Try(starter, totalorder.DefaultNetwork())
	if err != nil {
		t.Fatal(err)
	}
	if run.Agree() || !strings.Contains(run.String(), "✗ A delivered") {
		t.Fatalf("%s", run)
	}
}

// The diagram writes each member's deliveries at the events that released
// them: read in time order they are the member's delivery sequence, for
// the reference and for the starter (which delivers copies too).
func TestTryDiagram(t *testing.T) {
	for _, f := range []totalorder.NewNode{reference, starter} {
		run, err := totalorder.Try(f, totalorder.DefaultNetwork())
		if err != nil {
			t.Fatal(err)
		}
		labels := totalorder.DeliveryLabels(run)
		for i, m := range run.Members {
			var seq []string
			for _, l := range labels[m] {
				for _, part := range strings.Split(l, ", ") {
					_, p, _ := strings.Cut(part, " ")
					seq = append(seq, p)
				}
			}
			if !slices.Equal(seq, run.Delivered[i]) {
				t.Fatalf("%s: labels %v, deliveries %v", m, labels[m], run.Delivered[i])
			}
		}
		if _, err := run.Diagram(); err != nil {
			t.Fatal(err)
		}
	}
}

// chatty acknowledges every message with another: the run never settles.
type chatty struct{}

func (chatty) Handle(ctx *netsim.Context, ev netsim.Event) {
	if ev.Kind == netsim.Timer || ev.Kind == netsim.Receive {
		ctx.Broadcast(totalorder.Ack{})
	}
}

func TestTryErrors(t *testing.T) {
	for _, edit := range []func(*totalorder.Network){
		func(n *totalorder.Network) { n.Broadcasts = []int{3} },
		func(n *totalorder.Network) { n.Gap = 0 },
		func(n *totalorder.Network) { n.Reorder = 2 },
		func(n *totalorder.Network) { n.Duplicate = -0.1 },
	} {
		n := totalorder.DefaultNetwork()
		edit(&n)
		if _, err := totalorder.Try(reference, n); err == nil || !strings.HasPrefix(err.Error(), "totalorder: ") {
			t.Errorf("%+v: %v", n, err)
		}
	}
	if _, err := totalorder.Try(nil, totalorder.DefaultNetwork()); err == nil {
		t.Error("a nil constructor ran")
	}
	_, err := totalorder.Try(func([]netsim.NodeID, int) netsim.Node { return chatty{} }, totalorder.DefaultNetwork())
	if err == nil || !strings.Contains(err.Error(), "still busy") {
		t.Errorf("a node that never stops: %v", err)
	}
}
