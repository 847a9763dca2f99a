package transcripts

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// An export file is written as .NAME.tmp-PID-RANDOM next to NAME and renamed
// into place. If the writer is killed first, the temporary file stays; it is
// removed by the next export to the same folder, and, for exports of a
// store, by the next open of that store for writing, which finds it in the
// store's NAME.exports list (a read-only open leaves it: it changes nothing
// on disk). Only files named for a process that is gone are
// removed, so an export running in another process is never disturbed.

// writeFileAtomic creates path with mode 0600 (whatever the umask) from what
// fill writes, atomically. register, when set, is told the temporary file's
// name before it is created.
func writeFileAtomic(path string, register func(tmp string), fill func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	base := filepath.Base(path)
	removeDeadTemps(dir, base)
	pattern := "." + base + ".tmp-" + strconv.Itoa(os.Getpid()) + "-*"
	if register != nil {
		register(filepath.Join(dir, pattern))
	}
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, diskErr(path, err))
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(fileMode); err != nil {
		return err
	}
	if err = fill(f); err != nil {
		return err
	}
	hook("export-written")
	if err = f.Sync(); err != nil {
		return diskErr(path, err)
	}
	if err = f.Close(); err != nil {
		return diskErr(path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// tempPID returns the pid in a temporary export file's name
// (.BASE.tmp-PID-RANDOM), or 0.
func tempPID(name, base string) int {
	rest, ok := strings.CutPrefix(name, "."+base+".tmp-")
	if !ok {
		return 0
	}
	pidText, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0
	}
	pid, err := strconv.Atoi(pidText)
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// removeDeadTemps removes dir/.BASE.tmp-PID-* files whose process is gone.
func removeDeadTemps(dir, base string) {
	matches, _ := filepath.Glob(filepath.Join(globEscape(dir), globEscape("."+base+".tmp-")+"*"))
	for _, m := range matches {
		if pid := tempPID(filepath.Base(m), base); pid != 0 && pid != os.Getpid() && !processAlive(pid) {
			_ = os.Remove(m)
		}
	}
}

func exportsListPath(storePath string) string { return storePath + ".exports" }

// writeExportFile is writeFileAtomic for an export of this store: the
// temporary file's pattern goes into NAME.exports first, so that the next
// open of the store can remove it if this process dies before the rename.
func (s *Store) writeExportFile(path string, fill func(io.Writer) error) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return writeFileAtomic(abs, func(pattern string) {
		f, err := os.OpenFile(exportsListPath(s.path), os.O_WRONLY|os.O_APPEND|os.O_CREATE, fileMode)
		if err != nil {
			return // a read-only folder: the next export to the same folder still cleans up
		}
		fmt.Fprintln(f, pattern)
		f.Close()
	}, fill)
}

// cleanExportTemps removes the temporary files of exports listed in
// NAME.exports whose process is gone. A writer holds the store alone, so no
// export is running: it also removes the list.
func cleanExportTemps(storePath string, writer bool) {
	data, err := os.ReadFile(exportsListPath(storePath))
	if err != nil {
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		pattern := sc.Text()
		if !filepath.IsAbs(pattern) {
			continue
		}
		dir, base := filepath.Split(pattern)
		// pattern is DIR/.BASE.tmp-PID-*
		name, ok := strings.CutSuffix(base, "-*")
		if !ok || !strings.HasPrefix(name, ".") {
			continue
		}
		i := strings.LastIndex(name, ".tmp-")
		if i < 1 {
			continue
		}
		removeDeadTemps(filepath.Clean(dir), name[1:i])
	}
	if writer {
		_ = os.Remove(exportsListPath(storePath))
	}
}
