package check

import (
	"os"
	"syscall"
)

// memoryAvailable is the memory the process may use: the smaller of its control group's limit
// and the machine's memory, 0 when neither is known.
func memoryAvailable() int64 {
	var machine int64
	var info syscall.Sysinfo_t
	if syscall.Sysinfo(&info) == nil {
		machine = int64(info.Totalram) * int64(info.Unit)
	}
	group := cgroupLimit(os.DirFS("/"))
	switch {
	case group > 0 && machine > 0:
		return min(group, machine)
	case group > 0:
		return group
	}
	return machine
}
