package chat

import (
	"errors"
	"fmt"

	"tsunagu/transcripts"
)

// job is one store write, kept until it is committed so it can be retried.
// Jobs run strictly in the order they were queued: a failed write holds
// back every write after it, so a retry never reorders what the customer
// saw.
type job struct {
	line     int // the line it stores, 0 for none
	create   *transcripts.Conversation
	entry    *transcripts.Entry
	status   transcripts.Status
	tries    int
	reported bool // reported as not saved
}

// errNoStore is the store error while no store is configured.
var errNoStore = errors.New("no conversation store is configured")

// maxRenames bounds how often a conversation whose id is taken is named
// anew before the store is said to refuse it.
const maxRenames = 20

// errRefused marks the writes of a conversation the store refused to
// create: they must never land in another conversation's record.
var errRefused = errors.New("the conversation could not be created, so it is not saved")

// write queues a store write; flush runs the queue.
func (c *Conversation) write(j job) {
	c.pending = append(c.pending, j)
}

// flush writes what is queued, in order, until the queue is empty or a write
// fails for a reason a retry may fix.
func (c *Conversation) flush() {
	if len(c.pending) == 0 {
		return
	}
	if c.store == nil {
		if c.cfg.OpenStore == nil {
			c.storeErr = errNoStore
			c.holdBack()
			return
		}
		st, err := c.cfg.OpenStore()
		if err != nil || st == nil {
			if err == nil {
				err = errNoStore
			}
			c.storeErr = err
			c.holdBack()
			return
		}
		c.store = st
	}
	for len(c.pending) > 0 {
		j := &c.pending[0]
		err := c.attempt(j)
		j.tries++
		switch {
		case err == nil:
			if j.line > 0 {
				c.saves = append(c.saves, Save{Line: j.line, Saved: true})
			}
		case permanent(err):
			// The record itself cannot be stored; retrying cannot help, and
			// the writes behind it must not wait forever.
			if j.create != nil {
				c.refused = true
			}
			c.storeErr = err
			c.lost++
			if j.line > 0 && !j.reported {
				c.saves = append(c.saves, Save{Line: j.line, Saved: false})
			}
		default:
			c.storeErr = err
			c.holdBack()
			return
		}
		c.pending = c.pending[1:]
	}
	if c.lost == 0 {
		c.storeErr = nil
	}
}

// holdBack reports every waiting line as not saved (yet), once.
func (c *Conversation) holdBack() {
	for i := range c.pending {
		j := &c.pending[i]
		if j.line > 0 && !j.reported {
			j.reported = true
			c.saves = append(c.saves, Save{Line: j.line, Saved: false})
		}
	}
}

// attempt runs one write.
func (c *Conversation) attempt(j *job) error {
	st := c.store
	if c.refused && j.create == nil {
		return errRefused
	}
	switch {
	case j.create != nil:
		_, err := st.CreateConversation(*j.create)
		if !errors.Is(err, transcripts.ErrExists) {
			return err
		}
		if j.tries > 0 {
			return nil // an earlier attempt committed before it failed
		}
		// The id is taken (another run with the same clock and seed): name
		// the conversation anew, a few times if need be; every write behind
		// this one uses the new id.
		for range maxRenames {
			c.id = c.newID()
			j.create.ID = c.id
			if c.packet != nil {
				c.packet.Conversation = c.id
			}
			if _, err = st.CreateConversation(*j.create); !errors.Is(err, transcripts.ErrExists) {
				break
			}
		}
		return err
	case j.entry != nil:
		_, err := st.AppendEntry(c.id, *j.entry)
		return err
	case j.status != "":
		return st.SetStatus(c.id, j.status)
	}
	return fmt.Errorf("%w: an empty write", transcripts.ErrInvalid)
}

// permanent reports a write error that a retry cannot fix.
func permanent(err error) bool {
	return errors.Is(err, errRefused) || errors.Is(err, transcripts.ErrInvalid) || errors.Is(err, transcripts.ErrClosed) ||
		errors.Is(err, transcripts.ErrExists) || errors.Is(err, transcripts.ErrNotFound)
}

// recoveredText is the first entry of a recovered continuation, in the
// conversation's language.
var recoveredText = map[string]string{
	"en": "These messages continue conversation %s; the store could not take them at the time.",
	"ja": "この記録は会話 %s の続きです。当時は保存できませんでした。",
}

// EventRecovered marks the start of a recovered continuation.
const EventRecovered transcripts.Event = "recovered"

// Unsaved is what the store has not got yet, as one conversation that
// `history import` takes; ok is false when everything is stored. Writes run
// in order, so what waits is always the end of the conversation: if even its
// creation waits, it is the whole conversation under its own id; otherwise it
// is a continuation, stored under the id with "-recovered" added.
func (c *Conversation) Unsaved() (conv transcripts.Conversation, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) == 0 {
		return conv, false
	}
	status := transcripts.StatusOpen
	var entries []transcripts.Entry
	for _, j := range c.pending {
		switch {
		case j.create != nil:
			conv = *j.create
			entries = append(entries, conv.Entries...)
		case j.entry != nil:
			entries = append(entries, *j.entry)
		case j.status != "":
			status = j.status
		}
	}
	if conv.ID == "" {
		conv = c.header
		conv.ID = c.id + "-recovered"
		if len(entries) > 0 {
			conv.StartedAt = entries[0].At
		}
		note := transcripts.Entry{At: conv.StartedAt, Role: transcripts.RoleSystem, Event: EventRecovered,
			Text: fmt.Sprintf(recoveredText[c.cfg.Lang], c.id)}
		entries = append([]transcripts.Entry{note}, entries...)
	}
	conv.Status = status
	conv.Entries = entries
	return conv, true
}
