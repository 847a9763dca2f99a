package bot

import (
	"fmt"
	"bufio"
	"os"
	"strings"
	"testing"
)

func TestDumpParts(t *testing.T) {
	e := testEngine(t)
	for _, f := range strings.Split(os.Getenv("PARTS_FILES"), ",") {
		fh, _ := os.Open(f)
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			l := sc.Text()
			if l == "" || l[0] == '#' {
				continue
			}
			label, text, _ := strings.Cut(l, "\t")
			c := e.Classify(text, "en", "", false)
			var b strings.Builder
			for _, p := range c.Parts {
				b.WriteString("\n     [" + p.Text + "] " + p.Role + " " + ftoa(p.RoleScore) + " " + p.Intent + " " + ftoa(p.Score))
				if !p.InScope {
					b.WriteString(" OOS")
				}
			}
			t.Logf("%s %s%s", label, text, b.String())
		}
	}
}

func ftoa(f float64) string { return strings.TrimRight(strings.TrimRight(strconvF(f), "0"), ".") }

func strconvF(f float64) string { return fmt.Sprintf("%.2f", f) }
