package mcheck

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// The table against a map: the same lists get the same IDs, numbered in
// the order first added, through several growths.
func TestTable(t *testing.T) {
	for _, width := range []int{0, 3} {
		tab := newTable(width, 1)
		oracle := map[string]uint32{}
		rng := rand.New(rand.NewPCG(3, uint64(width)))
		for i := 0; i < 20000; i++ {
			n := width
			if n == 0 {
				n = rng.IntN(5)
			}
			w := make([]uint32, n)
			for k := range w {
				w[k] = uint32(rng.IntN(12))
			}
			key := fmt.Sprint(w)
			want, seen := oracle[key]
			if !seen {
				want = uint32(len(oracle))
				oracle[key] = want
			}
			id, added := tab.add(w)
			if id != want || added == seen {
				t.Fatalf("width %d: add(%v) = %d, %v; want %d, %v", width, w, id, added, want, !seen)
			}
			if got, ok := tab.find(w); !ok || got != id || fmt.Sprint(tab.get(id)) != key {
				t.Fatalf("width %d: find(%v) = %d, %v", width, w, got, ok)
			}
		}
		if tab.len() != len(oracle) {
			t.Errorf("width %d: %d lists, want %d", width, tab.len(), len(oracle))
		}
		if _, ok := tab.find(make([]uint32, max(width, 7))); ok && width == 0 {
			t.Error("found a list never added")
		}
	}
}
