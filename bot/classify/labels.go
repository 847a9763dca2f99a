package classify

import (
	"errors"
	"fmt"
	"slices"

	"tsunagu/bot/yamlfile"
)

// labelFile is the YAML form of a label set:
//
//	labels:
//	  refund:
//	    en: ["I'd like my money back", ...]
//	    ja: ["返金してほしいです", ...]
//	  none:
//	    en: [...]
//	    ja: [...]
//
// Labels keep the file's order. Unknown keys are errors.
type labelFile struct {
	Labels map[string]*labelExamples `yaml:"labels"`
}

type labelExamples struct {
	EN []string `yaml:"en"`
	JA []string `yaml:"ja"`
}

// LoadLabels reads a label set from YAML (the contents of the file called
// name) through bot/yamlfile and trains a model on it. The file lists, under
// "labels:", each label with example texts per language ("en", "ja"). When
// opts.Labels is set, the file must define exactly those labels, so code that
// acts on a label cannot silently lose it; the model then orders them as
// opts.Labels does, and otherwise as the file does. Every problem is
// reported as "NAME:LINE: message".
func LoadLabels(name string, data []byte, opts Options) (*Model, error) {
	var f labelFile
	doc, err := yamlfile.DecodeDoc(name, data, &f)
	if err != nil {
		return nil, err
	}
	var problems []yamlfile.Problem
	bad := func(line int, format string, a ...any) {
		problems = append(problems, yamlfile.Problem{Line: line, Message: fmt.Sprintf(format, a...)})
	}
	order := doc.Keys("labels")
	if len(order) < 2 {
		bad(doc.Line("labels"), "a label set needs at least two labels under \"labels:\", one of them for the texts that are none of the others")
	}
	for _, want := range opts.Labels {
		if !slices.Contains(order, want) {
			bad(doc.Line("labels"), "label %q is missing; the program acts on it", want)
		}
	}
	var examples []Example
	var lines []int
	firstLabel := map[string]string{} // normalised text → the label it was first given
	for _, label := range order {
		if len(opts.Labels) > 0 && !slices.Contains(opts.Labels, label) {
			bad(doc.Line("labels", label), "unknown label %q; the labels are %v", label, opts.Labels)
			continue
		}
		ex := f.Labels[label]
		if ex == nil || len(ex.EN)+len(ex.JA) == 0 {
			bad(doc.Line("labels", label), "label %q has no examples", label)
			continue
		}
		for _, lang := range []string{"en", "ja"} {
			texts := ex.EN
			if lang == "ja" {
				texts = ex.JA
			}
			for i, text := range texts {
				line := doc.Line("labels", label, lang, i)
				n := Normalize(text)
				if n == "" {
					bad(line, "label %q (%s): example %d has no words", label, lang, i+1)
					continue
				}
				if other, ok := firstLabel[n]; ok && other != label {
					bad(line, "%q is an example of both %q and %q; keep it under one", text, other, label)
					continue
				}
				firstLabel[n] = label
				examples = append(examples, Example{Label: label, Text: text, Lang: lang})
				lines = append(lines, line)
			}
		}
	}
	if len(problems) > 0 {
		return nil, &yamlfile.Error{Name: name, Problems: problems}
	}
	if len(opts.Labels) == 0 {
		opts.Labels = order
	}
	m, err := Train(examples, opts)
	if err != nil {
		var ee *ExampleError
		if errors.As(err, &ee) {
			return nil, yamlfile.Errorf(name, lines[ee.Index], "%v", ee.Err)
		}
		return nil, yamlfile.Errorf(name, 1, "%v", err)
	}
	return m, nil
}

// MustLoadLabels is LoadLabels for a label set compiled into the program,
// whose tests prove it loads: it panics on a problem.
func MustLoadLabels(name string, data []byte, opts Options) *Model {
	m, err := LoadLabels(name, data, opts)
	if err != nil {
		panic(err)
	}
	return m
}
