package netsim

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseScheduleRoundTrip(t *testing.T) {
	in := `
# a schedule students might write
10ms   partition A, B | C
12ms cut A->B
12ms cut *<->C
50ms heal
20ms crash B     # comments after actions too
25ms restart B
30ms pause A
1.5s resume A
30ms loss A->B 0.5
30ms dup *->B 0.1
30ms reorder A<->B 0.25
30ms delay A->B uniform(1ms, 5ms)
31ms delay A->* 2ms
30ms bandwidth *->* 1e6
30ms queue A->B 10
40ms link A->B loss=0.1 delay=exp(2ms)
41ms link A->B
`
	want := `10ms partition A,B | C
12ms cut A->B
12ms cut *<->C
50ms heal
20ms crash B
25ms restart B
30ms pause A
1.5s resume A
30ms loss A->B 0.5
30ms dup *->B 0.1
30ms reorder A<->B 0.25
30ms delay A->B uniform(1ms,5ms)
31ms delay A->* const(2ms)
30ms bandwidth *->* 1e+06
30ms queue A->B 10
40ms link A->B loss=0.1 delay=exp(2ms)
41ms link A->B
`
	sched, err := ParseSchedule(in)
	require.NoError(t, err)
	assert.Equal(t, want, sched.String())
	again, err := ParseSchedule(sched.String())
	require.NoError(t, err)
	assert.Equal(t, sched.String(), again.String())
	assert.Equal(t, 10*Millisecond, sched[0].At)

	s := newSim(t, Config{})
	for _, id := range []NodeID{"A", "B", "C"} {
		require.NoError(t, s.AddNode(id, NodeFunc(func(*Context, Event) {})))
	}
	require.NoError(t, s.Apply(sched))
	require.NoError(t, s.Run(Forever))
	l, err := s.Link("A", "B")
	require.NoError(t, err)
	assert.Equal(t, Link{}, l, "the last change to A->B replaced the whole link")
	l, err = s.Link("C", "B")
	require.NoError(t, err)
	assert.Equal(t, Link{Duplicate: 0.1, Bandwidth: 1e6}, l)
}

func TestParseScheduleErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"crash B", `line 1 "crash B": bad time "crash"`},
		{"10ms", `want: <time> <action> ...`},
		{"-5ms crash B", `time "-5ms" is negative`},
		{"10ms explode B", `unknown action "explode"`},
		{"10ms crash", `crash wants one node`},
		{"10ms crash B C", `crash wants one node`},
		{"10ms crash B!", `node ID "B!" has character '!'`},
		{"10ms heal now", `heal wants no arguments`},
		{"10ms partition", `partition wants groups`},
		{"10ms partition A,,B", `empty node ID`},
		{"10ms loss A-B 0.5", `bad link "A-B"`},
		{"10ms loss A->B", `loss wants a link and a number`},
		{"10ms loss A->B 1.5", `loss probability 1.5 not in [0,1]`},
		{"10ms loss A->B NaN", `bad number "NaN"`},
		{"10ms loss A->B x", `bad number "x"`},
		{"10ms dup A->B -1", `dup probability -1 not in [0,1]`},
		{"10ms bandwidth A->B -3", `bandwidth -3 bytes/s invalid`},
		{"10ms queue A->B 1.5", `bad queue limit "1.5"`},
		{"10ms delay A->B", `delay wants a link and a distribution`},
		{"10ms delay A->B gauss(1ms)", `unknown delay distribution "gauss"`},
		{"10ms delay A->B uniform(5ms,1ms)", `uniform delay bounds 5ms > 1ms`},
		{"10ms delay A->B uniform(5ms)", `uniform takes 2 argument(s), got 1`},
		{"10ms delay A->B exp(-1ms)", `time "-1ms" is negative`},
		{"10ms link A->B loss", `link field "loss": want key=value`},
		{"10ms link A->B color=red", `unknown link field "color"`},
		{"10ms link A->B loss=2", `loss probability 2 not in [0,1]`},
		{"10ms do x", `unknown action "do"`},
		{"ok\n\n10ms cut A->B", `line 1`},
		{"10ms heal\n\n10ms cut A", `line 3 "10ms cut A": bad link "A"`},
	} {
		_, err := ParseSchedule(tc.in)
		require.Error(t, err, tc.in)
		assert.True(t, strings.HasPrefix(err.Error(), "netsim: schedule line "), err.Error())
		assert.Contains(t, err.Error(), tc.want, tc.in)
	}
}

func TestApplyChecksNodes(t *testing.T) {
	s := newSim(t, Config{}, NodeID("A"), NodeFunc(func(*Context, Event) {}))
	sched, err := ParseSchedule("1ms crash A\n2ms crash Z")
	require.NoError(t, err)
	err = s.Apply(sched)
	assert.EqualError(t, err, `netsim: schedule action 2 (2ms crash Z): unknown node "Z"; nodes are [A]`)
	assert.Equal(t, 1, s.Pending(), "nothing scheduled when any action is bad (only A's start)")
}

func TestParseDelay(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Delay
	}{
		{"5ms", Const(5 * Millisecond)},
		{"const(0s)", Const(0)},
		{"uniform(1ms,2ms)", Uniform(Millisecond, 2*Millisecond)},
		{"normal(10ms, 1ms)", Normal(10*Millisecond, Millisecond)},
		{"exp(250us)", Exponential(250 * Microsecond)},
		{"pareto(1ms,1.5)", Pareto(Millisecond, 1.5)},
		{"lognormal(20ms,0.25)", LogNormal(20*Millisecond, 0.25)},
	} {
		d, err := ParseDelay(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, d, tc.in)
		back, err := ParseDelay(d.String())
		require.NoError(t, err)
		assert.Equal(t, d, back)
	}
	for _, bad := range []string{"", "ms", "exp(", "exp(1ms", "exp()", "pareto(1ms,0)", "pareto(1ms,x)", "lognormal(1ms,-1)", "uniform(1ms,2ms,3ms)"} {
		_, err := ParseDelay(bad)
		assert.Error(t, err, bad)
	}
}

func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{
		"10ms partition A,B | C", "50ms heal", "20ms crash B", "30ms loss A->B 0.5",
		"30ms delay A<->B normal(10ms,2ms)", "1s link *->B loss=0.1 dup=0.2 reorder=0.3 delay=pareto(1ms,1.1) bandwidth=1e3 queue=4",
		"# c\n\n5ms queue A->* 3", "1h pause x-1.y_2", "0 cut *->*",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		sched, err := ParseSchedule(text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "netsim: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		out := sched.String()
		again, err := ParseSchedule(out)
		if err != nil {
			t.Fatalf("cannot re-parse %q: %v", out, err)
		}
		if again.String() != out {
			t.Fatalf("round trip changed %q to %q", out, again.String())
		}
	})
}

func FuzzDelay(f *testing.F) {
	f.Add(uint8(0), int64(1e6), int64(2e6), 1.5, uint64(1))
	f.Add(uint8(1), int64(1e6), int64(2e6), 0.0, uint64(2))
	f.Add(uint8(4), int64(0), int64(0), 0.01, uint64(3))
	f.Add(uint8(5), int64(1<<62), int64(-1), math.Inf(1), uint64(4))
	f.Fuzz(func(t *testing.T, kind uint8, a, b int64, x float64, seed uint64) {
		var d Delay
		switch kind % 6 {
		case 0:
			d = Const(Time(a))
		case 1:
			d = Uniform(Time(a), Time(b))
		case 2:
			d = Normal(Time(a), Time(b))
		case 3:
			d = Exponential(Time(a))
		case 4:
			d = Pareto(Time(a), x)
		case 5:
			d = LogNormal(Time(a), x)
		}
		r := newRand(seed, "fuzz")
		for range 20 {
			if v := d.Sample(r); v < 0 || v > maxDelay {
				t.Fatalf("%s sampled %d", d, v)
			}
		}
		if err := d.Validate(); err != nil {
			if !strings.HasPrefix(err.Error(), "netsim: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		back, err := ParseDelay(d.String())
		if err != nil || back != d {
			t.Fatalf("round trip of %s gave %v, %v", d, back, err)
		}
	})
}

func FuzzLink(f *testing.F) {
	f.Add(0.1, 0.2, 0.3, 1e6, 5)
	f.Add(math.NaN(), 0.0, 0.0, 0.0, 0)
	f.Add(1.0, 1.0, 1.0, math.Inf(1), -1)
	f.Fuzz(func(t *testing.T, loss, dup, reorder, bw float64, q int) {
		l := Link{Loss: loss, Duplicate: dup, Reorder: reorder, Bandwidth: bw, QueueLimit: q, Delay: Uniform(0, Millisecond)}
		s, err := New(Config{Seed: 1, DefaultLink: l, MaxEvents: 10000})
		if err != nil {
			if l.Validate() == nil {
				t.Fatalf("New rejected a valid link: %v", err)
			}
			return
		}
		if err := s.AddNode("A", flood(50)); err != nil {
			t.Fatal(err)
		}
		k := &sink{}
		if err := s.AddNode("B", k); err != nil {
			t.Fatal(err)
		}
		if err := s.Run(Forever); err != nil {
			t.Fatal(err)
		}
		st := s.Stats()
		if st.Sent != 50 || st.Delivered != st.Sent-st.Dropped()+st.Duplicated {
			t.Fatalf("counts do not add up: %+v", st)
		}
	})
}
