package transcripts

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"tsunagu/transcripts/termsafe"
)

// Format is an export format.
type Format string

// Export formats.
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

// Export writes the conversations with the given ids to w, with the
// Markdown labelled in English. With no ids it exports all of them, newest
// first, as ExportAll does: a damaged conversation stops it with an
// *ExportStoppedError naming it.
func (s *Store) Export(w io.Writer, format Format, ids ...string) error {
	return s.ExportLang(w, format, "en", ids...)
}

// ExportLang is Export with the Markdown labelled in lang (see LabelsFor);
// JSON is the same in every language.
func (s *Store) ExportLang(w io.Writer, format Format, lang string, ids ...string) error {
	if len(ids) == 0 {
		_, err := s.ExportAll(w, format, ExportOptions{Lang: lang})
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	for i, id := range ids {
		c, err := s.Load(id)
		if err != nil {
			return err
		}
		if err := writeExported(bw, format, lang, c, i == 0); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ExportFile writes an export to path atomically with mode 0600: to a
// temporary file in the same folder, fsynced, then renamed into place, so a
// crash leaves either the old file or the whole new one (and the next open
// of the store for writing removes the temporary file).
func (s *Store) ExportFile(path string, format Format, ids ...string) error {
	return s.ExportFileLang(path, format, "en", ids...)
}

// ExportFileLang is ExportFile with the Markdown labelled in lang.
func (s *Store) ExportFileLang(path string, format Format, lang string, ids ...string) error {
	return s.writeExportFile(path, func(w io.Writer) error { return s.ExportLang(w, format, lang, ids...) })
}

// WriteFileAtomic creates path with mode 0600 (whatever the umask) from what
// fill writes, atomically.
func WriteFileAtomic(path string, fill func(io.Writer) error) error {
	return writeFileAtomic(path, nil, fill)
}

// --- Markdown --------------------------------------------------------------------

// Markdown renders one conversation for people, labelled in English.
func Markdown(c Conversation) string { return MarkdownIn(c, "en") }

// MarkdownIn renders one conversation for people, labelled in lang (see
// LabelsFor), with every time in the zone it was recorded in. Every piece of
// stored text is first passed through termsafe. Message text then goes in a
// fenced code block whose fence is longer than any run of backticks inside
// it, so nothing in it (```, <script>, links, a leading #) is read as
// Markdown or HTML; one-line fields (names, reasons, topics) are
// backslash-escaped.
func MarkdownIn(c Conversation, lang string) string {
	l := LabelsFor(lang)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s\n\n", l.Conversation, inline(c.ID))
	fmt.Fprintf(&b, "- %s: %s\n", l.Started, c.StartedAt.Format("2006-01-02 15:04:05 -07:00"))
	cust := inline(c.Customer.Name)
	if cust == "" {
		cust = l.NoName
	}
	fmt.Fprintf(&b, "- %s: %s%s%s%s\n", l.Customer, cust, l.Open, l.Account(c.Customer.HasAccount), l.Close)
	if c.OrderID != "" {
		fmt.Fprintf(&b, "- %s: %s\n", l.Order, inline(c.OrderID))
	}
	if c.Topic != "" {
		fmt.Fprintf(&b, "- %s: %s\n", l.Topic, inline(c.Topic))
	}
	if c.Channel != "" {
		fmt.Fprintf(&b, "- %s: %s\n", l.Channel, inline(c.Channel))
	}
	fmt.Fprintf(&b, "- %s: %s\n", l.Language, inline(c.Lang))
	fmt.Fprintf(&b, "- %s: %s\n", l.Status, inline(l.StatusName(c.Status)))
	loc := c.Location()
	for _, e := range c.Entries {
		b.WriteString("\n")
		at := e.At.In(loc).Format("15:04:05")
		if e.Event != "" {
			fmt.Fprintf(&b, "*%s · %s*\n", at, l.event(e, loc, inline))
			if e.Text != "" {
				b.WriteString("\n")
				fence(&b, e.Text)
			}
			continue
		}
		fmt.Fprintf(&b, "**%s · %s**", at, l.speaker(e, c.Customer.Name, inline))
		if note := l.botNote(e.Meta, inline); note != "" {
			b.WriteString(" " + note)
		}
		b.WriteString("\n\n")
		fence(&b, e.Text)
	}
	return b.String()
}

// DescribeEvent says in one plain English line what a system entry records,
// such as "handed to Tanaka (reason: complaint)". The result is terminal-safe.
// LabelsFor(lang).Event says it in another language and zone.
func DescribeEvent(e Entry) string { return english.Event(e, nil) }

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
