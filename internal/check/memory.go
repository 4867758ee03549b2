package check

import (
	"bytes"
	"io/fs"
	"strconv"
)

// cgroupLimit is the memory limit of the process's control group as fsys (the root of the
// file system) shows it: cgroup v2's memory.max, else cgroup v1's memory.limit_in_bytes. It
// returns 0 when there is none ("max", v1's near-2^63 "unlimited", or no such file): a
// container's limit is what the kernel kills the process at, whatever the machine has.
func cgroupLimit(fsys fs.FS) int64 {
	for _, name := range []string{"sys/fs/cgroup/memory.max", "sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(data)), 10, 64)
		if err != nil || n <= 0 || n >= 1<<62 {
			return 0
		}
		return n
	}
	return 0
}

// capLimit keeps a heap limit within three quarters of the memory the process may use (0:
// unknown), so that a large tenant in a small container is collected as it grows rather than
// killed: the limit lets the heap grow uncollected up to it, and the rest is the program's and
// the operating system's.
func capLimit(limit, available int64) int64 {
	if available <= 0 {
		return limit
	}
	return min(limit, available/4*3)
}
