package bot

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
)

// requiredLiterals returns sets of strings such that every match of expr
// contains at least one string of each set, so a regexp is only run on text
// that could match. ok is false when no such set exists (e.g. the pattern
// can match without any literal). It keeps patterns cheap: most messages skip
// most regexps with a few substring checks.
func requiredLiterals(expr string) (sets [][]string, ok bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, false
	}
	re = re.Simplify()
	// A top-level sequence gives one set per part that has one ("get …
	// invoice" needs a verb and a noun); anything else gives one set.
	parts := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		parts = re.Sub
	}
	for _, part := range parts {
		lits, ok := required(part)
		if !ok || slices.ContainsFunc(lits, func(l string) bool { return len(l) < 2 }) {
			continue
		}
		sets = append(sets, lits)
	}
	return sets, len(sets) > 0
}

func required(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return []string{strings.ToLower(string(re.Rune))}, true
		}
		return []string{string(re.Rune)}, true
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
		return nil, false
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			l, ok := required(sub)
			if !ok {
				return nil, false
			}
			all = append(all, l...)
		}
		return all, true
	case syntax.OpConcat:
		// Prefer the child whose shortest literal is longest: the most
		// selective filter.
		var best []string
		bestLen := 0
		for _, sub := range re.Sub {
			l, ok := required(sub)
			if !ok {
				continue
			}
			m := len(l[0])
			for _, s := range l {
				m = min(m, len(s))
			}
			if m > bestLen {
				best, bestLen = l, m
			}
		}
		return best, best != nil
	}
	return nil, false
}

// filteredRegexp is a regexp with its literal prefilter.
type filteredRegexp struct {
	re   *regexp.Regexp
	sets [][]string // nil: always run
}

func (f filteredRegexp) find(text string) []int {
	for _, set := range f.sets {
		if !slices.ContainsFunc(set, func(l string) bool { return strings.Contains(text, l) }) {
			return nil
		}
	}
	return f.re.FindStringIndex(text)
}
