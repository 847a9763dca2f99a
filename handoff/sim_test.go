package handoff

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// TestInvariantsOverTenThousandChatsWithFaults runs the default pool with
// conversation modelling and high fault rates, and checks from the observed
// steps alone (not the engine's own counters) that nobody is asked for a fact
// the packet holds, every transfer carries the chat's packet, and no chat is
// lost or served twice.
func TestInvariantsOverTenThousandChatsWithFaults(t *testing.T) {
	type chatLog struct {
		packet    *Packet
		known     map[string]bool // facts the packet held, tracked from the outside
		serving   string          // operator now serving, "" if none
		ends      int             // resolve + abandon
		transfers int
		assigns   int
	}
	chats := map[uint64]*chatLog{}
	var violations []string
	fail := func(format string, a ...any) {
		if len(violations) < 10 {
			violations = append(violations, sprintf(format, a...))
		}
	}
	obs := func(ev ObsEvent) {
		c := chats[ev.Chat]
		switch ev.Kind {
		case ObsArrive:
			if c != nil {
				fail("chat %d arrived twice", ev.Chat)
			}
			c = &chatLog{packet: ev.Packet, known: map[string]bool{}}
			for _, f := range []string{FactOrderID, FactAmount, FactEmail, FactCustomer, FactItem} {
				if ev.Packet.Facts.Has(f) {
					c.known[f] = true
				}
			}
			chats[ev.Chat] = c
			return
		case ObsAssign:
			if c.serving != "" {
				fail("chat %d assigned to %s while %s serves it", ev.Chat, ev.Operator, c.serving)
			}
			if c.ends > 0 {
				fail("chat %d assigned after it ended", ev.Chat)
			}
			if ev.Packet != c.packet {
				fail("chat %d reached %s without its packet", ev.Chat, ev.Operator)
			}
			if n := len(c.packet.Transfers); n != c.transfers || (n > 0 && c.packet.Transfers[n-1].To != ev.Operator) {
				fail("chat %d: packet records %d transfers, observed %d", ev.Chat, n, c.transfers)
			}
			c.serving = ev.Operator
			c.assigns++
		case ObsAsk:
			if c.known[ev.Fact] || ev.HadFact {
				fail("chat %d: %s asked for %s, which the packet holds", ev.Chat, ev.Operator, ev.Fact)
			}
			// The simulated customer answers at once unless the line drops
			// first; either way a later ask of the same fact would be a
			// repeat only if the answer reached the packet.
		case ObsTransfer:
			if c.serving != ev.Operator {
				fail("chat %d transferred from %s, but %s serves it", ev.Chat, ev.Operator, c.serving)
			}
			if ev.Packet != c.packet || ev.Packet == nil {
				fail("chat %d transferred without its packet", ev.Chat)
			}
			c.serving = ""
			c.transfers++
		case ObsResolve:
			if c.serving == "" {
				fail("chat %d resolved while nobody served it", ev.Chat)
			}
			c.serving = ""
			c.ends++
		case ObsAbandon:
			if c.serving != "" || c.assigns > 0 {
				fail("chat %d abandoned after being answered", ev.Chat)
			}
			c.ends++
		}
		// Refresh the outside view of the facts from the packet's transcript:
		// a fact counts as held once the customer's answer is in the packet.
		if c != nil && c.packet != nil {
			for _, f := range []string{FactOrderID, FactAmount, FactEmail, FactCustomer, FactItem} {
				if c.packet.Facts.Has(f) && ev.Kind != ObsAsk {
					c.known[f] = true
				}
			}
		}
	}
	pool := DefaultPool()
	r, err := Simulate(SimConfig{Pool: pool, ArrivalsPerHour: 80, Duration: 7 * 24 * time.Hour, Seed: 3,
		Patience: 6 * time.Minute, Knowledge: testKnowledge, Intents: []string{"get_refund", "track_order", "account_security", "complaint"},
		NativeOnlyShare: 0.1, Faults: &Faults{LineFault: 0.15, Timeout: 0.1}, Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range violations {
		t.Error(v)
	}
	if len(chats) < 10000 {
		t.Fatalf("only %d chats simulated; the invariant needs at least 10,000", len(chats))
	}
	ended, inSystem, transfers := 0, 0, 0
	for id, c := range chats {
		switch {
		case c.ends == 1:
			ended++
		case c.ends == 0:
			inSystem++
		default:
			t.Errorf("chat %d ended %d times", id, c.ends)
		}
		transfers += c.transfers
	}
	if ended+inSystem != len(chats) || inSystem > 50 {
		t.Fatalf("%d chats: %d ended, %d still in the system at the end", len(chats), ended, inSystem)
	}
	if transfers < 1000 {
		t.Fatalf("only %d transfers: faults were not exercised", transfers)
	}
	if r.RepeatQuestions != 0 || r.Anomalies != 0 || r.Transfers != transfers {
		t.Fatalf("engine counters: repeats %d, anomalies %d, transfers %d (observed %d)", r.RepeatQuestions, r.Anomalies, r.Transfers, transfers)
	}
	t.Logf("%d chats, %d transfers, %d callbacks, %d abandoned", len(chats), transfers, r.Callbacks, r.Abandoned)
}

func TestSimulationIsDeterministicForASeed(t *testing.T) {
	run := func(seed uint64) Result {
		r, err := Simulate(SimConfig{Pool: DefaultPool(), ArrivalsPerHour: 40, Duration: 48 * time.Hour, Seed: seed,
			Patience: 5 * time.Minute, Knowledge: testKnowledge, Intents: []string{"get_refund", "track_order"}})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, b, c := run(11), run(11), run(12)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("same seed, different results:\n%+v\n%+v", a, b)
	}
	if reflect.DeepEqual(a, c) {
		t.Fatal("different seeds gave identical results")
	}
}

func TestPoolSimulationReportsEveryField(t *testing.T) {
	r, err := Simulate(SimConfig{Pool: DefaultPool(), ArrivalsPerHour: 40, Duration: 24 * time.Hour, Seed: 1, Patience: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	data, _ := json.Marshal(r)
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"offered", "answered", "abandoned", "wait_mean_s", "wait_p50_s", "wait_p90_s", "p_wait",
		"service_level", "utilisation", "transfers", "repeat_questions", "callbacks", "operators"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON output lacks %q", k)
		}
	}
	sl := m["service_level"].(map[string]any)
	for _, k := range []string{"20s", "60s", "120s"} {
		if _, ok := sl[k]; !ok {
			t.Errorf("service_level lacks %q", k)
		}
	}
	if r.Callbacks == 0 {
		t.Error("a day of the default pool books no callbacks")
	}
	if len(r.Operators) != len(DefaultPool().ChatOperators()) {
		t.Fatalf("%d per-operator rows, want one per chat operator", len(r.Operators))
	}
	for _, o := range r.Operators {
		if o.Utilisation <= 0 || o.Utilisation > 1 {
			t.Errorf("operator %s utilisation %v is outside (0, 1]", o.ID, o.Utilisation)
		}
	}
	if r.Offered != r.Answered+r.Abandoned+(r.InSystemAtEnd-(r.Answered-r.Resolved)) {
		t.Errorf("offered %d does not add up: %+v", r.Offered, r)
	}
	if !(r.WaitP50 <= r.WaitP90) || r.ServiceLevel["20s"] > r.ServiceLevel["60s"] || r.ServiceLevel["60s"] > r.ServiceLevel["120s"] {
		t.Errorf("percentiles or service levels out of order: %+v", r)
	}
}

func TestAbandonmentFollowsPatience(t *testing.T) {
	// An overloaded queue: the shorter the patience, the more give up.
	run := func(p time.Duration) Result {
		r, err := Simulate(SimConfig{Agents: 5, Handle: HandleTime{Dist: DistExp, Mean: 6 * time.Minute}, ArrivalsPerHour: 70,
			Duration: 200 * time.Hour, Patience: p, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	short, long := run(time.Minute), run(10*time.Minute)
	if short.Abandoned <= long.Abandoned || long.Abandoned == 0 {
		t.Fatalf("abandoned with 1 min patience %d, with 10 min %d", short.Abandoned, long.Abandoned)
	}
	if none := run(0); none.Abandoned != 0 {
		t.Fatalf("no patience limit, yet %d abandoned", none.Abandoned)
	}
}

func TestHandleTimeDistributionsKeepTheirMean(t *testing.T) {
	for _, d := range []Dist{DistExp, DistLognormal, DistFixed} {
		r, err := Simulate(SimConfig{Agents: 50, Handle: HandleTime{Dist: d, Mean: 6 * time.Minute, Sigma: 0.8}, ArrivalsPerHour: 200,
			Duration: 500 * time.Hour, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		// Utilisation = λ·E[S]/c = 200·0.1/50 = 0.4 whatever the shape.
		if r.Utilisation < 0.39 || r.Utilisation > 0.41 {
			t.Errorf("%s: utilisation %.4f, want 0.40", d, r.Utilisation)
		}
	}
}

func TestHourlyProfileShapesArrivals(t *testing.T) {
	profile := make([]float64, 24)
	for h := 9; h < 18; h++ {
		profile[h] = 60
	}
	var nightArrivals, dayArrivals int
	pool := DefaultPool()
	obs := func(ev ObsEvent) {
		if ev.Kind != ObsArrive {
			return
		}
		if h := tokyo(5, 0, 0).Add(time.Duration(ev.At * float64(time.Second))).Hour(); h >= 9 && h < 18 {
			dayArrivals++
		} else {
			nightArrivals++
		}
	}
	if _, err := Simulate(SimConfig{Pool: pool, Profile: profile, Duration: 5 * 24 * time.Hour, Seed: 5, Observer: obs}); err != nil {
		t.Fatal(err)
	}
	if nightArrivals != 0 || dayArrivals < 1500 {
		t.Fatalf("night %d, day %d arrivals; want 0 and about 2300 (minus callbacks)", nightArrivals, dayArrivals)
	}
}

func TestSimConfigErrors(t *testing.T) {
	tests := []SimConfig{
		{Agents: 2, Handle: HandleTime{Dist: DistExp, Mean: time.Minute}, Duration: time.Hour},
		{Agents: 2, Handle: HandleTime{Dist: DistExp, Mean: time.Minute}, ArrivalsPerHour: 1},
		{Agents: 2, ArrivalsPerHour: 1, Duration: time.Hour},
		{ArrivalsPerHour: 1, Duration: time.Hour},
		{Pool: DefaultPool(), Profile: []float64{1, 2}, Duration: time.Hour},
	}
	for i, cfg := range tests {
		if _, err := Simulate(cfg); err == nil {
			t.Errorf("config %d accepted", i)
		}
	}
}

// BenchmarkSimulateMillionCustomers is the speed must-show: one million
// customers through an M/M/c queue (c=12, 100/h, 6-minute handle).
func BenchmarkSimulateMillionCustomers(b *testing.B) {
	for b.Loop() {
		r, err := Simulate(SimConfig{Agents: 12, Handle: HandleTime{Dist: DistExp, Mean: 6 * time.Minute}, ArrivalsPerHour: 100,
			Duration: 1 << 62, MaxCustomers: 1_000_000, Patience: 10 * time.Minute, Seed: 1})
		if err != nil || r.Offered != 1_000_000 {
			b.Fatalf("offered %d, err %v", r.Offered, err)
		}
	}
}

// BenchmarkSimulatePoolWeek is the default pool with conversations and faults.
func BenchmarkSimulatePoolWeek(b *testing.B) {
	for b.Loop() {
		if _, err := Simulate(SimConfig{Pool: DefaultPool(), ArrivalsPerHour: 60, Duration: 7 * 24 * time.Hour, Seed: 1,
			Patience: 6 * time.Minute, Knowledge: testKnowledge, Intents: []string{"get_refund", "track_order"}}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestWaitHistogramQuantiles(t *testing.T) {
	var h waitHistogram
	for _, w := range []float64{0, 0, 0, 1.234, 5, 7.5, 30, 4000, 5000, 9000} {
		h.add(w)
	}
	// Nearest rank on 10 values: q=0.5 -> index 4 (5 s), q=0.9 -> index 8 (5000 s).
	if got := h.quantile(0.5); got != 5 {
		t.Errorf("p50 = %v, want 5", got)
	}
	if got := h.quantile(0.9); got != 5000 {
		t.Errorf("p90 = %v, want 5000 (from the long tail)", got)
	}
	if got := h.quantile(0.35); got != 1.23 {
		t.Errorf("p35 = %v, want 1.23 (10 ms buckets)", got)
	}
}
