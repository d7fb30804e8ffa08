package exercise

import (
	"errors"
	"fmt"
	"net"
	"sort"
	"sync"
	"time"
)

// Judge decides the verdicts of one submission. It runs in the grader's
// process (coursework/cmd/judge), never in the student's: it listens on the
// socket the sandbox passes to the notebook, judges every answer that
// arrives with the exercise definitions compiled into itself, and tells the
// student's process nothing but that an answer was received.
type Judge struct {
	Lesson  *Lesson
	Student string // the submission's student ID, as the grader knows it
	Seed    uint64 // seeds the hidden cases of Func exercises
	// SessionLimit bounds one check's session (default 5 minutes).
	SessionLimit time.Duration
	// HelloLimit bounds the wait for a session's first message (default
	// 10 s).
	HelloLimit time.Duration

	// StepTimeout bounds one answer of a lab's nodes during a search
	// (default 10 s).
	StepTimeout time.Duration

	mu       sync.Mutex
	cur      net.Conn // the session being judged
	verdicts map[string]Verdict
	progress map[string]*modelProgress // labs: scenarios searched so far
	sessions int
	problems []string
}

// MaxSessions bounds the sessions one submission may open.
const MaxSessions = 1000

// Result is what the judge decided for one exercise.
type Result struct {
	Exercise string
	GoName   string  // the variable that holds the exercise (see GoName)
	Points   float64 // the exercise's worth
	Answered bool    // an answer arrived
	Verdict  Verdict
	Line     string // the verdict as a notebook prints it
}

// Serve accepts sessions on l, one at a time, until l is closed.
func (j *Judge) Serve(l net.Listener) error {
	if j.Lesson == nil {
		return errors.New("exercise: judge without a lesson")
	}
	for {
		c, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		j.mu.Lock()
		j.sessions++
		n := j.sessions
		j.mu.Unlock()
		if n > MaxSessions {
			c.Close()
			continue
		}
		j.mu.Lock()
		j.cur = c
		j.mu.Unlock()
		j.handle(c)
		j.mu.Lock()
		j.cur = nil
		j.mu.Unlock()
	}
}

// Interrupt ends the session being judged, if any (its exercise gets the
// verdict "your program stopped answering"). Close the listener and
// Interrupt to stop Serve at once.
func (j *Judge) Interrupt() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.cur != nil {
		j.cur.Close()
	}
}

func (j *Judge) problem(format string, args ...any) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.problems) < 100 {
		j.problems = append(j.problems, fmt.Sprintf(format, args...))
	}
}

func (j *Judge) handle(nc net.Conn) {
	defer nc.Close()
	limit, hello := j.SessionLimit, j.HelloLimit
	if limit <= 0 {
		limit = 5 * time.Minute
	}
	if hello <= 0 {
		hello = 10 * time.Second
	}
	c := newConn(nc)
	m, err := c.read(time.Now().Add(hello))
	if err != nil {
		j.problem("a session sent no greeting: %v", err)
		return
	}
	if m.Op != "hello" {
		j.problem("a session began with %q", m.Op)
		return
	}
	e := j.Lesson.Exercise(m.Exercise)
	if m.Lesson != j.Lesson.ID || e == nil {
		j.problem("an answer for an exercise this lesson does not have: %q %q", m.Lesson, m.Exercise)
		c.write(message{Op: "error", Msg: "unknown exercise"}, time.Now().Add(time.Second))
		return
	}
	if m.Kind != e.Kind().String() {
		j.problem("%s: an answer of kind %q, the exercise asks for a %s", e.Name(), m.Kind, e.Kind())
		c.write(message{Op: "error", Msg: "wrong kind of answer"}, time.Now().Add(time.Second))
		return
	}
	s := &session{c: c, deadline: time.Now().Add(limit), value: m.Value}
	var v Verdict
	if me, ok := e.(modelJudge); ok {
		j.mu.Lock()
		if j.progress == nil {
			j.progress = map[string]*modelProgress{}
		}
		p := j.progress[e.Name()]
		if p == nil {
			p = &modelProgress{verdict: Right()}
			j.progress[e.Name()] = p
		}
		j.mu.Unlock()
		step := j.StepTimeout
		if step <= 0 {
			step = 10 * time.Second
		}
		v, _ = me.judgeModel(s, m.Msg == "start", p, j.Seed, step)
	} else {
		v = e.judge(s, j.Student, j.Seed)
		c.write(message{Op: "done"}, time.Now().Add(time.Second))
	}
	j.mu.Lock()
	if j.verdicts == nil {
		j.verdicts = map[string]Verdict{}
	}
	j.verdicts[e.Name()] = v // the last answer to an exercise counts
	j.mu.Unlock()
}

// modelJudge is a lab exercise, judged one scenario per connection.
type modelJudge interface {
	judgeModel(s *session, start bool, p *modelProgress, seed uint64, stepTimeout time.Duration) (Verdict, bool)
}

// Results returns one Result per exercise of the lesson, in order.
func (j *Judge) Results() []Result {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []Result
	for _, e := range j.Lesson.Exercises() {
		v, ok := j.verdicts[e.Name()]
		if !ok {
			v = Wrong("no answer reached the grader", "")
		}
		out = append(out, Result{Exercise: e.Name(), GoName: GoName(e.Name()), Points: e.Points(), Answered: ok, Verdict: v, Line: v.Line(e.Name(), LineWidth)})
	}
	return out
}

// Problems lists protocol problems the judge saw (sorted, at most 100):
// sessions that sent garbage or answers for unknown exercises.
func (j *Judge) Problems() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := append([]string(nil), j.problems...)
	sort.Strings(out)
	return out
}
