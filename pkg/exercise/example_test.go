package exercise_test

import (
	"fmt"
	"os"

	"github.com/dslessons/course/pkg/exercise"
)

var lesson = exercise.NewLesson("98-example", "Example")

// A value exercise: each student gets their own x; the verdict says how the
// answer is wrong, never what it should be.
var double = exercise.NewValue(lesson, "Exercise 1", exercise.ValueSpec[int, int]{
	Params:   func(v exercise.Variant) int { return exercise.IntBetween(v, 21, 10, 99) },
	Describe: func(x int) string { return fmt.Sprintf("x = %d", x) },
	Judge: func(x, answer int) exercise.Verdict {
		if answer == 2*x {
			return exercise.Right()
		}
		return exercise.Wrong(fmt.Sprintf("%d is %s", answer, exercise.Direction(float64(answer), float64(2*x), 0, 0)), "add x to itself")
	},
})

// A code exercise: the student writes max; a failing visible case is shown
// like a unit test's.
var maxOf = exercise.NewFunc(lesson, "Exercise 2", exercise.FuncSpec[func(a, b int) int, [2]int, int]{
	Call: func(f func(a, b int) int, in [2]int) int { return f(in[0], in[1]) },
	Test: exercise.Table(exercise.TableSpec[[2]int, int]{
		Visible: []exercise.Case[[2]int, int]{{In: [2]int{1, 2}, Want: 2}, {In: [2]int{5, 3}, Want: 5}},
		Hint:    "return the larger of the two",
	}),
})

func Example() {
	os.Unsetenv(exercise.StudentEnv)
	os.Unsetenv(exercise.HubUserEnv)
	double.Describe()
	double.Check(40)
	double.Check(42)
	maxOf.Check(func(a, b int) int { return b })
	// Output:
	// Exercise 1 — example numbers (no student ID is set, see lesson 00; graded work uses your own):
	//   x = 21
	// ✗ Exercise 1: 40 is too low. Hint: add x to itself.
	// ✓ Exercise 1: correct
	// ✗ Exercise 2: fails a visible case. Hint: return the larger of the two.
	//     input:    [5,3]
	//     expected: 5
	//     got:      3
}
