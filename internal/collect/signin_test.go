package collect

import (
	"reflect"
	"testing"
)

func TestSignInAccounts(t *testing.T) {
	users := []any{
		map[string]any{"id": "u-admin", "userPrincipalName": "admin@x.com"},
		map[string]any{"id": "u-elig", "userPrincipalName": "elig@x.com"},
		map[string]any{"id": "u-member", "userPrincipalName": "member@x.com"},
		map[string]any{"id": "u-bg", "userPrincipalName": "BG@x.com"},
		map[string]any{"id": "u-excluded-by-group", "userPrincipalName": "ex@x.com"},
		map[string]any{"id": "u-plain", "userPrincipalName": "plain@x.com"},
		map[string]any{"id": "u-declared-group", "userPrincipalName": "dg@x.com"},
	}
	in := map[string]any{
		"entra.roleAssignments":          []any{map[string]any{"principalId": "u-admin"}, map[string]any{"principalId": "g-role"}, map[string]any{"principalId": "sp-1"}},
		"entra.roleEligibilitySchedules": []any{map[string]any{"principalId": "U-ELIG"}},
		"entra.conditionalAccessPolicies": []any{map[string]any{"conditions": map[string]any{"users": map[string]any{
			"excludeUsers": []any{"u-bg", "GuestsOrExternalUsers"}, "excludeGroups": []any{"g-ex"}, "includeUsers": []any{"All"}}}}},
		"entra.groups":  []any{map[string]any{"id": "g-role"}, map[string]any{"id": "g-ex"}, map[string]any{"id": "g-bg", "displayName": "Emergency Access"}},
		keyGroupMembers: map[string]any{"g-role": []any{"u-member"}, "g-ex": []any{"u-excluded-by-group"}, "g-bg": []any{"u-declared-group"}},
	}
	tests := []struct {
		name string
		in   map[string]any
		acc  Accounts
		want []string
	}{
		{"privileged and excluded by name, not through a group", in, Accounts{}, []string{"u-admin", "u-bg", "u-elig", "u-member"}},
		{"declared by UPN and group name", in, Accounts{Users: []string{"PLAIN@x.com"}, Groups: []string{"emergency access"}},
			[]string{"u-admin", "u-bg", "u-declared-group", "u-elig", "u-member", "u-plain"}},
		{"declared by id, unknown refs ignored", map[string]any{}, Accounts{Users: []string{"u-plain", "nobody@x.com"}, Groups: []string{"g-none"}}, []string{"u-plain"}},
		{"inputs not ok name nobody", map[string]any{}, Accounts{}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := signInAccounts(users, tt.in, tt.acc); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("signInAccounts() = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSignInListRequests: listing users with signInActivity takes a page per 500 users, or per
// the users list's own page when the service served that smaller.
func TestSignInListRequests(t *testing.T) {
	tests := []struct{ users, usersPages, want int }{
		{0, 1, 1},
		{13, 1, 1},
		{999, 1, 2},          // one page of 999 users: 500 per page with signInActivity
		{100000, 101, 200},   // Graph's pages of 999
		{27, 9, 9},           // a service that pages by 3
		{13, 7, 7},           // by 2
		{1001, 2, 3},         // by 999 (501 in the first page's estimate): 500 wins
		{100000, 1000, 1000}, // by 100
	}
	for _, tt := range tests {
		if got := signInListRequests(tt.users, tt.usersPages); got != tt.want {
			t.Errorf("signInListRequests(%d, %d) = %d, want %d", tt.users, tt.usersPages, got, tt.want)
		}
	}
}
