package physicaltime

import (
	"fmt"
	"time"

	"github.com/dslessons/course/pkg/clocksync"
	"github.com/dslessons/course/pkg/netsim"
	"github.com/dslessons/course/pkg/physclock"
)

// NetworkConfig describes NetworkSync: an NTP client whose clock starts
// Offset away from true time polls a perfect server every Poll over the
// network simulator, with constant one-way delays Forward (request) and
// Back (reply), and steps its clock by each measured offset.
type NetworkConfig struct {
	Offset        time.Duration // client clock − true time at the start
	Forward, Back time.Duration // one-way delays; ≥ 0
	Poll          time.Duration // > 0
	Duration      time.Duration // how long to run; (0, 24h]
	Seed          uint64
}

// DefaultNetwork is the lesson's scenario: a client 300 ms behind, a
// 10 ms request path and a 2 ms reply path.
var DefaultNetwork = NetworkConfig{Offset: -300 * time.Millisecond, Forward: 10 * time.Millisecond, Back: 2 * time.Millisecond,
	Poll: time.Minute, Duration: 5 * time.Minute, Seed: 1}

// NetworkRound is one poll of NetworkSync.
type NetworkRound struct {
	At       time.Duration // true time the correction was applied
	Measured time.Duration // the offset the exchange measured
	Delay    time.Duration // the exchange's δ
	After    time.Duration // client clock − true time right after the correction
}

// NetworkResult is the outcome of NetworkSync.
type NetworkResult struct {
	Config NetworkConfig
	Rounds []NetworkRound
	Trace  string // the first exchange as the simulator recorded it
}

// Table has one row per poll.
func (r NetworkResult) Table() (header []string, rows [][]string) {
	header = []string{"true time", "measured offset", "delay δ", "clock error after"}
	for _, x := range r.Rounds {
		rows = append(rows, []string{x.At.String(), x.Measured.String(), x.Delay.String(), x.After.String()})
	}
	return header, rows
}

// NetworkSync runs NTP over pkg/netsim (clocksync.ClientNode and
// ServerNode).
func NetworkSync(cfg NetworkConfig) (NetworkResult, error) {
	if cfg.Forward < 0 || cfg.Back < 0 {
		return NetworkResult{}, fmt.Errorf("physicaltime: delays %v and %v must be ≥ 0", cfg.Forward, cfg.Back)
	}
	if cfg.Poll <= 0 || cfg.Duration <= 0 || cfg.Duration > 24*time.Hour {
		return NetworkResult{}, fmt.Errorf("physicaltime: poll %v must be > 0 and duration %v in (0,24h]", cfg.Poll, cfg.Duration)
	}
	sim, err := netsim.New(netsim.Config{Seed: cfg.Seed})
	if err != nil {
		return NetworkResult{}, err
	}
	hw, err := physclock.NewHardware(physclock.HardwareConfig{Offset: cfg.Offset})
	if err != nil {
		return NetworkResult{}, err
	}
	client, err := physclock.NewWall(hw, physclock.WallConfig{})
	if err != nil {
		return NetworkResult{}, err
	}
	server, err := perfectWall()
	if err != nil {
		return NetworkResult{}, err
	}
	res := NetworkResult{Config: cfg}
	cn := &clocksync.ClientNode{Server: "server", Clock: client, Poll: cfg.Poll, Apply: func(at, off time.Duration) {
		client.Step(at, off)
		res.Rounds = append(res.Rounds, NetworkRound{At: at, Measured: off, After: client.Read(at) - at})
	}}
	if err := sim.AddNode("client", cn); err != nil {
		return NetworkResult{}, err
	}
	if err := sim.AddNode("server", &clocksync.ServerNode{Clock: server}); err != nil {
		return NetworkResult{}, err
	}
	if err := sim.SetLink("client", "server", netsim.Link{Delay: netsim.Const(netsim.Time(cfg.Forward))}); err != nil {
		return NetworkResult{}, err
	}
	if err := sim.SetLink("server", "client", netsim.Link{Delay: netsim.Const(netsim.Time(cfg.Back))}); err != nil {
		return NetworkResult{}, err
	}
	if err := sim.Run(netsim.Time(cfg.Duration)); err != nil {
		return NetworkResult{}, err
	}
	for i := range res.Rounds {
		res.Rounds[i].Delay = cn.Applied[i].Sample.Delay
	}
	for _, rec := range sim.Trace() {
		if rec.Op == netsim.OpSend || rec.Op == netsim.OpDeliver {
			res.Trace += rec.String() + "\n"
		}
		if rec.Op == netsim.OpDeliver && rec.To == "client" {
			break
		}
	}
	return res, nil
}
