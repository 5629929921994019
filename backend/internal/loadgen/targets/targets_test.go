package targets_test

import (
	"strings"
	"testing"
	"time"

	"github.com/connect4go/connect4/backend/internal/loadgen"
	"github.com/connect4go/connect4/backend/internal/loadgen/targets"
)

// idle is an idle run with kib KiB per connection at each step.
func idle(kib map[int]float64) *loadgen.Result {
	r := &loadgen.Result{Mode: "idle"}
	for n, k := range kib {
		r.Memory = append(r.Memory, loadgen.Memory{Connections: n, PerConnection: k * 1024})
	}
	return r
}

// closed is a closed loop of moves/s over a second, with the server and the
// load tool spending serverUS and toolUS µs a move.
func closed(moves float64, serverUS, toolUS float64) *loadgen.Result {
	n := int64(moves)
	return &loadgen.Result{Mode: "closed", Moves: n, Figures: []loadgen.Figure{{Name: "moves", Value: moves, Unit: "moves/s"}},
		ServerCPU: 1, ServerCPUTime: time.Duration(serverUS * 1e3 * moves), LoadCPUTime: time.Duration(toolUS * 1e3 * moves)}
}

func open(p99, p999 time.Duration) *loadgen.Result {
	return &loadgen.Result{Mode: "open", Latencies: []loadgen.Latency{{Count: 1000, P99: p99, P999: p999}}}
}

func setup(rate float64) *loadgen.Result {
	return &loadgen.Result{Mode: "setup", Figures: []loadgen.Figure{{Name: "connections", Value: rate, Unit: "conns/s"}}}
}

// The figures of a run become ratios to the same run's reference, and each
// target is met, missed, failed or not measured.
func TestWrite(t *testing.T) {
	failed := setup(9000)
	failed.Failures = 1
	runs := targets.Runs{
		"echo":           {Mode: "echo", Figures: []loadgen.Figure{{Name: "round trips", Value: 80000, Unit: "round trips/s"}}},
		"gorilla-idle":   idle(map[int]float64{10000: 9, 19000: 9.5}),
		"sqlite-idle":    idle(map[int]float64{10000: 20, 19000: 21}),
		"memory-idle":    idle(map[int]float64{10000: 7.5}),
		"gorilla-closed": closed(40000, 15, 12),
		"sqlite-closed":  closed(60000, 20, 5),
		"memory-closed":  closed(70000, 14, 7),
		"sqlite-open":    open(47*time.Millisecond, 90*time.Millisecond),
		"memory-open":    open(1500*time.Microsecond, 4*time.Millisecond),
		"gorilla-setup":  setup(10000),
		"sqlite-setup":   setup(12000),
		"memory-setup":   failed,
	}
	var b strings.Builder
	if err := targets.Write(&b, runs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	// Each row: its name's start, then cells that must appear in it in order.
	want := []struct {
		name  string
		cells []string
	}{
		{"Idle, 10,000", []string{"20 KiB", "2.22×", "7.5 KiB", "0.83×", "9 KiB", "≤ 8 KiB", "**missed**", "met"}},
		{"Idle, 19,000", []string{"21 KiB", "2.21×", "–", "–", "9.5 KiB", "**missed**", "not measured"}},
		{"Server CPU per move", []string{"20 µs", "1.33×", "14 µs", "0.93×", "15 µs", "**missed**", "met"}},
		{"Closed-loop moves/s", []string{"60,000 /s", "0.75×", "70,000 /s", "0.88×", "40,000 /s", "80,000 /s", "**missed**", "met"}},
		{"Open loop, 10,000 players at 1 move/s: p99 ", []string{"47 ms", "1.5 ms", "≤ 2 ms", "**missed**", "met"}},
		{"Open loop, 10,000 players at 1 move/s: p99.9", []string{"90 ms", "4 ms", "≤ 5 ms", "**missed**", "met"}},
		{"New WebSocket connections", []string{"12,000 /s", "1.20×", "9,000 /s", "0.90×", "10,000 /s", "met", "**run failed**"}},
		{"The load tool's CPU", []string{"0.25×", "0.50×", "0.80×", "met", "met"}},
	}
	if len(lines) != 2+len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), 2+len(want), b.String())
	}
	for i, w := range want {
		line := lines[2+i]
		if !strings.HasPrefix(line, "| "+w.name) {
			t.Errorf("row %d: %s, want %s", i, line, w.name)
			continue
		}
		rest := line
		for _, c := range w.cells {
			j := strings.Index(rest, "| "+c+" |")
			if j < 0 {
				t.Errorf("row %q: no cell %q in order in\n%s", w.name, c, line)
				break
			}
			rest = rest[j+len(c)+2:]
		}
	}
}
