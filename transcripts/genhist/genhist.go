// Package genhist generates large, realistic, deterministic conversation
// histories (mixed Japanese and English support chats) for benchmarks and
// for trying the history commands on a big store. scripts/genhistory is its
// command; the transcripts benchmarks call it directly.
package genhist

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"tsunagu/transcripts"
)

// EntriesPerConversation is fixed so that N conversations hold exactly 10·N
// entries (100,000 conversations = 1,000,000 messages and events).
const EntriesPerConversation = 10

// Options shape a generated history.
type Options struct {
	Conversations int
	Seed          uint64
	Start         time.Time // the first conversation starts here; they are minutes apart
}

type topic struct {
	id           string
	ja, en       []string // customer openings
	jaBot, enBot []string
	jaOp, enOp   []string
}

var topics = []topic{
	{"delivery/not_arrived",
		[]string{"注文した%sがまだ届きません。", "%sの配達予定日を過ぎています。いつ届きますか？", "追跡番号を見ても%sが動いていないようです。", "Amazonで注文した%sが届かないのですが、trackingを確認できますか？"},
		[]string{"My %s hasn't arrived yet.", "The delivery date for my %s has passed. Where is it?", "Tracking for the %s hasn't moved in three days."},
		[]string{"ご不便をおかけして申し訳ございません。ご注文%sの配送状況を確認します。", "ご注文%sは配送業者に引き渡し済みです。明日までにお届け予定です。"},
		[]string{"Sorry about that. Let me check order %s.", "Order %s is with the courier and should arrive tomorrow."},
		[]string{"%sと申します。配送業者に確認したところ、本日中に再配達いたします。", "%sです。お待たせして申し訳ございません。配送状況を調査いたします。"},
		[]string{"Hi, I'm %s. I checked with the courier: it will be redelivered today.", "This is %s. Sorry for the wait, I'm chasing the courier now."}},
	{"returns/refund",
		[]string{"%sを返品したいです。", "届いた%sが壊れていました。返金してもらえますか？", "%sのサイズが合わないので返品・交換をお願いします。", "返品したいのですが、refundはいつになりますか？"},
		[]string{"I'd like to return the %s.", "The %s arrived broken. Can I get a refund?", "How long do refunds take for the %s?"},
		[]string{"返品のお手続きをご案内します。ご注文%sの返品ラベルを発行しました。", "返金は商品到着後3〜5営業日で反映されます（ご注文%s）。"},
		[]string{"I've started a return for order %s; the label is in your email.", "Refunds for order %s take 3-5 business days after we receive it."},
		[]string{"%sと申します。返金手続きを本日中に行い、3〜5営業日で反映されます。", "%sです。破損の件、大変申し訳ございません。新しい商品をお送りします。"},
		[]string{"I'm %s. I've issued the refund today; it shows in 3-5 business days.", "%s here. So sorry it arrived broken, a replacement ships today."}},
	{"account/login",
		[]string{"ログインできません。パスワードを忘れました。", "二段階認証のコードが届きません。", "アカウントがロックされてしまいました。%sを注文したいのに困っています。"},
		[]string{"I can't log in, I forgot my password.", "The two-factor code never arrives.", "My account is locked and I need to order the %s."},
		[]string{"パスワード再設定のリンクをお送りしました（受付番号%s）。", "確認コードを再送しました。届かない場合はお知らせください（受付番号%s）。"},
		[]string{"I've sent a password reset link (ticket %s).", "I've resent the code; tell me if it still doesn't arrive (ticket %s)."},
		[]string{"%sと申します。アカウントのロックを解除いたしました。", "%sです。本人確認が取れましたので、ロックを解除します。"},
		[]string{"I'm %s. I've unlocked your account.", "%s here. You're verified, so I've unlocked the account."}},
	{"billing/double_charge",
		[]string{"%sの代金が二重に請求されています。", "クレジットカードに同じ金額が2回請求されました。", "請求金額が%sの価格と違います。"},
		[]string{"I was charged twice for the %s.", "My card shows the same charge two times.", "The amount billed doesn't match the %s price."},
		[]string{"請求内容を確認します。ご注文%sの決済履歴をお調べします。", "ご注文%sの二重請求は仮売上で、数日で取り消されます。"},
		[]string{"Let me look at the payments for order %s.", "The second charge on order %s is a hold and will drop off in a few days."},
		[]string{"%sと申します。二重請求を確認しました。1件分を返金いたします。", "%sです。ご迷惑をおかけしました。差額を本日返金します。"},
		[]string{"I'm %s. I can see the double charge and I've refunded one of them.", "%s here. Sorry about this, the difference is refunded today."}},
	{"product/question",
		[]string{"%sは防水ですか？", "%sの保証期間を教えてください。", "%sの使い方がわかりません。説明書はありますか？"},
		[]string{"Is the %s waterproof?", "What's the warranty on the %s?", "How do I set up the %s?"},
		[]string{"商品ページの仕様をご案内します（ご注文%s）。", "保証期間は1年間です。ご注文%sの保証書はメールでお送りしました。"},
		[]string{"Here are the specs from the product page (order %s).", "The warranty is one year; the certificate for order %s is in your email."},
		[]string{"%sと申します。メーカーに確認し、詳しくご案内いたします。", "%sです。設定手順をお送りしますね。"},
		[]string{"I'm %s. I checked with the maker and here are the details.", "%s here. I'll walk you through the setup."}},
}

var (
	products  = []string{"ワイヤレスイヤホン", "電気ケトル", "ノートパソコン", "スニーカー", "加湿器", "コーヒーメーカー", "スマートウォッチ", "リュック", "wireless earbuds", "desk lamp", "USB-C charger", "yoga mat", "rice cooker", "bluetooth speaker"}
	namesJa   = [2][]string{{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田"}, {"花子", "太郎", "陽菜", "蓮", "結衣", "大翔", "さくら", "健"}}
	namesEn   = [2][]string{{"Emma", "Liam", "Olivia", "Noah", "Ava", "Mia", "Ken", "Yuki"}, {"Smith", "Johnson", "Brown", "Garcia", "Miller", "Wilson", "Lee", "Nguyen", "Sato"}}
	operators = []string{"田中", "山本", "Tanaka", "Kobayashi", "Sato", "Mori"}
	followJa  = []string{"ありがとうございます。", "まだ解決していません。担当者と話したいです。", "急いでいるので本日中に対応してほしいです。", "わかりました。よろしくお願いします。", "前にも問い合わせたのですが、また同じ問題です。"}
	followEn  = []string{"Thanks.", "That doesn't solve it. Can I talk to a person?", "I need this sorted today, please.", "OK, thank you.", "I already contacted you about this last week."}
	reasons   = []string{"complaint", "human_requested", "low_confidence", "policy", "repeat_contact"}
)

// Write writes opts.Conversations conversations as JSON Lines to w.
func Write(w io.Writer, opts Options) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	for i := range opts.Conversations {
		c := Conversation(rng, opts.Start, i)
		b, err := transcripts.EncodeJSON(c)
		if err != nil {
			return err
		}
		bw.Write(b)
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// Conversation builds conversation number i.
func Conversation(rng *rand.Rand, start time.Time, i int) transcripts.Conversation {
	ja := rng.IntN(10) < 6
	tp := pick(rng, topics)
	at := start.Add(time.Duration(i)*time.Minute + time.Duration(rng.IntN(60))*time.Second)
	names := namesEn
	if ja {
		names = namesJa
	}
	name := pick(rng, names[0]) + " " + pick(rng, names[1])
	order := fmt.Sprintf("%03d-%07d-%07d", 200+rng.IntN(800), rng.IntN(10_000_000), rng.IntN(10_000_000))
	product := pick(rng, products)
	lang := "en"
	if ja {
		lang = "ja"
	}
	c := transcripts.Conversation{
		ID: fmt.Sprintf("c%07d", i+1), StartedAt: at, Lang: lang,
		Customer: transcripts.Customer{Name: name, HasAccount: rng.IntN(4) != 0},
		OrderID:  order, Topic: tp.id, Channel: pick(rng, []string{"chat", "chat", "chat", "phone"}),
		Status: transcripts.StatusClosed,
	}
	t := at
	next := func() time.Time { t = t.Add(time.Duration(5+rng.IntN(90)) * time.Second); return t }
	say := func(role transcripts.Role, author, text string, meta *transcripts.Meta) {
		c.Entries = append(c.Entries, transcripts.Entry{At: next(), Role: role, Author: author, Text: text, Meta: meta})
	}
	event := func(ev transcripts.Event, meta *transcripts.Meta) {
		c.Entries = append(c.Entries, transcripts.Entry{At: next(), Role: transcripts.RoleSystem, Event: ev, Meta: meta})
	}
	opening, bot, opLines, follow := tp.en, tp.enBot, tp.enOp, followEn
	if ja {
		opening, bot, opLines, follow = tp.ja, tp.jaBot, tp.jaOp, followJa
	}
	fill := func(tmpl, arg string) string {
		if strings.Contains(tmpl, "%s") {
			return fmt.Sprintf(tmpl, arg)
		}
		return tmpl
	}
	botMeta := func() *transcripts.Meta {
		return &transcripts.Meta{Intent: strings.ReplaceAll(tp.id, "/", "_"), Action: "answer",
			Confidence: float64(60+rng.IntN(40)) / 100, Rules: []string{tp.id + "#" + fmt.Sprint(1+rng.IntN(5))}}
	}
	first := fill(pick(rng, opening), product)
	if rng.IntN(1000) == 0 { // now and then a customer types a card number; import masks it
		first += " カード番号は4111 1111 1111 1111です。"
	}
	say(transcripts.RoleCustomer, name, first, nil)
	say(transcripts.RoleBot, "", fill(pick(rng, bot), order), botMeta())
	if rng.IntN(10) < 3 {
		op := pick(rng, operators)
		say(transcripts.RoleCustomer, name, pick(rng, follow), nil)
		event(transcripts.EventEscalated, &transcripts.Meta{Reason: pick(rng, reasons), Operator: op,
			Packet: []byte(fmt.Sprintf(`{"topic":%q,"order_id":%q,"summary":%q}`, tp.id, order, first))})
		event(transcripts.EventQueue, &transcripts.Meta{QueuePosition: 1 + rng.IntN(6)})
		event(transcripts.EventOperatorJoined, &transcripts.Meta{Operator: op, OperatorID: "op-" + strings.ToLower(op)})
		say(transcripts.RoleOperator, op, fill(pick(rng, opLines), op), &transcripts.Meta{OperatorID: "op-" + strings.ToLower(op)})
		say(transcripts.RoleCustomer, name, pick(rng, follow), nil)
		event(transcripts.EventRating, &transcripts.Meta{Rating: 1 + rng.IntN(5)})
	} else {
		for range 3 {
			say(transcripts.RoleCustomer, name, pick(rng, follow), nil)
			say(transcripts.RoleBot, "", fill(pick(rng, bot), order), botMeta())
		}
		event(transcripts.EventRating, &transcripts.Meta{Rating: 1 + rng.IntN(5)})
	}
	event(transcripts.EventClosed, nil)
	return c
}
