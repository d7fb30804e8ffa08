package mcheck

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unsafe"

	"github.com/dslessons/course/pkg/netsim"
)

// StateCodec may be implemented by a node that encodes and copies its
// state by hand, faster than the checker's reflection (which needs no
// code at all and is usually fast enough: the checker encodes a node
// only when it reaches a local state it has not seen).
//
// AppendState appends an encoding of the node's state to b; two nodes
// must have equal encodings exactly when they behave the same from now
// on. CloneNode returns an independent deep copy: the checker runs Handle
// on the copy and keeps the original.
type StateCodec interface {
	AppendState(b []byte) []byte
	CloneNode() netsim.Node
}

// The codec encodes values canonically (equal encodings for equal
// values: map entries sorted by key, pointers shared or cyclic encoded as
// back-references) and deep-copies them, with one plan per type built on
// first use. It reads and writes unexported fields through unsafe
// pointers: plans are derived from reflect type information, and every
// store of a value holding pointers goes through reflect (typed copies,
// with the garbage collector's write barriers) or a typed pointer store.

type planKind uint8

const (
	kDense  planKind = iota // no pointers, no padding: raw bytes
	kString                 // string
	kStruct                 // fields
	kArray                  // elements
	kSlice
	kMap
	kPtr
	kIface
	kBad // func, chan, unsafe.Pointer
)

type plan struct {
	t       reflect.Type
	k       planKind
	size    uintptr
	elem    *plan // array, slice, pointer elem; map value
	key     *plan // map key
	n       int   // array length
	fields  []fieldPlan
	shallow bool  // a typed copy is an independent copy (strings at most)
	err     error // a func, chan or unsafe.Pointer reachable without going through an interface
}

type fieldPlan struct {
	name string
	off  uintptr
	p    *plan
}

// codecError is a value the checker cannot encode or copy, with the path
// to it ("Receiver.log[2].cb").
type codecError struct {
	path []string // innermost first
	t    reflect.Type
	why  string
}

func (e *codecError) Error() string {
	var b strings.Builder
	for i := len(e.path) - 1; i >= 0; i-- {
		b.WriteString(e.path[i])
	}
	where := b.String()
	if where == "" {
		return fmt.Sprintf("a value of type %s: %s", e.t, e.why)
	}
	return fmt.Sprintf("%s (type %s): %s", strings.TrimPrefix(where, "."), e.t, e.why)
}

// at adds a path segment to a codecError on its way up.
func at(err error, seg string) error {
	if ce, ok := err.(*codecError); ok {
		ce.path = append(ce.path, seg)
	}
	return err
}

// copyErr returns a fresh copy of a plan's static error, so that paths
// added on the way up do not accumulate in the plan.
func copyErr(err error) error {
	if ce, ok := err.(*codecError); ok {
		c := *ce
		c.path = slices.Clone(ce.path)
		return &c
	}
	return err
}

type codec struct {
	plans   map[reflect.Type]*plan
	typeIDs map[reflect.Type]uint64
	enc     encoder
	keys    encoder // map keys: no pointers allowed
}

func newCodec() *codec {
	c := &codec{plans: map[reflect.Type]*plan{}, typeIDs: map[reflect.Type]uint64{}}
	c.enc.c, c.keys.c, c.keys.noRefs = c, c, true
	return c
}

func (c *codec) typeID(t reflect.Type) uint64 {
	id, ok := c.typeIDs[t]
	if !ok {
		id = uint64(len(c.typeIDs)) + 1
		c.typeIDs[t] = id
	}
	return id
}

// plan returns the plan of t, building it (and the plans it needs) on
// first use.
func (c *codec) plan(t reflect.Type) *plan {
	if p, ok := c.plans[t]; ok {
		return p
	}
	p := &plan{t: t, size: t.Size()}
	c.plans[t] = p
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		p.k, p.shallow = kDense, true
	case reflect.String:
		p.k, p.shallow = kString, true
	case reflect.Array:
		p.k, p.n, p.elem = kArray, t.Len(), c.plan(t.Elem())
		p.shallow = p.elem.shallow
		if p.elem.k == kDense {
			p.k = kDense
		}
		if p.elem.err != nil {
			p.err = at(copyErr(p.elem.err), "[i]")
		}
	case reflect.Struct:
		p.k, p.shallow = kStruct, true
		dense, sum := true, uintptr(0)
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			fp := c.plan(f.Type)
			p.fields = append(p.fields, fieldPlan{name: f.Name, off: f.Offset, p: fp})
			p.shallow = p.shallow && fp.shallow
			dense = dense && fp.k == kDense
			sum += fp.size
			if fp.err != nil && p.err == nil {
				p.err = at(copyErr(fp.err), "."+f.Name)
			}
		}
		if dense && sum == t.Size() { // no padding
			p.k = kDense
		}
	case reflect.Slice:
		p.k, p.elem = kSlice, c.plan(t.Elem())
		if p.elem.err != nil {
			p.err = at(copyErr(p.elem.err), "[i]")
		}
	case reflect.Map:
		p.k, p.key, p.elem = kMap, c.plan(t.Key()), c.plan(t.Elem())
		switch {
		case p.key.err != nil:
			p.err = at(copyErr(p.key.err), "[key]")
		case !p.key.shallow && p.key.k != kIface: // interface keys are checked when encoded
			p.err = &codecError{t: t, why: "map keys must be plain values (numbers, strings, structs of them), not pointers"}
		case p.elem.err != nil:
			p.err = at(copyErr(p.elem.err), "[k]")
		}
	case reflect.Pointer:
		p.k = kPtr
		p.elem = c.plan(t.Elem())
		if p.elem.err != nil {
			p.err = copyErr(p.elem.err)
		}
	case reflect.Interface:
		p.k = kIface
	default: // func, chan, unsafe.Pointer
		p.k = kBad
		p.err = &codecError{t: t, why: "functions, channels and unsafe pointers have no state the checker can compare or copy; keep data in the node, not code"}
	}
	return p
}

// ref is a pointer or map already met while encoding or copying.
type ref struct {
	addr unsafe.Pointer
	t    reflect.Type
}

type encoder struct {
	c      *codec
	buf    []byte
	refs   map[ref]uint32
	noRefs bool
}

// reset prepares e to encode into buf.
func (e *encoder) reset(buf []byte) {
	e.buf = buf
	if len(e.refs) > 0 {
		clear(e.refs)
	}
}

func (e *encoder) uvarint(x uint64) { e.buf = binary.AppendUvarint(e.buf, x) }

// encode appends the encoding of the value of plan p at ptr.
func (e *encoder) encode(p *plan, ptr unsafe.Pointer) error {
	switch p.k {
	case kDense:
		e.buf = append(e.buf, unsafe.Slice((*byte)(ptr), p.size)...)
	case kString:
		s := *(*string)(ptr)
		e.uvarint(uint64(len(s)))
		e.buf = append(e.buf, s...)
	case kStruct:
		for i := range p.fields {
			f := &p.fields[i]
			if err := e.encode(f.p, unsafe.Add(ptr, f.off)); err != nil {
				return at(err, "."+f.name)
			}
		}
	case kArray:
		for i := 0; i < p.n; i++ {
			if err := e.encode(p.elem, unsafe.Add(ptr, uintptr(i)*p.elem.size)); err != nil {
				return at(err, fmt.Sprintf("[%d]", i))
			}
		}
	case kSlice:
		data, n := unsafe.SliceData(*(*[]byte)(ptr)), len(*(*[]byte)(ptr))
		if data == nil {
			e.buf = append(e.buf, 0)
			return nil
		}
		e.buf = append(e.buf, 1)
		e.uvarint(uint64(n))
		if p.elem.k == kDense {
			e.buf = append(e.buf, unsafe.Slice(data, uintptr(n)*p.elem.size)...)
			return nil
		}
		for i := 0; i < n; i++ {
			if err := e.encode(p.elem, unsafe.Add(unsafe.Pointer(data), uintptr(i)*p.elem.size)); err != nil {
				return at(err, fmt.Sprintf("[%d]", i))
			}
		}
	case kPtr:
		target := *(*unsafe.Pointer)(ptr)
		if target == nil {
			e.buf = append(e.buf, 0)
			return nil
		}
		if done, err := e.seen(p, target); done || err != nil {
			return err
		}
		e.buf = append(e.buf, 1)
		return e.encode(p.elem, target)
	case kMap:
		return e.encodeMap(p, ptr)
	case kIface:
		return e.encodeIface(p, ptr)
	case kBad:
		return copyErr(p.err)
	}
	return nil
}

// seen writes a back-reference if the pointer or map at addr was met
// before in this encoding and reports whether it did.
func (e *encoder) seen(p *plan, addr unsafe.Pointer) (bool, error) {
	if e.noRefs {
		return false, &codecError{t: p.t, why: "map keys must be plain values, not pointers or maps"}
	}
	r := ref{addr, p.t}
	if i, ok := e.refs[r]; ok {
		e.buf = append(e.buf, 2)
		e.uvarint(uint64(i))
		return true, nil
	}
	if e.refs == nil {
		e.refs = map[ref]uint32{}
	}
	e.refs[r] = uint32(len(e.refs))
	return false, nil
}

func (e *encoder) encodeMap(p *plan, ptr unsafe.Pointer) error {
	if p.err != nil {
		return copyErr(p.err)
	}
	mp := *(*unsafe.Pointer)(ptr)
	if mp == nil {
		e.buf = append(e.buf, 0)
		return nil
	}
	if done, err := e.seen(p, mp); done || err != nil {
		return err
	}
	m := reflect.NewAt(p.t, ptr).Elem()
	n := m.Len()
	e.buf = append(e.buf, 1)
	e.uvarint(uint64(n))
	if n == 0 {
		return nil
	}
	// Encode the keys apart, sort the entries by key encoding, then
	// write each key followed by its value (values are encoded in key
	// order, so back-references inside them are numbered canonically).
	keys := reflect.New(reflect.ArrayOf(n, p.t.Key())).Elem()
	vals := reflect.New(reflect.ArrayOf(n, p.t.Elem())).Elem()
	var kbuf []byte
	offs := make([]int, 0, n+1)
	order := make([]int, 0, n)
	it := m.MapRange()
	for i := 0; it.Next(); i++ {
		keys.Index(i).SetIterKey(it)
		vals.Index(i).SetIterValue(it)
		offs = append(offs, len(kbuf))
		ke := &e.c.keys
		saved := ke.buf
		ke.reset(kbuf)
		if err := ke.encode(p.key, keys.Index(i).Addr().UnsafePointer()); err != nil {
			ke.buf = saved
			return at(err, "[key]")
		}
		kbuf = ke.buf
		ke.buf = saved
		order = append(order, i)
	}
	offs = append(offs, len(kbuf))
	key := func(i int) []byte { return kbuf[offs[i]:offs[i+1]] }
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(key(a), key(b)) })
	base := vals.Index(0).Addr().UnsafePointer()
	for _, i := range order {
		e.buf = append(e.buf, key(i)...)
		if err := e.encode(p.elem, unsafe.Add(base, uintptr(i)*p.elem.size)); err != nil {
			return at(err, "["+fmt.Sprint(keys.Index(i))+"]")
		}
	}
	return nil
}

func (e *encoder) encodeIface(p *plan, ptr unsafe.Pointer) error {
	iv := reflect.NewAt(p.t, ptr).Elem()
	if iv.IsNil() {
		e.buf = append(e.buf, 0)
		return nil
	}
	dv := iv.Elem()
	dt := dv.Type()
	e.uvarint(e.c.typeID(dt))
	dp := e.c.plan(dt)
	if dp.err != nil {
		return copyErr(dp.err)
	}
	switch dp.k {
	case kPtr, kMap:
		w := dv.UnsafePointer()
		return e.encode(dp, unsafe.Pointer(&w))
	case kString:
		s := dv.String()
		return e.encode(dp, unsafe.Pointer(&s))
	}
	tmp := reflect.New(dt)
	tmp.Elem().Set(dv)
	return e.encode(dp, tmp.UnsafePointer())
}

// copier deep-copies values, keeping shared pointers and maps shared (and
// cycles cyclic) in the copy.
type copier struct {
	c    *codec
	refs map[ref]unsafe.Pointer
}

// set stores the value of type t at src into dst, as a typed copy.
func set(t reflect.Type, dst, src unsafe.Pointer) {
	reflect.NewAt(t, dst).Elem().Set(reflect.NewAt(t, src).Elem())
}

// copy makes the value at dst a deep copy of the value at src.
func (cp *copier) copy(p *plan, dst, src unsafe.Pointer) error {
	switch p.k {
	case kDense:
		copy(unsafe.Slice((*byte)(dst), p.size), unsafe.Slice((*byte)(src), p.size))
		return nil
	case kString:
		*(*string)(dst) = *(*string)(src)
		return nil
	case kBad:
		return copyErr(p.err)
	}
	if p.shallow {
		set(p.t, dst, src)
		return nil
	}
	switch p.k {
	case kStruct:
		set(p.t, dst, src)
		for i := range p.fields {
			f := &p.fields[i]
			if f.p.shallow {
				continue
			}
			if err := cp.copy(f.p, unsafe.Add(dst, f.off), unsafe.Add(src, f.off)); err != nil {
				return at(err, "."+f.name)
			}
		}
	case kArray:
		set(p.t, dst, src)
		for i := 0; i < p.n; i++ {
			off := uintptr(i) * p.elem.size
			if err := cp.copy(p.elem, unsafe.Add(dst, off), unsafe.Add(src, off)); err != nil {
				return at(err, fmt.Sprintf("[%d]", i))
			}
		}
	case kSlice:
		sv := reflect.NewAt(p.t, src).Elem()
		dv := reflect.NewAt(p.t, dst).Elem()
		if sv.IsNil() {
			dv.SetZero()
			return nil
		}
		n := sv.Len()
		nv := reflect.MakeSlice(p.t, n, n)
		if p.elem.shallow {
			reflect.Copy(nv, sv)
		} else if n > 0 {
			sd, nd := sv.UnsafePointer(), nv.UnsafePointer()
			for i := 0; i < n; i++ {
				off := uintptr(i) * p.elem.size
				if err := cp.copy(p.elem, unsafe.Add(nd, off), unsafe.Add(sd, off)); err != nil {
					return at(err, fmt.Sprintf("[%d]", i))
				}
			}
		}
		dv.Set(nv)
	case kPtr:
		target := *(*unsafe.Pointer)(src)
		if target == nil {
			*(*unsafe.Pointer)(dst) = nil
			return nil
		}
		r := ref{target, p.t}
		if np, ok := cp.refs[r]; ok {
			*(*unsafe.Pointer)(dst) = np
			return nil
		}
		np := reflect.New(p.elem.t).UnsafePointer()
		if cp.refs == nil {
			cp.refs = map[ref]unsafe.Pointer{}
		}
		cp.refs[r] = np
		if err := cp.copy(p.elem, np, target); err != nil {
			return err
		}
		*(*unsafe.Pointer)(dst) = np
	case kMap:
		return cp.copyMap(p, dst, src)
	case kIface:
		return cp.copyIface(p, dst, src)
	}
	return nil
}

func (cp *copier) copyMap(p *plan, dst, src unsafe.Pointer) error {
	if p.err != nil {
		return copyErr(p.err)
	}
	sv := reflect.NewAt(p.t, src).Elem()
	dv := reflect.NewAt(p.t, dst).Elem()
	mp := *(*unsafe.Pointer)(src)
	if mp == nil {
		dv.SetZero()
		return nil
	}
	r := ref{mp, p.t}
	if nm, ok := cp.refs[r]; ok {
		*(*unsafe.Pointer)(dst) = nm
		return nil
	}
	nm := reflect.MakeMapWithSize(p.t, sv.Len())
	if cp.refs == nil {
		cp.refs = map[ref]unsafe.Pointer{}
	}
	cp.refs[r] = nm.UnsafePointer()
	vt := p.t.Elem()
	var from, to reflect.Value
	if !p.elem.shallow {
		from, to = reflect.New(vt).Elem(), reflect.New(vt).Elem()
	}
	it := sv.MapRange()
	for it.Next() {
		if p.elem.shallow {
			nm.SetMapIndex(it.Key(), it.Value())
			continue
		}
		from.SetIterValue(it)
		to.SetZero()
		if err := cp.copy(p.elem, to.Addr().UnsafePointer(), from.Addr().UnsafePointer()); err != nil {
			return at(err, "["+fmt.Sprint(it.Key())+"]")
		}
		nm.SetMapIndex(it.Key(), to)
	}
	dv.Set(nm)
	return nil
}

func (cp *copier) copyIface(p *plan, dst, src unsafe.Pointer) error {
	sv := reflect.NewAt(p.t, src).Elem()
	dv := reflect.NewAt(p.t, dst).Elem()
	if sv.IsNil() {
		dv.SetZero()
		return nil
	}
	inner := sv.Elem()
	dt := inner.Type()
	dp := cp.c.plan(dt)
	if dp.err != nil {
		return copyErr(dp.err)
	}
	if dp.shallow { // the boxed value cannot be changed in place: share it
		dv.Set(sv)
		return nil
	}
	from := reflect.New(dt)
	from.Elem().Set(inner)
	to := reflect.New(dt)
	if err := cp.copy(dp, to.UnsafePointer(), from.UnsafePointer()); err != nil {
		return err
	}
	dv.Set(to.Elem())
	return nil
}

// Node values. A node is encoded and copied as the netsim.Node interface
// value holding it (usually a pointer to a struct), unless it implements
// StateCodec.

var nodeType = reflect.TypeFor[netsim.Node]()

// appendNode appends the canonical encoding of node n.
func (c *codec) appendNode(b []byte, n netsim.Node) ([]byte, error) {
	if sc, ok := n.(StateCodec); ok {
		b = append(b, 1)
		return sc.AppendState(b), nil
	}
	b = append(b, 0)
	c.enc.reset(b)
	err := c.enc.encode(c.plan(nodeType), unsafe.Pointer(&n))
	b = c.enc.buf
	c.enc.buf = nil
	return b, rooted(err, n)
}

// rooted names the node's type at the start of a codecError's path.
func rooted(err error, n netsim.Node) error {
	if err == nil {
		return nil
	}
	t := reflect.TypeOf(n)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	name := t.Name()
	if name == "" {
		name = t.String()
	}
	return at(err, name)
}

// copyNode returns a deep copy of node n.
func (c *codec) copyNode(n netsim.Node) (netsim.Node, error) {
	if sc, ok := n.(StateCodec); ok {
		out := sc.CloneNode()
		if out == nil {
			return nil, fmt.Errorf("CloneNode of %T returned nil", n)
		}
		return out, nil
	}
	var out netsim.Node
	cp := copier{c: c}
	err := cp.copy(c.plan(nodeType), unsafe.Pointer(&out), unsafe.Pointer(&n))
	return out, rooted(err, n)
}

// appendValue appends the canonical encoding of a message, timer tag or
// output value (its dynamic type, then the value).
func (c *codec) appendValue(b []byte, v any) ([]byte, error) {
	c.enc.reset(b)
	err := c.enc.encode(c.plan(anyType), unsafe.Pointer(&v))
	b = c.enc.buf
	c.enc.buf = nil
	return b, err
}

var anyType = reflect.TypeFor[any]()

// copyValue returns a deep copy of v, or v itself when nothing in it can
// be changed in place.
func (c *codec) copyValue(v any) (any, error) {
	if v == nil || c.plan(reflect.TypeOf(v)).shallow {
		return v, nil
	}
	var out any
	cp := copier{c: c}
	err := cp.copy(c.plan(anyType), unsafe.Pointer(&out), unsafe.Pointer(&v))
	return out, err
}

// checkType reports a static reason why values of type t cannot be
// encoded (a func or chan field), or nil.
func (c *codec) checkType(t reflect.Type) error {
	if err := c.plan(t).err; err != nil {
		return copyErr(err)
	}
	return nil
}
