package training

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTimeExpressions(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"You'll hear from me within 24 hours.", []string{"within 24 hours"}},
		{"It arrives in 3-5 business days", []string{"in 3-5 business days"}},
		{"I'll call by Friday", []string{"by Friday"}},
		{"明日中にご連絡いたします。", []string{"明日中"}},
		{"3営業日以内にお届けします", []string{"3営業日以内"}},
		{"I'm sorry about that", nil},
		{"the refund was issued", nil},
	}
	for _, tc := range cases {
		if got := timeExpressions(tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("timeExpressions(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func FuzzTimeExpressions(f *testing.F) {
	for _, s := range []string{"within 24 hours", "明日中に", "by the end of the week", "9時から18時まで", "a", "in 2 or 3 days", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, e := range timeExpressions(s) {
			if !strings.Contains(s, e) || e == "" {
				t.Fatalf("expression %q is not in %q", e, s)
			}
		}
		out := withTimePlaceholder(s)
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("placeholder broke UTF-8: %q", out)
		}
	})
}
