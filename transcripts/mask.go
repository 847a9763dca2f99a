package transcripts

import "unicode"

// MaskCards replaces every payment card number in s with asterisks, keeping
// the last 4 digits and the separators as typed, together with a CVV or an
// expiry date written next to it: "4111 1111 1111 1111 12/27 123" becomes
// "**** **** **** 1111 **/** ***". See MaskCardDetails.
func MaskCards(s string) string {
	masked, _ := MaskCardDetails(s)
	return masked
}

// MaskCardDetails is MaskCards that also says whether it found a card
// number, so a caller (the chat) can tell the customer once that card
// details are not needed in chat. Every stored text goes through it.
//
// A card is 13 to 19 digits (ASCII or full-width) that pass the Luhn check
// and start with a card network prefix (Visa, Mastercard, Amex, Discover,
// JCB, Diners, UnionPay), either unbroken or in the groups cards are printed
// in (4-4-4-4, 4-4-4-4-3, 4-4-4-1, 8-8, 4-6-5, 4-6-4). Between groups may
// stand up to four separators, in any mix, as people type and pastes bring
// them: any Unicode space (no-break, ideographic, thin…), tab, newline,
// dot, any dash or minus, and the invisible zero-width characters. So phone
// numbers, order ids such as 123-1234567-1234567, Luhn-valid numbers
// without a card prefix and Luhn-invalid numbers are left alone.
//
// Next to a card (before or after it, with no other digits between and at
// most 24 other characters), up to two of these are masked too: an expiry
// date (MM/YY, MM/YYYY, YYYY/MM with / - or .) and a CVV (3 or 4 digits on
// their own).
//
// Masking keeps every rune's position and is stable:
// MaskCards(MaskCards(s)) == MaskCards(s).
func MaskCardDetails(s string) (masked string, found bool) {
	if !hasEnoughDigits(s) {
		return s, false
	}
	runes := []rune(s)
	var cards []digitGroup // the spans masked, start of first group to end of last
	for i := 0; i < len(runes); {
		if digitValue(runes[i]) < 0 {
			i++
			continue
		}
		groups, end := scanDigitRun(runes, i)
		cards = append(cards, maskRun(runes, groups)...)
		i = end
	}
	if len(cards) == 0 {
		return s, false
	}
	inCard := make([]bool, len(runes))
	for _, c := range cards {
		for i := c.start; i < c.end; i++ {
			inCard[i] = true
		}
	}
	for _, c := range cards {
		maskBeside(runes, inCard, c.end, +1)
		maskBeside(runes, inCard, c.start-1, -1)
	}
	return string(runes), true
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

// isCardSeparator reports runes that may stand between the groups of a
// card number.
func isCardSeparator(r rune) bool {
	switch r {
	case '.', '\uff0e', '\u30fb', '\uff65', '\u00b7', // dots, katakana middle dots
		'\u2212', '\u30fc', '\uff70', // minus, prolonged sound marks
		'\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad': // invisible
		return true
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) || unicode.Is(unicode.Pd, r)
}

// maxSeparatorRun is how many separators may stand between two groups:
// enough for "  ", " - " and "\r\n\t", not enough to join unrelated lines.
const maxSeparatorRun = 4

// digitGroup is a maximal run of digits: runes[start:end].
type digitGroup struct{ start, end int }

// separatorRun returns the index after the separators starting at i, if
// there are 1 to maxSeparatorRun of them and a digit follows; else i.
func separatorRun(runes []rune, i int) int {
	j := i
	for j < len(runes) && j-i < maxSeparatorRun && isCardSeparator(runes[j]) {
		j++
	}
	if j > i && j < len(runes) && digitValue(runes[j]) >= 0 {
		return j
	}
	return i
}

// scanDigitRun reads digit groups joined by separator runs from start and
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
		next := separatorRun(runes, i)
		if next == i {
			return groups, i
		}
		i = next
	}
}

// maskRun masks the card numbers found in one run of digit groups: the whole
// run when it is a card, or else any span of groups printed like a card. It
// returns the spans masked. Spans of 16 or 15 digits, the usual lengths,
// are tried first, so that a CVV or expiry typed after a card is not taken
// for the end of a 19-digit one (whose last 4 digits would be kept).
func maskRun(runes []rune, groups []digitGroup) []digitGroup {
	var masked []digitGroup
	for from := 0; from < len(groups); {
		found := 0
		var tos []int
		for usual := range 2 {
			for to := len(groups); to > from; to-- {
				digits := 0
				for _, g := range groups[from:to] {
					digits += g.end - g.start
				}
				if (digits == 16 || digits == 15) == (usual == 0) {
					tos = append(tos, to)
				}
			}
		}
		for _, to := range tos {
			span := groups[from:to]
			if cardGrouping(span) && isCard(runes, span) {
				maskSpan(runes, span)
				masked = append(masked, digitGroup{span[0].start, span[len(span)-1].end})
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
	switch {
	case n == 1:
		return true
	case n == 3 && lens[0] == 4 && lens[1] == 6 && (lens[2] == 5 || lens[2] == 4):
		return true // Amex 4-6-5, Diners 4-6-4
	case n == 2 && lens[0] == 8 && lens[1] == 8:
		return true // 8-8, as some apps and statements print it
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

// --- CVV and expiry next to a card ---------------------------------------------

// besideWindow is how many other characters may stand between a card and
// its CVV or expiry date, or between those two.
const besideWindow = 24

// maskBeside masks up to two CVV or expiry tokens next to a card, reading
// from runes[i] in direction dir (+1 after the card, -1 before it). It stops
// at another card (inCard) or anything else that is not such a token.
func maskBeside(runes []rune, inCard []bool, i, dir int) {
	for range 2 {
		gap := 0
		for i >= 0 && i < len(runes) && digitValue(runes[i]) < 0 && !inCard[i] && runes[i] != '*' && gap < besideWindow {
			i += dir
			gap++
		}
		if i < 0 || i >= len(runes) || digitValue(runes[i]) < 0 || inCard[i] {
			return
		}
		start, end := tokenAround(runes, i)
		for j := start; j < end; j++ {
			if inCard[j] {
				return
			}
		}
		if !isCVV(runes[start:end]) && !isExpiry(runes[start:end]) {
			return
		}
		for j := start; j < end; j++ {
			if digitValue(runes[j]) >= 0 {
				runes[j] = '*'
			}
		}
		if dir > 0 {
			i = end
		} else {
			i = start - 1
		}
	}
}

// tokenAround returns the extent of the number token holding runes[i]:
// digits joined by single / - . characters.
func tokenAround(runes []rune, i int) (start, end int) {
	joins := func(j int) bool {
		switch runes[j] {
		case '/', '\uff0f', '-', '.', '\uff0d', '\uff0e':
			return true
		}
		return false
	}
	start, end = i, i
	for start > 0 && (digitValue(runes[start-1]) >= 0 || start > 1 && joins(start-1) && digitValue(runes[start-2]) >= 0) {
		start--
	}
	for end < len(runes) && (digitValue(runes[end]) >= 0 || end+1 < len(runes) && joins(end) && digitValue(runes[end+1]) >= 0) {
		end++
	}
	return start, end
}

func isCVV(tok []rune) bool {
	if len(tok) < 3 || len(tok) > 4 {
		return false
	}
	for _, r := range tok {
		if digitValue(r) < 0 {
			return false
		}
	}
	return true
}

// isExpiry accepts MM/YY, MM/YYYY and YYYY/MM (month 1-12, one or two
// digits), joined by one / - or . character.
func isExpiry(tok []rune) bool {
	var parts [][]int
	cur := []int{}
	for _, r := range tok {
		if d := digitValue(r); d >= 0 {
			cur = append(cur, d)
			continue
		}
		parts = append(parts, cur)
		cur = []int{}
	}
	parts = append(parts, cur)
	if len(parts) != 2 {
		return false
	}
	month := func(p []int) bool {
		if len(p) < 1 || len(p) > 2 {
			return false
		}
		m := prefixNumber(p, len(p))
		return m >= 1 && m <= 12
	}
	year := func(p []int) bool { return len(p) == 2 || len(p) == 4 }
	return month(parts[0]) && year(parts[1]) || len(parts[0]) == 4 && month(parts[1])
}
