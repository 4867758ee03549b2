package exo

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/m365posture/posture/internal/graph"
)

// errorBody is the admin API's error answer, an OData error whose details carry the cmdlet's
// own error as "Code|ExceptionType|Message" (the shape CIPP's and GreyCorbel ExoHelper's
// error handling read from live tenants).
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Details []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"details"`
		InnerError struct {
			Message           string `json:"message"`
			Type              string `json:"type"`
			InternalException struct {
				Message string `json:"message"`
			} `json:"internalexception"`
		} `json:"innererror"`
	} `json:"error"`
}

// texts returns every message and code in an error answer's body, most specific first.
func texts(e *graph.Error) []string {
	var b errorBody
	if len(e.Body) == 0 || json.Unmarshal(e.Body, &b) != nil {
		return []string{e.Code, e.Message}
	}
	var out []string
	for _, d := range b.Error.Details {
		out = append(out, d.Message, d.Code)
	}
	return append(out, b.Error.InnerError.InternalException.Message, b.Error.InnerError.Message,
		b.Error.InnerError.Type, b.Error.Message, b.Error.Code)
}

// NotAvailable reports whether err says the cmdlet does not exist for the caller: PowerShell's
// CommandNotFoundException, "The term 'Get-X' is not recognized as a name of a cmdlet ...".
// Exchange Online offers a cmdlet only when the tenant has the licence for its feature and the
// caller has a role that includes it, so this answer means one or the other.
func NotAvailable(err error) bool {
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Status < 400 || ge.Status > 499 {
		return false
	}
	for _, t := range texts(ge) {
		l := strings.ToLower(t)
		if strings.Contains(l, "commandnotfoundexception") ||
			strings.Contains(l, "is not recognized as") && strings.Contains(l, "cmdlet") {
			return true
		}
	}
	return false
}

// Message is the answer of an error in one line: the status, the OData code and the most
// specific message the body holds (a detail's "Code|Type|Message" cut to its message), e.g.
// "400 BadRequest: The term 'Get-SafeLinksPolicy' is not recognized ...". Other errors give
// their own text.
func Message(err error) string {
	var ge *graph.Error
	if !errors.As(err, &ge) {
		return oneLine(fmt.Sprint(err))
	}
	if ge.Status == 0 || len(ge.Body) == 0 {
		return ge.Short()
	}
	msg := ""
	for _, t := range texts(ge) {
		if t = strings.TrimSpace(t); t != "" && strings.Contains(t, " ") {
			msg = t
			break
		}
	}
	if parts := strings.Split(msg, "|"); len(parts) == 3 {
		msg = parts[2]
	}
	code := ge.Code
	if code == "" {
		var b errorBody
		if json.Unmarshal(ge.Body, &b) == nil {
			code = b.Error.Code
		}
	}
	switch {
	case msg == "" && code == "":
		return ge.Short()
	case code == "":
		return fmt.Sprintf("%d: %s", ge.Status, oneLine(msg))
	case msg == "":
		return fmt.Sprintf("%d %s", ge.Status, code)
	}
	return fmt.Sprintf("%d %s: %s", ge.Status, code, oneLine(msg))
}
