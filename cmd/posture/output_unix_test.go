//go:build unix

package main

// --output to what a Unix system has besides files: /dev/stdout, devices, FIFOs, symbolic links.

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// demoJSON is check --demo --format json, printed to stdout.
func demoJSON(t *testing.T) string {
	t.Helper()
	r := runPosture(t, nil, "check", "--demo", "--format", "json")
	if r.code != 1 || !json.Valid([]byte(r.stdout)) {
		t.Fatalf("check --demo --format json: exit %d, stderr %s", r.code, r.stderr)
	}
	return evaluatedAtLine.ReplaceAllString(r.stdout, `"evaluatedAt": ""`)
}

// sameResult compares two results of the demo but for the time they were evaluated.
func sameResult(t *testing.T, got, want string) {
	t.Helper()
	if got := evaluatedAtLine.ReplaceAllString(got, `"evaluatedAt": ""`); got != want {
		t.Errorf("output is not the result (%d bytes, want %d)", len(got), len(want))
	}
}

func TestOutputKinds(t *testing.T) {
	want := demoJSON(t)
	check := func(out string) []string { return []string{"check", "--demo", "--format", "json", "--output", out} }

	t.Run("dash is stdout", func(t *testing.T) {
		r := runPosture(t, nil, check("-")...)
		if r.code != 1 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		sameResult(t, r.stdout, want)
	})

	t.Run("/dev/stdout through a pipe", func(t *testing.T) {
		before, err := os.Lstat("/dev/stdout")
		if err != nil {
			t.Fatal(err)
		}
		r := runPosture(t, nil, check("/dev/stdout")...)
		if r.code != 1 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		sameResult(t, r.stdout, want)
		after, err := os.Lstat("/dev/stdout")
		if err != nil || after.Mode() != before.Mode() || !os.SameFile(before, after) {
			t.Errorf("/dev/stdout changed: %v -> %v (%v)", before.Mode(), after.Mode(), err)
		}
	})

	t.Run("/dev/stdout redirected to a file", func(t *testing.T) {
		// The shell's `posture ... --output /dev/stdout > file`: stdout is a regular file.
		path := filepath.Join(t.TempDir(), "redirected.json")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd := exec.Command(postureBin, check("/dev/stdout")...)
		cmd.Stdout = f
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err == nil || cmd.ProcessState.ExitCode() != 1 {
			t.Fatalf("run: %v, stderr %s", err, stderr.String())
		}
		got, _ := os.ReadFile(path)
		sameResult(t, string(got), want)
	})

	t.Run("a symbolic link is written through", func(t *testing.T) {
		dir := t.TempDir()
		target := filepath.Join(dir, "reports", "result.json")
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(dir, "latest.json")
		if err := os.Symlink(filepath.Join("reports", "result.json"), link); err != nil {
			t.Fatal(err)
		}
		if r := runPosture(t, nil, check(link)...); r.code != 1 || r.stdout != "" {
			t.Fatalf("exit %d, stdout %q: %s", r.code, r.stdout, r.stderr)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symbolic link (%v)", link, err)
		}
		got, _ := os.ReadFile(target)
		sameResult(t, string(got), want)
	})

	t.Run("a FIFO is written, not replaced", func(t *testing.T) {
		fifo := filepath.Join(t.TempDir(), "pipe")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		read := make(chan string, 1)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				read <- err.Error()
				return
			}
			defer f.Close()
			data, _ := io.ReadAll(f)
			read <- string(data)
		}()
		if r := runPosture(t, nil, check(fifo)...); r.code != 1 || r.stdout != "" {
			t.Fatalf("exit %d, stdout %q: %s", r.code, r.stdout, r.stderr)
		}
		sameResult(t, <-read, want)
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("%s is no longer a FIFO (%v)", fifo, err)
		}
	})

	t.Run("/dev/null stays a device", func(t *testing.T) {
		before, err := os.Stat(os.DevNull)
		if err != nil {
			t.Fatal(err)
		}
		if r := runPosture(t, nil, check(os.DevNull)...); r.code != 1 || r.stdout != "" {
			t.Fatalf("exit %d, stdout %q: %s", r.code, r.stdout, r.stderr)
		}
		after, err := os.Stat(os.DevNull)
		if err != nil || after.Mode() != before.Mode() {
			t.Errorf("%s changed: %v -> %v (%v)", os.DevNull, before.Mode(), after.Mode(), err)
		}
	})
}
