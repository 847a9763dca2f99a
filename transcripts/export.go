package transcripts

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"tsunagu/transcripts/termsafe"
)

// Format is an export format.
type Format string

// Export formats (SPEC section 8).
const (
	FormatMarkdown  Format = "md"
	FormatJSON      Format = "json"  // one object per conversation (see EncodeJSON)
	FormatJSONLines Format = "jsonl" // one conversation per line; what Import reads
)

// ParseFormat accepts md, markdown, json and jsonl.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "md", "markdown":
		return FormatMarkdown, nil
	case "json":
		return FormatJSON, nil
	case "jsonl", "ndjson":
		return FormatJSONLines, nil
	}
	return "", fmt.Errorf("%w: export format must be md, json or jsonl, not %q", ErrInvalid, s)
}

// EncodeJSON writes c as one line of JSON: the form of both the json and the
// jsonl export. Unknown fields kept from an import come back out; strings are
// escaped so that the output is safe on a terminal and decodes to the same
// text, so export, import and export again give the same bytes.
func EncodeJSON(c Conversation) ([]byte, error) {
	return marshalJSON(c)
}

// SafeJSON encodes v as one line of JSON the way exports are written: no
// HTML escaping, and terminal-unsafe runes (C1 controls, bidi and zero-width
// characters) written as \uXXXX escapes, so the output is safe to print and
// decodes to the same values.
func SafeJSON(v any) ([]byte, error) { return marshalJSON(v) }

// Export writes the conversations with the given ids to w. With no ids it
// exports all of them, newest first, as ExportAll does: a damaged
// conversation stops it with an *ExportStoppedError naming it.
func (s *Store) Export(w io.Writer, format Format, ids ...string) error {
	if len(ids) == 0 {
		_, err := s.ExportAll(w, format, ExportOptions{})
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	for i, id := range ids {
		c, err := s.Load(id)
		if err != nil {
			return err
		}
		if err := writeExported(bw, format, c, i == 0); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ExportFile writes an export to path atomically with mode 0600: to a
// temporary file in the same folder, fsynced, then renamed into place, so a
// crash leaves either the old file or the whole new one (and the next open
// of the store removes the temporary file).
func (s *Store) ExportFile(path string, format Format, ids ...string) error {
	return s.writeExportFile(path, func(w io.Writer) error { return s.Export(w, format, ids...) })
}

// WriteFileAtomic creates path with mode 0600 (whatever the umask) from what
// fill writes, atomically.
func WriteFileAtomic(path string, fill func(io.Writer) error) error {
	return writeFileAtomic(path, nil, fill)
}

// --- Markdown --------------------------------------------------------------------

// Markdown renders one conversation for people. Every piece of stored text
// is first passed through termsafe. Message text then goes in a fenced code
// block whose fence is longer than any run of backticks inside it, so
// nothing in it (```, <script>, links, a leading #) is read as Markdown or
// HTML; one-line fields (names, reasons, topics) are backslash-escaped.
func Markdown(c Conversation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Conversation %s\n\n", inline(c.ID))
	fmt.Fprintf(&b, "- Started: %s\n", c.StartedAt.Format("2006-01-02 15:04:05 -07:00"))
	cust := inline(c.Customer.Name)
	if cust == "" {
		cust = "(no name)"
	}
	if c.Customer.HasAccount {
		cust += " (has an account)"
	} else {
		cust += " (guest)"
	}
	fmt.Fprintf(&b, "- Customer: %s\n", cust)
	if c.OrderID != "" {
		fmt.Fprintf(&b, "- Order: %s\n", inline(c.OrderID))
	}
	if c.Topic != "" {
		fmt.Fprintf(&b, "- Topic: %s\n", inline(c.Topic))
	}
	if c.Channel != "" {
		fmt.Fprintf(&b, "- Channel: %s\n", inline(c.Channel))
	}
	fmt.Fprintf(&b, "- Language: %s\n", inline(c.Lang))
	fmt.Fprintf(&b, "- Status: %s\n", inline(string(c.Status)))
	for _, e := range c.Entries {
		b.WriteString("\n")
		at := e.At.In(c.StartedAt.Location()).Format("15:04:05")
		if e.Event != "" {
			fmt.Fprintf(&b, "*%s · %s*\n", at, describeEvent(e, inline))
			if e.Text != "" {
				b.WriteString("\n")
				fence(&b, e.Text)
			}
			continue
		}
		fmt.Fprintf(&b, "**%s · %s**", at, speaker(e))
		if m := e.Meta; m != nil && (m.Intent != "" || m.Action != "") {
			var parts []string
			if m.Intent != "" {
				parts = append(parts, "intent "+inline(m.Intent))
			}
			if m.Action != "" {
				parts = append(parts, "action "+inline(m.Action))
			}
			if m.Confidence > 0 {
				parts = append(parts, fmt.Sprintf("confidence %.2f", m.Confidence))
			}
			if m.Reason != "" {
				parts = append(parts, "reason "+inline(m.Reason))
			}
			fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
		}
		b.WriteString("\n\n")
		fence(&b, e.Text)
	}
	return b.String()
}

func speaker(e Entry) string {
	label := map[Role]string{RoleCustomer: "Customer", RoleBot: "Bot", RoleOperator: "Operator", RoleSystem: "System"}[e.Role]
	if label == "" {
		label = inline(string(e.Role))
	}
	if e.Author != "" {
		label += " " + inline(e.Author)
	}
	return label
}

// DescribeEvent says in one plain English line what a system entry records,
// such as "handed to Tanaka (reason: complaint)". The result is terminal-safe.
func DescribeEvent(e Entry) string { return describeEvent(e, termsafe.Line) }

func describeEvent(e Entry, inline func(string) string) string {
	m := e.Meta
	if m == nil {
		m = &Meta{}
	}
	who := inline(m.Operator)
	reason := ""
	if m.Reason != "" {
		reason = " (reason: " + inline(m.Reason) + ")"
	}
	switch e.Event {
	case EventEscalated:
		if who == "" {
			return "handed to a person" + reason
		}
		return "handed to " + who + reason
	case EventQueue:
		if m.QueuePosition > 0 {
			return fmt.Sprintf("waiting in the queue, position %d", m.QueuePosition)
		}
		return "waiting in the queue"
	case EventOperatorJoined:
		return nonEmpty(who, "an operator") + " joined"
	case EventOperatorLeft:
		return nonEmpty(who, "the operator") + " left"
	case EventTransfer:
		return "transferred to " + nonEmpty(who, "another operator") + reason
	case EventCallbackBooked:
		if m.CallbackAt != nil {
			return "callback booked for " + m.CallbackAt.Format(time.RFC3339)
		}
		return "callback booked"
	case EventRating:
		return fmt.Sprintf("rated %d of 5", m.Rating)
	case EventClosed:
		return "conversation closed" + reason
	}
	return "event " + inline(string(e.Event)) + reason
}

func nonEmpty(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// fence writes text in a fenced code block that the text cannot close.
func fence(b *strings.Builder, text string) {
	text = strings.TrimRight(termsafe.Text(text), "\n")
	longest, run := 0, 0
	for _, r := range text {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	f := strings.Repeat("`", max(3, longest+1))
	b.WriteString(f + "text\n" + text + "\n" + f + "\n")
}

// inline makes a one-line field plain text in Markdown: sanitised, then
// every character Markdown or HTML could act on is backslash-escaped.
func inline(s string) string {
	s = termsafe.Line(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_{}[]()<>#!|~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
