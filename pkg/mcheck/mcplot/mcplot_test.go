package mcplot

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/mcheck"
	p "github.com/dslessons/course/pkg/mcheck/internal/protocols"
	"github.com/dslessons/course/pkg/plots"
	"github.com/dslessons/course/pkg/show"
)

func atomicityViolation(t *testing.T) (*mcheck.Model, *mcheck.Report) {
	m := p.TwoPhase(2, true)
	r, err := mcheck.Check(m, mcheck.Options{Invariants: []mcheck.Invariant{p.Atomicity}})
	if err != nil || r.Outcome != mcheck.Violated {
		t.Fatal(r, err)
	}
	return m, r
}

// The diagram's data: one line per node, the steps on the time axis,
// every delivered message an arrow, messages still in flight left out.
func TestDiagramData(t *testing.T) {
	m, r := atomicityViolation(t)
	man, err := mcheck.Replay(m, r.Schedule)
	if err != nil {
		t.Fatal(err)
	}
	h, labels, err := diagram(m, man.Trace())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(h.Nodes) != "[C P1 P2]" {
		t.Errorf("nodes %v", h.Nodes)
	}
	var got []string
	for i, ev := range h.Events {
		got = append(got, fmt.Sprintf("%s@%.1f %s %q", h.Nodes[ev.Node], ev.Time, ev.Kind, labels[i]))
	}
	want := []string{
		`C@0.0 send "Prepare{}"`, `C@0.6 send "Prepare{}"`,
		`P1@1.0 receive ""`, `P1@1.6 send "Vote{Yes:true}"`,
		`P2@2.0 receive ""`, `P2@2.6 send "Vote{Yes:true}"`,
		`P1@3.0 local "timer Timeout{}"`, `P1@3.6 local "out \"abort\""`,
		`C@4.0 receive ""`,
		`C@5.0 receive ""`, `C@5.6 local "out \"commit\""`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	sends, recvs := 0, 0
	for _, ev := range h.Events {
		switch ev.Kind {
		case history.Send:
			sends++
		case history.Receive:
			recvs++
		}
	}
	if sends != 4 || recvs != 4 {
		t.Errorf("%d sends and %d receives drawn, want 4 and 4 (the decisions in flight are left out)", sends, recvs)
	}
}

func TestCounterexample(t *testing.T) {
	m, r := atomicityViolation(t)
	pl, err := Counterexample(m, r)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"atomicity" violated at step 5`; pl.Title.Text != want {
		t.Errorf("title %q, want %q", pl.Title.Text, want)
	}
	if pl.X.Label.Text != "step" {
		t.Errorf("x label %q", pl.X.Label.Text)
	}
	var png bytes.Buffer
	if err := show.WritePNG(&png, pl, show.DefaultWidth, show.DefaultHeight); err != nil || png.Len() == 0 {
		t.Errorf("rendering: %v", err)
	}
	if _, err := Counterexample(nil, r); err == nil {
		t.Error("nil model accepted")
	}
	passed, _ := mcheck.Check(p.TwoPhase(2, false), mcheck.Options{Invariants: []mcheck.Invariant{p.Atomicity}})
	if _, err := Counterexample(m, passed); err == nil || !strings.Contains(err.Error(), "no schedule to draw") {
		t.Errorf("a passed report: %v", err)
	}
	if _, err := Schedule(m, mcheck.Schedule{{Kind: mcheck.Crash, Node: "Q"}}, "x"); err == nil {
		t.Error("a schedule that does not replay was drawn")
	}
}

func TestLabel(t *testing.T) {
	if got := short(strings.Repeat("é", 20)); got != strings.Repeat("é", 11)+"…" {
		t.Errorf("short: %q", got)
	}
}

// A message the network lost is drawn as lost (a stub with a cross), not
// as one still in flight, also when it is the only thing drawn.
func TestLostMessage(t *testing.T) {
	msgs := p.Messages(2)
	m := p.ExactlyOnce(msgs, p.Sender{NoRetransmit: true}, p.Receiver{})
	r, err := mcheck.Check(m, mcheck.Options{Liveness: &mcheck.Liveness{Goal: p.AllDelivered(msgs), Within: 10}, Faults: mcheck.Faults{Loss: 1}})
	if err != nil || r.Outcome != mcheck.Violated || r.Step() != 1 || r.Schedule[0].Kind != mcheck.Lose {
		t.Fatal(r, err)
	}
	man, err := mcheck.Replay(m, r.Schedule)
	if err != nil {
		t.Fatal(err)
	}
	if got := lostFates(man.Trace()); len(got) != 1 || got[0] != plots.Lost {
		t.Fatalf("fates %v", got)
	}
	h, _, err := diagram(m, man.Trace())
	if err != nil || len(h.Events) != 1 || h.Events[0].Time > 1e-6 {
		t.Fatalf("%v %v", h, err)
	}
	pl, err := Counterexample(m, r)
	if err != nil || pl.X.Min > 0 || pl.X.Max < 0 {
		t.Fatalf("the send at step 0 is off the axis [%v, %v]: %v", pl.X.Min, pl.X.Max, err)
	}
}
