package vectorclocks

import (
	"fmt"
	"slices"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/vclock"
)

// Misjudged is a pair of events that a shortened vector gets wrong.
type Misjudged struct {
	A, B  string
	Short vclock.Order     // what the shortened vectors say
	Truth history.Relation // what the event graph says
}

func (m Misjudged) String() string {
	return fmt.Sprintf("%s vs %s: shortened vectors say %s, truth is %s", m.A, m.B, m.Short, m.Truth)
}

// DropEntry replays h with vector clocks, deletes entry k (node k's
// counter) from every timestamp and lists the pairs of events whose
// relation the shortened vectors now get wrong. For any history in which
// node k does something, the list is not empty: every entry is needed.
// (That no cleverer encoding with fewer than n entries works either is
// the theorem of Charron-Bost 1991.)
func DropEntry(h *history.History, k int) ([]Misjudged, error) {
	if h == nil {
		return nil, fmt.Errorf("vectorclocks: nil history")
	}
	if k < 0 || k >= len(h.Nodes) {
		return nil, fmt.Errorf("vectorclocks: entry %d not in [0,%d)", k, len(h.Nodes))
	}
	r, err := vclock.Replay(h)
	if err != nil {
		return nil, err
	}
	short := make([]vclock.VC, len(r.Stamps))
	for e, v := range r.Stamps {
		short[e] = slices.Delete(v.Clone(), k, k+1)
	}
	var out []Misjudged
	for a := range h.Events {
		for b := a + 1; b < len(h.Events); b++ {
			truth := h.Relate(a, b)
			if got := vclock.Compare(short[a], short[b]); got != vclock.OrderOf(truth) {
				out = append(out, Misjudged{A: h.Name(a), B: h.Name(b), Short: got, Truth: truth})
			}
		}
	}
	return out, nil
}
