package session

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

func TestFairQueue(t *testing.T) {
	type step struct {
		op     string // push, next, finish
		client string
		job    int
		want   string // push: "ok" or "full"; next: "client job" or "none"
	}
	tests := []struct {
		name                   string
		maxPerClient, maxTotal int
		steps                  []step
	}{
		{"clients take turns", 10, 100, []step{
			{"push", "a", 1, "ok"}, {"push", "a", 2, "ok"}, {"push", "a", 3, "ok"}, {"push", "b", 4, "ok"},
			{"next", "", 0, "a 1"}, {"finish", "a", 0, ""},
			{"next", "", 0, "b 4"}, {"finish", "b", 0, ""},
			{"next", "", 0, "a 2"}, {"finish", "a", 0, ""},
			{"next", "", 0, "a 3"}, {"finish", "a", 0, ""},
			{"next", "", 0, "none"},
		}},
		{"one running per client", 10, 100, []step{
			{"push", "a", 1, "ok"}, {"push", "a", 2, "ok"},
			{"next", "", 0, "a 1"}, {"next", "", 0, "none"},
			{"push", "b", 3, "ok"}, {"next", "", 0, "b 3"},
			{"finish", "a", 0, ""}, {"next", "", 0, "a 2"},
		}},
		{"a newcomer goes before a client's second job", 10, 100, []step{
			{"push", "a", 1, "ok"}, {"push", "a", 2, "ok"}, {"push", "a", 3, "ok"},
			{"next", "", 0, "a 1"}, {"finish", "a", 0, ""},
			{"push", "c", 4, "ok"},
			{"next", "", 0, "a 2"}, {"next", "", 0, "c 4"},
		}},
		{"bounded per client", 2, 100, []step{
			{"push", "a", 1, "ok"}, {"push", "a", 2, "ok"}, {"push", "a", 3, "full"}, {"push", "b", 4, "ok"},
			{"next", "", 0, "a 1"}, {"push", "a", 5, "ok"},
		}},
		{"bounded in all", 10, 3, []step{
			{"push", "a", 1, "ok"}, {"push", "b", 2, "ok"}, {"push", "c", 3, "ok"}, {"push", "d", 4, "full"},
			{"next", "", 0, "a 1"}, {"push", "d", 4, "ok"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newFairQueue[int](tt.maxPerClient, tt.maxTotal)
			for i, s := range tt.steps {
				var got string
				switch s.op {
				case "push":
					got = "full"
					if q.push(s.client, s.job) {
						got = "ok"
					}
				case "next":
					got = "none"
					if client, job, ok := q.next(); ok {
						got = fmt.Sprint(client, " ", job)
					}
				case "finish":
					q.finish(s.client)
				}
				if got != s.want {
					t.Fatalf("step %d, %s %s: got %q, want %q", i, s.op, s.client, got, s.want)
				}
			}
		})
	}
}

// The queue against a model: each client's jobs start in the order they came,
// one at a time; none is lost; the bounds hold; and while its client has
// nothing running, a client's next job waits for at most one job of each
// other client: no client starves another.
func TestFairQueueModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		const perClient, total = 3, 8
		q := newFairQueue[int](perClient, total)
		clients := []string{"a", "b", "c", "d"}
		waiting := map[string][]int{}            // the model: jobs waiting by client
		running := map[string]int{}              // the job running of each busy client
		startedSince := map[int]map[string]int{} // per waiting job: jobs started by each client since it came
		jobs := 0
		t.Repeat(map[string]func(*rapid.T){
			"push": func(t *rapid.T) {
				c := rapid.SampledFrom(clients).Draw(t, "client")
				jobs++
				n := 0
				for _, w := range waiting {
					n += len(w)
				}
				want := len(waiting[c]) < perClient && n < total
				if got := q.push(c, jobs); got != want {
					t.Fatalf("push(%s) = %v, want %v (%d waiting for it, %d in all)", c, got, want, len(waiting[c]), n)
				}
				if want {
					waiting[c] = append(waiting[c], jobs)
					startedSince[jobs] = map[string]int{}
				}
			},
			"next": func(t *rapid.T) {
				c, job, ok := q.next()
				eligible := false
				for client, w := range waiting {
					if len(w) > 0 && running[client] == 0 {
						eligible = true
					}
				}
				if ok != eligible {
					t.Fatalf("next() = %v, want %v", ok, eligible)
				}
				if !ok {
					return
				}
				if running[c] != 0 {
					t.Fatalf("started job %d of %s while its job %d runs", job, c, running[c])
				}
				if len(waiting[c]) == 0 || waiting[c][0] != job {
					t.Fatalf("started job %d of %s, want its oldest of %v", job, c, waiting[c])
				}
				waiting[c] = waiting[c][1:]
				running[c] = job
				delete(startedSince, job)
				for other, w := range waiting {
					if other == c || len(w) == 0 || running[other] != 0 {
						continue
					}
					j := w[0] // the next of a client that could start it
					if startedSince[j][c]++; startedSince[j][c] > 1 {
						t.Fatalf("job %d of %s waited for two jobs of %s", j, other, c)
					}
				}
			},
			"finish": func(t *rapid.T) {
				var busy []string
				for c, j := range running {
					if j != 0 {
						busy = append(busy, c)
					}
				}
				if len(busy) == 0 {
					t.Skip("no job running")
				}
				slices.Sort(busy)
				c := rapid.SampledFrom(busy).Draw(t, "client")
				q.finish(c)
				running[c] = 0
			},
		})
	})
}
