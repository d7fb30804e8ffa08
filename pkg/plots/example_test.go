package plots_test

import (
	"fmt"
	"strings"

	"github.com/dslessons/course/pkg/history"
	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
)

func ExampleCleanTicks() {
	show := func(ticks []plot.Tick) {
		var labels []string
		for _, t := range ticks {
			if t.Label != "" {
				labels = append(labels, t.Label)
			}
		}
		fmt.Println(strings.Join(labels, " "))
	}
	show(plots.CleanTicks{}.Ticks(0, 0.5))
	show(plots.LogTicks{}.Ticks(1e-6, 0.5))
	// Output:
	// 0 0.1 0.2 0.3 0.4 0.5
	// 1e-06 1e-05 0.0001 0.001 0.01 0.1
}

func ExampleSpaceTime() {
	b := history.NewBuilder("client", "server")
	req := b.Send("client", "server", "request")
	b.At(0)
	b.Receive(req, "handle").At(4)
	b.Send("server", "client", "reply") // dropped by the network
	b.At(5)
	b.Local("client", "timeout").At(30)
	h, err := b.Build()
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := plots.SpaceTime(h, plots.SpaceTimeOptions{Title: "lost reply", Unreceived: plots.Lost})
	fmt.Println(p.Title.Text, p.X.Label.Text, err)
	_, err = plots.SpaceTime(h, plots.SpaceTimeOptions{Fates: map[int]plots.Fate{0: plots.Lost}})
	fmt.Println(err)
	// Output:
	// lost reply time (ms) <nil>
	// plots: fate given for message 0, which was received
}
