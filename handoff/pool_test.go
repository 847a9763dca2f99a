package handoff

import (
	"errors"
	"strings"
	"testing"
	"time"

	"tsunagu/bot/yamlfile"
)

func TestDefaultPoolCoversTheClock(t *testing.T) {
	p := DefaultPool()
	if p.Location.String() != "Asia/Tokyo" {
		t.Fatalf("zone = %s, want Asia/Tokyo", p.Location)
	}
	// Every 15 minutes of a whole week: some Japanese and some English chat
	// operator is on shift.
	for m := 0; m < 7*24*60; m += 15 {
		at := tokyo(5, 0, 0).Add(time.Duration(m) * time.Minute)
		ja, en := false, false
		for _, op := range p.ChatOperators() {
			if op.OnShift(at, p.Location) {
				ja = ja || op.Level("ja") >= LevelBasic
				en = en || op.Level("en") >= LevelBasic
			}
		}
		if !ja || !en {
			t.Fatalf("at %s: Japanese covered %v, English covered %v", at, ja, en)
		}
	}
	levels := map[string]bool{}
	for _, op := range p.ChatOperators() {
		for _, l := range op.Languages {
			levels[l.Code+":"+l.Level.String()] = true
		}
	}
	for _, want := range []string{"ja:native", "en:native", "ja:fluent", "ja:basic"} {
		if !levels[want] {
			t.Errorf("the default pool has no chat operator with %s", want)
		}
	}
	if len(p.PhoneTeam()) == 0 {
		t.Fatal("the default pool has no phone team")
	}
	if p.PhoneHours.Start != 9*60 || p.PhoneHours.End != 18*60 || p.PhoneHours.Days != [7]bool{true, true, true, true, true, true, true} {
		t.Fatalf("phone hours = %+v, want 09:00-18:00 every day", p.PhoneHours)
	}
}

func TestOperatorLabel(t *testing.T) {
	p := DefaultPool()
	tanaka, _ := p.Operator("tanaka")
	if got := tanaka.Label("en"); got != "Tanaka (Japanese: native, English: fluent)" {
		t.Errorf("en label = %q", got)
	}
	if got := tanaka.Label("ja"); got != "田中（日本語：ネイティブ、英語：流暢）" {
		t.Errorf("ja label = %q", got)
	}
	smith, _ := p.Operator("smith")
	if got := smith.Label("en"); got != "Smith (English: native, Japanese: fluent)" {
		t.Errorf("strongest language first: %q", got)
	}
}

func TestShiftsAcrossMidnight(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Tokyo")
	// A Friday-only night shift 22:00-06:00 covers Friday night and Saturday
	// morning, but not Friday morning or Saturday night.
	var fri [7]bool
	fri[time.Friday] = true
	night := []Shift{{Days: fri, Start: 22 * 60, End: 6 * 60}}
	at := func(day, h, m int) time.Time { return time.Date(2026, 1, day, h, m, 0, 0, loc) } // 2026-01-09 is a Friday
	tests := []struct {
		name string
		t    time.Time
		want bool
	}{
		{"Friday 21:59", at(9, 21, 59), false},
		{"Friday 22:00", at(9, 22, 0), true},
		{"Friday 23:59", at(9, 23, 59), true},
		{"Saturday 00:00", at(10, 0, 0), true},
		{"Saturday 05:59", at(10, 5, 59), true},
		{"Saturday 06:00", at(10, 6, 0), false},
		{"Friday 05:00 (Thursday has no shift)", at(9, 5, 0), false},
		{"Saturday 22:30", at(10, 22, 30), false},
		{"Friday 22:30 given in UTC", at(9, 22, 30).UTC(), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := onShift(night, tt.t, loc); got != tt.want {
				t.Fatalf("onShift = %v, want %v", got, tt.want)
			}
		})
	}
	if next := nextShiftChange(night, at(9, 23, 0), loc); !next.Equal(at(10, 6, 0)) {
		t.Fatalf("next change after Friday 23:00 = %s, want Saturday 06:00", next)
	}
	if next := nextShiftChange(night, at(10, 7, 0), loc); !next.Equal(at(16, 22, 0)) {
		t.Fatalf("next change after Saturday 07:00 = %s, want next Friday 22:00", next)
	}
	// The default night shift ends at 07:30 the next morning and its chats
	// move on then (checked end to end in TestShiftEndMovesChatsWithPacket).
	p := DefaultPool()
	yamamoto, _ := p.Operator("yamamoto")
	if !yamamoto.OnShift(tokyo(6, 2, 0), p.Location) || yamamoto.OnShift(tokyo(6, 7, 30), p.Location) {
		t.Fatal("yamamoto's 23:00-07:30 shift does not cross midnight correctly")
	}
}

func TestPhoneHoursBoundaries(t *testing.T) {
	p := DefaultPool()
	tests := []struct {
		h, m int
		open bool
	}{{8, 59, false}, {9, 0, true}, {17, 59, true}, {18, 0, false}, {0, 0, false}, {12, 30, true}}
	for _, tt := range tests {
		if got := p.PhoneHours.Open(tokyo(5, tt.h, tt.m), p.Location); got != tt.open {
			t.Errorf("%02d:%02d open = %v, want %v", tt.h, tt.m, got, tt.open)
		}
	}
	if got := p.PhoneHours.NextOpening(tokyo(5, 18, 0), p.Location); !got.Equal(tokyo(6, 9, 0)) {
		t.Errorf("next opening after 18:00 = %s, want 09:00 the next day", got)
	}
	if got := p.PhoneHours.NextOpening(tokyo(5, 8, 59), p.Location); !got.Equal(tokyo(5, 9, 0)) {
		t.Errorf("next opening at 08:59 = %s, want 09:00 the same day", got)
	}
}

const validPool = `pool:
  name: test
  timezone: Asia/Tokyo
phone:
  days: [daily]
  hours: "09:00-18:00"
  call_minutes: 5
operators:
  - id: a
    name: A
    languages: {ja: native}
    skills: [all]
    shifts: [{days: [daily], hours: "00:00-24:00"}]
    concurrent: 1
    handle: {dist: exp, mean: 5m}
  - id: p
    name: P
    team: phone
    languages: {ja: native}
    skills: [all]
    shifts: [{days: [daily], hours: "09:00-18:00"}]
    concurrent: 1
    handle: {dist: fixed, mean: 5m}
`

func TestLoadPoolReportsProblemsWithLines(t *testing.T) {
	edit := func(old, new string) string {
		if !strings.Contains(validPool, old) {
			panic("test edit does not apply: " + old)
		}
		return strings.Replace(validPool, old, new, 1)
	}
	tests := []struct {
		name string
		data string
		want string // "LINE: substring"
	}{
		{"unknown language level", edit("languages: {ja: native}", "languages: {ja: expert}"), "11: unknown language level \"expert\""},
		{"unknown language", edit("languages: {ja: native}", "languages: {fr: native}"), "11: unknown language \"fr\""},
		{"shift hour out of range", edit(`hours: "00:00-24:00"`, `hours: "25:00-26:00"`), "13: hours \"25:00-26:00\" are out of range"},
		{"shift minutes out of range", edit(`hours: "00:00-24:00"`, `hours: "08:60-17:00"`), "13: hours \"08:60-17:00\" are out of range"},
		{"shift without a dash", edit(`hours: "00:00-24:00"`, `hours: "9 to 5"`), "13: hours \"9 to 5\" must look like"},
		{"empty shift", edit(`hours: "00:00-24:00"`, `hours: "09:00-09:00"`), "13: shift \"09:00-09:00\" is empty"},
		{"unknown day", edit("shifts: [{days: [daily]", "shifts: [{days: [funday]"), "13: unknown day \"funday\""},
		{"capacity zero", edit("concurrent: 1\n    handle: {dist: exp", "concurrent: 0\n    handle: {dist: exp"), "14: operator \"a\": concurrent must be at least 1, not 0"},
		{"capacity negative", edit("concurrent: 1\n    handle: {dist: exp", "concurrent: -2\n    handle: {dist: exp"), "14: operator \"a\": concurrent must be at least 1"},
		{"duplicate operator id", edit("  - id: p\n", "  - id: a\n"), "16: operator id \"a\" is used twice (first at line 9)"},
		{"unknown distribution", edit("dist: exp", "dist: gamma"), "15: unknown handle-time distribution \"gamma\""},
		{"bad mean", edit("mean: 5m}\n  - id: p", "mean: soon}\n  - id: p"), "15: handle.mean \"soon\" must be a positive duration"},
		{"unknown skill", edit("skills: [all]\n    shifts: [{days: [daily], hours: \"00", "skills: [cooking]\n    shifts: [{days: [daily], hours: \"00"), "12: unknown skill \"cooking\""},
		{"unknown team", edit("team: phone", "team: email"), "18: team must be chat or phone"},
		{"escape in a name", edit("    name: A\n", "    name: \"A\\e]52;c;aGk=\\a\"\n"), `10: name "A\x1b]52;c;aGk=\a" has control or invisible characters`},
		{"bidi override in a name", edit("    name: A\n", "    name: \"A\u202eB\"\n"), `10: name "A\u202eB" has control or invisible characters`},
		{"id with spaces", edit("  - id: a\n", "  - id: a b\n"), "9: operator id \"a b\" may only use"},
		{"unknown zone", edit("timezone: Asia/Tokyo", "timezone: Mars/Olympus"), "3: unknown time zone \"Mars/Olympus\""},
		{"phone hours backwards", edit(`hours: "09:00-18:00"
  call`, `hours: "18:00-09:00"
  call`), "6: phone hours \"18:00-09:00\" must end after they start"},
		{"fault rate above 1", edit("  timezone: Asia/Tokyo\n", "  timezone: Asia/Tokyo\n  line_fault_rate: 1.5\n"), "4: line_fault_rate must be between 0 and 1"},
		{"no phone team", edit("    team: phone\n", ""), "9: the pool has no phone team"},
		// reliability case D34: the hostile-file cases come back from yamlfile with lines.
		{"duplicate key", edit("    name: A\n", "    name: A\n    name: B\n"), "11:"},
		{"wrong type", edit("concurrent: 1\n    handle: {dist: exp", "concurrent: lots\n    handle: {dist: exp"), "14:"},
		{"unknown field", edit("    name: A\n", "    nickname: A\n"), "10:"},
		{"invalid UTF-8", edit("name: A\n", "name: \xff\xfe\n"), "10: invalid UTF-8"},
		// No field of the format accepts nested lists, so a bomb fails on its
		// first expansion, quickly, instead of growing.
		{"alias bomb", "operators:\n  - &a [x, x, x, x, x, x, x, x, x]\n  - &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n  - &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n  - &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n  - &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n  - &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n  - &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n  - [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n", "2: cannot unmarshal"},
		{"deep nesting", "operators: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n", "1:"},
		{"10 MB file", "operators: []\n#" + strings.Repeat("x", 10<<20) + "\n", "1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadPool("ops.yaml", []byte(tt.data))
			if err == nil {
				t.Fatal("accepted a bad file")
			}
			var ye *yamlfile.Error
			if !errors.As(err, &ye) {
				t.Fatalf("error is %T, want *yamlfile.Error: %v", err, err)
			}
			found := false
			for _, l := range ye.Lines() {
				if strings.HasPrefix(l, "ops.yaml:") && strings.Contains(l, "ops.yaml:"+tt.want) {
					found = true
				}
			}
			if !found {
				t.Fatalf("no problem %q in:\n%s", "ops.yaml:"+tt.want, err)
			}
		})
	}
	if _, err := LoadPool("ok.yaml", []byte(validPool)); err != nil {
		t.Fatalf("valid pool refused: %v", err)
	}
}

func TestCheckPoolFormatsLines(t *testing.T) {
	if got := CheckPool("ok.yaml", []byte(validPool)); len(got) != 0 {
		t.Fatalf("valid pool: %v", got)
	}
	got := CheckPool("bad.yaml", []byte(strings.Replace(validPool, "concurrent: 1", "concurrent: 0", 1)))
	if len(got) != 1 || got[0] != `bad.yaml:14: operator "a": concurrent must be at least 1, not 0` {
		t.Fatalf("problems = %q", got)
	}
}

func FuzzLoadPool(f *testing.F) {
	f.Add([]byte(validPool))
	f.Add(DefaultPoolYAML())
	f.Add([]byte("operators: [{id: x, shifts: [{hours: \"23:59-00:00\"}]}]"))
	f.Add([]byte("a: &a [1]\nb: [*a, *a]\noperators: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := LoadPool("fuzz.yaml", data)
		if err != nil {
			var ye *yamlfile.Error
			if !errors.As(err, &ye) || len(ye.Problems) == 0 {
				t.Fatalf("error without lines: %v", err)
			}
			for _, pr := range ye.Problems {
				if pr.Line < 1 {
					t.Fatalf("problem without a line: %+v", pr)
				}
			}
			return
		}
		if len(p.ChatOperators()) == 0 || len(p.PhoneTeam()) == 0 || p.Location == nil {
			t.Fatalf("an accepted pool must have chat operators, a phone team and a zone: %+v", p)
		}
		for _, op := range p.Operators {
			if op.Concurrent < 1 || op.Handle.Mean <= 0 || len(op.Shifts) == 0 || len(op.Languages) == 0 {
				t.Fatalf("accepted an unusable operator: %+v", op)
			}
		}
	})
}

// BenchmarkLoadPoolHostile shows D34's "quickly": a 10 MB file and 10,000-deep
// nesting are refused in microseconds to milliseconds.
func BenchmarkLoadPoolHostile(b *testing.B) {
	files := map[string][]byte{
		"10MB":    []byte("operators: []\n#" + strings.Repeat("x", 10<<20) + "\n"),
		"deep":    []byte("operators: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"),
		"default": DefaultPoolYAML(),
	}
	for name, data := range files {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				LoadPool("bench.yaml", data)
			}
		})
	}
}
