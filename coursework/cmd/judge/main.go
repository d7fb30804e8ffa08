// Command judge decides the verdicts of graded notebooks. The grader
// (coursework/coursework.py, through nbgrader's autograde) builds it from
// the course's code before any submission runs and starts one judge per
// submitted notebook, outside the sandbox that runs the student's code:
//
//	judge list
//	    prints every lesson's exercises as JSON (names, the Go variable that
//	    holds each, kind and points): the release uses it to find check cells.
//
//	judge variants -lesson 03-timeouts -student alice
//	    prints alice's numbers for each exercise that has per-student numbers
//	    (what her notebook showed her), as JSON.
//
//	judge serve -lesson 03-timeouts -student alice -seed 123 -socket /run/judge.sock
//	    listens on the socket (which the sandbox passes to the notebook as
//	    COURSE_GRADER_SOCKET), prints "ready", judges every answer that
//	    arrives, and when its standard input closes prints the results as JSON:
//	    {"results":[{"Exercise":…,"Points":…,"Answered":…,"Verdict":{…}}],"problems":[…]}
//
// The student's process learns nothing from the judge but that an answer
// arrived; the verdicts go only to the grader, through this process's
// standard output.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/dslessons/course/pkg/exercise"

	// Every lesson with exercises registers them when imported.
	_ "github.com/dslessons/course/lessons/byzantine"
	_ "github.com/dslessons/course/lessons/intro"
	_ "github.com/dslessons/course/lessons/labs/election"
	_ "github.com/dslessons/course/lessons/labs/exactlyonce"
	_ "github.com/dslessons/course/lessons/labs/totalorder"
	_ "github.com/dslessons/course/lessons/labs/twophase"
	_ "github.com/dslessons/course/lessons/logicaltime"
	_ "github.com/dslessons/course/lessons/netfailures"
	_ "github.com/dslessons/course/lessons/ordering"
	_ "github.com/dslessons/course/lessons/partialfailure"
	_ "github.com/dslessons/course/lessons/physicaltime"
	_ "github.com/dslessons/course/lessons/replication"
	_ "github.com/dslessons/course/lessons/retries"
	_ "github.com/dslessons/course/lessons/timeouts"
	_ "github.com/dslessons/course/lessons/transactions"
	_ "github.com/dslessons/course/lessons/truth"
	_ "github.com/dslessons/course/lessons/vectorclocks"
	_ "github.com/dslessons/course/lessons/voting"
)

type exerciseInfo struct {
	Name   string  `json:"name"`
	GoName string  `json:"go_name"`
	Kind   string  `json:"kind"`
	Points float64 `json:"points"`
}

type lessonInfo struct {
	ID        string         `json:"id"`
	Title     string         `json:"title"`
	Exercises []exerciseInfo `json:"exercises"`
}

func list(w io.Writer) error {
	var out []lessonInfo
	for _, l := range exercise.Lessons() {
		li := lessonInfo{ID: l.ID, Title: l.Title, Exercises: []exerciseInfo{}}
		for _, e := range l.Exercises() {
			li.Exercises = append(li.Exercises, exerciseInfo{e.Name(), exercise.GoName(e.Name()), e.Kind().String(), e.Points()})
		}
		out = append(out, li)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(out)
}

func variants(lesson, student string, w io.Writer) error {
	l := exercise.FindLesson(lesson)
	if l == nil {
		return fmt.Errorf("no lesson %q (judge list shows the lessons)", lesson)
	}
	type variant struct {
		Describe string `json:"describe"`
		Params   any    `json:"params"`
	}
	out := map[string]variant{}
	for _, e := range l.Exercises() {
		if p, d, ok := e.VariantOf(exercise.CleanStudentID(student)); ok {
			out[e.Name()] = variant{d, p}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(out)
}

func serve(lesson, student string, seed uint64, socket string, stdin io.Reader, stdout io.Writer) error {
	l := exercise.FindLesson(lesson)
	if l == nil {
		return fmt.Errorf("no lesson %q (judge list shows the lessons)", lesson)
	}
	if id := exercise.CleanStudentID(student); id == "" || id != student {
		return fmt.Errorf("student ID %q: 1..%d letters, digits, '.', '_', '-' or '@'", student, exercise.MaxStudentID)
	}
	if !filepath.IsAbs(socket) {
		return fmt.Errorf("socket path %q must be absolute", socket)
	}
	if err := os.Remove(socket); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	ln, err := net.Listen("unix", socket)
	if err != nil {
		return err
	}
	// The sandbox runs the notebook as another user: it must be able to
	// connect. It can do nothing else with the socket.
	if err := os.Chmod(socket, 0o777); err != nil {
		ln.Close()
		return err
	}
	j := &exercise.Judge{Lesson: l, Student: student, Seed: seed}
	done := make(chan error, 1)
	go func() { done <- j.Serve(ln) }()
	fmt.Fprintln(stdout, "ready")
	if f, ok := stdout.(interface{ Sync() error }); ok {
		f.Sync()
	}
	// Wait until the grader closes our standard input.
	io.Copy(io.Discard, bufio.NewReader(stdin))
	ln.Close()
	j.Interrupt()
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		err = errors.New("the judge did not stop within 10 s")
	}
	os.Remove(socket)
	res := struct {
		Results  []exercise.Result `json:"results"`
		Problems []string          `json:"problems"`
	}{j.Results(), j.Problems()}
	if res.Problems == nil {
		res.Problems = []string{}
	}
	if encErr := json.NewEncoder(stdout).Encode(res); encErr != nil {
		return encErr
	}
	return err
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: judge list | judge variants -lesson ID -student ID | judge serve -lesson ID -student ID -seed N -socket PATH")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "list":
		err = list(os.Stdout)
	case "variants":
		fs := flag.NewFlagSet("variants", flag.ExitOnError)
		lesson := fs.String("lesson", "", "lesson (notebook name without .ipynb)")
		student := fs.String("student", "", "student ID (empty: the example numbers)")
		fs.Parse(os.Args[2:])
		err = variants(*lesson, *student, os.Stdout)
	case "serve":
		fs := flag.NewFlagSet("serve", flag.ExitOnError)
		lesson := fs.String("lesson", "", "lesson (notebook name without .ipynb)")
		student := fs.String("student", "", "the submission's student ID")
		seed := fs.Uint64("seed", 0, "seed of the hidden test cases")
		socket := fs.String("socket", "", "absolute path of the Unix socket to listen on")
		fs.Parse(os.Args[2:])
		err = serve(*lesson, *student, *seed, *socket, os.Stdin, os.Stdout)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "judge:", err)
		os.Exit(1)
	}
}
