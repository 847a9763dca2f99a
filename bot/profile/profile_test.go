package profile

import (
	"strings"
	"testing"
)

func TestDemoProfileIsCompleteAndFictional(t *testing.T) {
	p := Demo()
	if n := len(p.Orders); n < 5 || n > 8 {
		t.Fatalf("demo has %d orders, want 5-8", n)
	}
	got := map[string]bool{}
	for _, o := range p.Orders {
		got[o.Status] = true
	}
	for _, s := range statuses {
		if !got[s] {
			t.Errorf("demo has no %s order", s)
		}
	}
	for _, c := range p.Shop.Contacts {
		if !strings.Contains(c.Label, "架空") || !strings.Contains(c.LabelEN, "fictional") {
			t.Errorf("contact %q is not labelled fictional in both languages", c.Number)
		}
	}
	if strings.Contains(strings.ToLower(p.Shop.NameEN), "amazon") {
		t.Error("the demo shop must not be a real company")
	}
}

func TestLoadReportsProblemsWithLines(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"bad id", "customer: {name: A, lang: en}\nshop: {name: S}\norders:\n  - id: 12-3\n    items: [x]\n    date: 2026-01-02\n    status: delivered\n", "p.yaml:4: order id \"12-3\""},
		{"bad status", "customer: {name: A, lang: en}\nshop: {name: S}\norders:\n  - id: 123-1234567-1234567\n    items: [x]\n    date: 2026-01-02\n    status: lost\n", "p.yaml:7: order 123-1234567-1234567: status \"lost\""},
		{"bad date", "customer: {name: A, lang: en}\nshop: {name: S}\norders:\n  - id: 123-1234567-1234567\n    items: [x]\n    date: yesterday\n    status: delivered\n", "p.yaml:6:"},
		{"bad lang", "customer: {name: A, lang: fr}\nshop: {name: S}\n", "customer.lang must be ja or en"},
		{"unknown field", "customer: {name: A, lang: en, age: 3}\nshop: {name: S}\n", "p.yaml:1:"},
		{"duplicate id", "customer: {name: A, lang: en}\nshop: {name: S}\norders:\n  - {id: 123-1234567-1234567, items: [x], date: 2026-01-02, status: delivered}\n  - {id: 123-1234567-1234567, items: [y], date: 2026-01-02, status: delivered}\n", "appears twice"},
		{"no name", "customer: {lang: en}\nshop: {name: S}\n", "customer.name is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("p.yaml", []byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadValidProfile(t *testing.T) {
	p, err := Load("p.yaml", []byte("customer: {name: Alex, lang: en}\nshop: {name: S, contacts: [{label: Desk, number: 555-0100}]}\norders:\n  - {id: 123-1234567-1234567, items: [Lamp], date: 2026-01-02, status: returned}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := p.Find("123-1234567-1234567"); !ok || o.DisplayItems("ja")[0] != "Lamp" {
		t.Fatalf("Find = %+v, %v", o, ok)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(demoYAML)
	f.Add([]byte("customer: {name: A, lang: en}\nshop: {name: S}\norders: [{id: x}]\n"))
	f.Add([]byte("orders: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Load("f.yaml", data)
		if err == nil && (p.Customer.Name == "" || len(p.Orders) > MaxOrders) {
			t.Fatalf("accepted an invalid profile: %+v", p)
		}
	})
}

func TestCheck(t *testing.T) {
	if got := Check("demo.yaml", demoYAML); got != nil {
		t.Fatalf("the demo profile has problems: %q", got)
	}
	got := Check("p.yaml", []byte("customer: {name: A, lang: en}\nshop: {name: S}\norders:\n  - {id: 1, items: [x], date: 2026-01-02, status: delivered}\n"))
	if len(got) != 1 || !strings.HasPrefix(got[0], "p.yaml:4: ") {
		t.Fatalf("Check = %q", got)
	}
}

// Demo is parsed once, but each caller gets its own copy to change.
func TestDemoCopiesAreIndependent(t *testing.T) {
	a, b := Demo(), Demo()
	a.Customer.NameEN = "changed"
	a.Orders[0].ItemsEN[0] = "changed"
	a.Shop.Contacts[0].Number = "changed"
	if b.Customer.NameEN == "changed" || b.Orders[0].ItemsEN[0] == "changed" || b.Shop.Contacts[0].Number == "changed" {
		t.Fatal("a change to one demo profile shows in another")
	}
}
