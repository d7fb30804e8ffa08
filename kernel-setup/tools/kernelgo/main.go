// Command kernelgo is the `go` command the course's GoNB kernel finds first
// on its PATH (kernel-setup/setup.sh installs it as .venv/lib/kernelgo/go and
// the kernel spec puts that directory first). It hands every invocation to
// the real go command unchanged, except two that GoNB makes in its temporary
// directory ($GONB_TMP_DIR) for every cell:
//
//   - `go get` (GoNB's "autoget"): skipped when it could only succeed without
//     changing anything, that is when every package the cell's program
//     imports is in the standard library or in a module of the kernel's Go
//     workspace (this course), and those packages' own imports resolve the
//     same way or through the modules their go.mod requires. In every other
//     case the real `go get` runs, so what a student sees (downloads,
//     errors) is exactly what plain GoNB shows.
//   - `go build` and `go test -c`: linked with -ldflags=-w (no DWARF debug
//     information), which makes every cell's link faster, and run with
//     GOGC=400 unless GOGC is set. Panics still print file:line; only
//     debuggers lose information.
//
// Together they take a trivial cell that imports the course's display
// package from about 0.8 s to 0.3 s (bench/cells).
//
// Installed as .venv/gonb-bin/gopls too, it runs the real gopls as its child
// and ends it when GoNB ends: GoNB starts gopls in a process group of its
// own and stops it only when it shuts down cleanly, so a kernel that is
// killed (a grader's time limit, a crash) used to leave gopls running.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

func main() {
	self, err := os.Executable()
	if err != nil {
		fail("cannot find its own path: %v", err)
	}
	if filepath.Base(os.Args[0]) == "gopls" {
		os.Exit(runGopls(self))
	}
	realGo, err := findReal("go", os.Getenv("PATH"), self)
	if err != nil {
		fail("%v", err)
	}
	args := os.Args[1:]
	if dir, ok := gonbDir(); ok {
		switch {
		case isAutoGet(args):
			env, err := loadEnv(realGo)
			if err == nil {
				err = canSkipGet(dir, len(args) == 2, env)
			}
			if err == nil {
				trace("get: skipped")
				os.Exit(0)
			}
			trace("get: run (%v)", err)
		case isCellBuild(args):
			args = withLinkerFlags(args)
			if _, set := os.LookupEnv("GOGC"); !set {
				// The go command and the linker collect garbage less
				// often: about a tenth less CPU for a cell's build.
				os.Setenv("GOGC", "400")
			}
			trace("%s: %s", args[0], strings.Join(args[1:], " "))
		}
	}
	if err := enter(); err != nil {
		fail("%v (the go command found first on PATH after this wrapper is %s)", err, realGo)
	}
	argv := append([]string{realGo}, args...)
	err = syscall.Exec(realGo, argv, os.Environ())
	fail("cannot run %s: %v", realGo, err)
}

// maxDepth bounds how often kernelgo may run inside itself. A go command
// that runs go (go generate, go run of a program that calls go) nests a
// level or two; a `go` on PATH that is itself a wrapper calling this one
// would nest forever, each level a new process.
const maxDepth = 8

// enter counts this run in $KERNELGO_DEPTH, which the go command and its
// children inherit, and refuses to go deeper than maxDepth.
func enter() error {
	depth, _ := strconv.Atoi(os.Getenv("KERNELGO_DEPTH"))
	if depth >= maxDepth {
		return fmt.Errorf("runs inside itself %d levels deep: a go on PATH leads back to it", depth)
	}
	return os.Setenv("KERNELGO_DEPTH", strconv.Itoa(depth+1))
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "kernelgo: "+format+"\n", a...)
	os.Exit(127)
}

// findReal returns the first program named name on path that is not this
// one.
func findReal(name, path, self string) (string, error) {
	me, err := os.Stat(self)
	if err != nil {
		return "", fmt.Errorf("cannot stat its own executable %s: %v", self, err)
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue // the current directory is never searched
		}
		cand := filepath.Join(dir, name)
		fi, err := os.Stat(cand)
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 || os.SameFile(fi, me) {
			continue
		}
		return cand, nil
	}
	return "", fmt.Errorf("no %s on PATH other than this wrapper: install it and put it on PATH", name)
}

// gonbDir reports the current directory if it is GoNB's temporary directory.
func gonbDir() (string, bool) {
	tmp := os.Getenv("GONB_TMP_DIR")
	if tmp == "" {
		return "", false
	}
	cwd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	a, err1 := os.Stat(cwd)
	b, err2 := os.Stat(tmp)
	if err1 != nil || err2 != nil || !os.SameFile(a, b) {
		return "", false
	}
	return cwd, true
}

// isAutoGet reports whether args are exactly what GoNB runs before a cell:
// `go get`, or `go get -t` for a %test cell.
func isAutoGet(args []string) bool {
	return (len(args) == 1 && args[0] == "get") || (len(args) == 2 && args[0] == "get" && args[1] == "-t")
}

// isCellBuild reports whether args build a cell's program: `go build ...` or
// `go test -c ...`.
func isCellBuild(args []string) bool {
	if len(args) == 0 {
		return false
	}
	if args[0] == "build" {
		return true
	}
	if args[0] == "test" {
		for _, a := range args[1:] {
			if a == "-c" {
				return true
			}
		}
	}
	return false
}

// withLinkerFlags adds -ldflags=-w right after the subcommand. A -ldflags
// the user gave (GoNB's %goflags) comes later and replaces it.
func withLinkerFlags(args []string) []string {
	out := make([]string, 0, len(args)+1)
	out = append(out, args[0], "-ldflags=-w")
	return append(out, args[1:]...)
}

// trace appends one line to the file named by $KERNELGO_TRACE, if set: what
// the wrapper did with an invocation (for tests and for curious authors).
func trace(format string, a ...any) {
	name := os.Getenv("KERNELGO_TRACE")
	if name == "" {
		return
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return
	}
	fmt.Fprintf(f, format+"\n", a...)
	f.Close()
}
