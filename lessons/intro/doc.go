// Package intro is the code behind the course's opening: the course map
// (notebooks/00-course-map.ipynb) and the lesson "Introduction"
// (notebooks/01-introduction.ipynb).
//
// It holds the list of lessons and the five problems the course is
// organised around; the same small job done by goroutines that share
// memory and by nodes that only exchange messages; runnable illustrations
// of why we distribute (availability of replicas, latency of a nearer
// replica, speed-up of splitting work); one experiment per fallacy of
// distributed computing, in which code written under the fallacy's
// assumption fails, with the history of the list; the coordinator of the
// message-passing sum as a state machine students can edit (Coordinate);
// and the lesson's exercises (Lesson, Exercise1…Exercise4), judged by
// package exercise.
//
// Every experiment runs on the deterministic simulator pkg/netsim (or in
// plain seeded Go), so the same seed gives the same numbers, and every
// claim the notebooks make is asserted in this package's tests.
//
// # Usage
//
//	show.HTML(intro.CourseMapHTML())               // the lessons, in reading order, with links
//	r, err := intro.RunUnreliable(intro.UnreliableConfig{Seed: 1})
//	p, err := intro.PlotUnreliable(r)               // a *plot.Plot for show.Plot
//	intro.Exercise2.Describe()                      // a student's numbers
//	intro.Exercise2.Check(1006)                     // ✓ or ✗ with a hint
//
// The README picture is drawn by
//
//	go run ./lessons/intro/cmd/readmeimage
//
// which writes docs/images/fallacy-reliable-network.png.
package intro
