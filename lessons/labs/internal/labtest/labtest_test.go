package labtest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSections(t *testing.T) {
	dir := t.TempDir()
	sol := filepath.Join(dir, "sol.go.txt")
	ref := filepath.Join(dir, "ref_test.go")
	os.WriteFile(sol, []byte("// header\n\n//== answer: Lab\nvar a = 1\n\n//== answer: Lab #2\nvar b = 2\n"), 0o644)
	os.WriteFile(ref, []byte("package x\n\n// == answer: Lab\nvar a = 1\n\n// == answer: Lab #2\nvar b = 2\n\n// == end\nvar helper = 3\n"), 0o644)
	got, err := Sections(ref)
	if err != nil || len(got) != 2 || got["Lab"] != "var a = 1" || got["Lab #2"] != "var b = 2" {
		t.Fatalf("%q %v", got, err)
	}
	SameAnswers(t, sol, ref)
	os.WriteFile(ref, []byte("// == answer: Lab\nvar a = 1\n// == answer: Lab\n"), 0o644)
	if _, err := Sections(ref); err == nil {
		t.Fatal("two sections of one name accepted")
	}
	if _, err := Sections(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("a missing file accepted")
	}
}
