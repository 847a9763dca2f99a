package handoff

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Resuming a conversation from the store: the store keeps the packet as it
// was at escalation (raw JSON in the escalation event) and every message
// after it. ResumePacket rebuilds the packet the operator held, and
// EnqueueResumed puts the customer back in the queue with it, so the
// operator who picks the chat up carries on and never asks again.

// DecodePacket reads a packet as the store keeps it (the escalation's
// Meta.Packet, PacketJSON).
func DecodePacket(raw []byte) (*Packet, error) {
	var p Packet
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("the stored handoff packet cannot be read: %w", err)
	}
	return &p, nil
}

// ResumePacket rebuilds a stored conversation's packet: raw is the last
// packet the store holds, later the transcript lines recorded after it, in
// order. They join the packet as the desk would have added them; a customer
// line that answers an operator's ask (recognised by the ask's exact text,
// at any language level) records that fact, as the desk does live: from its
// slots, or for a fact that is no slot, its words.
func ResumePacket(raw []byte, later []Line) (*Packet, error) {
	if len(raw) == 0 {
		return nil, errors.New("the conversation holds no handoff packet")
	}
	p, err := DecodePacket(raw)
	if err != nil {
		return nil, err
	}
	if _, ok := langIndex[p.Lang]; !ok {
		return nil, errors.New("the stored handoff packet's language must be ja or en")
	}
	awaiting := ""
	for _, l := range later {
		p.Add(l)
		switch l.Speaker {
		case SpeakerOperator:
			awaiting = askedFact(l.Text, p.Lang)
		case SpeakerCustomer:
			// A slot (an order number, an email...) joined the facts with
			// the line; any other fact is the customer's words.
			if awaiting != "" && !slotFact(awaiting) && !p.Facts.Has(awaiting) {
				p.Facts.Set(awaiting, strings.TrimSpace(l.Text))
			}
			awaiting = ""
		}
	}
	return p, nil
}

// askedFact names the fact an operator's message asks for, or "".
func askedFact(text, lang string) string {
	text = strings.TrimSpace(text)
	asks := words().asks
	facts := make([]string, 0, len(asks))
	for f := range asks {
		if f != askOther {
			facts = append(facts, f)
		}
	}
	sort.Strings(facts)
	for _, f := range facts {
		for _, lv := range []Level{LevelBasic, LevelFluent, LevelNative} {
			if askText(lv, lang, f) == text {
				return f
			}
		}
	}
	return ""
}

// EnqueueResumed is Enqueue for a chat resumed from the store. lastOperator
// is the id of the operator who served it last ("" if none did): when it
// names one of the pool's operators, whoever picks the chat up greets with
// the handover from them, as after a transfer.
func (d *Desk) EnqueueResumed(now time.Time, p *Packet, class Class, nativeOnly bool, lastOperator string) ([]Event, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, err := d.enqueueLocked(now, p, class, nativeOnly, lastOperator); err != nil {
		return nil, err
	}
	return d.take(), nil
}
