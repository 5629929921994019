package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		input  string
		output string // standard output
		err    error  // nil, errMismatch, or errAny for any error
	}{
		{"scores", nil, "4455\n44455554221\n", "4455 18\n44455554221 -15\n", nil},
		{"expected scores that match", nil, "4455 18\n\n2252576253462244111563365343671351441 -1\n",
			"4455 18\n2252576253462244111563365343671351441 -1\n", nil},
		{"a mismatch", nil, "4455 17\n", "4455 18\n", errMismatch},
		{"best move", []string{"-v"}, "121212\n", "121212 18 best=1 nodes=0 time=", nil},
		{"analysis", []string{"-analyze"}, "1233722555341451114725221333 -1\n",
			"1233722555341451114725221333 -1 - - - -1 -1 -1 -1\n", nil},
		{"a bad position", nil, "4455\n48\n", "4455 18\n", errAny},
		{"a won position", nil, "1212121\n", "", errAny},
		{"a bad expected score", nil, "4455 x\n", "", errAny},
		{"a bad flag", []string{"-table", "99"}, "", "", errAny},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), append([]string{"-table", "16"}, tt.args...), strings.NewReader(tt.input), &stdout, &stderr)
		switch {
		case tt.err == errAny && err == nil, tt.err != errAny && !errors.Is(err, tt.err):
			t.Errorf("%s: error %v, want %v (stderr %q)", tt.name, err, tt.err, stderr.String())
		case !strings.HasPrefix(stdout.String(), tt.output):
			t.Errorf("%s: output %q, want %q", tt.name, stdout.String(), tt.output)
		}
	}
}

// errAny stands for any error in the table.
var errAny = errors.New("any error")
