package mcheck

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/dslessons/course/pkg/netsim"
)

// Types for the codec tests: unexported fields, maps, pointers, slices,
// interfaces, embedded structs.

type inner struct {
	n    int
	tags []string
}

type link struct {
	v    int
	next *link
}

type kitchen struct {
	id     string
	count  int32
	flag   bool
	f      float64
	arr    [3]uint8
	ints   []int
	strs   []string
	m      map[string]int
	nested map[int][]inner
	p      *inner
	q      *inner
	any    any
	list   *link
	byKey  map[inner2]bool
	ifaces []any
	set    map[any]bool
	embedded
}

type inner2 struct {
	a int
	b string
}

type embedded struct{ e uint16 }

func (k *kitchen) Handle(*netsim.Context, netsim.Event) {}

func newKitchen() *kitchen {
	shared := &inner{n: 1, tags: []string{"x"}}
	cyc := &link{v: 1}
	cyc.next = &link{v: 2, next: cyc}
	return &kitchen{
		id: "k", count: 3, flag: true, f: 2.5, arr: [3]uint8{1, 2, 3},
		ints: []int{4, 5}, strs: []string{"a", "b"},
		m:      map[string]int{"a": 1, "b": 2, "c": 3},
		nested: map[int][]inner{1: {{n: 1}}, 2: {{n: 2, tags: []string{"t"}}}},
		p:      shared, q: shared,
		any:      &inner{n: 9},
		list:     cyc,
		byKey:    map[inner2]bool{{1, "x"}: true, {2, "y"}: false},
		ifaces:   []any{1, "s", inner2{3, "z"}, nil, []int{7}},
		set:      map[any]bool{1: true, "one": true, int64(1): false},
		embedded: embedded{e: 7},
	}
}

func mustEncode(t *testing.T, c *codec, n netsim.Node) []byte {
	t.Helper()
	b, err := c.appendNode(nil, n)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCodecCopyIsEqualAndIndependent(t *testing.T) {
	c := newCodec()
	k := newKitchen()
	enc := mustEncode(t, c, k)
	cp, err := c.copyNode(k)
	if err != nil {
		t.Fatal(err)
	}
	k2 := cp.(*kitchen)
	if !bytes.Equal(mustEncode(t, c, k2), enc) {
		t.Fatal("the copy encodes differently")
	}
	if !reflect.DeepEqual(k, k2) {
		t.Fatal("the copy is not deeply equal")
	}
	// Sharing and cycles are kept in the copy.
	if k2.p != k2.q || k2.p == k.p {
		t.Error("shared pointer not shared in the copy, or not copied")
	}
	if k2.list.next.next != k2.list || k2.list == k.list {
		t.Error("cycle not kept in the copy")
	}
	// Changing the copy leaves the original alone.
	k2.ints[0] = 99
	k2.strs = append(k2.strs, "c")
	k2.m["a"] = 100
	k2.nested[2][0].tags[0] = "changed"
	k2.p.n = 42
	k2.any.(*inner).n = 10
	k2.list.v = 50
	k2.ifaces[4].([]int)[0] = 8
	if !bytes.Equal(mustEncode(t, c, k), enc) {
		t.Error("changing the copy changed the original")
	}
	if bytes.Equal(mustEncode(t, c, k2), enc) {
		t.Error("the changed copy encodes as the original")
	}
}

func TestCodecCanonical(t *testing.T) {
	c := newCodec()
	enc := func(n netsim.Node) string { return string(mustEncode(t, c, n)) }
	// Map encodings do not depend on insertion order.
	a, b := &kitchen{m: map[string]int{}}, &kitchen{m: map[string]int{}}
	for i := 0; i < 50; i++ {
		a.m[string(rune('a'+i%26))+string(rune('A'+i/26))] = i
	}
	for i := 49; i >= 0; i-- {
		b.m[string(rune('a'+i%26))+string(rune('A'+i/26))] = i
	}
	if enc(a) != enc(b) {
		t.Error("maps with the same entries encode differently")
	}
	cases := []struct {
		name string
		x, y *kitchen
	}{
		{"nil and empty slice", &kitchen{ints: nil}, &kitchen{ints: []int{}}},
		{"shared and equal pointers", func() *kitchen { s := &inner{}; return &kitchen{p: s, q: s} }(),
			&kitchen{p: &inner{}, q: &inner{}}},
		{"int and int64 in an interface", &kitchen{any: 1}, &kitchen{any: int64(1)}},
		{"nil and zero interface", &kitchen{any: nil}, &kitchen{any: 0}},
		{"different strings", &kitchen{id: "ab"}, &kitchen{id: "a", strs: []string{"b"}}},
		{"unexported field", &kitchen{embedded: embedded{1}}, &kitchen{embedded: embedded{2}}},
	}
	for _, c := range cases {
		if enc(c.x) == enc(c.y) {
			t.Errorf("%s: equal encodings", c.name)
		}
	}
}

// Random values: the copy always encodes like the original.
func TestCodecRandom(t *testing.T) {
	c := newCodec()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		k := &kitchen{count: int32(rng.IntN(5)), m: map[string]int{}, nested: map[int][]inner{}}
		for j := rng.IntN(6); j > 0; j-- {
			k.m[string(rune('a'+rng.IntN(8)))] = rng.IntN(3)
			k.ints = append(k.ints, rng.IntN(4))
			k.nested[rng.IntN(4)] = append(k.nested[rng.IntN(4)], inner{n: rng.IntN(3)})
			k.ifaces = append(k.ifaces, []any{rng.IntN(3), "s", &inner{n: j}, nil}[rng.IntN(4)])
		}
		if rng.IntN(2) == 0 {
			k.p = &inner{n: rng.IntN(3)}
			k.q = k.p
		}
		cp, err := c.copyNode(k)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(mustEncode(t, c, k), mustEncode(t, c, cp)) || !reflect.DeepEqual(k, cp) {
			t.Fatalf("value %d: copy differs", i)
		}
	}
}

type withFunc struct {
	name string
	cb   []func()
}

func (*withFunc) Handle(*netsim.Context, netsim.Event) {}

type withChan struct{ in struct{ c chan int } }

func (*withChan) Handle(*netsim.Context, netsim.Event) {}

type withPtrKey struct{ m map[*int]bool }

func (*withPtrKey) Handle(*netsim.Context, netsim.Event) {}

func TestCodecRejects(t *testing.T) {
	c := newCodec()
	cases := []struct {
		n    netsim.Node
		want string
	}{
		{&withFunc{}, "withFunc.cb[i] (type func())"},
		{&withChan{}, "withChan.in.c (type chan int)"},
		{&withPtrKey{}, "map keys must be plain values"},
		{&kitchen{any: func() {}}, "kitchen.any (type func())"},
		{&kitchen{ifaces: []any{1, make(chan int)}}, "kitchen.ifaces[1] (type chan int)"},
		{&kitchen{set: map[any]bool{new(int): true}}, "map keys must be plain values"},
	}
	for _, tc := range cases {
		_, err := c.appendNode(nil, tc.n)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%T: error %v, want %q", tc.n, err, tc.want)
		}
		if _, err := c.copyNode(tc.n); err == nil && !strings.Contains(tc.want, "map keys") {
			t.Errorf("%T: copied without error", tc.n)
		}
	}
}

// A node may encode and copy itself.
type handCoded struct{ n int }

func (*handCoded) Handle(*netsim.Context, netsim.Event) {}
func (h *handCoded) AppendState(b []byte) []byte        { return append(b, byte(h.n)) }
func (h *handCoded) CloneNode() netsim.Node             { return &handCoded{n: h.n} }

func TestStateCodec(t *testing.T) {
	c := newCodec()
	h := &handCoded{n: 7}
	b := mustEncode(t, c, h)
	if !bytes.Equal(b, []byte{1, 7}) {
		t.Errorf("encoding %v", b)
	}
	cp, _ := c.copyNode(h)
	if cp.(*handCoded) == h || cp.(*handCoded).n != 7 {
		t.Error("CloneNode not used")
	}
}

func TestCopyValueSharesImmutable(t *testing.T) {
	c := newCodec()
	v := inner2{1, "x"}
	got, err := c.copyValue(v)
	if err != nil || got != any(v) {
		t.Errorf("copyValue(%v) = %v, %v", v, got, err)
	}
	s := []int{1, 2}
	got, _ = c.copyValue(s)
	got.([]int)[0] = 5
	if s[0] != 1 {
		t.Error("copyValue shared a slice")
	}
}

func TestText(t *testing.T) {
	cases := []struct {
		v    any
		want string
	}{
		{"a", `"a"`}, {3, "3"}, {nil, "nil"}, {true, "true"},
		{inner2{1, "x"}, `inner2{a:1, b:"x"}`},
		{&inner2{1, "x"}, `&inner2{a:1, b:"x"}`},
		{netsim.Time(5 * netsim.Millisecond), "5.000ms"},
		{strings.Repeat("é", 200), `"` + strings.Repeat("é", 99) + "…"},
	}
	for _, c := range cases {
		if got := Text(c.v); got != c.want {
			t.Errorf("Text(%#v) = %s, want %s", c.v, got, c.want)
		}
	}
}
