package common

import "testing"

// Every console string exists in both languages with the same fmt verbs,
// and every console key has keys and help.
func TestEveryConsoleStringInBothLanguages(t *testing.T) {
	checkTable(t, ConsoleText("ja"), ConsoleText("en"))
	for _, lang := range []string{"ja", "en"} {
		checkKeys(t, lang, NewConsoleKeys(ConsoleText(lang)))
	}
	for code := range ConsoleText("en").Refusals {
		if ConsoleText("ja").Refusals[code] == "" {
			t.Errorf("no Japanese refusal for %s", code)
		}
	}
}
