package main

import (
	"context"
	"fmt"
	"runtime"

	"github.com/m365posture/posture/internal/version"
)

func runVersion(_ context.Context, args []string, e env) error {
	fs := newFlags("version", "version", e)
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s %s (%s, %s/%s)\n", version.Name, version.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
