package main

import (
	"fmt"
	"time"

	"github.com/m365posture/posture/internal/history"
	"github.com/m365posture/posture/internal/result"
)

// trendFrom reads posture's earlier estimates for res's tenant from the history directory dir,
// covering history.Window before res's snapshot; with save, res is stored first, so it is the
// newest point.
func trendFrom(dir string, res *result.Result, save bool) ([]result.TrendPoint, error) {
	if dir == "" {
		return nil, nil
	}
	if save {
		if _, err := history.Save(dir, res); err != nil {
			return nil, fmt.Errorf("--history: %w", err)
		}
	}
	since := res.Snapshot.CollectedAt.Add(-history.Window)
	if res.Snapshot.CollectedAt.IsZero() {
		since = time.Now().Add(-history.Window)
	}
	past, err := history.Load(dir, res.Snapshot.Tenant.ID, since)
	if err != nil {
		return nil, fmt.Errorf("--history: %w", err)
	}
	return history.Trend(past), nil
}
