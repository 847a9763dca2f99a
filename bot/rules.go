package bot

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"embed"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"tsunagu/bot/classify"
	"tsunagu/bot/yamlfile"
)

// The default rules and the Bitext-derived example corpus (CDLA-Sharing-1.0,
// see rules/NOTICE) are compiled into the binary.
//
//go:embed rules/default.yaml rules/bitext-train.tsv rules/clauses.yaml rules/default.model
var rulesFS embed.FS

// The clause roles of rules/clauses.yaml; the policy acts on each.
const (
	RoleProblem  = "problem"
	RoleRemedy   = "remedy"
	RoleDetail   = "detail"
	RoleVague    = "vague"
	RoleSocial   = "social"
	RoleLegal    = "legal"
	RoleOffTopic = "off_topic"
)

var clauseRoles = []string{RoleProblem, RoleRemedy, RoleDetail, RoleVague, RoleSocial, RoleLegal, RoleOffTopic}

// clauseOptions train the clause set: tens of examples per label, not the
// intents' tens of thousands, so more passes at a higher rate.
var clauseOptions = classify.Options{Epochs: 40, Rate: 4}

// clauseModel is the one clause model, shared by every engine (a Model is
// read-only): trained at build time, or here if rules/clauses.yaml changed
// since.
var clauseModel = sync.OnceValue(func() *classify.Model {
	if p := loadPrecomputed(); p != nil && p.clausesSum == sha256.Sum256(clausesYAML()) {
		return p.clauses
	}
	return trainClauses()
})

func clausesYAML() []byte {
	data, err := rulesFS.ReadFile("rules/clauses.yaml")
	if err != nil {
		panic(err)
	}
	return data
}

// trainClauses trains the clause model from rules/clauses.yaml.
func trainClauses() *classify.Model {
	data, err := rulesFS.ReadFile("rules/clauses.yaml")
	if err != nil {
		panic(err)
	}
	opts := clauseOptions
	opts.Labels = clauseRoles
	return classify.MustLoadLabels("bot/rules/clauses.yaml", data, opts)
}

// DefaultRulesName is the name the embedded rules report in messages.
const DefaultRulesName = "default rules"

// Intents lists the 33 intents of the product contract, in taxonomy order. A rules
// file may define a subset; a name outside this list is an error.
var Intents = []string{
	"cancel_order", "change_order", "place_order", "track_order",
	"check_cancellation_fee", "change_shipping_address", "set_up_shipping_address",
	"delivery_options", "delivery_period",
	"check_invoice", "get_invoice", "check_payment_methods", "payment_issue",
	"check_refund_policy", "get_refund", "track_refund",
	"create_account", "delete_account", "edit_account", "recover_password", "registration_problems", "switch_account",
	"contact_customer_service", "contact_human_agent",
	"complaint", "review", "newsletter_subscription",
	"product_problem", "return_item", "account_security", "membership", "greeting", "goodbye",
}

// Text is one piece of text in both languages. Written out (scenario
// files made from history), Japanese comes first and empty languages are
// left out.
type Text struct {
	JA string `yaml:"ja,omitempty"`
	EN string `yaml:"en,omitempty"`
}

// In returns the text in lang ("ja", otherwise English).
func (t Text) In(lang string) string {
	if lang == "ja" {
		return t.JA
	}
	return t.EN
}

// Texts is a list of texts per language.
type Texts struct {
	JA []string `yaml:"ja,omitempty"`
	EN []string `yaml:"en,omitempty"`
}

// In returns the list for lang ("ja", otherwise English).
func (t Texts) In(lang string) []string {
	if lang == "ja" {
		return t.JA
	}
	return t.EN
}

// PerLang is a number per language.
type PerLang struct {
	EN float64 `yaml:"en"`
	JA float64 `yaml:"ja"`
}

// In returns the number for lang ("ja", otherwise English).
func (p PerLang) In(lang string) float64 {
	if lang == "ja" {
		return p.JA
	}
	return p.EN
}

// Shop describes the (fictional) shop the bot works for.
type Shop struct {
	Name       Text   `yaml:"name"`
	Phone      string `yaml:"phone"`
	PhoneHours string `yaml:"phone_hours"`
	Email      string `yaml:"email"`
	Web        string `yaml:"web"`
}

// Policy holds the thresholds of the clarify and escalate policy.
type Policy struct {
	// MinConfidence: below it, the bot clarifies instead of answering.
	// Per language, because Japanese is learnt from far fewer examples and
	// its scores are flatter.
	MinConfidence PerLang `yaml:"min_confidence"`
	// MinConfidenceWithPattern replaces MinConfidence when one of the top
	// intent's own patterns matched: a hand-written rule agreeing with the
	// scorer is worth some confidence.
	MinConfidenceWithPattern PerLang `yaml:"min_confidence_with_pattern"`
	// MinConfidenceShort replaces MinConfidence for a bare topic ("invoice",
	// 「注文について」): at most ShortWords English words or ShortChars
	// Japanese characters, with no pattern of the top intent. A topic is
	// not yet a request, so the bot asks which request it is.
	MinConfidenceShort PerLang `yaml:"min_confidence_short"`
	ShortWords         int     `yaml:"short_words"`
	ShortChars         int     `yaml:"short_chars"`
	// ClarifyMargin: when the top two intents are closer than this, clarify.
	ClarifyMargin PerLang `yaml:"clarify_margin"`
	// MinCoverage is the share of a message's features the model knows,
	// per language, below which the message is out of scope (unless a
	// pattern matched).
	MinCoverage PerLang `yaml:"min_coverage"`
	// MaxClarifications in a row; the next unclear message escalates with
	// no_progress.
	MaxClarifications int `yaml:"max_clarifications"`
	// MaxChoices offered by a clarification.
	MaxChoices int `yaml:"max_choices"`
	// OutOfScopeOffer are the intents offered as numbered choices when a
	// message is outside the shop's topics, so "1" or "2" still leads
	// somewhere.
	OutOfScopeOffer []string `yaml:"out_of_scope_offer"`
	// PatternBoost is added to an intent's score when one of its patterns
	// matches.
	// Per language: Japanese leans on its patterns more, because its
	// examples are few.
	PatternBoost PerLang `yaml:"pattern_boost"`
	// ClauseRoleMin: a clause's role (rules/clauses.yaml) counts when it
	// scores at least this.
	ClauseRoleMin float64 `yaml:"clause_role_min"`
	// ClauseMinConfidence: a clause raises an issue only when its best
	// intent scores at least this.
	ClauseMinConfidence PerLang `yaml:"clause_min_confidence"`
	// SameIssueOverlap: two clauses whose intent readings overlap at least
	// this much are one issue said twice.
	SameIssueOverlap float64 `yaml:"same_issue_overlap"`
	// LegalMin: a clause read as a legal threat with at least this score,
	// and ClauseMinCoverage of it known to the clause examples, escalates.
	LegalMin          float64 `yaml:"legal_min"`
	ClauseMinCoverage PerLang `yaml:"clause_min_coverage"`
	// RefundDays: business days from the return's arrival to the refund
	// reaching the customer ({refund_by} in order replies).
	RefundDays int `yaml:"refund_days"`
	// VagueOffer are the topics offered to a vague message, after the
	// menu's topic and LikelyTopics for the order's status.
	VagueOffer []string `yaml:"vague_offer"`
	// OffTopicMin: a message every clause of which reads as off_topic with
	// at least this score is outside the shop's topics.
	OffTopicMin         float64 `yaml:"off_topic_min"`
	OffTopicMinCoverage PerLang `yaml:"off_topic_min_coverage"`
	// NoIssueMin: a clause read as social, vague or off_topic with at least
	// this score raises no issue, and its intent is not read.
	NoIssueMin float64 `yaml:"no_issue_min"`
	// VagueMin: a clause says only "there is something" when read so with
	// at least this score, and ClauseMinCoverage of it known.
	VagueMin float64 `yaml:"vague_min"`
	// VagueMaxConfidence: a message whose best intent scores at least this
	// names its topic, however vaguely it is put.
	VagueMaxConfidence float64             `yaml:"vague_max_confidence"`
	LikelyTopics       map[string][]string `yaml:"likely_topics"`
	// ExampleWeight repeats each hand-written example this many times in
	// training, so a few hand-written examples are not drowned by a large
	// corpus.
	ExampleWeight int `yaml:"example_weight"`
}

// Topic is one sub-topic of the contact flow's menu.
type Topic struct {
	ID     string `yaml:"id"`
	Label  Text   `yaml:"label"`
	Intent string `yaml:"intent"`
}

// Category is one top-level choice of the contact flow's menu.
type Category struct {
	ID     string  `yaml:"id"`
	Label  Text    `yaml:"label"`
	Topics []Topic `yaml:"topics"`
	// NeedsOrder: the flow asks which order before this category.
	NeedsOrder bool `yaml:"needs_order"`
	// NeedsAccount: only offered to signed-in customers.
	NeedsAccount bool `yaml:"needs_account"`
}

// Triggers are the escalation triggers of the product contract, as patterns per
// language. Patterns are phrases, or Go regexps prefixed with "re:", matched
// against the normalised message.
type Triggers struct {
	HumanRequest Texts `yaml:"human_request"`
	Sensitive    Texts `yaml:"sensitive"`
	Anger        Texts `yaml:"anger"`
	Legal        Texts `yaml:"legal"`
	NotHelped    Texts `yaml:"not_helped"`
	MultiIssue   Texts `yaml:"multi_issue"`
}

// Messages are the bot's own sentences, outside any intent.
type Messages struct {
	Greeting      Text            `yaml:"greeting"`
	Known         Text            `yaml:"known"`
	HowCanIHelp   Text            `yaml:"how_can_i_help"`
	OutOfScope    Text            `yaml:"out_of_scope"`
	Clarify       Text            `yaml:"clarify"`
	Vague         Text            `yaml:"vague"`
	ChoiceHint    Text            `yaml:"choice_hint"`
	NeedsAccount  Text            `yaml:"needs_account"`
	AnyOrder      Text            `yaml:"any_order"`
	Escalation    map[string]Text `yaml:"escalation"`
	OrderStatuses map[string]Text `yaml:"order_statuses"`
}

// Phrasing is one intent in one language.
type Phrasing struct {
	// Label names the intent in menus and clarifications.
	Label string `yaml:"label"`
	// Patterns that, when they match, boost this intent.
	Patterns []string `yaml:"patterns"`
	// Examples teach the scorer.
	Examples []string `yaml:"examples"`
	// Reply is the self-service answer; it may use {slots}.
	Reply string `yaml:"reply"`
	// ReplyNoOrder, if set, replaces Reply when no order is known.
	ReplyNoOrder string `yaml:"reply_no_order"`
}

// Playbook is what a human operator does with this intent. Simulated
// operators and the trainee scorecard use it.
type Playbook struct {
	// Facts the operator needs, as slot or fact names (order_id, phone…).
	Facts []string `yaml:"facts"`
	// Steps are the resolution steps, in order.
	Steps Texts `yaml:"steps"`
}

// Intent is one intent with its phrasings in both languages.
type Intent struct {
	Name  string `yaml:"-"`
	Group string `yaml:"group"`
	// Escalate, when set, makes every confident match of this intent an
	// escalation with this reason (contact_human_agent, complaint,
	// account_security).
	Escalate Reason `yaml:"escalate"`
	// NeedsAccount: order- or account-specific; without an account the
	// bot explains it needs one.
	NeedsAccount bool     `yaml:"needs_account"`
	EN           Phrasing `yaml:"en"`
	JA           Phrasing `yaml:"ja"`
	Playbook     Playbook `yaml:"playbook"`
	// OrderReplies replace the reply when the order's status and dates
	// call for another answer (a late parcel, a shipped order that can no
	// longer be cancelled). The first that applies wins.
	OrderReplies []OrderReply `yaml:"order_replies"`
	// Variants are kinds of the intent with a reply of their own, told
	// apart by their examples ("charged twice" is a payment problem, but
	// not a declined card). Their examples also teach the intent.
	Variants map[string]*Variant `yaml:"variants"`
	// variantOrder is the file's order of Variants.
	variantOrder []string
}

// OrderReply is a reply for an order in a given state.
type OrderReply struct {
	// Status lists the order statuses it applies to.
	Status []string `yaml:"status"`
	// MinDays: at least this many days since the status changed
	// (0: any).
	MinDays int `yaml:"min_days"`
	// Overdue: the refund should have reached the customer by now
	// (refund_days business days after the return); false: not yet.
	Overdue *bool  `yaml:"overdue"`
	EN      string `yaml:"en"`
	JA      string `yaml:"ja"`
}

// Variant is one kind of an intent, with examples and a reply per
// language.
type Variant struct {
	EN VariantPhrasing `yaml:"en"`
	JA VariantPhrasing `yaml:"ja"`
}

// VariantPhrasing is a variant in one language.
type VariantPhrasing struct {
	Examples []string `yaml:"examples"`
	Reply    string   `yaml:"reply"`
}

// In returns the variant in lang ("ja", otherwise English).
func (v *Variant) In(lang string) *VariantPhrasing {
	if lang == "ja" {
		return &v.JA
	}
	return &v.EN
}

// In returns the intent's phrasing in lang ("ja", otherwise English).
func (in *Intent) In(lang string) *Phrasing {
	if lang == "ja" {
		return &in.JA
	}
	return &in.EN
}

// Rules is a loaded, validated rules file. Treat it as read-only: an Engine
// and every conversation share it.
type Rules struct {
	Name           string              `yaml:"-"`
	Version        int                 `yaml:"version"`
	Shop           Shop                `yaml:"shop"`
	Policy         Policy              `yaml:"policy"`
	ExamplesCorpus string              `yaml:"examples_corpus"`
	Menu           []Category          `yaml:"menu"`
	Triggers       Triggers            `yaml:"triggers"`
	Messages       Messages            `yaml:"messages"`
	IntentMap      map[string]*Intent  `yaml:"intents"`
	order          []string            // intent names in file order
	compiled       map[string]*matcher // pattern sets, keyed by owner
	// sum is the SHA-256 of the rules file: the default rules' scorer,
	// trained at build time, is used for a file with the same sum.
	sum [32]byte
}

// IntentNames returns the defined intents in file order.
func (r *Rules) IntentNames() []string { return slices.Clone(r.order) }

// Intent returns one intent by name.
func (r *Rules) Intent(name string) (*Intent, bool) {
	in, ok := r.IntentMap[name]
	return in, ok
}

// Label returns an intent's label in lang, or the name itself.
func (r *Rules) Label(name, lang string) string {
	if in, ok := r.IntentMap[name]; ok {
		if l := in.In(lang).Label; l != "" {
			return l
		}
	}
	return name
}

// TopicOf finds the menu topic whose intent is name, for "About …" lines.
func (r *Rules) TopicOf(intent string) (Category, Topic, bool) {
	for _, c := range r.Menu {
		for _, t := range c.Topics {
			if t.Intent == intent {
				return c, t, true
			}
		}
	}
	return Category{}, Topic{}, false
}

type corpusExample struct {
	intent, text string
}

// DefaultRules returns the embedded rules. They are validated by the tests,
// so an error here means a broken build; it panics rather than limp on.
func DefaultRules() *Rules {
	// The models trained at build time are read meanwhile, so an engine
	// for these rules is ready as soon as they are.
	go loadPrecomputed()
	data, err := rulesFS.ReadFile("rules/default.yaml")
	if err != nil {
		panic(err)
	}
	r, err := loadRules(DefaultRulesName, data, yamlfile.DecodeTrustedDoc)
	if err != nil {
		panic("bot: the embedded default rules are invalid: " + err.Error())
	}
	return r
}

// DefaultRulesYAML returns the embedded rules file, e.g. as a starting point
// for a trainer's own file.
func DefaultRulesYAML() []byte {
	data, _ := rulesFS.ReadFile("rules/default.yaml")
	return data
}

// LoadRules parses and validates a rules file. name is used in messages,
// which read "NAME:LINE: message", one per line, listing every problem.
func LoadRules(name string, data []byte) (*Rules, error) {
	return loadRules(name, data, yamlfile.DecodeDoc)
}

// loadRules reads a rules file with decode: yamlfile.DecodeDoc, or for the
// embedded default rules (which TestDefaultRulesStrict reads strictly) the
// faster yamlfile.DecodeTrustedDoc.
func loadRules(name string, data []byte, decode func(string, []byte, any) (*yamlfile.Doc, error)) (*Rules, error) {
	r := &Rules{}
	doc, err := decode(name, data, r)
	if err != nil {
		return nil, err
	}
	r.Name = name
	if problems := r.validate(doc); len(problems) > 0 {
		return nil, &yamlfile.Error{Name: name, Problems: problems}
	}
	if r.ExamplesCorpus != "" && r.ExamplesCorpus != "bitext" {
		return nil, yamlfile.Errorf(name, doc.Line("examples_corpus"), "examples_corpus %q is not built in; the only one is \"bitext\"", r.ExamplesCorpus)
	}
	r.sum = sha256.Sum256(data)
	return r, nil
}

// Check validates a rules file and returns every problem as
// "NAME:LINE: message"; nil means the file is good.
func Check(name string, data []byte) []string {
	_, err := LoadRules(name, data)
	return yamlfile.Lines(name, err)
}

// loadCorpus reads the embedded example corpus the rules name (only
// "bitext" exists), keeping the examples of the rules' intents. Only
// training needs it.
func (r *Rules) loadCorpus() ([]corpusExample, error) {
	if r.ExamplesCorpus == "" {
		return nil, nil
	}
	if r.ExamplesCorpus != "bitext" {
		return nil, fmt.Errorf("examples_corpus %q is not built in; the only one is \"bitext\"", r.ExamplesCorpus)
	}
	data, err := rulesFS.ReadFile("rules/bitext-train.tsv")
	if err != nil {
		return nil, err
	}
	out := make([]corpusExample, 0, 30000)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		intent, text, ok := strings.Cut(line, "\t")
		if _, known := r.IntentMap[intent]; ok && known {
			out = append(out, corpusExample{intent, text})
		}
	}
	return out, sc.Err()
}

// validate runs the semantic checks of `tsunagu rules check` and compiles
// the patterns. doc is the same file as a node tree, for line numbers.
func (r *Rules) validate(doc *yamlfile.Doc) []yamlfile.Problem {
	var ps []yamlfile.Problem
	bad := func(line int, format string, a ...any) {
		ps = append(ps, yamlfile.Problem{Line: line, Message: fmt.Sprintf(format, a...)})
	}
	r.compiled = map[string]*matcher{}
	if len(r.IntentMap) == 0 {
		bad(doc.Line(), "the file defines no intents; add an \"intents:\" mapping")
	}
	r.order = doc.Keys("intents")
	for _, name := range r.order {
		in := r.IntentMap[name]
		line := doc.Line("intents", name)
		if !slices.Contains(Intents, name) {
			bad(line, "unknown intent %q; the intents are those of SPEC section 3, e.g. track_order", name)
			continue
		}
		if in == nil {
			bad(line, "intent %s is empty", name)
			continue
		}
		in.Name = name
		in.variantOrder = doc.Keys("intents", name, "variants")
		for _, v := range in.variantOrder {
			if in.Variants[v] == nil || len(in.Variants[v].EN.Examples)+len(in.Variants[v].JA.Examples) == 0 || in.Variants[v].EN.Reply == "" || in.Variants[v].JA.Reply == "" {
				bad(doc.Line("intents", name, "variants", v), "intent %s: variant %s needs examples and a reply in both en and ja", name, v)
			}
		}
		for i, o := range in.OrderReplies {
			if len(o.Status) == 0 || o.EN == "" || o.JA == "" {
				bad(doc.Line("intents", name, "order_replies", i), "intent %s: an order reply needs a status list and both en and ja", name)
			}
		}
		switch in.Escalate {
		case ReasonNone, ReasonHumanRequested, ReasonSensitive, ReasonComplaint:
		default:
			bad(doc.Line("intents", name, "escalate"), "intent %s: escalate must be human_requested, sensitive or complaint, not %q", name, in.Escalate)
		}
		for _, lang := range []string{"en", "ja"} {
			p := in.In(lang)
			if doc.Node("intents", name, lang) == nil {
				bad(line, "intent %s has no %q section; every intent needs both ja and en", name, lang)
				continue
			}
			if strings.TrimSpace(p.Reply) == "" {
				bad(doc.Line("intents", name, lang, "reply"), "intent %s (%s) has an empty reply", name, lang)
			}
			if strings.TrimSpace(p.Label) == "" {
				bad(doc.Line("intents", name, lang), "intent %s (%s) has no label", name, lang)
			}
			m, errs := compilePatterns(p.Patterns)
			for _, e := range errs {
				bad(doc.Line("intents", name, lang, "patterns", e.index), "intent %s (%s): %s", name, lang, e.msg)
			}
			r.compiled[name+"/"+lang] = m
		}
	}
	for ci, c := range r.Menu {
		for ti, t := range c.Topics {
			if _, ok := r.IntentMap[t.Intent]; !ok {
				bad(doc.Line("menu", ci, "topics", ti, "intent"), "menu topic %s/%s points at intent %q, which this file does not define", c.ID, t.ID, t.Intent)
			}
		}
	}
	triggers := map[string]Texts{
		"human_request": r.Triggers.HumanRequest, "sensitive": r.Triggers.Sensitive, "anger": r.Triggers.Anger,
		"legal": r.Triggers.Legal, "not_helped": r.Triggers.NotHelped, "multi_issue": r.Triggers.MultiIssue,
	}
	for _, key := range sortedKeys(triggers) {
		for _, lang := range []string{"en", "ja"} {
			m, errs := compilePatterns(triggers[key].In(lang))
			for _, e := range errs {
				bad(doc.Line("triggers", key, lang, e.index), "trigger %s (%s): %s", key, lang, e.msg)
			}
			r.compiled["trigger:"+key+"/"+lang] = m
		}
	}
	p := &r.Policy
	for _, lang := range []string{"en", "ja"} {
		if v := p.MinConfidence.In(lang); v < 0 || v > 1 {
			bad(doc.Line("policy", "min_confidence"), "policy min_confidence.%s must be between 0 and 1", lang)
		}
		if v := p.MinConfidenceShort.In(lang); v < 0 || v > 1 {
			bad(doc.Line("policy", "min_confidence_short"), "policy min_confidence_short.%s must be between 0 and 1", lang)
		}
		if v := p.MinConfidenceWithPattern.In(lang); v < 0 || v > 1 {
			bad(doc.Line("policy", "min_confidence_with_pattern"), "policy min_confidence_with_pattern.%s must be between 0 and 1", lang)
		}
		if v := p.ClarifyMargin.In(lang); v < 0 || v > 1 {
			bad(doc.Line("policy", "clarify_margin"), "policy clarify_margin.%s must be between 0 and 1", lang)
		}
		if v := p.MinCoverage.In(lang); v < 0 || v > 1 {
			bad(doc.Line("policy", "min_coverage"), "policy min_coverage.%s must be between 0 and 1", lang)
		}
	}
	if p.MaxClarifications < 1 {
		bad(doc.Line("policy", "max_clarifications"), "policy max_clarifications must be at least 1")
	}
	if p.MaxChoices < 2 || p.MaxChoices > 9 {
		bad(doc.Line("policy", "max_choices"), "policy max_choices must be between 2 and 9")
	}
	if len(p.OutOfScopeOffer) > 9 {
		bad(doc.Line("policy", "out_of_scope_offer"), "policy out_of_scope_offer may list at most 9 intents")
	}
	for i, name := range p.OutOfScopeOffer {
		if r.IntentMap[name] == nil {
			bad(doc.Line("policy", "out_of_scope_offer", i), "policy out_of_scope_offer: unknown intent %q", name)
		}
	}
	for i, name := range p.VagueOffer {
		if r.IntentMap[name] == nil {
			bad(doc.Line("policy", "vague_offer", i), "policy vague_offer: unknown intent %q", name)
		}
	}
	for _, status := range sortedKeys(p.LikelyTopics) {
		for i, name := range p.LikelyTopics[status] {
			if r.IntentMap[name] == nil {
				bad(doc.Line("policy", "likely_topics", status, i), "policy likely_topics.%s: unknown intent %q", status, name)
			}
		}
	}
	if p.ClauseRoleMin < 0 || p.ClauseRoleMin > 1 || p.SameIssueOverlap < 0 || p.SameIssueOverlap > 1 {
		bad(doc.Line("policy"), "policy clause_role_min and same_issue_overlap must be between 0 and 1")
	}
	if p.ExampleWeight < 1 {
		p.ExampleWeight = 1
	}
	for _, key := range []string{"human_requested", "sensitive", "complaint", "multi_issue", "unresolved", "no_progress"} {
		if t := r.Messages.Escalation[key]; t.EN == "" || t.JA == "" {
			bad(doc.Line("messages", "escalation", key), "messages.escalation.%s needs both en and ja", key)
		}
	}
	return ps
}

// matcher is a compiled set of patterns: phrases matched on word boundaries
// of the normalised text (substrings for Japanese), and regexps.
type matcher struct {
	phrases []string // normalised, padded with spaces when English
	regexps []filteredRegexp
	sources []string // original patterns, phrases first then regexps, for explanations
}

type patternError struct {
	index int
	msg   string
}

func compilePatterns(patterns []string) (*matcher, []patternError) {
	m := &matcher{}
	var errs []patternError
	var reSources []string
	for i, p := range patterns {
		if expr, ok := strings.CutPrefix(p, "re:"); ok {
			// The text is normalised, so fold the regexp's katakana and
			// widths the same way. Case is not folded: \B and \b differ.
			expr = foldRegexp(expr)
			re, err := regexp.Compile(expr)
			if err != nil {
				errs = append(errs, patternError{i, fmt.Sprintf("pattern %q is not a valid regexp: %v", p, regexpReason(err))})
				continue
			}
			sets, ok := requiredLiterals(expr)
			if !ok {
				sets = nil
			}
			m.regexps = append(m.regexps, filteredRegexp{re, sets})
			reSources = append(reSources, p)
			continue
		}
		n := Normalize(p)
		if n == "" {
			errs = append(errs, patternError{i, fmt.Sprintf("pattern %q is empty once normalised", p)})
			continue
		}
		m.phrases = append(m.phrases, padPhrase(n))
		m.sources = append(m.sources, p)
	}
	m.sources = append(m.sources, reSources...)
	return m, errs
}

func regexpReason(err error) string {
	if se, ok := err.(*syntax.Error); ok {
		return string(se.Code)
	}
	return err.Error()
}

// padPhrase adds word-boundary spaces to phrases that start or end with a
// Latin letter or digit, so "cancel" does not match "cancellation" but
// Japanese phrases match anywhere.
func padPhrase(n string) string {
	if isWordRune(rune(n[0])) {
		n = " " + n
	}
	if isWordRune(rune(n[len(n)-1])) {
		n += " "
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// foldRegexp applies the NFKC and katakana folding of Normalize to a regexp,
// so a pattern written with カタカナ matches the normalised text.
func foldRegexp(expr string) string {
	out, _, err := transform.String(transform.Chain(norm.NFKC, kanaFold), expr)
	if err != nil {
		return expr
	}
	return out
}
