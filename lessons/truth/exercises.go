package truth

import (
	"fmt"
	"math"
	"strings"

	"github.com/dslessons/course/pkg/exercise"
	"github.com/dslessons/course/pkg/twogenerals"
)

// Lesson holds the exercises of notebook 09.
var Lesson = exercise.NewLesson("09-what-is-true", "What is true? The two generals")

// Exercise1 asks for P(both attack) of a messenger protocol, by hand.
var Exercise1 = exercise.NewValue(Lesson, "Exercise 1", exercise.ValueSpec[twogenerals.Config, float64]{
	Params: func(v exercise.Variant) twogenerals.Config {
		return twogenerals.Config{
			Messengers: exercise.IntBetween(v, 3, 2, 5),
			Loss:       exercise.Steps(v, 0.3, 0.2, 0.6, 0.1),
			Legs:       exercise.IntBetween(v, 2, 2, 3),
		}
	},
	Describe: func(c twogenerals.Config) string {
		return fmt.Sprintf("%d messengers per leg, capture probability p = %s, %d legs (%s)",
			c.Messengers, exercise.Format(c.Loss), c.Legs, legNames(c.Legs))
	},
	Judge: judgeBothAttack,
})

// legNames names the legs of a messenger protocol: "order + ack".
func legNames(legs int) string {
	names := []string{"order", "ack", "ack of the ack", "ack of the ack of the ack"}
	if legs < 1 || legs > len(names) {
		return fmt.Sprintf("%d legs", legs)
	}
	return strings.Join(names[:legs], " + ")
}

func judgeBothAttack(c twogenerals.Config, answer float64) exercise.Verdict {
	pr, err := twogenerals.ClosedForm(c)
	if err != nil {
		return exercise.Wrong(err.Error(), "")
	}
	want := pr.BothAttack
	near := func(x float64) bool { return exercise.Near(answer, x, 0, 0.0005) }
	if near(want) {
		return exercise.Right()
	}
	n, p, legs := float64(c.Messengers), c.Loss, float64(c.Legs)
	q := 1 - math.Pow(p, n)
	switch {
	case answer > 1 && exercise.Near(answer/100, want, 0, 0.0005):
		return exercise.Wrong("the answer looks like a percentage", "give a probability between 0 and 1")
	case near(q):
		return exercise.Wrong("that is the chance that one leg gets through", "both generals attack only if every leg arrives")
	case near(math.Pow(1-p, n*legs)) || near(math.Pow(1-p, n)):
		return exercise.Wrong("that is the chance that every messenger gets through",
			"a leg arrives if at least one of its messengers does: it is lost only if all of them are caught")
	case near(pr.Disagree()):
		return exercise.Wrong("that is the chance that one general attacks alone", "both attack when the chain of legs is not broken anywhere")
	}
	return exercise.Wrong(fmt.Sprintf("%s is %s; three decimals are enough", exercise.Format(answer), exercise.Direction(answer, want, 0, 0.0005)),
		"first work out the chance that one leg arrives (it is lost only if every messenger on it is caught); the legs are independent")
}

// Disagreement is a delivery pattern of a bounded protocol and the general
// who attacks alone under it.
type Disagreement struct {
	Pattern      string // one character per message, message 0 first: '1' delivered, '0' lost
	AttacksAlone string // "A" or "B"
}

// ChainLength is the number of messages of the careful ack chain of
// Exercise 2.
type ChainLength struct{ Messages int }

// Exercise2 asks for a pattern on which the careful ack chain disagrees and
// who then attacks alone.
var Exercise2 = exercise.NewValue(Lesson, "Exercise 2", exercise.ValueSpec[ChainLength, Disagreement]{
	Params: func(v exercise.Variant) ChainLength {
		return ChainLength{Messages: exercise.IntBetween(v, 5, 4, 8)}
	},
	Describe: func(c ChainLength) string {
		return fmt.Sprintf("the careful ack chain with %d messages, twogenerals.Chain(%d) (%s)", c.Messages, c.Messages, chainSenders(c.Messages))
	},
	Judge: judgeDisagreement,
})

// chainSenders lists who sends each message: "A, B, A, B, A".
func chainSenders(k int) string {
	s := make([]string, 0, k)
	for i := range k {
		s = append(s, twogenerals.SenderOf(i).String())
	}
	return "messages sent by " + strings.Join(s, ", ")
}

func judgeDisagreement(c ChainLength, answer Disagreement) exercise.Verdict {
	k := c.Messages
	an, err := twogenerals.Analyse(twogenerals.Chain(k))
	if err != nil {
		return exercise.Wrong(err.Error(), "")
	}
	pattern := strings.TrimSpace(answer.Pattern)
	alone := strings.ToUpper(strings.TrimSpace(answer.AttacksAlone))
	// Who attacks alone is judged under the student's pattern when it is a
	// disagreement, else under the chain's only disagreement (the last
	// message lost), whose attacker is the last message's sender.
	attacker := twogenerals.SenderOf(k - 1).String()
	var wrong []string
	why, hint := "", ""
	if len(pattern) != k || strings.Trim(pattern, "01") != "" {
		wrong = append(wrong, "the pattern")
		why = fmt.Sprintf("A pattern has %d characters, each 1 (delivered) or 0 (lost)", k)
		hint = "message 0 is A's order, message 1 B's ack, message 2 A's ack of the ack, …"
	} else {
		for _, r := range an.Results {
			if r.Pattern.String() != pattern {
				continue
			}
			if r.Agree() {
				wrong = append(wrong, "the pattern")
				why = fmt.Sprintf("Under that pattern both generals decide %s", r.A)
				hint = "start from the run where everything is delivered and lose only the message nobody ever confirms"
			} else if r.A == twogenerals.Attack {
				attacker = "A"
			} else {
				attacker = "B"
			}
		}
	}
	if alone != attacker {
		wrong = append(wrong, "who attacks alone")
		switch {
		case why != "":
		case alone != "A" && alone != "B":
			why = `Who attacks alone is "A" or "B"`
			hint = "which general sends the last message, and can it tell whether that message arrived?"
		default:
			why = "Under your pattern the other general is the one that attacks alone"
			hint = "the sender of a lost message never learns that it was lost, so it decides as if it had arrived"
		}
	}
	if len(wrong) == 0 {
		return exercise.Right()
	}
	return exercise.WrongParts(wrong, why, hint)
}

// ProtocolCount is the number of messages k of the bounded protocols of
// Exercise 3.
type ProtocolCount struct{ Messages int }

// ValidProtocolsExponent returns x such that there are 2^x valid
// deterministic k-message protocols: each general's decision table has one
// entry per view it can have; validity fixes A's entry for the full view
// and B's entries for the full and the empty view, so x = |views of A| +
// |views of B| − 3.
func ValidProtocolsExponent(k int) (int, error) {
	va, err := twogenerals.Views(twogenerals.A, k)
	if err != nil {
		return 0, err
	}
	vb, err := twogenerals.Views(twogenerals.B, k)
	if err != nil {
		return 0, err
	}
	return len(va) + len(vb) - 3, nil
}

// Exercise3 asks how many valid deterministic k-message protocols there
// are, as a power of two.
var Exercise3 = exercise.NewValue(Lesson, "Exercise 3", exercise.ValueSpec[ProtocolCount, int]{
	Params: func(v exercise.Variant) ProtocolCount {
		return ProtocolCount{Messages: exercise.IntBetween(v, 5, 5, 8)}
	},
	Describe: func(p ProtocolCount) string {
		return fmt.Sprintf("protocols with k = %d messages", p.Messages)
	},
	Judge: func(p ProtocolCount, answer int) exercise.Verdict {
		want, err := ValidProtocolsExponent(p.Messages)
		if err != nil {
			return exercise.Wrong(err.Error(), "")
		}
		if answer == want {
			return exercise.Right()
		}
		va, _ := twogenerals.Views(twogenerals.A, p.Messages)
		vb, _ := twogenerals.Views(twogenerals.B, p.Messages)
		all := len(va) + len(vb)
		switch {
		case answer <= 0:
			return exercise.Wrong("the exponent x is positive here", "count the views of A and of B with twogenerals.Views")
		case answer == all:
			return exercise.Wrong("that counts every pair of decision tables", "validity fixes some entries of the tables: which ones, and how many?")
		case answer == all-1 || answer == all-2 || answer == all-4:
			return exercise.Wrong("validity fixes a different number of table entries",
				"both attack when every message arrives (one entry of A's table, one of B's), and B retreats when it heard nothing (one more of B's)")
		case answer == len(va)*len(vb) || answer == len(va)*len(vb)-3:
			return exercise.Wrong("the tables of A and B are chosen independently", "the numbers of choices multiply, so the exponents add")
		case answer == len(va)-1 || answer == len(vb)-2:
			return exercise.Wrong("that counts the tables of one general only", "a protocol is a table for A and a table for B")
		}
		return exercise.Wrong(fmt.Sprintf("x = %d is not the number of table entries left free", answer),
			"a decision table gives each view a decision; count the views of A and of B with twogenerals.Views, then the entries validity does not fix")
	},
})
