package intro

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"

	"github.com/dslessons/course/pkg/netsim"
)

// MACKey is the fixed secret the bank's client and server share in the
// "network is secure" experiment. A real key is random and never printed.
var MACKey = []byte("course-demo-key: not a secret")

// Transfer is a payment order sent from a client to the bank's server.
type Transfer struct {
	Seq    int
	To     string
	Amount int
	MAC    []byte // HMAC-SHA256 of Payload under MACKey, or nil
}

// Payload is the bytes the MAC covers.
func (t Transfer) Payload() []byte { return fmt.Appendf(nil, "%d|%s|%d", t.Seq, t.To, t.Amount) }

func (t Transfer) String() string { return fmt.Sprintf("#%d %d to %s", t.Seq, t.Amount, t.To) }

// Sign returns the HMAC-SHA256 of msg under key.
func Sign(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

// Verify reports whether tag is the HMAC-SHA256 of msg under key,
// comparing in constant time.
func Verify(key, msg, tag []byte) bool { return hmac.Equal(Sign(key, msg), tag) }

// SecurityConfig configures the "network is secure" experiment: a client
// sends Transfers payment orders to the bank through a router that a
// man in the middle controls; with probability Tamper it rewrites an
// order's recipient to "mallory".
type SecurityConfig struct {
	Seed      uint64
	Transfers int     // 0 means 40
	Tamper    float64 // in [0,1]; 0 means 0.25 (use a tiny value for "almost never")
}

// SecurityRun is the outcome with or without MACs.
type SecurityRun struct {
	MAC               bool
	Sent, Tampered    int
	AcceptedTampered  int // altered orders the bank carried out
	Rejected          int // orders the bank refused (bad MAC)
	ToMallory         int // money moved to mallory
	AcceptedUntouched int
}

// SecurityResult is the outcome of RunSecurity: without and with MACs.
type SecurityResult struct {
	Config     SecurityConfig
	Plain, MAC SecurityRun
}

// RunSecurity runs the bank twice, trusting the network and checking
// MACs, with the same attacker (same seed).
func RunSecurity(cfg SecurityConfig) (SecurityResult, error) {
	if cfg.Transfers == 0 {
		cfg.Transfers = 40
	}
	if cfg.Tamper == 0 {
		cfg.Tamper = 0.25
	}
	if cfg.Transfers < 1 || cfg.Transfers > 100000 {
		return SecurityResult{}, fmt.Errorf("intro: transfers %d not in [1, 100000]", cfg.Transfers)
	}
	if !(cfg.Tamper >= 0 && cfg.Tamper <= 1) {
		return SecurityResult{}, fmt.Errorf("intro: tamper probability %v not in [0,1]", cfg.Tamper)
	}
	res := SecurityResult{Config: cfg}
	for _, useMAC := range []bool{false, true} {
		run := SecurityRun{MAC: useMAC}
		sim, err := netsim.New(netsim.Config{Seed: cfg.Seed, NoTrace: true,
			DefaultLink: netsim.Link{Delay: netsim.Const(netsim.Millisecond)}})
		if err != nil {
			return res, err
		}
		tampered := map[int]bool{}
		clientNode := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
			if ev.Kind != netsim.Start {
				return
			}
			for i := range cfg.Transfers {
				t := Transfer{Seq: i + 1, To: "bob", Amount: 10 * (i%5 + 1)}
				if useMAC {
					t.MAC = Sign(MACKey, t.Payload())
				}
				ctx.Send("router", t)
				run.Sent++
			}
		})
		mitm := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
			if ev.Kind != netsim.Receive {
				return
			}
			t := ev.Msg.(Transfer)
			if ctx.Rand().Float64() < cfg.Tamper {
				t.To = "mallory" // a copy: the sender's value is untouched
				tampered[t.Seq] = true
				run.Tampered++
			}
			ctx.Send("bank", t)
		})
		bank := netsim.NodeFunc(func(ctx *netsim.Context, ev netsim.Event) {
			if ev.Kind != netsim.Receive {
				return
			}
			t := ev.Msg.(Transfer)
			if useMAC && !Verify(MACKey, t.Payload(), t.MAC) {
				run.Rejected++
				return
			}
			if tampered[t.Seq] {
				run.AcceptedTampered++
			} else {
				run.AcceptedUntouched++
			}
			if t.To == "mallory" {
				run.ToMallory += t.Amount
			}
		})
		for _, n := range []struct {
			id netsim.NodeID
			h  netsim.Node
		}{{"client", clientNode}, {"router", mitm}, {"bank", bank}} {
			if err := sim.AddNode(n.id, n.h); err != nil {
				return res, err
			}
		}
		if err := sim.Run(netsim.Forever); err != nil {
			return res, err
		}
		if useMAC {
			res.MAC = run
		} else {
			res.Plain = run
		}
	}
	return res, nil
}

// Table returns the result as a table.
func (r SecurityResult) Table() (header []string, rows [][]string) {
	header = []string{"bank", "orders sent", "altered on the way", "altered and carried out", "rejected", "paid to mallory"}
	for _, x := range []SecurityRun{r.Plain, r.MAC} {
		name := "trusts the network"
		if x.MAC {
			name = "checks HMAC-SHA256"
		}
		rows = append(rows, []string{name, fmt.Sprint(x.Sent), fmt.Sprint(x.Tampered),
			fmt.Sprint(x.AcceptedTampered), fmt.Sprint(x.Rejected), fmt.Sprint(x.ToMallory)})
	}
	return header, rows
}
