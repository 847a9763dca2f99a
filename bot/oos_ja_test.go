package bot

import "testing"

// TestJapaneseOutOfScope is the Japanese counterpart of the clinc-oos
// measure: hand-written messages that have nothing to do with the shop
// (weather, trivia, chit-chat) must mostly be declined with the topic menu
// rather than answered as if they were about an order.
func TestJapaneseOutOfScope(t *testing.T) {
	e := testEngine(t)
	messages := []string{
		"明日の東京の天気を教えて",
		"今日は雨が降りますか",
		"面白い冗談を言って",
		"おすすめの映画は何ですか",
		"カレーの作り方を教えてください",
		"今何時ですか",
		"富士山の高さはどれくらい",
		"日本の首都はどこですか",
		"好きな食べ物は何",
		"英語を日本語に翻訳して",
		"週末どこに遊びに行こうかな",
		"最近眠れなくて困っています",
		"猫と犬どっちが好き",
		"野球の試合の結果を知りたい",
		"株価はどうなっていますか",
		"おいしいラーメン屋を教えて",
		"近くの病院を探しています",
		"新幹線の時刻表を調べたい",
		"誕生日のメッセージを考えて",
		"数学の宿題を手伝って",
		"あなたは誰が作ったの",
		"人生の意味って何だろう",
		"歌を歌ってください",
		"京都のおすすめの観光地は",
		"ダイエットの方法を教えて",
		"車の免許を取りたい",
		"来週の旅行の準備をしています",
		"ピアノを習いたいです",
		"宝くじに当たる方法",
		"彼女へのプレゼントに悩んでいる",
		"円とドルの為替レートは",
		"占いをしてください",
		"クイズを出して",
		"しりとりしよう",
		"地震の情報を教えて",
		"花粉症がつらい",
		"仕事を辞めたい",
		"部屋の掃除が面倒くさい",
		"明日の朝ごはん何にしよう",
		"ポケモンで一番強いのは",
		"俳句を作って",
		"サッカーのワールドカップはいつ",
		"電車が遅れている",
		"今年の紅葉はいつ見頃ですか",
		"Pythonの勉強を始めたい",
		"江戸時代について教えて",
		"大阪までの行き方は",
		"雪だるまの作り方",
		"おならが止まらない",
		"月までの距離は",
	}
	declined := 0
	for _, m := range messages {
		d := e.NewConversation("t", Facts{Lang: "ja", SignedIn: true}).Respond(m)
		if d.Action == ActionClarify {
			declined++
			continue
		}
		t.Logf("answered %q as %s/%s", m, d.Intent, d.Action)
	}
	rate := float64(declined) / float64(len(messages))
	t.Logf("declined %d/%d = %.0f%%", declined, len(messages), 100*rate)
	if rate < 0.92 {
		t.Errorf("only %.0f%% of out-of-scope Japanese declined; want at least 92%%", 100*rate)
	}
}
