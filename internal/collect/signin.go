package collect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/m365posture/posture/internal/graph"
	"github.com/m365posture/posture/internal/snapshot"
)

// Accounts names users whose signInActivity must be read besides the privileged accounts and
// the break-glass candidates: the break-glass accounts an org config declares.
type Accounts struct {
	Users  []string // object ids or userPrincipalNames
	Groups []string // object ids or displayNames; their members in entra.groupMembers count
}

// signInInputs are the sources that say whose signInActivity is read.
var signInInputs = []string{
	"entra.roleAssignments", "entra.roleEligibilitySchedules", "entra.conditionalAccessPolicies",
	"entra.groups", keyGroupMembers,
}

// signInSelect reads one user's signInActivity. Microsoft Learn, user resource type: the
// property is "returned only on $select", and needs AuditLog.Read.All and Microsoft Entra ID P1
// or P2 besides User.Read.All; it is not returned for a user who never signed in (or last
// signed in before April 2020). "Get user" takes the object id here: Graph refuses
// $select=signInActivity on /users/{userPrincipalName} with 400 (Microsoft Q&A 1311910).
const signInSelect = "?$select=id,signInActivity"

// signInListPage is the page size of users listed with signInActivity: Microsoft Learn, "List
// users": "When signInActivity is selected or filtered on, the maximum page size is 500", and
// "Microsoft Graph service-specific throttling limits" advises $top=500 with it.
const signInListPage = 500

// signInListPath lists every user with signInActivity, signInListPage at a time.
const signInListPath = "/v1.0/users" + signInSelect + "&$top=500"

// signInAccounts returns the ids of the users whose signInActivity rules need, sorted, and what
// they are (for the source message):
//   - privileged accounts: users that are principals of role assignments or eligibility
//     schedules, and the members of groups that are (from entra.groupMembers);
//   - break-glass candidates: users that Conditional Access policies exclude by name
//     (Microsoft's guidance excludes emergency access accounts from every policy);
//   - the declared break-glass accounts of acc, by object id or userPrincipalName, and the
//     members of declared groups, by object id or displayName.
//
// Only ids of users in users count; an input that is not ok contributes nothing (the accounts it
// would have named carry no signInActivity, which rules report as unknown).
func signInAccounts(users []any, in map[string]any, acc Accounts) []string {
	byID := map[string]string{}  // lowercased id -> id
	byUPN := map[string]string{} // lowercased UPN -> id
	for _, u := range users {
		m, _ := u.(map[string]any)
		id, _ := m["id"].(string)
		if id == "" {
			continue
		}
		byID[strings.ToLower(id)] = id
		if upn, _ := m["userPrincipalName"].(string); upn != "" {
			byUPN[strings.ToLower(upn)] = id
		}
	}
	members, _ := in[keyGroupMembers].(map[string]any)
	memberIDs := func(gid string) []any {
		for k, v := range members {
			if strings.EqualFold(k, gid) {
				l, _ := v.([]any)
				return l
			}
		}
		return nil
	}
	out := map[string]bool{}
	add := func(v any) {
		if s, ok := v.(string); ok {
			if id, ok := byID[strings.ToLower(s)]; ok {
				out[id] = true
			}
		}
	}
	addPrincipal := func(v any) {
		add(v)
		if s, ok := v.(string); ok {
			for _, m := range memberIDs(s) {
				add(m)
			}
		}
	}
	for _, k := range []string{"entra.roleAssignments", "entra.roleEligibilitySchedules"} {
		for _, a := range asList(in[k]) {
			m, _ := a.(map[string]any)
			addPrincipal(m["principalId"])
		}
	}
	// Only users a policy excludes by name: excluded groups often hold thousands of users
	// (contractors, service accounts), and a break-glass group is declared in the config or
	// holds Global Administrator.
	for _, p := range asList(in["entra.conditionalAccessPolicies"]) {
		for _, u := range asList(dig(p, "conditions", "users")["excludeUsers"]) {
			add(u)
		}
	}
	for _, ref := range acc.Users {
		add(ref)
		if id, ok := byUPN[strings.ToLower(ref)]; ok {
			out[id] = true
		}
	}
	for _, ref := range acc.Groups {
		addPrincipal(ref)
		for _, g := range asList(in["entra.groups"]) {
			m, _ := g.(map[string]any)
			if name, _ := m["displayName"].(string); name != "" && strings.EqualFold(name, ref) {
				addPrincipal(m["id"])
			}
		}
	}
	ids := make([]string, 0, len(out))
	for id := range out {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// signInActivity reads the signInActivity of the users ids, one `GET /users/{id}` each, up to
// r.workers at once, and returns id -> the property's value (nil for a user Graph returned
// without it: never signed in). Not in $batch: Graph counts a $batch's items one by one against
// the limits (five reports per ten seconds, ten signInActivity reads per minute), so a $batch
// would save no time, and a $batch throttled whole would be sent again whole, each item counting
// again. It stops at the first refusal (no AuditLog.Read.All, no Entra ID P1): refused is then
// that answer and the map is empty. Users Graph no longer knows (404) are left out; any other
// failure is in failed. rounds is the requests one worker sent one after the other, at most.
func (r *runner) signInActivity(ctx context.Context, ids []string) (got map[string]any, refused *graph.Error, failed error, rounds int) {
	got = map[string]any{}
	workers := max(1, r.workers)
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		next = make(chan string)
		stop = make(chan struct{})
		once sync.Once
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range next {
				path := "/v1.0/users/" + id + signInSelect
				u, err := r.c.Object(ctx, path)
				var ge *graph.Error
				mu.Lock()
				switch {
				case err == nil:
					got[id] = u["signInActivity"] // nil when absent: never signed in
				case errors.As(err, &ge) && ge.Status == http.StatusNotFound:
				case errors.As(err, &ge) && signInRefused(ge):
					if refused == nil {
						refused = ge
					}
					once.Do(func() { close(stop) })
				case failed == nil:
					failed = err
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, id := range ids {
		select {
		case next <- id:
		case <-stop:
			break feed
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	rounds = (len(ids) + workers - 1) / workers
	if refused != nil {
		return map[string]any{}, refused, nil, rounds
	}
	return got, nil, failed, rounds
}

// signInActivityListed reads the signInActivity of the users ids by listing every user with it
// (signInListPath), and keeps it for ids only: id -> the value (nil for a user listed without
// it). Users the list no longer holds are left out. A refusal is refused; any other failure is
// failed, and then nothing is kept (the list is read whole or not at all).
func (r *runner) signInActivityListed(ctx context.Context, ids []string) (got map[string]any, refused *graph.Error, failed error, pages int) {
	items, pages, err := r.c.List(ctx, signInListPath)
	if err != nil {
		var ge *graph.Error
		if errors.As(err, &ge) && signInRefused(ge) {
			return map[string]any{}, ge, nil, pages + 1
		}
		return map[string]any{}, nil, err, pages + 1
	}
	want := make(map[string]string, len(ids)) // lowercased id -> id
	for _, id := range ids {
		want[strings.ToLower(id)] = id
	}
	got = map[string]any{}
	for _, it := range items {
		m, _ := it.(map[string]any)
		lid, _ := m["id"].(string)
		if id, ok := want[strings.ToLower(lid)]; ok {
			got[id] = m["signInActivity"]
		}
	}
	return got, nil, nil, pages
}

// signInListRequests estimates the requests listing all users users with signInActivity takes:
// pages of 500, or of the users list's own page when the service served that smaller (it read
// users in pages of which all but the last were full).
func signInListRequests(users, usersPages int) int {
	page := signInListPage
	if usersPages > 1 {
		page = min(page, (users+usersPages-1)/usersPages)
	}
	return max(1, (users+page-1)/page)
}

// signInRefused reports whether Graph refused signInActivity itself: for want of the
// permission (401, 403) or the licence (a licence code), or a 400 for the property.
func signInRefused(e *graph.Error) bool {
	return e.Status == 401 || e.Status == 403 || e.Status == 400 && (licenceCodes[e.Code] || unlicensed(e))
}

// withSignInActivity reads the signInActivity of the accounts rules need (signInAccounts) once
// the inputs that name them are in, and sets it on those users: the value Graph returned, null
// for a user it returned without one (never signed in). Every other user carries no
// signInActivity: not collected, which rules report as unknown.
//
// Graph limits requests that read signInActivity to 10 per minute (and 5 per 10 seconds with the
// other identity and access reports), so the cheaper of two ways is taken: one GET per account,
// or a list of every user with it (signInListRequests: a page per 500 users) when that takes
// fewer requests. Either way only the accounts' values are kept, so the snapshot is
// the same. The source message says for how many accounts it was read and which way, or why not.
func (r *runner) withSignInActivity(ctx context.Context, out *outcome) *outcome {
	out.then = nil
	in := map[string]any{}
	chain := out.pages
	var missing []string
	for _, k := range signInInputs {
		select {
		case <-r.done[k]:
		case <-ctx.Done():
			return &outcome{err: context.Cause(ctx)}
		}
		o := r.result(k)
		chain = max(chain, o.chain)
		if o.src.Status == snapshot.StatusOK {
			in[k] = o.value
		} else if !(k == "entra.roleEligibilitySchedules" && o.src.Status == snapshot.StatusUnlicensed) {
			missing = append(missing, fmt.Sprintf("%s is %s", k, o.src.Status))
		}
	}
	users := asList(out.value)
	ids := signInAccounts(users, in, r.accounts)
	var (
		got     map[string]any
		refused *graph.Error
		failed  error
		sent    int
	)
	listed := len(ids) > 0 && signInListRequests(len(users), out.pages) < len(ids)
	if listed {
		got, refused, failed, sent = r.signInActivityListed(ctx, ids)
		out.chain = chain + sent
	} else {
		var rounds int
		got, refused, failed, rounds = r.signInActivity(ctx, ids)
		sent = len(ids)
		out.chain = chain + rounds
	}
	if ctx.Err() != nil {
		return &outcome{err: context.Cause(ctx)}
	}
	for _, u := range users {
		m, _ := u.(map[string]any)
		if id, _ := m["id"].(string); id != "" {
			if v, ok := got[id]; ok {
				m["signInActivity"] = v
			}
		}
	}
	var msg string
	switch {
	case refused != nil:
		msg = "signInActivity not collected: needs AuditLog.Read.All and " + licP1 + " (" + refused.Short() + ")"
	case len(ids) == 0:
		msg = "signInActivity read for no account: no privileged account or break-glass candidate found"
	case listed:
		msg = fmt.Sprintf("signInActivity read for %d of %d privileged and break-glass accounts from a list of all %d users with it "+
			"(requests: %d listing, against %d one per account; kept for those accounts only, the others carry none)", len(got), len(ids), len(users), sent, len(ids))
	default:
		msg = fmt.Sprintf("signInActivity read for %d of %d privileged and break-glass accounts, one request each (the others carry none)", len(got), len(ids))
	}
	if failed != nil {
		var ge *graph.Error
		short := oneLine(failed.Error())
		if errors.As(failed, &ge) {
			short = ge.Short()
		}
		if listed {
			msg += "; the list could not be read: " + short
		} else {
			msg += "; some could not be read: " + short
		}
	}
	if len(missing) > 0 {
		msg += "; accounts named by " + strings.Join(missing, ", ") + " were not known"
	}
	out.src.Message = msg
	return out
}
