package intro

import (
	"fmt"
	"image/color"

	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// MapPoint is one dot of the course map: a lesson and a problem it treats.
type MapPoint struct {
	Lesson  int // lesson number, from the file name
	Problem Problem
}

// MapPoints lists every (lesson, problem) pair of the course map, in
// reading order.
func MapPoints() ([]MapPoint, error) {
	var pts []MapPoint
	for _, l := range lessons {
		var n int
		if _, err := fmt.Sscanf(l.File, "%02d-", &n); err != nil {
			return nil, fmt.Errorf("intro: lesson file %q does not start with a number: %v", l.File, err)
		}
		for _, p := range l.Problems {
			pts = append(pts, MapPoint{Lesson: n, Problem: p})
		}
	}
	return pts, nil
}

// MapPlot draws the course map: lessons in reading order from left to
// right, one row per problem, a labelled dot where a lesson treats a
// problem.
func MapPlot() (*plot.Plot, error) {
	pts, err := MapPoints()
	if err != nil {
		return nil, err
	}
	rows := append([]Problem{Foundations}, Problems()...)
	y := map[Problem]float64{}
	names := make([]string, len(rows))
	for i, p := range rows {
		y[p] = float64(len(rows) - 1 - i) // first row on top
		names[len(rows)-1-i] = p.String()
	}
	xys := make(plotter.XYs, len(pts))
	labels := make([]string, len(pts))
	for i, pt := range pts {
		xys[i] = plotter.XY{X: float64(pt.Lesson), Y: y[pt.Problem]}
		labels[i] = fmt.Sprintf("%02d", pt.Lesson)
	}
	p := plots.New()
	p.Title.Text = "Course map: which lesson treats which problem"
	p.X.Label.Text = "lesson (reading order)"
	p.X.Tick.Marker = plots.IntegerTicks{}
	p.NominalY(names...)
	p.Add(plotter.NewGrid())
	line, err := plotter.NewLine(xys)
	if err != nil {
		return nil, fmt.Errorf("intro: %w", err)
	}
	line.Color = color.Gray{Y: 170}
	line.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return nil, fmt.Errorf("intro: %w", err)
	}
	sc.Radius = vg.Points(4)
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return nil, fmt.Errorf("intro: %w", err)
	}
	lab.Offset = vg.Point{X: -vg.Points(5), Y: vg.Points(6)}
	p.Add(line, sc, lab)
	p.X.Min, p.X.Max = -0.7, float64(pts[len(pts)-1].Lesson)+0.7
	p.Y.Min, p.Y.Max = -0.6, float64(len(rows))-0.3
	return p, nil
}
