// Package netfailures is the Go behind notebook 05, "Network failures in
// practice".
//
// It starts from the figures of Gill, Jain and Nagappan, "Understanding
// Network Failures in Data Centers: Measurement, Analysis, and
// Implications", ACM SIGCOMM 2011 (Figures, one documented table, with the
// values the course syllabus cites), and then simulates, in virtual time
// with a seeded source, a service reachable over one or more network paths
// whose links fail and get repaired:
//
//   - up times are exponential with mean MTBF (failures arrive as a Poisson
//     process while a path is up);
//   - repair times are log-normal with a median of about five minutes, the
//     median time to repair the study reports; the mean (MTTR) is larger
//     than the median, median·exp(σ²/2);
//   - a fraction Common of each path's failures are common-mode: one event
//     takes every path down together and one repair brings them back (a
//     shared switch, a bad configuration push).
//
// Simulate measures availability (the fraction of time at least one path
// is up); SimulateRule does the same for another rule of when the service
// is down (a majority of paths, any path). Analytic gives MTBF/(MTBF+MTTR)
// and, for independent paths, 1-(1-A)^k. Compare runs the single-path,
// independent-redundant and correlated-redundant cases side by side;
// EffectivenessSweep sweeps Common.
//
// The exercises (Exercise1 … Exercise3, registered in Lesson) have
// per-student numbers; their checks say right or wrong with a hint, never
// the expected value (package exercise).
//
// # Usage
//
//	cfg := netfailures.DefaultConfig() // accelerated failures, see its doc
//	cmp, err := netfailures.Compare(cfg, 0.6)
//	fmt.Println(cmp)
//	p, err := netfailures.PlotDowntime(cmp)
//
// Times are in minutes of virtual time.
package netfailures
