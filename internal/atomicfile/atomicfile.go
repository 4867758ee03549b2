// Package atomicfile writes files so that readers see the old content or the new, never half.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// errIsDir refuses a directory as the file to write.
var errIsDir = errors.New("is a directory")

// maxLinks is how many symbolic links a path may go through, as on Linux (MAXSYMLINKS).
const maxLinks = 40

// Write writes what fill produces to path. What it does depends on what path is:
//   - a regular file, or a path that does not exist yet: fill writes a temporary file in the
//     same directory, which is synced and renamed over path only when fill succeeded, so path
//     holds the old content or the complete new one, never a part; on any error path is left
//     as it was and the temporary file is removed;
//   - a symbolic link: the file it leads to is written as above (created when the link
//     dangles) and the link stays a link;
//   - a device, FIFO or socket (/dev/stdout, /dev/null, a named pipe): it is opened and
//     written directly, since renaming over it would replace it with a regular file (run as
//     root, --output /dev/stdout would otherwise turn the device into a file).
//
// Errors are returned as they are: callers name the file and what they were writing.
func Write(path string, perm os.FileMode, fill func(w io.Writer) error) error {
	target, direct, err := resolve(path)
	if err != nil {
		return err
	}
	if direct {
		return writeDirect(target, fill)
	}
	return writeAtomic(target, perm, fill)
}

// resolve says where Write writes path: the file itself for a device or FIFO (direct), or
// the end of path's symbolic links for a regular file or a path that does not exist yet.
func resolve(path string) (target string, direct bool, err error) {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		// Nothing there yet (or a parent is missing, which writing reports): a dangling link
		// creates the file it points to.
		target, err := linkEnd(path)
		return target, false, err
	case fi.IsDir():
		return "", false, errIsDir
	case !fi.Mode().IsRegular():
		return path, true, nil
	}
	target, err = filepath.EvalSymlinks(path)
	return target, false, err
}

// linkEnd follows path's symbolic links (a link in the last element; the directories are
// followed by the system) to the path the last one names; path itself when it is no link.
func linkEnd(path string) (string, error) {
	for range maxLinks {
		dest, err := os.Readlink(path)
		if err != nil {
			return path, nil // not a link (or nothing there): this is the end
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		path = dest
	}
	return "", fmt.Errorf("more than %d symbolic links", maxLinks)
}

// writeDirect writes to a file that cannot be replaced: a device or a FIFO. What fill wrote
// before an error has been written; such a reader sees a stream, never a file to replace.
func writeDirect(path string, fill func(w io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 64<<10)
	if err := fill(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeAtomic writes path through a temporary file renamed over it.
func writeAtomic(path string, perm os.FileMode, fill func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	if err = fill(w); err != nil {
		return err
	}
	if err = w.Flush(); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes the rename durable. It is best effort: some platforms and file systems
// cannot sync a directory, and the data is already safe in the file.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// Check reports whether Write could write path now, so that a command which works for minutes
// before it writes can refuse a path it could never write before it starts: path is not a
// directory, and, unless it is a device or FIFO (written as it is), the directory of the file
// it leads to exists and a file can be created there (one is, then removed).
func Check(path string) error {
	dir, base := filepath.Split(path)
	if base == "" {
		return errIsDir
	}
	target, direct, err := resolve(path)
	switch {
	case err != nil:
		return err
	case direct:
		return nil
	}
	dir, base = filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	dir = filepath.Clean(dir)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("directory %s does not exist", dir)
	case err != nil:
		return fmt.Errorf("directory %s: %w", dir, pathErr(err))
	case !fi.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot create a file in %s: %w", dir, pathErr(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// Same reports whether Write to out would write the file in: the same file once symbolic and
// hard links are followed (os.SameFile), or, while either does not exist yet, the same place
// (the same directory, its links followed, and the same name). A command uses it to refuse
// an output that would overwrite its own input.
func Same(out, in string) bool {
	oi, oerr := os.Stat(out)
	ii, ierr := os.Stat(in)
	if oerr == nil && ierr == nil {
		return os.SameFile(oi, ii)
	}
	return place(out) == place(in)
}

// place is where a path that does not exist yet would be created: the end of its links, in
// its directory with that directory's links followed, as an absolute path.
func place(path string) string {
	end, err := linkEnd(path)
	if err != nil {
		end = path
	}
	dir, base := filepath.Split(end)
	if dir == "" {
		dir = "."
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	abs, err := filepath.Abs(filepath.Join(dir, base))
	if err != nil {
		return filepath.Join(dir, base)
	}
	return abs
}

// pathErr drops the path a *fs.PathError repeats (the caller names the directory).
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
