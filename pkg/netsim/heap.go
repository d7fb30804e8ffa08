package netsim

// event is one scheduled input: a delivery, a timer, a node start or a
// scheduled action.
type event struct {
	at    Time
	seq   uint64
	msg   any
	id    uint64 // message number, timer ID, or action index
	sent  Time   // deliveries: send time
	node  int32  // target node
	from  int32  // deliveries: sender
	epoch uint32 // timers and starts: the node epoch they belong to
	kind  evKind
}

type evKind uint8

const (
	evStart evKind = iota
	evDeliver
	evTimer
	evAction
)

func (e *event) less(f *event) bool {
	return e.at < f.at || e.at == f.at && e.seq < f.seq
}

// eventQueue orders all pending events by (time, sequence number).
//
// Most events are deliveries on FIFO links, and their arrival times on
// one link never decrease. Such events go into a per-link FIFO "lane"
// (a ring buffer), and only the head of each non-empty lane sits in a
// small heap of keys. A delivery then costs an append, and popping it one
// sift-down of a 24-byte key. All other events (timers, starts, actions,
// reordered or duplicated messages, messages released by Resume) go into
// a 4-ary heap of events stored by value. Both structures share one
// sequence counter, so the merged order is exactly (at, seq): the same
// order a single heap would give (TestEventQueueOrder checks this against
// a sort).
//
// Measured alternatives that were not faster on BenchmarkAllToAll: one
// heap of all events (~15% slower), a slab with a heap of keys, a winner
// tree over all lanes, a radix heap of lane heads, 16-byte keys with the
// lane packed into seq, and a branchless (SUB/SBB + mask) comparison. A
// calendar queue (Brown 1988) of lane heads was 10% faster with 240 busy
// lanes but 20% slower with two, and a heap/calendar hybrid switching at
// 64 busy lanes gained 5% there while losing 7% on ping-pong, so the
// simpler heap stayed.
type eventQueue struct {
	misc  []event // 4-ary min-heap
	heads []key   // 4-ary min-heap of lane heads
	lanes []ring
	seq   uint64
	n     int // total pending events
}

// key is the (at, seq) of a lane's head event.
type key struct {
	at   Time
	seq  uint64
	lane int32
}

func (a *key) less(b *key) bool {
	return a.at < b.at || a.at == b.at && a.seq < b.seq
}

// ring is a FIFO of events with power-of-two capacity.
type ring struct {
	buf  []event
	head int
	n    int
}

// pushBack appends a zero event and returns it.
func (r *ring) pushBack() *event {
	if r.n == len(r.buf) {
		nb := make([]event, max(8, 2*len(r.buf)))
		for i := range r.n {
			nb[i] = r.buf[(r.head+i)&(len(r.buf)-1)]
		}
		r.buf, r.head = nb, 0
	}
	e := &r.buf[(r.head+r.n)&(len(r.buf)-1)]
	r.n++
	return e
}

func (r *ring) front() *event { return &r.buf[r.head] }

func (r *ring) popFront() event {
	e := r.buf[r.head]
	r.buf[r.head] = event{} // release the message for the GC
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.n--
	return e
}

func (q *eventQueue) len() int { return q.n }

// newLane returns the index of a new, empty FIFO lane.
func (q *eventQueue) newLane() int32 {
	q.lanes = append(q.lanes, ring{})
	return int32(len(q.lanes) - 1)
}

// push adds an event that may go anywhere in time order.
func (q *eventQueue) push(e event) {
	q.seq++
	e.seq = q.seq
	q.n++
	q.misc = append(q.misc, e)
	h := q.misc
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !e.less(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
}

// laneSlot appends an event at time at to a FIFO lane and returns it
// for the caller to fill in (all fields but at and seq are zero). at must
// not be earlier than the last event added to that lane.
func (q *eventQueue) laneSlot(lane int32, at Time) *event {
	q.seq++
	q.n++
	r := &q.lanes[lane]
	e := r.pushBack()
	e.at, e.seq = at, q.seq
	if r.n == 1 {
		q.pushKey(key{at: at, seq: q.seq, lane: lane})
	}
	return e
}

func (q *eventQueue) pushKey(k key) {
	q.heads = append(q.heads, k)
	h := q.heads
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !k.less(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = k
}

// next is the time of the earliest event; the queue must not be empty.
func (q *eventQueue) next() Time {
	if q.laneFirst() {
		return q.heads[0].at
	}
	return q.misc[0].at
}

// laneFirst reports whether the earliest event is a lane head.
func (q *eventQueue) laneFirst() bool {
	if len(q.heads) == 0 {
		return false
	}
	if len(q.misc) == 0 {
		return true
	}
	k, m := &q.heads[0], &q.misc[0]
	return k.at < m.at || k.at == m.at && k.seq < m.seq
}

// pop removes and returns the earliest event; the queue must not be empty.
func (q *eventQueue) pop() event {
	q.n--
	if !q.laneFirst() {
		return q.popMisc()
	}
	lane := q.heads[0].lane
	r := &q.lanes[lane]
	e := r.popFront()
	if r.n > 0 {
		f := r.front()
		q.siftKey(key{at: f.at, seq: f.seq, lane: lane})
	} else {
		n := len(q.heads) - 1
		last := q.heads[n]
		q.heads = q.heads[:n]
		if n > 0 {
			q.siftKey(last)
		}
	}
	return e
}

// siftKey puts k at the root of heads and sifts it down.
func (q *eventQueue) siftKey(k key) {
	h := q.heads
	n := len(h)
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := min(c+4, n)
		for j := c + 1; j < end; j++ {
			if h[j].less(&h[m]) {
				m = j
			}
		}
		if !h[m].less(&k) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = k
}

func (q *eventQueue) popMisc() event {
	h := q.misc
	top := h[0]
	n := len(h) - 1
	last := h[n]
	h[n] = event{} // release the message for the GC
	h = h[:n]
	q.misc = h
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := min(c+4, n)
		for k := c + 1; k < end; k++ {
			if h[k].less(&h[m]) {
				m = k
			}
		}
		if !h[m].less(&last) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = last
	return top
}
