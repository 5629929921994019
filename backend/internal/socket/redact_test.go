package socket

import "testing"

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		`{"type":"init","join":"J0IN","watch":"W4TCH","token":"T0K"}`: `{"type":"init","join":"…","watch":"…","token":"…"}`,
		`{"type": "resume", "token": "T0K"}`:                          `{"type": "resume", "token": "…"}`,
		`{"type":"play","column":3}`:                                  `{"type":"play","column":3}`,
	} {
		if got := redact([]byte(in)); got != want {
			t.Errorf("redact(%s) = %s, want %s", in, got, want)
		}
	}
}
