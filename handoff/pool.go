package handoff

import (
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the pool's zone (Asia/Tokyo) must load on machines without a zoneinfo database
	"unicode/utf8"

	"tsunagu/bot/yamlfile"
	"tsunagu/transcripts/termsafe"
)

//go:embed default_pool.yaml
var defaultPoolYAML []byte

// DefaultPoolYAML returns the embedded default pool file, e.g. for printing
// as a starting point for a trainer's own file.
func DefaultPoolYAML() []byte { return slices.Clone(defaultPoolYAML) }

// Level is how well an operator speaks a language.
type Level int

// Language levels, weakest first so that comparisons read naturally.
const (
	LevelNone Level = iota
	LevelBasic
	LevelFluent
	LevelNative
)

var levelNames = map[string]Level{"basic": LevelBasic, "fluent": LevelFluent, "native": LevelNative}

func (l Level) String() string {
	switch l {
	case LevelBasic:
		return "basic"
	case LevelFluent:
		return "fluent"
	case LevelNative:
		return "native"
	}
	return "none"
}

// MarshalText writes the level's name.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// Language is one language an operator speaks.
type Language struct {
	Code  string `json:"code"` // "ja" or "en"
	Level Level  `json:"level"`
}

// LanguageNames gives each supported language's name in English and Japanese.
var languageNames = map[string][2]string{
	"ja": {"Japanese", "日本語"},
	"en": {"English", "英語"},
}

var levelNamesJa = map[Level]string{LevelNative: "ネイティブ", LevelFluent: "流暢", LevelBasic: "基礎"}

// Shift is a weekly working window in the pool's time zone. A shift whose end
// is not after its start crosses midnight: it starts on one of Days and ends
// the next day.
type Shift struct {
	Days  [7]bool // indexed by time.Weekday
	Start int     // minutes after midnight
	End   int     // minutes after midnight (up to 1440); End <= Start means the next day
}

// Duration is the length of one shift.
func (s Shift) Duration() time.Duration {
	end := s.End
	if end <= s.Start {
		end += 24 * 60
	}
	return time.Duration(end-s.Start) * time.Minute
}

// Dist names a handle-time distribution.
type Dist string

// The distributions `tsunagu sim --handle-dist` accepts.
const (
	DistExp       Dist = "exp"
	DistLognormal Dist = "lognormal"
	DistFixed     Dist = "fixed"
)

// HandleTime is a handle-time distribution. Sigma is the lognormal shape
// (the standard deviation of log time); it is ignored by exp and fixed.
type HandleTime struct {
	Dist  Dist
	Mean  time.Duration
	Sigma float64
}

// Operator is one simulated human operator.
type Operator struct {
	ID         string
	Name       string // display name in English, e.g. "Tanaka"
	NameJa     string // display name in Japanese, e.g. "田中"; falls back to Name
	Languages  []Language
	Skills     []string // topic groups; "all" means every group
	Shifts     []Shift
	Concurrent int
	Handle     HandleTime
	Phone      bool // on the phone-callback team (takes callbacks, not chats)
}

// Level returns how well the operator speaks lang.
func (o *Operator) Level(lang string) Level {
	for _, l := range o.Languages {
		if l.Code == lang {
			return l.Level
		}
	}
	return LevelNone
}

// HasSkill reports whether the operator handles the topic group.
func (o *Operator) HasSkill(group string) bool {
	for _, s := range o.Skills {
		if s == "all" || s == group {
			return true
		}
	}
	return false
}

// DisplayName is the operator's name in lang.
func (o *Operator) DisplayName(lang string) string {
	if lang == "ja" && o.NameJa != "" {
		return o.NameJa
	}
	return o.Name
}

// Label shows the name with languages, strongest first, e.g.
// "Tanaka (Japanese: native, English: fluent)" or
// "田中（日本語：ネイティブ、英語：流暢）".
func (o *Operator) Label(lang string) string {
	langs := slices.Clone(o.Languages)
	slices.SortStableFunc(langs, func(a, b Language) int { return int(b.Level) - int(a.Level) })
	parts := make([]string, len(langs))
	for i, l := range langs {
		names, ok := languageNames[l.Code]
		if !ok {
			names = [2]string{l.Code, l.Code}
		}
		if lang == "ja" {
			parts[i] = names[1] + "：" + levelNamesJa[l.Level]
		} else {
			parts[i] = names[0] + ": " + l.Level.String()
		}
	}
	if lang == "ja" {
		return o.DisplayName(lang) + "（" + strings.Join(parts, "、") + "）"
	}
	return o.DisplayName(lang) + " (" + strings.Join(parts, ", ") + ")"
}

// OnShift reports whether t falls inside one of the operator's shifts.
func (o *Operator) OnShift(t time.Time, loc *time.Location) bool {
	return onShift(o.Shifts, t, loc)
}

func onShift(shifts []Shift, t time.Time, loc *time.Location) bool {
	t = t.In(loc)
	minute := t.Hour()*60 + t.Minute()
	today := t.Weekday()
	yesterday := (today + 6) % 7
	for _, s := range shifts {
		if s.End > s.Start {
			if s.Days[today] && minute >= s.Start && minute < s.End {
				return true
			}
			continue
		}
		// Crossing midnight: the evening part belongs to today's shift, the
		// morning part to yesterday's.
		if s.Days[today] && minute >= s.Start {
			return true
		}
		if s.Days[yesterday] && minute < s.End {
			return true
		}
	}
	return false
}

// nextShiftChange returns the first instant after t at which the on-shift
// state differs from the state at t, or the zero time if it never changes.
func nextShiftChange(shifts []Shift, t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	now := onShift(shifts, t, loc)
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	var bounds []time.Time
	for d := -1; d <= 8; d++ {
		day := midnight.AddDate(0, 0, d)
		for _, s := range shifts {
			start := day.Add(time.Duration(s.Start) * time.Minute)
			bounds = append(bounds, start, start.Add(s.Duration()))
		}
	}
	slices.SortFunc(bounds, func(a, b time.Time) int { return a.Compare(b) })
	for _, b := range bounds {
		if b.After(t) && onShift(shifts, b, loc) != now {
			return b
		}
	}
	return time.Time{}
}

// PhoneHours is the daily window in which the phone team calls back.
type PhoneHours struct {
	Days  [7]bool
	Start int // minutes after midnight
	End   int // minutes after midnight, after Start
}

// Open reports whether t is inside phone hours: 09:00 is open, 18:00 closed.
func (p PhoneHours) Open(t time.Time, loc *time.Location) bool {
	t = t.In(loc)
	m := t.Hour()*60 + t.Minute()
	return p.Days[t.Weekday()] && m >= p.Start && m < p.End
}

// NextOpening returns the next time phone hours open strictly after t.
func (p PhoneHours) NextOpening(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	for d := 0; d <= 7; d++ {
		day := midnight.AddDate(0, 0, d)
		if !p.Days[day.Weekday()] {
			continue
		}
		open := day.Add(time.Duration(p.Start) * time.Minute)
		if open.After(t) {
			return open
		}
	}
	return time.Time{}
}

// Faults are the rates at which a chat assignment ends early and is
// transferred: the chance, per operator assignment, of a line fault or of the
// operator timing out.
type Faults struct {
	LineFault float64
	Timeout   float64
}

// Pool is a validated operator pool.
type Pool struct {
	Name          string
	Location      *time.Location
	Operators     []Operator // chat operators first, then the phone team
	PhoneHours    PhoneHours
	CallMinutes   float64 // mean phone call length, for callback ETAs
	Faults        Faults
	Patience      time.Duration // mean customer patience in the queue; 0 = never abandon
	CallbackShare float64       // share of customers who choose a callback in phone hours (simulation)
	BasicRephrase float64       // chance a basic-level operator asks to rephrase a long or idiomatic message
}

// ChatOperators returns the operators who take chats.
func (p *Pool) ChatOperators() []*Operator {
	var out []*Operator
	for i := range p.Operators {
		if !p.Operators[i].Phone {
			out = append(out, &p.Operators[i])
		}
	}
	return out
}

// PhoneTeam returns the operators who make callbacks.
func (p *Pool) PhoneTeam() []*Operator {
	var out []*Operator
	for i := range p.Operators {
		if p.Operators[i].Phone {
			out = append(out, &p.Operators[i])
		}
	}
	return out
}

// Operator finds an operator by id.
func (p *Pool) Operator(id string) (*Operator, bool) {
	for i := range p.Operators {
		if p.Operators[i].ID == id {
			return &p.Operators[i], true
		}
	}
	return nil, false
}

// DefaultPool returns the embedded default pool.
func DefaultPool() *Pool {
	p, err := LoadPool("default_pool.yaml", defaultPoolYAML)
	if err != nil {
		panic("handoff: the embedded default pool is invalid: " + err.Error())
	}
	return p
}

// The file format. Field names are the YAML keys a trainer writes.
type poolFile struct {
	Pool      poolSettings   `yaml:"pool"`
	Phone     phoneSettings  `yaml:"phone"`
	Operators []operatorSpec `yaml:"operators"`
}

type poolSettings struct {
	Name          string  `yaml:"name"`
	Timezone      string  `yaml:"timezone"`
	Patience      string  `yaml:"patience"`
	LineFault     float64 `yaml:"line_fault_rate"`
	Timeout       float64 `yaml:"timeout_rate"`
	CallbackShare float64 `yaml:"callback_share"`
	BasicRephrase float64 `yaml:"basic_rephrase_rate"`
}

type phoneSettings struct {
	Days        []string `yaml:"days"`
	Hours       string   `yaml:"hours"`
	CallMinutes float64  `yaml:"call_minutes"`
}

type operatorSpec struct {
	ID         string            `yaml:"id"`
	Name       string            `yaml:"name"`
	NameJa     string            `yaml:"name_ja"`
	Languages  map[string]string `yaml:"languages"`
	Skills     []string          `yaml:"skills"`
	Shifts     []shiftSpec       `yaml:"shifts"`
	Concurrent int               `yaml:"concurrent"`
	Handle     handleSpec        `yaml:"handle"`
	Team       string            `yaml:"team"`
}

type shiftSpec struct {
	Days  []string `yaml:"days"`
	Hours string   `yaml:"hours"`
}

type handleSpec struct {
	Dist  string  `yaml:"dist"`
	Mean  string  `yaml:"mean"`
	Sigma float64 `yaml:"sigma"`
}

// TopicGroups are the skills an operator can have; "all" covers every group.
var TopicGroups = []string{"orders", "delivery", "payment", "refunds", "account", "security", "membership", "feedback", "general"}

// LoadPool parses and validates an operator pool file. Every problem is
// reported as NAME:LINE: message; the error is a *yamlfile.Error.
func LoadPool(name string, data []byte) (*Pool, error) {
	var f poolFile
	doc, err := yamlfile.DecodeDoc(name, data, &f)
	if err != nil {
		return nil, err
	}
	c := &checker{doc: doc}
	p := c.pool(&f)
	if len(c.problems) > 0 {
		return nil, &yamlfile.Error{Name: name, Problems: c.problems}
	}
	return p, nil
}

// CheckPool returns every problem in an operator pool file, formatted as
// NAME:LINE: message, for `tsunagu rules check`.
func CheckPool(name string, data []byte) []string {
	_, err := LoadPool(name, data)
	return yamlfile.Lines(name, err)
}

type checker struct {
	doc      *yamlfile.Doc
	problems []yamlfile.Problem
}

func (c *checker) addf(line int, format string, a ...any) {
	c.problems = append(c.problems, yamlfile.Problem{Line: line, Message: fmt.Sprintf(format, a...)})
}

func (c *checker) pool(f *poolFile) *Pool {
	p := &Pool{
		Name:          f.Pool.Name,
		Faults:        Faults{LineFault: f.Pool.LineFault, Timeout: f.Pool.Timeout},
		CallMinutes:   f.Phone.CallMinutes,
		CallbackShare: f.Pool.CallbackShare,
		BasicRephrase: f.Pool.BasicRephrase,
	}
	tz := f.Pool.Timezone
	if tz == "" {
		c.addf(c.doc.ValueLine("pool"), "pool.timezone is missing; write an IANA zone such as Asia/Tokyo")
	} else if loc, err := time.LoadLocation(tz); err != nil {
		c.addf(c.doc.ValueLine("pool", "timezone"), "unknown time zone %q; write an IANA zone such as Asia/Tokyo", tz)
	} else {
		p.Location = loc
	}
	if f.Pool.Patience != "" {
		d, err := time.ParseDuration(f.Pool.Patience)
		if err != nil || d < 0 {
			c.addf(c.doc.ValueLine("pool", "patience"), "patience %q is not a duration such as 5m", f.Pool.Patience)
		}
		p.Patience = d
	}
	for _, r := range []struct {
		key string
		v   float64
	}{{"line_fault_rate", f.Pool.LineFault}, {"timeout_rate", f.Pool.Timeout}, {"callback_share", f.Pool.CallbackShare}, {"basic_rephrase_rate", f.Pool.BasicRephrase}} {
		if r.v < 0 || r.v > 1 || math.IsNaN(r.v) {
			c.addf(c.doc.ValueLine("pool", r.key), "%s must be between 0 and 1, not %v", r.key, r.v)
		}
	}
	if p.Faults.LineFault+p.Faults.Timeout > 0.9 {
		c.addf(c.doc.ValueLine("pool", "line_fault_rate"), "line_fault_rate plus timeout_rate must be at most 0.9, or no chat would ever finish")
	}

	// Phone hours.
	days, ok := c.days(f.Phone.Days, "phone", "days")
	p.PhoneHours.Days = days
	if ok {
		start, end, ok := c.hours(f.Phone.Hours, "phone", "hours")
		if ok && end <= start {
			c.addf(c.doc.ValueLine("phone", "hours"), "phone hours %q must end after they start on the same day", f.Phone.Hours)
		}
		p.PhoneHours.Start, p.PhoneHours.End = start, end
	}
	if f.Phone.CallMinutes <= 0 {
		c.addf(c.doc.ValueLine("phone", "call_minutes"), "phone.call_minutes must be greater than 0")
	}

	if len(f.Operators) == 0 {
		c.addf(c.doc.ValueLine("operators"), "the pool has no operators")
	}
	seen := map[string]int{}
	chat, phone := 0, 0
	for i, spec := range f.Operators {
		op, ok := c.operator(i, spec)
		if !ok {
			continue
		}
		if first, dup := seen[op.ID]; dup {
			c.addf(c.doc.ValueLine("operators", i, "id"), "operator id %q is used twice (first at line %d)", op.ID, first)
			continue
		}
		seen[op.ID] = c.doc.ValueLine("operators", i, "id")
		if op.Phone {
			phone++
		} else {
			chat++
		}
		p.Operators = append(p.Operators, op)
	}
	if len(f.Operators) > 0 && chat == 0 && len(c.problems) == 0 {
		c.addf(c.doc.ValueLine("operators"), "the pool has no chat operators (every operator is on the phone team)")
	}
	if len(f.Operators) > 0 && phone == 0 && len(c.problems) == 0 {
		c.addf(c.doc.ValueLine("operators"), "the pool has no phone team; give at least one operator team: phone")
	}
	// Chat operators first, so that indexes into ChatOperators are stable.
	slices.SortStableFunc(p.Operators, func(a, b Operator) int {
		switch {
		case a.Phone == b.Phone:
			return 0
		case b.Phone:
			return -1
		}
		return 1
	})
	return p
}

func (c *checker) operator(i int, s operatorSpec) (Operator, bool) {
	before := len(c.problems)
	op := Operator{ID: s.ID, Name: s.Name, NameJa: s.NameJa, Concurrent: s.Concurrent}
	if strings.TrimSpace(s.ID) == "" {
		c.addf(c.doc.ValueLine("operators", i), "operator %d has no id", i+1)
	} else if !validID(s.ID) {
		c.addf(c.doc.ValueLine("operators", i, "id"), "operator id %q may only use a-z, 0-9, - and _ (at most 40)", s.ID)
	}
	if strings.TrimSpace(s.Name) == "" {
		c.addf(c.doc.ValueLine("operators", i), "operator %q has no name", s.ID)
	}
	// Names reach the customer's screen; the sanitiser would strip these
	// characters anyway, but a file that has them is wrong and says so.
	for _, n := range []struct{ key, v string }{{"name", s.Name}, {"name_ja", s.NameJa}} {
		if n.v != termsafe.Line(n.v) || utf8.RuneCountInString(n.v) > 40 {
			c.addf(c.doc.ValueLine("operators", i, n.key), "%s %q has control or invisible characters, or is longer than 40 characters", n.key, n.v)
		}
	}
	switch s.Team {
	case "", "chat":
	case "phone":
		op.Phone = true
	default:
		c.addf(c.doc.ValueLine("operators", i, "team"), "team must be chat or phone, not %q", s.Team)
	}
	if len(s.Languages) == 0 {
		c.addf(c.doc.ValueLine("operators", i), "operator %q has no languages", s.ID)
	}
	codes := make([]string, 0, len(s.Languages))
	for code := range s.Languages {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		lv, ok := levelNames[s.Languages[code]]
		if _, known := languageNames[code]; !known {
			c.addf(c.doc.ValueLine("operators", i, "languages", code), "unknown language %q; use ja or en", code)
			continue
		}
		if !ok {
			c.addf(c.doc.ValueLine("operators", i, "languages", code), "unknown language level %q for %s; use native, fluent or basic", s.Languages[code], code)
			continue
		}
		op.Languages = append(op.Languages, Language{Code: code, Level: lv})
	}
	if len(s.Skills) == 0 {
		c.addf(c.doc.ValueLine("operators", i), "operator %q has no skills; list topic groups or all", s.ID)
	}
	for j, sk := range s.Skills {
		if sk != "all" && !slices.Contains(TopicGroups, sk) {
			c.addf(c.doc.ValueLine("operators", i, "skills", j), "unknown skill %q; use all or one of %s", sk, strings.Join(TopicGroups, ", "))
		}
	}
	op.Skills = s.Skills
	if len(s.Shifts) == 0 {
		c.addf(c.doc.ValueLine("operators", i), "operator %q has no shifts", s.ID)
	}
	for j, sh := range s.Shifts {
		days, ok := c.days(sh.Days, "operators", i, "shifts", j, "days")
		start, end, ok2 := c.hours(sh.Hours, "operators", i, "shifts", j, "hours")
		if ok && ok2 {
			if start == end {
				c.addf(c.doc.ValueLine("operators", i, "shifts", j, "hours"), "shift %q is empty; a shift ends at a different time than it starts", sh.Hours)
			}
			op.Shifts = append(op.Shifts, Shift{Days: days, Start: start, End: end})
		}
	}
	if s.Concurrent <= 0 {
		c.addf(c.doc.ValueLine("operators", i, "concurrent"), "operator %q: concurrent must be at least 1, not %d", s.ID, s.Concurrent)
	} else if s.Concurrent > 20 {
		c.addf(c.doc.ValueLine("operators", i, "concurrent"), "operator %q: concurrent must be at most 20, not %d", s.ID, s.Concurrent)
	}
	op.Handle = c.handle(s.Handle, "operators", i, "handle")
	return op, len(c.problems) == before
}

func (c *checker) handle(h handleSpec, path ...any) HandleTime {
	ht := HandleTime{Dist: Dist(h.Dist), Sigma: h.Sigma}
	switch ht.Dist {
	case DistExp, DistFixed:
	case DistLognormal:
		if h.Sigma <= 0 || h.Sigma > 3 {
			c.addf(c.doc.ValueLine(append(path, "sigma")...), "lognormal sigma must be greater than 0 and at most 3, not %v", h.Sigma)
		}
	case "":
		c.addf(c.doc.ValueLine(path...), "handle.dist is missing; use exp, lognormal or fixed")
	default:
		c.addf(c.doc.ValueLine(append(path, "dist")...), "unknown handle-time distribution %q; use exp, lognormal or fixed", h.Dist)
	}
	d, err := time.ParseDuration(h.Mean)
	if err != nil || d <= 0 {
		c.addf(c.doc.ValueLine(append(path, "mean")...), "handle.mean %q must be a positive duration such as 6m", h.Mean)
	}
	ht.Mean = d
	return ht
}

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// days parses a day list: three-letter names, or daily, weekdays, weekends.
func (c *checker) days(list []string, path ...any) ([7]bool, bool) {
	var d [7]bool
	if len(list) == 0 {
		c.addf(c.doc.ValueLine(path...), "days are missing; list days such as [mon, tue] or [daily]")
		return d, false
	}
	ok := true
	for j, name := range list {
		switch n := strings.ToLower(strings.TrimSpace(name)); n {
		case "daily":
			d = [7]bool{true, true, true, true, true, true, true}
		case "weekdays":
			for w := time.Monday; w <= time.Friday; w++ {
				d[w] = true
			}
		case "weekends":
			d[time.Saturday], d[time.Sunday] = true, true
		default:
			w, known := dayNames[n]
			if !known {
				c.addf(c.doc.ValueLine(append(path, j)...), "unknown day %q; use mon..sun, daily, weekdays or weekends", name)
				ok = false
				continue
			}
			d[w] = true
		}
	}
	return d, ok
}

// hours parses "HH:MM-HH:MM" into minutes after midnight. 24:00 is allowed as
// an end (minute 1440), so "00:00-24:00" is the whole day.
func (c *checker) hours(s string, path ...any) (start, end int, ok bool) {
	a, b, found := strings.Cut(strings.TrimSpace(s), "-")
	if !found {
		c.addf(c.doc.ValueLine(path...), "hours %q must look like 09:00-18:00", s)
		return 0, 0, false
	}
	start, okA := clockMinutes(strings.TrimSpace(a), false)
	end, okB := clockMinutes(strings.TrimSpace(b), true)
	if !okA || !okB {
		c.addf(c.doc.ValueLine(path...), "hours %q are out of range; use HH:MM-HH:MM with hours 00-23 and minutes 00-59", s)
		return 0, 0, false
	}
	return start, end, true
}

func validID(id string) bool {
	if len(id) > 40 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func clockMinutes(s string, allow24 bool) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, m := 0, 0
	for _, ch := range s[:2] {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		h = h*10 + int(ch-'0')
	}
	for _, ch := range s[3:] {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		m = m*10 + int(ch-'0')
	}
	if m > 59 || h > 24 || (h == 24 && (!allow24 || m != 0)) {
		return 0, false
	}
	return h*60 + m, true
}
