package collect

import (
	"context"
	"fmt"
	"sort"
	"strings"

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

// readMembers reads the user members of the groups ids, as {groupId: [userId]}, through
// readPages. A group Graph no longer knows (404) is left out: a Conditional Access policy can
// name a deleted group. It returns the longest chain of pages of one group too.
func (r *runner) readMembers(ctx context.Context, ids []string) (map[string]any, int, error) {
	urls := make([]string, len(ids))
	for i, id := range ids {
		urls[i] = "/groups/" + id + membersQuery
	}
	lists, longest, err := r.readPages(ctx, "v1.0", urls, true)
	if err != nil {
		return nil, longest, err
	}
	members := make(map[string]any, len(ids))
	for i, id := range ids {
		if lists[i] == nil {
			continue // 404
		}
		users := make([]any, 0, len(lists[i]))
		for _, m := range lists[i] {
			if uid, ok := dig(m)["id"].(string); ok {
				users = append(users, uid)
			}
		}
		members[id] = users
	}
	return members, longest, nil
}
