package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"tsunagu/handoff"
)

func init() { subcommands = append(subcommands, newSimCmd) }

type simOptions struct {
	agents      int
	arrivals    float64
	profile     string
	handleMean  time.Duration
	handleDist  string
	handleSigma float64
	patience    time.Duration
	noAbandon   bool
	hours       float64
	warmupHours float64
	jsonOut     bool
	staffing    bool
	target      string
}

func newSimCmd(g *globalOptions) *cobra.Command {
	o := &simOptions{}
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Simulate the operator queue (no UI) and print statistics; --staffing sizes a team with Erlang C",
		Long: `Run the operator pool as a discrete-event simulation and print the statistics:
chats offered, answered and abandoned, waits, service level, utilisation,
transfers, repeated questions (always 0) and callbacks.

Without --agents the operator pool is used (the built-in one or --operators FILE)
with its shifts, routing, faults and callbacks; operators follow the rules'
playbooks (--rules). With --agents N, N identical operators with every skill and
language work around the clock, with no faults: the M/M/c set-up, printed
beside its Erlang C prediction when handle times are exponential.

--staffing --target 80/20 answers "how many operators answer 80% within 20 s at
this load?" with Erlang C, then checks that number by simulation.`,
		Example: `  tsunagu sim --agents 12 --arrivals-per-hour 100 --handle-mean 6m --no-abandon --hours 50000
  tsunagu sim --arrivals-per-hour 40 --hours 168 --json
  tsunagu sim --staffing --target 80/20 --arrivals-per-hour 100 --handle-mean 6m`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("sim takes no arguments, only flags; got %q", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSim(cmd, g, o)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.agents, "agents", 0, "simulate N identical operators (every skill and language, always on shift) instead of the pool")
	f.Float64Var(&o.arrivals, "arrivals-per-hour", 40, "customers arriving per hour (Poisson)")
	f.StringVar(&o.profile, "arrivals-profile", "", "24 comma-separated hourly arrival rates for a day (pool time zone), instead of --arrivals-per-hour")
	f.DurationVar(&o.handleMean, "handle-mean", 6*time.Minute, "mean handle time (with --agents or --staffing)")
	f.StringVar(&o.handleDist, "handle-dist", "exp", "handle-time distribution: exp, lognormal or fixed (with --agents or --staffing)")
	f.Float64Var(&o.handleSigma, "handle-sigma", 0.5, "lognormal shape: standard deviation of log handle time")
	f.DurationVar(&o.patience, "patience-mean", 0, "mean customer patience before abandoning (exponential); default: the pool's (6m), none with --staffing")
	f.BoolVar(&o.noAbandon, "no-abandon", false, "customers never abandon")
	f.Float64Var(&o.hours, "hours", 24, "simulated hours")
	f.Float64Var(&o.warmupHours, "warmup-hours", 0, "leave customers arriving in the first hours out of the statistics")
	f.BoolVar(&o.jsonOut, "json", false, "print JSON")
	f.BoolVar(&o.staffing, "staffing", false, "print the number of operators needed for --target")
	f.StringVar(&o.target, "target", "80/20", "service-level target for --staffing: PERCENT/SECONDS answered within")
	return cmd
}

func runSim(cmd *cobra.Command, g *globalOptions, o *simOptions) error {
	flags := cmd.Flags()
	if o.hours <= 0 || math.IsNaN(o.hours) || o.hours > 1e7 {
		return usageErrorf("--hours must be greater than 0 and at most 10,000,000, not %v", o.hours)
	}
	if o.warmupHours < 0 || o.warmupHours >= o.hours {
		return usageErrorf("--warmup-hours must be at least 0 and less than --hours")
	}
	if o.arrivals <= 0 || math.IsNaN(o.arrivals) || math.IsInf(o.arrivals, 0) {
		return usageErrorf("--arrivals-per-hour must be greater than 0, not %v", o.arrivals)
	}
	if o.agents < 0 || o.agents > 100000 {
		return usageErrorf("--agents must be between 1 and 100000, not %d", o.agents)
	}
	dist, ok := handoff.ParseDist(o.handleDist)
	if !ok {
		return usageErrorf("--handle-dist must be exp, lognormal or fixed, not %q", o.handleDist)
	}
	if o.handleMean <= 0 {
		return usageErrorf("--handle-mean must be greater than 0, not %s", o.handleMean)
	}
	if o.handleSigma <= 0 || o.handleSigma > 3 {
		return usageErrorf("--handle-sigma must be greater than 0 and at most 3, not %v", o.handleSigma)
	}
	if o.noAbandon && flags.Changed("patience-mean") {
		return usageErrorf("give either --patience-mean or --no-abandon, not both")
	}
	if o.patience < 0 {
		return usageErrorf("--patience-mean must not be negative")
	}
	pool, err := loadPool(g.operatorsFile)
	if err != nil {
		return err
	}
	start, err := g.startTime()
	if err != nil {
		return err
	}
	cfg := handoff.SimConfig{
		Agents:          o.agents,
		Handle:          handoff.HandleTime{Dist: dist, Mean: o.handleMean, Sigma: o.handleSigma},
		ArrivalsPerHour: o.arrivals,
		Patience:        pool.Patience,
		Duration:        time.Duration(o.hours * float64(time.Hour)),
		Warmup:          time.Duration(o.warmupHours * float64(time.Hour)),
		Seed:            uint64(g.seed),
		Start:           start,
	}
	if flags.Changed("patience-mean") {
		cfg.Patience = o.patience
	}
	if o.noAbandon {
		cfg.Patience = 0
	}
	if o.profile != "" {
		if cfg.Profile, err = parseProfile(o.profile); err != nil {
			return err
		}
	}
	if o.staffing {
		// Erlang C assumes nobody abandons; so does its check, unless asked.
		if !flags.Changed("patience-mean") {
			cfg.Patience = 0
		}
		return runStaffing(cmd.OutOrStdout(), o, cfg)
	}
	if o.agents == 0 {
		if flags.Changed("handle-mean") || flags.Changed("handle-dist") || flags.Changed("handle-sigma") {
			return usageErrorf("--handle-mean, --handle-dist and --handle-sigma need --agents or --staffing; the pool sets each operator's handle time")
		}
		rules, err := loadBotRules(g.rulesFile)
		if err != nil {
			return err
		}
		kb := handoff.NewRulesKnowledge(rules)
		cfg.Pool, cfg.Knowledge, cfg.Intents = pool, kb, kb.Intents()
		cfg.NativeOnlyShare = 0.1
	}
	res, err := handoff.Simulate(cfg)
	if err != nil {
		return err
	}
	out := simOutput{Result: res}
	if o.agents > 0 && dist == handoff.DistExp {
		out.ErlangC = erlangOutput(handoff.ErlangC(o.agents, o.arrivals, o.handleMean))
	}
	if o.jsonOut {
		return writeJSON(cmd.OutOrStdout(), out)
	}
	printSim(cmd.OutOrStdout(), o, cfg, out)
	return nil
}

// simOutput is the JSON of `tsunagu sim`: the simulation's statistics and,
// for an M/M/c set-up, the Erlang C prediction beside them.
type simOutput struct {
	handoff.Result
	ErlangC *erlangJSON `json:"erlang_c,omitempty"`
}

type erlangJSON struct {
	Agents       int                `json:"agents"`
	Load         float64            `json:"offered_load_erlangs"`
	PWait        float64            `json:"p_wait"`
	WaitMean     float64            `json:"wait_mean_s"`
	ServiceLevel map[string]float64 `json:"service_level"`
	Stable       bool               `json:"stable"`
}

func erlangOutput(e handoff.Erlang) *erlangJSON {
	out := &erlangJSON{Agents: e.Agents, Load: round(e.Load, 4), PWait: round(e.PWait, 4), Stable: e.Stable,
		ServiceLevel: map[string]float64{}}
	if e.Stable {
		out.WaitMean = round(e.MeanWait.Seconds(), 2)
	}
	for _, s := range []int{20, 60, 120} {
		out.ServiceLevel[strconv.Itoa(s)+"s"] = round(e.ServiceLevel(time.Duration(s)*time.Second), 4)
	}
	return out
}

type staffingJSON struct {
	Target                string        `json:"target"`
	Agents                int           `json:"agents"`
	OfferedLoad           float64       `json:"offered_load_erlangs"`
	ErlangServiceLevel    float64       `json:"erlang_service_level"`
	SimulatedServiceLevel float64       `json:"simulated_service_level"`
	MeetsTarget           bool          `json:"simulation_meets_target"`
	Simulation            *simOutput    `json:"simulation"`
	Fewer                 *fewerJSON    `json:"one_fewer,omitempty"`
	targetWithin          time.Duration // for the text output
}

type fewerJSON struct {
	Agents                int     `json:"agents"`
	ErlangServiceLevel    float64 `json:"erlang_service_level"`
	SimulatedServiceLevel float64 `json:"simulated_service_level"`
}

func runStaffing(w io.Writer, o *simOptions, cfg handoff.SimConfig) error {
	pct, within, err := parseTarget(o.target)
	if err != nil {
		return err
	}
	if cfg.Profile != nil {
		return usageErrorf("--staffing needs one arrival rate (--arrivals-per-hour), not a profile")
	}
	e := handoff.Staffing(o.arrivals, o.handleMean, pct, within)
	key := strconv.Itoa(int(within/time.Second)) + "s"
	simulate := func(agents int) (handoff.Result, error) {
		c := cfg
		c.Agents = agents
		// Service level at the target's own threshold, measured by the sim.
		return handoff.Simulate(c)
	}
	res, err := simulate(e.Agents)
	if err != nil {
		return err
	}
	out := staffingJSON{Target: o.target, Agents: e.Agents, OfferedLoad: round(e.Load, 4),
		ErlangServiceLevel: round(e.ServiceLevel(within), 4), Simulation: &simOutput{Result: res}, targetWithin: within}
	out.SimulatedServiceLevel = simulatedWithin(res, key, within)
	out.MeetsTarget = out.SimulatedServiceLevel >= pct
	if cfg.Handle.Dist == handoff.DistExp {
		out.Simulation.ErlangC = erlangOutput(e)
	}
	if e.Agents > 1 {
		if fewer := handoff.ErlangC(e.Agents-1, o.arrivals, o.handleMean); fewer.Stable {
			r, err := simulate(e.Agents - 1)
			if err != nil {
				return err
			}
			out.Fewer = &fewerJSON{Agents: e.Agents - 1, ErlangServiceLevel: round(fewer.ServiceLevel(within), 4),
				SimulatedServiceLevel: simulatedWithin(r, key, within)}
		}
	}
	if o.jsonOut {
		return writeJSON(w, out)
	}
	fmt.Fprintf(w, "%d operators answer %s of customers within %s at %g arrivals/h and a %s mean handle time (offered load %.2f erlangs).\n",
		out.Agents, percent(pct), within, o.arrivals, o.handleMean, e.Load)
	fmt.Fprintf(w, "  Erlang C:   %s within %s\n", percent(out.ErlangServiceLevel), within)
	verdict := "meets the target"
	if !out.MeetsTarget {
		verdict = "misses the target (try more --hours, or the handle-time shape differs from exponential)"
	}
	fmt.Fprintf(w, "  simulated:  %s within %s over %g h (seed %d): %s\n", percent(out.SimulatedServiceLevel), within, o.hours, cfg.Seed, verdict)
	if out.Fewer != nil {
		fmt.Fprintf(w, "  with %d:    Erlang C %s, simulated %s\n", out.Fewer.Agents, percent(out.Fewer.ErlangServiceLevel), percent(out.Fewer.SimulatedServiceLevel))
	}
	return nil
}

// simulatedWithin reads the service level at the target's threshold; the
// result has 20, 60 and 120 s, and other thresholds are refused earlier.
func simulatedWithin(r handoff.Result, key string, _ time.Duration) float64 {
	return r.ServiceLevel[key]
}

func parseTarget(s string) (float64, time.Duration, error) {
	a, b, ok := strings.Cut(s, "/")
	pct, err1 := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(a), "%"), 64)
	secs, err2 := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(b), "s"))
	if !ok || err1 != nil || err2 != nil || pct <= 0 || pct >= 100 {
		return 0, 0, usageErrorf("--target must look like 80/20 (percent answered / within seconds), not %q", s)
	}
	if secs != 20 && secs != 60 && secs != 120 {
		return 0, 0, usageErrorf("--target's seconds must be 20, 60 or 120, the service levels the simulation measures, not %d", secs)
	}
	return pct / 100, time.Duration(secs) * time.Second, nil
}

func parseProfile(s string) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 24 {
		return nil, usageErrorf("--arrivals-profile needs 24 comma-separated rates, one per hour, not %d", len(parts))
	}
	out := make([]float64, 24)
	positive := false
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, usageErrorf("--arrivals-profile: hour %d has %q; rates are numbers of at least 0", i, p)
		}
		positive = positive || v > 0
		out[i] = v
	}
	if !positive {
		return nil, usageErrorf("--arrivals-profile needs at least one hour with arrivals")
	}
	return out, nil
}

// loadPool returns the pool of --operators, or the embedded default.
func loadPool(file string) (*handoff.Pool, error) {
	if file == "" {
		return handoff.DefaultPool(), nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read the operators file %s: %s", file, readErrorText(err))
	}
	p, err := handoff.LoadPool(file, data)
	if err != nil {
		return nil, fmt.Errorf("the operators file has problems (run 'tsunagu rules check %s' for all): %s", file, strings.SplitN(err.Error(), "\n", 2)[0])
	}
	return p, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printSim(w io.Writer, o *simOptions, cfg handoff.SimConfig, out simOutput) {
	r := out.Result
	var who string
	if cfg.Agents > 0 {
		who = fmt.Sprintf("%d identical operators (%s handle times, mean %s)", cfg.Agents, cfg.Handle.Dist, cfg.Handle.Mean)
	} else {
		who = fmt.Sprintf("the operator pool (%d chat operators)", len(cfg.Pool.ChatOperators()))
	}
	rate := fmt.Sprintf("%g arrivals/h", o.arrivals)
	if cfg.Profile != nil {
		rate = "an hourly arrival profile"
	}
	patience := "nobody abandons"
	if cfg.Patience > 0 {
		patience = "mean patience " + cfg.Patience.String()
	}
	fmt.Fprintf(w, "Simulated %g h with %s, %s, %s, seed %d.\n\n", o.hours, who, rate, patience, cfg.Seed)
	fmt.Fprintf(w, "  chats        offered %d, answered %d, abandoned %d, still in the system at the end %d\n", r.Offered, r.Answered, r.Abandoned, r.InSystemAtEnd)
	fmt.Fprintf(w, "  wait         mean %.1f s, median %.1f s, 90th percentile %.1f s; %s waited at all\n", r.WaitMean, r.WaitP50, r.WaitP90, percent(r.PWait))
	fmt.Fprintf(w, "  answered     within 20 s %s, 60 s %s, 120 s %s\n", percent(r.ServiceLevel["20s"]), percent(r.ServiceLevel["60s"]), percent(r.ServiceLevel["120s"]))
	fmt.Fprintf(w, "  utilisation  %s\n", percent(r.Utilisation))
	if cfg.Agents == 0 {
		fmt.Fprintf(w, "  transfers    %d (every one with the handoff packet); repeated questions %d\n", r.Transfers, r.RepeatQuestions)
		fmt.Fprintf(w, "  callbacks    %d booked\n", r.Callbacks)
	}
	if e := out.ErlangC; e != nil {
		if e.Stable {
			fmt.Fprintf(w, "\n  Erlang C     mean wait %.1f s, %s wait at all, within 20 s %s (M/M/c; exact when nobody abandons)\n",
				e.WaitMean, percent(e.PWait), percent(e.ServiceLevel["20s"]))
		} else {
			fmt.Fprintf(w, "\n  Erlang C     the load (%.2f erlangs) is at least the number of operators: the queue grows without bound\n", e.Load)
		}
	}
	if len(r.Operators) > 0 {
		fmt.Fprintf(w, "\n  %-12s %9s %12s\n", "operator", "answered", "utilisation")
		for _, op := range r.Operators {
			fmt.Fprintf(w, "  %-12s %9d %12s\n", op.ID, op.Answered, percent(op.Utilisation))
		}
	}
}

func percent(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}
