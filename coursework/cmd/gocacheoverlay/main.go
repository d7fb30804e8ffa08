// Command gocacheoverlay is a GOCACHEPROG program (see `go help
// environment`, cmd/go/internal/cacheprog) that puts a private, writable
// build cache over a read-only one.
//
// The grading sandbox (coursework/sandbox.py) runs students' notebooks with
// the course's warm Go build cache mounted read-only, so that nothing a
// submission does can change what another submission's build uses, and lets
// the go command write new objects to a scratch directory that disappears
// with the sandbox:
//
//	GOCACHEPROG="gocacheoverlay -base /ro/go-build -dir /tmp/go-cache"
//
// "get" looks in -dir, then in -base (whose layout is the go command's own
// cache directory: <xx>/<action id>-a entries and <xx>/<output id>-d
// bodies); "put" writes to -dir only.
package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// request and response follow cmd/go/internal/cacheprog.
type request struct {
	ID       int64
	Command  string
	ActionID []byte `json:",omitempty"`
	OutputID []byte `json:",omitempty"`
	BodySize int64  `json:",omitempty"`
}

type response struct {
	ID            int64
	Err           string     `json:",omitempty"`
	KnownCommands []string   `json:",omitempty"`
	Miss          bool       `json:",omitempty"`
	OutputID      []byte     `json:",omitempty"`
	Size          int64      `json:",omitempty"`
	Time          *time.Time `json:",omitempty"`
	DiskPath      string     `json:",omitempty"`
}

// maxBody bounds one object put into the cache (the largest objects are
// linked test binaries and archives of big packages).
const maxBody = 1 << 30

const hashSize = 32

type cache struct{ base, dir string }

func (c cache) name(root string, id []byte, kind string) string {
	h := hex.EncodeToString(id)
	return filepath.Join(root, h[:2], h+"-"+kind)
}

// entry reads an action entry "v1 <action> <output> <size> <time>\n".
func (c cache) entry(root string, action []byte) (out []byte, size int64, t time.Time, ok bool) {
	b, err := os.ReadFile(c.name(root, action, "a"))
	if err != nil || len(b) > 200 {
		return nil, 0, t, false
	}
	f := strings.Fields(string(b))
	if len(f) != 5 || f[0] != "v1" || f[1] != hex.EncodeToString(action) {
		return nil, 0, t, false
	}
	out, err = hex.DecodeString(f[2])
	if err != nil || len(out) != hashSize {
		return nil, 0, t, false
	}
	size, err1 := strconv.ParseInt(f[3], 10, 64)
	ns, err2 := strconv.ParseInt(f[4], 10, 64)
	if err1 != nil || err2 != nil || size < 0 {
		return nil, 0, t, false
	}
	return out, size, time.Unix(0, ns), true
}

func (c cache) get(action []byte) response {
	if len(action) != hashSize {
		return response{Err: "bad action id"}
	}
	for _, root := range []string{c.dir, c.base} {
		if root == "" {
			continue
		}
		out, size, t, ok := c.entry(root, action)
		if !ok {
			continue
		}
		path := c.name(root, out, "d")
		st, err := os.Stat(path)
		if err != nil || !st.Mode().IsRegular() || st.Size() != size {
			continue // cached executables are directories: rebuild them
		}
		return response{OutputID: out, Size: size, Time: &t, DiskPath: path}
	}
	return response{Miss: true}
}

func (c cache) put(r request, body []byte) response {
	if len(r.ActionID) != hashSize || len(r.OutputID) != hashSize {
		return response{Err: "bad action or output id"}
	}
	path := c.name(c.dir, r.OutputID, "d")
	if err := writeAtomic(path, body); err != nil {
		return response{Err: err.Error()}
	}
	line := fmt.Sprintf("v1 %x %x %20d %20d\n", r.ActionID, r.OutputID, len(body), time.Now().UnixNano())
	if err := writeAtomic(c.name(c.dir, r.ActionID, "a"), []byte(line)); err != nil {
		return response{Err: err.Error()}
	}
	return response{DiskPath: path}
}

func writeAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func serve(c cache, in io.Reader, out io.Writer) error {
	dec := json.NewDecoder(bufio.NewReader(in))
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	send := func(r response) error {
		if err := enc.Encode(r); err != nil {
			return err
		}
		return w.Flush()
	}
	if err := send(response{KnownCommands: []string{"get", "put", "close"}}); err != nil {
		return err
	}
	for {
		var r request
		if err := dec.Decode(&r); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		var resp response
		switch r.Command {
		case "get":
			resp = c.get(r.ActionID)
		case "put":
			if r.BodySize < 0 || r.BodySize > maxBody {
				return fmt.Errorf("put of %d bytes: allowed 0..%d", r.BodySize, maxBody)
			}
			var body []byte
			if r.BodySize > 0 {
				if err := dec.Decode(&body); err != nil {
					return fmt.Errorf("reading put body: %w", err)
				}
				if int64(len(body)) != r.BodySize {
					return fmt.Errorf("put body has %d bytes, announced %d", len(body), r.BodySize)
				}
			}
			resp = c.put(r, body)
		case "close":
			resp.ID = r.ID
			return send(resp)
		default:
			resp.Err = "unknown command " + strconv.Quote(r.Command)
		}
		resp.ID = r.ID
		if err := send(resp); err != nil {
			return err
		}
	}
}

func main() {
	base := flag.String("base", "", "read-only Go build cache directory (optional)")
	dir := flag.String("dir", "", "writable cache directory (required)")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "gocacheoverlay: -dir is required")
		os.Exit(2)
	}
	if err := serve(cache{base: *base, dir: *dir}, os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gocacheoverlay:", err)
		os.Exit(1)
	}
}
