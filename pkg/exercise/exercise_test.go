package exercise

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A lesson with one exercise of each kind, as a lesson package would write it.
var (
	testLesson = NewLesson("99-test", "Test lesson")

	// testSquare: the square of a per-student number.
	testSquare = NewValue(testLesson, "Exercise 1", ValueSpec[int, int]{
		Params:   func(v Variant) int { return IntBetween(v, 7, 11, 99) },
		Describe: func(p int) string { return fmt.Sprintf("x = %d", p) },
		Judge: func(p, answer int) Verdict {
			if answer == p*p {
				return Right()
			}
			return Wrong(fmt.Sprintf("%d is %s", answer, Direction(float64(answer), float64(p*p), 0, 0)), "multiply x by itself")
		},
	})

	// testAbs: write abs for ints.
	testAbs = NewFunc(testLesson, "Exercise 2", FuncSpec[func(int) int, int, int]{
		Call: func(f func(int) int, in int) int { return f(in) },
		Test: Table(TableSpec[int, int]{
			Visible: []Case[int, int]{{In: 3, Want: 3}, {In: -4, Want: 4}},
			Hidden: func(rng *rand.Rand) []Case[int, int] {
				var cs []Case[int, int]
				for i := 0; i < 20; i++ {
					x := rng.IntN(2001) - 1000
					cs = append(cs, Case[int, int]{In: x, Want: int(math.Abs(float64(x))), Name: "a random integer"})
				}
				return append(cs, Case[int, int]{In: 0, Want: 0, Name: "zero"})
			},
			Hint: "negate negative numbers",
		}),
		CallTimeout: 200 * time.Millisecond,
	})
)

func capture(t *testing.T) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	old := out
	out = &buf
	t.Cleanup(func() { out = old })
	return &buf
}

func TestVariantIsDeterministicAndExampleIsTheProse(t *testing.T) {
	if got := testSquare.ParamsFor(""); got != 7 {
		t.Fatalf("example variant: %d, want the prose's 7", got)
	}
	seen := map[int]bool{}
	for _, s := range []string{"alice", "bob", "carol", "dave", "erin", "frank"} {
		a, b := testSquare.ParamsFor(s), testSquare.ParamsFor(s)
		if a != b {
			t.Fatalf("%s: %d then %d", s, a, b)
		}
		if a < 11 || a > 99 {
			t.Fatalf("%s: %d outside [11,99]", s, a)
		}
		seen[a] = true
	}
	if len(seen) < 3 {
		t.Fatalf("six students share %d variants: %v", len(seen), seen)
	}
	if NewVariant("a", "b", "c").Rand().Uint64() == NewVariant("a", "b", "d").Rand().Uint64() {
		t.Fatal("different students, same random stream")
	}
}

func TestStudentIDFromTheEnvironment(t *testing.T) {
	t.Setenv(StudentEnv, "")
	t.Setenv(HubUserEnv, "")
	if id, src := Student(); id != "" || src != "" {
		t.Fatalf("no ID set: got %q from %q", id, src)
	}
	t.Setenv(HubUserEnv, "hubuser")
	if id, src := Student(); id != "hubuser" || src != HubUserEnv {
		t.Fatalf("got %q from %q", id, src)
	}
	t.Setenv(StudentEnv, " alice ")
	if id, src := Student(); id != "alice" || src != StudentEnv {
		t.Fatalf("got %q from %q", id, src)
	}
	for _, bad := range []string{"a b", "../x", strings.Repeat("a", MaxStudentID+1), "é"} {
		if CleanStudentID(bad) != "" {
			t.Errorf("%q accepted as a student ID", bad)
		}
	}
}

func TestValueCheckSaysRightOrWrongNeverTheAnswer(t *testing.T) {
	t.Setenv(StudentEnv, "alice")
	t.Setenv(GraderSocketEnv, "")
	x := testSquare.Params()
	buf := capture(t)
	if testSquare.Check(x*x + 1) {
		t.Fatal("wrong answer passed")
	}
	line := buf.String()
	if !strings.HasPrefix(line, "✗ Exercise 1: ") || !strings.Contains(line, "too high") || !strings.Contains(line, "Hint: multiply") {
		t.Fatalf("verdict line: %q", line)
	}
	if strings.Contains(line, fmt.Sprint(x*x)) {
		t.Fatalf("the verdict gives the answer %d away: %q", x*x, line)
	}
	buf.Reset()
	if !testSquare.Check(x * x) {
		t.Fatalf("right answer failed: %q", buf.String())
	}
	if buf.String() != "✓ Exercise 1: correct\n" {
		t.Fatalf("got %q", buf.String())
	}
}

func TestDescribeSaysWhoseNumbers(t *testing.T) {
	t.Setenv(HubUserEnv, "")
	t.Setenv(StudentEnv, "")
	buf := capture(t)
	testSquare.Describe()
	if !strings.Contains(buf.String(), "example numbers") || !strings.Contains(buf.String(), "x = 7") {
		t.Fatalf("%q", buf.String())
	}
	t.Setenv(StudentEnv, "bob")
	buf.Reset()
	testSquare.Describe()
	want := fmt.Sprintf("x = %d", testSquare.ParamsFor("bob"))
	if !strings.Contains(buf.String(), "student bob") || !strings.Contains(buf.String(), want) {
		t.Fatalf("%q", buf.String())
	}
}

func TestFuncCheckShowsTheFailingVisibleCase(t *testing.T) {
	t.Setenv(GraderSocketEnv, "")
	buf := capture(t)
	if testAbs.Check(func(x int) int { return x }) {
		t.Fatal("identity passed as abs")
	}
	got := buf.String()
	for _, want := range []string{"✗ Exercise 2: fails a visible case", "input:    -4", "expected: 4", "got:      -4", "Hint: negate"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %q", want, got)
		}
	}
}

func TestFuncHiddenCasesOnlyWhenAsked(t *testing.T) {
	// Right on the visible cases, wrong on others.
	fake := func(x int) int {
		if x == -4 {
			return 4
		}
		return x
	}
	if v := testAbs.VerdictOf(fake, false, 1); !v.Passed {
		t.Fatalf("visible cases only: %+v", v)
	}
	v := testAbs.VerdictOf(fake, true, 1)
	if v.Passed || !strings.Contains(v.Why, "hidden case") || strings.Contains(v.Case, "expected") {
		t.Fatalf("hidden cases: %+v", v)
	}
	abs := func(x int) int {
		if x < 0 {
			return -x
		}
		return x
	}
	if v := testAbs.VerdictOf(abs, true, 99); !v.Passed {
		t.Fatalf("a correct abs: %+v", v)
	}
}

// A table's Diagnose names the mistake in the reason, for visible and
// hidden cases; ShowOut formats the outputs of a failing visible case.
func TestTableDiagnoseAndShowOut(t *testing.T) {
	ex := NewFunc(NewLesson("test-diagnose", "Diagnose"), "Exercise 1", FuncSpec[func(int) int, int, int]{
		Call: func(f func(int) int, in int) int { return f(in) },
		Test: Table(TableSpec[int, int]{
			Visible: []Case[int, int]{{In: -4, Want: 4, Name: "a negative number"}},
			Hidden: func(rng *rand.Rand) []Case[int, int] {
				return []Case[int, int]{{In: -1000, Want: 1000, Name: "a large one"}}
			},
			ShowOut:  func(out int) string { return fmt.Sprintf("|x| = %d", out) },
			Diagnose: func(in, got int) string { return map[bool]string{true: "the sign was kept"}[got == in] },
			Hint:     "negate negative numbers",
		}),
	})
	v := ex.VerdictOf(func(x int) int { return x }, false, 1)
	if v.Why != "fails a visible case (a negative number): the sign was kept" || !strings.Contains(v.Case, "expected: |x| = 4") ||
		!strings.Contains(v.Case, "got:      |x| = -4") {
		t.Fatalf("visible: %+v", v)
	}
	small := func(x int) int {
		if x > -100 && x < 0 {
			return -x
		}
		return x
	}
	v = ex.VerdictOf(small, true, 1)
	if v.Why != "fails a hidden case (a large one): the sign was kept" || strings.Contains(v.Case, "expected") {
		t.Fatalf("hidden: %+v", v)
	}
	if v := ex.VerdictOf(func(x int) int { return 0 }, true, 1); v.Passed || strings.Contains(v.Why, "sign") {
		t.Fatalf("no diagnosis applies: %+v", v)
	}
}

// Draw calls its generator n times on one random source: the same seed
// gives the same cases.
func TestDraw(t *testing.T) {
	gen := func(rng *rand.Rand) Case[int, int] {
		x := rng.IntN(1000)
		return Case[int, int]{In: x, Want: 2 * x, Name: "random"}
	}
	hidden := Draw(5, gen)
	a, b := hidden(rand.New(rand.NewPCG(1, 2))), hidden(rand.New(rand.NewPCG(1, 2)))
	if len(a) != 5 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("Draw(5): %v and %v", a, b)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i, c := range a {
		if want := gen(rng); c != want {
			t.Fatalf("case %d is %v, want %v (the generator's %d-th result)", i, c, want, i)
		}
	}
	if got := Draw(0, gen)(rng); len(got) != 0 {
		t.Fatalf("Draw(0) drew %v", got)
	}
}

func TestFuncPanicsAndEndlessLoopsAreVerdicts(t *testing.T) {
	v := testAbs.VerdictOf(func(int) int { panic("boom") }, false, 1)
	if v.Passed || !strings.Contains(v.Why, "panicked: boom") {
		t.Fatalf("%+v", v)
	}
	v = testAbs.VerdictOf(func(int) int { select {} }, false, 1)
	if v.Passed || !strings.Contains(v.Why, "did not return") {
		t.Fatalf("%+v", v)
	}
}

func TestSummaryListsEveryExercise(t *testing.T) {
	t.Setenv(GraderSocketEnv, "")
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	t.Setenv(StudentEnv, "")
	capture(t)
	testSquare.Check(49)
	var buf bytes.Buffer
	testLesson.WriteSummary(&buf)
	s := buf.String()
	if !strings.Contains(s, "✓ Exercise 1") || !strings.Contains(s, "· Exercise 2") || !strings.Contains(s, "1 of 3 right") {
		t.Fatalf("%s", s)
	}
	testAbs.Check(func(x int) int { return x })
	buf.Reset()
	testLesson.WriteSummary(&buf)
	if !strings.Contains(buf.String(), "✗ Exercise 2") {
		t.Fatalf("%s", buf.String())
	}
}

func TestGoName(t *testing.T) {
	for name, want := range map[string]string{
		"Exercise 1": "Exercise1", "Exercise 2a": "Exercise2a", "Warm-up (E4 vs E6)": "WarmUpE4VsE6", "3 things": "X3Things",
	} {
		if got := GoName(name); got != want {
			t.Errorf("GoName(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestWrapKeepsWordsWhole(t *testing.T) {
	s := Wrap("aaa bbb ccc ddd", 9, "  ")
	if s != "aaa bbb\n  ccc ddd" {
		t.Fatalf("%q", s)
	}
	if Wrap("averyveryverylongword x", 5, "") != "averyveryverylongword\nx" {
		t.Fatal("long word")
	}
}

// startJudge runs a judge on a Unix socket and points the "student" side of
// this process at it.
func startJudge(t *testing.T, student string, seed uint64) (*Judge, func()) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "judge.sock")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	j := &Judge{Lesson: testLesson, Student: student, Seed: seed, HelloLimit: time.Second, SessionLimit: 5 * time.Second}
	done := make(chan error, 1)
	go func() { done <- j.Serve(l) }()
	t.Setenv(GraderSocketEnv, path)
	return j, func() {
		l.Close()
		if err := <-done; err != nil {
			t.Errorf("judge: %v", err)
		}
	}
}

func result(t *testing.T, j *Judge, name string) Result {
	t.Helper()
	for _, r := range j.Results() {
		if r.Exercise == name {
			return r
		}
	}
	t.Fatalf("no result for %s", name)
	return Result{}
}

func TestGradingHandsAnswersToTheJudge(t *testing.T) {
	j, stop := startJudge(t, "alice", 42)
	buf := capture(t)
	// The student's process believes it is carol: the judge uses alice,
	// whom the grader names.
	t.Setenv(StudentEnv, "carol")
	x := testSquare.ParamsFor("alice")
	testSquare.Check(x * x)
	if strings.Contains(buf.String(), "✓") || strings.Contains(buf.String(), "✗") {
		t.Fatalf("under the grader the notebook must not print a verdict: %q", buf.String())
	}
	testAbs.Check(func(x int) int {
		if x == -4 {
			return 4
		}
		return x
	})
	stop()
	if r := result(t, j, "Exercise 1"); !r.Answered || !r.Verdict.Passed {
		t.Fatalf("Exercise 1: %+v", r)
	}
	if r := result(t, j, "Exercise 2"); !r.Answered || r.Verdict.Passed || !strings.Contains(r.Verdict.Why, "hidden") {
		t.Fatalf("Exercise 2 (right only on the visible cases): %+v", r)
	}
}

func TestGradingUsesTheGradersStudentID(t *testing.T) {
	j, stop := startJudge(t, "alice", 1)
	capture(t)
	x := testSquare.ParamsFor("carol")
	if x == testSquare.ParamsFor("alice") {
		t.Skip("alice and carol happen to share a variant")
	}
	testSquare.Check(x * x) // carol's answer, copied by alice
	stop()
	if r := result(t, j, "Exercise 1"); r.Verdict.Passed {
		t.Fatal("a classmate's answer passed")
	}
}

func TestTamperingInTheStudentsProcessDoesNotReachTheJudge(t *testing.T) {
	// The judge's verdict comes from the definitions compiled into the
	// judge; a student can only send answers. A hostile client that claims
	// a verdict in its messages is ignored.
	j, stop := startJudge(t, "alice", 1)
	c, err := net.Dial("unix", j.socketForTest(t))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(c, `{"Op":"hello","Lesson":"99-test","Exercise":"Exercise 1","Kind":"value","Value":0,"Passed":true,"Verdict":{"Passed":true}}`+"\n")
	buf := make([]byte, 100)
	c.Read(buf)
	c.Close()
	stop()
	if r := result(t, j, "Exercise 1"); r.Verdict.Passed {
		t.Fatal("a claimed verdict was believed")
	}
}

func (j *Judge) socketForTest(t *testing.T) string {
	t.Helper()
	return strings.TrimSpace(getenv(GraderSocketEnv))
}

func TestHostileSessionsAreBounded(t *testing.T) {
	j, stop := startJudge(t, "alice", 1)
	path := j.socketForTest(t)
	send := func(payload string) {
		c, err := net.Dial("unix", path)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte(payload))
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		buf := make([]byte, 100)
		c.Read(buf)
	}
	start := time.Now()
	send("garbage\n")
	send(`{"Op":"hello","Lesson":"99-test","Exercise":"Exercise 9","Kind":"value","Value":1}` + "\n")
	send(`{"Op":"hello","Lesson":"99-test","Exercise":"Exercise 1","Kind":"function"}` + "\n")
	send(strings.Repeat("x", MaxMessage+10))
	send("") // says nothing: the hello limit ends it
	// A function session that never answers the calls.
	send(`{"Op":"hello","Lesson":"99-test","Exercise":"Exercise 2","Kind":"function"}` + "\n")
	if time.Since(start) > 20*time.Second {
		t.Fatalf("hostile sessions took %v", time.Since(start))
	}
	// The judge still works.
	capture(t)
	x := testSquare.ParamsFor("alice")
	testSquare.Check(x * x)
	stop()
	if r := result(t, j, "Exercise 1"); !r.Verdict.Passed {
		t.Fatalf("%+v", r)
	}
	if r := result(t, j, "Exercise 2"); r.Verdict.Passed || !strings.Contains(r.Verdict.Why, "stopped answering") {
		t.Fatalf("silent function session: %+v", r)
	}
	if len(j.Problems()) < 4 {
		t.Fatalf("problems: %q", j.Problems())
	}
}

func getenv(k string) string { return os.Getenv(k) }

// FuzzWireRead: whatever a session sends, reading it neither panics nor
// accepts more than MaxMessage bytes.
func FuzzWireRead(f *testing.F) {
	f.Add([]byte(`{"Op":"hello","Lesson":"99-test","Exercise":"Exercise 1","Kind":"value","Value":3}` + "\n"))
	f.Add([]byte("garbage\n"))
	f.Add([]byte(`{"Op":"out","ID":1,"Out":[1,2,3]}` + "\n"))
	f.Add([]byte{0, 0xff, '\n'})
	f.Fuzz(func(t *testing.T, data []byte) {
		a, b := net.Pipe()
		go func() {
			a.Write(data)
			a.Close()
		}()
		c := newConn(b)
		for i := 0; i < 3; i++ {
			if _, err := c.read(time.Now().Add(time.Second)); err != nil {
				break
			}
		}
		b.Close()
	})
}
