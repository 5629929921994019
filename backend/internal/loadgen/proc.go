package loadgen

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// RSS returns the resident memory of process pid, VmRSS in /proc/PID/status.
func RSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("loadgen: VmRSS of %d: %q", pid, v)
			}
			return kb << 10, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("loadgen: no VmRSS in /proc/%d/status", pid)
}

// clockTick is the unit of the CPU times in /proc/PID/stat: USER_HZ, 100 on
// every Linux architecture that Go supports.
const clockTick = 10 * time.Millisecond

// processCPU returns the CPU time, user and system, that process pid has used.
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: count the fields
	// after its closing parenthesis. utime and stime are fields 14 and 15.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("loadgen: /proc/%d/stat has no command", pid)
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 13 {
		return 0, fmt.Errorf("loadgen: /proc/%d/stat is short", pid)
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("loadgen: /proc/%d/stat: %v", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * clockTick, nil
}

// selfCPU returns the CPU time, user and system, that this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// machineCPU returns the CPU time that the whole machine has spent busy,
// from the first line of /proc/stat: every state but idle and iowait.
func machineCPU() (time.Duration, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line)
	if len(fields) < 8 || fields[0] != "cpu" {
		return 0, fmt.Errorf("loadgen: /proc/stat starts with %q", line)
	}
	var ticks int64
	for i, f := range fields[1:] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		if i >= 8 { // guest time is counted in user time already
			break
		}
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("loadgen: /proc/stat: %v", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * clockTick, nil
}

// gcCycles returns the number of garbage collections this process has
// finished.
func gcCycles() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// cpuMeter measures the share of a core that this process, the server's
// instances, their Redis and the rest of the machine use over a window, and
// this process's garbage collections.
type cpuMeter struct {
	pids                  []int // the instances'
	redisPID              int
	at                    time.Time
	self, server, machine time.Duration
	redis                 time.Duration
	serverOK, redisOK     bool
	machineOK             bool
	instances             int
	usesRedis             bool
	gcs                   uint64
}

// sumCPU returns the CPU time that the processes pids have used in all.
func sumCPU(pids []int) (time.Duration, error) {
	var sum time.Duration
	for _, pid := range pids {
		t, err := processCPU(pid)
		if err != nil {
			return 0, err
		}
		sum += t
	}
	return sum, nil
}

func startCPU(cfg Config) cpuMeter {
	m := cpuMeter{pids: cfg.pids(), redisPID: cfg.RedisPID, at: time.Now(), self: selfCPU(), gcs: gcCycles(),
		instances: cfg.instances(), usesRedis: cfg.Redis || cfg.RedisPID > 0}
	var err error
	if len(m.pids) > 0 {
		m.server, err = sumCPU(m.pids)
		m.serverOK = err == nil
	}
	if m.redisPID > 0 {
		m.redis, err = processCPU(m.redisPID)
		m.redisOK = err == nil
	}
	m.machine, err = machineCPU()
	m.machineOK = err == nil
	return m
}

// cpuUse is what a cpuMeter measured: cores used (1 is one core busy
// throughout the window), -1 when unknown, and the CPU time of the server's
// instances and of Redis.
type cpuUse struct {
	self, server, redis, others     float64
	selfTime, serverTime, redisTime time.Duration
}

// stop returns the cores used since start by this process, by the server's
// instances, by Redis and by everything else on the machine: other
// processes, and kernel work charged to none of them.
func (m cpuMeter) stop() cpuUse {
	wall := time.Since(m.at).Seconds()
	selfTime := selfCPU() - m.self
	u := cpuUse{self: selfTime.Seconds() / wall, selfTime: selfTime, server: -1, redis: -1, others: -1}
	if m.serverOK {
		if t, err := sumCPU(m.pids); err == nil {
			u.serverTime = t - m.server
			u.server = u.serverTime.Seconds() / wall
		}
	}
	if m.redisOK {
		if t, err := processCPU(m.redisPID); err == nil {
			u.redisTime = t - m.redis
			u.redis = u.redisTime.Seconds() / wall
		}
	}
	if m.machineOK && (m.serverOK || len(m.pids) == 0) && (m.redisOK || m.redisPID <= 0) {
		if t, err := machineCPU(); err == nil {
			serverTime := u.serverTime
			if slices.Contains(m.pids, os.Getpid()) { // a server in this process: counted once
				serverTime = 0
			}
			u.others = max((t-m.machine-selfTime-serverTime-u.redisTime).Seconds()/wall, 0)
		}
	}
	return u
}

// stopInto records in r what stop returns, the garbage collections and the
// instances measured.
func (m cpuMeter) stopInto(r *Result) {
	u := m.stop()
	r.LoadCPU, r.ServerCPU, r.RedisCPU, r.OtherCPU = u.self, u.server, u.redis, u.others
	r.LoadCPUTime, r.ServerCPUTime, r.RedisCPUTime = u.selfTime, u.serverTime, u.redisTime
	r.LoadGCs = int64(gcCycles() - m.gcs)
	r.Instances, r.Redis = m.instances, m.usesRedis
}

// RaiseFileLimit raises this process's open-file limit (RLIMIT_NOFILE) to
// its hard limit, and to want if that is more, raising the hard limit too when
// it must and may (root, or CAP_SYS_RESOURCE). It always sets the limit, so
// that the processes it starts afterwards (the servers of -server) inherit
// it: Go gives a child the soft limit its parent started with, unless the
// parent set one. It returns a sentence for the report when it raised the
// hard limit or could not give all it should.
func RaiseFileLimit(want uint64) (string, error) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return "", err
	}
	old := lim
	lim.Cur = max(lim.Max, want)
	lim.Max = lim.Cur
	err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	switch {
	case err == nil && lim.Max > old.Max:
		return fmt.Sprintf("raised RLIMIT_NOFILE from %d (hard %d) to %d", old.Cur, old.Max, want), nil
	case err == nil:
		return "", nil
	}
	lim = syscall.Rlimit{Cur: old.Max, Max: old.Max}
	if serr := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); serr != nil {
		return "", fmt.Errorf("loadgen: raising RLIMIT_NOFILE from %d to %d: %w", old.Cur, old.Max, serr)
	}
	return fmt.Sprintf("RLIMIT_NOFILE is %d, below the %d wanted: raising the hard limit was refused (%v)", old.Max, want, err), nil
}

// FileLimit returns the soft limit of open files of process pid, from
// /proc/PID/limits.
func FileLimit(pid int) (uint64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/limits", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Max open files"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				return strconv.ParseUint(f[0], 10, 64)
			}
		}
	}
	return 0, fmt.Errorf("loadgen: no open files limit in /proc/%d/limits", pid)
}

// SourcesFor returns how many source addresses conns connections to one
// server need (see [Config.Sources]): one for each three quarters of the
// ephemeral port range (net.ipv4.ip_local_port_range), which leaves room for
// the ports that closed connections hold a while (TIME_WAIT).
func SourcesFor(conns int) int {
	ports := 28232 // Linux's default range, 32768–60999
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		var lo, hi int
		if n, _ := fmt.Sscan(string(b), &lo, &hi); n == 2 && hi > lo {
			ports = hi - lo + 1
		}
	}
	return conns/(ports*3/4) + 1
}
