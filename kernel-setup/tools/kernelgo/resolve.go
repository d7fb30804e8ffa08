package main

import (
	"bufio"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// goEnv holds the go command settings that decide whether `go get` can be
// skipped. Each comes from the process environment, else from the user's go
// env file (`go env -w`), like the go command itself reads them.
type goEnv struct {
	goroot    string // the standard library is goroot/src
	gowork    string // GOWORK; empty means "the go.work found in the directory"
	toolchain string // GOTOOLCHAIN
	goflags   string // GOFLAGS
}

// loadEnv reads the settings for the go command at realGo.
func loadEnv(realGo string) (goEnv, error) {
	file := readGoEnvFile()
	get := func(k string) string {
		if v, ok := os.LookupEnv(k); ok {
			return v
		}
		return file[k]
	}
	e := goEnv{gowork: get("GOWORK"), toolchain: get("GOTOOLCHAIN"), goflags: get("GOFLAGS"), goroot: os.Getenv("GOROOT")}
	if e.goroot == "" {
		resolved, err := filepath.EvalSymlinks(realGo)
		if err != nil {
			return e, err
		}
		e.goroot = filepath.Dir(filepath.Dir(resolved)) // GOROOT/bin/go
	}
	if fi, err := os.Stat(filepath.Join(e.goroot, "src", "runtime")); err != nil || !fi.IsDir() {
		return e, fmt.Errorf("no standard library under GOROOT %s", e.goroot)
	}
	return e, nil
}

// readGoEnvFile returns the settings in the go env file ($GOENV, by default
// os.UserConfigDir()/go/env), or nothing if there is none.
func readGoEnvFile() map[string]string {
	name := os.Getenv("GOENV")
	if name == "off" {
		return nil
	}
	if name == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return nil
		}
		name = filepath.Join(dir, "go", "env")
	}
	f, err := os.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if ok && !strings.HasPrefix(k, "#") {
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return m
}

// A wsModule is a module of the Go workspace the cell is built in.
type wsModule struct {
	path     string   // module path
	dir      string   // directory holding its go.mod
	requires []string // module paths its go.mod requires
}

// canSkipGet returns nil if `go get` (with -t when tests) run in dir, GoNB's
// temporary module, would succeed without changing anything: every package
// the program in dir imports, and everything those packages import in turn
// inside the workspace, is in the standard library, in a workspace module,
// or (for a workspace module's own imports) in a module that module's go.mod
// requires. Otherwise it says why not, and the real `go get` must run.
func canSkipGet(dir string, tests bool, env goEnv) error {
	switch env.toolchain {
	case "", "auto", "local", "path", "local+auto", "local+path":
	default:
		return fmt.Errorf("GOTOOLCHAIN=%s may select another Go", env.toolchain)
	}
	for _, f := range strings.Fields(env.goflags) {
		if strings.HasPrefix(f, "-mod") {
			return fmt.Errorf("GOFLAGS sets %s", f)
		}
	}
	mods, self, err := workspace(dir, env.gowork)
	if err != nil {
		return err
	}
	type pkg struct {
		dir, path string
		mod       *wsModule
	}
	seen := map[string]bool{dir: true}
	queue := []pkg{{dir, self.path, self}}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		imports, err := packageImports(p.dir, tests && p.mod == self)
		if err != nil {
			return err
		}
		for _, imp := range imports {
			if imp == "C" {
				continue
			}
			if err := module.CheckImportPath(imp); err != nil {
				return err
			}
			if err := visible(p.path, imp); err != nil {
				return err
			}
			first, _, _ := strings.Cut(imp, "/")
			if !strings.Contains(first, ".") {
				if err := stdPackage(env.goroot, imp); err != nil {
					return err
				}
				continue
			}
			if m := longestModule(mods, imp); m != nil {
				pdir, err := workspacePackage(m, imp)
				if err != nil {
					return err
				}
				if !seen[pdir] {
					seen[pdir] = true
					queue = append(queue, pkg{pdir, imp, m})
				}
				continue
			}
			if p.mod == self {
				return fmt.Errorf("%s is not in the workspace: go get may add a requirement", imp)
			}
			if !requiredBy(p.mod, imp) {
				return fmt.Errorf("%s (imported by %s) is in no module that %s requires", imp, p.path, p.mod.path)
			}
		}
	}
	return nil
}

// workspace returns the modules of the workspace of dir (its go.work, or
// just its go.mod) and the one in dir. It refuses set-ups it does not know
// to be unchanged by `go get`: replacements in go.work, or a go.mod in dir
// that requires modules or replaces anything but workspace modules.
func workspace(dir, gowork string) (mods []*wsModule, self *wsModule, err error) {
	work := filepath.Join(dir, "go.work")
	if gowork != "" && gowork != work {
		return nil, nil, fmt.Errorf("GOWORK=%s", gowork)
	}
	dirs := []string{dir}
	if data, err := os.ReadFile(work); err == nil {
		wf, err := modfile.ParseWork(work, data, nil)
		if err != nil {
			return nil, nil, err
		}
		if len(wf.Replace) > 0 {
			return nil, nil, errors.New("go.work has replace directives")
		}
		dirs = dirs[:0]
		for _, u := range wf.Use {
			d := u.Path
			if !filepath.IsAbs(d) {
				d = filepath.Join(dir, d)
			}
			dirs = append(dirs, filepath.Clean(d))
		}
	} else if !os.IsNotExist(err) {
		return nil, nil, err
	}
	var selfFile *modfile.File
	for _, d := range dirs {
		gomod := filepath.Join(d, "go.mod")
		data, err := os.ReadFile(gomod)
		if err != nil {
			return nil, nil, err
		}
		// The cell's own go.mod is read in full; ParseLax would skip its
		// replace directives.
		parse := modfile.ParseLax
		if sameDir(d, dir) {
			parse = modfile.Parse
		}
		f, err := parse(gomod, data, nil)
		if err != nil {
			return nil, nil, err
		}
		if f.Module == nil {
			return nil, nil, fmt.Errorf("%s has no module line", gomod)
		}
		m := &wsModule{path: f.Module.Mod.Path, dir: d}
		for _, r := range f.Require {
			m.requires = append(m.requires, r.Mod.Path)
		}
		mods = append(mods, m)
		if sameDir(d, dir) {
			self, selfFile = m, f
		}
	}
	if self == nil {
		return nil, nil, errors.New("the cell's module is not in its go.work")
	}
	if len(selfFile.Require) > 0 {
		return nil, nil, errors.New("the cell's go.mod requires modules")
	}
	for _, r := range selfFile.Replace {
		m := longestModule(mods, r.Old.Path)
		if m == nil || m.path != r.Old.Path || r.New.Version != "" || !sameDir(resolveDir(dir, r.New.Path), m.dir) {
			return nil, nil, fmt.Errorf("the cell's go.mod replaces %s by something outside the workspace", r.Old.Path)
		}
	}
	return mods, self, nil
}

func resolveDir(base, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(base, p)
}

func sameDir(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// longestModule returns the workspace module whose path is the longest
// prefix of the import path imp, or nil.
func longestModule(mods []*wsModule, imp string) *wsModule {
	var best *wsModule
	for _, m := range mods {
		if (imp == m.path || strings.HasPrefix(imp, m.path+"/")) && (best == nil || len(m.path) > len(best.path)) {
			best = m
		}
	}
	return best
}

// requiredBy reports whether a module m requires provides imp's path.
func requiredBy(m *wsModule, imp string) bool {
	for _, r := range m.requires {
		if imp == r || strings.HasPrefix(imp, r+"/") {
			return true
		}
	}
	return false
}

// visible returns an error if importer may not import imp because of an
// internal element in imp.
func visible(importer, imp string) error {
	elems := strings.Split(imp, "/")
	for i, e := range elems {
		if e != "internal" {
			continue
		}
		parent := strings.Join(elems[:i], "/")
		if parent == "" || !(importer == parent || strings.HasPrefix(importer, parent+"/")) {
			return fmt.Errorf("%s may not import %s", importer, imp)
		}
	}
	return nil
}

// stdPackage returns nil if imp is a package of the standard library that
// any program may import.
func stdPackage(goroot, imp string) error {
	first, _, _ := strings.Cut(imp, "/")
	if first == "cmd" || first == "vendor" || first == "builtin" {
		return fmt.Errorf("%s is not an importable standard package", imp)
	}
	if !hasGoFiles(filepath.Join(goroot, "src", filepath.FromSlash(imp))) {
		return fmt.Errorf("%s is not in the standard library", imp)
	}
	return nil
}

// workspacePackage returns the directory of package imp in workspace module
// m, if it is there and belongs to m (no nested go.mod on the way).
func workspacePackage(m *wsModule, imp string) (string, error) {
	rel := strings.TrimPrefix(strings.TrimPrefix(imp, m.path), "/")
	d := m.dir
	if rel != "" {
		for _, e := range strings.Split(rel, "/") {
			if e == "testdata" || e == "vendor" || strings.HasPrefix(e, ".") || strings.HasPrefix(e, "_") {
				return "", fmt.Errorf("%s: the go command ignores directory %s", imp, e)
			}
			d = filepath.Join(d, e)
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				return "", fmt.Errorf("%s is in a module nested in %s", imp, m.path)
			}
		}
	}
	if !hasGoFiles(d) {
		return "", fmt.Errorf("no Go files for %s in %s", imp, d)
	}
	return d, nil
}

// hasGoFiles reports whether dir holds a non-test Go file.
func hasGoFiles(dir string) bool {
	names, _ := goFiles(dir, false)
	return len(names) > 0
}

// goFiles lists the Go files of the package in dir the way the go command
// sees them when it gathers imports for `go get` (every build tag, except
// files marked ignore), with test files if tests.
func goFiles(dir string, tests bool) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") {
			continue
		}
		if !tests && strings.HasSuffix(n, "_test.go") {
			continue
		}
		if t := e.Type(); !t.IsRegular() && t&os.ModeSymlink == 0 {
			continue
		}
		names = append(names, filepath.Join(dir, n))
	}
	sort.Strings(names)
	return names, nil
}

// packageImports returns the import paths of the package in dir.
func packageImports(dir string, tests bool) ([]string, error) {
	names, err := goFiles(dir, tests)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		f, err := parser.ParseFile(fset, n, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return nil, err
		}
		if ignored(f.Comments, f.Package) {
			continue
		}
		for _, s := range f.Imports {
			p, err := strconv.Unquote(s.Path.Value)
			if err != nil {
				return nil, err
			}
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// ignored reports whether a file's build constraint is exactly "ignore",
// which excludes it even when the go command considers every build tag.
func ignored(groups []*ast.CommentGroup, pkg token.Pos) bool {
	for _, g := range groups {
		if g.Pos() >= pkg {
			break
		}
		for _, c := range g.List {
			t := strings.TrimSpace(c.Text)
			if t == "//go:build ignore" || t == "// +build ignore" {
				return true
			}
		}
	}
	return false
}
