package bot

import (
	"runtime"
	"slices"
	"testing"
	"time"
)

// benchMessages are a mix of English and Japanese messages of everyday
// length, hand-written (not from any measuring set).
var benchMessages = []string{
	"where is my order?",
	"I want to cancel the order I placed yesterday, it hasn't shipped yet",
	"how do i deleet my acount",
	"my parcel never arrived and also I was charged twice",
	"can I get an invoice for order 250-1234567-1234567",
	"what's the weather like in Osaka tomorrow",
	"I'd like to speak to a real person please",
	"注文した商品がまだ届きません",
	"返品したいのですが、どうすればいいですか",
	"パスワードを忘れてログインできません",
	"領収書を発行してほしい",
	"ありがとうございました",
}

// runTimed calls f once per iteration over benchMessages, records each call's
// duration and reports the median and the 99th percentile.
func runTimed(b *testing.B, f func(string)) {
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		msg := benchMessages[i%len(benchMessages)]
		start := time.Now()
		f(msg)
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durations)
	pct := func(p float64) float64 {
		return float64(durations[int(p*float64(len(durations)-1))].Nanoseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}

// BenchmarkClassify scores one message with the default rules: normalising,
// patterns, triggers and the scorer.
func BenchmarkClassify(b *testing.B) {
	e := testEngine(b)
	runTimed(b, func(msg string) { e.Classify(msg, "en", "", false) })
}

// BenchmarkRespond is the whole decision for one message: classification with
// its explanation, slots, policy and the reply.
func BenchmarkRespond(b *testing.B) {
	e := testEngine(b)
	runTimed(b, func(msg string) {
		e.NewConversation("b", Facts{Lang: "en", SignedIn: true}).Respond(msg)
	})
}

// BenchmarkLoadDefaultRules is what a process does before the default
// rules can answer: parse the embedded rules and read the models trained at
// build time (here one after the other; a process reads them side by side),
// reporting the heap the loaded engine keeps.
func BenchmarkLoadDefaultRules(b *testing.B) {
	raw, err := rulesFS.ReadFile("rules/default.model")
	if err != nil {
		b.Fatal(err)
	}
	var heap uint64
	for b.Loop() {
		var before, after runtime.MemStats
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		r := DefaultRules()
		p, err := decodePrecomputed(raw)
		if err != nil {
			b.Fatal(err)
		}
		e := NewEngine(r)
		e.model, e.variants, e.clauses = p.intents, p.variants, p.clauses
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap = after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc)
		runtime.KeepAlive(e)
		b.StartTimer()
	}
	b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
}

// BenchmarkTrainRules is what --rules FILE costs: a rules file as large as
// the default one, trained at start.
func BenchmarkTrainRules(b *testing.B) {
	r, err := LoadRules("copy", append(DefaultRulesYAML(), "\n# a copy\n"...))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		NewEngine(r)
	}
}
