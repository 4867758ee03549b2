package graph

import (
	"fmt"
	"strings"

	jsonser "github.com/microsoft/kiota-serialization-json-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

// Error is a Graph request that did not succeed: an error answer (Status, with Graph's error
// Code and Message when the body had them) or a failure to get or read one (Err).
type Error struct {
	Method, Path string // Path is the request URI (path and query) on Graph's host
	Status       int    // 0 when no answer arrived
	Code         string // Graph's error code, e.g. Authorization_RequestDenied
	Message      string // Graph's error message
	Err          error
	// Body is the error answer's body, for callers that read more of it than code and message
	// (the Exchange admin API's details). It is never printed.
	Body []byte
	// Location is a redirect answer's Location header (a Service does not follow redirects:
	// its caller decides where its token may go).
	Location string
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	switch {
	case e.Status != 0 && e.Code != "":
		fmt.Fprintf(&b, "%d %s: %s", e.Status, e.Code, e.Message)
	case e.Status != 0 && e.Err == nil:
		fmt.Fprintf(&b, "status %d", e.Status)
	case e.Status != 0:
		fmt.Fprintf(&b, "status %d: %v", e.Status, e.Err)
	default:
		b.WriteString(oneLine(fmt.Sprint(e.Err)))
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Short is the answer without the request: "403 Authorization_RequestDenied: Insufficient
// privileges to complete the operation.", for source messages.
func (e *Error) Short() string {
	switch {
	case e.Code != "":
		return fmt.Sprintf("%d %s: %s", e.Status, e.Code, oneLine(e.Message))
	case e.Status != 0 && e.Err != nil:
		return fmt.Sprintf("status %d: %s", e.Status, oneLine(e.Err.Error()))
	case e.Status != 0:
		return fmt.Sprintf("status %d", e.Status)
	}
	return oneLine(fmt.Sprint(e.Err))
}

// newError reads Graph's error body ({"error": {"code", "message"}}) with the SDK's OData
// error model; a body that is not one (a gateway's HTML page) leaves Code empty.
func newError(method, path string, status int, body []byte) *Error {
	e := &Error{Method: method, Path: path, Status: status, Body: body}
	code, msg := parseODataError(body)
	e.Code, e.Message = code, msg
	return e
}

func parseODataError(body []byte) (code, message string) {
	if len(body) == 0 || body[0] != '{' {
		return "", ""
	}
	node, err := jsonser.NewJsonParseNode(body)
	if err != nil {
		return "", ""
	}
	v, err := node.GetObjectValue(odataerrors.CreateODataErrorFromDiscriminatorValue)
	if err != nil || v == nil {
		return "", ""
	}
	oe, ok := v.(*odataerrors.ODataError)
	if !ok || oe.GetErrorEscaped() == nil {
		return "", ""
	}
	if c := oe.GetErrorEscaped().GetCode(); c != nil {
		code = *c
	}
	if m := oe.GetErrorEscaped().GetMessage(); m != nil {
		message = *m
	}
	return code, message
}
