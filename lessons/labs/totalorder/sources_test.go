package totalorder_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// sections splits text at lines "//== answer: NAME" (or "// == answer:
// NAME" in a Go file, where gofmt adds the space) up to the next such line
// or "// == end", and returns NAME -> the lines in between, trimmed.
func sections(text string) map[string]string {
	out := map[string]string{}
	re := regexp.MustCompile(`^//\s?==\s*(answer: (.*)|end)\s*$`)
	var name string
	var lines []string
	flush := func() {
		if name != "" {
			out[name] = strings.TrimSpace(strings.Join(lines, "\n"))
		}
	}
	for _, l := range strings.Split(text, "\n") {
		if m := re.FindStringSubmatch(l); m != nil {
			flush()
			name, lines = m[2], nil
			continue
		}
		lines = append(lines, l)
	}
	flush()
	return out
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const notebook = "../../../notebooks/lab-12-totally-ordered-broadcast.ipynb"

func TestReferenceIsTheSolution(t *testing.T) {
	ref := sections(read(t, "reference_test.go"))
	sol := sections(read(t, "solutions/lab-12-totally-ordered-broadcast.go.txt"))
	if len(sol) != 3 || len(ref) != 3 {
		t.Fatalf("%d sections in the solutions file, %d in reference_test.go; want 3 (Lab, Lab #2, Lab #3)", len(sol), len(ref))
	}
	for name, s := range sol {
		if ref[name] != s {
			t.Errorf("answer %q differs between the solutions file and reference_test.go", name)
		}
	}
}

// The notebook's answer cells hold the starter code of starter_test.go
// (there the node type is called Starter).
func TestStarterIsTheNotebooks(t *testing.T) {
	var nb struct {
		Cells []struct {
			Type   string   `json:"cell_type"`
			Source []string `json:"source"`
		} `json:"cells"`
	}
	if err := json.Unmarshal([]byte(read(t, notebook)), &nb); err != nil {
		t.Fatal(err)
	}
	var answers []string
	for _, c := range nb.Cells {
		src := strings.Join(c.Source, "")
		if i := strings.Index(src, "// BEGIN ANSWER\n"); c.Type == "code" && i >= 0 {
			j := strings.Index(src, "// END ANSWER")
			answers = append(answers, strings.TrimSpace(src[i+len("// BEGIN ANSWER\n"):j]))
		}
	}
	st := sections(read(t, "starter_test.go"))
	want := []string{st["Lab"], st["Lab #2"], st["Lab #3"]}
	if len(answers) != len(want) {
		t.Fatalf("the notebook has %d answer cells, want %d", len(answers), len(want))
	}
	for i := range want {
		if got := strings.ReplaceAll(want[i], "Starter", "Node"); answers[i] != got {
			t.Errorf("answer cell %d of the notebook differs from starter_test.go:\n%s\n---\n%s", i+1, answers[i], got)
		}
	}
}
