package training

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"tsunagu/transcripts"
)

// Record turns a scorecard into the store's training session record: the
// whole scorecard (items with their reasons and quotes) goes in Items as
// JSON, so a stored session can be exported to Markdown again.
func (c Scorecard) Record() (transcripts.TrainingSession, error) {
	items, err := json.Marshal(c)
	if err != nil {
		return transcripts.TrainingSession{}, fmt.Errorf("cannot encode the scorecard: %w", err)
	}
	return transcripts.TrainingSession{Trainee: c.Trainee, ScenarioID: c.ScenarioID, At: c.At, Score: c.Total, Items: items, Transcript: c.Transcript}, nil
}

// ScenarioProgress is one trainee's record on one scenario.
type ScenarioProgress struct {
	ScenarioID string    `json:"scenario_id"`
	Sessions   int       `json:"sessions"`
	Best       float64   `json:"best"`
	Last       float64   `json:"last"`
	Average    float64   `json:"average"`
	LastAt     time.Time `json:"last_at"`
}

// ItemProgress is one trainee's average on one rubric item, as a share of
// its weight (0-1), with how often a critical item failed.
type ItemProgress struct {
	Item     Item    `json:"item"`
	Sessions int     `json:"sessions"`
	Average  float64 `json:"average"`
	Failed   int     `json:"failed,omitempty"`
}

// Progress is one trainee's history.
type Progress struct {
	Trainee   string             `json:"trainee"`
	Sessions  int                `json:"sessions"`
	Scenarios []ScenarioProgress `json:"scenarios"`
	Items     []ItemProgress     `json:"items"`
}

// Summarise groups stored sessions by trainee, then by scenario and by
// rubric item. Sessions whose items cannot be read still count by score.
func Summarise(sessions []transcripts.TrainingSession) []Progress {
	byTrainee := map[string][]transcripts.TrainingSession{}
	for _, s := range sessions {
		byTrainee[s.Trainee] = append(byTrainee[s.Trainee], s)
	}
	var out []Progress
	for trainee, ss := range byTrainee {
		sort.Slice(ss, func(i, j int) bool {
			return ss[i].At.Before(ss[j].At) || ss[i].At.Equal(ss[j].At) && ss[i].ID < ss[j].ID
		})
		p := Progress{Trainee: trainee, Sessions: len(ss)}
		scen := map[string]*ScenarioProgress{}
		items := map[Item]*ItemProgress{}
		for _, s := range ss {
			sp := scen[s.ScenarioID]
			if sp == nil {
				sp = &ScenarioProgress{ScenarioID: s.ScenarioID, Best: s.Score}
				scen[s.ScenarioID] = sp
			}
			sp.Sessions++
			sp.Best = max(sp.Best, s.Score)
			sp.Last, sp.LastAt = s.Score, s.At
			sp.Average += s.Score
			card, ok := StoredScorecard(s)
			if !ok {
				continue
			}
			for _, r := range card.Items {
				ip := items[r.Item]
				if ip == nil {
					ip = &ItemProgress{Item: r.Item}
					items[r.Item] = ip
				}
				ip.Sessions++
				ip.Average += r.Score
				if r.Failed {
					ip.Failed++
				}
			}
		}
		for _, sp := range scen {
			sp.Average = round1(sp.Average / float64(sp.Sessions))
			p.Scenarios = append(p.Scenarios, *sp)
		}
		sort.Slice(p.Scenarios, func(i, j int) bool { return p.Scenarios[i].ScenarioID < p.Scenarios[j].ScenarioID })
		for _, it := range AllItems() {
			if ip := items[it]; ip != nil {
				ip.Average = float64(int(ip.Average/float64(ip.Sessions)*100+0.5)) / 100
				p.Items = append(p.Items, *ip)
			}
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Trainee < out[j].Trainee })
	return out
}

func round1(x float64) float64 { return float64(int(x*10+0.5)) / 10 }

// StoredScorecard reads back the scorecard kept with a stored session.
func StoredScorecard(s transcripts.TrainingSession) (Scorecard, bool) {
	var c Scorecard
	if err := json.Unmarshal(s.Items, &c); err != nil || len(c.Items) == 0 {
		return Scorecard{}, false
	}
	c.Transcript = s.Transcript
	return c, true
}
