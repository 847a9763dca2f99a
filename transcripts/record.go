package transcripts

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Role says who wrote an entry. The speaker label shown to users always comes
// from here, never from the text.
type Role string

// The roles of the product contract.
const (
	RoleCustomer Role = "customer"
	RoleBot      Role = "bot"
	RoleOperator Role = "operator"
	RoleSystem   Role = "system"
)

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleCustomer, RoleBot, RoleOperator, RoleSystem:
		return true
	}
	return false
}

// Event names what a system entry records.
type Event string

// System events. Other packages may record further events; unknown names are
// stored and exported as they are.
const (
	EventEscalated      Event = "escalated"       // handed to a person; Meta.Reason, Meta.Packet
	EventQueue          Event = "queue"           // queue update; Meta.QueuePosition
	EventOperatorJoined Event = "operator_joined" // Meta.Operator, Meta.OperatorID
	EventOperatorLeft   Event = "operator_left"
	EventTransfer       Event = "transfer"        // to Meta.Operator, Meta.Reason, Meta.Packet
	EventCallbackBooked Event = "callback_booked" // Meta.CallbackAt
	EventRating         Event = "rating"          // Meta.Rating (1-5)
	EventClosed         Event = "closed"
)

// Status is where a conversation stands.
type Status string

// Conversation statuses. A conversation starts open, may be escalated (and
// waiting or with an operator), and ends closed or abandoned.
const (
	StatusOpen      Status = "open"
	StatusEscalated Status = "escalated"
	StatusClosed    Status = "closed"
	StatusAbandoned Status = "abandoned" // the customer left without closing
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusOpen, StatusEscalated, StatusClosed, StatusAbandoned:
		return true
	}
	return false
}

var statusCodes = []Status{"", StatusOpen, StatusEscalated, StatusClosed, StatusAbandoned}

func statusCode(s Status) byte {
	if i := slices.Index(statusCodes, s); i > 0 {
		return byte(i)
	}
	return 0
}

// Extra holds JSON fields this version does not know, so that an import keeps
// them and an export writes them back.
type Extra map[string]json.RawMessage

// Customer is the customer profile given by the contact flow.
type Customer struct {
	Name       string `json:"name"`
	HasAccount bool   `json:"has_account"`
	Extra      Extra  `json:"-"`
}

// Meta is the structured metadata of an entry.
type Meta struct {
	Intent        string          `json:"intent,omitempty"`
	Action        string          `json:"action,omitempty"` // answer, clarify, escalate
	Confidence    float64         `json:"confidence,omitempty"`
	Reason        string          `json:"reason,omitempty"`
	Rules         []string        `json:"rules,omitempty"` // ids of the rules that fired
	OperatorID    string          `json:"operator_id,omitempty"`
	Operator      string          `json:"operator,omitempty"` // display name
	QueuePosition int             `json:"queue_position,omitempty"`
	Rating        int             `json:"rating,omitempty"`
	CallbackAt    *time.Time      `json:"callback_at,omitempty"`
	Packet        json.RawMessage `json:"packet,omitempty"` // the handoff packet, owned by package handoff
	Case          json.RawMessage `json:"case,omitempty"`   // the case after this entry, owned by package handoff/chat
	Extra         Extra           `json:"-"`
}

// Entry is one message or event of a conversation.
type Entry struct {
	At     time.Time `json:"at"`
	Role   Role      `json:"role"`
	Author string    `json:"author,omitempty"`
	Text   string    `json:"text,omitempty"`
	Event  Event     `json:"event,omitempty"` // system entries only
	Meta   *Meta     `json:"meta,omitempty"`
	Extra  Extra     `json:"-"`
}

// Conversation is one conversation, as exported.
type Conversation struct {
	ID        string    `json:"id"`
	StartedAt time.Time `json:"started_at"`
	Lang      string    `json:"lang"`
	Customer  Customer  `json:"customer"`
	OrderID   string    `json:"order_id,omitempty"`
	Topic     string    `json:"topic,omitempty"`
	Channel   string    `json:"channel,omitempty"`
	Status    Status    `json:"status"`
	Entries   []Entry   `json:"entries"`
	Extra     Extra     `json:"-"`
}

// Summary is one row of List and Search.
type Summary struct {
	ID        string    `json:"id"`
	StartedAt time.Time `json:"started_at"`
	LastAt    time.Time `json:"last_at"`
	Lang      string    `json:"lang"`
	Customer  Customer  `json:"customer"`
	OrderID   string    `json:"order_id,omitempty"`
	Topic     string    `json:"topic,omitempty"`
	Channel   string    `json:"channel,omitempty"`
	Status    Status    `json:"status"`
	Entries   int       `json:"entries"`
	Escalated bool      `json:"escalated"`
	Rating    int       `json:"rating,omitempty"` // last rating given, 0 if none
	Preview   string    `json:"preview,omitempty"`
	// Damaged is set when the conversation's record is damaged: it says
	// what is wrong, and the row holds only what the list index knows.
	Damaged string `json:"damaged,omitempty"`
}

// header is the stored form of a conversation without its entries.
type header struct {
	V         int       `json:"v"`
	ID        string    `json:"id"`
	StartedAt time.Time `json:"started_at"`
	Lang      string    `json:"lang"`
	Customer  Customer  `json:"customer"`
	OrderID   string    `json:"order_id,omitempty"`
	Topic     string    `json:"topic,omitempty"`
	Channel   string    `json:"channel,omitempty"`
	Status    Status    `json:"status"`
	Extra     Extra     `json:"extra,omitempty"`
	Entries   int       `json:"entries"`
	LastAt    time.Time `json:"last_at"`
	Escalated bool      `json:"escalated,omitempty"`
	Rating    int       `json:"rating,omitempty"`
	Preview   string    `json:"preview,omitempty"`
}

func (h *header) conversation(entries []Entry) Conversation {
	return Conversation{ID: h.ID, StartedAt: h.StartedAt, Lang: h.Lang, Customer: h.Customer, OrderID: h.OrderID,
		Topic: h.Topic, Channel: h.Channel, Status: h.Status, Entries: entries, Extra: h.Extra}
}

func (h *header) summary() Summary {
	return Summary{ID: h.ID, StartedAt: h.StartedAt, LastAt: h.LastAt, Lang: h.Lang, Customer: h.Customer,
		OrderID: h.OrderID, Topic: h.Topic, Channel: h.Channel, Status: h.Status, Entries: h.Entries,
		Escalated: h.Escalated, Rating: h.Rating, Preview: h.Preview}
}

// --- JSON with unknown fields kept -------------------------------------

// marshalJSON encodes without HTML escaping, so exports stay readable, and
// then escapes the runes a terminal could misread (C1 controls, bidi and
// zero-width format characters) as \uXXXX. The result is valid JSON that
// decodes to the same strings, so it round-trips byte for byte and is safe to
// print.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return escapeUnsafeRunes(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// marshalPlain is json.Marshal without HTML escaping, used inside the
// MarshalJSON methods so that "<" stays "<" in every layer.
func marshalPlain(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func unsafeRune(r rune) bool {
	switch {
	case r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0xad, r == 0x034f, r == 0x061c, r == 0x180e, r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e,
		r >= 0x2060 && r <= 0x206f, r == 0xfeff, r >= 0xfff9 && r <= 0xfffb, r >= 0xe0000 && r <= 0xe007f:
		return true
	}
	return false
}

func escapeUnsafeRunes(b []byte) []byte {
	clean := true
	for _, r := range string(b) {
		if unsafeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	var out bytes.Buffer
	for _, r := range string(b) {
		if unsafeRune(r) {
			if r > 0xffff { // JSON escapes beyond the BMP as a surrogate pair
				r1, r2 := utf16.EncodeRune(r)
				fmt.Fprintf(&out, `\u%04x\u%04x`, r1, r2)
				continue
			}
			fmt.Fprintf(&out, `\u%04x`, r)
			continue
		}
		out.WriteRune(r)
	}
	return out.Bytes()
}

// withExtra appends the unknown fields, sorted by name, to an encoded object.
func withExtra(obj []byte, extra Extra) ([]byte, error) {
	if len(extra) == 0 {
		return obj, nil
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var buf bytes.Buffer
	buf.Write(obj[:len(obj)-1])
	first := len(obj) == 2 // the object was "{}"
	for _, k := range keys {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		kb, _ := marshalPlain(k)
		buf.Write(kb)
		buf.WriteByte(':')
		var compact bytes.Buffer
		if err := json.Compact(&compact, extra[k]); err != nil {
			return nil, err
		}
		buf.Write(compact.Bytes())
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// splitExtra decodes data's object keys and returns those not in known.
// decodeKeeping decodes data into the plain form of a record type and
// returns the fields it does not know, to be kept.
func decodeKeeping[P any](data []byte, known []string) (P, Extra, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return p, nil, err
	}
	extra, err := splitExtra(data, known)
	return p, extra, err
}

func splitExtra(data []byte, known []string) (Extra, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	var extra Extra
	for k, v := range all {
		if slices.Contains(known, k) {
			continue
		}
		if extra == nil {
			extra = Extra{}
		}
		extra[k] = v
	}
	return extra, nil
}

// knownKeys lists the JSON names of a struct's encoded fields, so that
// splitExtra can tell unknown ones. Kept by hand next to each type.
var (
	customerKeys     = []string{"name", "has_account"}
	metaKeys         = []string{"intent", "action", "confidence", "reason", "rules", "operator_id", "operator", "queue_position", "rating", "callback_at", "packet"}
	entryKeys        = []string{"at", "role", "author", "text", "event", "meta"}
	conversationKeys = []string{"id", "started_at", "lang", "customer", "order_id", "topic", "channel", "status", "entries"}
)

type plainCustomer Customer

// MarshalJSON writes the known fields, then the kept unknown ones.
func (c Customer) MarshalJSON() ([]byte, error) {
	b, err := marshalPlain(plainCustomer(c))
	if err != nil {
		return nil, err
	}
	return withExtra(b, c.Extra)
}

// UnmarshalJSON reads the known fields and keeps the unknown ones.
func (c *Customer) UnmarshalJSON(data []byte) error {
	p, extra, err := decodeKeeping[plainCustomer](data, customerKeys)
	if err != nil {
		return err
	}
	*c = Customer(p)
	c.Extra = extra
	return nil
}

type plainMeta Meta

// MarshalJSON writes the known fields, then the kept unknown ones.
func (m Meta) MarshalJSON() ([]byte, error) {
	b, err := marshalPlain(plainMeta(m))
	if err != nil {
		return nil, err
	}
	return withExtra(b, m.Extra)
}

// UnmarshalJSON reads the known fields and keeps the unknown ones.
func (m *Meta) UnmarshalJSON(data []byte) error {
	p, extra, err := decodeKeeping[plainMeta](data, metaKeys)
	if err != nil {
		return err
	}
	*m = Meta(p)
	m.Extra = extra
	return nil
}

type plainEntry Entry

// MarshalJSON writes the known fields, then the kept unknown ones.
func (e Entry) MarshalJSON() ([]byte, error) {
	b, err := marshalPlain(plainEntry(e))
	if err != nil {
		return nil, err
	}
	return withExtra(b, e.Extra)
}

// UnmarshalJSON reads the known fields and keeps the unknown ones.
func (e *Entry) UnmarshalJSON(data []byte) error {
	p, extra, err := decodeKeeping[plainEntry](data, entryKeys)
	if err != nil {
		return err
	}
	*e = Entry(p)
	e.Extra = extra
	return nil
}

type plainConversation Conversation

// MarshalJSON writes the known fields, then the kept unknown ones.
func (c Conversation) MarshalJSON() ([]byte, error) {
	p := plainConversation(c)
	if p.Entries == nil {
		p.Entries = []Entry{}
	}
	b, err := marshalPlain(p)
	if err != nil {
		return nil, err
	}
	return withExtra(b, c.Extra)
}

// UnmarshalJSON reads the known fields and keeps the unknown ones. Most
// records have no unknown fields, so it first tries a strict decode into
// plain types, which is about twice as fast, and only on an unknown field
// decodes again keeping the extras at every level.
func (c *Conversation) UnmarshalJSON(data []byte) error {
	if ok := c.decodeKnownOnly(data); ok {
		return nil
	}
	p, extra, err := decodeKeeping[plainConversation](data, conversationKeys)
	if err != nil {
		return err
	}
	*c = Conversation(p)
	c.Extra = extra
	return nil
}

// The wire types mirror the record types without Extra and without methods,
// for the strict fast path.
type (
	wireCustomer struct {
		Name       string `json:"name"`
		HasAccount bool   `json:"has_account"`
	}
	wireMeta struct {
		Intent        string          `json:"intent"`
		Action        string          `json:"action"`
		Confidence    float64         `json:"confidence"`
		Reason        string          `json:"reason"`
		Rules         []string        `json:"rules"`
		OperatorID    string          `json:"operator_id"`
		Operator      string          `json:"operator"`
		QueuePosition int             `json:"queue_position"`
		Rating        int             `json:"rating"`
		CallbackAt    *time.Time      `json:"callback_at"`
		Packet        json.RawMessage `json:"packet"`
		Case          json.RawMessage `json:"case"`
	}
	wireEntry struct {
		At     time.Time `json:"at"`
		Role   Role      `json:"role"`
		Author string    `json:"author"`
		Text   string    `json:"text"`
		Event  Event     `json:"event"`
		Meta   *wireMeta `json:"meta"`
	}
	wireConversation struct {
		ID        string       `json:"id"`
		StartedAt time.Time    `json:"started_at"`
		Lang      string       `json:"lang"`
		Customer  wireCustomer `json:"customer"`
		OrderID   string       `json:"order_id"`
		Topic     string       `json:"topic"`
		Channel   string       `json:"channel"`
		Status    Status       `json:"status"`
		Entries   []wireEntry  `json:"entries"`
	}
)

// decodeKnownOnly decodes data when it has no unknown fields and no
// trailing data; it reports false otherwise, leaving c untouched.
func (c *Conversation) decodeKnownOnly(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var w wireConversation
	if err := dec.Decode(&w); err != nil {
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		return false
	}
	out := Conversation{ID: w.ID, StartedAt: w.StartedAt, Lang: w.Lang,
		Customer: Customer{Name: w.Customer.Name, HasAccount: w.Customer.HasAccount},
		OrderID:  w.OrderID, Topic: w.Topic, Channel: w.Channel, Status: w.Status}
	if w.Entries != nil {
		out.Entries = make([]Entry, len(w.Entries))
	}
	for i, we := range w.Entries {
		out.Entries[i] = we.entry()
	}
	*c = out
	return true
}

func (we *wireEntry) entry() Entry {
	e := Entry{At: we.At, Role: we.Role, Author: we.Author, Text: we.Text, Event: we.Event}
	if m := we.Meta; m != nil {
		e.Meta = &Meta{Intent: m.Intent, Action: m.Action, Confidence: m.Confidence, Reason: m.Reason,
			Rules: m.Rules, OperatorID: m.OperatorID, Operator: m.Operator, QueuePosition: m.QueuePosition,
			Rating: m.Rating, CallbackAt: m.CallbackAt, Packet: m.Packet, Case: m.Case}
	}
	return e
}

// --- validation and cleaning before storage --------------------------------

const (
	maxIDLen   = 128
	maxTextLen = 64 << 10 // one entry's text
)

func validID(id string) error {
	if id == "" || len(id) > maxIDLen {
		return fmt.Errorf("%w: id must be 1 to %d bytes", ErrInvalid, maxIDLen)
	}
	if !utf8.ValidString(id) {
		return fmt.Errorf("%w: id is not valid UTF-8", ErrInvalid)
	}
	for _, r := range id {
		if r <= ' ' || r == 0x7f || unsafeRune(r) {
			return fmt.Errorf("%w: id %q contains a space or control character", ErrInvalid, id)
		}
	}
	return nil
}

// Conversations are kept in time order by their start in nanoseconds since
// 1970 (int64), which reaches from 1677 to 2262: whole years inside that.
const (
	minYear = 1678
	maxYear = 2261
)

// storableTime clamps a filter's time into the years a start can have, so
// that "from 3000-01-01" finds nothing instead of wrapping around.
func storableTime(t time.Time) time.Time {
	lo := time.Date(minYear, 1, 1, 0, 0, 0, 0, time.UTC)
	hi := time.Date(maxYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
	switch {
	case t.Before(lo):
		return lo
	case t.After(hi):
		return hi
	}
	return t
}

func validateEntry(e *Entry) error {
	if e.At.IsZero() {
		return fmt.Errorf("%w: entry has no time (at)", ErrInvalid)
	}
	if !e.Role.Valid() {
		return fmt.Errorf("%w: entry role %q is not customer, bot, operator or system", ErrInvalid, e.Role)
	}
	if e.Role == RoleSystem {
		if e.Event == "" && e.Text == "" {
			return fmt.Errorf("%w: system entry has neither event nor text", ErrInvalid)
		}
	} else if e.Text == "" {
		return fmt.Errorf("%w: %s entry has no text", ErrInvalid, e.Role)
	}
	if len(e.Text) > maxTextLen {
		return fmt.Errorf("%w: entry text is longer than %d bytes", ErrInvalid, maxTextLen)
	}
	return nil
}

func validateHeader(c *Conversation) error {
	if err := validID(c.ID); err != nil {
		return err
	}
	if c.StartedAt.IsZero() {
		return fmt.Errorf("%w: conversation %s has no started_at", ErrInvalid, c.ID)
	}
	if y := c.StartedAt.UTC().Year(); y < minYear || y > maxYear {
		return fmt.Errorf("%w: conversation %s starts in the year %d; tsunagu keeps conversations started from %d to %d",
			ErrInvalid, c.ID, y, minYear, maxYear)
	}
	if c.Lang == "" {
		return fmt.Errorf("%w: conversation %s has no lang", ErrInvalid, c.ID)
	}
	if c.Status != "" && !c.Status.Valid() {
		return fmt.Errorf("%w: conversation %s has unknown status %q", ErrInvalid, c.ID, c.Status)
	}
	return nil
}

// cleanText is what every stored string goes through: invalid UTF-8 becomes
// U+FFFD, then card numbers are masked.
func cleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return MaskCards(s)
}

// cleanRaw masks card numbers inside a raw JSON value (packets, unknown
// fields): every string is cleaned, and a bare number that is a card becomes
// a masked string. Values that are not valid JSON are dropped.
func cleanRaw(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return raw
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	v, _ = cleanAny(v)
	b, err := marshalJSON(v)
	if err != nil {
		return nil
	}
	return b
}

// cleanAny cleans every string (keys too) in a decoded JSON value, and
// reports whether it masked a card number.
func cleanAny(v any) (any, bool) {
	switch x := v.(type) {
	case string:
		s := x
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		return MaskCardDetails(s)
	case json.Number:
		if m, found := MaskCardDetails(string(x)); found {
			return m, true
		}
		return x, false
	case []any:
		card := false
		for i := range x {
			var found bool
			x[i], found = cleanAny(x[i])
			card = card || found
		}
		return x, card
	case map[string]any:
		out := make(map[string]any, len(x))
		card := false
		for k, val := range x {
			c, found := cleanAny(val)
			ck, kfound := cleanAny(k)
			card = card || found || kfound
			out[ck.(string)] = c
		}
		if card {
			maskCardFields(out)
		}
		return out, card
	}
	return v, false
}

// maskCardFields masks, in an object that held a card number, the fields
// whose names say they hold its security code or expiry date.
func maskCardFields(obj map[string]any) {
	for k, v := range obj {
		if !cardFieldName(k) {
			continue
		}
		switch x := v.(type) {
		case string:
			obj[k] = maskDigits(x)
		case json.Number:
			obj[k] = maskDigits(string(x))
		}
	}
}

func cardFieldName(k string) bool {
	k = strings.ToLower(k)
	for _, w := range []string{"cvv", "cvc", "cv2", "csc", "security", "exp", "セキュリティ", "有効期限"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

func maskDigits(s string) string {
	r := []rune(s)
	for i := range r {
		if digitValue(r[i]) >= 0 {
			r[i] = '*'
		}
	}
	return string(r)
}

func cleanExtra(e Extra) Extra {
	if len(e) == 0 {
		return nil
	}
	out := make(Extra, len(e))
	for k, v := range e {
		if c := cleanRaw(v); c != nil {
			out[cleanText(k)] = c
		}
	}
	return out
}

func cleanEntry(e Entry) Entry {
	e.Author = cleanText(e.Author)
	e.Text = cleanText(e.Text)
	e.Event = Event(cleanText(string(e.Event)))
	e.Extra = cleanExtra(e.Extra)
	if e.Meta != nil {
		m := *e.Meta
		m.Intent = cleanText(m.Intent)
		m.Action = cleanText(m.Action)
		m.Reason = cleanText(m.Reason)
		m.OperatorID = cleanText(m.OperatorID)
		m.Operator = cleanText(m.Operator)
		if m.Rules != nil {
			rules := make([]string, len(m.Rules))
			for i, r := range m.Rules {
				rules[i] = cleanText(r)
			}
			m.Rules = rules
		}
		m.Packet = cleanRaw(m.Packet)
		m.Case = cleanRaw(m.Case)
		m.Extra = cleanExtra(m.Extra)
		e.Meta = &m
	}
	return e
}

func cleanHeader(c Conversation) Conversation {
	c.ID = MaskCards(c.ID)
	c.Lang = cleanText(c.Lang)
	c.Customer.Name = cleanText(c.Customer.Name)
	c.Customer.Extra = cleanExtra(c.Customer.Extra)
	c.OrderID = cleanText(c.OrderID)
	c.Topic = cleanText(c.Topic)
	c.Channel = cleanText(c.Channel)
	c.Extra = cleanExtra(c.Extra)
	return c
}
