// Package profile owns the customer profile of the contact flow: who the
// signed-in customer is, their orders, and the shop they contact (its name and
// contact numbers). A complete fictional demo profile is embedded so the app
// works with no setup; --profile FILE loads another through bot/yamlfile.
package profile

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"tsunagu/bot/yamlfile"
)

//go:embed demo_profile.yaml
var demoYAML []byte

// Order statuses a profile may use.
const (
	StatusDelivered = "delivered"
	StatusInTransit = "in_transit"
	StatusCancelled = "cancelled"
	StatusReturned  = "returned"
)

var statuses = []string{StatusDelivered, StatusInTransit, StatusCancelled, StatusReturned}

// orderIDPattern is the shop's order id form, 123-1234567-1234567.
var orderIDPattern = regexp.MustCompile(`^[0-9]{3}-[0-9]{7}-[0-9]{7}$`)

// MaxOrders bounds a profile so the order list stays a list.
const MaxOrders = 50

// Customer is the signed-in customer.
type Customer struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	NameEN string `yaml:"name_en"`
	Lang   string `yaml:"lang"`
}

// Contact is one of the shop's phone numbers.
type Contact struct {
	Label   string `yaml:"label"`
	LabelEN string `yaml:"label_en"`
	Number  string `yaml:"number"`
}

// Shop is the (fictional) shop being contacted.
type Shop struct {
	Name     string    `yaml:"name"`
	NameEN   string    `yaml:"name_en"`
	Contacts []Contact `yaml:"contacts"`
}

// Order is one of the customer's orders.
type Order struct {
	ID      string   `yaml:"id"`
	Items   []string `yaml:"items"`
	ItemsEN []string `yaml:"items_en"`
	Date    string   `yaml:"date"` // YYYY-MM-DD
	Status  string   `yaml:"status"`
}

// Profile is a customer, their orders and their shop.
type Profile struct {
	Customer Customer `yaml:"customer"`
	Shop     Shop     `yaml:"shop"`
	Orders   []Order  `yaml:"orders"`
}

// Demo returns the embedded demo profile. It is valid by construction (a test
// checks it), so it cannot fail.
// It is parsed once; each call returns its own copy, which the caller may
// change.
func Demo() *Profile { return demo().clone() }

var demo = sync.OnceValue(func() *Profile {
	p, err := Load("demo_profile.yaml", demoYAML)
	if err != nil {
		panic("profile: embedded demo profile is invalid: " + err.Error())
	}
	return p
})

// clone is a deep copy of p.
func (p *Profile) clone() *Profile {
	cp := *p
	cp.Shop.Contacts = slices.Clone(p.Shop.Contacts)
	cp.Orders = make([]Order, len(p.Orders))
	for i, o := range p.Orders {
		o.Items, o.ItemsEN = slices.Clone(o.Items), slices.Clone(o.ItemsEN)
		cp.Orders[i] = o
	}
	return &cp
}

// Load parses and checks a profile file called name. Problems are reported as
// "NAME:LINE: message".
func Load(name string, data []byte) (*Profile, error) {
	var p Profile
	doc, err := yamlfile.DecodeDoc(name, data, &p)
	if err != nil {
		return nil, err
	}
	if problems := p.check(doc.ValueLine); len(problems) > 0 {
		return nil, &yamlfile.Error{Name: name, Problems: problems}
	}
	return &p, nil
}

func (p *Profile) check(line func(path ...any) int) []yamlfile.Problem {
	var out []yamlfile.Problem
	add := func(l int, format string, a ...any) {
		out = append(out, yamlfile.Problem{Line: l, Message: fmt.Sprintf(format, a...)})
	}
	if strings.TrimSpace(p.Customer.Name) == "" {
		add(line("customer"), "customer.name is required")
	}
	if p.Customer.Lang != "ja" && p.Customer.Lang != "en" {
		add(line("customer", "lang"), "customer.lang must be ja or en, not %q", p.Customer.Lang)
	}
	if strings.TrimSpace(p.Shop.Name) == "" {
		add(line("shop"), "shop.name is required")
	}
	for i, c := range p.Shop.Contacts {
		if strings.TrimSpace(c.Number) == "" || strings.TrimSpace(c.Label) == "" {
			add(line("shop", "contacts", i), "shop.contacts[%d] needs a label and a number", i)
		}
	}
	if len(p.Orders) > MaxOrders {
		add(line("orders"), "a profile has at most %d orders, not %d", MaxOrders, len(p.Orders))
	}
	seen := map[string]bool{}
	for i, o := range p.Orders {
		if !orderIDPattern.MatchString(o.ID) {
			add(line("orders", i, "id"), "order id %q is not of the form 123-1234567-1234567", o.ID)
		} else if seen[o.ID] {
			add(line("orders", i, "id"), "order id %s appears twice", o.ID)
		}
		seen[o.ID] = true
		if len(o.Items) == 0 {
			add(line("orders", i), "order %s has no items", o.ID)
		}
		if len(o.ItemsEN) != 0 && len(o.ItemsEN) != len(o.Items) {
			add(line("orders", i, "items_en"), "order %s: items_en must list as many items as items", o.ID)
		}
		if _, err := time.Parse(time.DateOnly, o.Date); err != nil {
			add(line("orders", i, "date"), "order %s: date %q is not YYYY-MM-DD", o.ID, o.Date)
		}
		if !slices.Contains(statuses, o.Status) {
			add(line("orders", i, "status"), "order %s: status %q is not one of %s", o.ID, o.Status, strings.Join(statuses, ", "))
		}
	}
	return out
}

// DisplayName is the customer's name in the UI language.
func (c Customer) DisplayName(lang string) string {
	if lang == "en" && c.NameEN != "" {
		return c.NameEN
	}
	return c.Name
}

// DisplayName is the shop's name in the UI language.
func (s Shop) DisplayName(lang string) string {
	if lang == "en" && s.NameEN != "" {
		return s.NameEN
	}
	return s.Name
}

// DisplayLabel is the contact's label in the UI language.
func (c Contact) DisplayLabel(lang string) string {
	if lang == "en" && c.LabelEN != "" {
		return c.LabelEN
	}
	return c.Label
}

// DisplayItems lists the order's items in the UI language.
func (o Order) DisplayItems(lang string) []string {
	if lang == "en" && len(o.ItemsEN) == len(o.Items) && len(o.ItemsEN) > 0 {
		return o.ItemsEN
	}
	return o.Items
}

// Find returns the order with the given id.
func (p *Profile) Find(id string) (Order, bool) {
	for _, o := range p.Orders {
		if o.ID == id {
			return o, true
		}
	}
	return Order{}, false
}

// Check validates a profile file for `tsunagu rules check`, returning every
// problem as "NAME:LINE: message" (nil when the file is valid).
func Check(name string, data []byte) []string {
	_, err := Load(name, data)
	return yamlfile.Lines(name, err)
}
