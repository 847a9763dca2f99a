package training

import (
	"strings"
	"testing"
	"time"
)

// TestLongFirstReplyOnPausedClock: on the paused clock the trainee's typing
// is free, so a complete, good first reply of about 424 characters (issue
// 13 saw one score 0/10 when every reply was charged 5 s + 0.25 s a
// character) gets full marks for time to first response, and the card says
// the clock was paused.
func TestLongFirstReplyOnPausedClock(t *testing.T) {
	cases := []struct {
		lang, first string
		minRunes    int
		rest        []act
		paused      string
	}{
		{"en", "Hi Yumi, I'm Alex from the support team, and I've read your whole conversation with our assistant, so there's no need to repeat anything. " +
			"Your wireless earbuds, order 250-1234567-1234567, were due yesterday and still haven't arrived, and I'm really sorry for the wait and the worry. " +
			"I've checked the carrier tracking: the parcel has not moved since the depot scan, so I'm opening a trace with the carrier right now for you.",
			400,
			[]act{say("If the carrier can't find it within 2 days, we'll send a replacement at no cost."), closeChat()},
			"The clock was paused while you typed"},
		{"ja", "佐藤様、お問い合わせありがとうございます。サポート担当の山本と申します。アシスタントとのやり取りはすべて拝見しましたので、同じご説明を繰り返していただく必要はございません。" +
			"ご注文のワイヤレスイヤホンが、お届け予定日の昨日を過ぎてもまだ届いていない件ですね。お待たせしてしまい、ご心配をおかけして本当に申し訳ございません。" +
			"配送業者の追跡情報を確認したところ、配送センターでの読み取りから更新が止まっております。これからすぐに配送業者へ調査を依頼いたしますので、少々お時間をいただけますでしょうか。" +
			"調査の結果はこのチャットでご連絡いたします。万が一見つからない場合でも、代わりの商品のお届けや返金など、佐藤様にご負担のない形で必ず対応いたしますので、どうぞご安心ください。" +
			"また、お届け先のご住所や受け取りのご都合に変更がございましたら、このままこちらでお伺いいたします。ほかにもご不明な点があれば、いつでもお気軽にお知らせください。",
			400,
			[]act{say("2日以内に見つからない場合は、代わりの商品を無料で再送いたします。"), closeChat()},
			"入力中は時計が止まっていました"},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			n := len([]rune(c.first))
			if n < c.minRunes || n > 440 {
				t.Fatalf("the first reply has %d characters; the case is about one of about 424", n)
			}
			if testing.Verbose() {
				t.Logf("%d characters", n)
			}
			s := newTestSession(t, "parcel-not-arrived", c.lang, 1)
			if !s.Paused() {
				t.Fatal("the test session should run on the paused clock")
			}
			play(t, s, append([]act{say(c.first)}, c.rest...))
			card := s.Scorecard()
			fr, ok := card.Item(ItemFirstResponse)
			if !ok {
				t.Fatal("the card has no first_response item")
			}
			if fr.Score < 0.9 {
				t.Errorf("first_response scored %.2f for a %d-character first reply on the paused clock (%s); want full or near-full marks",
					fr.Score, n, fr.Why)
			}
			if !strings.Contains(fr.Why, c.paused) {
				t.Errorf("the first_response item does not say the clock was paused: %q", fr.Why)
			}
			if card.FirstResponse > time.Minute {
				t.Errorf("first response measured as %s on the paused clock", card.FirstResponse)
			}
			if fr.Quote == "" {
				t.Errorf("the first_response item quotes nothing")
			}
		})
	}
}
