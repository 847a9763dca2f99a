package handoff

import (
	"maps"
	"slices"
)

// Clone returns a deep copy of the packet: nothing the copy holds is shared
// with p. It is what a screen or a store gets while the desk goes on adding
// to p, without a JSON round trip.
func (p *Packet) Clone() *Packet {
	if p == nil {
		return nil
	}
	cp := *p
	cp.Summary = maps.Clone(p.Summary)
	cp.Facts.Slots = maps.Clone(p.Facts.Slots)
	if p.Facts.Order != nil {
		o := *p.Facts.Order
		o.Items = slices.Clone(o.Items)
		cp.Facts.Order = &o
	}
	cp.Decisions = slices.Clone(p.Decisions)
	for i := range cp.Decisions {
		cp.Decisions[i].Rules = slices.Clone(cp.Decisions[i].Rules)
	}
	cp.Transcript = slices.Clone(p.Transcript)
	cp.Transfers = slices.Clone(p.Transfers)
	cp.Issues = slices.Clone(p.Issues)
	return &cp
}

// PacketCopy returns a deep copy of the focus chat's packet as it is now, or
// nil before Enqueue.
func (d *Desk) PacketCopy() *Packet {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.focus == nil {
		return nil
	}
	return d.focus.packet.Clone()
}
