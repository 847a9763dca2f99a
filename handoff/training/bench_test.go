package training

import (
	"testing"

	"tsunagu/bot"
	"tsunagu/handoff"
)

// BenchmarkRead measures reading one trainee line against a scenario's cues
// (what every reply costs).
func BenchmarkRead(b *testing.B) {
	sc := Builtins()[0]
	p := handoff.NewPacket(testStart, "c", bot.ReasonComplaint, "en",
		handoff.Facts{Order: &handoff.Order{ID: "250-1234567-1234567", Items: []string{"Earbuds"}}}, nil, nil, nil)
	line := "Hi, I've read your conversation with our assistant; I'm sorry for the wait. I've checked the carrier tracking and opened a trace."
	b.ReportAllocs()
	for b.Loop() {
		Read(line, "en", p, sc)
	}
}

// BenchmarkLoadBuiltins measures parsing and validating every built-in scenario.
func BenchmarkLoadBuiltins(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Builtins()
	}
}
