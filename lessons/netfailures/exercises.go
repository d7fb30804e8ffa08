package netfailures

import (
	"fmt"
	"math"
)

// near accepts an answer within tol of the expected value.
func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// CheckLinkFailuresPerYear checks the yearly number of link failures implied
// by the study's per-day figure (365 days).
func CheckLinkFailuresPerYear(answer float64) error {
	f, err := Figures().Get("links_per_day")
	if err != nil {
		return err
	}
	if want := f.Value * 365; !near(answer, want, 0.5) {
		return fmt.Errorf("expected %g link failures per year, got %g; hint: %g per day times 365 days", want, answer, f.Value)
	}
	return nil
}

// CheckMTTR checks the mean of a log-normal repair time with the given
// median (minutes) and shape σ.
func CheckMTTR(median, sigma, answer float64) error {
	want := median * math.Exp(sigma*sigma/2)
	if !near(answer, want, 0.01) {
		hint := "the mean of a log-normal is median·exp(σ²/2)"
		if near(answer, median, 0.01) {
			hint = "that is the median; a long right tail pulls the mean above it: median·exp(σ²/2)"
		}
		return fmt.Errorf("expected %.2f minutes (±0.01), got %g; hint: %s", want, answer, hint)
	}
	return nil
}

// CheckAvailability checks MTBF/(MTBF+MTTR) for one path.
func CheckAvailability(mtbf, mttr, answer float64) error {
	if want := mtbf / (mtbf + mttr); !near(answer, want, 1e-5) {
		return fmt.Errorf("expected availability %.6f (±0.00001), got %g; hint: the fraction of each up-down cycle spent up, MTBF/(MTBF+MTTR)", want, answer)
	}
	return nil
}

// CheckRedundantAvailability checks 1-(1-a)^paths: the service is down only
// when all of its independent paths are down at once.
func CheckRedundantAvailability(a float64, paths int, answer float64) error {
	if paths < 1 {
		return fmt.Errorf("netfailures: paths %d must be >= 1", paths)
	}
	if want := 1 - math.Pow(1-a, float64(paths)); !near(answer, want, 1e-8) {
		return fmt.Errorf("expected %.8f, got %g; hint: P(all %d paths down) = (1-a)^%d if they fail independently", want, answer, paths, paths)
	}
	return nil
}
