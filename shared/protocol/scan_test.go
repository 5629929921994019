package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// oracle splits data into its members with encoding/json, under the rules of
// ScanObject, for the fuzz test to compare with.
func oracle(data []byte) (map[string]string, error) {
	if !json.Valid(data) {
		return nil, errors.New("invalid JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if tok, _ := dec.Token(); tok != json.Delim('{') {
		return nil, errors.New("not an object")
	}
	members := make(map[string]string)
	for dec.More() {
		tok, _ := dec.Token()
		key := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, err
		}
		if _, ok := members[key]; ok {
			return nil, errors.New("repeated key")
		}
		if depth(value) >= maxDepth {
			return nil, errors.New("too deep")
		}
		members[key] = string(value)
	}
	return members, nil
}

// depth returns the deepest nesting of arrays and objects in valid JSON.
func depth(value []byte) int {
	dec := json.NewDecoder(bytes.NewReader(value))
	d, deepest := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF || err != nil {
			return deepest
		}
		switch tok {
		case json.Delim('['), json.Delim('{'):
			d++
			deepest = max(deepest, d)
		case json.Delim(']'), json.Delim('}'):
			d--
		}
	}
}

func TestScanObject(t *testing.T) {
	tests := []struct {
		in   string
		want string // the members as key=value;, or "error"
	}{
		{`{}`, ``},
		{` { "a" : 1 , "b":[1,{"c":null}] } `, `a=1;b=[1,{"c":null}];`},
		{`{"\u0074ype":"play"}`, `type="play";`},
		{`{"a":"\"\\\/\b\f\n\r\t\u00e9"}`, `a="\"\\\/\b\f\n\r\t\u00e9";`},
		{`{"a":-0.5e+10,"b":0,"c":-1E-2,"d":true,"e":false}`, `a=-0.5e+10;b=0;c=-1E-2;d=true;e=false;`},
		{`{"a":1,"\u0061":2}`, `error`},
		{`{"a":01}`, `error`},
		{`{"a":1.}`, `error`},
		{`{"a":.5}`, `error`},
		{`{"a":+1}`, `error`},
		{`{"a":tru}`, `error`},
		{`{"a":"\x"}`, `error`},
		{`{"a":"\u12"}`, `error`},
		{"{\"a\":\"\t\"}", `error`},
		{`{"a":[1,]}`, `error`},
		{`{"a" 1}`, `error`},
		{`{a:1}`, `error`},
		{`{"a":1}}`, `error`},
		{`{"a":1`, `error`},
		{`[]`, `error`},
		{``, `error`},
	}
	for _, tt := range tests {
		var got strings.Builder
		err := ScanObject([]byte(tt.in), func(k, v []byte) error {
			got.WriteString(string(k) + "=" + string(v) + ";")
			return nil
		})
		if err != nil {
			if tt.want != "error" {
				t.Errorf("ScanObject(%s): %v, want %s", tt.in, err, tt.want)
			}
			continue
		}
		if got.String() != tt.want {
			t.Errorf("ScanObject(%s) = %s, want %s", tt.in, got.String(), tt.want)
		}
	}
}

// FuzzScanObject checks ScanObject against encoding/json: both accept the same
// objects and find the same members.
func FuzzScanObject(f *testing.F) {
	for _, s := range []string{`{"type":"play","column":3}`, `{"a":[1,{"b":"\u00e9"}],"c":-1.5e3}`, `{"a":1,"a":2}`, `[1]`, `{"a":"\x"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !utf8.Valid(data) {
			return // DecodeCommand refuses it before scanning
		}
		got := make(map[string]string)
		err := ScanObject(data, func(k, v []byte) error {
			got[string(k)] = string(v)
			return nil
		})
		want, werr := oracle(data)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: ScanObject says %v, encoding/json says %v", data, err, werr)
		}
		if err != nil {
			return
		}
		if len(got) != len(want) {
			t.Fatalf("%q: members %v, want %v", data, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("%q: member %q = %q, want %q", data, k, got[k], v)
			}
		}
	})
}

// FuzzAppendString checks the encoder's strings against encoding/json's.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", `"quoted" \ <b> & é`, "\x00\b\f\n\r\t\x1f", "\u2028\u2029", "\xff\xfe", "😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, s); string(got) != string(want) {
			t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}

// FuzzUnquote checks the decoder's strings against encoding/json's.
func FuzzUnquote(f *testing.F) {
	for _, s := range []string{`""`, `"a\"b"`, `"\u00e9\ud83d\ude00"`, `"\ud800"`, `"\udc00x"`, `"\ud800\u0041"`, `"\/\b\f\n\r\t"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, quoted []byte) {
		if !utf8.Valid(quoted) {
			return
		}
		s := scanner{data: quoted}
		if s.string() != nil || s.i != len(quoted) {
			return // unquote takes only what the scanner accepted
		}
		var want string
		if err := json.Unmarshal(quoted, &want); err != nil {
			t.Fatalf("the scanner accepted %s, encoding/json did not: %v", quoted, err)
		}
		got, err := unquote(quoted)
		if err != nil || string(got) != want {
			t.Fatalf("unquote(%s) = %q, %v; want %q", quoted, got, err, want)
		}
	})
}

func TestScanObjectStopsAtMemberError(t *testing.T) {
	stop := errors.New("stop")
	var keys []string
	err := ScanObject([]byte(`{"a":1,"b":2,"c":3}`), func(k, v []byte) error {
		keys = append(keys, string(k))
		if string(k) == "b" {
			return stop
		}
		return nil
	})
	if err != stop || strings.Join(keys, ",") != "a,b" {
		t.Errorf("ScanObject = %v after %v, want the member's error after a,b", err, keys)
	}
}
