package common

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"

	"tsunagu/handoff/training"
)

// verbs lists the fmt verbs of s, sorted: a language may put its arguments
// in another order (with explicit indexes), never use other ones.
func verbs(s string) string {
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(s) && strings.IndexByte("[]0123456789.+-# ", s[j]) >= 0 {
			j++
		}
		if j < len(s) {
			out = append(out, string(s[j]))
		}
		i = j
	}
	slices.Sort(out)
	return strings.Join(out, "")
}

// checkTable checks that the ja and en values of a strings table fill every
// field, with the same verbs, and every map key in both.
func checkTable(t *testing.T, ja, en any) {
	t.Helper()
	a, b := reflect.ValueOf(ja).Elem(), reflect.ValueOf(en).Elem()
	for i := range a.NumField() {
		name := a.Type().Field(i).Name
		fa, fb := a.Field(i), b.Field(i)
		switch fa.Kind() {
		case reflect.String:
			if fa.String() == "" || fb.String() == "" {
				t.Errorf("%s is empty in a language", name)
			}
			if va, vb := verbs(fa.String()), verbs(fb.String()); va != vb {
				t.Errorf("%s: verbs %q (ja) and %q (en) differ", name, va, vb)
			}
		case reflect.Array:
			for j := range fa.Len() {
				if fa.Index(j).String() == "" || fb.Index(j).String() == "" {
					t.Errorf("%s[%d] is empty in a language", name, j)
				}
			}
		case reflect.Map:
			if fa.Len() != fb.Len() {
				t.Errorf("%s has %d keys in ja and %d in en", name, fa.Len(), fb.Len())
			}
			for _, k := range fb.MapKeys() {
				if s := fa.MapIndex(k); !s.IsValid() || s.String() == "" || fb.MapIndex(k).String() == "" {
					t.Errorf("%s[%s] is missing in a language", name, k)
				}
			}
		}
	}
}

// checkKeys checks that every binding of a key map has keys and help.
func checkKeys(t *testing.T, lang string, keys any) {
	t.Helper()
	v := reflect.ValueOf(keys)
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Kind() == reflect.Struct && f.Type() != reflect.TypeOf(key.Binding{}) {
			checkKeys(t, lang, f.Interface())
			continue
		}
		b := f.Interface().(key.Binding)
		if b.Help().Desc == "" || b.Help().Key == "" || len(b.Keys()) == 0 {
			t.Errorf("%s: %s has no keys or help", lang, v.Type().Field(i).Name)
		}
	}
}

// Every UI string exists in both languages, so --lang switches the whole UI.
func TestEveryStringInBothLanguages(t *testing.T) {
	checkTable(t, Text("ja"), Text("en"))
	for _, lang := range []string{"ja", "en"} {
		checkKeys(t, lang, NewKeys(Text(lang)))
	}
}

// Every history string exists in both languages with the same fmt verbs, so
// --lang switches the whole browser and no Sprintf prints %!d(MISSING).
func TestEveryHistoryStringInBothLanguages(t *testing.T) {
	checkTable(t, HistoryText("ja"), HistoryText("en"))
	for _, lang := range []string{"ja", "en"} {
		checkKeys(t, lang, NewHistoryKeys(Text(lang)))
	}
}

// Every trainee string exists in both languages with the same fmt verbs.
func TestEveryTrainStringInBothLanguages(t *testing.T) {
	checkTable(t, TrainText("ja"), TrainText("en"))
	for _, lang := range []string{"ja", "en"} {
		checkKeys(t, lang, NewTrainKeys(Text(lang)))
	}
}

// Every escalation reason the bot can give is explained to the customer in
// both languages, from the one table the chat, its receipt and the history
// read; and so is every way it can decide.
func TestEveryReasonAndActionHasALabel(t *testing.T) {
	for _, lang := range []string{"ja", "en"} {
		for _, r := range training.Reasons {
			if _, ok := Text(lang).Reasons[string(r)]; !ok {
				t.Errorf("%s: no label for the reason %s", lang, r)
			}
		}
		for _, a := range []string{"answer", "clarify", "escalate"} {
			if TrainText(lang).Actions[a] == "" {
				t.Errorf("%s: no label for the action %s", lang, a)
			}
		}
	}
}

func TestETAAndSlot(t *testing.T) {
	for _, tc := range []struct {
		lang string
		mins float64
		want string
	}{
		{"en", 0.4, "under a minute"}, {"en", 1.2, "about 1 minute"}, {"en", 7.6, "about 8 minutes"},
		{"ja", 0.4, "1分未満"}, {"ja", 1, "約1分"}, {"ja", 7.6, "約8分"},
	} {
		if got := Text(tc.lang).ETA(time.Duration(tc.mins * float64(time.Minute))); got != tc.want {
			t.Errorf("%s %.1f min: %q, want %q", tc.lang, tc.mins, got, tc.want)
		}
	}
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	if got := Text("en").Slot(at); got != "Fri 27 Nov 09:00" {
		t.Errorf("en slot %q", got)
	}
	if got := Text("ja").Slot(at); got != "11月27日 09:00" {
		t.Errorf("ja slot %q", got)
	}
}
