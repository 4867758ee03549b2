package regotest

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestMerge(t *testing.T) {
	tests := []struct {
		in   []Range
		want string
	}{
		{nil, "[]"},
		{[]Range{{12, 12}, {12, 12}, {14, 14}}, "[{12 12} {14 14}]"},
		{[]Range{{16, 16}, {12, 13}, {14, 14}}, "[{12 14} {16 16}]"},
		{[]Range{{3, 9}, {4, 5}}, "[{3 9}]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(merge(tt.in)); got != tt.want && !(tt.want == "[]" && got == "[]") {
			t.Errorf("merge(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestRun(t *testing.T) {
	tests := []struct {
		name     string
		dir      string
		coverage bool
		run      string
		want     map[string]Status // test name suffix -> status
		failed   bool
		output   string // printed by a test
		percent  float64
		errWant  string
	}{
		{name: "passing tests with the library", dir: "testdata/pass", coverage: true, percent: 100,
			want: map[string]Status{"test_guest_with_a_role_is_denied": Pass, "test_member_with_a_role_passes": Pass, "test_library_is_loaded": Pass}},
		{name: "a filter", dir: "testdata/pass", run: "member",
			want: map[string]Status{"test_member_with_a_role_passes": Pass}},
		{name: "a failing test fails the run and keeps its print output", dir: "testdata/failing", failed: true, output: "deny is",
			want: map[string]Status{"test_member_with_a_role_passes": Pass, "test_expects_too_much": Fail}},
		{name: "coverage shows the untested rule body", dir: "testdata/failing", coverage: true, failed: true, percent: 25,
			want: map[string]Status{"test_member_with_a_role_passes": Pass, "test_expects_too_much": Fail}},
		{name: "tests are sandboxed like rules", dir: "testdata/sandboxed",
			errWant: "testdata/sandboxed/leak_test.rego:4:10: http.send is not allowed in posture policies"},
		{name: "no tests", dir: "testdata/notests", errWant: "no tests in testdata/notests; expected test_ rules in *_test.rego files"},
		{name: "a filter that matches nothing", dir: "testdata/pass", run: "nothing_like_this", errWant: `no tests matching "nothing_like_this"`},
		{name: "strict compilation of org rules", dir: "testdata/strict", errWant: "testdata/strict/unused.rego:14:2: assigned var unused unused"},
		{name: "a missing directory", dir: "testdata/none", errWant: "policy directory testdata/none: no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Run(context.Background(), Options{Dirs: []string{tt.dir}, Coverage: tt.coverage, Run: tt.run})
			if tt.errWant != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.errWant) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("err = %v, want one line starting %q", err, tt.errWant)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Status{}
			for _, c := range rep.Cases {
				got[c.Name[strings.LastIndex(c.Name, ".")+1:]] = c.Status
				if c.File == "" || c.Line == 0 {
					t.Errorf("%s has no location", c.Name)
				}
				if tt.output != "" && c.Status == Fail && !strings.Contains(c.Output, tt.output) {
					t.Errorf("%s output %q lacks %q", c.Name, c.Output, tt.output)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("ran %v, want %v", got, tt.want)
			}
			for name, st := range tt.want {
				if got[name] != st {
					t.Errorf("%s = %q, want %q", name, got[name], st)
				}
			}
			if rep.Failed() != tt.failed {
				t.Errorf("Failed() = %t, want %t", rep.Failed(), tt.failed)
			}
			if tt.coverage {
				if rep.Percent == nil || *rep.Percent != tt.percent || len(rep.Coverage) != 1 || !strings.HasSuffix(rep.Coverage[0].File, "no_guest_admins.rego") {
					t.Errorf("coverage %v%% over %+v, want %g%% of the one rule file", rep.Percent, rep.Coverage, tt.percent)
				}
				if tt.percent < 100 && len(rep.Coverage[0].Missed) == 0 {
					t.Error("no uncovered lines listed")
				}
			} else if rep.Percent != nil {
				t.Error("coverage measured without being asked")
			}
		})
	}
}
