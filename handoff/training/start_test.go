package training

import "testing"

func TestEveryBuiltinReachesAPersonThroughTheRealBot(t *testing.T) {
	for _, sc := range Builtins() {
		for _, lang := range []string{"ja", "en"} {
			t.Run(sc.ID+"/"+lang, func(t *testing.T) {
				s := newTestSession(t, sc.ID, lang, 1)
				p := s.Packet()
				if p == nil || p.Reason == "" {
					t.Fatalf("no packet or reason: %+v", p)
				}
				t.Logf("reason=%s decisions=%d summary=%s", p.Reason, len(s.BotDecisions()), p.Summary[lang])
			})
		}
	}
}
