package handoff

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// TestPacketCloneIsDeep: a clone reads as the packet does, and nothing done
// to the packet afterwards shows in it. A field added to Packet must be
// added to Clone (and here).
func TestPacketCloneIsDeep(t *testing.T) {
	if n := reflect.TypeFor[Packet]().NumField(); n != 10 {
		t.Fatalf("Packet has %d fields; make sure Clone copies every one deeply, then update this test", n)
	}
	p := refundPacket("en", true)
	p.Facts.Set(FactEmail, "hanako@example.com")
	p.Decisions[0].Rules = []string{"policy:human_requested"}
	p.Transfers = []Transfer{{At: tokyo(5, 10, 1), From: "a", To: "b", Cause: CauseLineFault}}
	p.RaiseIssue("get_refund", "I still have no refund")
	cp := p.Clone()
	want, _ := json.Marshal(p)
	got, _ := json.Marshal(cp)
	if string(got) != string(want) {
		t.Fatalf("clone differs:\n%s\n%s", got, want)
	}
	p.Summary["en"] = "changed"
	p.Facts.Set(FactPhone, "+819012345678")
	p.Facts.Order.Items[0] = "changed"
	p.Decisions[0].Rules[0] = "changed"
	p.Add(Line{At: time.Now(), Speaker: SpeakerCustomer, Text: "more"})
	p.Transfers[0].To = "changed"
	p.Issues[0].Status = IssueResolved
	again, _ := json.Marshal(cp)
	if string(again) != string(want) {
		t.Fatalf("the clone changed with the packet:\n%s\n%s", again, want)
	}
	if (*Packet)(nil).Clone() != nil {
		t.Fatal("a nil packet cloned to something")
	}
}
