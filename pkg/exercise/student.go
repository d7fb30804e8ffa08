package exercise

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"strings"
)

// Where the student's ID comes from, first match wins.
const (
	// StudentEnv is set by the student (`COURSE_STUDENT_ID=alice
	// ./start.sh`) or by the grader, to the nbgrader student ID.
	StudentEnv = "COURSE_STUDENT_ID"
	// HubUserEnv is set by JupyterHub in every single-user server.
	HubUserEnv = "JUPYTERHUB_USER"
)

// MaxStudentID bounds the length of a student ID.
const MaxStudentID = 64

// Student returns the ID whose variant the notebook shows and where it
// came from ("COURSE_STUDENT_ID", "JUPYTERHUB_USER", or "" for none). With
// no ID, exercises use their example variant: the numbers in the lesson's
// prose.
func Student() (id, source string) {
	for _, env := range []string{StudentEnv, HubUserEnv} {
		if v := CleanStudentID(os.Getenv(env)); v != "" {
			return v, env
		}
	}
	return "", ""
}

// CleanStudentID trims s and keeps it only if it is a plausible ID:
// 1..MaxStudentID bytes of letters, digits, '.', '_', '-' and '@'.
func CleanStudentID(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > MaxStudentID {
		return ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '@') {
			return ""
		}
	}
	return s
}

// Variant is one student's version of an exercise. Its random source is
// seeded from the lesson, the exercise and the student ID, so the grader
// regenerates exactly the numbers the student saw.
type Variant struct {
	Student string // "" for the example variant
	rng     *rand.Rand
}

// NewVariant returns the variant of exercise name in lesson for student.
func NewVariant(lesson, name, student string) Variant {
	h := sha256.Sum256([]byte("exercise variant\x00" + lesson + "\x00" + name + "\x00" + student))
	return Variant{
		Student: student,
		rng:     rand.New(rand.NewPCG(binary.LittleEndian.Uint64(h[:8]), binary.LittleEndian.Uint64(h[8:16]))),
	}
}

// Example reports whether this is the example variant (no student ID):
// exercises then use the numbers of the lesson's prose.
func (v Variant) Example() bool { return v.Student == "" }

// Rand is the variant's random source.
func (v Variant) Rand() *rand.Rand { return v.rng }

// Pick returns one of choices, chosen by the variant (the first for the
// example variant). It returns the zero value for no choices.
func Pick[T any](v Variant, choices ...T) T {
	var zero T
	if len(choices) == 0 {
		return zero
	}
	if v.Example() || v.rng == nil {
		return choices[0]
	}
	return choices[v.rng.IntN(len(choices))]
}

// IntBetween returns an int in [lo, hi] chosen by the variant (example for
// the example variant).
func IntBetween(v Variant, example, lo, hi int) int {
	if v.Example() || v.rng == nil || hi <= lo {
		return example
	}
	return lo + v.rng.IntN(hi-lo+1)
}

// Steps returns lo + k·step for a k chosen by the variant so that the
// result stays in [lo, hi] (example for the example variant). Use it for
// "nice" numbers: Steps(v, 0.75, 0.5, 0.9, 0.05).
func Steps(v Variant, example, lo, hi, step float64) float64 {
	if v.Example() || v.rng == nil || !(step > 0) || !(hi >= lo) {
		return example
	}
	n := int((hi-lo)/step + 1e-9)
	if n > 1<<20 {
		n = 1 << 20
	}
	k := v.rng.IntN(n + 1)
	// Round to the step's decimals so that 0.1+0.2 prints as 0.3.
	return roundTo(lo+float64(k)*step, step)
}
