// Package yamlfile decodes the hand-written YAML files tsunagu loads (rules,
// operator pools, scenarios) with the defences of reliability case D34: a
// size cap, a UTF-8 check, a nesting-depth cap, alias-bomb and duplicate-key
// refusal, unknown fields and wrong types. Every problem is reported as
// "NAME:LINE: message" so a trainer can fix the file in an editor.
package yamlfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// MaxBytes caps the size of a file. The largest real file, the default rules
// with their example utterances, is well below it; a 10 MB file is refused
// before any parsing.
const MaxBytes = 8 << 20

// MaxDepth caps how deeply mappings and sequences may nest. Real files need
// fewer than ten levels; yaml.v3 itself accepts 10,000.
const MaxDepth = 64

// Problem is one thing wrong with a file, at a 1-based line.
type Problem struct {
	Line    int
	Message string
}

// Error lists every problem found in one file.
type Error struct {
	Name     string
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		// A message may quote file content; keep it on one line.
		msg := strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(p.Message)
		lines[i] = fmt.Sprintf("%s:%d: %s", e.Name, p.Line, msg)
	}
	return strings.Join(lines, "\n")
}

// Lines returns the problems formatted as "NAME:LINE: message", one per entry.
func (e *Error) Lines() []string { return strings.Split(e.Error(), "\n") }

// Errorf builds an Error with one problem, for callers' own semantic checks.
func Errorf(name string, line int, format string, a ...any) *Error {
	return &Error{Name: name, Problems: []Problem{{Line: line, Message: fmt.Sprintf(format, a...)}}}
}

// Decode parses data (the contents of the file called name) into v. Unknown
// fields are errors. v may be a *yaml.Node when the caller wants positions
// for its own checks.
func Decode(name string, data []byte, v any) error {
	if err := check(name, data); err != nil {
		return err
	}
	return decodeChecked(name, data, v)
}

// check applies the defences that need no parsing: size, UTF-8, depth.
func check(name string, data []byte) error {
	if len(data) > MaxBytes {
		return Errorf(name, 1, "file is %d bytes; the limit is %d", len(data), MaxBytes)
	}
	if line, ok := firstInvalidUTF8(data); !ok {
		return Errorf(name, line, "invalid UTF-8; save the file as UTF-8")
	}
	if line, tooDeep := nestingBeyond(data, MaxDepth); tooDeep {
		return Errorf(name, line, "nesting is deeper than %d levels", MaxDepth)
	}
	return nil
}

// decodeChecked decodes data that check has accepted.
func decodeChecked(name string, data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := decodeRecovering(dec, v)
	if err == nil {
		return nil
	}
	if errors.Is(err, io.EOF) {
		return Errorf(name, 1, "file is empty")
	}
	return &Error{Name: name, Problems: problemsOf(err)}
}

// decodeRecovering turns a panic inside the YAML library into an error: a
// hostile file must never crash the program.
func decodeRecovering(dec *yaml.Decoder, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the file could not be parsed (%v)", r)
		}
	}()
	return dec.Decode(v)
}

var lineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// problemsOf converts yaml.v3 errors ("yaml: line 3: …", or a TypeError with
// one "line N: …" entry per field) into problems.
func problemsOf(err error) []Problem {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		ps := make([]Problem, 0, len(te.Errors))
		for _, e := range te.Errors {
			ps = append(ps, lineProblem(e))
		}
		return ps
	}
	return []Problem{lineProblem(err.Error())}
}

func lineProblem(s string) Problem {
	if m := lineRE.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{Line: n, Message: m[2]}
	}
	msg := strings.TrimPrefix(s, "yaml: ")
	if strings.Contains(msg, "excessive aliasing") {
		msg = "too many aliases expand into each other (an alias bomb); write the values out"
	}
	return Problem{Line: 1, Message: msg}
}

// firstInvalidUTF8 returns the line of the first invalid UTF-8 sequence.
func firstInvalidUTF8(data []byte) (line int, ok bool) {
	if utf8.Valid(data) {
		return 0, true
	}
	line = 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size == 1 {
			return line, false
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return line, true
}

// nestingBeyond estimates how deeply a YAML document nests, cheaply and
// without parsing: flow brackets outside quotes, plus the number of distinct
// indentation levels open at once in block style. It reports the first line
// where the depth exceeds limit. It guards only against pathological input.
func nestingBeyond(data []byte, limit int) (line int, tooDeep bool) {
	var indents []int // open block indentation levels
	flow := 0
	lineNo := 0
	for raw := range bytes.SplitSeq(data, []byte("\n")) {
		lineNo++
		trimmed := bytes.TrimLeft(raw, " ")
		if len(trimmed) == 0 || trimmed[0] == '#' {
			continue
		}
		if flow == 0 {
			indent := len(raw) - len(trimmed)
			for len(indents) > 0 && indents[len(indents)-1] >= indent {
				indents = indents[:len(indents)-1]
			}
			indents = append(indents, indent)
			// "- - - x" nests one level per dash on the same line.
			for rest := trimmed; len(rest) > 1 && rest[0] == '-' && rest[1] == ' '; rest = bytes.TrimLeft(rest[2:], " ") {
				indents = append(indents, indent)
			}
		}
		var quote byte // quotes are tracked per line; multi-line quoted scalars are rare
		for _, c := range trimmed {
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '#':
				goto endLine
			case c == '[' || c == '{':
				flow++
				if len(indents)+flow > limit {
					return lineNo, true
				}
			case c == ']' || c == '}':
				if flow > 0 {
					flow--
				}
			}
		}
	endLine:
		if len(indents)+flow > limit {
			return lineNo, true
		}
	}
	return 0, false
}
