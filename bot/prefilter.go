package bot

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// requiredLiterals returns strings of which every match of expr contains at
// least one, so a regexp is only run on text that could match. ok is false
// when no such set exists (e.g. the pattern can match without any literal).
// It keeps patterns cheap: most messages skip most regexps with a few
// substring checks.
func requiredLiterals(expr string) (lits []string, ok bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, false
	}
	lits, ok = required(re.Simplify())
	if !ok {
		return nil, false
	}
	for _, l := range lits {
		if len(l) < 2 {
			return nil, false
		}
	}
	return lits, true
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
	lits []string // nil: always run
}

func (f filteredRegexp) find(text string) []int {
	if f.lits != nil {
		hit := false
		for _, l := range f.lits {
			if strings.Contains(text, l) {
				hit = true
				break
			}
		}
		if !hit {
			return nil
		}
	}
	return f.re.FindStringIndex(text)
}
