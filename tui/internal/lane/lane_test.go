package lane

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// Jobs run one at a time in the order pushed: a push while busy queues,
// Next starts the queued one, and the lane is idle once all are done.
func TestJobsRunInOrder(t *testing.T) {
	l := New(3)
	var ran []int
	job := func(n int) func() tea.Msg { return func() tea.Msg { ran = append(ran, n); return n } }
	cmd := l.Push(job(1))
	if cmd == nil || !l.Busy() {
		t.Fatal("the first job did not start")
	}
	if l.Push(job(2)) != nil || l.Push(job(3)) != nil {
		t.Fatal("a job started while another ran")
	}
	for want := 1; cmd != nil; want++ {
		done, ok := cmd().(DoneMsg)
		if !ok || done.Lane != 3 || done.Msg != want {
			t.Fatalf("job %d gave %+v", want, done)
		}
		cmd = l.Next()
	}
	if l.Busy() || len(ran) != 3 || ran[0] != 1 || ran[2] != 3 {
		t.Fatalf("ran %v, busy %v", ran, l.Busy())
	}
}
