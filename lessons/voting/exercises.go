package voting

import (
	"fmt"

	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/quorum"
)

// CheckSmallestW checks the smallest write quorum W such that, with n
// replicas and read quorum r, every read quorum meets every write quorum.
func CheckSmallestW(n, r, answer int) error {
	want := -1
	for w := 1; w <= n; w++ {
		rw, err := quorum.NewReadWrite(n, r, w)
		if err != nil {
			return err
		}
		chk, err := quorum.Check(rw.Read(), rw.Write())
		if err != nil {
			return err
		}
		if chk.OK {
			want = w
			break
		}
	}
	if answer == want {
		return nil
	}
	if answer == 0 {
		return fmt.Errorf("no answer yet (got W=0). hint: a read and a write must share at least one replica; " +
			"how many replicas are left for the write after a read has picked R of them?")
	}
	msg := ""
	if rw, err := quorum.NewReadWrite(n, r, answer); err == nil {
		if chk, err := quorum.Check(rw.Read(), rw.Write()); err == nil && !chk.OK {
			msg = fmt.Sprintf(" With W=%d, %s: a read from the first set misses a write to the second.", answer, chk)
		} else if err == nil {
			msg = fmt.Sprintf(" W=%d is safe but not the smallest.", answer)
		}
	}
	return fmt.Errorf("expected W = %d for N=%d, R=%d, got %d.%s hint: a read and a write must share at least one replica; "+
		"how many replicas are left for the write after a read has picked R of them?", want, n, r, answer, msg)
}

// SmallestIntersectingThreshold returns the smallest threshold for which
// every two quorums of the weighted system intersect (by exhaustive check).
func SmallestIntersectingThreshold(weights []int) (int, error) {
	w0, err := quorum.Weighted(weights, 1)
	if err != nil {
		return 0, err
	}
	for t := 1; t <= w0.Total(); t++ {
		w, err := quorum.Weighted(weights, t)
		if err != nil {
			return 0, err
		}
		chk, err := quorum.Check(w, w)
		if err != nil {
			return 0, err
		}
		if chk.OK {
			return t, nil
		}
	}
	return 0, fmt.Errorf("voting: no threshold makes %v intersect", weights)
}

// CheckWeightedThreshold checks the smallest vote threshold for which any
// two quorums of the weighted system share a node.
func CheckWeightedThreshold(weights []int, answer int) error {
	want, err := SmallestIntersectingThreshold(weights)
	if err != nil {
		return err
	}
	if answer == want {
		return nil
	}
	if answer == 0 {
		return fmt.Errorf("no answer yet (got threshold 0). hint: two disjoint groups must not both reach the threshold; " +
			"find the largest number of votes a group can hold while the rest of the votes also reach t")
	}
	msg := ""
	if w, err := quorum.Weighted(weights, answer); err == nil {
		if chk, err := quorum.Check(w, w); err == nil && !chk.OK {
			msg = fmt.Sprintf(" With threshold %d, %s.", answer, chk)
		} else if err == nil {
			msg = fmt.Sprintf(" Threshold %d works but a smaller one does too.", answer)
		}
	}
	return fmt.Errorf("expected threshold %d for weights %v, got %d.%s hint: two disjoint groups must not both reach the threshold; "+
		"2t > total always guarantees that; check whether some split of the nodes gives both sides t votes", want, weights, answer, msg)
}

// CheckSplitVote checks ballots from all five voters of a 5-node majority
// system that end in a split vote (nobody can win).
func CheckSplitVote(ballots []quorum.Ballot) error {
	maj, err := quorum.Majority(5)
	if err != nil {
		return err
	}
	t, err := quorum.Count(maj, ballots)
	if err != nil {
		return fmt.Errorf("expected valid ballots (voters 0..4, each once), got an error: %v. hint: quorum.Ballot{Voter: 0, Candidate: 1}", err)
	}
	if t.Missing != 0 {
		return fmt.Errorf("expected all five voters to vote, voters %s are missing. hint: add their ballots", t.Missing)
	}
	if t.Outcome != quorum.Split {
		return fmt.Errorf("expected a Split outcome, got %s. hint: a majority of 5 needs 3 votes; spread the votes so no candidate gets 3", t)
	}
	return nil
}

// SpreadCheckRuns is the number of seeded elections CheckTimeoutSpread runs.
const SpreadCheckRuns = 200

// CheckTimeoutSpread checks an election timeout spread (added to the
// default 150 ms minimum) for the default 5-node cluster: over
// SpreadCheckRuns cold starts (seeds 1..200), at most 2% of the runs may
// see a split vote and 95% must elect a leader within 250 ms.
func CheckTimeoutSpread(spread netsim.Time) error {
	if spread < 0 || spread > 10*netsim.Second {
		return fmt.Errorf("expected a spread between 0 and 10s, got %v. hint: try values like 10*netsim.Millisecond", spread)
	}
	cfg := DefaultSweep()
	cfg.Spreads, cfg.Runs = []netsim.Time{spread}, SpreadCheckRuns
	r, err := ElectionSweep(cfg)
	if err != nil {
		return err
	}
	s := r.Spreads[0]
	splitOK := 50*s.WithSplit <= s.Runs
	fast := 0
	for _, t := range s.Times {
		if t <= 250 {
			fast++
		}
	}
	fastOK := 20*fast >= 19*s.Runs
	if splitOK && fastOK {
		return nil
	}
	got := fmt.Sprintf("%d of %d runs had a split vote, %d elected a leader within 250 ms", s.WithSplit, s.Runs, fast)
	hint := "more randomness spreads the candidates out so one usually wins before the others time out"
	if splitOK {
		hint = "too much randomness makes the first timeout come later on average"
	}
	return fmt.Errorf("expected at most 2%% of runs with a split vote and 95%% of runs elected within 250 ms; with spread %v: %s. hint: %s",
		spread, got, hint)
}
