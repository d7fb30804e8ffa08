package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// files writes name → content under root.
func files(t *testing.T, root string, m map[string]string) {
	t.Helper()
	for name, content := range m {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A course module like this repository's: packages importing the standard
// library, each other, an internal package and a required module.
var course = map[string]string{
	"go.mod":              "module example.com/course\n\ngo 1.26.0\n\nrequire example.org/plot v1.0.0\n",
	"pkg/show/show.go":    "package show\n\nimport (\n\t\"fmt\"\n\t\"example.com/course/pkg/table\"\n\t\"example.org/plot/vg\"\n)\n",
	"pkg/table/table.go":  "package table\n\nimport \"example.com/course/internal/text\"\n",
	"internal/text/t.go":  "package text\n\nimport \"strings\"\n",
	"pkg/gen/gen.go":      "//go:build ignore\n\npackage main\n\nimport \"example.net/generator\"\n",
	"pkg/gen/lib.go":      "package gen\n",
	"pkg/show/x_test.go":  "package show\n\nimport \"example.net/testonly\"\n",
	"pkg/bad/bad.go":      "package bad\n\nimport \"example.net/unrequired\"\n",
	"pkg/broken/b.go":     "package broken\n\nimport (\n\t\"fmt\"\n",
	"nested/go.mod":       "module example.com/course/nested\n",
	"nested/n.go":         "package nested\n",
	"pkg/testdata/x/x.go": "package x\n",
	"pkg/empty/README":    "no Go here\n",
}

type setup struct {
	dir string // GoNB's temporary module
	env goEnv
}

func newSetup(t *testing.T, main string) setup {
	t.Helper()
	root := t.TempDir()
	courseDir := filepath.Join(root, "course")
	files(t, courseDir, course)
	dir := filepath.Join(root, "gonb_1234")
	files(t, dir, map[string]string{
		"go.mod":  "module gonb_1234\n\ngo 1.26.0\n\nreplace example.com/course => " + courseDir + "\n",
		"go.work": "go 1.26.0\n\nuse (\n\t.\n\t" + courseDir + "\n)\n",
		"main.go": main,
	})
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command(goCmd, "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	return setup{dir: dir, env: goEnv{goroot: strings.TrimSpace(string(out))}}
}

func program(imports ...string) string {
	var b strings.Builder
	b.WriteString("package main\n\nimport (\n")
	for _, i := range imports {
		b.WriteString("\t_ \"" + i + "\"\n")
	}
	b.WriteString(")\n\nfunc main() {}\n")
	return b.String()
}

func TestCanSkipGet(t *testing.T) {
	tests := []struct {
		name    string
		imports []string
		wantErr string // "" means go get can be skipped
	}{
		{"standard library only", []string{"fmt", "math/rand/v2", "net/http"}, ""},
		{"course packages and what they import", []string{"fmt", "example.com/course/pkg/show"}, ""},
		{"a file marked ignore is not read", []string{"example.com/course/pkg/gen"}, ""},
		{"cgo", []string{"C"}, ""},
		{"no such standard package", []string{"fmtx"}, "not in the standard library"},
		{"command packages", []string{"cmd/go"}, "not an importable standard package"},
		{"standard internal package", []string{"internal/abi"}, "may not import"},
		{"course internal package from the cell", []string{"example.com/course/internal/text"}, "may not import"},
		{"no such course package", []string{"example.com/course/pkg/nothere"}, "no Go files"},
		{"a directory without Go files", []string{"example.com/course/pkg/empty"}, "no Go files"},
		{"a nested module", []string{"example.com/course/nested"}, "nested"},
		{"testdata", []string{"example.com/course/pkg/testdata/x"}, "ignores directory"},
		{"third-party package from the cell", []string{"example.org/plot/vg"}, "not in the workspace"},
		{"course package importing an unrequired module", []string{"example.com/course/pkg/bad"}, "in no module"},
		{"syntax error in a course package's imports", []string{"example.com/course/pkg/broken"}, "expected"},
		{"invalid import path", []string{"example.com/a b"}, "invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSetup(t, program(tc.imports...))
			err := canSkipGet(s.dir, false, s.env)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("canSkipGet: %v; want nil", err)
			case tc.wantErr != "" && err == nil:
				t.Fatalf("canSkipGet: nil; want an error containing %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("canSkipGet: %v; want an error containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestCanSkipGetReadsTestFilesOnlyWithT(t *testing.T) {
	s := newSetup(t, program("fmt"))
	files(t, s.dir, map[string]string{"main_test.go": "package main\n\nimport \"example.org/plot\"\n"})
	if err := canSkipGet(s.dir, false, s.env); err != nil {
		t.Fatalf("without -t: %v", err)
	}
	if err := canSkipGet(s.dir, true, s.env); err == nil {
		t.Fatal("with -t the test file's third-party import must make go get run")
	}
}

func TestCanSkipGetRefusesUnknownSetUps(t *testing.T) {
	edits := []struct {
		name    string
		change  func(s *setup)
		wantErr string
	}{
		{"the cell's go.mod requires a module", func(s *setup) {
			appendFile(t, filepath.Join(s.dir, "go.mod"), "require example.org/plot v1.0.0\n")
		}, "requires"},
		{"the cell's go.mod replaces a module by a download", func(s *setup) {
			appendFile(t, filepath.Join(s.dir, "go.mod"), "replace example.org/plot => example.org/fork v1.0.0\n")
		}, "replaces"},
		{"go.work replaces a module", func(s *setup) {
			appendFile(t, filepath.Join(s.dir, "go.work"), "replace example.org/plot => ../plot\n")
		}, "replace"},
		{"GOWORK=off", func(s *setup) { s.env.gowork = "off" }, "GOWORK"},
		{"GOFLAGS=-mod=mod", func(s *setup) { s.env.goflags = "-buildvcs=false -mod=mod" }, "GOFLAGS"},
		{"GOTOOLCHAIN names a version", func(s *setup) { s.env.toolchain = "go1.99.0" }, "GOTOOLCHAIN"},
		{"no go.mod", func(s *setup) { os.Remove(filepath.Join(s.dir, "go.mod")) }, "go.mod"},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			s := newSetup(t, program("fmt"))
			if err := canSkipGet(s.dir, false, s.env); err != nil {
				t.Fatalf("before the change: %v", err)
			}
			e.change(&s)
			err := canSkipGet(s.dir, false, s.env)
			if err == nil || !strings.Contains(err.Error(), e.wantErr) {
				t.Fatalf("canSkipGet: %v; want an error containing %q", err, e.wantErr)
			}
		})
	}
}

func TestCanSkipGetWithoutGoWork(t *testing.T) {
	s := newSetup(t, program("fmt", "os"))
	os.Remove(filepath.Join(s.dir, "go.work"))
	os.WriteFile(filepath.Join(s.dir, "go.mod"), []byte("module gonb_1234\n\ngo 1.26.0\n"), 0o644)
	if err := canSkipGet(s.dir, false, s.env); err != nil {
		t.Fatalf("standard-library cell without a workspace: %v", err)
	}
	os.WriteFile(filepath.Join(s.dir, "main.go"), []byte(program("example.com/course/pkg/show")), 0o644)
	if err := canSkipGet(s.dir, false, s.env); err == nil {
		t.Fatal("a course package without a workspace must make go get run")
	}
}

func appendFile(t *testing.T, name, text string) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}
