package yamlfile

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

type sample struct {
	Name  string   `yaml:"name"`
	Count int      `yaml:"count"`
	Tags  []string `yaml:"tags"`
	Extra any      `yaml:"extra"`
	Inner struct {
		Level string `yaml:"level"`
	} `yaml:"inner"`
}

func deepFlow(n int) string {
	return "name: x\ntags: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n"
}

func deepBlock(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	return b.String()
}

const aliasBomb = `extra:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`

func TestDecodeRejectsHostileFiles(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		wantLine int
		wantText string
	}{
		{"alias bomb", aliasBomb, 1, "alias"},
		{"10,000-deep flow nesting", deepFlow(10000), 2, "nesting"},
		{"deep block nesting", deepBlock(200), MaxDepth + 1, "nesting"},
		{"10 MB file", "name: " + strings.Repeat("x", 10<<20) + "\n", 1, "limit"},
		{"duplicate keys", "name: a\ncount: 1\nname: b\n", 3, `"name" already defined`},
		{"invalid UTF-8", "name: ok\ntags:\n  - \xff\xfe\n", 3, "UTF-8"},
		{"wrong type", "name: a\ncount: many\n", 2, "cannot unmarshal"},
		{"unknown field", "name: a\ncolour: red\n", 2, "colour not found"},
		{"syntax error", "name: a\n  - b: [\n", 2, ""},
		{"empty file", "", 1, "empty"},
	}
	lineFormat := regexp.MustCompile(`^rules\.yaml:\d+: .+`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v sample
			err := Decode("rules.yaml", []byte(tt.data), &v)
			var ye *Error
			if !errors.As(err, &ye) {
				t.Fatalf("Decode = %v, want *Error", err)
			}
			for _, l := range ye.Lines() {
				if !lineFormat.MatchString(l) {
					t.Errorf("problem %q is not NAME:LINE: message", l)
				}
			}
			if got := ye.Problems[0].Line; got != tt.wantLine {
				t.Errorf("line = %d, want %d (%v)", got, tt.wantLine, err)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error %q does not mention %q", err, tt.wantText)
			}
		})
	}
}

func TestDecodeAcceptsValidFile(t *testing.T) {
	data := "# a comment with [brackets\nname: \"it's [fine]\"\ncount: 3\ntags: [a, b]\ninner:\n  level: native\n"
	var v sample
	if err := Decode("ok.yaml", []byte(data), &v); err != nil {
		t.Fatal(err)
	}
	if v.Name != "it's [fine]" || v.Count != 3 || len(v.Tags) != 2 || v.Inner.Level != "native" {
		t.Fatalf("decoded %+v", v)
	}
}

func TestEveryTypeErrorIsReported(t *testing.T) {
	var v sample
	err := Decode("f.yaml", []byte("name: a\ncount: x\ntags: 5\n"), &v)
	var ye *Error
	if !errors.As(err, &ye) || len(ye.Problems) != 2 {
		t.Fatalf("want two problems, got %v", err)
	}
	if ye.Problems[0].Line != 2 || ye.Problems[1].Line != 3 {
		t.Fatalf("lines = %d, %d, want 2, 3", ye.Problems[0].Line, ye.Problems[1].Line)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{aliasBomb, deepFlow(100), deepBlock(80), "name: a\ncount: 1\n", "name: [\n", "\xff", "a: &x *x\n", "- - - - a\n", "name: 'a\n  b'\n"} {
		f.Add([]byte(s))
	}
	lineFormat := regexp.MustCompile(`^f\.yaml:[1-9]\d*: `)
	f.Fuzz(func(t *testing.T, data []byte) {
		var v sample
		err := Decode("f.yaml", data, &v)
		if err == nil {
			return
		}
		var ye *Error
		if !errors.As(err, &ye) {
			t.Fatalf("error %v is not an *Error", err)
		}
		for _, l := range ye.Lines() {
			if !lineFormat.MatchString(l) {
				t.Fatalf("problem %q lacks NAME:LINE", l)
			}
		}
	})
}
