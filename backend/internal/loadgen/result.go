package loadgen

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/connect4go/connect4/backend/internal/loadgen/histogram"
)

// Result is what a run measured. Figures, Latencies and Memory hold what
// the scenario measures, in the order to show them. It is a plain value,
// encoded as is by encoding/json.
type Result struct {
	Mode     string        `json:"mode"`     // the scenario: closed, open, idle, setup or fanout
	Settings string        `json:"settings"` // the scenario's settings, in words
	Elapsed  time.Duration `json:"elapsed_ns"`

	Moves       int64 `json:"moves"`       // moves played and answered in the measured time
	Games       int64 `json:"games"`       // games played to their end
	Wins        int64 `json:"wins"`        // of which won
	Draws       int64 `json:"draws"`       // and drawn
	Connections int64 `json:"connections"` // connections opened

	Figures   []Figure  `json:"figures"`
	Latencies []Latency `json:"latencies"`
	Memory    []Memory  `json:"memory,omitempty"`

	// LoadCPU, ServerCPU and OtherCPU are the cores that the load tool, the
	// server and everything else on the machine (other processes, kernel
	// work charged to neither) used in the measured time: 1 is one core busy
	// throughout. ServerCPU and OtherCPU are -1 when unknown.
	LoadCPU   float64 `json:"load_cpu"`
	ServerCPU float64 `json:"server_cpu"`
	OtherCPU  float64 `json:"other_cpu"`
	// ServerCPU is summed over the Instances of the server, which keep their
	// games in Redis when Redis is set. RedisCPU is the cores that the
	// redis-server used, -1 when unknown. ServerCPUTime and RedisCPUTime are
	// the CPU times behind ServerCPU and RedisCPU.
	Instances     int           `json:"instances"`
	Redis         bool          `json:"redis"`
	RedisCPU      float64       `json:"redis_cpu"`
	ServerCPUTime time.Duration `json:"server_cpu_ns"`
	RedisCPUTime  time.Duration `json:"redis_cpu_ns"`
	// LoadCPUTime is the CPU time behind LoadCPU.
	LoadCPUTime time.Duration `json:"load_cpu_ns"`
	// LoadGCs is the number of garbage collections the load tool made in
	// the measured time.
	LoadGCs int64 `json:"load_gcs"`

	Failures        int64    `json:"failures"`
	FailureExamples []string `json:"failure_examples,omitempty"`
	Notes           []string `json:"notes,omitempty"`
}

// Figure is one headline number of a run, such as 150,000 moves/s.
type Figure struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
}

// Latency summarises a histogram of durations. Quantiles are upper bounds,
// at most 0.8% above the true value (see package histogram); Min and Max are
// exact.
type Latency struct {
	Name  string        `json:"name"`
	Count uint64        `json:"count"`
	Min   time.Duration `json:"min_ns"`
	P50   time.Duration `json:"p50_ns"`
	P99   time.Duration `json:"p99_ns"`
	P999  time.Duration `json:"p999_ns"`
	Max   time.Duration `json:"max_ns"`
	Mean  time.Duration `json:"mean_ns"`
}

// summarise returns the Latency of h.
func summarise(name string, h *histogram.Histogram) Latency {
	return Latency{
		Name: name, Count: h.Count(), Min: h.Min(), Max: h.Max(), Mean: h.Mean(),
		P50: h.Quantile(0.50), P99: h.Quantile(0.99), P999: h.Quantile(0.999),
	}
}

// Memory is the server's resident memory (VmRSS) with Connections open and
// before the first was opened.
type Memory struct {
	Connections   int     `json:"connections"`
	Before        int64   `json:"before_bytes"`
	After         int64   `json:"after_bytes"`
	PerConnection float64 `json:"per_connection_bytes"`
}

// servers describes the instances of the server and their store, for the
// report; nothing for one server alone.
func (r *Result) servers() string {
	switch {
	case r.Instances > 1 && r.Redis:
		return fmt.Sprintf(", on %d instances sharing Redis", r.Instances)
	case r.Instances > 1:
		return fmt.Sprintf(", on %d instances", r.Instances)
	case r.Redis:
		return ", on 1 instance with Redis"
	}
	return ""
}

// perMove returns the server's CPU time per move (summed over its
// instances), Redis's, as far as they are known, and the load tool's, when
// moves were played: the load tool sets the ceiling if its share nears the
// server's.
func (r *Result) perMove() []Figure {
	if r.Moves <= 0 {
		return nil
	}
	var f []Figure
	perMove := func(name string, cores float64, t time.Duration) {
		if cores >= 0 {
			f = append(f, Figure{name, float64(t.Microseconds()) / float64(r.Moves), "µs/move"})
		}
	}
	perMove("server CPU per move", r.ServerCPU, r.ServerCPUTime)
	if r.Redis {
		perMove("Redis CPU per move", r.RedisCPU, r.RedisCPUTime)
	}
	perMove("load tool CPU per move", r.LoadCPU, r.LoadCPUTime)
	return f
}

// serverCPU writes the server's CPU use, and Redis's when known.
func (r *Result) serverCPU() string {
	s := cores(r.ServerCPU)
	if r.Instances > 1 {
		s += fmt.Sprintf(" (%d instances)", r.Instances)
	}
	if r.Redis && r.RedisCPU >= 0 {
		s += " + Redis " + cores(r.RedisCPU)
	}
	return s
}

// OK reports whether the run met no failure.
func (r *Result) OK() bool { return r.Failures == 0 }

// WriteText writes the result for a person to read.
func (r *Result) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s%s\n", r.Mode, r.Settings, r.servers())
	fmt.Fprintf(&b, "  measured %v: %d moves, %d games (%d won, %d drawn), %d connections\n",
		r.Elapsed.Round(time.Millisecond), r.Moves, r.Games, r.Wins, r.Draws, r.Connections)
	for _, f := range slices.Concat(r.Figures, r.perMove()) {
		fmt.Fprintf(&b, "  %-34s %s\n", f.Name, f.String())
	}
	for _, l := range r.Latencies {
		fmt.Fprintf(&b, "  %-34s p50 %s  p99 %s  p99.9 %s  max %s  (min %s, mean %s, n=%d)\n", l.Name,
			ms(l.P50), ms(l.P99), ms(l.P999), ms(l.Max), ms(l.Min), ms(l.Mean), l.Count)
	}
	for _, m := range r.Memory {
		fmt.Fprintf(&b, "  server VmRSS with %6d connections %s (%s before): %s per connection\n",
			m.Connections, mib(m.After), mib(m.Before), kib(m.PerConnection))
	}
	fmt.Fprintf(&b, "  CPU: load tool %s (%d GCs), server %s, rest of the machine %s (of one core each)\n",
		cores(r.LoadCPU), r.LoadGCs, r.serverCPU(), cores(r.OtherCPU))
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "  note: %s\n", n)
	}
	if r.OK() {
		b.WriteString("  checks: every answer was right: events by the rules, in time\n")
	} else {
		fmt.Fprintf(&b, "  FAILED: %d failures\n", r.Failures)
		for _, e := range r.FailureExamples {
			fmt.Fprintf(&b, "    %s\n", e)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// MarkdownHeader is the head of the table that WriteMarkdown adds rows to.
const MarkdownHeader = "| Run | Result | Latency | CPU: load tool (its GCs), server, rest of machine | Checks |\n|---|---|---|---|---|\n"

// WriteMarkdown writes the result as one row of a table under
// MarkdownHeader.
func (r *Result) WriteMarkdown(w io.Writer) error {
	var figures []string
	for _, f := range slices.Concat(r.Figures, r.perMove()) {
		figures = append(figures, f.Name+": "+f.String())
	}
	for _, m := range r.Memory {
		figures = append(figures, fmt.Sprintf("%d conns: %s/conn (VmRSS %s, %s before)",
			m.Connections, kib(m.PerConnection), mib(m.After), mib(m.Before)))
	}
	var lat []string
	for _, l := range r.Latencies {
		lat = append(lat, fmt.Sprintf("%s: p50 %s, p99 %s, p99.9 %s, max %s", l.Name, ms(l.P50), ms(l.P99), ms(l.P999), ms(l.Max)))
	}
	checks := fmt.Sprintf("ok: %d moves, %d games, %d connections checked", r.Moves, r.Games, r.Connections)
	if !r.OK() {
		checks = fmt.Sprintf("**FAILED** (%d): %s", r.Failures, r.FailureExamples[0])
	}
	_, err := fmt.Fprintf(w, "| %s: %s%s | %s | %s | %s, %s, %s | %s |\n", r.Mode, r.Settings, r.servers(),
		cell(strings.Join(figures, "<br>")), cell(strings.Join(lat, "<br>")),
		cores(r.LoadCPU)+fmt.Sprintf(" (%d GCs)", r.LoadGCs), r.serverCPU(), cores(r.OtherCPU), cell(checks))
	return err
}

// cell escapes the pipes of s, for a markdown table.
func cell(s string) string {
	if s == "" {
		return "–"
	}
	return strings.ReplaceAll(s, "|", `\|`)
}

// String writes the figure with its unit, with commas between thousands.
func (f Figure) String() string {
	switch {
	case f.Unit == "%":
		return fmt.Sprintf("%.2f%%", f.Value)
	case f.Value == float64(int64(f.Value)) || f.Value >= 100:
		return thousands(int64(f.Value+0.5)) + " " + f.Unit
	}
	return fmt.Sprintf("%.2f %s", f.Value, f.Unit)
}

// thousands writes n with commas between groups of three digits.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// ms writes d in milliseconds, with three significant digits or more.
func ms(d time.Duration) string {
	v := float64(d) / 1e6
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f ms", v)
	case v >= 10:
		return fmt.Sprintf("%.1f ms", v)
	case v >= 1:
		return fmt.Sprintf("%.2f ms", v)
	}
	return fmt.Sprintf("%.3f ms", v)
}

func kib(b float64) string { return fmt.Sprintf("%.1f KiB", b/1024) }
func mib(b int64) string   { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func cores(c float64) string {
	if c < 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f%%", c*100)
}
