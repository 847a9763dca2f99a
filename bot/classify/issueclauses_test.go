package classify

import (
	"slices"
	"strings"
	"testing"
)

func TestIssueClauses(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"", nil},
		{"  ", nil},
		{"where is my order?", []string{"where is my order"}},
		{"My kettle is broken. Also, where is my refund for the shoes?", []string{"My kettle is broken", "where is my refund for the shoes"}},
		{"The earbuds arrived broken and I was also charged twice.", []string{"The earbuds arrived broken and I was", "charged twice"}},
		{"The delivery is late and on top of that the box was crushed", []string{"The delivery is late and", "the box was crushed"}},
		{"It's late. Plus, I was billed twice; besides that the invoice is wrong", []string{"It's late", "I was billed twice", "the invoice is wrong"}},
		{"My order never arrived, and my card was charged twice.", []string{"My order never arrived", "my card was charged twice"}},
		{"Two things: the box was empty", []string{"Two things", "the box was empty"}},
		// Words that only contain a joining word, prices, times and web
		// addresses stay whole.
		{"a plush toy also", []string{"a plush toy"}},
		{"I paid 3.50 at 10:30 on amazon.co.jp", []string{"I paid 3.50 at 10:30 on amazon.co.jp"}},
		{"The kettle, which I bought last week, leaks", []string{"The kettle, which I bought last week, leaks"}},
		{"ALSO my refund", []string{"my refund"}},
		{"cancel my Plus membership please", []string{"cancel my Plus membership please"}},
		{"it is late plus I was charged twice", []string{"it is late", "I was charged twice"}},
		// Japanese.
		{"二つ問題があります。荷物が届かないのと、二重請求されています", []string{"二つ問題があります", "荷物が届かない", "二重請求されています"}},
		{"荷物が遅れているうえに、二重に請求されています。", []string{"荷物が遅れている", "二重に請求されています"}},
		{"届いた靴のサイズが違いますし、会員プランが更新されていました", []string{"届いた靴のサイズが違います", "会員プランが更新されていました"}},
		{"ランプが割れて届きました。ついでに、割引コードも確認してください", []string{"ランプが割れて届きました", "割引コードも確認してください"}},
		{"ログインできません。あと、請求書が間違っています", []string{"ログインできません", "請求書が間違っています"}},
		{"返金はまだですか。また、新しい注文が発送されていません", []string{"返金はまだですか", "新しい注文が発送されていません"}},
		{"ケトルが壊れた。それと、返金は？", []string{"ケトルが壊れた", "返金は"}},
		{"届かない件と、返金の件、二つあります", []string{"届かない件", "返金の件", "二つあります"}},
		{"件", []string{"件"}},
		{"返金がまだです。あとは配送先の変更", []string{"返金がまだです", "配送先の変更"}},
		// Not joins: 「あとで」 (later), 「また」 inside a clause (again),
		// 「のとき」, 「机の上に」, 「それとも」 (or).
		{"あとで連絡します", []string{"あとで連絡します"}},
		{"荷物がまた届かない", []string{"荷物がまた届かない"}},
		{"届いたのとき、箱の上に置いた", []string{"届いたのとき、箱の上に置いた"}},
		{"交換それとも返金", []string{"交換それとも返金"}},
		{"荷物が届かない上に壊れていた", []string{"荷物が届かない", "壊れていた"}},
		{"充電できませんし、送料も請求されています", []string{"充電できません", "送料も請求されています"}},
	} {
		got := slices.Collect(IssueClauses(tc.text))
		if !slices.Equal(got, tc.want) {
			t.Errorf("IssueClauses(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestIssueClausesStop: a consumer that stops early is not called again.
func TestIssueClausesStop(t *testing.T) {
	n := 0
	for range IssueClauses("a. b. c. d") {
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Fatalf("got %d clauses after stopping at 2", n)
	}
}

// FuzzIssueClauses: any text splits without a panic into trimmed, non-empty
// substrings of the text, in order, and the same way twice. Seeds are in
// testdata/fuzz/FuzzIssueClauses.
func FuzzIssueClauses(f *testing.F) {
	f.Add("My kettle is broken. Also, where is my refund?")
	f.Add("荷物が届かないのと、二重請求されています")
	f.Fuzz(func(t *testing.T, text string) {
		got := slices.Collect(IssueClauses(text))
		if again := slices.Collect(IssueClauses(text)); !slices.Equal(got, again) {
			t.Fatalf("IssueClauses(%q) differs between two calls", text)
		}
		at := 0
		for _, c := range got {
			if c == "" || c != strings.Trim(c, " \t\r\n、,，:：") {
				t.Fatalf("IssueClauses(%q) yields %q: empty or untrimmed", text, c)
			}
			k := strings.Index(text[at:], c)
			if k < 0 {
				t.Fatalf("IssueClauses(%q) yields %q, not a substring after byte %d", text, c, at)
			}
			at += k + len(c)
		}
	})
}
