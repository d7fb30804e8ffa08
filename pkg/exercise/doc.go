// Package exercise defines the lessons' exercises and checks students'
// answers: in the notebook, where a check says right or wrong at once, and
// under the course's grader, where the student's program only hands over
// answers and a separate process, which student code cannot reach, decides.
//
// # Kinds of exercise
//
// A Value exercise asks for a value: a number, a prediction, a set of pairs.
// Its parameters can differ per student (Variant), so copying a classmate's
// numbers does not help; the notebook prints the student's own numbers
// (Describe). Its Judge says whether an answer is right and, when it is not,
// which parts are wrong and a hint — never the expected value.
//
// A Func exercise asks for code: a function, a handler, a strategy. Its Test
// calls the student's code on inputs (the visible cases in the notebook;
// under the grader also hidden cases drawn at grading time) and judges the
// outputs. A failing visible case is shown the way a unit test shows it:
// input, expected output, output.
//
// # In a lesson
//
// A lesson package declares its exercises once, as pointers, and registers
// them with its Lesson:
//
//	var Lesson = exercise.NewLesson("03-timeouts", "Timeouts")
//
//	var Exercise1 = exercise.NewValue(Lesson, "Exercise 1", exercise.ValueSpec[mm1, float64]{
//		Params:   func(v exercise.Variant) mm1 { ... },
//		Describe: func(p mm1) string { return fmt.Sprintf("μ = %g, λ = %g", p.Mu, p.Lambda) },
//		Judge:    func(p mm1, answer float64) exercise.Verdict { ... },
//	})
//
// and the notebook's check cell is one line:
//
//	%%
//	timeouts.Exercise1.Check(mm1Mean)
//
// The last cell of a lesson prints every exercise's ✓/✗:
//
//	%%
//	timeouts.Lesson.Summary()
//
// # Under the grader
//
// The grader (coursework/) runs a submitted notebook in a sandbox with
// GraderSocketEnv set. Check then sends the answer — a value, or the
// outputs of the student's function on the inputs the judge asks for — to
// the judge over that socket and prints only that it did. The judge
// (coursework/cmd/judge, the Judge type here) holds the exercises'
// definitions in its own process, regenerates each student's variant from
// the student ID the grader gives it, and decides. Nothing in the
// student's process can change a verdict: changing an exported exercise in
// a notebook only changes what that notebook prints.
package exercise
