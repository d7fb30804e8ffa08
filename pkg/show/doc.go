// Package show is the one place where lesson code meets the notebook: it
// turns a gonum *plot.Plot, an HTML fragment or a table into output of the
// GoNB Jupyter kernel.
//
// Outside a notebook (under go test, or in a plain program) the display
// functions render everything as usual, so errors still surface, but show
// nothing; the Write* functions render to any io.Writer and are what tests
// call.
//
// Notebook cells import this package (and the lesson packages) but never
// gonbui directly.
//
// Plots are drawn at twice the CSS pixel density (DPI) and displayed at
// their CSS size (800 × 450 by default), so they are sharp on HiDPI
// screens in JupyterLab and on GitHub. Tables go out as plain HTML that
// scrolls sideways instead of wrapping, numeric columns right-aligned;
// WriteTable keeps the text form for tests. Wrap breaks long prose and
// hints at word boundaries (TextWidth).
//
// # Usage
//
//	p, err := plots.SpaceTime(h, plots.SpaceTimeOptions{...})
//	if show.Err(err) {
//		return
//	}
//	show.Err(show.Plot(p)) // PNG, 800 x 450 CSS pixels
//
//	show.Table([]string{"event", "LT"}, rows)
//
// Exercises are checked by package exercise, not here.
package show
