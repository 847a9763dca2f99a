package yamlfile

import (
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Doc is a decoded file kept as a node tree too, so semantic checks that run
// after decoding can point at the line of the value they reject.
type Doc struct {
	Name string
	// root is the document's top node (a mapping in every tsunagu file), or
	// nil for a document without content.
	root *yaml.Node
}

// DecodeDoc decodes data strictly into v, exactly as Decode does, and also
// returns the file's node tree for line look-ups. yaml.v3's Node.Decode
// cannot refuse unknown fields, so the file is parsed twice; the defences
// (size, UTF-8, depth) run once.
func DecodeDoc(name string, data []byte, v any) (*Doc, error) {
	if err := check(name, data); err != nil {
		return nil, err
	}
	// The node tree is read beside the values (on another core when
	// there is one): a large rules file loads in half the time.
	var root yaml.Node
	rootErr := make(chan error, 1)
	go func() { rootErr <- decodeChecked(name, data, &root) }()
	err := decodeChecked(name, data, v)
	if rerr := <-rootErr; err == nil {
		err = rerr
	}
	if err != nil {
		return nil, err
	}
	return NewDoc(name, &root), nil
}

// DecodeTrustedDoc is DecodeDoc for a file compiled into the program, whose
// tests decode it with DecodeDoc: it reads the text once, into the node
// tree, and decodes the values from that tree, which takes about half the
// time. Unknown keys are not reported.
func DecodeTrustedDoc(name string, data []byte, v any) (*Doc, error) {
	if err := check(name, data); err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := decodeChecked(name, data, &root); err != nil {
		return nil, err
	}
	if err := decodeNode(&root, v); err != nil {
		return nil, &Error{Name: name, Problems: problemsOf(err)}
	}
	return NewDoc(name, &root), nil
}

// decodeNode decodes a node tree into v, turning a panic into an error.
func decodeNode(root *yaml.Node, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the file could not be decoded (%v)", r)
		}
	}()
	return root.Decode(v)
}

// NewDoc wraps an already decoded node tree (a document node or its top
// node) called name.
func NewDoc(name string, root *yaml.Node) *Doc {
	if root != nil && root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			root = nil
		} else {
			root = root.Content[0]
		}
	}
	return &Doc{Name: name, root: root}
}

// Node returns the node at path: a string steps into a mapping's value by
// key, an int into a sequence's item by index. It returns nil when any step
// is absent. Aliases are followed; the empty path is the top node.
func (d *Doc) Node(path ...any) *yaml.Node {
	n, _, complete := d.walk(path)
	if !complete || n == nil {
		return nil
	}
	return resolve(n)
}

// Line returns the 1-based line of path: the key's line for a mapping
// entry, the item's line for a sequence item. When path is absent it falls
// back to the line of the deepest step found, so a problem always points
// somewhere useful; the first line at worst.
func (d *Doc) Line(path ...any) int {
	_, line, _ := d.walk(path)
	return max(line, 1)
}

// ValueLine returns the 1-based line where the value at path starts. It
// differs from Line only for a mapping entry whose value starts on a later
// line, such as a block mapping or sequence: ValueLine points at its first
// entry, Line at its key. When path is absent it falls back to the deepest
// node found; the first line at worst.
func (d *Doc) ValueLine(path ...any) int {
	n, _, _ := d.walk(path)
	if n == nil {
		return 1
	}
	return max(n.Line, 1)
}

// Keys returns the keys of the mapping at path in file order, or nil when
// path is absent, not a mapping or empty.
func (d *Doc) Keys(path ...any) []string {
	n := d.Node(path...)
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		return nil
	}
	keys := make([]string, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		keys = append(keys, n.Content[i].Value)
	}
	return keys
}

// walk follows path as far as it exists. It returns the deepest node
// reached (an alias as written, not resolved), the line of the deepest step
// taken (the top node's line for none) and whether every step was found.
func (d *Doc) walk(path []any) (n *yaml.Node, line int, complete bool) {
	n = d.root
	if n == nil {
		return nil, 1, len(path) == 0
	}
	line = n.Line
	for _, step := range path {
		from := resolve(n)
		var next *yaml.Node
		switch s := step.(type) {
		case string:
			if from.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(from.Content); i += 2 {
					if from.Content[i].Value == s {
						line, next = from.Content[i].Line, from.Content[i+1]
						break
					}
				}
			}
		case int:
			if from.Kind == yaml.SequenceNode && s >= 0 && s < len(from.Content) {
				next = from.Content[s]
				line = next.Line
			}
		}
		if next == nil {
			return n, line, false
		}
		n = next
	}
	return n, line, true
}

// resolve follows an alias to its anchored node.
func resolve(n *yaml.Node) *yaml.Node {
	// yaml.v3 never builds an alias of an alias, but a hand-built tree
	// could hold a cycle; the bound keeps it from spinning.
	for range 8 {
		if n.Kind != yaml.AliasNode || n.Alias == nil {
			break
		}
		n = n.Alias
	}
	return n
}

// Lines returns every problem in err as "NAME:LINE: message", one per
// entry; nil for no error. An error that is not an *Error (an I/O error,
// say) is reported at line 1 of name.
func Lines(name string, err error) []string {
	if err == nil {
		return nil
	}
	var ye *Error
	if errors.As(err, &ye) {
		return ye.Lines()
	}
	return []string{fmt.Sprintf("%s:1: %s", name, err)}
}
