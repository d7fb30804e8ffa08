package mcheck

import (
	"math/bits"
	"slices"
)

// The search stores everything as small integers. A global state is a
// fixed-width tuple of uint32 words (see engine) and a network (the
// multiset of messages in flight) a sorted list of envelope IDs; both are
// kept in a table: an arena of words with an open-addressing index.

// hashWords hashes a list of words.
func hashWords(w []uint32) uint64 {
	h := uint64(len(w))*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019
	i := 0
	for ; i+1 < len(w); i += 2 {
		hi, lo := bits.Mul64(h^(uint64(w[i])|uint64(w[i+1])<<32), 0xbf58476d1ce4e5b9)
		h = hi ^ lo
	}
	if i < len(w) {
		hi, lo := bits.Mul64(h^uint64(w[i]), 0x94d049bb133111eb)
		h = hi ^ lo
	}
	h ^= h >> 31
	h *= 0xd6e8feb86659fd93
	return h ^ h>>32
}

// table is a set of lists of words, numbered 0, 1, 2, ... in the order
// they were added. With width > 0 every list has that length (global
// states) and needs no offsets; with width 0 lists have any length
// (networks).
type table struct {
	width int
	arena []uint32 // the lists, one after the other
	off   []uint32 // width 0: list i is arena[off[i]:off[i+1]]
	slots []uint64 // 0 = empty, else the high half of the hash << 32 | (id+1)
	n     int
}

// newTable returns a table of lists of the given width (0: any length)
// with room for about hint lists before it grows.
func newTable(width, hint int) *table {
	t := &table{width: width}
	size := 1024
	for size < hint*2 {
		size *= 2
	}
	t.slots = make([]uint64, size)
	if width > 0 {
		t.arena = make([]uint32, 0, hint*width)
	} else {
		t.off = []uint32{0}
	}
	return t
}

func (t *table) len() int { return t.n }

func (t *table) get(id uint32) []uint32 {
	if t.width > 0 {
		o := int(id) * t.width
		return t.arena[o : o+t.width : o+t.width]
	}
	a, b := t.off[id], t.off[id+1]
	return t.arena[a:b:b]
}

// probe returns the slot of list w (hash h) and its ID if present, else
// the empty slot where it belongs.
func (t *table) probe(w []uint32, h uint64) (slot uint64, id uint32, found bool) {
	mask := uint64(len(t.slots) - 1)
	tag := h >> 32
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return i, 0, false
		}
		if s>>32 == tag && slices.Equal(t.get(uint32(s)-1), w) {
			return i, uint32(s) - 1, true
		}
	}
}

// find returns the ID of list w, or false.
func (t *table) find(w []uint32) (uint32, bool) {
	_, id, ok := t.probe(w, hashWords(w))
	return id, ok
}

// add returns the ID of list w, adding it if new; added reports whether
// it was.
func (t *table) add(w []uint32) (id uint32, added bool) {
	h := hashWords(w)
	slot, id, found := t.probe(w, h)
	if found {
		return id, false
	}
	id = uint32(t.n)
	t.n++
	t.arena = append(t.arena, w...)
	if t.width == 0 {
		t.off = append(t.off, uint32(len(t.arena)))
	}
	t.slots[slot] = h>>32<<32 | uint64(id+1)
	if t.n*4 > len(t.slots)*3 { // load above 3/4
		t.grow()
	}
	return id, true
}

func (t *table) grow() {
	slots := make([]uint64, len(t.slots)*2)
	mask := uint64(len(slots) - 1)
	for id := 0; id < t.n; id++ {
		h := hashWords(t.get(uint32(id)))
		i := h & mask
		for slots[i] != 0 {
			i = (i + 1) & mask
		}
		slots[i] = h>>32<<32 | uint64(id+1)
	}
	t.slots = slots
}

// intern returns the ID of list w, adding it if new.
func (t *table) intern(w []uint32) uint32 {
	id, _ := t.add(w)
	return id
}

func (t *table) bytes() int { return cap(t.arena)*4 + cap(t.off)*4 + len(t.slots)*8 }

// newNetTable returns a table of networks whose list 0 is the empty one.
func newNetTable() *table {
	t := newTable(0, 512)
	t.add(nil)
	return t
}
