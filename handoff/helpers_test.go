package handoff

import (
	"fmt"
	"time"

	"tsunagu/bot"
)

// testKnowledge is a small playbook table standing in for the rules file.
var testKnowledge = StaticKnowledge{
	"get_refund": {
		"en": {Problem: "you're waiting on a refund for {order}", Needs: []string{FactOrderID, FactAmount},
			Steps:  says("I've checked the refund for {order}. It was approved today.", "It reaches your card in 3-5 business days."),
			Answer: says("Refunds reach your card 3-5 business days after approval.")},
		"ja": {Problem: "{order}の返金をお待ちの件", Needs: []string{FactOrderID, FactAmount},
			Steps:  says("{order}の返金を確認しました。本日承認されています。", "3〜5営業日でカードに反映されます。"),
			Answer: says("返金は承認から3〜5営業日でカードに反映されます。")},
	},
	"track_order": {
		"en": {Problem: "{order} hasn't arrived yet", Needs: []string{FactOrderID},
			Steps: says("{order} is with the carrier and arrives tomorrow.", "I've sent you the tracking link by email.")},
		"ja": {Problem: "{order}の商品が届いていない件", Needs: []string{FactOrderID},
			Steps: says("{order}は配送業者に引き渡し済みで、明日お届け予定です。", "追跡用のリンクをメールでお送りしました。")},
	},
	"account_security": {
		"en": {Problem: "someone may have used your account", Needs: []string{FactEmail, FactCustomer},
			Steps: says("I've locked the account and cancelled the unknown orders.", "Please set a new password from the link I've emailed you.")},
		"ja": {Problem: "アカウントが不正に使われた可能性がある件", Needs: []string{FactEmail, FactCustomer},
			Steps: says("アカウントを一時停止し、身に覚えのない注文をキャンセルしました。", "メールでお送りしたリンクから新しいパスワードを設定してください。")},
	},
	"complaint": {
		"en": {Problem: "you're unhappy with how {order} was handled", Needs: []string{FactOrderID, FactItem},
			Steps: says("I'm sorry this happened. I've logged your complaint with the delivery team.", "I've added a 500-yen coupon to your account.")},
		"ja": {Problem: "{order}の対応へのご不満の件", Needs: []string{FactOrderID, FactItem},
			Steps: says("ご不便をおかけして申し訳ございません。配送チームに報告しました。", "500円分のクーポンをアカウントに追加しました。")},
	},
}

// tokyo9am is a Monday 09:00 in Tokyo: the day shift is on, phone hours open.
func tokyo(day, hour, minute int) time.Time {
	loc, _ := time.LoadLocation("Asia/Tokyo")
	return time.Date(2026, 1, day, hour, minute, 0, 0, loc) // 2026-01-05 is a Monday
}

func refundPacket(lang string, withOrder bool) *Packet {
	f := Facts{Customer: Customer{ID: "c-001", Name: "Hanako Yamada"}, Topic: Topic{Category: "refunds", Intent: "get_refund"}}
	if withOrder {
		f.Order = &Order{ID: "123-4567890-1234567", Items: []string{"wireless earbuds"}, Status: "returned"}
	}
	text := "I returned the earbuds two weeks ago and still have no refund. I want a person."
	if lang == "ja" {
		text = "2週間前にイヤホンを返品しましたが、まだ返金されません。担当者と話したいです。"
	}
	return NewPacket(tokyo(5, 10, 0), "conv-1", bot.ReasonHumanRequested, lang, f,
		[]Decision{{Turn: 1, Intent: "get_refund", Confidence: 0.91, Action: bot.ActionEscalate, Reason: bot.ReasonHumanRequested, Note: "customer asked for a person"}},
		[]Line{{At: tokyo(5, 9, 59), Speaker: SpeakerCustomer, Text: text}}, testKnowledge)
}

// says turns finished sentences into a playbook's sayings for every status.
func says(texts ...string) []Say {
	out := make([]Say, len(texts))
	for i, t := range texts {
		out[i] = Say{Text: t}
	}
	return out
}

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }
