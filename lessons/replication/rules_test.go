package replication

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// terms builds a log of no-ops with the given terms.
func terms(ts ...int) Log {
	l := make(Log, len(ts))
	for i, t := range ts {
		l[i] = Entry{Term: t}
	}
	return l
}

func TestLogAccessors(t *testing.T) {
	l := terms(1, 1, 2)
	assert.Equal(t, 3, l.LastIndex())
	assert.Equal(t, 2, l.LastTerm())
	assert.Equal(t, 0, l.Term(0))
	assert.Equal(t, 1, l.Term(2))
	assert.Equal(t, 0, l.Term(4))
	assert.Equal(t, 0, l.Term(-1))
	_, ok := l.At(0)
	assert.False(t, ok)
	e, ok := l.At(3)
	assert.True(t, ok)
	assert.Equal(t, 2, e.Term)
	assert.Equal(t, "1 1 2", l.String())
	assert.Equal(t, 0, Log(nil).LastTerm())
	assert.Equal(t, "t2 x=5 (c1#3)", Entry{2, Command{Client: "c1", Seq: 3, Key: "x", Value: "5"}}.String())
	assert.Equal(t, "t1 no-op", Entry{Term: 1}.String())
}

func TestLeaderCommit(t *testing.T) {
	for _, tc := range []struct {
		name               string
		log                Log
		match              []int
		term, commit, want int
		counting           int // what CommitByCounting returns
	}{
		{"nothing replicated", terms(1, 1), []int{2, 0, 0, 0, 0}, 1, 0, 0, 0},
		{"majority of 5 has index 2", terms(1, 1, 1), []int{3, 2, 2, 0, 1}, 1, 0, 2, 2},
		{"majority has everything", terms(1, 1, 1), []int{3, 3, 3, 0, 0}, 1, 1, 3, 3},
		{"two of five is not a majority", terms(1, 1), []int{2, 2, 0, 0, 0}, 1, 0, 0, 0},
		{"even cluster: two of four is not a majority", terms(1), []int{1, 1, 0, 0}, 1, 0, 0, 0},
		{"three of four is", terms(1), []int{1, 1, 1, 0}, 1, 0, 1, 1},
		{"never moves back", terms(1, 1, 1), []int{3, 0, 0}, 1, 2, 2, 2},
		{"a cluster of one commits alone", terms(1, 1), []int{2}, 1, 0, 2, 2},
		// Figure 8 (c): leader S1 of term 4 has log 1 2 4; index 2 (term 2)
		// is on S1, S2, S3, index 3 (term 4) only on S1.
		{"figure 8: old-term entry on a majority", terms(1, 2, 4), []int{3, 2, 2, 1, 1}, 4, 1, 1, 2},
		// Figure 8 (e): once index 3 of term 4 is on a majority, both commit.
		{"figure 8: current-term entry on a majority", terms(1, 2, 4), []int{3, 3, 3, 1, 1}, 4, 1, 3, 3},
		{"old entries commit with a newer one", terms(1, 1, 2, 2, 3), []int{5, 5, 4, 5, 0}, 3, 0, 5, 5},
		{"match beyond the log is ignored", terms(1), []int{1, 9, 9}, 1, 0, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, LeaderCommit(tc.log, tc.match, tc.term, tc.commit), "LeaderCommit")
			assert.Equal(t, tc.counting, CommitByCounting(tc.log, tc.match, tc.term, tc.commit), "CommitByCounting")
		})
	}
}

func TestAppendEntriesRule(t *testing.T) {
	x := Entry{2, Command{Client: "c1", Seq: 1, Key: "x", Value: "1"}}
	y := Entry{3, Command{Client: "c1", Seq: 2, Key: "y", Value: "2"}}
	for _, tc := range []struct {
		name      string
		log       Log
		prev      int
		prevTerm  int
		entries   Log
		want      Log
		ok        bool
		truncated Log // what AppendTruncating returns when it accepts
	}{
		{"empty log, first entries", nil, 0, 0, terms(1, 1), terms(1, 1), true, terms(1, 1)},
		{"heartbeat that matches", terms(1, 1), 2, 1, nil, terms(1, 1), true, terms(1, 1)},
		{"missing prevIndex", terms(1), 2, 1, terms(1), terms(1), false, nil},
		{"wrong term at prevIndex", terms(1, 1), 2, 2, terms(2), terms(1, 1), false, nil},
		{"append at the end", terms(1, 1), 2, 1, Log{x}, Log{{Term: 1}, {Term: 1}, x}, true, Log{{Term: 1}, {Term: 1}, x}},
		{"conflict: delete it and all after", terms(1, 1, 1, 1), 1, 1, Log{x}, Log{{Term: 1}, x}, true, Log{{Term: 1}, x}},
		// A delayed, shorter AppendEntries must not erase what a later one added.
		{"stale message keeps later entries", Log{{Term: 1}, x, y}, 1, 1, Log{x}, Log{{Term: 1}, x, y}, true, Log{{Term: 1}, x}},
		{"duplicate message changes nothing", Log{{Term: 1}, x, y}, 1, 1, Log{x, y}, Log{{Term: 1}, x, y}, true, Log{{Term: 1}, x, y}},
		{"conflict in the middle of the entries", Log{{Term: 1}, x, {Term: 2}}, 1, 1, Log{x, y}, Log{{Term: 1}, x, y}, true, Log{{Term: 1}, x, y}},
		{"negative prevIndex", terms(1), -1, 0, terms(1), terms(1), false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := AppendEntriesRule(slices.Clone(tc.log), tc.prev, tc.prevTerm, tc.entries)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
			tr, ok2 := AppendTruncating(slices.Clone(tc.log), tc.prev, tc.prevTerm, tc.entries)
			assert.Equal(t, tc.ok, ok2, "AppendTruncating checks consistency too")
			if tc.ok {
				assert.Equal(t, tc.truncated, tr, "AppendTruncating")
			}
		})
	}
	// Without the check, entries land after prevIndex whatever is there.
	got, ok := AppendWithoutCheck(terms(1, 1), 2, 5, Log{y})
	assert.True(t, ok)
	assert.Equal(t, Log{{Term: 1}, {Term: 1}, y}, got)
	got, _ = AppendWithoutCheck(terms(1), 3, 3, Log{y})
	assert.Equal(t, Log{{Term: 1}, y}, got, "too short: appended at the end, at the wrong index")
}

// The reference rule against a brute-force oracle: the follower accepts
// iff it has the leader's entry at prevIndex; then its log starts with the
// leader's entries up to prevIndex+k, and keeps its own later entries only
// if it already held all k entries.
func TestAppendEntriesRuleOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 5000 {
		leader, follower := RandomLogs(rng)
		prev := rng.IntN(leader.LastIndex() + 1)
		k := rng.IntN(leader.LastIndex() - prev + 1)
		entries := slices.Clone(leader[prev : prev+k])
		got, ok := AppendEntriesRule(slices.Clone(follower), prev, leader.Term(prev), entries)
		e1, has1 := leader.At(prev)
		e2, has2 := follower.At(prev)
		wantOK := prev == 0 || has1 && has2 && e1 == e2
		require.Equal(t, wantOK, ok, "case %d: leader %v follower %v prev %d", i, leader, follower, prev)
		if !ok {
			require.Equal(t, follower, got)
			continue
		}
		want := slices.Clone(leader[:prev+k])
		if follower.LastIndex() >= prev+k && slices.Equal(follower[:prev+k], leader[:prev+k]) {
			want = follower
		}
		require.Equal(t, want, got, "case %d: leader %v follower %v prev %d k %d", i, leader, follower, prev, k)
	}
}

func TestLogUpToDate(t *testing.T) {
	for _, tc := range []struct {
		lastTerm, lastIndex, candTerm, candIndex int
		want                                     bool
	}{
		{1, 5, 2, 1, true},  // later last term wins, even if shorter
		{2, 1, 1, 9, false}, // earlier last term loses, even if longer
		{2, 3, 2, 3, true},  // same: up to date
		{2, 3, 2, 4, true},
		{2, 3, 2, 2, false},
		{0, 0, 0, 0, true}, // two empty logs
	} {
		assert.Equal(t, tc.want, LogUpToDate(tc.lastTerm, tc.lastIndex, tc.candTerm, tc.candIndex), "%+v", tc)
		assert.True(t, AnyLog(tc.lastTerm, tc.lastIndex, tc.candTerm, tc.candIndex))
	}
}

func TestRulesNames(t *testing.T) {
	assert.Equal(t, "Raft", Rules{}.String())
	names := map[string]bool{}
	for _, r := range BrokenVariants() {
		assert.NotEqual(t, "Raft", r.String())
		names[r.String()] = true
	}
	assert.Len(t, names, 4)
}

func TestCommandEncoding(t *testing.T) {
	c := Command{Client: "c1", Seq: 3, Key: "x", Value: "5"}
	got, err := DecodeCommand(EncodeCommand(c))
	require.NoError(t, err)
	assert.Equal(t, c, got)
	assert.Nil(t, EncodeCommand(Command{}))
	got, err = DecodeCommand(nil)
	require.NoError(t, err)
	assert.True(t, got.IsNoOp())
	for _, bad := range []string{"{", "[1]", `{"c":""}`, string(make([]byte, MaxCommandBytes+1))} {
		_, err := DecodeCommand([]byte(bad))
		require.Error(t, err, "%q", bad)
		assert.Contains(t, err.Error(), "replication: ")
	}
}

// A write-once command sets its key only if the key has no value yet; the
// store's reply is the key's value, the first writer's.
func TestKVOnce(t *testing.T) {
	kv := NewKV()
	commit := Command{Client: "co", Seq: 1, Key: "T1", Value: "commit", Once: true}
	abort := Command{Client: "p2", Seq: 1, Key: "T1", Value: "abort", Once: true}
	assert.True(t, kv.Apply(Entry{1, commit}))
	assert.False(t, kv.Apply(Entry{1, abort}), "the register keeps its first value")
	assert.Equal(t, "commit", kv.Reply(abort))
	assert.Equal(t, "commit", kv.Reply(commit))
	assert.Equal(t, "", kv.Reply(Command{Client: "c1", Seq: 1, Key: "x", Value: "1"}), "plain writes get no value back")
	assert.Equal(t, "T1=commit", kv.String())
	plain := Command{Client: "c1", Seq: 2, Key: "T1", Value: "other"}
	assert.True(t, kv.Apply(Entry{1, plain}), "a plain write still overwrites")
	assert.Equal(t, "T1=abort (p2#1, once)", abort.String())
	got, err := DecodeCommand(EncodeCommand(abort))
	require.NoError(t, err)
	assert.Equal(t, abort, got)
	assert.NotContains(t, string(EncodeCommand(plain)), `"o"`, "plain commands encode as before")
	assert.Equal(t, "Result #1 at 3: commit", Result{Seq: 1, Index: 3, Value: "commit"}.String())
	assert.Equal(t, "Result #1 at 3", Result{Seq: 1, Index: 3}.String())
}

func FuzzDecodeCommand(f *testing.F) {
	f.Add(EncodeCommand(Command{Client: "c1", Seq: 3, Key: "x", Value: "5"}))
	f.Add([]byte(`{"c":"a","s":-1}`))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := DecodeCommand(data)
		if err != nil {
			return
		}
		again, err := DecodeCommand(EncodeCommand(c))
		if err != nil || again != c {
			t.Fatalf("round trip of %q: %v, %v", data, again, err)
		}
	})
}

func FuzzAppendEntriesRule(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		rng := rand.New(rand.NewPCG(a, b))
		leader, follower := RandomLogs(rng)
		prev := rng.IntN(leader.LastIndex() + 1)
		entries := slices.Clone(leader[prev:])
		got, ok := AppendEntriesRule(slices.Clone(follower), prev, leader.Term(prev), entries)
		if ok && !slices.Equal(got[:leader.LastIndex()], leader) {
			t.Fatalf("accepted but log %v does not start with the leader's %v", got, leader)
		}
	})
}

// The state machine: the same log gives the same store; another order of
// the same commands gives another; a command applied twice counts once.
func TestKV(t *testing.T) {
	a := Entry{1, Command{Client: "c1", Seq: 1, Key: "x", Value: "1"}}
	b := Entry{1, Command{Client: "c2", Seq: 1, Key: "x", Value: "2"}}
	run := func(es ...Entry) *KV {
		kv := NewKV()
		for _, e := range es {
			kv.Apply(e)
		}
		return kv
	}
	assert.Equal(t, run(a, b).String(), run(a, b).String())
	assert.Equal(t, "x=2", run(a, b).String())
	assert.Equal(t, "x=1", run(b, a).String())
	kv := NewKV()
	assert.True(t, kv.Apply(a))
	assert.True(t, kv.Apply(b))
	assert.False(t, kv.Apply(a), "a retried command is applied once")
	assert.False(t, kv.Apply(Entry{Term: 2}), "no-op")
	assert.Equal(t, "x=2", kv.String())
	assert.Equal(t, 4, kv.LastApplied(), "but every entry takes its index")
	v, ok := kv.Get("x")
	assert.True(t, ok)
	assert.Equal(t, "2", v)
	assert.Equal(t, 1, kv.Len())
}
