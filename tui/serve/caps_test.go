package serve

import (
	"net"
	"testing"
)

// Sessions are counted per address; an IPv6 host is its /64, which one
// host usually has whole. The loopback is not capped by default (a local
// proxy or port forward brings every customer from it), only when a cap
// is set explicitly.
func TestSourceKey(t *testing.T) {
	tcp := func(s string) net.Addr { return &net.TCPAddr{IP: net.ParseIP(s), Port: 50000} }
	for _, tc := range []struct {
		perIP int
		addr  net.Addr
		want  string
	}{
		{0, tcp("203.0.113.7"), "203.0.113.7"},
		{0, tcp("::ffff:203.0.113.7"), "203.0.113.7"},
		{0, tcp("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64"},
		{0, tcp("2001:db8:1:2:bbbb::9"), "2001:db8:1:2::/64"},
		{0, tcp("127.0.0.1"), ""},
		{0, tcp("::1"), ""},
		{4, tcp("127.0.0.1"), "127.0.0.1"},
		{-1, tcp("203.0.113.7"), ""},
		{0, &net.UnixAddr{Name: "/tmp/s", Net: "unix"}, ""},
	} {
		s := &Server{cfg: Config{MaxSessionsPerIP: tc.perIP}}
		if got := s.sourceKey(tc.addr); got != tc.want {
			t.Errorf("MaxSessionsPerIP %d, %v: key %q, want %q", tc.perIP, tc.addr, got, tc.want)
		}
	}
}
