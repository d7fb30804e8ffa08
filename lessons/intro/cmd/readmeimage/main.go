// Command readmeimage draws the README's picture (the introduction's
// "the network is reliable" experiment) into docs/images. Run it from the
// repository root:
//
//	go run ./lessons/intro/cmd/readmeimage
//
// A test in lessons/intro checks that the committed picture is up to date.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dslessons/course/lessons/intro"
)

func main() {
	out := flag.String("o", intro.ReadmeImage, "where to write the PNG")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "readmeimage:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	var buf bytes.Buffer
	if err := intro.WriteReadmeImage(&buf); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Println("wrote", out)
	return nil
}
