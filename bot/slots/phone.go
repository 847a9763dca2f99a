package slots

import (
	"strings"
)

// PhoneProblem says what is wrong with a phone number, so callers can react
// (e.g. focus the field) without parsing text.
type PhoneProblem int

// The ways a phone number can be wrong.
const (
	PhoneEmpty PhoneProblem = iota + 1
	PhoneBadCharacters
	PhoneNoAreaCode
	PhoneTooShort
	PhoneTooLong
	PhoneNotInUse
)

// PhoneError explains why a phone number was refused. Error() is one English
// sentence fit to show a customer; Message("ja") gives the Japanese one.
type PhoneError struct {
	Problem PhoneProblem
}

var phoneMessages = map[PhoneProblem][2]string{
	PhoneEmpty: {
		"Please enter a phone number, such as 090-1234-5678 or +81 90 1234 5678.",
		"電話番号を入力してください（例：090-1234-5678、+81 90 1234 5678）。",
	},
	PhoneBadCharacters: {
		"A phone number may only contain digits, spaces, hyphens, brackets and a leading +.",
		"電話番号には数字、スペース、ハイフン、かっこ、先頭の「+」だけを使えます。",
	},
	PhoneNoAreaCode: {
		"Please include the area code: a Japanese number starts with 0 (such as 03 or 090), or use +81.",
		"市外局番から入力してください。国内の番号は0から始まります（03、090など）。+81から始めることもできます。",
	},
	PhoneTooShort: {
		"That phone number is too short; please check the digits and include the area code.",
		"電話番号の桁数が足りません。市外局番を含めてご確認ください。",
	},
	PhoneTooLong: {
		"That phone number has too many digits; please check it.",
		"電話番号の桁数が多すぎます。ご確認ください。",
	},
	PhoneNotInUse: {
		"That does not look like a phone number we can call; please check the first digits.",
		"お電話できる番号ではないようです。先頭の数字をご確認ください。",
	},
}

func (e *PhoneError) Error() string { return phoneMessages[e.Problem][0] }

// Message returns the sentence in the given language ("ja" or anything else
// for English).
func (e *PhoneError) Message(lang string) string {
	if lang == "ja" {
		return phoneMessages[e.Problem][1]
	}
	return phoneMessages[e.Problem][0]
}

// ParsePhone validates a phone number typed by a customer and returns it in
// E.164 form, e.g. "+819012345678". Japanese domestic numbers (a leading 0 and
// 10 or 11 digits), +81 numbers and other E.164 numbers (+ and 8 to 15 digits)
// are accepted, with spaces, hyphens, dots and brackets as separators and
// full-width digits. The error is always a *PhoneError.
func ParsePhone(s string) (string, error) {
	s = strings.TrimSpace(fold(s))
	if s == "" {
		return "", &PhoneError{PhoneEmpty}
	}
	plus := false
	var digits []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == '+' && i == 0:
			plus = true
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return "", &PhoneError{PhoneBadCharacters}
		}
		if len(digits) > 20 {
			return "", &PhoneError{PhoneTooLong}
		}
	}
	d := string(digits)
	if plus {
		// An international prefix typed as +0... is not E.164.
		if strings.HasPrefix(d, "0") {
			return "", &PhoneError{PhoneNotInUse}
		}
		if strings.HasPrefix(d, "81") {
			national := d[2:]
			// "+81 (0)90 ..." is a common way to write it; drop the trunk 0.
			national = strings.TrimPrefix(national, "0")
			if err := checkJapaneseNational(national); err != nil {
				return "", err
			}
			return "+81" + national, nil
		}
		switch {
		case len(d) < 8:
			return "", &PhoneError{PhoneTooShort}
		case len(d) > 15:
			return "", &PhoneError{PhoneTooLong}
		}
		return "+" + d, nil
	}
	if !strings.HasPrefix(d, "0") {
		return "", &PhoneError{PhoneNoAreaCode}
	}
	if strings.HasPrefix(d, "00") {
		return "", &PhoneError{PhoneNotInUse}
	}
	national := d[1:]
	if err := checkJapaneseNational(national); err != nil {
		return "", err
	}
	return "+81" + national, nil
}

// checkJapaneseNational validates the digits after the trunk 0: 9 digits for
// landlines and 0120 numbers, 10 for mobiles (70/80/90), IP phones (50) and
// 0800 numbers.
func checkJapaneseNational(n string) error {
	if n == "" || n[0] == '0' {
		return &PhoneError{PhoneNotInUse}
	}
	want := 9
	switch {
	case strings.HasPrefix(n, "70"), strings.HasPrefix(n, "80"), strings.HasPrefix(n, "90"),
		strings.HasPrefix(n, "50"), strings.HasPrefix(n, "800"), strings.HasPrefix(n, "20"), strings.HasPrefix(n, "60"):
		want = 10
	}
	switch {
	case len(n) < want:
		return &PhoneError{PhoneTooShort}
	case len(n) > want:
		return &PhoneError{PhoneTooLong}
	}
	return nil
}

// FormatPhone renders an E.164 number from ParsePhone for people: Japanese
// numbers in the domestic hyphenated form ("090-1234-5678", "03-1234-5678",
// "0120-000-000"), others unchanged. Input that is not a +81 number is
// returned as it is.
func FormatPhone(e164 string) string {
	n, ok := strings.CutPrefix(e164, "+81")
	if !ok {
		return e164
	}
	d := "0" + n
	switch {
	case len(d) == 11 && (strings.HasPrefix(d, "0800")):
		return d[:4] + "-" + d[4:7] + "-" + d[7:]
	case len(d) == 11:
		return d[:3] + "-" + d[3:7] + "-" + d[7:]
	case len(d) == 10 && (strings.HasPrefix(d, "0120") || strings.HasPrefix(d, "0570")):
		return d[:4] + "-" + d[4:7] + "-" + d[7:]
	case len(d) == 10 && (strings.HasPrefix(d, "03") || strings.HasPrefix(d, "06")):
		return d[:2] + "-" + d[2:6] + "-" + d[6:]
	case len(d) == 10:
		return d[:3] + "-" + d[3:6] + "-" + d[6:]
	}
	return e164
}
