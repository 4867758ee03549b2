package sim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
)

// dnsTTL is the TTL of the records the simulator answers.
const dnsTTL = 300

// ListenDNS listens for DNS over UDP on the address and port ln listens on (TCP), so one
// loopback HOST:PORT serves both the APIs and DNS.
func ListenDNS(ln net.Listener) (net.PacketConn, error) {
	addr := ln.Addr().String()
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for DNS on udp %s: %w", addr, err)
	}
	return pc, nil
}

// ServeDNS answers DNS queries on pc from the snapshot's exchange.dns until ctx is done or pc
// is closed, as a mail domain's authoritative server would:
//   - TXT at <domain>: the domain's "spf" records; TXT at _dmarc.<domain>: its "dmarc" records;
//   - a record kind whose lookup failed in the snapshot (null, or an "errors" entry), or that
//     was not looked up, and every name when exchange.dns is not known: SERVFAIL;
//   - [] for <domain>: no answer (the domain exists); [] for _dmarc.<domain>: NXDOMAIN;
//   - a domain the snapshot does not list: NXDOMAIN.
func (s *Server) ServeDNS(ctx context.Context, pc net.PacketConn) error {
	stop := context.AfterFunc(ctx, func() { pc.Close() })
	defer stop()
	buf := make([]byte, 65535)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("serve dns: %w", err)
		}
		resp, ok := s.answerDNS(buf[:n])
		if !ok {
			continue
		}
		s.count(func(st *Stats) { st.DNSQueries++ })
		_, _ = pc.WriteTo(resp, from)
	}
}

// answerDNS builds the response to one query; ok is false for a packet to drop (not a query).
func (s *Server) answerDNS(query []byte) ([]byte, bool) {
	var p dnsmessage.Parser
	h, err := p.Start(query)
	if err != nil || h.Response {
		return nil, false
	}
	resp := dnsmessage.Header{ID: h.ID, Response: true, OpCode: h.OpCode, Authoritative: true,
		RecursionDesired: h.RecursionDesired, RecursionAvailable: true}
	q, err := p.Question()
	switch {
	case err != nil:
		resp.RCode = dnsmessage.RCodeFormatError
		return pack(resp, nil, nil)
	case h.OpCode != 0:
		resp.RCode = dnsmessage.RCodeNotImplemented
		return pack(resp, &q, nil)
	}
	rcode, txts := s.lookupTXT(q.Name.String(), q.Type)
	resp.RCode = rcode
	return pack(resp, &q, txts)
}

// lookupTXT answers a question from exchange.dns.
func (s *Server) lookupTXT(name string, qtype dnsmessage.Type) (dnsmessage.RCode, []string) {
	if !s.snap.Known("exchange.dns") {
		return dnsmessage.RCodeServerFailure, nil
	}
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	domain, kind := name, "spf"
	if d, ok := strings.CutPrefix(name, "_dmarc."); ok {
		domain, kind = d, "dmarc"
	}
	var entry map[string]any
	records, _ := s.value("exchange.dns").(map[string]any)
	for d, v := range records {
		if strings.EqualFold(d, domain) {
			entry, _ = v.(map[string]any)
			break
		}
	}
	if entry == nil {
		return dnsmessage.RCodeNameError, nil
	}
	if errs, _ := entry["errors"].(map[string]any); errs[kind] != nil {
		return dnsmessage.RCodeServerFailure, nil
	}
	list, ok := entry[kind].([]any)
	if !ok {
		return dnsmessage.RCodeServerFailure, nil
	}
	if len(list) == 0 && kind == "dmarc" {
		return dnsmessage.RCodeNameError, nil
	}
	if qtype != dnsmessage.TypeTXT && qtype != dnsmessage.TypeALL {
		return dnsmessage.RCodeSuccess, nil
	}
	var txts []string
	for _, t := range list {
		if str, ok := t.(string); ok {
			txts = append(txts, str)
		}
	}
	return dnsmessage.RCodeSuccess, txts
}

// pack writes a response with q and one TXT record per text (split into the 255-byte strings
// a TXT record holds).
func pack(h dnsmessage.Header, q *dnsmessage.Question, txts []string) ([]byte, bool) {
	b := dnsmessage.NewBuilder(make([]byte, 0, 512), h)
	b.EnableCompression()
	if q != nil {
		if b.StartQuestions() != nil || b.Question(*q) != nil {
			return nil, false
		}
	}
	if b.StartAnswers() != nil {
		return nil, false
	}
	for _, t := range txts {
		rh := dnsmessage.ResourceHeader{Name: q.Name, Type: dnsmessage.TypeTXT, Class: dnsmessage.ClassINET, TTL: dnsTTL}
		if b.TXTResource(rh, dnsmessage.TXTResource{TXT: chunks(t)}) != nil {
			return nil, false
		}
	}
	msg, err := b.Finish()
	return msg, err == nil
}

// chunks splits a TXT record's text into strings of at most 255 bytes.
func chunks(t string) []string {
	out := []string{}
	for len(t) > 255 {
		out = append(out, t[:255])
		t = t[255:]
	}
	return append(out, t)
}
