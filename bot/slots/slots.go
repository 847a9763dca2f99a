// Package slots finds the facts a customer types into a support chat: order
// ids, phone numbers, email addresses and money amounts. It also validates and
// normalises phone numbers for the callback booking.
//
// The API is small and stable:
//
//   - Extract(text) returns every slot found in a message, in order of
//     appearance; Found.Map() gives the first of each kind under the slot names
//     used in rules replies ("order_id", "phone", "email", "amount").
//   - ParsePhone(s) validates one phone number as typed by a customer
//     (Japanese domestic such as 090-1234-5678 or 03-1234-5678, full-width
//     digits, or E.164 such as +81 90 1234 5678) and returns it in E.164 form
//     ("+819012345678"). Its error is a *PhoneError whose Error() is one
//     user-facing English sentence; Message("ja") gives the Japanese one.
//   - FormatPhone(e164) renders a normalised number for display, in the
//     domestic form for Japanese numbers.
//
// Input is folded with NFKC first, so full-width digits, the full-width yen sign
// and the dashes a Japanese IME produces are all understood.
package slots

import (
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Slot names, as used in rules replies ("{order_id}") and in Decision.Slots.
const (
	OrderID = "order_id"
	Phone   = "phone"
	Email   = "email"
	Amount  = "amount"
)

// Found holds every slot of one message, each list in order of appearance.
type Found struct {
	OrderIDs []string
	Phones   []string // E.164, e.g. "+819012345678"
	Emails   []string // lower-cased domain, local part kept as typed
	Amounts  []Money
}

// Map returns the first value of each kind keyed by slot name; kinds with no
// value are absent. It never returns nil.
func (f Found) Map() map[string]string {
	m := map[string]string{}
	if len(f.OrderIDs) > 0 {
		m[OrderID] = f.OrderIDs[0]
	}
	if len(f.Phones) > 0 {
		m[Phone] = f.Phones[0]
	}
	if len(f.Emails) > 0 {
		m[Email] = f.Emails[0]
	}
	if len(f.Amounts) > 0 {
		m[Amount] = f.Amounts[0].String()
	}
	return m
}

// Empty reports whether nothing was found.
func (f Found) Empty() bool {
	return len(f.OrderIDs) == 0 && len(f.Phones) == 0 && len(f.Emails) == 0 && len(f.Amounts) == 0
}

// dashes lists the characters customers (and IMEs) use as a hyphen between
// digits. NFKC leaves most of them alone, so they are mapped explicitly.
var dashReplacer = strings.NewReplacer(
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-",
	"\u2015", "-", "\u2212", "-", "\u30fc", "-", "\uff70", "-", "\u2043", "-",
)

// fold applies NFKC and maps dash look-alikes to '-'. The long-vowel mark
// (ー) is mapped too: only digit contexts are matched afterwards, so words
// keep their meaning for everything that matters here.
func fold(s string) string {
	return dashReplacer.Replace(norm.NFKC.String(s))
}

var (
	// The shop's order id: 3-7-7 digits. Also "#12345678" style references
	// after the word order / 注文.
	shopOrderRe = regexp.MustCompile(`(?:^|[^0-9-])([0-9]{3}-[0-9]{7}-[0-9]{7})(?:$|[^0-9-])`)
	refOrderRe  = regexp.MustCompile(`(?i)(?:order|注文)\s*(?:id|number|no\.?|num|#|番号)?\s*[:#]?\s*#?([A-Z0-9][A-Z0-9-]{4,23}[0-9])\b`)
	emailRe     = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	// A phone candidate: optional +, then digits with single separators.
	phoneCandRe = regexp.MustCompile(`\+?\(?[0-9]{1,4}\)?(?:[ .\-]?\(?[0-9]{1,5}\)?){1,5}`)
	// Amounts: ¥1,200 / 1,200円 / 1200 yen / $12.50 / 12.50 dollars / USD 12.
	yenPrefixRe    = regexp.MustCompile(`(?:¥|JPY\s?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)`)
	yenSuffixRe    = regexp.MustCompile(`(?i)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)\s?(?:円|yen\b|jpy\b)`)
	dollarPrefixRe = regexp.MustCompile(`(?:\$|USD\s?|US\$)([0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?|[0-9]+(?:\.[0-9]{1,2})?)`)
	dollarSuffixRe = regexp.MustCompile(`(?i)([0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?|[0-9]+(?:\.[0-9]{1,2})?)\s?(?:dollars?\b|usd\b|ドル)`)
)

type span struct{ start, end int }

func overlaps(spans []span, s, e int) bool {
	for _, sp := range spans {
		if s < sp.end && e > sp.start {
			return true
		}
	}
	return false
}

// Extract finds every slot in text. It never fails: text that holds nothing
// gives an empty Found.
func Extract(text string) Found {
	s := fold(text)
	var f Found
	var used []span

	for _, m := range shopOrderRe.FindAllStringSubmatchIndex(s, -1) {
		f.OrderIDs = append(f.OrderIDs, s[m[2]:m[3]])
		used = append(used, span{m[2], m[3]})
	}
	for _, m := range refOrderRe.FindAllStringSubmatchIndex(s, -1) {
		if overlaps(used, m[2], m[3]) {
			continue
		}
		f.OrderIDs = append(f.OrderIDs, strings.ToUpper(s[m[2]:m[3]]))
		used = append(used, span{m[2], m[3]})
	}
	for _, m := range emailRe.FindAllStringIndex(s, -1) {
		if overlaps(used, m[0], m[1]) {
			continue
		}
		f.Emails = append(f.Emails, normaliseEmail(s[m[0]:m[1]]))
		used = append(used, span{m[0], m[1]})
	}
	f.Amounts, used = extractAmounts(s, used)
	for _, m := range phoneCandRe.FindAllStringIndex(s, -1) {
		start, end := m[0], m[1]
		if overlaps(used, start, end) {
			continue
		}
		// A digit or letter glued to either side means this is part of
		// something longer (a card number, a product code).
		if start > 0 && isWordByte(s[start-1]) || end < len(s) && isWordByte(s[end]) {
			continue
		}
		if p, err := ParsePhone(s[start:end]); err == nil {
			f.Phones = append(f.Phones, p)
			used = append(used, span{start, end})
		}
	}
	return f
}

func isWordByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func normaliseEmail(e string) string {
	at := strings.LastIndexByte(e, '@')
	return e[:at] + "@" + strings.ToLower(e[at+1:])
}
