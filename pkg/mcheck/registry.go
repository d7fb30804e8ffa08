package mcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
)

// Registry names the Go types of the outputs and messages that cross the
// wire between Serve and Dial. Values of a registered type travel as
// (name, JSON) and decode to the same type on the other side, so
// invariants written over State.Outputs and State.InFlight read the same
// values whether the nodes run in process or not. Both sides build their
// registry from the same lab definition; Dial checks that the names
// match.
//
// Every output must be of a registered type (Dial reports an error
// otherwise); messages need not be (unregistered ones keep their text,
// and Message.Msg is nil).
type Registry struct {
	byName map[string]reflect.Type
	byType map[reflect.Type]string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byName: map[string]reflect.Type{}, byType: map[reflect.Type]string{}}
}

// Register names the type of sample. The name is 1 to 64 letters, digits,
// '_' or '.'; the type must be plain data that JSON carries exactly: no
// functions, channels, interfaces or unexported struct fields.
func (r *Registry) Register(name string, sample any) error {
	if r == nil || r.byName == nil {
		return fmt.Errorf("mcheck: Register on a nil or zero Registry: use NewRegistry")
	}
	if err := validTypeName(name); err != nil {
		return err
	}
	if sample == nil {
		return fmt.Errorf("mcheck: Register(%q): nil sample", name)
	}
	t := reflect.TypeOf(sample)
	if _, dup := r.byName[name]; dup {
		return fmt.Errorf("mcheck: Register: name %q taken", name)
	}
	if old, dup := r.byType[t]; dup {
		return fmt.Errorf("mcheck: Register(%q): type %s is already registered as %q", name, t, old)
	}
	if err := jsonSafe(t, t.String(), map[reflect.Type]bool{}); err != nil {
		return fmt.Errorf("mcheck: Register(%q): %v", name, err)
	}
	r.byName[name] = t
	r.byType[t] = name
	return nil
}

func validTypeName(name string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("mcheck: type name %q must have 1 to 64 bytes", name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.') {
			return fmt.Errorf("mcheck: type name %q has character %q: allowed are letters, digits, '_' and '.'", name, c)
		}
	}
	return nil
}

// jsonSafe reports why values of type t would not survive a JSON round
// trip unchanged.
func jsonSafe(t reflect.Type, path string, seen map[reflect.Type]bool) error {
	if seen[t] {
		return nil
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Func, reflect.Chan, reflect.UnsafePointer, reflect.Interface, reflect.Complex64, reflect.Complex128, reflect.Uintptr:
		return fmt.Errorf("%s has type %s, which JSON does not carry exactly", path, t)
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return jsonSafe(t.Elem(), path+"[]", seen)
	case reflect.Map:
		if k := t.Key().Kind(); k != reflect.String && !(k >= reflect.Int && k <= reflect.Uint64) {
			return fmt.Errorf("%s has map key type %s: JSON keys must be strings or integers", path, t.Key())
		}
		return jsonSafe(t.Elem(), path+"[key]", seen)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				return fmt.Errorf("%s.%s is unexported: JSON would drop it", path, f.Name)
			}
			if tag := f.Tag.Get("json"); tag != "" {
				return fmt.Errorf("%s.%s has a json tag: registered types are encoded field by field", path, f.Name)
			}
			if err := jsonSafe(f.Type, path+"."+f.Name, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

// names returns the registered names, sorted.
func (r *Registry) names() []string {
	if r == nil {
		return nil
	}
	names := make([]string, 0, len(r.byName))
	for n := range r.byName {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// encode returns the registered name and JSON of v, or "" if v's type is
// not registered.
func (r *Registry) encode(v any) (string, []byte, error) {
	if r == nil || v == nil {
		return "", nil, nil
	}
	name, ok := r.byType[reflect.TypeOf(v)]
	if !ok {
		return "", nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", nil, fmt.Errorf("cannot encode %s as JSON: %v", Text(v), err)
	}
	return name, b, nil
}

// decode turns (name, JSON) back into a value of the registered type.
func (r *Registry) decode(name string, data []byte) (any, error) {
	var t reflect.Type
	if r != nil {
		t = r.byName[name]
	}
	if t == nil {
		return nil, fmt.Errorf("type name %q is not registered", name)
	}
	p := reflect.New(t)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(p.Interface()); err != nil {
		return nil, fmt.Errorf("decoding a %s: %v", name, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("decoding a %s: data after the value", name)
	}
	return p.Elem().Interface(), nil
}
