package training

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"tsunagu/transcripts"
	"tsunagu/transcripts/termsafe"
)

// pad fills s with spaces to w terminal cells (Japanese takes two each).
func pad(s string, w int) string {
	return s + strings.Repeat(" ", max(w-ansi.StringWidth(s), 1))
}

// DrillScenarioID is the ScenarioID of stored escalation drill results.
const DrillScenarioID = "drill"

// transcriptLines is the whole session for review: the bot stage, then
// the trainee's chat.
func (s *Session) transcriptLines() []transcripts.TrainingLine {
	out := make([]transcripts.TrainingLine, 0, len(s.botStage)+len(s.lines))
	for _, l := range s.botStage {
		out = append(out, transcripts.TrainingLine{At: l.At, Speaker: l.Speaker, Text: l.Text})
	}
	for _, l := range s.lines {
		tl := transcripts.TrainingLine{At: l.At, Speaker: l.Speaker, Text: l.Text, Action: l.Action}
		if l.Speaker == SpeakerCustomer {
			tl.Mood = l.Mood
		}
		if l.Action == "transfer" && l.Team != "" && tl.Text == "" {
			tl.Text = string(l.Team)
		}
		out = append(out, tl)
	}
	return out
}

// speakerLabel names a transcript speaker in lang.
func speakerLabel(speaker, lang string) string {
	switch speaker {
	case SpeakerTrainee:
		return msg(lang, "you", "あなた")
	case SpeakerCustomer:
		return msg(lang, "customer", "お客様")
	case "bot":
		return msg(lang, "bot", "ボット")
	}
	return msg(lang, "system", "システム")
}

func lineText(l transcripts.TrainingLine) string {
	if l.Action != "" {
		return strings.TrimSuffix("/"+l.Action+" "+l.Text, " ")
	}
	return l.Text
}

// transcriptMarkdown is the transcript section of the Markdown export.
func (c Scorecard) transcriptMarkdown() string {
	if len(c.Transcript) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n## %s\n\n", msg(c.Lang, "Transcript", "やり取り"))
	for _, l := range c.Transcript {
		fmt.Fprintf(&b, "- `%s` **%s**: %s\n", l.At.Format("15:04:05"), speakerLabel(l.Speaker, c.Lang), mdInline(lineText(l)))
	}
	return b.String()
}

// decidedBy returns the card items whose quote is in the trainee's line.
func decidedBy(items []ItemResult, text string) []ItemResult {
	var out []ItemResult
	norm := strings.Join(strings.Fields(text), " ")
	for _, it := range items {
		q := strings.Join(strings.Fields(it.Quote), " ")
		if q != "" && strings.Contains(norm, q) {
			out = append(out, it)
		}
	}
	return out
}

func itemMark(it ItemResult, lang string) string {
	if it.Critical {
		if it.Failed {
			return msg(lang, "FAIL", "不合格")
		}
		return msg(lang, "pass", "合格")
	}
	return fmt.Sprintf("%.1f/%d", it.Points, it.Weight)
}

// ReplayText prints a stored session line by line, each card item beside
// the trainee line that decided it; items no line decided follow at the end.
func ReplayText(s transcripts.TrainingSession, lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d · %s · %s · %s · %s %.1f\n", msg(lang, "Session", "セッション"), s.ID, termsafe.Line(s.Trainee),
		termsafe.Line(s.ScenarioID), s.At.Format("2006-01-02 15:04"), msg(lang, "score", "得点"), s.Score)
	card, ok := StoredScorecard(s)
	if len(s.Transcript) == 0 {
		fmt.Fprintln(&b, msg(lang, "(no transcript was stored with this session)", "（このセッションにはやり取りが保存されていません）"))
	}
	used := map[Item]bool{}
	for _, l := range s.Transcript {
		fmt.Fprintf(&b, "%s %-8s %s", l.At.Format("15:04:05"), speakerLabel(l.Speaker, lang)+":", termsafe.Line(lineText(l)))
		if l.Speaker == SpeakerCustomer && l.Mood > 0 {
			fmt.Fprintf(&b, "  (%s %d)", msg(lang, "mood", "気分"), l.Mood)
		}
		b.WriteString("\n")
		if !ok || l.Speaker != SpeakerTrainee || l.Action != "" {
			continue
		}
		for _, it := range decidedBy(card.Items, l.Text) {
			if used[it.Item] {
				continue
			}
			used[it.Item] = true
			fmt.Fprintf(&b, "           ↳ %s %s: %s\n", it.Item.Label(lang), itemMark(it, lang), termsafe.Line(it.Why))
		}
	}
	if ok {
		var rest []ItemResult
		for _, it := range card.Items {
			if !used[it.Item] {
				rest = append(rest, it)
			}
		}
		if len(rest) > 0 {
			fmt.Fprintf(&b, "%s\n", msg(lang, "Decided by the session as a whole:", "セッション全体で判定した項目："))
			for _, it := range rest {
				fmt.Fprintf(&b, "  %s %s: %s\n", it.Item.Label(lang), itemMark(it, lang), termsafe.Line(it.Why))
			}
		}
	}
	return b.String()
}

// SessionRow is one stored session in the review list.
type SessionRow struct {
	ID             uint64    `json:"id"`
	At             time.Time `json:"at"`
	Trainee        string    `json:"trainee"`
	ScenarioID     string    `json:"scenario_id"`
	Score          float64   `json:"score"`
	CriticalFailed bool      `json:"critical_failed,omitempty"`
	Lines          int       `json:"lines"` // transcript lines stored
}

// ItemTrend is one rubric item's share of its weight (0-1), session by
// session, oldest first.
type ItemTrend struct {
	Item   Item      `json:"item"`
	Values []float64 `json:"values"`
}

// Trend is one trainee's scores, oldest first, overall and per item; drill
// results are their own row.
type Trend struct {
	Trainee string      `json:"trainee"`
	Scores  []float64   `json:"scores"`
	Drill   []float64   `json:"drill,omitempty"`
	Items   []ItemTrend `json:"items"`
}

// Review is what `train history` shows: every session, the trends, and
// the progress summary.
type Review struct {
	Sessions []SessionRow `json:"sessions"`
	Trends   []Trend      `json:"trends"`
	Progress []Progress   `json:"progress"`
}

// NewReview builds the review of stored sessions (any order).
func NewReview(sessions []transcripts.TrainingSession) Review {
	ss := append([]transcripts.TrainingSession(nil), sessions...)
	sort.Slice(ss, func(i, j int) bool {
		return ss[i].At.Before(ss[j].At) || ss[i].At.Equal(ss[j].At) && ss[i].ID < ss[j].ID
	})
	r := Review{Sessions: []SessionRow{}, Trends: []Trend{}, Progress: Summarise(ss)}
	if r.Progress == nil {
		r.Progress = []Progress{}
	}
	byTrainee := map[string]*Trend{}
	var names []string
	for _, s := range ss {
		row := SessionRow{ID: s.ID, At: s.At, Trainee: s.Trainee, ScenarioID: s.ScenarioID, Score: s.Score, Lines: len(s.Transcript)}
		card, ok := StoredScorecard(s)
		row.CriticalFailed = ok && card.CriticalFailed
		r.Sessions = append(r.Sessions, row)
		tr := byTrainee[s.Trainee]
		if tr == nil {
			tr = &Trend{Trainee: s.Trainee}
			byTrainee[s.Trainee] = tr
			names = append(names, s.Trainee)
		}
		if s.ScenarioID == DrillScenarioID {
			tr.Drill = append(tr.Drill, s.Score)
			continue
		}
		tr.Scores = append(tr.Scores, s.Score)
		if !ok {
			continue
		}
		for _, it := range card.Items {
			i := 0
			for i < len(tr.Items) && tr.Items[i].Item != it.Item {
				i++
			}
			if i == len(tr.Items) {
				tr.Items = append(tr.Items, ItemTrend{Item: it.Item})
			}
			tr.Items[i].Values = append(tr.Items[i].Values, it.Score)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		r.Trends = append(r.Trends, *byTrainee[n])
	}
	// Newest first in the list, as history lists conversations.
	sort.SliceStable(r.Sessions, func(i, j int) bool { return r.Sessions[i].ID > r.Sessions[j].ID })
	return r
}

var sparkLevels = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws values between 0 and top as one row of block cells.
func Sparkline(values []float64, top float64) string {
	var b strings.Builder
	for _, v := range values {
		i := 0
		if top > 0 {
			i = int(v / top * float64(len(sparkLevels)-1))
		}
		b.WriteRune(sparkLevels[max(0, min(i, len(sparkLevels)-1))])
	}
	return b.String()
}

// Text renders the review for the terminal: the session list, then each
// trainee's trend as sparkline rows, overall and per rubric item.
func (r Review) Text(lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s%s%s%s%s\n", pad("ID", 6), pad(msg(lang, "DATE", "日時"), 17), pad(msg(lang, "TRAINEE", "研修生"), 15), pad(msg(lang, "SCENARIO", "シナリオ"), 27), msg(lang, " SCORE", "  得点"))
	for _, s := range r.Sessions {
		crit := ""
		if s.CriticalFailed {
			crit = " " + msg(lang, "(critical)", "（重大）")
		}
		fmt.Fprintf(&b, "%s%s%s%s%6.1f%s\n", pad(strconv.FormatUint(s.ID, 10), 6), pad(s.At.Format("2006-01-02 15:04"), 17), pad(termsafe.Line(s.Trainee), 15), pad(termsafe.Line(s.ScenarioID), 27), s.Score, crit)
	}
	for _, t := range r.Trends {
		fmt.Fprintf(&b, "\n%s %s\n", msg(lang, "Trend for", "推移："), termsafe.Line(t.Trainee))
		if len(t.Scores) > 0 {
			fmt.Fprintf(&b, "  %s%s  %.1f\n", pad(msg(lang, "score", "得点"), 30), Sparkline(t.Scores, 100), t.Scores[len(t.Scores)-1])
		}
		if len(t.Drill) > 0 {
			fmt.Fprintf(&b, "  %s%s  %.1f\n", pad(msg(lang, "escalation drill", "エスカレーション判断ドリル"), 30), Sparkline(t.Drill, 100), t.Drill[len(t.Drill)-1])
		}
		for _, it := range t.Items {
			fmt.Fprintf(&b, "  %s%s  %.0f%%\n", pad(it.Item.Label(lang), 30), Sparkline(it.Values, 1), it.Values[len(it.Values)-1]*100)
		}
	}
	return b.String()
}
