package sim

import (
	"context"
	"encoding/binary"
	"hash/fnv"
	"time"
)

// throttled decides whether this attempt of the request identified by key is answered 429, and
// counts it. The decision hashes the seed, the key and the attempt number, so it does not depend
// on how concurrent requests interleave.
func (s *Server) throttled(key string) bool {
	rate := s.opts.ThrottleRate
	if rate <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.attempts[key]
	n := a.n
	a.n++
	t := rate >= 1 || a.consecutive < MaxConsecutiveThrottles && unitFloat(s.opts.Seed, key, n) < rate
	if t {
		a.consecutive++
		s.stats.Throttled++
	} else {
		a.consecutive = 0
	}
	s.attempts[key] = a
	return t
}

// unitFloat maps (seed, key, n) to a number uniformly spread over [0, 1).
func unitFloat(seed int64, key string, n uint64) float64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(seed))
	h.Write(b[:])
	h.Write([]byte(key))
	binary.LittleEndian.PutUint64(b[:], n)
	h.Write(b[:])
	// FNV's low bits are weak; the splitmix64 finalizer spreads them.
	z := h.Sum64()
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11) / (1 << 53)
}

// delay waits the configured latency of a request; false means the client went away first.
func (s *Server) delay(ctx context.Context) bool {
	d := s.opts.Latency
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// delayUntil waits until deadline (a request's arrival plus the configured latency); false
// means the client went away first.
func (s *Server) delayUntil(ctx context.Context, deadline time.Time) bool {
	d := time.Until(deadline)
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
