package exercise

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// ValueSpec defines an exercise whose answer is a value of type A, with
// per-student parameters of type P.
type ValueSpec[P, A any] struct {
	// Params returns the parameters of a variant. The example variant
	// (v.Example()) must give the numbers the lesson's prose uses.
	Params func(v Variant) P
	// Describe renders the parameters for the student ("μ = 1 request/ms,
	// λ = 0.82 requests/ms"). Optional: exercises without per-student
	// numbers leave it nil.
	Describe func(p P) string
	// Judge decides whether answer is right for p. Its verdict must not
	// contain the expected value: say which parts are wrong and give a
	// hint. It must not modify answer.
	Judge func(p P, answer A) Verdict
	// Points is what a right answer is worth when graded (default 1).
	Points float64
}

// Value is an exercise whose answer is a value.
type Value[P, A any] struct {
	header
	spec ValueSpec[P, A]
}

// NewValue defines the value exercise name of lesson l. Lesson packages
// call it in a package-level var; a nil Params or Judge is a programming
// error and panics.
func NewValue[P, A any](l *Lesson, name string, spec ValueSpec[P, A]) *Value[P, A] {
	if l == nil || spec.Params == nil || spec.Judge == nil {
		panic("exercise: NewValue " + name + " needs a lesson, Params and Judge")
	}
	if spec.Points == 0 {
		spec.Points = 1
	}
	e := &Value[P, A]{header: header{lesson: l, name: name, points: spec.Points}, spec: spec}
	l.add(e)
	return e
}

// Kind is ValueKind.
func (e *Value[P, A]) Kind() Kind { return ValueKind }

// ParamsFor returns the parameters of student's variant ("" for the
// example).
func (e *Value[P, A]) ParamsFor(student string) P {
	return e.spec.Params(NewVariant(e.lesson.ID, e.name, student))
}

// VariantOf returns student's parameters and their description.
func (e *Value[P, A]) VariantOf(student string) (any, string, bool) {
	p := e.ParamsFor(student)
	d := ""
	if e.spec.Describe != nil {
		d = e.spec.Describe(p)
	}
	return p, d, true
}

// Params returns the parameters of the variant of the student running the
// notebook (see Student).
func (e *Value[P, A]) Params() P {
	id, _ := Student()
	return e.ParamsFor(id)
}

// Describe prints the student's parameters for this exercise, saying whose
// they are. Call it in a cell before the answer cell.
func (e *Value[P, A]) Describe() {
	if e.spec.Describe == nil {
		return
	}
	id, source := Student()
	text := e.spec.Describe(e.ParamsFor(id))
	if id == "" {
		fmt.Fprintf(stdout(), "%s — example numbers (no student ID is set, see lesson 00; graded work uses your own):\n  %s\n", e.name, Wrap(text, 96, "  "))
		return
	}
	fmt.Fprintf(stdout(), "%s — your numbers (student %s, from %s):\n  %s\n", e.name, id, source, Wrap(text, 96, "  "))
}

// VerdictFor judges answer for student's variant ("" for the example).
func (e *Value[P, A]) VerdictFor(student string, answer A) Verdict {
	return e.VerdictWith(e.ParamsFor(student), answer)
}

// VerdictWith judges answer for the parameters p (tests use it to try
// chosen variants). A Judge that panics gives a failed verdict saying so.
func (e *Value[P, A]) VerdictWith(p P, answer A) (v Verdict) {
	defer func() {
		if r := recover(); r != nil {
			v = Wrong(fmt.Sprintf("the check could not judge this answer (%v)", r), "check the answer's type and shape against the stub")
		}
	}()
	return e.spec.Judge(p, answer)
}

// Check checks the answer and prints "✓ Exercise 1: correct" or "✗
// Exercise 1: …" (what is wrong and a hint), and reports whether it is
// right. Under the grader it only hands the answer to the judge and
// reports true; the judge decides.
func (e *Value[P, A]) Check(answer A) bool {
	if Grading() {
		raw, err := json.Marshal(answer)
		if err != nil {
			fmt.Fprintf(stdout(), "%s: the answer cannot be sent to the grader: %v\n", e.name, err)
			return false
		}
		if err := sendValue(e.lesson.ID, e.name, raw); err != nil {
			fmt.Fprintf(stdout(), "%s: could not reach the grader: %v\n", e.name, err)
			return false
		}
		fmt.Fprintf(stdout(), "%s: answer handed to the grader.\n", e.name)
		return true
	}
	id, _ := Student()
	v := e.VerdictFor(id, answer)
	return report(e.lesson.ID, e.name, v)
}

// judge decodes the answer the session carries and judges it.
func (e *Value[P, A]) judge(s *session, student string, _ uint64) Verdict {
	var answer A
	if err := decodeStrict(s.value, &answer); err != nil {
		return Wrong(fmt.Sprintf("the answer could not be read as %s (%v)", typeName[A](), err), "keep the answer's type as the stub declares it")
	}
	return e.VerdictFor(student, answer)
}

func typeName[T any]() string {
	var zero T
	if t := reflect.TypeOf(zero); t != nil {
		return t.String()
	}
	return reflect.TypeOf(&zero).Elem().String()
}

func decodeStrict(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		return fmt.Errorf("no value")
	}
	return json.Unmarshal(raw, v)
}
