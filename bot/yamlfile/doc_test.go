package yamlfile

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// docYAML has a line-numbered shape: block and flow collections, a value on
// the line after its key, an anchor and an alias.
const docYAML = `# leading comment
name: demo
owner:
  first: a
  last: b
items:
  - id: x
    tags: [p, q]
  - id: y
    tags:
      - r
empty: {}
later:
  on the next line
ref: &r {deep: 1}
alias: *r
`

func mustDecodeDoc(t testing.TB, data string) *Doc {
	t.Helper()
	var v any
	d, err := DecodeDoc("f.yaml", []byte(data), &v)
	if err != nil {
		t.Fatalf("DecodeDoc: %v", err)
	}
	return d
}

func TestDocLines(t *testing.T) {
	d := mustDecodeDoc(t, docYAML)
	tests := []struct {
		name      string
		path      []any
		line      int
		valueLine int
		found     bool
	}{
		{"top node", nil, 2, 2, true},
		{"scalar entry", []any{"name"}, 2, 2, true},
		{"block mapping: key vs first entry", []any{"owner"}, 3, 4, true},
		{"nested key", []any{"owner", "last"}, 5, 5, true},
		{"missing key falls back to its parent", []any{"owner", "middle"}, 3, 4, false},
		{"missing top-level key", []any{"nope"}, 2, 2, false},
		{"sequence item", []any{"items", 1}, 9, 9, true},
		{"key inside an item", []any{"items", 1, "tags"}, 10, 11, true},
		{"item of a nested sequence", []any{"items", 1, "tags", 0}, 11, 11, true},
		{"flow sequence item", []any{"items", 0, "tags", 1}, 8, 8, true},
		{"index past the end", []any{"items", 2}, 6, 7, false},
		{"negative index", []any{"items", -1}, 6, 7, false},
		{"index into a mapping", []any{"owner", 0}, 3, 4, false},
		{"key into a sequence", []any{"items", "id"}, 6, 7, false},
		{"step into a scalar", []any{"name", "x"}, 2, 2, false},
		{"unsupported step type", []any{1.5}, 2, 2, false},
		{"empty mapping", []any{"empty"}, 12, 12, true},
		{"value on the next line", []any{"later"}, 13, 14, true},
		{"through an alias", []any{"alias", "deep"}, 15, 15, true},
		{"the alias itself", []any{"alias"}, 16, 16, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.Line(tt.path...); got != tt.line {
				t.Errorf("Line(%v) = %d, want %d", tt.path, got, tt.line)
			}
			if got := d.ValueLine(tt.path...); got != tt.valueLine {
				t.Errorf("ValueLine(%v) = %d, want %d", tt.path, got, tt.valueLine)
			}
			if got := d.Node(tt.path...) != nil; got != tt.found {
				t.Errorf("Node(%v) found = %v, want %v", tt.path, got, tt.found)
			}
		})
	}
}

func TestDocNodeFollowsAliases(t *testing.T) {
	d := mustDecodeDoc(t, docYAML)
	n := d.Node("alias")
	if n == nil || n.Kind != yaml.MappingNode {
		t.Fatalf("Node(alias) = %+v, want the anchored mapping", n)
	}
	if n := d.Node("alias", "deep"); n == nil || n.Value != "1" {
		t.Fatalf("Node(alias, deep) = %+v, want the scalar 1", n)
	}
}

func TestDocKeys(t *testing.T) {
	d := mustDecodeDoc(t, docYAML)
	tests := []struct {
		path []any
		want []string
	}{
		{nil, []string{"name", "owner", "items", "empty", "later", "ref", "alias"}},
		{[]any{"owner"}, []string{"first", "last"}},
		{[]any{"items", 0}, []string{"id", "tags"}},
		{[]any{"alias"}, []string{"deep"}},
		{[]any{"empty"}, nil},
		{[]any{"items"}, nil},
		{[]any{"name"}, nil},
		{[]any{"missing"}, nil},
	}
	for _, tt := range tests {
		if got := d.Keys(tt.path...); !slices.Equal(got, tt.want) || (tt.want == nil && got != nil) {
			t.Errorf("Keys(%v) = %#v, want %#v", tt.path, got, tt.want)
		}
	}
}

func TestNewDocAcceptsDocumentOrTopNode(t *testing.T) {
	var root yaml.Node
	if err := Decode("f.yaml", []byte(docYAML), &root); err != nil {
		t.Fatal(err)
	}
	if root.Kind != yaml.DocumentNode {
		t.Fatalf("decoded kind %v, want a document node", root.Kind)
	}
	fromDoc, fromTop := NewDoc("f.yaml", &root), NewDoc("f.yaml", root.Content[0])
	for _, path := range [][]any{nil, {"owner", "last"}, {"items", 1, "tags", 0}, {"nope"}} {
		if a, b := fromDoc.Line(path...), fromTop.Line(path...); a != b {
			t.Errorf("Line(%v): %d from the document node, %d from its top node", path, a, b)
		}
	}
	tests := []struct {
		name string
		root *yaml.Node
	}{
		{"nil", nil},
		{"document without content", &yaml.Node{Kind: yaml.DocumentNode}},
		{"node without positions", &yaml.Node{Kind: yaml.MappingNode}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDoc("f.yaml", tt.root)
			if got := d.Line("a", 0); got != 1 {
				t.Errorf("Line = %d, want 1", got)
			}
			if got := d.ValueLine("a", 0); got != 1 {
				t.Errorf("ValueLine = %d, want 1", got)
			}
			if d.Node("a") != nil || d.Keys() != nil {
				t.Error("an empty document has no nodes or keys")
			}
		})
	}
}

func TestDecodeDocKeepsDecodeDefences(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		wantLine int
		wantText string
	}{
		{"unknown field", "name: a\ncolour: red\n", 2, "colour not found"},
		{"wrong type", "name: a\ncount: many\n", 2, "cannot unmarshal"},
		{"duplicate keys", "name: a\nname: b\n", 2, "already defined"},
		{"empty file", "", 1, "empty"},
		{"invalid UTF-8", "name: \xff\n", 1, "UTF-8"},
		{"alias bomb", aliasBomb, 1, "alias"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v sample
			d, err := DecodeDoc("f.yaml", []byte(tt.data), &v)
			var ye *Error
			if d != nil || !errors.As(err, &ye) {
				t.Fatalf("DecodeDoc = %v, %v; want no doc and an *Error", d, err)
			}
			if ye.Problems[0].Line != tt.wantLine || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error %q, want line %d mentioning %q", err, tt.wantLine, tt.wantText)
			}
		})
	}
	var v sample
	d, err := DecodeDoc("ok.yaml", []byte("name: a\ninner:\n  level: x\n"), &v)
	if err != nil || v.Name != "a" || v.Inner.Level != "x" || d.Line("inner", "level") != 3 || d.Name != "ok.yaml" {
		t.Fatalf("DecodeDoc = %+v, %v (decoded %+v)", d, err, v)
	}
}

func TestLines(t *testing.T) {
	two := &Error{Name: "a.yaml", Problems: []Problem{{2, "first"}, {5, "second\nline"}}}
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"no error", nil, nil},
		{"file error", two, []string{"a.yaml:2: first", `a.yaml:5: second\nline`}},
		{"wrapped file error", fmt.Errorf("loading: %w", two), []string{"a.yaml:2: first", `a.yaml:5: second\nline`}},
		{"other error", errors.New("disk on fire"), []string{"b.yaml:1: disk on fire"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Lines("b.yaml", tt.err)
			if !slices.Equal(got, tt.want) || (tt.want == nil && got != nil) {
				t.Errorf("Lines = %#v, want %#v", got, tt.want)
			}
		})
	}
}

// FuzzDocLine checks that, for any decodable file and any path, the line
// look-ups never panic and never report a line below 1, and that every path
// that exists in the tree is found.
func FuzzDocLine(f *testing.F) {
	for _, s := range []struct{ data, path string }{
		{docYAML, "items/1/tags/0"},
		{docYAML, "alias/deep"},
		{"a: [1, [2, {b: c}]]\n", "a/1/1/b"},
		{"- - - x\n", "0/0/5"},
		{"just text\n", "a"},
		{"---\n", ""},
		{"a: &x {b: 1}\nc: *x\n", "c/b/0/-1"},
		{"? [k]\n: v\n", "k"},
	} {
		f.Add([]byte(s.data), s.path)
	}
	f.Fuzz(func(t *testing.T, data []byte, rawPath string) {
		var v any
		d, err := DecodeDoc("f.yaml", data, &v)
		if err != nil {
			return
		}
		var path []any
		for _, step := range strings.Split(rawPath, "/") {
			if i, err := strconv.Atoi(step); err == nil {
				path = append(path, i)
			} else {
				path = append(path, step)
			}
		}
		for i := range len(path) + 1 {
			if l := d.Line(path[:i]...); l < 1 {
				t.Fatalf("Line(%v) = %d", path[:i], l)
			}
			if l := d.ValueLine(path[:i]...); l < 1 {
				t.Fatalf("ValueLine(%v) = %d", path[:i], l)
			}
			d.Keys(path[:i]...)
		}
		budget := 500
		var visit func(n *yaml.Node, at []any)
		visit = func(n *yaml.Node, at []any) {
			if budget--; budget < 0 || n == nil {
				return
			}
			if d.Node(at...) == nil || d.Line(at...) < 1 {
				t.Fatalf("path %v exists but Node/Line miss it", at)
			}
			switch n.Kind {
			case yaml.MappingNode:
				// Distinct keys may share a Value (1 and "1", or complex
				// keys); a path names only the first of them.
				seen := map[string]bool{}
				for i := 0; i+1 < len(n.Content); i += 2 {
					if key := n.Content[i].Value; !seen[key] {
						seen[key] = true
						visit(n.Content[i+1], append(slices.Clip(at), key))
					}
				}
			case yaml.SequenceNode:
				for i, item := range n.Content {
					visit(item, append(slices.Clip(at), i))
				}
			}
		}
		visit(d.Node(), nil)
	})
}
