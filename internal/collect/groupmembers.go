package collect

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/m365posture/posture/internal/graph"
	"github.com/m365posture/posture/internal/snapshot"
)

const keyGroupMembers = "entra.groupMembers"

// groupMemberInputs are the sources groupMembers reads to know which groups matter.
var groupMemberInputs = []string{
	"entra.conditionalAccessPolicies", "entra.groups", "entra.roleAssignments", "entra.roleEligibilitySchedules",
}

// groupMembers reads the transitive user members of every group a Conditional Access policy
// includes or excludes, or a role is assigned (actively or eligibly) to, as {groupId: [userId]}.
// Its inputs must be ok (eligibility may be unlicensed: no PIM, no eligible groups); else the
// set of groups is unknown and so is the source.
func (r *runner) groupMembers(ctx context.Context, s Source) *outcome {
	chain := 0
	var inputs []*outcome
	for _, k := range groupMemberInputs {
		in := r.result(k)
		chain = max(chain, in.chain)
		usable := in.src.Status == snapshot.StatusOK ||
			k == "entra.roleEligibilitySchedules" && in.src.Status == snapshot.StatusUnlicensed
		if !usable {
			return &outcome{chain: chain, src: snapshot.Source{Status: snapshot.StatusSkipped,
				Message: fmt.Sprintf("skipped: the groups to read come from %s, which is %s", k, in.src.Status)}}
		}
		inputs = append(inputs, in)
	}
	ids := referencedGroups(inputs[0].value, inputs[1].value, inputs[2].value, inputs[3].value)
	members, pages, err := r.readMembers(ctx, ids)
	if err != nil {
		out := failed(ctx, s, err, pages)
		out.chain = chain + pages
		return out
	}
	out := okOutcome(members, len(members), pages)
	out.chain = chain + pages
	return out
}

// referencedGroups returns the ids of groups named by Conditional Access policies
// (conditions.users include/excludeGroups) and of groups that are principals of role
// assignments or eligibilities, sorted, without duplicates.
func referencedGroups(policies, groups, assignments, eligibilities any) []string {
	seen := map[string]string{} // lowercased -> as given
	add := func(v any) {
		if id, ok := v.(string); ok && id != "" {
			if _, dup := seen[strings.ToLower(id)]; !dup {
				seen[strings.ToLower(id)] = id
			}
		}
	}
	for _, p := range asList(policies) {
		users := dig(p, "conditions", "users")
		for _, k := range []string{"includeGroups", "excludeGroups"} {
			for _, g := range asList(users[k]) {
				add(g)
			}
		}
	}
	isGroup := map[string]bool{}
	for _, g := range asList(groups) {
		if m, ok := g.(map[string]any); ok {
			if id, ok := m["id"].(string); ok {
				isGroup[strings.ToLower(id)] = true
			}
		}
	}
	for _, list := range []any{assignments, eligibilities} {
		for _, a := range asList(list) {
			if m, ok := a.(map[string]any); ok {
				if id, ok := m["principalId"].(string); ok && isGroup[strings.ToLower(id)] {
					add(id)
				}
			}
		}
	}
	ids := make([]string, 0, len(seen))
	for _, id := range seen {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func dig(v any, path ...string) map[string]any {
	m, _ := v.(map[string]any)
	for _, p := range path {
		m, _ = m[p].(map[string]any)
	}
	return m
}

// memberPage is a page of transitiveMembers/microsoft.graph.user.
type memberPage struct {
	Value []struct {
		ID string `json:"id"`
	} `json:"value"`
	NextLink string `json:"@odata.nextLink"`
}

// pending is one page to read: a group's first page or a nextLink.
type pending struct {
	group string
	url   string // after the version
	depth int    // pages of this group before it
}

// readMembers reads the groups' member pages through $batch, up to r.workers $batch requests
// at a time. A page's nextLink goes back in the queue at once, so the longest group costs its
// page count in round trips and the others fill the batches around it. It returns the members,
// the longest chain of pages of one group, and the first failure (a group Graph no longer
// knows, 404, is left out: a Conditional Access policy can name a deleted group).
func (r *runner) readMembers(ctx context.Context, ids []string) (map[string]any, int, error) {
	members := make(map[string]any, len(ids))
	lists := make(map[string][]any, len(ids))
	var (
		mu       sync.Mutex
		cond     = sync.NewCond(&mu)
		queue    []pending
		inflight int
		longest  int
		firstErr error
	)
	for _, id := range ids {
		queue = append(queue, pending{group: id, url: "/groups/" + id + membersQuery})
		lists[id] = []any{}
	}
	worker := func() {
		mu.Lock()
		defer mu.Unlock()
		for {
			for len(queue) == 0 && inflight > 0 && firstErr == nil {
				cond.Wait()
			}
			if len(queue) == 0 || firstErr != nil {
				cond.Broadcast()
				return
			}
			n := min(len(queue), graph.MaxBatch)
			take := append([]pending(nil), queue[:n]...)
			queue = queue[n:]
			inflight++
			mu.Unlock()
			reqs := make([]graph.BatchRequest, len(take))
			for i, p := range take {
				reqs[i] = graph.BatchRequest{URL: p.url}
			}
			resps, err := r.c.Batch(ctx, "v1.0", reqs)
			mu.Lock()
			inflight--
			cond.Broadcast()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			for i, p := range take {
				longest = max(longest, p.depth+1)
				next, err := r.memberPage(p, resps[i], lists)
				switch {
				case err != nil && firstErr == nil:
					firstErr = err
				case next != "":
					queue = append(queue, pending{group: p.group, url: next, depth: p.depth + 1})
				}
			}
		}
	}
	var wg sync.WaitGroup
	for range max(1, r.workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			worker()
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, longest, firstErr
	}
	for id, l := range lists {
		if l != nil {
			members[id] = l
		}
	}
	return members, longest, nil
}

// memberPage adds one answered page to lists (under the caller's lock) and returns the next
// page's URL after the version, if any.
func (r *runner) memberPage(p pending, resp graph.BatchResponse, lists map[string][]any) (string, error) {
	if resp.Err != nil {
		if resp.Status == http.StatusNotFound {
			lists[p.group] = nil
			return "", nil
		}
		return "", resp.Err
	}
	var page memberPage
	if err := json.Unmarshal(resp.Body, &page); err != nil {
		return "", &graph.Error{Method: http.MethodGet, Path: "/v1.0" + p.url, Status: resp.Status,
			Err: fmt.Errorf("expected a collection page: %v", err)}
	}
	if lists[p.group] == nil {
		return "", nil // 404 on an earlier page
	}
	for _, m := range page.Value {
		lists[p.group] = append(lists[p.group], m.ID)
	}
	if page.NextLink == "" {
		return "", nil
	}
	return r.c.Relative("v1.0", page.NextLink)
}
