package bot

import "testing"

// TestJapaneseEscalationPhrasings checks that the Japanese escalation triggers
// catch everyday ways of saying each thing, not only the trigger phrases
// themselves: polite and casual forms, kana spellings, half-width katakana.
// The messages are hand-written; "that didn't help" is said after an answer.
func TestJapaneseEscalationPhrasings(t *testing.T) {
	e := testEngine(t)
	cases := []struct {
		trigger string
		reason  Reason
		text    string
	}{
		{"human_request", ReasonHumanRequested, "担当の人と話させてください"},
		{"human_request", ReasonHumanRequested, "人間のオペレーターに代わって"},
		{"human_request", ReasonHumanRequested, "生身の人と話がしたい"},
		{"human_request", ReasonHumanRequested, "スタッフさんに繋いでもらえますか"},
		{"human_request", ReasonHumanRequested, "誰か人間いませんか"},
		{"human_request", ReasonHumanRequested, "人と直接話したいです"},
		{"human_request", ReasonHumanRequested, "チャットじゃなくて電話で人と話したい"},
		{"human_request", ReasonHumanRequested, "有人対応に切り替えてください"},
		{"human_request", ReasonHumanRequested, "機械じゃ話にならない、人を出して"},
		{"human_request", ReasonHumanRequested, "ボットはもういいです、担当者を"},
		{"human_request", ReasonHumanRequested, "AIじゃなくて人間がいい"},
		{"human_request", ReasonHumanRequested, "責任者を出して"},
		{"human_request", ReasonHumanRequested, "上の人を呼んでください"},
		{"human_request", ReasonHumanRequested, "オペレーターさんをお願いします"},
		{"human_request", ReasonHumanRequested, "人間と会話したい"},
		{"human_request", ReasonHumanRequested, "係員に代わってください"},
		{"human_request", ReasonHumanRequested, "自動応答はいらないので人につないで"},
		{"human_request", ReasonHumanRequested, "にんげんとはなしたい"},
		{"human_request", ReasonHumanRequested, "ｵﾍﾟﾚｰﾀｰに代わって"},
		{"human_request", ReasonHumanRequested, "窓口の方と話したいです"},
		{"sensitive", ReasonSensitive, "アカウントが乗っ取られました"},
		{"sensitive", ReasonSensitive, "のっとられたかも"},
		{"sensitive", ReasonSensitive, "カードが不正に使われた"},
		{"sensitive", ReasonSensitive, "身に覚えのない請求があります"},
		{"sensitive", ReasonSensitive, "見覚えのない注文が入っている"},
		{"sensitive", ReasonSensitive, "注文した覚えがない商品が届いた"},
		{"sensitive", ReasonSensitive, "頼んでない注文がある"},
		{"sensitive", ReasonSensitive, "知らないうちに買い物されていた"},
		{"sensitive", ReasonSensitive, "勝手にカードで決済された"},
		{"sensitive", ReasonSensitive, "誰かが私のアカウントに入った"},
		{"sensitive", ReasonSensitive, "不正ログインされたみたい"},
		{"sensitive", ReasonSensitive, "ハッキングされました"},
		{"sensitive", ReasonSensitive, "パスワードが勝手に変えられた"},
		{"sensitive", ReasonSensitive, "心当たりのない引き落としがある"},
		{"sensitive", ReasonSensitive, "クレジットカードを盗まれた"},
		{"sensitive", ReasonSensitive, "フィッシング詐欺にあったかもしれない"},
		{"sensitive", ReasonSensitive, "個人情報が漏れているのでは"},
		{"sensitive", ReasonSensitive, "買った覚えのない商品の請求が来た"},
		{"legal", ReasonSensitive, "弁護士に相談します"},
		{"legal", ReasonSensitive, "訴えますよ"},
		{"legal", ReasonSensitive, "裁判を起こす"},
		{"legal", ReasonSensitive, "法的手段を取ります"},
		{"legal", ReasonSensitive, "消費者センターに通報します"},
		{"legal", ReasonSensitive, "消費者庁に報告します"},
		{"legal", ReasonSensitive, "警察に届けます"},
		{"legal", ReasonSensitive, "出るところに出ますよ"},
		{"legal", ReasonSensitive, "訴訟を検討しています"},
		{"legal", ReasonSensitive, "国民生活センターに相談します"},
		{"legal", ReasonSensitive, "少額訴訟を起こします"},
		{"legal", ReasonSensitive, "法律違反ではないですか"},
		{"anger", ReasonComplaint, "ふざけないでください"},
		{"anger", ReasonComplaint, "いい加減にしてください"},
		{"anger", ReasonComplaint, "最低な対応だ"},
		{"anger", ReasonComplaint, "ふざけてるの？"},
		{"anger", ReasonComplaint, "何回同じことを言わせるんだ"},
		{"anger", ReasonComplaint, "もう我慢できない"},
		{"anger", ReasonComplaint, "本当に腹立たしい"},
		{"anger", ReasonComplaint, "ムカつく"},
		{"anger", ReasonComplaint, "頭に来ました"},
		{"anger", ReasonComplaint, "バカにしてるのか"},
		{"anger", ReasonComplaint, "話にならない"},
		{"anger", ReasonComplaint, "どうなってるんだ"},
		{"anger", ReasonComplaint, "最悪の店"},
		{"anger", ReasonComplaint, "二度と買わない"},
		{"anger", ReasonComplaint, "金返せ"},
		{"anger", ReasonComplaint, "うざい"},
		{"anger", ReasonComplaint, "クソみたいな対応"},
		{"anger", ReasonComplaint, "むかつく"},
		{"anger", ReasonComplaint, "キレそう"},
		{"anger", ReasonComplaint, "詐欺じゃないか"},
		{"not_helped", ReasonUnresolved, "それでは解決しません"},
		{"not_helped", ReasonUnresolved, "全然役に立たない"},
		{"not_helped", ReasonUnresolved, "意味がないです"},
		{"not_helped", ReasonUnresolved, "その方法は試しました"},
		{"not_helped", ReasonUnresolved, "やってみたけどダメでした"},
		{"not_helped", ReasonUnresolved, "言われた通りにしたけどできない"},
		{"not_helped", ReasonUnresolved, "答えになっていません"},
		{"not_helped", ReasonUnresolved, "聞いているのはそういうことではない"},
		{"not_helped", ReasonUnresolved, "それは知っています"},
		{"not_helped", ReasonUnresolved, "まだ解決していません"},
		{"not_helped", ReasonUnresolved, "その回答じゃ困ります"},
		{"not_helped", ReasonUnresolved, "質問の答えになってない"},
		{"not_helped", ReasonUnresolved, "うまくいきませんでした"},
		{"not_helped", ReasonUnresolved, "やっぱりだめです"},
		{"not_helped", ReasonUnresolved, "それは違います"},
		{"multi_issue", ReasonMultiIssue, "商品が壊れていて、それと返金もしてほしい"},
		{"multi_issue", ReasonMultiIssue, "荷物が届かないし、あと請求も二重になってる"},
		{"multi_issue", ReasonMultiIssue, "返品したいです。また、住所も変更したい"},
		{"multi_issue", ReasonMultiIssue, "パスワードを忘れました。ついでに返品もしたいです"},
		{"multi_issue", ReasonMultiIssue, "注文をキャンセルしたい。加えて領収書も欲しい"},
		{"multi_issue", ReasonMultiIssue, "配送が遅れているうえに、商品も間違っていた"},
		{"multi_issue", ReasonMultiIssue, "キャンセルしたいのと、別件で請求書について"},
		{"multi_issue", ReasonMultiIssue, "届かない件と、返金の件、二つあります"},
		{"human_request", ReasonHumanRequested, "できれば人間の方に対応してほしいです"},
		{"human_request", ReasonHumanRequested, "オペレーターを呼んでもらえますか"},
		{"human_request", ReasonHumanRequested, "担当者から電話をもらいたい"},
		{"human_request", ReasonHumanRequested, "人の対応をお願いできますか"},
		{"human_request", ReasonHumanRequested, "ロボットとじゃ話が進まないので人に代わって"},
		{"human_request", ReasonHumanRequested, "スタッフの方に直接説明したい"},
		{"sensitive", ReasonSensitive, "クレジットカードの明細に知らない請求がありました"},
		{"sensitive", ReasonSensitive, "私のアカウントで誰かが買い物をしたようです"},
		{"sensitive", ReasonSensitive, "ログイン履歴に見知らぬ端末が出てきます"},
		{"sensitive", ReasonSensitive, "アカウントを乗っ取られて住所が変えられています"},
		{"sensitive", ReasonSensitive, "不正利用されているかもしれません"},
		{"sensitive", ReasonSensitive, "身に覚えがない注文メールが来ました"},
		{"legal", ReasonSensitive, "これ以上対応しないなら弁護士を立てます"},
		{"legal", ReasonSensitive, "法的な手続きに進みます"},
		{"legal", ReasonSensitive, "消費生活センターに相談するつもりです"},
		{"legal", ReasonSensitive, "訴訟も考えています"},
		{"legal", ReasonSensitive, "警察に相談します"},
		{"anger", ReasonComplaint, "ふざけた対応ですね"},
		{"anger", ReasonComplaint, "いいかげんにしてくれ"},
		{"anger", ReasonComplaint, "本当に最低です"},
		{"anger", ReasonComplaint, "ムカついています"},
		{"anger", ReasonComplaint, "何度言ったらわかるんですか"},
		{"anger", ReasonComplaint, "ばかにするのもいい加減にしろ"},
		{"not_helped", ReasonUnresolved, "答えになってないです"},
		{"not_helped", ReasonUnresolved, "言われたとおりにやってもできません"},
		{"not_helped", ReasonUnresolved, "それはもう試してみました"},
		{"not_helped", ReasonUnresolved, "全然解決できていません"},
		{"not_helped", ReasonUnresolved, "結局解決しませんでした"},
		{"multi_issue", ReasonMultiIssue, "商品が壊れていました。それと、請求書も発行してほしいです"},
		{"multi_issue", ReasonMultiIssue, "パスワードを忘れたのと、別件で住所も変更したい"},
		{"multi_issue", ReasonMultiIssue, "返金がまだです。あとは配送先の変更もお願いしたい"},
	}
	for _, c := range cases {
		t.Run(c.trigger+"/"+c.text, func(t *testing.T) {
			conv := e.NewConversation("t", Facts{Lang: "ja", SignedIn: true})
			if c.reason == ReasonUnresolved {
				if d := conv.Respond("注文をキャンセルしたいです"); d.Action != ActionAnswer {
					t.Fatalf("setup: got %s/%s, want an answer", d.Intent, d.Action)
				}
			}
			d := conv.Respond(c.text)
			if d.Action != ActionEscalate || d.Reason != c.reason {
				t.Errorf("%q: got %s/%s (intent %q, rules %v); want escalate/%s", c.text, d.Action, d.Reason, d.Intent, d.Explanation.Rules, c.reason)
			}
		})
	}
}
