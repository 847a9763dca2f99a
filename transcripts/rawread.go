package transcripts

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"os"

	"go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// rawDB reads a bbolt file's B+tree on its own, checking every page number,
// offset and length against the file before following it, and every key
// against the order the tree promises. bbolt trusts its pages: a damaged page
// can make it read past the memory map (a crash that recover cannot catch),
// loop, or return garbage. The whole-store export and check read through
// this instead, so that damage becomes a *pageDamage naming the page and
// the rest of the file is still read.
//
// It reads a private read-only memory map of the file. Callers hold a bbolt
// read transaction while they use it, so that the pages it reads are not
// reused by a writer meanwhile.
type rawDB struct {
	// legacy: the file has not had the faithful records migration (version
	// 3); conversations read are fixed in memory (faithful.go).
	legacy   bool
	data     []byte
	pageSize uint64
	hwm      uint64 // pages from here on are not in use (meta.pgid)
	root     uint64 // the root bucket's page
	checked  map[uint64]bool
}

// bbolt's layout (go.etcd.io/bbolt/internal/common), in the machine's byte order.
const (
	rawPageHeader  = 16 // id u64, flags u16, count u16, overflow u32
	rawElemSize    = 16 // leaf: flags, pos, ksize, vsize u32; branch: pos, ksize u32, pgid u64
	rawBranchFlag  = 0x01
	rawLeafFlag    = 0x02
	rawBucketFlag  = 0x01 // a leaf element holding a nested bucket
	rawBucketHdr   = 16   // root pgid u64, sequence u64; an inline bucket's page follows
	rawMaxDepth    = 48
	rawMetaLen     = 64
	rawMetaVersion = 2
)

var rawOrder = binary.NativeEndian

// pageDamage is damage to the tree's structure.
type pageDamage struct {
	page uint64 // 0 for an inline bucket's page
	what string
}

func (d *pageDamage) Error() string {
	if d.page == 0 {
		return "a small bucket stored inline " + d.what
	}
	return fmt.Sprintf("page %d %s", d.page, d.what)
}

// openRaw maps the file at path and picks the meta page of transaction txid
// (the one a bbolt read transaction sees), or the newest sound one when
// txid is 0. release unmaps it.
func openRaw(path string, txid uint64) (db *rawDB, release func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	return mapRaw(f, txid)
}

// mapRaw is openRaw on a file already open (a reader's, under its shared
// lock); f may be closed once it returns.
func mapRaw(f *os.File, txid uint64) (db *rawDB, release func(), err error) {
	path := f.Name()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if info.Size() < 2*1024 || info.Size() != int64(int(info.Size())) {
		return nil, nil, &pageDamage{page: 0, what: "is missing: the file is too short"}
	}
	data, err := unix.Mmap(int(f.Fd()), 0, int(info.Size()), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot map %s: %w", path, err)
	}
	release = func() { _ = unix.Munmap(data) }
	if db, err = newRawDB(data, txid); err != nil {
		release()
		return nil, nil, err
	}
	return db, release, nil
}

// newRawDB reads the bbolt file in data (see openRaw).
func newRawDB(data []byte, txid uint64) (*rawDB, error) {
	db := &rawDB{data: data, checked: map[uint64]bool{}}
	if err := db.pickMeta(txid); err != nil {
		return nil, err
	}
	return db, nil
}

type rawMeta struct {
	pageSize  uint32
	root, hwm uint64
	txid      uint64
	sound     bool
}

func (db *rawDB) metaAt(off int) rawMeta {
	if off < 0 || off+rawPageHeader+rawMetaLen > len(db.data) {
		return rawMeta{}
	}
	m := db.data[off+rawPageHeader : off+rawPageHeader+rawMetaLen]
	if rawOrder.Uint32(m[0:]) != boltMagic || rawOrder.Uint32(m[4:]) != rawMetaVersion {
		return rawMeta{}
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != rawOrder.Uint64(m[56:]) {
		return rawMeta{}
	}
	return rawMeta{pageSize: rawOrder.Uint32(m[8:]), root: rawOrder.Uint64(m[16:]), hwm: rawOrder.Uint64(m[40:]),
		txid: rawOrder.Uint64(m[48:]), sound: true}
}

// pickMeta reads the two meta pages the way bbolt does: the first gives
// the page size; if it is damaged, the second is looked for where the
// machine's page size puts it.
func (db *rawDB) pickMeta(txid uint64) error {
	m0 := db.metaAt(0)
	off1 := os.Getpagesize()
	if m0.sound {
		off1 = int(m0.pageSize)
	}
	m1 := db.metaAt(off1)
	var best rawMeta
	for _, m := range []rawMeta{m0, m1} {
		if !m.sound || m.pageSize < 1024 || m.pageSize > 1<<20 {
			continue
		}
		if txid != 0 && m.txid == txid || txid == 0 && (!best.sound || m.txid > best.txid) {
			best = m
		}
	}
	if !best.sound {
		return &pageDamage{page: 0, what: "is missing: no sound header page"}
	}
	db.pageSize, db.root, db.hwm = uint64(best.pageSize), best.root, best.hwm
	return nil
}

// rawPage is one checked page (with its overflow pages), or the page of an
// inline bucket (id 0).
type rawPage struct {
	id    uint64
	flags uint16
	count int
	buf   []byte
}

func (db *rawDB) page(id uint64) (rawPage, error) {
	if id < 2 || id >= db.hwm {
		return rawPage{}, &pageDamage{page: id, what: "is referred to but lies outside the pages in use"}
	}
	off := id * db.pageSize
	if off/db.pageSize != id || off+rawPageHeader > uint64(len(db.data)) {
		return rawPage{}, &pageDamage{page: id, what: "lies past the end of the file"}
	}
	h := db.data[off : off+rawPageHeader]
	if got := rawOrder.Uint64(h[0:]); got != id {
		return rawPage{}, &pageDamage{page: id, what: fmt.Sprintf("calls itself page %d", got)}
	}
	overflow := uint64(rawOrder.Uint32(h[12:]))
	end := off + (1+overflow)*db.pageSize
	if id+overflow >= db.hwm || end > uint64(len(db.data)) {
		return rawPage{}, &pageDamage{page: id, what: "runs past the end of the file"}
	}
	p := rawPage{id: id, flags: rawOrder.Uint16(h[8:]), count: int(rawOrder.Uint16(h[10:])), buf: db.data[off:end]}
	if !db.checked[id] {
		if err := p.check(); err != nil {
			return rawPage{}, err
		}
		db.checked[id] = true
	}
	return p, nil
}

// inlinePage is the page an inline bucket keeps inside its value.
func inlinePage(v []byte) (rawPage, error) {
	if len(v) < rawBucketHdr+rawPageHeader {
		return rawPage{}, &pageDamage{what: "is cut short"}
	}
	b := v[rawBucketHdr:]
	p := rawPage{flags: rawOrder.Uint16(b[8:]), count: int(rawOrder.Uint16(b[10:])), buf: b}
	if p.flags != rawLeafFlag {
		return rawPage{}, &pageDamage{what: "has an unknown type"}
	}
	return p, p.check()
}

// check verifies that every element, key and value lies inside the page,
// that keys are in strictly ascending order, and the page's type.
func (p rawPage) check() error {
	bad := func(what string) error { return &pageDamage{page: p.id, what: what} }
	switch p.flags {
	case rawBranchFlag, rawLeafFlag:
	default:
		return bad(fmt.Sprintf("has an unknown type (%#x)", p.flags))
	}
	if p.flags == rawBranchFlag && p.count == 0 {
		return bad("is an empty branch")
	}
	if rawPageHeader+p.count*rawElemSize > len(p.buf) {
		return bad("counts more elements than fit in it")
	}
	var prev []byte
	for i := range p.count {
		e := rawPageHeader + i*rawElemSize
		el := p.buf[e : e+rawElemSize]
		var pos, ksize, vsize uint64
		if p.flags == rawLeafFlag {
			if f := rawOrder.Uint32(el[0:]); f&^rawBucketFlag != 0 {
				return bad(fmt.Sprintf("element %d has unknown flags", i))
			}
			pos, ksize, vsize = uint64(rawOrder.Uint32(el[4:])), uint64(rawOrder.Uint32(el[8:])), uint64(rawOrder.Uint32(el[12:]))
		} else {
			pos, ksize = uint64(rawOrder.Uint32(el[0:])), uint64(rawOrder.Uint32(el[4:]))
		}
		if uint64(e)+pos+ksize+vsize > uint64(len(p.buf)) {
			return bad(fmt.Sprintf("element %d points past the page", i))
		}
		k := p.buf[uint64(e)+pos : uint64(e)+pos+ksize]
		if i > 0 && bytes.Compare(prev, k) >= 0 {
			return bad(fmt.Sprintf("element %d is out of order", i))
		}
		if p.flags == rawLeafFlag && rawOrder.Uint32(el[0:])&rawBucketFlag != 0 && vsize < rawBucketHdr {
			return bad(fmt.Sprintf("element %d is a bucket too short to be one", i))
		}
		prev = k
	}
	return nil
}

// leaf returns element i of a checked leaf page.
func (p rawPage) leaf(i int) (k, v []byte, bucket bool) {
	e := uint64(rawPageHeader + i*rawElemSize)
	el := p.buf[e : e+rawElemSize]
	pos, ksize, vsize := uint64(rawOrder.Uint32(el[4:])), uint64(rawOrder.Uint32(el[8:])), uint64(rawOrder.Uint32(el[12:]))
	k = p.buf[e+pos : e+pos+ksize]
	v = p.buf[e+pos+ksize : e+pos+ksize+vsize]
	return k, v, rawOrder.Uint32(el[0:])&rawBucketFlag != 0
}

// branch returns element i of a checked branch page.
func (p rawPage) branch(i int) (k []byte, child uint64) {
	e := uint64(rawPageHeader + i*rawElemSize)
	el := p.buf[e : e+rawElemSize]
	pos, ksize := uint64(rawOrder.Uint32(el[0:])), uint64(rawOrder.Uint32(el[4:]))
	return p.buf[e+pos : e+pos+ksize], rawOrder.Uint64(el[8:])
}

func (p rawPage) key(i int) []byte {
	if p.flags == rawLeafFlag {
		k, _, _ := p.leaf(i)
		return k
	}
	k, _ := p.branch(i)
	return k
}

// rawBucket is a bucket: its root page, or its inline page.
type rawBucket struct {
	db     *rawDB
	root   uint64
	inline *rawPage
}

func (db *rawDB) rootBucket() rawBucket { return rawBucket{db: db, root: db.root} }

func (b rawBucket) rootPage() (rawPage, error) {
	if b.inline != nil {
		return *b.inline, nil
	}
	return b.db.page(b.root)
}

// childBucket opens the nested bucket stored in a leaf element's value.
func (b rawBucket) childBucket(v []byte) (rawBucket, error) {
	root := rawOrder.Uint64(v[0:])
	if root != 0 {
		return rawBucket{db: b.db, root: root}, nil
	}
	p, err := inlinePage(v)
	if err != nil {
		return rawBucket{}, err
	}
	return rawBucket{db: b.db, inline: &p}, nil
}

// bucket opens the nested bucket called name.
func (b rawBucket) bucket(name []byte) (rawBucket, error) {
	c := b.cursor()
	k, v, isBucket, err := c.seek(name)
	if err != nil {
		return rawBucket{}, err
	}
	if k == nil || !bytes.Equal(k, name) || !isBucket {
		return rawBucket{}, &pageDamage{page: b.root, what: fmt.Sprintf("has lost the %q bucket", name)}
	}
	return b.childBucket(v)
}

// --- cursor: seek and step, for reading one conversation -------------------

type rawFrame struct {
	p rawPage
	i int
}

// rawCursor walks one bucket in key order. Each page may be entered once
// and each key must be greater than the one before, so a loop in a damaged
// tree ends in an error, never in a hang.
type rawCursor struct {
	b       rawBucket
	stack   []rawFrame
	entered map[uint64]bool
	last    []byte
}

func (b rawBucket) cursor() *rawCursor { return &rawCursor{b: b, entered: map[uint64]bool{}} }

func (c *rawCursor) enter(id uint64) (rawPage, error) {
	if len(c.stack) >= rawMaxDepth {
		return rawPage{}, &pageDamage{page: id, what: "lies deeper than any sound tree (a loop)"}
	}
	if c.entered[id] {
		return rawPage{}, &pageDamage{page: id, what: "is reached twice (a loop)"}
	}
	c.entered[id] = true
	return c.b.db.page(id)
}

// seek moves to the first key at or after key and returns it (nil at the end).
func (c *rawCursor) seek(key []byte) (k, v []byte, bucket bool, err error) {
	c.stack, c.last = c.stack[:0], nil
	clear(c.entered)
	c.entered[c.b.root] = true
	p, err := c.b.rootPage()
	if err != nil {
		return nil, nil, false, err
	}
	for {
		// The first element whose key is >= key.
		i := 0
		for i < p.count && bytes.Compare(p.key(i), key) < 0 {
			i++
		}
		if p.flags == rawLeafFlag {
			c.stack = append(c.stack, rawFrame{p, i})
			break
		}
		// In a branch, the child that may hold key: an exact match, else the one before.
		if i == p.count || !bytes.Equal(p.key(i), key) {
			i = max(i-1, 0)
		}
		c.stack = append(c.stack, rawFrame{p, i})
		_, child := p.branch(i)
		if p, err = c.enter(child); err != nil {
			return nil, nil, false, err
		}
	}
	return c.current()
}

// current returns the element under the cursor, moving on to the next leaf
// when the cursor is past the end of one.
func (c *rawCursor) current() (k, v []byte, bucket bool, err error) {
	for {
		top := &c.stack[len(c.stack)-1]
		if top.i < top.p.count {
			k, v, bucket = top.p.leaf(top.i)
			if c.last != nil && bytes.Compare(k, c.last) <= 0 {
				return nil, nil, false, &pageDamage{page: top.p.id, what: "holds a key out of order with the page before it"}
			}
			c.last = k
			return k, v, bucket, nil
		}
		// Up until a branch has a next child, then down its first children.
		for len(c.stack) > 0 && c.stack[len(c.stack)-1].i >= c.stack[len(c.stack)-1].p.count-1 {
			c.stack = c.stack[:len(c.stack)-1]
		}
		if len(c.stack) == 0 {
			return nil, nil, false, nil
		}
		top = &c.stack[len(c.stack)-1]
		top.i++
		for top.p.flags == rawBranchFlag {
			_, child := top.p.branch(top.i)
			p, err := c.enter(child)
			if err != nil {
				return nil, nil, false, err
			}
			c.stack = append(c.stack, rawFrame{p, 0})
			top = &c.stack[len(c.stack)-1]
		}
	}
}

// next moves to the following key.
func (c *rawCursor) next() (k, v []byte, bucket bool, err error) {
	if len(c.stack) == 0 {
		return nil, nil, false, nil
	}
	c.stack[len(c.stack)-1].i++
	return c.current()
}

// get returns the value stored under key, or nil.
func (b rawBucket) get(key []byte) ([]byte, error) {
	k, v, bucket, err := b.cursor().seek(key)
	if err != nil || k == nil || !bytes.Equal(k, key) || bucket {
		return nil, err
	}
	return v, nil
}

// --- walk: every element of a bucket, going past damaged pages ---------------

// rawWalk reads whole buckets. Every page may be used once in the whole
// file, so a page reached twice is damage wherever it is.
type rawWalk struct {
	db      *rawDB
	visited map[uint64]bool
	// bad is told about each damaged page and the range of keys it held,
	// from lo (inclusive) to hi (exclusive; nil: unbounded).
	bad func(err error, lo, hi []byte)
}

func (db *rawDB) walker(bad func(err error, lo, hi []byte)) *rawWalk {
	return &rawWalk{db: db, visited: map[uint64]bool{}, bad: bad}
}

// each calls fn for every element of b in key order; damaged pages are
// reported to bad and skipped. An error from fn stops the walk.
func (w *rawWalk) each(b rawBucket, fn func(k, v []byte, bucket bool) error) error {
	if b.inline != nil {
		return w.leaf(*b.inline, fn)
	}
	return w.visit(b.root, 0, nil, nil, fn)
}

func (w *rawWalk) visit(id uint64, depth int, lo, hi []byte, fn func(k, v []byte, bucket bool) error) error {
	var p rawPage
	var err error
	switch {
	case depth >= rawMaxDepth:
		err = &pageDamage{page: id, what: "lies deeper than any sound tree (a loop)"}
	case w.visited[id]:
		err = &pageDamage{page: id, what: "is used twice"}
	default:
		p, err = w.db.page(id)
	}
	if err == nil {
		w.visited[id] = true
		for i := uint64(1); i <= uint64(len(p.buf))/w.db.pageSize-1; i++ {
			w.visited[id+i] = true
		}
		if p.count > 0 && (lo != nil && bytes.Compare(p.key(0), lo) < 0 || hi != nil && bytes.Compare(p.key(p.count-1), hi) >= 0) {
			err = &pageDamage{page: id, what: "holds keys outside the range its parent gives it"}
		}
	}
	if err != nil {
		w.bad(err, lo, hi)
		return nil
	}
	if p.flags == rawLeafFlag {
		return w.leaf(p, fn)
	}
	for i := range p.count {
		k, child := p.branch(i)
		clo, chi := k, hi
		if i == 0 {
			clo = lo
		}
		if i+1 < p.count {
			chi, _ = p.branch(i + 1)
		}
		if err := w.visit(child, depth+1, clo, chi, fn); err != nil {
			return err
		}
	}
	return nil
}

func (w *rawWalk) leaf(p rawPage, fn func(k, v []byte, bucket bool) error) error {
	for i := range p.count {
		k, v, bucket := p.leaf(i)
		if err := fn(k, v, bucket); err != nil {
			return err
		}
	}
	return nil
}

// --- running it safely ---------------------------------------------------------

// errFault is a memory fault while reading the map: the file shrank under us.
var errFault = errors.New("the file changed size while it was read")

// withRaw runs fn on a raw view of the store, inside a bbolt read
// transaction so that no page it reads is rewritten meanwhile. A memory
// fault becomes an error.
func (s *Store) withRaw(fn func(db *rawDB) error) error {
	if s.shared {
		// A reader: the file opened for this read, under the shared lock.
		return s.sharedViewFile(func(tx *bbolt.Tx, f *os.File) error {
			db, release, err := mapRaw(f, uint64(tx.ID()))
			if err != nil {
				return err
			}
			defer release()
			db.legacy = legacyRecords(tx)
			return runFaultSafe(func() error { return fn(db) })
		})
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed != nil {
		return s.closed
	}
	tx, err := s.db.Begin(false)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	db, release, err := openRaw(s.path, uint64(tx.ID()))
	if err != nil {
		return err
	}
	defer release()
	db.legacy = legacyRecords(tx)
	return runFaultSafe(func() error { return fn(db) })
}

// runFaultSafe runs fn with memory faults turned into panics, and turns
// any panic into an error: errFault for a fault, otherwise one naming it.
func runFaultSafe(fn func() error) (err error) {
	defer faultsPanic()()
	defer func() {
		if r := recover(); r != nil {
			if _, fault := r.(interface{ Addr() uintptr }); fault {
				err = errFault
				return
			}
			err = fmt.Errorf("reading the store failed: %v", r)
		}
	}()
	return fn()
}
