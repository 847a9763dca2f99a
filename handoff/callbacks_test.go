package handoff

import (
	"errors"
	"strings"
	"testing"
	"time"

	"tsunagu/bot/slots"
)

func TestCallbackAtPhoneHourBoundaries(t *testing.T) {
	pool := DefaultPool()
	tests := []struct {
		name     string
		at       time.Time
		slot     bool
		wantSlot time.Time
	}{
		{"08:59 books the 09:00 slot", tokyo(5, 8, 59), true, tokyo(5, 9, 0)},
		{"09:00 calls back within minutes", tokyo(5, 9, 0), false, time.Time{}},
		{"17:59 calls back within minutes", tokyo(5, 17, 59), false, time.Time{}},
		{"18:00 books the next morning", tokyo(5, 18, 0), true, tokyo(6, 9, 0)},
		{"23:30 books the next morning", tokyo(5, 23, 30), true, tokyo(6, 9, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb := NewCallbacks(pool)
			off := cb.Offer(tt.at)
			if off.Open == tt.slot {
				t.Fatalf("offer open = %v", off.Open)
			}
			b, err := cb.Book(tt.at, "090-1234-5678")
			if err != nil {
				t.Fatal(err)
			}
			if b.Slot != tt.slot || b.Phone != "+819012345678" || b.Display != "090-1234-5678" {
				t.Fatalf("booking = %+v", b)
			}
			if tt.slot && !b.At.Equal(tt.wantSlot) {
				t.Fatalf("slot at %s, want %s", b.At, tt.wantSlot)
			}
			if !tt.slot && (b.Within < 5*time.Minute || b.Within > 30*time.Minute || !b.At.Equal(tt.at.Add(b.Within))) {
				t.Fatalf("within %s, at %s", b.Within, b.At)
			}
		})
	}
}

func TestCallbackETAGrowsWithLoad(t *testing.T) {
	cb := NewCallbacks(DefaultPool())
	at := tokyo(5, 11, 0)
	first := cb.Offer(at).Within
	for range 12 {
		if _, err := cb.Book(at, "03-1234-5678"); err != nil {
			t.Fatal(err)
		}
	}
	busy := cb.Offer(at).Within
	if busy <= first || busy%(5*time.Minute) != 0 {
		t.Fatalf("ETA with 12 callbacks waiting = %s, empty = %s", busy, first)
	}
	// Once those calls are due, the load clears.
	if later := cb.Offer(at.Add(3 * time.Hour)).Within; later != first {
		t.Fatalf("ETA after the backlog = %s, want %s", later, first)
	}
}

func TestCallbackPhoneNumbers(t *testing.T) {
	tests := []struct {
		in      string
		want    string // E.164, or "" for invalid
		problem slots.PhoneProblem
	}{
		{"090-1234-5678", "+819012345678", 0},
		{"０９０−１２３４−５６７８", "+819012345678", 0}, // full-width digits and dash
		{"０３（１２３４）５６７８", "+81312345678", 0},   // full-width brackets
		{"+81 90 1234 5678", "+819012345678", 0},
		{"+81 (0)3 1234 5678", "+81312345678", 0},
		{"03-1234-5678", "+81312345678", 0},
		{"0120-000-000", "+81120000000", 0},
		{"+44 20 7946 0000", "+442079460000", 0},
		{"", "", slots.PhoneEmpty},
		{"090-1234-567", "", slots.PhoneTooShort},
		{"０９０−１２３４−５６７", "", slots.PhoneTooShort}, // full-width, one digit short
		{"090-1234-56789", "", slots.PhoneTooLong},
		{"90-1234-5678", "", slots.PhoneNoAreaCode},
		{"090-abcd-5678", "", slots.PhoneBadCharacters},
		{"tel:09012345678", "", slots.PhoneBadCharacters},
		{"+0 90 1234 5678", "", slots.PhoneNotInUse},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			cb := NewCallbacks(DefaultPool())
			b, err := cb.Book(tokyo(5, 10, 0), tt.in)
			if tt.want != "" {
				if err != nil || b.Phone != tt.want {
					t.Fatalf("Book = %+v, %v; want %s", b, err, tt.want)
				}
				return
			}
			var pe *slots.PhoneError
			if !errors.As(err, &pe) || pe.Problem != tt.problem {
				t.Fatalf("error = %v, want problem %d", err, tt.problem)
			}
			if pe.Message("ja") == "" || pe.Error() == "" {
				t.Fatal("a bad number needs a clear message in both languages")
			}
			if len(cb.pending) != 0 {
				t.Fatal("a bad number was booked")
			}
		})
	}
}

func TestBookingText(t *testing.T) {
	pool := DefaultPool()
	cb := NewCallbacks(pool)
	now, _ := cb.Book(tokyo(5, 10, 0), "090-1234-5678")
	if got := now.Text("en", pool.Location); got != "We'll call you at 090-1234-5678 within 5 minutes." {
		t.Errorf("en: %q", got)
	}
	if got := now.Text("ja", pool.Location); got != "5分以内に 090-1234-5678 へお電話します。" {
		t.Errorf("ja: %q", got)
	}
	slot, _ := cb.Book(tokyo(5, 20, 0), "090-1234-5678")
	if got := slot.Text("en", pool.Location); got != "We'll call you at 090-1234-5678 from Tue 6 Jan 09:00, within 5 minutes of opening." {
		t.Errorf("en slot: %q", got)
	}
}

func FuzzCallbackBook(f *testing.F) {
	for _, s := range []string{"090-1234-5678", "０９０−１２３４−５６７８", "+81 (0)3 1234 5678", "", "+", "0\u200b90", "\x1b[2J090"} {
		f.Add(s)
	}
	pool := DefaultPool()
	f.Fuzz(func(t *testing.T, number string) {
		cb := NewCallbacks(pool)
		b, err := cb.Book(tokyo(5, 10, 0), number)
		if err != nil {
			var pe *slots.PhoneError
			if !errors.As(err, &pe) || pe.Message("ja") == "" {
				t.Fatalf("error %v is not a phone error with a message", err)
			}
			return
		}
		if !strings.HasPrefix(b.Phone, "+") || len(b.Phone) < 9 || b.Within < 5*time.Minute {
			t.Fatalf("booking %+v", b)
		}
		for _, r := range b.Phone[1:] {
			if r < '0' || r > '9' {
				t.Fatalf("stored number %q is not E.164", b.Phone)
			}
		}
	})
}
