// Package redisstore keeps the matches in Redis, where every server that uses
// the same Redis finds them: a session.Store shared by several instances of
// the game behind a load balancer.
//
// A match is a hash (its header and the names of its keys) and a list (its
// records), which expire together when nothing has been appended for the TTL;
// its join key and resume tokens are strings naming the match. A Lua script
// appends records only at the position the server expects, so two servers
// never both append the record of the same turn, and publishes them on the
// match's channel in the same step. Each server follows the channels of the
// matches it has clients in on one pub/sub connection; after that connection
// is lost and back, it has its matches catch up from the stored records.
//
// A Redis Cluster is not supported: the script touches keys of several slots.
package redisstore

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/connect4go/connect4/backend/internal/session"
	"github.com/connect4go/connect4/shared/protocol"
)

// Options tune a Store. The zero value of a field means its default.
type Options struct {
	// Prefix starts the name of every key and channel; the default is "c4:".
	Prefix string
	// TTL is how long a match is kept after its last record; the default is
	// an hour. Keep it well above the game's idle time (session.Config.Idle),
	// so that the idle close finds the match.
	TTL time.Duration
	// CheckInterval is how often Redis is pinged for the health check; the
	// default is a second.
	CheckInterval time.Duration
	// Server names this server for Alive, which says it runs as long as
	// the Store checks Redis, and for three checks more. "" names none.
	Server string
}

// Store is a session.Store in Redis. It is safe for concurrent use.
type Store struct {
	session.Health // whether Redis answered the last check
	rdb            *redis.Client
	ps             *redis.PubSub
	opt            Options
	log            *slog.Logger
	cancel         context.CancelFunc
	done           sync.WaitGroup

	mu        sync.Mutex
	followers map[string]map[*session.Feed]struct{} // by channel
}

var (
	_ session.Store = (*Store)(nil)
	_ session.Queue = (*Store)(nil)
)

//go:embed append.lua
var appendLua string

var appendScript = redis.NewScript(appendLua)

//go:embed seek.lua
var seekLua string

var seekScript = redis.NewScript(seekLua)

// The answers of the append script besides the position appended at.
const (
	appendConflict = -1
	appendNotFound = -2
	appendBehind   = -3
)

// quietly routes go-redis's own log lines, such as each failed dial while
// Redis is away, to the debug level of the first Store's logger: the Store
// logs what they mean once, at the error level.
var quietly sync.Once

// goRedisLog is the go-redis logger that writes to a slog.Logger.
type goRedisLog struct{ *slog.Logger }

func (l goRedisLog) Printf(ctx context.Context, format string, v ...any) {
	l.DebugContext(ctx, fmt.Sprintf(format, v...), "from", "go-redis")
}

// userinfo matches the user and password of a URL, as in
// redis://user:password@host.
var userinfo = regexp.MustCompile(`//([^/@:]*):([^/@]*)@`)

// Redact returns s with the password of every URL in it replaced by
// "xxxxx", for logs and errors.
func Redact(s string) string { return userinfo.ReplaceAllString(s, "//$1:xxxxx@") }

// New returns a Store on the Redis at url, such as redis://localhost:6379/0,
// and logs to logger. It does not wait for Redis: until Redis answers, Ready
// says why not and every call fails. Close releases it.
func New(url string, opt Options, logger *slog.Logger) (*Store, error) {
	ro, err := redis.ParseURL(url)
	if err != nil {
		// The error quotes the URL: not its password.
		return nil, fmt.Errorf("redisstore: %s", Redact(err.Error()))
	}
	quietly.Do(func() { redis.SetLogger(goRedisLog{logger}) })
	if opt.Prefix == "" {
		opt.Prefix = "c4:"
	}
	if opt.TTL == 0 {
		opt.TTL = time.Hour
	}
	if opt.CheckInterval == 0 {
		opt.CheckInterval = time.Second
	}
	// Fail fast while Redis is away: a player waits for an answer.
	ro.DialTimeout = min(ro.DialTimeout, time.Second)
	ro.MaxRetries = 1
	ctx, cancel := context.WithCancel(context.Background())
	s := &Store{
		rdb:       redis.NewClient(ro),
		opt:       opt,
		log:       logger,
		cancel:    cancel,
		followers: make(map[string]map[*session.Feed]struct{}),
	}
	s.SetHealth(errors.New("redis: not checked yet"))
	s.ps = s.rdb.Subscribe(ctx)
	s.check(ctx) // before anyone listens: the first tells only the log
	s.done.Add(2)
	go s.receive(ctx)
	go s.watch(ctx)
	return s, nil
}

// Close stops following and closes the connections to Redis. The server is
// not alive from then on, and its part of the lobby is gone.
func (s *Store) Close() error {
	s.cancel()
	err := s.ps.Close()
	s.done.Wait() // no check renews the sign of life after this
	if s.opt.Server != "" {
		ctx, cancel := context.WithTimeout(context.Background(), s.opt.CheckInterval)
		s.rdb.Del(ctx, s.aliveKey(s.opt.Server))
		s.unshareLobby(ctx)
		cancel()
	}
	return errors.Join(err, s.rdb.Close())
}

// watch pings Redis every CheckInterval until ctx is done.
func (s *Store) watch(ctx context.Context) {
	defer s.done.Done()
	t := time.NewTicker(s.opt.CheckInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.check(ctx)
		}
	}
}

// check pings Redis, and tells of a change.
func (s *Store) check(closing context.Context) {
	ctx, cancel := context.WithTimeout(closing, s.opt.CheckInterval)
	defer cancel()
	// A check is a ping, or the renewal of the server's sign of life.
	var err error
	if s.opt.Server != "" {
		err = s.rdb.Set(ctx, s.aliveKey(s.opt.Server), 1, 3*s.opt.CheckInterval).Err()
	} else {
		err = s.rdb.Ping(ctx).Err()
	}
	if closing.Err() != nil {
		return
	}
	switch {
	case err != nil && s.Ready() == nil:
		s.log.Error("redis unreachable", "err", err)
	case err == nil && s.Ready() != nil:
		s.log.Info("redis reachable", "addr", s.rdb.Options().Addr)
	}
	s.SetHealth(err)
}

// receive hands the news of the channels followed to their followers until
// ctx is done.
func (s *Store) receive(ctx context.Context) {
	defer s.done.Done()
	wait := 50 * time.Millisecond
	for {
		msg, err := s.ps.Receive(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			// go-redis dials again, and subscribes again, on the next call.
			time.Sleep(wait)
			wait = min(2*wait, time.Second)
			continue
		}
		wait = 50 * time.Millisecond
		switch msg := msg.(type) {
		case *redis.Message:
			at, recs, err := parseNews(msg.Payload)
			if err != nil {
				s.log.Error("bad news on a match's channel", "channel", msg.Channel, "err", err)
				continue
			}
			for _, e := range s.feeds(msg.Channel) {
				e.Appended(at, recs)
			}
		case *redis.Subscription:
			// Subscribed anew, maybe after a lost connection: what was
			// appended meanwhile was missed.
			if msg.Kind == "subscribe" {
				for _, e := range s.feeds(msg.Channel) {
					e.Resync()
				}
			}
		}
	}
}

// feeds returns the feeds of the followers of channel.
func (s *Store) feeds(channel string) []*session.Feed {
	s.mu.Lock()
	defer s.mu.Unlock()
	feeds := make([]*session.Feed, 0, len(s.followers[channel]))
	for e := range s.followers[channel] {
		feeds = append(feeds, e)
	}
	return feeds
}

func (s *Store) headerKey(id string) string { return s.opt.Prefix + "m:" + id }
func (s *Store) logKey(id string) string    { return s.opt.Prefix + "m:" + id + ":log" }
func (s *Store) indexKey(k session.KeyKind, key string) string {
	return s.opt.Prefix + string(k) + ":" + key
}

func (s *Store) aliveKey(server string) string { return s.opt.Prefix + "alive:" + server }

// Alive implements session.Store: a server is alive while its sign of life,
// renewed at each check, has not expired.
func (s *Store) Alive(ctx context.Context, server string) (bool, error) {
	n, err := s.rdb.Exists(ctx, s.aliveKey(server)).Result()
	return n == 1, err
}

// Create implements session.Store.
func (s *Store) Create(ctx context.Context, h session.Header) error {
	var keys []string
	if h.Join != "" {
		keys = append(keys, s.indexKey(session.JoinKey, h.Join))
	}
	if h.Token != "" {
		keys = append(keys, s.indexKey(session.TokenKey, h.Token))
	}
	head := s.headerKey(h.ID)
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, head, "mode", string(h.Mode), "join", h.Join, "token", h.Token, "conn", h.Conn,
			"level", h.Level, "yellow", strconv.FormatBool(h.Yellow), "clock", h.Clock.String(), "keys", strings.Join(keys, " "))
		p.PExpire(ctx, head, s.opt.TTL)
		for _, k := range keys {
			p.Set(ctx, k, h.ID, s.opt.TTL)
		}
		return nil
	})
	return err
}

// Find implements session.Store.
func (s *Store) Find(ctx context.Context, kind session.KeyKind, key string) (string, error) {
	if kind == session.WatchKey {
		n, err := s.rdb.Exists(ctx, s.headerKey(key)).Result()
		if err == nil && n == 0 {
			err = session.ErrNotFound
		}
		return key, err
	}
	id, err := s.rdb.Get(ctx, s.indexKey(kind, key)).Result()
	if errors.Is(err, redis.Nil) {
		err = session.ErrNotFound
	}
	return id, err
}

// Load implements session.Store.
func (s *Store) Load(ctx context.Context, id string, from int) (session.Header, []session.Record, error) {
	var head *redis.MapStringStringCmd
	var list *redis.StringSliceCmd
	var n *redis.IntCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		head = p.HGetAll(ctx, s.headerKey(id))
		list = p.LRange(ctx, s.logKey(id), int64(from), -1)
		n = p.LLen(ctx, s.logKey(id))
		return nil
	})
	if err != nil {
		return session.Header{}, nil, err
	}
	f := head.Val()
	if len(f) == 0 || int64(from) > n.Val() {
		return session.Header{}, nil, session.ErrNotFound
	}
	clock, err := protocol.ParseTimeControl(f["clock"])
	if err != nil {
		return session.Header{}, nil, fmt.Errorf("match %s: %w: %v", id, session.ErrBadRecord, err)
	}
	h := session.Header{ID: id, Mode: protocol.Mode(f["mode"]), Join: f["join"], Token: f["token"],
		Conn: f["conn"], Level: f["level"], Yellow: f["yellow"] == "true", Clock: clock}
	recs := make([]session.Record, len(list.Val()))
	for i, text := range list.Val() {
		if recs[i], err = decode(text); err != nil {
			return session.Header{}, nil, fmt.Errorf("match %s: %w", id, err)
		}
	}
	return h, recs, nil
}

// Append implements session.Store.
func (s *Store) Append(ctx context.Context, id string, at int, recs ...session.Record) error {
	keys := []string{s.headerKey(id), s.logKey(id)}
	args := []any{at, s.opt.TTL.Milliseconds(), id}
	for _, r := range recs {
		if r.Op == session.Joined {
			keys = append(keys, s.indexKey(session.TokenKey, r.Token))
		}
	}
	for _, r := range recs {
		args = append(args, encode(r))
	}
	n, err := appendScript.Run(ctx, s.rdb, keys, args...).Int()
	switch {
	case err != nil:
		return err
	case n == appendConflict:
		return session.ErrConflict
	case n == appendNotFound:
		return session.ErrNotFound
	case n == appendBehind:
		return session.ErrBehind
	}
	return nil
}

// parseNews reads what the append script publishes: the position of the
// first record, then the records, a line each.
func parseNews(payload string) (int, []session.Record, error) {
	lines := strings.Split(payload, "\n")
	at, err := strconv.Atoi(lines[0])
	if err != nil || len(lines) < 2 {
		return 0, nil, fmt.Errorf("news %q: %w", payload, session.ErrBadRecord)
	}
	recs := make([]session.Record, len(lines)-1)
	for i, text := range lines[1:] {
		if recs[i], err = decode(text); err != nil {
			return 0, nil, err
		}
	}
	return at, recs, nil
}

// Follow implements session.Store: it subscribes to the match's channel,
// unless another follower of the match has already.
func (s *Store) Follow(id string, f session.Follower) (stop func()) {
	channel := s.headerKey(id)
	e := session.NewFeed(f)
	s.mu.Lock()
	first := len(s.followers[channel]) == 0
	if first {
		s.followers[channel] = make(map[*session.Feed]struct{})
	}
	s.followers[channel][e] = struct{}{}
	s.mu.Unlock()
	if first {
		ctx, cancel := context.WithTimeout(context.Background(), s.opt.CheckInterval)
		defer cancel()
		// While Redis is away, the channel is subscribed to on reconnecting.
		s.ps.Subscribe(ctx, channel)
	} else {
		e.Resync() // it may have missed news before it followed
	}
	return func() {
		s.mu.Lock()
		delete(s.followers[channel], e)
		last := len(s.followers[channel]) == 0
		if last {
			delete(s.followers, channel)
		}
		s.mu.Unlock()
		if last {
			ctx, cancel := context.WithTimeout(context.Background(), s.opt.CheckInterval)
			defer cancel()
			s.ps.Unsubscribe(ctx, channel)
		}
	}
}

// queueKey names the queue of pool, for quick match.
func (s *Store) queueKey(pool string) string { return s.opt.Prefix + "queue:" + pool }

// Seek implements session.Queue, for the players of every server that
// shares the Redis: one script takes the oldest key or adds key, so that
// two seekers never both wait.
func (s *Store) Seek(ctx context.Context, pool, key string) (string, error) {
	other, err := seekScript.Run(ctx, s.rdb, []string{s.queueKey(pool)}, key, s.opt.TTL.Milliseconds()).Text()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	return other, err
}

// Unseek implements session.Queue.
func (s *Store) Unseek(ctx context.Context, pool, key string) error {
	return s.rdb.LRem(ctx, s.queueKey(pool), 0, key).Err()
}

// Put implements session.Queue, in one transaction.
func (s *Store) Put(ctx context.Context, pool, key string, first bool) error {
	q := s.queueKey(pool)
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.LRem(ctx, q, 0, key)
		if first {
			p.LPush(ctx, q, key)
		} else {
			p.RPush(ctx, q, key)
		}
		p.PExpire(ctx, q, s.opt.TTL)
		return nil
	})
	return err
}

// Drop implements session.Store: it leaves the match to expire, since
// spectators on other servers may follow it still.
func (s *Store) Drop(context.Context, string) {}
