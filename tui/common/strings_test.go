package common

import (
	"reflect"
	"testing"
)

// Every UI string exists in both languages, so --lang switches the whole UI.
func TestEveryStringInBothLanguages(t *testing.T) {
	for _, lang := range []string{"ja", "en"} {
		v := reflect.ValueOf(*Text(lang))
		for i := range v.NumField() {
			f := v.Field(i)
			name := v.Type().Field(i).Name
			switch f.Kind() {
			case reflect.String:
				if f.String() == "" {
					t.Errorf("%s: %s is empty", lang, name)
				}
			case reflect.Map:
				other := reflect.ValueOf(*Text(map[string]string{"ja": "en", "en": "ja"}[lang])).Field(i)
				for _, k := range other.MapKeys() {
					if s := f.MapIndex(k); !s.IsValid() || s.String() == "" {
						t.Errorf("%s: %s[%s] is missing", lang, name, k)
					}
				}
			}
		}
	}
}
