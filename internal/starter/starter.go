// Package starter writes the files `posture init` gives a new organisation: a commented config
// and an example org rule with its test.
package starter

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed files
var files embed.FS

// Write creates the starter files under dir and returns their paths. It overwrites nothing: if
// any of the files exists, it writes none and says which.
func Write(dir string) ([]string, error) {
	sub, err := fs.Sub(files, "files")
	if err != nil {
		return nil, err
	}
	var names []string
	err = fs.WalkDir(sub, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, path)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read starter files: %w", err)
	}
	for _, n := range names {
		target := filepath.Join(dir, filepath.FromSlash(n))
		if _, err := os.Lstat(target); err == nil {
			return nil, fmt.Errorf("%s exists; posture init overwrites nothing (choose another --dir)", target)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("init: %w", err)
		}
	}
	var written []string
	for _, n := range names {
		data, err := fs.ReadFile(sub, n)
		if err != nil {
			return nil, fmt.Errorf("read starter file %s: %w", n, err)
		}
		target := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return nil, fmt.Errorf("init: %w", err)
		}
		// O_EXCL: a file that appeared since the check above is still not overwritten.
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return nil, fmt.Errorf("init: %w", err)
		}
		_, werr := f.Write(data)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return nil, fmt.Errorf("init: write %s: %w", target, werr)
		}
		written = append(written, target)
	}
	return written, nil
}
