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
// assumption fails; and the checks of the lesson's exercises.
//
// Every experiment runs on the deterministic simulator pkg/netsim (or in
// plain seeded Go), so the same seed gives the same numbers, and every
// claim the notebooks make is asserted in this package's tests.
//
// # Usage
//
//	intro.WriteCourseMap(os.Stdout)                 // the lessons, in reading order
//	r, err := intro.RunUnreliable(intro.UnreliableConfig{Seed: 1})
//	p, err := intro.PlotUnreliable(r)               // a *plot.Plot for show.Plot
//	show.Check("Exercise 1", intro.CheckAvailability(0.999999))
//
// The README picture is drawn by
//
//	go run ./lessons/intro/cmd/readmeimage
//
// which writes docs/images/fallacies-reliable-network.png.
package intro
