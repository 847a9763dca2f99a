package tui

import (
	"reflect"

	tea "charm.land/bubbletea/v2"
)

// tea.Sequence returns an unexported slice of commands; the harness runs
// them in order like the real loop does.
func isSequence(msg tea.Msg) bool {
	v := reflect.ValueOf(msg)
	return v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) && reflect.TypeOf(msg) != reflect.TypeOf(tea.BatchMsg(nil))
}

func sequenceCmds(msg tea.Msg) []tea.Cmd {
	v := reflect.ValueOf(msg)
	out := make([]tea.Cmd, v.Len())
	for i := range out {
		out[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return out
}
