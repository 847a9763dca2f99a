package training

import "testing"

func TestBuiltinsLoad(t *testing.T) {
	b := Builtins()
	if len(b) < 8 {
		t.Fatalf("want at least 8 built-in scenarios, got %d", len(b))
	}
}
