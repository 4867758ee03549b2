package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	khttp "github.com/microsoft/kiota-http-go"
)

// DefaultRequestTimeout bounds one attempt of one request when Options.RequestTimeout is 0.
//
// Microsoft documents no server-side time limit for the Graph and Exchange Online endpoints
// posture reads, so the bound is the one Microsoft's own Graph SDKs give every request: 100
// seconds (.NET's HttpClient default, which the Java, PHP and Python SDK cores adopted to stop
// timeouts on large pages; Graph PowerShell allows 300 s for its three attempts, "100 seconds
// per retry attempt": microsoftgraph/msgraph-sdk-powershell#1018). Our slowest pages (999 users
// with signInActivity, 999 registration details, a $batch of 20 transitive member lists, a
// page of 1,000 Exchange rows) are well inside it. It is counted per attempt: a request that
// Graph throttles gets a fresh 100 s for each retry, and the Retry-After wait is not counted.
const DefaultRequestTimeout = 100 * time.Second

func (o Options) requestTimeout() time.Duration {
	if o.RequestTimeout > 0 {
		return o.RequestTimeout
	}
	return DefaultRequestTimeout
}

// timeoutError is an attempt that got no complete answer within the request timeout.
type timeoutError struct{ after time.Duration }

func (e *timeoutError) Error() string {
	return fmt.Sprintf("no answer within %s (the request timeout)", e.after)
}

// Timeout marks the error as a timeout, as net.Error does.
func (e *timeoutError) Timeout() bool { return true }

// attemptTimeout is the middleware that bounds each attempt (the retry handler sends every
// retry through it again) from sending the request to closing the answer's body. It sits
// inside the retry handler, so waits before a retry are not counted, and outside the observer,
// which logs how an attempt ended.
type attemptTimeout struct{ d time.Duration }

func (m attemptTimeout) Intercept(p khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancelCause(req.Context())
	timer := time.AfterFunc(m.d, func() { cancel(&timeoutError{m.d}) })
	stop := func() {
		timer.Stop()
		cancel(nil)
	}
	resp, err := p.Next(req.WithContext(ctx), i)
	if err != nil {
		stop()
		return resp, timedOut(ctx, err)
	}
	if drained(resp.StatusCode) {
		// The observer has read this answer already, and the retry handler drops it unclosed.
		stop()
		return resp, nil
	}
	resp.Body = &timedBody{ReadCloser: resp.Body, ctx: ctx, stop: stop}
	return resp, nil
}

// timedOut returns the request timeout as the error when it is what ended the attempt.
func timedOut(ctx context.Context, err error) error {
	var te *timeoutError
	if errors.As(context.Cause(ctx), &te) && !errors.As(err, &te) {
		return te
	}
	return err
}

// timedBody keeps the attempt's timer running until the body is closed.
type timedBody struct {
	io.ReadCloser
	ctx  context.Context
	stop func()
}

func (b *timedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = timedOut(b.ctx, err)
	}
	return n, err
}

func (b *timedBody) Close() error {
	err := b.ReadCloser.Close()
	b.stop()
	return err
}

// noAnswerError is a request that got no HTTP answer: the connection was refused or reset,
// the name did not resolve, TLS failed, or the request timeout passed.
type noAnswerError struct{ err error }

func (e *noAnswerError) Error() string { return e.err.Error() }
func (e *noAnswerError) Unwrap() error { return e.err }

// noAnswer wraps an error of the HTTP client (a *url.Error, whose text repeats the URL the
// caller's *Error already names) as a noAnswerError around its cause.
func noAnswer(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		// Go's bare "EOF": the server closed the connection instead of answering.
		err = fmt.Errorf("the connection closed without an answer (%w)", err)
	}
	return &noAnswerError{err}
}

// NoAnswer reports whether err is a request that got no answer at all (refused, reset, name
// not resolved, TLS failure, or nothing within the request timeout), as opposed to an error
// answer or a sign-in failure.
func NoAnswer(err error) bool {
	var na *noAnswerError
	return errors.As(err, &na)
}
