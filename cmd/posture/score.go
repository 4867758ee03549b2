package main

import (
	"context"
	"errors"
)

func runScore(ctx context.Context, args []string, e env) error {
	return errors.New("score: not implemented yet")
}
