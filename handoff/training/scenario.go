package training

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"tsunagu/bot"
	"tsunagu/bot/yamlfile"
)

// TopKey is the top-level key of a scenario file; `tsunagu rules check`
// recognises scenario files by it.
const TopKey = "scenario"

// Persona is how the simulated customer behaves.
type Persona string

// The personas of the issue. Angry, abusive, confused and elderly customers
// need empathy before the fix; polite and non-native ones need clarity.
const (
	Polite    Persona = "polite"
	Confused  Persona = "confused"
	Angry     Persona = "angry"
	Abusive   Persona = "abusive"
	Elderly   Persona = "elderly"
	NonNative Persona = "non_native"
)

var personas = []Persona{Polite, Confused, Angry, Abusive, Elderly, NonNative}

// NeedsEmpathy reports whether the rubric expects the trainee to acknowledge
// the customer's feelings before the fix.
func (p Persona) NeedsEmpathy() bool {
	return p == Angry || p == Abusive || p == Confused || p == Elderly
}

// startMood is the mood (0-100) a persona starts the human stage with.
func (p Persona) startMood() int {
	switch p {
	case Angry:
		return 30
	case Abusive:
		return 15
	case Confused, Elderly:
		return 50
	case NonNative:
		return 55
	}
	return 65
}

// Team is where the trainee can transfer a chat.
type Team string

// The teams a trainee can transfer to.
const (
	TeamSecurity       Team = "security"
	TeamBilling        Team = "billing"
	TeamSupervisor     Team = "supervisor"
	TeamNativeJapanese Team = "native_japanese"
)

// Teams lists the transfer targets in the order the screen offers them.
var Teams = []Team{TeamSecurity, TeamBilling, TeamSupervisor, TeamNativeJapanese}

// Label names a team in lang.
func (t Team) Label(lang string) string {
	l := map[Team][2]string{
		TeamSecurity:       {"Security team", "セキュリティ担当"},
		TeamBilling:        {"Billing team", "請求・支払い担当"},
		TeamSupervisor:     {"Supervisor", "責任者（スーパーバイザー）"},
		TeamNativeJapanese: {"Native Japanese desk", "日本語ネイティブ担当"},
	}[t]
	if lang == "ja" {
		return l[1]
	}
	return l[0]
}

// CustomerSpec is who the simulated customer is.
type CustomerSpec struct {
	Name    bot.Text `yaml:"name"`
	Account string   `yaml:"account,omitempty"`
}

// OrderSpec is the order the case is about.
type OrderSpec struct {
	ID     string    `yaml:"id"`
	Items  bot.Texts `yaml:"items,omitempty"`
	Date   string    `yaml:"date,omitempty"`
	Status string    `yaml:"status,omitempty"`
}

// TopicSpec is what the contact flow collected before the chat.
type TopicSpec struct {
	Category string `yaml:"category,omitempty"`
	Subtopic string `yaml:"subtopic,omitempty"`
	Intent   string `yaml:"intent"`
}

// When names the trainee behaviour a reaction rule answers.
type When string

// Reaction triggers, in the priority order in which they choose the
// customer's answer when several fire on one line (the mood changes of all
// of them add up).
const (
	WhenCard          When = "card"           // asked for card data or a password, or typed a card number
	WhenKnownFact     When = "known_fact"     // asked for a fact the packet already holds
	WhenBanned        When = "banned"         // blamed the customer, over-promised, a bare "can't"
	WhenComplex       When = "complex"        // wrote what a non-native customer cannot follow
	WhenWrongTransfer When = "wrong_transfer" // transferred to a team the case does not need
	WhenResolved      When = "resolved"       // the resolution conditions are now all met
	WhenTransfer      When = "transfer"       // transferred to the right team
	WhenCallback      When = "callback"       // booked a callback inside phone hours
	WhenStep          When = "step"           // gave a correct resolution step not given before
	WhenMatch         When = "match"          // the line matches the rule's own cues
	WhenApology       When = "apology"
	WhenEmpathy       When = "empathy"
	WhenAcknowledge   When = "acknowledge" // acknowledged the handover or restated the problem
	WhenOther         When = "other"       // none of the above
	WhenSilence       When = "silence"     // the trainee kept the customer waiting
	WhenLeave         When = "leave"       // the customer gives up and leaves
)

var whenOrder = []When{WhenCard, WhenKnownFact, WhenBanned, WhenComplex, WhenWrongTransfer, WhenResolved, WhenTransfer,
	WhenCallback, WhenStep, WhenMatch, WhenApology, WhenEmpathy, WhenAcknowledge, WhenOther, WhenSilence, WhenLeave}

// requiredWhens must be present in every scenario, so the customer always
// has something to say.
var requiredWhens = []When{WhenKnownFact, WhenSilence, WhenLeave, WhenResolved, WhenOther}

// Reaction is one reaction rule: when the trainee does X, the customer's mood
// moves by Mood and they say one of Say (picked by the seeded source).
type Reaction struct {
	When  When      `yaml:"when"`
	Match bot.Texts `yaml:"match,omitempty"` // phrases, for when: match
	Mood  int       `yaml:"mood"`
	Say   bot.Texts `yaml:"say"`
	Once  bool      `yaml:"once,omitempty"` // fires at most once per session
}

// ResolutionStep is one thing the trainee must tell or do for the customer.
type ResolutionStep struct {
	ID    string    `yaml:"id"`
	Label bot.Text  `yaml:"label"`
	Cues  bot.Texts `yaml:"cues"`
}

// Resolution says when the case is resolved and what routing it needs.
type Resolution struct {
	Steps []ResolutionStep `yaml:"steps"`
	// Transfer is the team the case must go to, "" when the trainee should
	// resolve it in the chat.
	Transfer Team `yaml:"transfer,omitempty"`
	// Callback is true when the case needs a phone callback booked in phone hours.
	Callback bool `yaml:"callback,omitempty"`
	// HandleMinutes is the target handle time from packet to close.
	HandleMinutes float64 `yaml:"handle_minutes,omitempty"`
}

// Scenario is one training case.
type Scenario struct {
	ID        string       `yaml:"id"`
	Title     bot.Text     `yaml:"title"`
	Languages []string     `yaml:"languages,omitempty"` // default: ja and en
	Persona   Persona      `yaml:"persona"`
	Sensitive bool         `yaml:"sensitive,omitempty"` // mishandling it is a critical failure
	Customer  CustomerSpec `yaml:"customer"`
	Order     *OrderSpec   `yaml:"order,omitempty"`
	Problem   bot.Text     `yaml:"problem"`
	Topic     TopicSpec    `yaml:"topic"`
	// Clock is the scenario's start time (RFC 3339), e.g. 19:30 for the
	// after-hours callback case. Empty: the session's clock decides.
	Clock string `yaml:"clock,omitempty"`
	// Opening are the customer's messages to the bot, in order.
	Opening bot.Texts `yaml:"opening"`
	// Mood is the starting mood 0-100; 0 means the persona's default.
	Mood int `yaml:"mood,omitempty"`
	// PatienceSeconds is how long the customer waits for the trainee before
	// complaining; twice that and they leave. Default 90.
	PatienceSeconds int          `yaml:"patience_seconds,omitempty"`
	Reactions       []Reaction   `yaml:"reactions"`
	Resolution      Resolution   `yaml:"resolution"`
	Rubric          map[Item]int `yaml:"rubric,omitempty"` // weight overrides

	// Source is where the scenario came from: "built-in" or a file path.
	Source string `yaml:"-"`
}

// file is the document shape: everything under the top-level key.
type file struct {
	Scenario *Scenario `yaml:"scenario"`
}

// TitleIn returns the title in lang, falling back to the other language.
func (s *Scenario) TitleIn(lang string) string {
	if t := s.Title.In(lang); t != "" {
		return t
	}
	return s.Title.In(other(lang))
}

// Plays reports whether the scenario can be played in lang.
func (s *Scenario) Plays(lang string) bool { return slices.Contains(s.Languages, lang) }

// Start returns the scenario's start time, or fallback when it has none.
func (s *Scenario) Start(fallback time.Time) time.Time {
	if s.Clock == "" {
		return fallback
	}
	t, err := time.Parse(time.RFC3339, s.Clock)
	if err != nil {
		return fallback
	}
	return t
}

func (s *Scenario) patience() time.Duration {
	if s.PatienceSeconds <= 0 {
		return 90 * time.Second
	}
	return time.Duration(s.PatienceSeconds) * time.Second
}

func (s *Scenario) startMood() int {
	if s.Mood > 0 {
		return s.Mood
	}
	return s.Persona.startMood()
}

func other(lang string) string {
	if lang == "ja" {
		return "en"
	}
	return "ja"
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// Load parses and validates one scenario file. Problems are reported as
// NAME:LINE: message (a *yamlfile.Error).
func Load(name string, data []byte) (*Scenario, error) {
	var f file
	doc, err := yamlfile.DecodeDoc(name, data, &f)
	if err != nil {
		return nil, err
	}
	if f.Scenario == nil {
		return nil, yamlfile.Errorf(name, 1, "the file has no %q section", TopKey)
	}
	s := f.Scenario
	if len(s.Languages) == 0 {
		s.Languages = []string{"ja", "en"}
	}
	if problems := validate(s, doc); len(problems) > 0 {
		sort.SliceStable(problems, func(i, j int) bool { return problems[i].Line < problems[j].Line })
		return nil, &yamlfile.Error{Name: name, Problems: problems}
	}
	s.Source = name
	return s, nil
}

// Check returns every problem in a scenario file as NAME:LINE: message, for
// `tsunagu rules check`. An empty result means the file is valid.
func Check(name string, data []byte) []string {
	_, err := Load(name, data)
	return yamlfile.Lines(name, err)
}

func validate(s *Scenario, doc *yamlfile.Doc) []yamlfile.Problem {
	// lineOf finds the line of path under the scenario key, falling back to
	// the deepest node found.
	lineOf := func(path ...any) int { return doc.ValueLine(append([]any{TopKey}, path...)...) }
	var ps []yamlfile.Problem
	add := func(line int, format string, a ...any) {
		ps = append(ps, yamlfile.Problem{Line: line, Message: fmt.Sprintf(format, a...)})
	}
	if !idRE.MatchString(s.ID) {
		add(lineOf("id"), "id must be 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit; got %q", s.ID)
	}
	for i, l := range s.Languages {
		if l != "ja" && l != "en" {
			add(lineOf("languages", i), "language must be ja or en, not %q", l)
		}
	}
	if !slices.Contains(personas, s.Persona) {
		add(lineOf("persona"), "persona must be one of %s, not %q", joinNames(personas), s.Persona)
	}
	if strings.TrimSpace(s.Topic.Intent) == "" {
		add(lineOf("topic"), "topic.intent is required: the bot intent of the case, e.g. track_order")
	}
	if s.Order != nil && strings.TrimSpace(s.Order.ID) == "" {
		add(lineOf("order"), "order.id is required when an order is given")
	}
	if s.Clock != "" {
		if _, err := time.Parse(time.RFC3339, s.Clock); err != nil {
			add(lineOf("clock"), "clock must be an RFC 3339 time such as 2026-11-26T19:30:00+09:00, not %q", s.Clock)
		}
	}
	if s.Mood < 0 || s.Mood > 100 {
		add(lineOf("mood"), "mood must be between 0 and 100, not %d", s.Mood)
	}
	if s.PatienceSeconds < 0 {
		add(lineOf("patience_seconds"), "patience_seconds must not be negative")
	}
	for _, lang := range s.Languages {
		if lang != "ja" && lang != "en" {
			continue
		}
		if strings.TrimSpace(s.Title.In(lang)) == "" {
			add(lineOf("title"), "title.%s is required: the scenario plays in %s", lang, lang)
		}
		if strings.TrimSpace(s.Problem.In(lang)) == "" {
			add(lineOf("problem"), "problem.%s is required: the scenario plays in %s", lang, lang)
		}
		if strings.TrimSpace(s.Customer.Name.In(lang)) == "" {
			add(lineOf("customer", "name"), "customer.name.%s is required: the scenario plays in %s", lang, lang)
		}
		if len(nonBlank(s.Opening.In(lang))) == 0 {
			add(lineOf("opening"), "opening.%s needs at least one message to the bot", lang)
		}
	}
	seen := map[When]bool{}
	for i, r := range s.Reactions {
		if !slices.Contains(whenOrder, r.When) {
			add(lineOf("reactions", i, "when"), "when must be one of %s, not %q", joinNames(whenOrder), r.When)
			continue
		}
		seen[r.When] = true
		if r.Mood < -100 || r.Mood > 100 {
			add(lineOf("reactions", i, "mood"), "mood change must be between -100 and 100, not %d", r.Mood)
		}
		for _, lang := range s.Languages {
			if len(nonBlank(r.Say.In(lang))) == 0 {
				add(lineOf("reactions", i, "say"), "say.%s needs at least one line for the customer", lang)
			}
			if r.When == WhenMatch && len(nonBlank(r.Match.In(lang))) == 0 {
				add(lineOf("reactions", i, "match"), "when: match needs match.%s phrases", lang)
			}
		}
		if r.When != WhenMatch && (len(r.Match.JA) > 0 || len(r.Match.EN) > 0) {
			add(lineOf("reactions", i, "match"), "match phrases only apply to when: match")
		}
	}
	for _, w := range requiredWhens {
		if !seen[w] {
			add(lineOf("reactions"), "reactions need a rule for when: %s", w)
		}
	}
	res := s.Resolution
	if len(res.Steps) == 0 && res.Transfer == "" && !res.Callback {
		add(lineOf("resolution"), "resolution needs steps, a transfer or a callback")
	}
	ids := map[string]bool{}
	for i, st := range res.Steps {
		if !idRE.MatchString(st.ID) {
			add(lineOf("resolution", "steps", i, "id"), "step id must be lower-case letters, digits, '-' or '_'; got %q", st.ID)
		} else if ids[st.ID] {
			add(lineOf("resolution", "steps", i, "id"), "step id %q is used twice", st.ID)
		}
		ids[st.ID] = true
		for _, lang := range s.Languages {
			if strings.TrimSpace(st.Label.In(lang)) == "" {
				add(lineOf("resolution", "steps", i, "label"), "label.%s is required", lang)
			}
			if len(nonBlank(st.Cues.In(lang))) == 0 {
				add(lineOf("resolution", "steps", i, "cues"), "cues.%s needs at least one phrase", lang)
			}
		}
	}
	if res.Transfer != "" && !slices.Contains(Teams, res.Transfer) {
		add(lineOf("resolution", "transfer"), "transfer must be one of %s, not %q", joinNames(Teams), res.Transfer)
	}
	if res.HandleMinutes < 0 {
		add(lineOf("resolution", "handle_minutes"), "handle_minutes must not be negative")
	}
	if s.Sensitive && res.Transfer == "" {
		add(lineOf("sensitive"), "a sensitive scenario needs resolution.transfer: the team that must take it")
	}
	total := 0
	for item, w := range s.Rubric {
		if !slices.Contains(weightedItems, item) {
			add(lineOf("rubric", string(item)), "rubric item must be one of %s, not %q", joinNames(weightedItems), item)
		}
		if w < 0 {
			add(lineOf("rubric", string(item)), "rubric weight must not be negative")
		}
		total += w
	}
	if len(s.Rubric) > 0 && total == 0 {
		add(lineOf("rubric"), "rubric weights add up to 0")
	}
	return ps
}

func nonBlank(ss []string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// joinNames lists a closed set of names for an error message.
func joinNames[T ~string](names []T) string {
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = string(n)
	}
	return strings.Join(s, ", ")
}

//go:embed scenarios/*.yaml
var builtinFS embed.FS

// Builtins returns the embedded scenarios, sorted by id. They are validated
// by the tests; an invalid one is a build error in spirit, so it panics.
func Builtins() []*Scenario {
	entries, err := fs.ReadDir(builtinFS, "scenarios")
	if err != nil {
		panic(err)
	}
	var out []*Scenario
	for _, e := range entries {
		data, err := builtinFS.ReadFile("scenarios/" + e.Name())
		if err != nil {
			panic(err)
		}
		s, err := Load(e.Name(), data)
		if err != nil {
			panic(fmt.Sprintf("built-in scenario %s: %v", e.Name(), err))
		}
		s.Source = "built-in"
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// BuiltinYAML returns the file of a built-in scenario, e.g. to start a new one from.
func BuiltinYAML(id string) ([]byte, bool) {
	data, err := builtinFS.ReadFile("scenarios/" + id + ".yaml")
	return data, err == nil
}

// Catalog is the scenarios a session can pick from: the built-ins plus any
// added with --scenarios DIR (a file's id replaces a built-in's).
type Catalog struct {
	Scenarios []*Scenario
}

// NewCatalog returns the built-ins plus every *.yaml / *.yml file in dir
// (dir may be ""). Any invalid file makes it fail, naming the file and line.
func NewCatalog(dir string) (*Catalog, error) {
	c := &Catalog{Scenarios: Builtins()}
	if dir == "" {
		return c, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot read the scenarios directory %s: %w", dir, err)
	}
	var errs []string
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %v", path, err))
			continue
		}
		s, err := Load(path, data)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		c.add(s)
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return c, nil
}

func (c *Catalog) add(s *Scenario) {
	for i, old := range c.Scenarios {
		if old.ID == s.ID {
			c.Scenarios[i] = s
			return
		}
	}
	c.Scenarios = append(c.Scenarios, s)
	sort.Slice(c.Scenarios, func(i, j int) bool { return c.Scenarios[i].ID < c.Scenarios[j].ID })
}

// Find returns the scenario with the given id.
func (c *Catalog) Find(id string) (*Scenario, bool) {
	for _, s := range c.Scenarios {
		if s.ID == id {
			return s, true
		}
	}
	return nil, false
}
