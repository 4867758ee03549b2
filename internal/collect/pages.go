package collect

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/m365posture/posture/internal/graph"
)

// collectionPage is one page of a Graph collection.
type collectionPage struct {
	Value    *[]any `json:"value"`
	NextLink string `json:"@odata.nextLink"`
}

// pending is one page to read: a collection's first page or a nextLink.
type pending struct {
	idx   int    // which collection
	url   string // after the version
	depth int    // pages of this collection before it
}

// readPages reads the collections at urls (paths after /version, with their query) in full
// through $batch, up to r.workers $batch requests at a time, and returns their elements in the
// order of urls. A page's nextLink goes back in the queue at once, so the longest collection
// costs its page count in round trips and the others fill the batches around it. It also
// returns that longest chain of pages, and the first failure: any failed page fails the whole
// read, because a short list would pass for a complete one. With missingOK, a collection Graph
// answers 404 for is nil instead of a failure.
func (r *runner) readPages(ctx context.Context, version string, urls []string, missingOK bool) ([][]any, int, error) {
	lists := make([][]any, len(urls))
	var (
		mu       sync.Mutex
		cond     = sync.NewCond(&mu)
		queue    []pending
		inflight int
		longest  int
		firstErr error
	)
	for i, u := range urls {
		queue = append(queue, pending{idx: i, url: u})
		lists[i] = []any{}
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
			resps, err := r.c.Batch(ctx, version, reqs)
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
				next, err := r.addPage(version, p, resps[i], lists, missingOK)
				switch {
				case err != nil && firstErr == nil:
					firstErr = err
				case err == nil && next != "":
					queue = append(queue, pending{idx: p.idx, url: next, depth: p.depth + 1})
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
	return lists, longest, nil
}

// addPage adds one answered page to lists (under the caller's lock) and returns the next
// page's URL after the version, if any.
func (r *runner) addPage(version string, p pending, resp graph.BatchResponse, lists [][]any, missingOK bool) (string, error) {
	if resp.Err != nil {
		if missingOK && resp.Status == http.StatusNotFound {
			lists[p.idx] = nil
			return "", nil
		}
		return "", resp.Err
	}
	var page collectionPage
	if err := graph.Decode(resp.Body, &page); err != nil || page.Value == nil {
		return "", &graph.Error{Method: http.MethodGet, Path: "/" + version + p.url, Status: resp.Status,
			Err: fmt.Errorf("expected a collection page with a value array: %v", err)}
	}
	if lists[p.idx] == nil {
		return "", nil // 404 on an earlier page
	}
	lists[p.idx] = append(lists[p.idx], *page.Value...)
	if page.NextLink == "" {
		return "", nil
	}
	next, err := r.c.Relative(version, page.NextLink)
	if err == nil && next == p.url {
		err = &graph.Error{Method: http.MethodGet, Path: "/" + version + p.url, Status: resp.Status,
			Err: errors.New("@odata.nextLink points to the same page")}
	}
	return next, err
}
