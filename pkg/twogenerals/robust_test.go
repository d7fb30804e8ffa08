package twogenerals

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/internal/probe"
)

// Bad inputs from the robustness probe (issue 12): each gives a clear
// error prefixed "twogenerals: " or the correct result, without first
// doing the exponential work.
func TestBadInputsProbe(t *testing.T) {
	probe.Run(t, "twogenerals", []probe.Case{
		{"Views k=20", func() error { _, err := Views(A, 20); return err }, "messages not in [1,12]"},
		{"Views k=31", func() error { _, err := Views(B, 31); return err }, "messages not in [1,12]"},
		{"Views k=40", func() error { _, err := Views(A, 40); return err }, "views of a 40-message protocol"},
		{"Views k=0", func() error { _, err := Views(A, 0); return err }, "not in [1,12]"},
		{"Views of general 7", func() error { _, err := Views(General(7), 3); return err }, "general General(7) is neither A nor B"},
		{"Views at the maximum", func() error {
			vs, err := Views(A, MaxBoundedMessages)
			if err == nil && len(vs) == 0 {
				t.Error("no views")
			}
			return err
		}, ""},
		{"Simulate trials × messengers × legs too large", func() error {
			_, err := Simulate(Config{Messengers: MaxMessengers, Loss: 0.5, Legs: MaxLegs}, MaxTrials, 1)
			return err
		}, "100000000 trials × 1000 messengers × 64 legs is more than 100000000 draws (MaxDraws); use at most 1562 trials"},
		{"Practical.Simulate product too large", func() error {
			_, err := Practical{Messengers: 1000, Loss: 0.5, Window: 5, MaxDelay: 10, Risk: 0.01, MaxAcks: 1000}.Simulate(MaxTrials, 1)
			return err
		}, "is more than 100000000 draws"},
		{"Simulate just within the product", func() error {
			_, err := Simulate(Config{Messengers: 1, Loss: 0.5, Legs: 1}, 1000, 1)
			return err
		}, ""},
		{"EveryRule with a nil function", func() error { return EveryRule(2, nil) }, "got nil"},
		{"EveryRule with a function that panics", func() error { return EveryRule(2, func(Bounded) bool { panic("yield") }) }, "the function EveryRule called panicked: yield"},
		{"Analyse a protocol whose decision panics", func() error {
			_, err := Analyse(Bounded{Name: "bad", Messages: 2, DecideA: func(View) Decision { panic("oops") }, DecideB: func(View) Decision { return Attack }})
			return err
		}, `a decision function of protocol "bad" panicked: oops`},
		{"Analyse a huge chain", func() error { _, err := Analyse(Chain(1 << 30)); return err }, "has 1073741824 messages, allowed [1,12]"},
		{"Analyse the zero protocol", func() error { _, err := Analyse(Bounded{}); return err }, "has 0 messages"},
	})
}

// Patterns and views never do more than MaxPatternLen messages' work,
// whatever Len says, and a missing decision retreats.
func TestPatternBounds(t *testing.T) {
	huge := Pattern{Bits: 0xffffffff, Len: 1 << 40}
	assert.Len(t, huge.String(), MaxPatternLen)
	assert.Equal(t, MaxPatternLen-1, huge.LastDelivered())
	assert.False(t, huge.Delivered(40))
	assert.False(t, huge.Delivered(-1))
	v := ViewOf(B, huge, 1<<40)
	assert.Equal(t, MaxPatternLen/2, v.Received())
	assert.Equal(t, View(""), ViewOf(General(5), huge, 3))
	a, b := Bounded{}.Decide(huge)
	assert.Equal(t, Retreat, a)
	assert.Equal(t, Retreat, b)
}

// viewOfRecursive is the definition of a view, written as it reads: for
// each message to g, "x" if lost, else the sender's view when it sent it.
func viewOfRecursive(g General, p Pattern, upto int) View {
	var b strings.Builder
	for i := 0; i < upto && i < p.Len; i++ {
		if SenderOf(i) == g {
			continue
		}
		if p.Delivered(i) {
			b.WriteString("(" + string(viewOfRecursive(SenderOf(i), p, i)) + ")")
		} else {
			b.WriteByte('x')
		}
	}
	return View(b.String())
}

// ViewOf builds views incrementally; the recursive definition is the
// oracle.
func TestViewOfMatchesDefinition(t *testing.T) {
	for k := 0; k <= 10; k++ {
		for bits := uint32(0); bits < 1<<uint(k); bits++ {
			p := Pattern{bits, k}
			for upto := 0; upto <= k; upto++ {
				for _, g := range []General{A, B} {
					require.Equal(t, viewOfRecursive(g, p, upto), ViewOf(g, p, upto), "%v %s upto %d", g, p, upto)
				}
			}
		}
	}
}

// FuzzSimulate: any configuration and trial count give a prefixed error
// or an estimate whose counts add up to the trials.
func FuzzSimulate(f *testing.F) {
	f.Add(3, 0.5, 2, 1000, uint64(1))
	f.Add(1000, 0.1, 64, 100_000_000, uint64(2))
	f.Add(0, 1.5, -1, -1, uint64(3))
	f.Fuzz(func(t *testing.T, messengers int, loss float64, legs, trials int, seed uint64) {
		c := Config{Messengers: messengers, Loss: loss, Legs: legs}
		if work := int64(trials) * int64(messengers) * int64(legs); c.Validate() == nil && work > 1_000_000 && work <= MaxDraws && trials <= MaxTrials {
			return // valid but slow by design; the bound itself is tested above
		}
		est, err := Simulate(c, trials, seed)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "twogenerals: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		total := 0
		for _, n := range est.Counts {
			total += n
		}
		if total != trials {
			t.Fatalf("counts %v add up to %d, want %d", est.Counts, total, trials)
		}
	})
}

// FuzzViews: Views and ViewOf with any arguments return quickly.
func FuzzViews(f *testing.F) {
	f.Add(0, 3, uint32(5), 3, 3)
	f.Add(1, 40, uint32(0xffffffff), 1<<30, 1<<30)
	f.Add(-1, -1, uint32(0), -5, -5)
	f.Fuzz(func(t *testing.T, g, k int, bits uint32, plen, upto int) {
		vs, err := Views(General(g), k)
		if err == nil && len(vs) == 0 {
			t.Fatal("no views")
		}
		v := ViewOf(General(g), Pattern{bits, plen}, upto)
		if v.Received() > MaxPatternLen {
			t.Fatalf("%d messages received", v.Received())
		}
	})
}
