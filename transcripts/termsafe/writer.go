package termsafe

import (
	"io"
	"unicode/utf8"
)

// Writer passes everything written to it through Text before it reaches
// the underlying writer, so that a program's whole output (errors, lists,
// scorecards, plain-mode sessions) goes through the one sanitiser whatever
// printed it. Newlines and tabs survive; escape sequences, control
// characters, bidi overrides and zero-width characters do not.
//
// Each Write is sanitised on its own, except that a rune cut in two at the
// end of a Write, a CR that may be the first half of CRLF, and a zero-width
// joiner that may join two emoji wait for the next Write (or Flush). An
// escape sequence cut in two loses its start in the first Write and shows
// the rest as text: no sequence ever reaches the terminal.
type Writer struct {
	w    io.Writer
	held []byte
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Unwrap returns the underlying writer, for a full-screen program that
// draws its own sanitised frames with escape sequences.
func (sw *Writer) Unwrap() io.Writer { return sw.w }

// Write sanitises p and writes it. It reports len(p) written on success,
// whatever the sanitised length.
func (sw *Writer) Write(p []byte) (int, error) {
	buf := append(sw.held, p...)
	keep := pendingTail(buf)
	sw.held = append([]byte(nil), buf[len(buf)-keep:]...)
	if out := Text(string(buf[:len(buf)-keep])); out != "" {
		if _, err := io.WriteString(sw.w, out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush writes what is held back from the last Write.
func (sw *Writer) Flush() error {
	if len(sw.held) == 0 {
		return nil
	}
	out := Text(string(sw.held))
	sw.held = nil
	_, err := io.WriteString(sw.w, out)
	return err
}

// pendingTail is how many bytes at the end of b may change meaning with
// what comes next: an incomplete rune, a CR, or a zero-width joiner (with
// the rune before it).
func pendingTail(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return len(b) - i
			}
			break
		}
	}
	switch {
	case len(b) > 0 && b[len(b)-1] == '\r':
		return 1
	case len(b) >= 3 && string(b[len(b)-3:]) == "\u200d":
		// The joiner and the rune before it, which decides whether it stays.
		_, n := utf8.DecodeLastRune(b[:len(b)-3])
		return 3 + n
	}
	return 0
}
