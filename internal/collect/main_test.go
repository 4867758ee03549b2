package collect_test

import (
	"flag"
	"os"
	"strconv"
	"testing"
)

// collectParallel is how many parallel tests run side by side unless -test.parallel says
// otherwise.
const collectParallel = 16

// TestMain runs more parallel tests at once than the default (one per CPU): a collection
// mostly sleeps, paced on the real clock to Graph's documented limits (five reports per ten
// seconds, Conditional Access one request per second), and uses little CPU, so two at a time
// would leave the machine idle for minutes.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		if err := flag.Set("test.parallel", strconv.Itoa(collectParallel)); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
