package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tsunagu/handoff"
)

func runSimCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func TestSimJSONHasTheFieldsScriptsUse(t *testing.T) {
	out, errOut, code := runSimCLI(t, "sim", "--agents", "12", "--arrivals-per-hour", "100", "--handle-mean", "6m", "--no-abandon", "--hours", "300", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"offered", "answered", "abandoned", "wait_mean_s", "wait_p50_s", "wait_p90_s", "p_wait",
		"service_level", "utilisation", "transfers", "repeat_questions", "callbacks", "erlang_c"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %s", k, out)
		}
	}
	for _, k := range []string{"20s", "60s", "120s"} {
		if _, ok := m["service_level"].(map[string]any)[k]; !ok {
			t.Errorf("no service_level.%s", k)
		}
	}
	if m["abandoned"].(float64) != 0 || m["offered"].(float64) < 25000 {
		t.Fatalf("300 h at 100/h with --no-abandon: %s", out)
	}
}

func TestSimPoolReportsOperatorsAndNoRepeats(t *testing.T) {
	out, errOut, code := runSimCLI(t, "sim", "--hours", "48", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r handoff.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Operators) != len(handoff.DefaultPool().ChatOperators()) || r.RepeatQuestions != 0 || r.Callbacks == 0 || r.Transfers == 0 {
		t.Fatalf("pool run: %+v", r)
	}
	text, _, code := runSimCLI(t, "sim", "--hours", "48")
	if code != 0 || !strings.Contains(text, "repeated questions 0") || !strings.Contains(text, "tanaka") {
		t.Fatalf("text summary:\n%s", text)
	}
}

func TestSimIsDeterministicForASeed(t *testing.T) {
	a, _, _ := runSimCLI(t, "sim", "--hours", "24", "--json", "--seed", "5")
	b, _, _ := runSimCLI(t, "sim", "--hours", "24", "--json", "--seed", "5")
	c, _, _ := runSimCLI(t, "sim", "--hours", "24", "--json", "--seed", "6")
	if a != b || a == c || a == "" {
		t.Fatal("the same seed must print the same result, and another seed another")
	}
}

func TestSimStaffing(t *testing.T) {
	out, errOut, code := runSimCLI(t, "sim", "--staffing", "--target", "80/20", "--arrivals-per-hour", "100", "--handle-mean", "6m", "--hours", "500", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var s struct {
		Agents      int     `json:"agents"`
		Erlang      float64 `json:"erlang_service_level"`
		Simulated   float64 `json:"simulated_service_level"`
		MeetsTarget bool    `json:"simulation_meets_target"`
		Fewer       struct {
			Agents int     `json:"agents"`
			Erlang float64 `json:"erlang_service_level"`
		} `json:"one_fewer"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	// Erlang C: 13 operators give 75.8%, 14 give 86.1%.
	if s.Agents != 14 || s.Erlang < 0.8 || !s.MeetsTarget || s.Fewer.Agents != 13 || s.Fewer.Erlang >= 0.8 {
		t.Fatalf("staffing: %s", out)
	}
	text, _, _ := runSimCLI(t, "sim", "--staffing", "--target", "80/20", "--arrivals-per-hour", "100", "--handle-mean", "6m", "--hours", "100")
	if !strings.HasPrefix(text, "14 operators answer 80.0% of customers within 20s") {
		t.Fatalf("text: %s", text)
	}
}

func TestSimUsageErrors(t *testing.T) {
	tests := [][]string{
		{"sim", "--handle-dist", "gamma", "--agents", "2"},
		{"sim", "--hours", "0"},
		{"sim", "--arrivals-per-hour", "-1"},
		{"sim", "--agents", "3", "--no-abandon", "--patience-mean", "2m"},
		{"sim", "--handle-mean", "3m"},
		{"sim", "--staffing", "--target", "80/30"},
		{"sim", "--staffing", "--target", "eighty"},
		{"sim", "--arrivals-profile", "1,2,3"},
		{"sim", "--agents", "2", "--handle-mean", "0s"},
		{"sim", "--agents", "x"},
		{"sim", "extra"},
	}
	for _, args := range tests {
		t.Run(strings.Join(args[1:], " "), func(t *testing.T) {
			_, errOut, code := runSimCLI(t, args...)
			if code != 2 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || !strings.HasPrefix(errOut, "tsunagu: ") {
				t.Fatalf("exit %d, stderr %q; want 2 and one sentence", code, errOut)
			}
		})
	}
}

func TestSimWithAnOperatorsFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "ops.yaml")
	if err := os.WriteFile(good, handoff.DefaultPoolYAML(), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runSimCLI(t, "--operators", good, "sim", "--hours", "12", "--json"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, bytes.Replace(handoff.DefaultPoolYAML(), []byte("concurrent: 2"), []byte("concurrent: 0"), 1), 0o600)
	_, errOut, code := runSimCLI(t, "--operators", bad, "sim")
	if code != 1 || !strings.Contains(errOut, "bad.yaml:") || !strings.Contains(errOut, "concurrent must be at least 1") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
}

func TestRulesCheckValidatesOperatorFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ok := write("default.yaml", handoff.DefaultPoolYAML())
	if out, errOut, code := runSimCLI(t, "rules", "check", ok); code != 0 || !strings.Contains(out, ": ok") {
		t.Fatalf("default pool: exit %d, %s %s", code, out, errOut)
	}
	def := string(handoff.DefaultPoolYAML())
	tests := []struct {
		name, data, want string
	}{
		{"level", strings.Replace(def, "{ja: native, en: fluent}", "{ja: native, en: expert}", 1), `:26: unknown language level "expert" for en`},
		{"hours", strings.Replace(def, `"07:00-15:30"`, `"07:00-25:30"`, 1), `:28: hours "07:00-25:30" are out of range`},
		{"capacity", strings.Replace(def, "concurrent: 2", "concurrent: 0", 1), `:29: operator "tanaka": concurrent must be at least 1, not 0`},
		{"duplicate id", strings.Replace(def, "id: smith", "id: tanaka", 1), `:31: operator id "tanaka" is used twice (first at line 23)`},
		{"duplicate key", strings.Replace(def, "    name: Tanaka\n", "    name: Tanaka\n    name: Tanaka2\n", 1), `:25: mapping key "name" already defined at line 24`},
		{"wrong type", strings.Replace(def, "concurrent: 2", "concurrent: two", 1), `:29:`},
		{"invalid UTF-8", strings.Replace(def, "name_ja: 田中", "name_ja: \xff", 1), `:25: invalid UTF-8`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(strings.ReplaceAll(tt.name, " ", "_")+".yaml", []byte(tt.data))
			out, _, code := runSimCLI(t, "rules", "check", p)
			if code != 1 || !strings.Contains(out, p+tt.want) {
				t.Fatalf("exit %d, output:\n%s\nwant a line containing %q", code, out, p+tt.want)
			}
		})
	}
}

func FuzzSimTargetAndProfile(f *testing.F) {
	f.Add("80/20")
	f.Add("90%/60s")
	f.Add("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24")
	f.Add("0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,NaN")
	f.Fuzz(func(t *testing.T, s string) {
		if pct, within, err := parseTarget(s); err == nil {
			if pct <= 0 || pct >= 1 || (within != 20e9 && within != 60e9 && within != 120e9) {
				t.Fatalf("parseTarget(%q) = %v, %v", s, pct, within)
			}
		}
		if p, err := parseProfile(s); err == nil {
			sum := 0.0
			for _, v := range p {
				if v < 0 || v != v {
					t.Fatalf("parseProfile(%q) has %v", s, v)
				}
				sum += v
			}
			if len(p) != 24 || sum <= 0 {
				t.Fatalf("parseProfile(%q) = %v", s, p)
			}
		}
	})
}
