package training

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// act is one trainee action in a scripted transcript.
type act struct {
	say      string
	transfer Team
	callback bool
	wait     time.Duration
	close    bool
}

func say(s string) act         { return act{say: s} }
func transfer(t Team) act      { return act{transfer: t} }
func wait(d time.Duration) act { return act{wait: d} }
func closeChat() act           { return act{close: true} }
func bookCallback() act        { return act{callback: true} }

// play runs a script through a session; once the customer has left or the
// chat was transferred, the remaining actions are refused with ErrEnded.
func play(t *testing.T, s *Session, script []act) {
	t.Helper()
	for _, a := range script {
		var err error
		switch {
		case a.say != "":
			_, err = s.Reply(a.say)
		case a.transfer != "":
			_, err = s.Transfer(a.transfer)
		case a.callback:
			_, err = s.BookCallback("")
		case a.wait > 0:
			s.Wait(a.wait)
		case a.close:
			err = s.Close()
		}
		if errors.Is(err, ErrEnded) {
			return
		}
		if err != nil {
			t.Fatalf("%+v: %v", a, err)
		}
	}
}

type transcriptCase struct {
	id, lang string
	good     []act
	poor     []act
	// critical lists the critical items the poor transcript must fail.
	critical []Item
}

var transcriptCases = []transcriptCase{
	{id: "parcel-not-arrived", lang: "en",
		good: []act{
			say("Hi Yumi, I'm Alex. I've read your conversation with our assistant: your wireless earbuds, order 250-1234567-1234567, were due yesterday. I'm sorry for the wait."),
			say("I've checked the carrier tracking: the parcel has not moved since the depot scan."),
			say("I've opened a trace with the carrier. If it isn't found within 2 days, we'll send a replacement at no cost."),
			closeChat()},
		poor:     []act{wait(2 * time.Minute), say("Hello, how can I help you today?"), say("What is your order number?"), say("You should have checked the tracking yourself."), closeChat()},
		critical: []Item{ItemReaskFact}},
	{id: "parcel-not-arrived", lang: "ja",
		good: []act{
			say("佐藤様、担当の山本です。アシスタントとのやり取りを拝見しました。ご注文のワイヤレスイヤホンが届いていない件ですね。お待たせしてしまい申し訳ございません。"),
			say("配送業者の追跡情報を確認したところ、3日前から更新が止まっております。"),
			say("配送業者に調査を依頼いたしました。2日以内に見つからない場合は、代わりの商品を無料で再送いたします。"),
			closeChat()},
		poor:     []act{say("お問い合わせありがとうございます。どのようなご用件でしょうか？"), say("注文番号を教えてください。"), closeChat()},
		critical: []Item{ItemReaskFact}},
	{id: "damaged-item-return", lang: "en",
		good: []act{
			say("Hello Mr Kato, I'm Alex. I've read your conversation with our assistant about the kettle with the cracked lid. I'm so sorry it arrived like that."),
			say("We will send you a new kettle as a replacement, free of charge."),
			say("A courier will collect the broken kettle from your home. The new kettle will arrive within 3 business days."),
			closeChat()},
		poor:     []act{say("What did you order?"), say("It's probably your fault, you should have checked the box."), closeChat()},
		critical: []Item{ItemReaskFact}},
	{id: "damaged-item-return", lang: "ja",
		good: []act{
			say("加藤様、担当の山本です。アシスタントとのやり取りを拝見しました。電気ケトルのふたが割れて届いた件ですね。ご不便をおかけして申し訳ございません。"),
			say("新しいケトルと無料で交換いたします。"),
			say("壊れたケトルは配送業者がご自宅まで引き取りに伺いますので、箱に入れてお待ちください。新しいケトルは3営業日以内にお届けします。"),
			closeChat()},
		poor:     []act{say("何をご注文されましたか？"), say("落ち着いてください。"), closeChat()},
		critical: []Item{ItemReaskFact}},
	{id: "refund-closed-card", lang: "en",
		good: []act{
			say("Hi Ken, I'm Alex. I've read your chat with our assistant: the refund for the running shoes, and the card that's now closed. I understand this is confusing, so let's take it one step at a time."),
			say("Your refund is approved: the shoes arrived back with us."),
			say("Because the card is closed, your card issuer will pass the money to your new card or bank account. It should show within 5 business days."),
			closeChat()},
		poor:     []act{say("Please give me your full card number so I can refund it."), say("It's your fault for closing the card."), closeChat()},
		critical: []Item{ItemCardData}},
	{id: "refund-closed-card", lang: "ja",
		good: []act{
			say("森様、担当の山本です。アシスタントとのやり取りを拝見しました。シューズの返金と、カードを解約された件の2点ですね。ご心配をおかけして申し訳ございません。"),
			say("返品されたシューズの返金は承認済みです。"),
			say("カードを解約されている場合は、カード会社から新しいカードや銀行口座へ返金されます。5営業日以内に反映される見込みです。"),
			closeChat()},
		poor:     []act{say("返金先のカード番号を教えてください。"), say("カードを解約したのはお客様の責任です。"), closeChat()},
		critical: []Item{ItemCardData}},
	{id: "hijacked-account", lang: "en",
		good: []act{
			say("Hi Aiko, I'm Alex. I've read your conversation with our assistant about the console order you didn't make. I'm sorry, that must be frightening."),
			say("I'm passing you to our security team now; they will lock your account and stop the order. Please never share your password with anyone, including us."),
			transfer(TeamSecurity)},
		poor:     []act{say("To verify you, please tell me your password."), say("I'll just cancel the order for you here."), closeChat()},
		critical: []Item{ItemCardData, ItemSensitiveCase}},
	{id: "hijacked-account", lang: "ja",
		good: []act{
			say("鈴木様、担当の山本です。アシスタントとのやり取りを拝見しました。身に覚えのないゲーム機の注文の件ですね。ご不安な思いをさせて申し訳ございません。"),
			say("これからセキュリティ担当におつなぎし、アカウントをロックして注文を止めます。パスワードは決して誰にもお伝えにならないでください。"),
			transfer(TeamSecurity)},
		poor:     []act{say("ご本人確認のため、パスワードを教えてください。"), say("こちらで注文をキャンセルしておきます。"), closeChat()},
		critical: []Item{ItemCardData, ItemSensitiveCase}},
	{id: "abusive-third-call", lang: "en",
		good: []act{
			say("Mr Yamada, I'm Alex. I've read your conversation with our assistant, and I can see this is the third time you've contacted us about the power bank refund. I'm sorry we let you down."),
			say("I'm passing this to my supervisor now, who will make sure the refund is paid within 2 business days."),
			transfer(TeamSupervisor)},
		poor:     []act{say("Calm down. What is your order number?"), say("I said calm down."), closeChat()},
		critical: []Item{ItemReaskFact}},
	{id: "abusive-third-call", lang: "ja",
		good: []act{
			say("山田様、担当の山本です。アシスタントとのやり取りを拝見しました。返金の件で3回目のお問い合わせとなってしまい、大変申し訳ございません。"),
			say("責任者に引き継ぎ、2営業日以内に返金が完了するよう手配いたします。"),
			transfer(TeamSupervisor)},
		poor:     []act{say("落ち着いてください。注文番号を教えてください。"), closeChat()},
		critical: []Item{ItemReaskFact}},
	{id: "native-japanese-operator", lang: "en",
		good: []act{
			say("Ms Ito, I'm Alex. I've read your conversation with our assistant about the wrong filter. I'm sorry the last chat went so badly."),
			say("A native Japanese operator is free in about 10 minutes, so it's a slightly longer wait. You won't have to repeat anything: they get the whole conversation."),
			transfer(TeamNativeJapanese)},
		poor:     []act{say("Sorry, there are no Japanese operators. I can't."), say("Please explain the problem again from the beginning."), closeChat()},
		critical: []Item{ItemReaskFact}},
	{id: "native-japanese-operator", lang: "ja",
		good: []act{
			say("伊藤様、担当の山本です。アシスタントとのやり取りを拝見しました。違うフィルターが届いた件ですね。前回は何度もご説明いただくことになり、申し訳ございません。"),
			say("日本語ネイティブの担当者は10分ほどお待ちいただくことになります。内容をすべて引き継ぎますので、最初から説明し直す必要はございません。"),
			transfer(TeamNativeJapanese)},
		poor:     []act{say("日本人の担当者はいません。できません。"), say("もう一度最初からご説明いただけますか？"), closeChat()},
		critical: []Item{ItemReaskFact}},
	{id: "callback-after-hours", lang: "en",
		good: []act{
			say("Hello Minh, I'm Alex. I read your chat with our assistant: you want to change the address for your chair, by phone."),
			say("Our phone hours are 9:00 to 18:00, so we cannot call now. I can book a call for tomorrow at 9:00 to 090-1234-5678."),
			bookCallback(),
			closeChat()},
		poor:     []act{say("What is your phone number?"), say("We cannot call you."), closeChat()},
		critical: []Item{ItemReaskFact}},
	{id: "callback-after-hours", lang: "ja",
		good: []act{
			say("グエン様、担当の山本です。アシスタントとのやり取りを拝見しました。いすのお届け先を変えたい件ですね。"),
			say("電話は9時から18時までです。明日の9時に090-1234-5678へお電話します。"),
			bookCallback(),
			closeChat()},
		poor:     []act{say("電話番号を教えてください。"), say("電話はできません。"), closeChat()},
		critical: []Item{ItemReaskFact}},
	{id: "cancel-membership", lang: "en",
		good: []act{
			say("Hi Naoko, I'm Alex. I've read your conversation with our assistant about the surprise membership fee. I'm sorry, I understand how annoying that is."),
			say("I've cancelled your membership. Your benefits end today."),
			say("As you haven't used any benefits this month, I'll refund the fee; it will show within 5 business days."),
			closeChat()},
		poor:     []act{say("Please give me your card number and CVV to check the charge."), say("I can't cancel it."), closeChat()},
		critical: []Item{ItemCardData}},
	{id: "cancel-membership", lang: "ja",
		good: []act{
			say("田中様、担当の山本です。アシスタントとのやり取りを拝見しました。予告なく会費が引き落とされた件ですね。ご不快な思いをさせて申し訳ございません。"),
			say("会員の解約を承りました。特典は本日で終了となります。"),
			say("今月は特典をご利用になっていないため、会費を返金いたします。5営業日以内に反映されます。"),
			closeChat()},
		poor:     []act{say("請求確認のためカード番号とセキュリティコードを教えてください。"), say("解約はできません。"), closeChat()},
		critical: []Item{ItemCardData}},
}

// TestGoodAndPoorTranscripts is the must-show: for every built-in scenario in
// both languages, a good transcript and a poor one go through the real bot
// and the real packet; the good one scores high with no critical failure and
// the customer satisfied, the poor one scores lower and fails exactly the
// critical items expected.
func TestGoodAndPoorTranscripts(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range transcriptCases {
		covered[tc.id+"/"+tc.lang] = true
		t.Run(tc.id+"/"+tc.lang, func(t *testing.T) {
			good := newTestSession(t, tc.id, tc.lang, 7)
			play(t, good, tc.good)
			gc := good.Scorecard()
			poor := newTestSession(t, tc.id, tc.lang, 7)
			play(t, poor, tc.poor)
			pc := poor.Scorecard()

			if gc.CriticalFailed {
				t.Errorf("good transcript failed a critical item: %+v", gc.Items[:3])
			}
			if !good.Resolved() {
				t.Errorf("good transcript did not resolve the case; steps done %v", good.StepsDone())
			}
			if gc.Total < 80 {
				t.Errorf("good transcript scored %.1f, want at least 80", gc.Total)
				for _, it := range gc.Items {
					t.Logf("  %s %.2f %s", it.Item, it.Score, it.Why)
				}
			}
			if pc.Total >= gc.Total || pc.Weighted >= gc.Weighted {
				t.Errorf("poor transcript scored %.1f (weighted %.1f), not below the good one's %.1f (%.1f)", pc.Total, pc.Weighted, gc.Total, gc.Weighted)
			}
			if good.Mood() <= poor.Mood() {
				t.Errorf("customer mood: good %d, poor %d; want good higher", good.Mood(), poor.Mood())
			}
			for _, it := range CriticalItems {
				r, _ := pc.Item(it)
				want := slices.Contains(tc.critical, it)
				if r.Failed != want {
					t.Errorf("poor transcript: critical %s failed=%v, want %v (%s)", it, r.Failed, want, r.Why)
				}
				if r.Failed && r.Quote == "" && it != ItemSensitiveCase {
					t.Errorf("critical %s gives no quote of the trainee's line", it)
				}
			}
		})
	}
	for _, sc := range Builtins() {
		for _, lang := range sc.Languages {
			if !covered[sc.ID+"/"+lang] {
				t.Errorf("built-in %s/%s has no good and poor transcript", sc.ID, lang)
			}
		}
	}
}
