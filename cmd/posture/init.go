package main

import (
	"context"
	"fmt"

	"github.com/m365posture/posture/internal/starter"
)

func runInit(ctx context.Context, args []string, e env) error {
	fs := newFlags("init", "init [--dir DIR]", e)
	var dir string
	fs.StringVar(&dir, "dir", ".", "write the starter files under `DIR`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	written, err := starter.Write(dir)
	if err != nil {
		return err
	}
	for _, p := range written {
		fmt.Fprintf(e.stdout, "wrote %s\n", p)
	}
	fmt.Fprintf(e.stdout, "\nnext: edit posture.yaml (break-glass accounts first), run `posture test` in %s, then `posture check --snapshot FILE --config posture.yaml`\n", dir)
	return nil
}
