//go:build unix

package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func mkfifo(path string) error { return syscall.Mkfifo(path, 0o600) }

func TestWriteDevice(t *testing.T) {
	// /dev/null is a character device on every Unix: written directly, it stays a device.
	before, err := os.Stat(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(os.DevNull, 0o644, writeString("discarded")); err != nil {
		t.Fatalf("Write(%s): %v", os.DevNull, err)
	}
	after, err := os.Stat(os.DevNull)
	if err != nil || after.Mode() != before.Mode() || !os.SameFile(before, after) {
		t.Errorf("%s changed: mode %v -> %v (%v)", os.DevNull, before.Mode(), after.Mode(), err)
	}
	if err := Check(os.DevNull); err != nil {
		t.Errorf("Check(%s) = %v, want nil", os.DevNull, err)
	}
}

func TestWriteFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := mkfifo(fifo); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	link := symlink(t, fifo, filepath.Join(dir, "link"))
	for _, path := range []string{fifo, link} {
		got := make(chan string, 1)
		go func() {
			f, err := os.Open(fifo) // blocks until Write opens the other end
			if err != nil {
				got <- err.Error()
				return
			}
			defer f.Close()
			data, _ := io.ReadAll(f)
			got <- string(data)
		}()
		if err := Write(path, 0o644, writeString("streamed")); err != nil {
			t.Fatalf("Write(%s): %v", path, err)
		}
		if s := <-got; s != "streamed" {
			t.Errorf("the FIFO's reader got %q, want \"streamed\"", s)
		}
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("%s is no longer a FIFO (%v)", fifo, err)
		}
	}
	leftovers(t, dir)
}
