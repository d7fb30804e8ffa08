//go:build !linux

package main

import (
	"fmt"
	"os"
	"syscall"
)

// runGopls runs the real gopls in this process: tying its life to GoNB's
// needs Linux's parent-death signal.
func runGopls(self string) int {
	real, err := findReal("gopls", os.Getenv("PATH"), self)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kernelgo: %v\n", err)
		return 127
	}
	err = syscall.Exec(real, append([]string{real}, os.Args[1:]...), os.Environ())
	fmt.Fprintf(os.Stderr, "kernelgo: cannot run %s: %v\n", real, err)
	return 127
}
