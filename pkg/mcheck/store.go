package mcheck

import (
	"math/bits"
	"slices"
)

// The search stores everything as small integers. A global state is a
// fixed-width tuple of uint32 words (see engine), kept in an arena with an
// open-addressing index; a network (the multiset of messages in flight)
// is a sorted list of envelope IDs, interned the same way.

// hashWords hashes a tuple of words.
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

// tupleTable is a set of fixed-width tuples numbered 0, 1, 2, ... in the
// order they were added.
type tupleTable struct {
	width int
	arena []uint32 // tuple i is arena[i*width : (i+1)*width]
	slots []uint64 // 0 = empty, else hash<<32 | (id+1)
	n     int
}

func newTupleTable(width, hint int) *tupleTable {
	t := &tupleTable{width: width}
	size := 1024
	for size < hint*2 {
		size *= 2
	}
	t.slots = make([]uint64, size)
	t.arena = make([]uint32, 0, hint*width)
	return t
}

func (t *tupleTable) len() int { return t.n }

func (t *tupleTable) get(id uint32) []uint32 {
	o := int(id) * t.width
	return t.arena[o : o+t.width : o+t.width]
}

// find returns the ID of tuple w, or false.
func (t *tupleTable) find(w []uint32) (uint32, bool) {
	h := hashWords(w)
	mask := uint64(len(t.slots) - 1)
	tag := h >> 32
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return 0, false
		}
		if s>>32 == tag {
			id := uint32(s) - 1
			if slices.Equal(t.get(id), w) {
				return id, true
			}
		}
	}
}

// add returns the ID of tuple w, adding it if new; added reports whether
// it was.
func (t *tupleTable) add(w []uint32) (id uint32, added bool) {
	h := hashWords(w)
	mask := uint64(len(t.slots) - 1)
	tag := h >> 32
	i := h & mask
	for ; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			break
		}
		if s>>32 == tag {
			id := uint32(s) - 1
			if slices.Equal(t.get(id), w) {
				return id, false
			}
		}
	}
	id = uint32(t.n)
	t.n++
	t.arena = append(t.arena, w...)
	t.slots[i] = tag<<32 | uint64(id+1)
	if t.n*4 > len(t.slots)*3 { // load above 3/4
		t.grow()
	}
	return id, true
}

func (t *tupleTable) grow() {
	slots := make([]uint64, len(t.slots)*2)
	mask := uint64(len(slots) - 1)
	for id := 0; id < t.n; id++ {
		h := hashWords(t.get(uint32(id)))
		i := h & mask
		for slots[i] != 0 {
			i = (i + 1) & mask
		}
		slots[i] = (h>>32)<<32 | uint64(id+1)
	}
	t.slots = slots
}

func (t *tupleTable) bytes() int { return cap(t.arena)*4 + len(t.slots)*8 }

// listTable interns variable-length sorted lists of uint32 (networks).
// List 0 is the empty list.
type listTable struct {
	arena []uint32 // each list stored as its items
	off   []uint32 // list i is arena[off[i]:off[i+1]]
	slots []uint64
}

func newListTable() *listTable {
	t := &listTable{off: []uint32{0, 0}, slots: make([]uint64, 1024)}
	t.slots[hashWords(nil)&1023] = hashWords(nil)>>32<<32 | 1
	return t
}

func (t *listTable) get(id uint32) []uint32 {
	a, b := t.off[id], t.off[id+1]
	return t.arena[a:b:b]
}

func (t *listTable) count() int { return len(t.off) - 1 }

func (t *listTable) add(w []uint32) uint32 {
	h := hashWords(w)
	mask := uint64(len(t.slots) - 1)
	tag := h >> 32
	i := h & mask
	for ; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			break
		}
		if s>>32 == tag {
			id := uint32(s) - 1
			if slices.Equal(t.get(id), w) {
				return id
			}
		}
	}
	id := uint32(t.count())
	t.arena = append(t.arena, w...)
	t.off = append(t.off, uint32(len(t.arena)))
	t.slots[i] = tag<<32 | uint64(id+1)
	if t.count()*4 > len(t.slots)*3 {
		slots := make([]uint64, len(t.slots)*2)
		mask := uint64(len(slots) - 1)
		for id := 0; id < t.count(); id++ {
			h := hashWords(t.get(uint32(id)))
			j := h & mask
			for slots[j] != 0 {
				j = (j + 1) & mask
			}
			slots[j] = (h>>32)<<32 | uint64(id+1)
		}
		t.slots = slots
	}
	return id
}

func (t *listTable) bytes() int { return cap(t.arena)*4 + cap(t.off)*4 + len(t.slots)*8 }
