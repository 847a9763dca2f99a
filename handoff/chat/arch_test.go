package chat

import (
	"os/exec"
	"strings"
	"testing"
)

// The domain (bot, handoff with this engine, transcripts) never depends on
// the terminal UI: screens render the engine, never the other way round.
func TestDomainImportsNoUI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}",
		"tsunagu/bot/...", "tsunagu/handoff/...", "tsunagu/transcripts/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "charm.land/") || strings.HasPrefix(dep, "tsunagu/tui") ||
			strings.Contains(dep, "lipgloss") || strings.Contains(dep, "bubbletea") {
			t.Errorf("a domain package depends on %s", dep)
		}
	}
}
