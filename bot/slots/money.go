package slots

import (
	"sort"
	"strconv"
	"strings"
)

// Currency is an ISO 4217 code. Only the two currencies the shop quotes are
// recognised.
type Currency string

// The recognised currencies.
const (
	JPY Currency = "JPY"
	USD Currency = "USD"
)

// Money is an amount in the currency's minor unit (yen for JPY, cents for
// USD), so it never suffers from floating-point rounding.
type Money struct {
	Currency Currency
	Minor    int64
}

// String renders the amount the way the shop writes it: "¥1,200", "$12.50".
func (m Money) String() string {
	switch m.Currency {
	case USD:
		return "$" + groupThousands(m.Minor/100) + "." + twoDigits(m.Minor%100)
	default:
		return "¥" + groupThousands(m.Minor)
	}
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// maxMinor caps amounts so that parsing never overflows; nobody asks a shop
// about a refund of more than a trillion yen.
const maxMinor = 1_000_000_000_000

// parseMinor turns "1,200" or "12.5" into minor units with the given number of
// decimals. ok is false for values out of range.
func parseMinor(text string, decimals int) (int64, bool) {
	text = strings.ReplaceAll(text, ",", "")
	whole, frac, _ := strings.Cut(text, ".")
	if len(whole) > 13 {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	var f int64
	if decimals > 0 {
		for len(frac) < decimals {
			frac += "0"
		}
		f, err = strconv.ParseInt(frac[:decimals], 10, 64)
		if err != nil {
			return 0, false
		}
		for range decimals {
			w *= 10
		}
	}
	v := w + f
	if v > maxMinor {
		return 0, false
	}
	return v, true
}

// extractAmounts finds money amounts in folded text, skipping spans already
// taken by other slots, and returns them in order of appearance.
func extractAmounts(s string, used []span) ([]Money, []span) {
	type hit struct {
		at int
		m  Money
	}
	var hits []hit
	add := func(cur Currency, decimals int, locs [][]int) {
		for _, loc := range locs {
			if overlaps(used, loc[0], loc[1]) {
				continue
			}
			v, ok := parseMinor(s[loc[2]:loc[3]], decimals)
			if !ok {
				continue
			}
			hits = append(hits, hit{loc[0], Money{cur, v}})
			used = append(used, span{loc[0], loc[1]})
		}
	}
	add(JPY, 0, yenPrefixRe.FindAllStringSubmatchIndex(s, -1))
	add(JPY, 0, yenSuffixRe.FindAllStringSubmatchIndex(s, -1))
	add(USD, 2, dollarPrefixRe.FindAllStringSubmatchIndex(s, -1))
	add(USD, 2, dollarSuffixRe.FindAllStringSubmatchIndex(s, -1))
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	var out []Money
	for _, h := range hits {
		out = append(out, h.m)
	}
	return out, used
}
