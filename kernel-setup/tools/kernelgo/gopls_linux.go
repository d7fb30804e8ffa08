package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"syscall"
	"time"
)

// runGopls runs the real gopls with this process's arguments and standard
// streams, as a child that the kernel tells to die with it (PR_SET_PDEATHSIG,
// so a SIGKILL of this wrapper, which is how GoNB stops gopls, ends it too),
// passes on termination signals, and ends it when GoNB is gone (the parent
// process changes). Returns gopls's exit status.
func runGopls(self string) int {
	real, err := findReal("gopls", os.Getenv("PATH"), self)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kernelgo: %v\n", err)
		return 127
	}
	// The parent-death signal is tied to the thread that starts the child:
	// keep the start on this thread, which lives as long as the process.
	runtime.LockOSThread()
	parent := os.Getppid()
	cmd := exec.Command(real, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "kernelgo: cannot run %s: %v\n", real, err)
		return 127
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return exitStatus(err)
		case s := <-sigs:
			cmd.Process.Signal(s)
		case <-tick.C:
			if os.Getppid() != parent {
				cmd.Process.Kill()
				<-done
				return 1
			}
		}
	}
}

func exitStatus(err error) int {
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return exit.ExitCode()
	default:
		return 1
	}
}
