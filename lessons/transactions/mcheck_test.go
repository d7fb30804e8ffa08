package transactions

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dslessons/course/pkg/mcheck"
	"github.com/dslessons/course/pkg/netsim"
)

// model puts the coordinator and the participants of cfg into a model
// checker: the same node code as on netsim, every interleaving explored.
func model(t *testing.T, cfg Config) (*mcheck.Model, []netsim.NodeID) {
	t.Helper()
	m := mcheck.NewModel(1)
	co, err := NewCoordinator(cfg)
	require.NoError(t, err)
	require.NoError(t, m.AddNode(Coordinator, co))
	ids := []netsim.NodeID{Coordinator}
	for _, id := range cfg.participants() {
		p, err := NewParticipant(cfg, id)
		require.NoError(t, err)
		require.NoError(t, m.AddNode(id, p))
		ids = append(ids, id)
	}
	return m, ids
}

// atomicityOverOutputs is the invariant "atomicity" written over what the
// processes output when they decide.
func atomicityOverOutputs(ids []netsim.NodeID) mcheck.Invariant {
	return mcheck.Invariant{Name: Atomicity, Check: func(s *mcheck.State) error {
		first, who := Unknown, netsim.NodeID("")
		for _, id := range ids {
			for _, o := range s.Outputs(id) {
				switch {
				case !first.Decided():
					first, who = o.(Outcome), id
				case o.(Outcome) != first:
					return fmt.Errorf("%s decided %s but %s decided %s", who, first, id, o)
				}
			}
		}
		return nil
	}}
}

// The nodes are reusable under the model checker: two-phase commit keeps
// atomicity in every interleaving with a crash and a lost message, and
// the broken variants are caught with a short counterexample.
func TestModelChecked(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Participants = 2
	m, ids := model(t, cfg)
	r, err := mcheck.Check(m, mcheck.Options{Invariants: []mcheck.Invariant{atomicityOverOutputs(ids)},
		Faults: mcheck.Faults{Crash: 1, Loss: 1}, MaxDepth: 14, MaxTime: time.Minute})
	require.NoError(t, err)
	assert.Equal(t, mcheck.Passed, r.Outcome, "%v", r)
	t.Log(r)

	for _, broken := range []func(*Config){
		func(c *Config) { c.Broken.AbortOnTimeout = true },
		func(c *Config) { c.Protocol, c.Terminate = Cooperative, CommitIfAllPrepared },
		func(c *Config) { c.Broken.ForgetDecision = true },
	} {
		c := DefaultConfig()
		c.Participants = 2
		broken(&c)
		m, ids := model(t, c)
		r, err := mcheck.Check(m, mcheck.Options{Invariants: []mcheck.Invariant{atomicityOverOutputs(ids)},
			Faults: mcheck.Faults{Crash: 1}, MaxDepth: 14, MaxTime: time.Minute})
		require.NoError(t, err)
		assert.Equal(t, mcheck.Violated, r.Outcome, "%v", r)
		assert.Equal(t, Atomicity, r.Property)
		t.Log(r)
	}
}
