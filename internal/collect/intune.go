package collect

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/m365posture/posture/internal/graph"
	"github.com/m365posture/posture/internal/snapshot"
)

// expansion is a navigation property read object by object and stored inside each object of
// a list, for lists whose own request cannot (or cannot reliably) expand it.
type expansion struct {
	property string // the property each object gets, e.g. "settings"
	path     string // the request after the version, {id} standing for the object's id
}

// Intune's per-object reads (Microsoft Learn, beta "List deviceManagementSettingInstances" and
// "List deviceManagementIntentAssignments"; "List deviceManagementConfigurationSettings"). The
// configurationPolicies list expands assignments itself; its settings are read per policy
// because an expanded settings list shrinks Graph's pages to one or two policies and is not
// paged within a policy, while /settings pages like any collection (25 settings a page).
var (
	intentExpansions = []expansion{
		{"settings", "/deviceManagement/intents/{id}/settings"},
		{"assignments", "/deviceManagement/intents/{id}/assignments"},
	}
	policyExpansions = []expansion{
		{"settings", "/deviceManagement/configurationPolicies/{id}/settings"},
	}
)

// expanded reads a list source, then each expansion of each of its objects through $batch
// (following every nextLink), and stores them in the objects. A failed per-object request
// fails the source: an object without its settings would read as one that sets nothing.
func (r *runner) expanded(ctx context.Context, s Source) *outcome {
	out := r.read(ctx, s, s.Path)
	if out.src.Status != snapshot.StatusOK {
		return out
	}
	items := asList(out.value)
	version, _, _ := strings.Cut(strings.TrimPrefix(s.Path, "/"), "/")
	urls, err := expansionURLs(items, s.expand)
	if err != nil {
		return failed(ctx, s, &graph.Error{Method: http.MethodGet, Path: s.Path, Status: http.StatusOK, Err: err}, out.pages)
	}
	lists, chain, err := r.readPages(ctx, version, urls, false)
	if err != nil {
		return failed(ctx, s, fmt.Errorf("expand %s: %w", s.Key, err), out.pages+chain)
	}
	for i, item := range items {
		obj := item.(map[string]any) // expansionURLs checked
		for j, e := range s.expand {
			obj[e.property] = lists[i*len(s.expand)+j]
		}
	}
	out.pages += chain
	return out
}

// expansionURLs returns the per-object requests, object by object and expansion by
// expansion; every object needs an id.
func expansionURLs(items []any, exps []expansion) ([]string, error) {
	urls := make([]string, 0, len(items)*len(exps))
	for i, item := range items {
		obj, _ := item.(map[string]any)
		id, _ := obj["id"].(string)
		if id == "" {
			return nil, fmt.Errorf("element %d has no id to read its %s by", i, exps[0].property)
		}
		for _, e := range exps {
			urls = append(urls, strings.ReplaceAll(e.path, "{id}", url.PathEscape(id)))
		}
	}
	return urls, nil
}

// property reads an object source whose value is one property of the resource Graph answers
// (intune.deviceManagementSettings is the settings of /deviceManagement). When the answer to
// the $select request lacks it (the deviceManagement singleton has been seen to ignore
// $select), the resource is read again without the query; still without it, the source is an
// error, never an empty object.
func (r *runner) property(ctx context.Context, s Source) *outcome {
	out := r.read(ctx, s, s.Path)
	if out.src.Status != snapshot.StatusOK {
		return out
	}
	v, ok := out.value.(map[string]any)[s.property].(map[string]any)
	if !ok {
		bare, _, _ := strings.Cut(s.Path, "?")
		again := r.read(ctx, s, bare)
		again.pages += out.pages
		if again.src.Status != snapshot.StatusOK {
			return again
		}
		out = again
		if v, ok = out.value.(map[string]any)[s.property].(map[string]any); !ok {
			return &outcome{pages: out.pages, src: snapshot.Source{Status: snapshot.StatusError,
				Message: fmt.Sprintf("GET %s: the answer has no %s object", bare, s.property)}}
		}
	}
	out.value = v
	return out
}
