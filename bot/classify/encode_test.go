package classify

import (
	"bytes"
	"reflect"
	"testing"
)

// TestEncodeRoundTrip: a model read back from its bytes reads every text as
// the original does, and encodes to the same bytes.
func TestEncodeRoundTrip(t *testing.T) {
	m := fuzzModel()
	b, err := m.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	back, rest, err := Decode(append(b, "tail"...))
	if err != nil {
		t.Fatal(err)
	}
	if string(rest) != "tail" {
		t.Fatalf("rest %q", rest)
	}
	again, _ := back.AppendBinary(nil)
	if !bytes.Equal(b, again) {
		t.Fatal("the decoded model encodes to other bytes")
	}
	for _, text := range []string{"I want a refund", "please send a new one", "返金してください", "ordr", ""} {
		if a, c := m.Classify(text, "en"), back.Classify(text, "en"); !reflect.DeepEqual(a, c) {
			t.Errorf("%q: %+v after decoding, %+v before", text, c, a)
		}
	}
}

// TestDecodeDamaged: cut or altered bytes give an error, never a panic.
func TestDecodeDamaged(t *testing.T) {
	b, _ := fuzzModel().AppendBinary(nil)
	for _, bad := range [][]byte{nil, []byte("nope"), b[:len(encodingMagic)], b[:len(b)/2], b[:len(b)-1]} {
		if _, _, err := Decode(bad); err == nil {
			t.Errorf("Decode of %d bytes: no error", len(bad))
		}
	}
}

// FuzzDecode: any bytes decode without a panic. Seeds are in
// testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	b, _ := fuzzModel().AppendBinary(nil)
	f.Add(b[:200])
	f.Add([]byte(encodingMagic + "\x02\x01a\x01b\xff\xff\xff\xff\x0f"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, _, err := Decode(data)
		if err == nil {
			m.Classify("refund", "en")
		}
	})
}
