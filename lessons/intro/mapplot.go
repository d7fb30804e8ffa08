package intro

import (
	"fmt"
	"image/color"
	"strings"

	"github.com/dslessons/course/pkg/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MapPoint is one dot of the course map: a lesson and a problem it treats.
type MapPoint struct {
	Lesson  int    // position in reading order (0 for the first notebook)
	Label   string // the notebook's number as its file name starts ("07")
	Problem Problem
}

// MapPoints lists every (lesson, problem) pair of the course map, in
// reading order.
func MapPoints() ([]MapPoint, error) {
	var pts []MapPoint
	for i, l := range lessons {
		label := l.Number()
		if label == "" || strings.HasPrefix(l.File, "-") {
			return nil, fmt.Errorf("intro: lesson file %q does not start with a number and a dash", l.File)
		}
		if l.IsLab() {
			label = "L" + strings.TrimPrefix(label, "lab ")
		}
		for _, p := range l.Problems {
			pts = append(pts, MapPoint{Lesson: i, Label: label, Problem: p})
		}
	}
	return pts, nil
}

// MapPlot draws the course map: lessons in reading order from left to
// right (ticks named after the notebooks' numbers), one row per problem,
// a dot where a lesson treats a problem; a lesson that treats two
// problems has its dots joined.
func MapPlot() (*plot.Plot, error) {
	pts, err := MapPoints()
	if err != nil {
		return nil, err
	}
	if len(pts) == 0 {
		return nil, fmt.Errorf("intro: the course map is empty")
	}
	rows := append([]Problem{Foundations}, Problems()...)
	y := map[Problem]float64{}
	names := make([]string, len(rows))
	for i, p := range rows {
		y[p] = float64(len(rows) - 1 - i) // first row on top
		names[len(rows)-1-i] = p.String()
	}
	p := plots.New()
	p.Title.Text = "Course map: which lesson treats which problem"
	p.X.Label.Text = "lesson (reading order)"
	p.NominalY(names...)
	p.Add(plotter.NewGrid())
	// Join the dots of one lesson.
	var ticks []plot.Tick
	for i := 0; i < len(pts); {
		j := i
		for j < len(pts) && pts[j].Lesson == pts[i].Lesson {
			j++
		}
		ticks = append(ticks, plot.Tick{Value: float64(pts[i].Lesson), Label: pts[i].Label})
		if j-i > 1 {
			var col plotter.XYs
			for _, pt := range pts[i:j] {
				col = append(col, plotter.XY{X: float64(pt.Lesson), Y: y[pt.Problem]})
			}
			l, err := plotter.NewLine(col)
			if err != nil {
				return nil, fmt.Errorf("intro: %w", err)
			}
			l.Color, l.Width = color.Gray{Y: 120}, vg.Points(2)
			p.Add(l)
		}
		i = j
	}
	for r, prob := range rows {
		var xys plotter.XYs
		for _, pt := range pts {
			if pt.Problem == prob {
				xys = append(xys, plotter.XY{X: float64(pt.Lesson), Y: y[prob]})
			}
		}
		if len(xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, fmt.Errorf("intro: %w", err)
		}
		sc.Color, sc.Shape, sc.Radius = plots.Color(r), draw.CircleGlyph{}, vg.Points(6) // the row tells the problem
		p.Add(sc)
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = -0.6, float64(pts[len(pts)-1].Lesson)+0.6
	p.Y.Min, p.Y.Max = -0.5, float64(len(rows))-0.5
	return p, nil
}
