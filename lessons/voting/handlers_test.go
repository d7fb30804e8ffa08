package voting

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/netsim"
)

// Broken vote handlers a student may write in the notebook's cell.
func brokenHandlers() map[string]VoteHandlers {
	// Votes for every candidate of its term, not once per term.
	everyone := func(n *Voter, from netsim.NodeID, req RequestVote) Vote {
		if req.Term > n.Term {
			n.StepDown(req.Term)
		}
		grant := req.Term == n.Term && n.Role == Follower
		if grant {
			n.VotedFor = from
			n.ResetElectionTimer()
		}
		return Vote{Term: n.Term, Granted: grant}
	}
	// Half the votes are enough.
	half := func(n *Voter, from netsim.NodeID, v Vote) {
		if v.Term > n.Term {
			n.StepDown(v.Term)
			return
		}
		if n.Role != Candidate || v.Term != n.Term {
			return
		}
		if !v.Granted {
			n.Refused = true
			return
		}
		n.Votes[from] = true
		if n.Rule == Majority && 2*len(n.Votes) >= n.Nodes {
			n.BecomeLeader()
		}
	}
	// Counts refusals as votes.
	anyAnswer := func(n *Voter, from netsim.NodeID, v Vote) {
		if v.Term > n.Term {
			n.StepDown(v.Term)
			return
		}
		if n.Role != Candidate || v.Term != n.Term {
			return
		}
		n.Votes[from] = true
		if 2*len(n.Votes) > n.Nodes {
			n.BecomeLeader()
		}
	}
	// Never resets its timer after voting.
	noReset := func(n *Voter, from netsim.NodeID, req RequestVote) Vote {
		if req.Term > n.Term {
			n.StepDown(req.Term)
		}
		grant := req.Term == n.Term && n.Role == Follower && (n.VotedFor == "" || n.VotedFor == from)
		if grant {
			n.VotedFor = from
		}
		return Vote{Term: n.Term, Granted: grant}
	}
	return map[string]VoteHandlers{
		"vote for everyone": {RequestVote: everyone},
		"half is enough":    {Vote: half},
		"refusals count":    {Vote: anyAnswer},
		"no timer reset":    {RequestVote: noReset},
	}
}

func TestCheckHandlers(t *testing.T) {
	c, err := CheckHandlers(VoteHandlers{})
	require.NoError(t, err)
	assert.True(t, c.OK(), c.String())
	assert.Equal(t, 320, c.Runs)
	c, err = CheckHandlers(VoteHandlers{RequestVote: GrantVote, Vote: CountVote})
	require.NoError(t, err)
	assert.True(t, c.OK(), c.String())
	checks := map[string]HandlerCheck{}
	for name, h := range brokenHandlers() {
		c, err := CheckHandlers(h)
		require.NoError(t, err, name)
		assert.False(t, c.OK(), name)
		assert.Contains(t, c.String(), "✗", name)
		checks[name] = c
	}
	// Voting more than once per term, or counting refusals, elects two
	// leaders in one term, from the first cold start on.
	for _, name := range []string{"vote for everyone", "refusals count"} {
		c := checks[name]
		assert.Positive(t, c.TwoLeaders, name)
		assert.Contains(t, c.Problem, "term 1 has 2 leaders", name)
		assert.Equal(t, "cold start, 5 nodes, timeouts 150–155 ms", c.Scenario, name)
	}
	// Half the votes is a majority of 5 but not of 4: two leaders appear
	// in the 4-node runs.
	c = checks["half is enough"]
	assert.Positive(t, c.TwoLeaders)
	assert.Equal(t, "cold start, 4 nodes, timeouts 150–155 ms", c.Scenario)
	// Not resetting the timer after voting is safe but disruptive: the
	// voter soon times out and starts a competing term.
	c = checks["no timer reset"]
	assert.Zero(t, c.TwoLeaders)
	assert.Positive(t, c.Differ)
	// A node that never grants its vote elects nobody.
	never := VoteHandlers{RequestVote: func(n *Voter, from netsim.NodeID, req RequestVote) Vote {
		if req.Term > n.Term {
			n.StepDown(req.Term)
		}
		return Vote{Term: n.Term}
	}}
	c, err = CheckHandlers(never)
	require.NoError(t, err)
	assert.Positive(t, c.NoLeader)
	assert.Contains(t, c.Problem, "no leader within 1 s")
	// A handler that panics is an error naming the run.
	_, err = CheckHandlers(VoteHandlers{Vote: func(*Voter, netsim.NodeID, Vote) { panic("boom") }})
	assert.ErrorContains(t, err, "panicked")
}
