package common

import (
	"reflect"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
)

// Every history string exists in both languages with the same fmt verbs, so
// --lang switches the whole browser and no Sprintf prints %!d(MISSING).
func TestEveryHistoryStringInBothLanguages(t *testing.T) {
	ja, en := reflect.ValueOf(*HistoryText("ja")), reflect.ValueOf(*HistoryText("en"))
	verbs := func(s string) string {
		var out []string
		for i := 0; i < len(s)-1; i++ {
			if s[i] == '%' {
				out = append(out, s[i:i+2])
				i++
			}
		}
		return strings.Join(out, "")
	}
	for i := range ja.NumField() {
		name := ja.Type().Field(i).Name
		a, b := ja.Field(i), en.Field(i)
		switch a.Kind() {
		case reflect.String:
			if a.String() == "" || b.String() == "" {
				t.Errorf("%s is empty in a language", name)
			}
			va, vb := verbs(a.String()), verbs(b.String())
			// Japanese may reorder arguments only where both have one verb kind.
			if len(va) != len(vb) || strings.Count(va, "%d") != strings.Count(vb, "%d") {
				t.Errorf("%s: verbs %q (ja) and %q (en) differ", name, va, vb)
			}
		case reflect.Array:
			for j := range a.Len() {
				if a.Index(j).String() == "" || b.Index(j).String() == "" {
					t.Errorf("%s[%d] is empty in a language", name, j)
				}
			}
		case reflect.Map:
			if a.Len() != b.Len() {
				t.Errorf("%s has %d keys in ja and %d in en", name, a.Len(), b.Len())
			}
			for _, k := range b.MapKeys() {
				if s := a.MapIndex(k); !s.IsValid() || s.String() == "" {
					t.Errorf("%s[%s] is missing in ja", name, k)
				}
			}
		}
	}
	// Every binding has its help text in both languages.
	for _, lang := range []string{"ja", "en"} {
		v := reflect.ValueOf(NewHistoryKeys(HistoryText(lang)))
		for i := range v.NumField() {
			b := v.Field(i).Interface().(key.Binding)
			if b.Help().Desc == "" || b.Help().Key == "" || len(b.Keys()) == 0 {
				t.Errorf("%s: %s has no keys or help", lang, v.Type().Field(i).Name)
			}
		}
	}
}
