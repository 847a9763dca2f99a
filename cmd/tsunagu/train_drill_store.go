package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"tsunagu/handoff/training"
	"tsunagu/transcripts"
)

// saveDrill stores a drill run's results (nothing when no question was
// answered) as a training session of the scenario "drill", so they appear
// in `train history`. A run that cannot be stored goes to a recovery file.
func saveDrill(g *globalOptions, trainee string, d *training.Drill, w io.Writer) error {
	if d == nil || len(d.Results()) == 0 {
		return nil
	}
	points, maxPoints := d.Score()
	items, err := json.Marshal(d.Results())
	if err != nil {
		return err
	}
	score := 0.0
	if maxPoints > 0 {
		score = float64(int(float64(points)/float64(maxPoints)*1000+0.5)) / 10
	}
	rec := transcripts.TrainingSession{Trainee: trainee, ScenarioID: training.DrillScenarioID, Score: score, Items: items}
	st, err := openTrainStore(g.dbPath)
	if err == nil {
		defer st.Close()
		var id uint64
		if id, err = st.SaveTraining(rec); err == nil {
			fmt.Fprintf(w, "%s %d\n", say(g.language(), "Drill results saved as session", "ドリルの結果を保存しました。セッション"), id)
			return nil
		}
	}
	path, werr := writeRecoveryRecords(filepath.Dir(g.dbPath), []transcripts.TrainingSession{rec})
	if werr != nil {
		return fmt.Errorf(say(g.language(), "the drill results were not saved (%w) and no recovery file could be written: %s",
			"ドリルの結果を保存できず（%w）、復旧ファイルも書けませんでした：%s"), err, readErrorText(werr))
	}
	return fmt.Errorf(say(g.language(), "the drill results were not saved (%w); they are kept in %s: tsunagu train import %s",
		"ドリルの結果を保存できませんでした（%w）。%s に残してあります：tsunagu train import %s"), err, path, path)
}
