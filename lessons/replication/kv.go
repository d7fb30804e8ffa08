package replication

import (
	"slices"
	"strings"

	"github.com/dslessons/course/pkg/netsim"
)

// KV is the replicated state machine: a key-value store. Every replica
// applies the committed entries of its log in index order; since their
// logs agree on committed entries, their stores go through the same
// states. A command whose (client, seq) was applied before is skipped, so
// a retried request takes effect once.
type KV struct {
	data    map[string]string
	applied []Entry
	done    map[netsim.NodeID]map[int]bool
}

// NewKV returns an empty store.
func NewKV() *KV {
	return &KV{data: map[string]string{}, done: map[netsim.NodeID]map[int]bool{}}
}

// Apply applies the entry at index LastApplied()+1 and reports whether it
// changed the store (false for no-ops and duplicates).
func (kv *KV) Apply(e Entry) bool {
	kv.applied = append(kv.applied, e)
	c := e.Cmd
	if c.IsNoOp() {
		return false
	}
	seen := kv.done[c.Client]
	if seen == nil {
		seen = map[int]bool{}
		kv.done[c.Client] = seen
	}
	if seen[c.Seq] {
		return false
	}
	seen[c.Seq] = true
	if _, set := kv.data[c.Key]; set && c.Once {
		return false // a write-once register keeps its first value
	}
	kv.data[c.Key] = c.Value
	return true
}

// Reply is what the store answers the client of c once c is applied: the
// value of its key for a write-once command (which may be another
// command's value), "" otherwise.
func (kv *KV) Reply(c Command) string {
	if !c.Once {
		return ""
	}
	return kv.data[c.Key]
}

// LastApplied is the index of the last applied entry.
func (kv *KV) LastApplied() int { return len(kv.applied) }

// Applied lists the applied entries: Applied()[i-1] was applied at index i.
// The slice is shared: do not modify it.
func (kv *KV) Applied() []Entry { return kv.applied }

// Get returns the value of key.
func (kv *KV) Get(key string) (string, bool) {
	v, ok := kv.data[key]
	return v, ok
}

// Len is the number of keys.
func (kv *KV) Len() int { return len(kv.data) }

// String lists the store in key order: "x=5 y=2".
func (kv *KV) String() string {
	keys := make([]string, 0, len(kv.data))
	for k := range kv.data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k + "=" + kv.data[k])
	}
	return b.String()
}
