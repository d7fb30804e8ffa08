package mcheck

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxText bounds how transcripts show one value.
const maxText = 200

// Text is how transcripts show a message, timer tag or output: a string
// quoted, a fmt.Stringer or error by its method, other values in Go
// syntax without their package name (Data{Seq:0, Val:"a"}). Long texts
// are cut at 200 bytes.
func Text(v any) (s string) {
	defer func() {
		if p := recover(); p != nil {
			s = fmt.Sprintf("%T(String panicked: %v)", v, p)
		}
		if len(s) > maxText {
			cut := maxText
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
			s = s[:cut] + "…"
		}
	}()
	switch x := v.(type) {
	case nil:
		return "nil"
	case string:
		return strconv.Quote(x)
	case fmt.Stringer:
		return x.String()
	case error:
		return x.Error()
	case bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return fmt.Sprint(x)
	}
	s = fmt.Sprintf("%#v", v)
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if pkg := t.PkgPath(); pkg != "" {
		name := pkg[strings.LastIndexByte(pkg, '/')+1:] + "."
		if strings.HasPrefix(s, name) {
			s = s[len(name):]
		} else if strings.HasPrefix(s, "&"+name) {
			s = "&" + s[1+len(name):]
		}
	}
	return s
}
