package intro

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const repoRoot = "../.."

// notebookFiles lists notebooks/NN-*.ipynb.
func notebookFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(repoRoot, "notebooks"))
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		if regexp.MustCompile(`^(lab-)?\d\d-[a-z0-9-]+\.ipynb$`).MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names
}

func lessonFiles() []string {
	var fs []string
	for _, l := range Lessons() {
		fs = append(fs, l.File)
	}
	return fs
}

// The course map lists exactly the notebooks that exist, in reading order.
func TestCourseMapMatchesNotebooks(t *testing.T) {
	have := notebookFiles(t)
	listed := lessonFiles()
	for _, f := range have {
		assert.Contains(t, listed, f, "notebooks/%s exists but is not in the course map (add it to lessons in coursemap.go)", f)
	}
	for _, f := range listed {
		assert.Contains(t, have, f, "the course map lists %s but notebooks/ has no such file", f)
	}
	// Reading order: by number, a lab right after the lesson it builds on.
	key := func(f string) string {
		if n, ok := strings.CutPrefix(f, "lab-"); ok {
			return n[:2] + "~" + n
		}
		return f
	}
	assert.True(t, slices.IsSortedFunc(listed, func(a, b string) int { return strings.Compare(key(a), key(b)) }),
		"the course map must be in reading order (a lab after the lesson it is numbered after): %v", listed)
	assert.Len(t, slices.Compact(slices.Clone(listed)), len(listed), "duplicate lesson")
}

// The README's "## Lessons" table lists the same notebooks, in order, and
// is the table ReadmeLessonsTable generates.
func TestReadmeLessonsTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	require.NoError(t, err)
	readme := string(b)
	start := strings.Index(readme, "\n## Lessons\n")
	require.GreaterOrEqual(t, start, 0, "README has no '## Lessons' section")
	section := readme[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	var inTable []string
	for _, m := range regexp.MustCompile("(?m)^\\| \\[?`((?:lab-)?\\d\\d-[a-z0-9-]+)`").FindAllStringSubmatch(section, -1) {
		inTable = append(inTable, m[1]+".ipynb")
	}
	assert.Equal(t, lessonFiles(), inTable, "README lesson table and course map differ")
	assert.Contains(t, section, ReadmeLessonsTable(), "README table is not the generated one; paste intro.ReadmeLessonsTable()")
	assert.Contains(t, readme, "]("+ReadmeImage+")", "README does not show the picture")
}

// Every lesson named in the opening notebooks' text exists.
func TestNotebooksLinkOnlyToExistingLessons(t *testing.T) {
	have := notebookFiles(t)
	for _, nb := range []string{"00-course-map.ipynb", "01-introduction.ipynb"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, "notebooks", nb))
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		for _, m := range regexp.MustCompile(`\b(?:lab-)?\d\d-[a-z0-9-]+\.ipynb`).FindAllString(string(b), -1) {
			assert.Contains(t, have, m, "%s mentions %s, which does not exist", nb, m)
		}
	}
}

func TestCourseMapContent(t *testing.T) {
	ls := Lessons()
	require.NotEmpty(t, ls)
	assert.Equal(t, "00-course-map.ipynb", ls[0].File)
	assert.Equal(t, "01-introduction.ipynb", ls[1].File)
	for _, l := range ls {
		assert.NotEmpty(t, l.Title, l.File)
		assert.NotEmpty(t, l.Outcome, l.File)
		assert.NotEmpty(t, l.Problems, l.File)
		assert.NotContains(t, l.Outcome, "|", "a | would break the README table")
	}
	// The five problems, in the syllabus's order, each with a description.
	assert.Equal(t, []string{"partial failures", "unreliable networks", "unreliable time",
		"no single source of truth", "different opinions"},
		func() []string {
			var s []string
			for _, p := range Problems() {
				s = append(s, p.String())
				assert.NotEmpty(t, p.What())
			}
			return s
		}())
	assert.Equal(t, "Problem(9)", Problem(9).String())
	// The flagship lesson is filed under unreliable time.
	var names []string
	for _, l := range LessonsFor(UnreliableTime) {
		names = append(names, l.Name())
	}
	assert.Contains(t, names, "07-logical-time-lamport")
	assert.Empty(t, LessonsFor(Problem(42)))
}

func TestCourseMapTables(t *testing.T) {
	h, rows := ProblemsTable()
	assert.Len(t, rows, 5)
	assert.Equal(t, []string{"3", "unreliable time", UnreliableTime.What(), "06-time-in-computers, 07-logical-time-lamport, 08-vector-clocks, 12-ordering-messages, lab-12-totally-ordered-broadcast"}, rows[2])
	assert.Len(t, h, 4)
	html := CourseMapHTML()
	for _, l := range Lessons() {
		assert.Contains(t, html, `<a href="`+l.File+`">`+l.Title+`</a>`)
	}
	h, rows = CourseMapTable()
	assert.Len(t, h, 4)
	assert.Len(t, rows, len(Lessons()))
}
