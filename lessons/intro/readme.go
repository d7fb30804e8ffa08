package intro

import (
	"io"

	"github.com/dslessons/course/pkg/show"
)

// ReadmeImage is the README's picture, relative to the repository root.
const ReadmeImage = "docs/images/fallacy-reliable-network.png"

// ReadmeImageSeed is the seed of the README's picture.
const ReadmeImageSeed = 1

// WriteReadmeImage draws the README's picture — the "network is
// reliable" experiment of the introduction — as a PNG to w.
func WriteReadmeImage(w io.Writer) error {
	r, err := RunUnreliable(UnreliableConfig{Seed: ReadmeImageSeed})
	if err != nil {
		return err
	}
	p, err := PlotUnreliable(r)
	if err != nil {
		return err
	}
	return show.WritePNG(w, p, show.DefaultWidth, show.DefaultHeight)
}
