package probe

import (
	"errors"
	"fmt"
	"testing"
)

// recorder is the test's testing.TB with its failures recorded instead
// of reported, so that the test can check that Err fails when it should.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()                   {}
func (r *recorder) Errorf(string, ...any)     { r.failed = true }
func (r *recorder) FailNow()                  { r.failed = true; panic(r) }
func (r *recorder) Fatalf(f string, a ...any) { r.Errorf(f, a...); r.FailNow() }

func failed(t *testing.T, err error, pkg, want string) (f bool) {
	r := &recorder{TB: t}
	defer func() {
		if p := recover(); p != nil && p != any(r) {
			panic(p)
		}
		f = r.failed
	}()
	Err(r, err, pkg, want)
	return
}

func TestErr(t *testing.T) {
	for _, tc := range []struct {
		err        error
		pkg, want  string
		shouldFail bool
	}{
		{nil, "netsim", "", false},
		{errors.New("netsim: loss 2 not in [0,1]"), "netsim", "not in [0,1]", false},
		{errors.New("netsim: loss 2 not in [0,1]"), "netsim", "", true},             // an error where none is allowed
		{nil, "netsim", "not in [0,1]", true},                                       // no error where one is wanted
		{errors.New("loss 2 not in [0,1]"), "netsim", "not in [0,1]", true},         // no package prefix
		{errors.New("quorum: loss 2 not in [0,1]"), "netsim", "not in [0,1]", true}, // another package's prefix
		{errors.New("netsim: something else"), "netsim", "not in [0,1]", true},      // not the expected error
	} {
		t.Run(fmt.Sprint(tc.err, "/", tc.want), func(t *testing.T) {
			if got := failed(t, tc.err, tc.pkg, tc.want); got != tc.shouldFail {
				t.Errorf("Err(%v, %q, %q) failed = %t, want %t", tc.err, tc.pkg, tc.want, got, tc.shouldFail)
			}
		})
	}
}

// Run runs every case, each as a subtest named by its Name.
func TestRun(t *testing.T) {
	var ran []string
	Run(t, "netsim", []Case{
		{"fine", func() error { ran = append(ran, t.Name()); return nil }, ""},
		{"bad loss", func() error { ran = append(ran, "bad loss"); return errors.New("netsim: loss 2 not in [0,1]") }, "not in [0,1]"},
	})
	if fmt.Sprint(ran) != "[TestRun bad loss]" {
		t.Fatalf("ran %v", ran)
	}
}
