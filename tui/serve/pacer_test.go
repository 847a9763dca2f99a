package serve

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"
)

// The pacer hands on every byte, never more than the burst in one read, and
// a read beyond the burst waits for the rate: it cannot be faster than
// (size-burst)/rate.
func TestPacer(t *testing.T) {
	const rate, burst, size = 64 << 10, 16 << 10, 48 << 10
	data := bytes.Repeat([]byte("0123456789abcdef"), size/16)
	p := newPacer(context.Background(), bytes.NewReader(data), rate, burst)
	start := time.Now()
	var got []byte
	buf := make([]byte, 64<<10)
	for {
		n, err := p.Read(buf)
		if n > burst {
			t.Fatalf("one read returned %d bytes, over the burst", n)
		}
		got = append(got, buf[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("got %d bytes back of %d, or changed", len(got), len(data))
	}
	if min := time.Duration(float64(size-burst) / rate * float64(time.Second)); time.Since(start) < min*9/10 {
		t.Errorf("read %d bytes in %v: not paced (at least %v)", size, time.Since(start), min)
	}
}

// A closed connection ends a read that waits for the rate.
func TestPacerStopsWithTheConnection(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := newPacer(ctx, bytes.NewReader(make([]byte, 100)), 1, 1)
	p.tokens = 0
	cancel()
	if _, err := p.Read(make([]byte, 10)); err != io.EOF {
		t.Fatalf("got %v, want EOF", err)
	}
}
