package transcripts

// MaskCards replaces every payment card number in s with asterisks, keeping
// the last 4 digits and the separators as typed:
// "4111 1111 1111 1111" becomes "**** **** **** 1111".
//
// A card is 13 to 19 digits (ASCII or full-width), either unbroken or in the
// groups cards are printed in (4-4-4-4, 4-4-4-4-3, 4-6-5, 4-6-4) separated by
// single spaces or dashes, that pass the Luhn check and start with a card
// network prefix (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay).
// So phone numbers, order ids such as 123-1234567-1234567, Luhn-valid numbers
// without a card prefix and Luhn-invalid numbers are left alone. Trainee
// scoring reuses this to spot a full card number asked for or given.
func MaskCards(s string) string {
	if !hasEnoughDigits(s) {
		return s
	}
	runes := []rune(s)
	changed := false
	for i := 0; i < len(runes); {
		if digitValue(runes[i]) < 0 {
			i++
			continue
		}
		groups, end := scanDigitRun(runes, i)
		if maskRun(runes, groups) {
			changed = true
		}
		i = end
	}
	if !changed {
		return s
	}
	return string(runes)
}

// hasEnoughDigits is a fast path: most texts have fewer than 13 digits.
func hasEnoughDigits(s string) bool {
	n := 0
	for _, r := range s {
		if digitValue(r) >= 0 {
			n++
			if n >= 13 {
				return true
			}
		}
	}
	return false
}

func digitValue(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '０' && r <= '９':
		return int(r - '０')
	}
	return -1
}

func isCardSeparator(r rune) bool {
	switch r {
	case ' ', '-', '\u3000', '\uff0d', '\u2010', '\u2011', '\u2012', '\u2013', '\u2212', '\u30fc':
		return true
	}
	return false
}

// digitGroup is a maximal run of digits: runes[start:end].
type digitGroup struct{ start, end int }

// scanDigitRun reads digit groups joined by single separators from start and
// returns them with the index after the run.
func scanDigitRun(runes []rune, start int) ([]digitGroup, int) {
	var groups []digitGroup
	i := start
	for {
		g := digitGroup{start: i}
		for i < len(runes) && digitValue(runes[i]) >= 0 {
			i++
		}
		g.end = i
		groups = append(groups, g)
		if i+1 < len(runes) && isCardSeparator(runes[i]) && digitValue(runes[i+1]) >= 0 {
			i++
			continue
		}
		return groups, i
	}
}

// maskRun masks the card numbers found in one run of digit groups: the whole
// run when it is a card, or else any span of groups printed like a card.
func maskRun(runes []rune, groups []digitGroup) bool {
	masked := false
	for from := 0; from < len(groups); {
		found := 0
		for to := len(groups); to > from; to-- {
			span := groups[from:to]
			if cardGrouping(span) && isCard(runes, span) {
				maskSpan(runes, span)
				masked = true
				found = to - from
				break
			}
		}
		if found == 0 {
			from++
		} else {
			from += found
		}
	}
	return masked
}

func cardGrouping(span []digitGroup) bool {
	n := len(span)
	lens := make([]int, n)
	total := 0
	for i, g := range span {
		lens[i] = g.end - g.start
		total += lens[i]
	}
	if total < 13 || total > 19 {
		return false
	}
	if n == 1 {
		return true
	}
	if n == 3 && lens[0] == 4 && lens[1] == 6 && (lens[2] == 5 || lens[2] == 4) {
		return true // Amex 4-6-5, Diners 4-6-4
	}
	for i, l := range lens {
		if i < n-1 && l != 4 {
			return false
		}
		if i == n-1 && (l < 1 || l > 4) {
			return false
		}
	}
	return true
}

func spanDigits(runes []rune, span []digitGroup) []int {
	var d []int
	for _, g := range span {
		for _, r := range runes[g.start:g.end] {
			d = append(d, digitValue(r))
		}
	}
	return d
}

func isCard(runes []rune, span []digitGroup) bool {
	d := spanDigits(runes, span)
	return luhnValid(d) && hasCardPrefix(d)
}

func luhnValid(d []int) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		v := d[i]
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

func prefixNumber(d []int, n int) int {
	v := 0
	for i := 0; i < n && i < len(d); i++ {
		v = v*10 + d[i]
	}
	return v
}

func hasCardPrefix(d []int) bool {
	p1, p2, p3, p4 := prefixNumber(d, 1), prefixNumber(d, 2), prefixNumber(d, 3), prefixNumber(d, 4)
	switch {
	case p1 == 4: // Visa
		return true
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720: // Mastercard
		return true
	case p2 == 34 || p2 == 37: // Amex
		return len(d) == 15
	case p4 == 6011, p2 == 65, p3 >= 644 && p3 <= 649: // Discover
		return true
	case p4 >= 3528 && p4 <= 3589: // JCB
		return true
	case p2 == 36, p2 == 38, p2 == 39, p3 >= 300 && p3 <= 305: // Diners
		return true
	case p2 == 62: // UnionPay
		return true
	}
	return false
}

func maskSpan(runes []rune, span []digitGroup) {
	keep := 4
	for gi := len(span) - 1; gi >= 0; gi-- {
		g := span[gi]
		for i := g.end - 1; i >= g.start; i-- {
			if keep > 0 {
				keep--
				continue
			}
			runes[i] = '*'
		}
	}
}
