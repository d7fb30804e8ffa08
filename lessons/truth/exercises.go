package truth

import (
	"fmt"
	"math"
	"strings"

	"github.com/dslessons/course/pkg/twogenerals"
)

// CheckBothAttack checks a computed P(both attack) for the messenger
// protocol with n messengers per leg, loss p and the given number of legs.
func CheckBothAttack(n int, p float64, legs int, answer float64) error {
	pr, err := twogenerals.ClosedForm(twogenerals.Config{Messengers: n, Loss: p, Legs: legs})
	if err != nil {
		return err
	}
	if answer == 0 && pr.BothAttack != 0 {
		return fmt.Errorf("no answer yet (got 0). hint: a leg gets through unless all n messengers are caught, so it arrives with probability q = 1 - p^n")
	}
	if math.Abs(pr.BothAttack-answer) > 1e-3 {
		return fmt.Errorf("expected P(both attack) = %.4f for n=%d, p=%g, %d legs; got %.4f. "+
			"hint: a leg gets through unless all n messengers are caught, so it arrives with probability q = 1 - p^n; "+
			"both generals attack only if every one of the %d legs arrives", pr.BothAttack, n, p, legs, answer, legs)
	}
	return nil
}

// CheckDisagreementPattern checks a delivery pattern (one character per
// message, '1' delivered, '0' lost, message 0 first) that makes the
// careful ack chain with k messages end in disagreement.
func CheckDisagreementPattern(k int, pattern string) error {
	if len(pattern) != k || strings.Trim(pattern, "01") != "" {
		return fmt.Errorf("expected a string of %d characters, each '1' (delivered) or '0' (lost); got %q. "+
			"hint: message 0 is A's order, message 1 B's ack, message 2 A's ack of the ack, ...", k, pattern)
	}
	an, err := twogenerals.Analyse(twogenerals.Chain(k))
	if err != nil {
		return err
	}
	for _, r := range an.Results {
		if r.Pattern.String() == pattern {
			if r.Agree() {
				return fmt.Errorf("expected a pattern where exactly one general attacks; with %s both decide %s. "+
					"hint: start from %q (everything delivered) and lose only the message nobody ever confirms",
					pattern, r.A, strings.Repeat("1", k))
			}
			return nil
		}
	}
	return fmt.Errorf("pattern %q not found among the %d patterns", pattern, len(an.Results))
}

// CheckAttacksAlone checks who attacks alone in the careful ack chain with
// k messages when only the last message is lost: answer is "A" or "B".
func CheckAttacksAlone(k int, answer string) error {
	an, err := twogenerals.Analyse(twogenerals.Chain(k))
	if err != nil {
		return err
	}
	if strings.TrimSpace(answer) == "" {
		return fmt.Errorf("no answer yet: expected \"A\" or \"B\", got \"\". hint: which general sends the last message, and can it tell whether that message arrived?")
	}
	want := "A"
	for _, r := range an.Results {
		if !r.Agree() && r.B == twogenerals.Attack {
			want = "B"
		}
	}
	if strings.TrimSpace(strings.ToUpper(answer)) != want {
		return fmt.Errorf("expected %q, got %q. hint: the last message (number %d) is sent by %s; "+
			"its sender cannot tell whether it arrived, so it does what it would have done anyway",
			want, answer, k-1, twogenerals.SenderOf(k-1))
	}
	return nil
}

// MessengersNeeded returns the smallest n ≤ MaxMessengers with
// P(disagree) ≤ target for the protocol with the given loss and legs.
func MessengersNeeded(p float64, legs int, target float64) (int, error) {
	for n := 1; n <= twogenerals.MaxMessengers; n++ {
		pr, err := twogenerals.ClosedForm(twogenerals.Config{Messengers: n, Loss: p, Legs: legs})
		if err != nil {
			return 0, err
		}
		if pr.Disagree() <= target {
			return n, nil
		}
	}
	return 0, fmt.Errorf("truth: no n up to %d reaches P(disagree) <= %g at p=%g", twogenerals.MaxMessengers, target, p)
}

// CheckMessengersNeeded checks the smallest number of messengers per leg
// that brings P(one general attacks alone) down to target.
func CheckMessengersNeeded(p float64, legs int, target float64, answer int) error {
	want, err := MessengersNeeded(p, legs, target)
	if err != nil {
		return err
	}
	if answer < 1 {
		return fmt.Errorf("no answer yet: expected a number of messengers >= 1, got %d. "+
			"hint: P(disagree) = q^(L-1)·(1-q) with q = 1 - p^n, and it is at most p^n", answer)
	}
	if answer != want {
		got := "n/a"
		if pr, err := twogenerals.ClosedForm(twogenerals.Config{Messengers: answer, Loss: p, Legs: legs}); err == nil {
			got = fmt.Sprintf("%.2g", pr.Disagree())
		}
		return fmt.Errorf("expected n = %d, got %d (P(disagree) with your n is %s, target %g). "+
			"hint: P(disagree) = q^(L-1)·(1-q) with q = 1 - p^n; evaluate it for n = 1, 2, 3, ... and stop at the first n that meets the target",
			want, answer, got, target)
	}
	return nil
}
