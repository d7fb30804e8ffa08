package byzantine

import (
	"fmt"
	"strings"

	bz "github.com/dslessons/course/pkg/byzantine"
)

// Title describes the walkthrough's configuration in words, for the plot
// of its message tree: "OM(1), n=4: lieutenant 3 reverses what it relays".
// It follows the config, so a changed traitor or strategy changes it.
func (w WalkthroughResult) Title() string {
	c := w.Config
	head := fmt.Sprintf("OM(%d), n=%d", c.M, c.N)
	if len(c.Traitors) == 0 {
		return head + ": all generals loyal"
	}
	var who []string
	for _, t := range c.Traitors {
		if t == c.Commander {
			who = append(who, fmt.Sprintf("commander %d", t))
		} else {
			who = append(who, fmt.Sprintf("lieutenant %d", t))
		}
	}
	subject := strings.Join(who, " and ")
	plural := len(who) > 1
	verb := func(one, many string) string {
		if plural {
			return many
		}
		return one
	}
	switch c.Strategy.(type) {
	case bz.Liar, *bz.Liar:
		return fmt.Sprintf("%s: %s %s what %s", head, subject, verb("reverses", "reverse"), verb("it relays", "they relay"))
	case bz.Silent, *bz.Silent:
		return fmt.Sprintf("%s: %s %s silent", head, subject, verb("stays", "stay"))
	case bz.TwoFaced, *bz.TwoFaced:
		return fmt.Sprintf("%s: %s %s even generals Attack, odd Retreat", head, subject, verb("tells", "tell"))
	case *bz.Random:
		return fmt.Sprintf("%s: %s %s at random", head, subject, verb("sends", "send"))
	}
	return fmt.Sprintf("%s: %s %s a traitor", head, subject, verb("is", "are"))
}

// MessageSummary runs OM(cfg.M) with cfg.N generals and says how many
// messages it sent next to bz.MessageCount's formula.
func MessageSummary(cfg bz.Config) (string, error) {
	res, err := bz.OM(cfg)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("n=%d, m=%d: %s sent; formula: %d", cfg.N, cfg.M, plural(res.Messages, "message"), bz.MessageCount(cfg.N, cfg.M)), nil
}

// plural writes "1 message" or "n messages".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
