package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestFindRealGoSkipsItself(t *testing.T) {
	root := t.TempDir()
	wrapper := filepath.Join(root, "wrap", "go")
	other := filepath.Join(root, "real", "go")
	for _, p := range []string{wrapper, other} {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	notExec := filepath.Join(root, "plain", "go")
	os.MkdirAll(filepath.Dir(notExec), 0o755)
	os.WriteFile(notExec, nil, 0o644)
	// A symlink to the wrapper is the wrapper too.
	link := filepath.Join(root, "link")
	os.MkdirAll(link, 0o755)
	os.Symlink(wrapper, filepath.Join(link, "go"))

	path := filepath.Join(root, "wrap") + ":" + link + "::relative:" + filepath.Dir(notExec) + ":" + filepath.Join(root, "real")
	got, err := findReal("go", path, wrapper)
	if err != nil || got != other {
		t.Fatalf("findReal = %q, %v; want %q", got, err, other)
	}
	if _, err := findReal("go", filepath.Join(root, "wrap"), wrapper); err == nil {
		t.Fatal("findReal found a go when only the wrapper is on PATH")
	}
}

func TestWhichInvocationsAreGoNBs(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		get, build bool
	}{
		{[]string{"get"}, true, false},
		{[]string{"get", "-t"}, true, false},
		{[]string{"get", "example.org/x"}, false, false},
		{[]string{"get", "-u"}, false, false},
		{[]string{"build", "-o", "/tmp/gonb_1/gonb_1"}, false, true},
		{[]string{"test", "-c", "-o", "/tmp/gonb_1/gonb_1"}, false, true},
		{[]string{"test", "./..."}, false, false},
		{[]string{"list", "-m", "all"}, false, false},
		{nil, false, false},
	} {
		if got := isAutoGet(tc.args); got != tc.get {
			t.Errorf("isAutoGet(%q) = %v", tc.args, got)
		}
		if got := isCellBuild(tc.args); got != tc.build {
			t.Errorf("isCellBuild(%q) = %v", tc.args, got)
		}
	}
}

func TestLinkerFlagsComeBeforeTheUsers(t *testing.T) {
	got := withLinkerFlags([]string{"build", "-o", "bin", "-ldflags=-X main.v=1"})
	want := []string{"build", "-ldflags=-w", "-o", "bin", "-ldflags=-X main.v=1"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("withLinkerFlags = %q; want %q", got, want)
	}
}

func TestVisible(t *testing.T) {
	for _, tc := range []struct {
		importer, imp string
		ok            bool
	}{
		{"example.com/c/pkg/a", "example.com/c/internal/x", true},
		{"example.com/c", "example.com/c/internal/x", true},
		{"gonb_1", "example.com/c/internal/x", false},
		{"example.com/c/pkg/a", "example.com/c/pkg/b/internal/x", false},
		{"example.com/c/pkg/b/y", "example.com/c/pkg/b/internal/x", true},
		{"gonb_1", "internal/abi", false},
		{"gonb_1", "example.com/internalize", true},
	} {
		if err := visible(tc.importer, tc.imp); (err == nil) != tc.ok {
			t.Errorf("visible(%q, %q) = %v, want ok=%v", tc.importer, tc.imp, err, tc.ok)
		}
	}
}

// A go on PATH that runs the wrapper again (a user's own wrapper script, a
// misconfigured PATH) must end in an error, not in processes without end.
func TestWrapperLoopEndsInAnError(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	dir := t.TempDir()
	wrapper := filepath.Join(dir, "wrap", "go")
	os.MkdirAll(filepath.Dir(wrapper), 0o755)
	build := exec.Command("go", "build", "-o", wrapper, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// A shim after the wrapper on PATH that calls the wrapper by its path.
	shim := filepath.Join(dir, "shim", "go")
	os.MkdirAll(filepath.Dir(shim), 0o755)
	os.WriteFile(shim, []byte("#!/bin/sh\nexec "+wrapper+" \"$@\"\n"), 0o755)
	cmd := exec.Command(wrapper, "version")
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(wrapper)+":"+filepath.Dir(shim)+":/bin:/usr/bin", "KERNELGO_DEPTH=")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "leads back to it") {
		t.Fatalf("wrapper with a looping PATH: err %v, output %q", err, out)
	}
}
