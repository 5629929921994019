// Package targets reads the results of one `make bench` against the targets
// of issue 15, "Lean and fast": each figure of this project's server, with
// its default store (SQLite) and with -store memory, as a ratio against the
// reference measured in the same invocation (the minimal gorilla server of
// package reference, or the bare TCP echo), and whether it meets its target.
package targets

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/connect4go/connect4/backend/internal/loadgen"
)

// The labels of the runs, as `make bench` names them: a server and a mode,
// "sqlite-closed", "gorilla-idle", and "echo" for the calibration.
const (
	SQLite  = "sqlite"
	Memory  = "memory"
	Gorilla = "gorilla"
	Echo    = "echo"
)

// Runs are the results of one invocation, by label ("sqlite-closed"). A
// missing run makes its rows "not measured".
type Runs map[string]*loadgen.Result

// run returns the result of server's mode, or nil if it is missing.
func (rs Runs) run(server, mode string) *loadgen.Result {
	if server == Echo {
		return rs[Echo]
	}
	return rs[server+"-"+mode]
}

// row is one target: how to read its figure from a run, the reference it is
// compared with, and the ratio or value it must meet.
type row struct {
	name      string
	mode      string
	reference string // Gorilla or Echo; "" when the target is absolute
	figure    func(r *loadgen.Result) (float64, bool)
	unit      string
	// met tells whether the figure v meets the target, given the ratio to
	// the reference (0 without one).
	met    func(v, ratio float64) bool
	target string
}

// Write writes the table of the targets of issue 15 for runs, as markdown:
// a row for each number of idle connections measured (10,000 and 50,000,
// when the machine's open-file limit allows it), then one for each other
// target.
func Write(w io.Writer, runs Runs) error {
	var steps []int
	for label, r := range runs {
		if strings.HasSuffix(label, "-idle") {
			for _, m := range r.Memory {
				steps = append(steps, m.Connections)
			}
		}
	}
	slices.Sort(steps)
	var rows []row
	for _, n := range slices.Compact(steps) {
		rows = append(rows, idleRow(n))
	}
	rows = append(rows, []row{
		{"Server CPU per move, closed loop, 100 games", "closed", Gorilla, cpuPerMove(false), "µs",
			func(_, ratio float64) bool { return ratio <= 1 }, "≤ 1× minimal gorilla"},
		{"Closed-loop moves/s against the bare TCP+JSON echo's round trips/s", "closed", Echo, figure(0), "/s",
			func(_, ratio float64) bool { return ratio >= 0.8 }, "≥ 0.8× echo"},
		{"Open loop, 10,000 players at 1 move/s: p99 from the scheduled time", "open", "", latency(0.99), "ms",
			func(v, _ float64) bool { return v <= 2 }, "≤ 2 ms"},
		{"Open loop, 10,000 players at 1 move/s: p99.9 from the scheduled time", "open", "", latency(0.999), "ms",
			func(v, _ float64) bool { return v <= 5 }, "≤ 5 ms"},
		{"New WebSocket connections per second", "setup", Gorilla, figure(0), "/s",
			func(_, ratio float64) bool { return ratio >= 1 }, "≥ 1× minimal gorilla"},
		{"The load tool's CPU per move, closed loop, against the server's", "closed", "", cpuPerMove(true), "×",
			func(v, _ float64) bool { return v <= 0.5 }, "≤ 0.5× the server's"},
	}...)
	var b strings.Builder
	b.WriteString("| Target | this server, SQLite | × reference | this server, memory | × reference | minimal gorilla | echo | wanted | SQLite | memory |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s |", r.name)
		verdicts := make([]string, 0, 2)
		for _, server := range []string{SQLite, Memory} {
			v, ok := r.value(runs, server)
			ratio, rok := r.ratio(runs, server)
			fmt.Fprintf(&b, " %s | %s |", format(v, ok, r.unit), formatRatio(ratio, rok))
			verdicts = append(verdicts, verdict(r, v, ok, ratio, rok, runs.run(server, r.mode)))
		}
		g, gok := r.value(runs, Gorilla)
		e, eok := r.value(runs, Echo)
		if r.reference != Echo {
			e, eok = 0, false
		}
		fmt.Fprintf(&b, " %s | %s | %s | %s | %s |\n", format(g, gok, r.unit), format(e, eok, r.unit), r.target, verdicts[0], verdicts[1])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// value returns the figure of server's run of r's mode.
func (r row) value(runs Runs, server string) (float64, bool) {
	if server == Echo && r.reference != Echo {
		return 0, false
	}
	res := runs.run(server, r.mode)
	if res == nil {
		return 0, false
	}
	return r.figure(res)
}

// ratio returns server's figure over the reference's.
func (r row) ratio(runs Runs, server string) (float64, bool) {
	if r.reference == "" {
		return 0, false
	}
	v, ok := r.value(runs, server)
	ref, rok := r.value(runs, r.reference)
	if !ok || !rok || ref == 0 {
		return 0, false
	}
	return v / ref, true
}

// verdict says whether the target is met.
func verdict(r row, v float64, ok bool, ratio float64, rok bool, res *loadgen.Result) string {
	switch {
	case res == nil || !ok:
		return "not measured"
	case !res.OK():
		return "**run failed**"
	case r.reference != "" && !rok:
		return "no reference"
	case r.met(v, ratio):
		return "met"
	}
	return "**missed**"
}

// idleRow is the target of idle memory at n connections.
func idleRow(n int) row {
	return row{
		name: fmt.Sprintf("Idle, %s connections after one init: server RSS per connection", strings.TrimSpace(loadgen.Figure{Value: float64(n)}.String())),
		mode: "idle", reference: Gorilla, unit: "KiB",
		figure: func(r *loadgen.Result) (float64, bool) {
			for _, m := range r.Memory {
				if m.Connections == n {
					return m.PerConnection / 1024, true
				}
			}
			return 0, false
		},
		met:    func(v, _ float64) bool { return v <= 8 },
		target: "≤ 8 KiB",
	}
}

// figure reads the run's i-th headline figure.
func figure(i int) func(r *loadgen.Result) (float64, bool) {
	return func(r *loadgen.Result) (float64, bool) {
		if i >= len(r.Figures) {
			return 0, false
		}
		return r.Figures[i].Value, true
	}
}

// cpuPerMove reads the server's CPU per move, in µs, or with tool the load
// tool's over the server's.
func cpuPerMove(tool bool) func(r *loadgen.Result) (float64, bool) {
	return func(r *loadgen.Result) (float64, bool) {
		if r.Moves <= 0 || r.ServerCPU < 0 || r.ServerCPUTime <= 0 {
			return 0, false
		}
		if tool {
			return float64(r.LoadCPUTime) / float64(r.ServerCPUTime), true
		}
		return float64(r.ServerCPUTime.Nanoseconds()) / 1e3 / float64(r.Moves), true
	}
}

// latency reads the q quantile of the run's first latency, in milliseconds.
func latency(q float64) func(r *loadgen.Result) (float64, bool) {
	return func(r *loadgen.Result) (float64, bool) {
		if len(r.Latencies) == 0 || r.Latencies[0].Count == 0 {
			return 0, false
		}
		l := r.Latencies[0]
		d := l.P99
		if q > 0.99 {
			d = l.P999
		}
		return float64(d) / float64(time.Millisecond), true
	}
}

// format writes a figure with its unit, "–" when unknown.
func format(v float64, ok bool, unit string) string {
	switch {
	case !ok:
		return "–"
	case unit == "/s":
		return loadgen.Figure{Value: v, Unit: unit}.String()
	case unit == "×":
		return fmt.Sprintf("%.2f×", v)
	case v >= 100:
		return fmt.Sprintf("%.0f %s", v, unit)
	}
	return fmt.Sprintf("%.3g %s", v, unit)
}

// formatRatio writes a ratio to the reference.
func formatRatio(ratio float64, ok bool) string {
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.2f×", ratio)
}
