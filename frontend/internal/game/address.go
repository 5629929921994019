package game

import "strings"

// The few pieces of URL handling that the page needs, written here rather
// than imported from net/url, which (with net/netip and unique) would add 30 KB
// of brotli to the page's wasm. address_test.go checks each against net/url.

// splitURL splits an absolute hierarchical URL, such as
// "wss://game.example.com:8443/path?q", into its scheme in lower case ("wss"),
// its authority ("game.example.com:8443") and the rest ("/path?q"). ok is false
// for anything else: no scheme, or no "//" after it.
func splitURL(s string) (scheme, authority, rest string, ok bool) {
	scheme, rest, found := strings.Cut(s, ":")
	if !found || !validScheme(scheme) || !strings.HasPrefix(rest, "//") {
		return "", "", "", false
	}
	rest = rest[2:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	return lowerASCII(scheme), rest[:end], rest[end:], true
}

// asciiSpace is the whitespace that browsers trim from URLs and attributes.
const asciiSpace = " \t\n\f\r"

// lowerASCII returns s with its ASCII letters in lower case. The page uses it,
// and trims asciiSpace, rather than strings.ToLower and strings.TrimSpace,
// which link package unicode's tables for letters and spaces it never sees.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// validScheme reports whether s is a URL's scheme: a letter, then letters,
// digits, '+', '-' or '.'.
func validScheme(s string) bool {
	for i := range len(s) {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// hostOf returns the host (with its port) of an authority, without the user
// information before an '@', and whether the authority is valid: user
// information of the characters that URLs allow there, and a host of name
// characters or a bracketed IPv6 address, with at most a port of digits.
// Stricter than net/url in one way: a host may not be percent-encoded.
func hostOf(authority string) (string, bool) {
	host := authority
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		host = authority[at+1:]
		if !allBytes(authority[:at], "-._:~!$&'()*+,;=%@") {
			return "", false
		}
	}
	name, port := host, ""
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 || !allBytes(host[1:end], ":.") || strings.Trim(host[1:end], "0123456789abcdefABCDEF:.") != "" {
			return "", false
		}
		name, port = "", host[end+1:]
	} else if colon := strings.LastIndexByte(host, ':'); colon >= 0 {
		name, port = host[:colon], host[colon:]
	}
	if port != "" && (port[0] != ':' || strings.Trim(port[1:], "0123456789") != "") {
		return "", false
	}
	return host, allBytes(name, "-._~!$&'()*+,;=")
}

// allBytes reports whether every byte of s is a letter, a digit, a byte of
// extra, or beyond ASCII.
func allBytes(s, extra string) bool {
	for i := range len(s) {
		c := s[i]
		if c < 0x80 && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') && strings.IndexByte(extra, c) < 0 {
			return false
		}
	}
	return true
}

// queryValue returns the first value of key in the query of an address
// (without its '?'), such as "EHJ4" for "join" in "join=EHJ4&x=1", unescaped,
// and whether the query has it: what net/url's ParseQuery and Get give,
// pairs that cannot be unescaped or hold a ';' skipped as ParseQuery skips
// them.
func queryValue(query, key string) (string, bool) {
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, okKey := unescapeQuery(k)
		v, okValue := unescapeQuery(v)
		if okKey && okValue && k == key {
			return v, true
		}
	}
	return "", false
}

// unescapeQuery undoes queryEscape: '+' is a space and "%XX" the byte of hex
// XX; ok is false for a '%' without two hex digits.
func unescapeQuery(s string) (string, bool) {
	if !strings.ContainsAny(s, "%+") {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b = append(b, ' ')
		case '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return "", false
			}
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b), true
}

// queryEscape escapes s to go in an address's query, as net/url's QueryEscape
// does: letters, digits and "-_.~" stay, a space becomes '+', every other byte
// "%XX".
func queryEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := range len(s) {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-_.~", c) >= 0:
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.Write([]byte{'%', hex[c>>4], hex[c&15]})
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
