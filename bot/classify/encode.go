package classify

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// encodingMagic starts an encoded model; the digit is the format's version.
const encodingMagic = "tsunagu-model-1\n"

// AppendBinary appends the model in a compact binary form to b, so a model
// trained at build time can be embedded and read back in milliseconds
// (Decode). The same model always gives the same bytes.
func (m *Model) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, encodingMagic...)
	b = appendStrings(b, m.labels)
	// Rows in their index order: row i's feature hash is the i-th.
	hashes := make([]uint64, len(m.rows))
	for h, i := range m.rows {
		hashes[i] = h
	}
	b = binary.AppendUvarint(b, uint64(len(hashes)))
	for _, h := range hashes {
		b = binary.LittleEndian.AppendUint64(b, h)
	}
	for _, w := range m.weights {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(w))
	}
	for _, w := range m.bias {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(w))
	}
	probes := make([]uint64, 0, len(m.probes))
	for h := range m.probes {
		probes = append(probes, h)
	}
	slices.Sort(probes)
	b = binary.AppendUvarint(b, uint64(len(probes)))
	for _, h := range probes {
		b = binary.LittleEndian.AppendUint64(b, h)
	}
	words := make([]string, 0, len(m.typos.count))
	for w := range m.typos.count {
		words = append(words, w)
	}
	slices.Sort(words)
	b = appendStrings(b, words)
	for _, w := range words {
		b = binary.AppendUvarint(b, uint64(m.typos.count[w]))
	}
	return b, nil
}

func appendStrings(b []byte, ss []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(ss)))
	for _, s := range ss {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

// errCorrupt reports an encoded model that cannot be read.
var errCorrupt = errors.New("classify: the encoded model is damaged or of another version")

// decoder reads an encoded model, remembering the first problem.
type decoder struct {
	data []byte
	err  error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.data)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.data = d.data[n:]
	return v
}

func (d *decoder) bytes(n uint64) []byte {
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.data)) {
		d.err = errCorrupt
		return nil
	}
	out := d.data[:n]
	d.data = d.data[n:]
	return out
}

func (d *decoder) strings() []string {
	n := d.uvarint()
	if n > uint64(len(d.data)) {
		d.err = errCorrupt
		return nil
	}
	out := make([]string, 0, n)
	for range n {
		out = append(out, string(d.bytes(d.uvarint())))
	}
	return out
}

func (d *decoder) count(size uint64) int {
	n := d.uvarint()
	if d.err == nil && n > uint64(len(d.data))/size {
		d.err = errCorrupt
	}
	if d.err != nil {
		return 0
	}
	return int(n)
}

// Decode reads a model written by AppendBinary from the start of data and
// returns it with the bytes that follow it.
func Decode(data []byte) (*Model, []byte, error) {
	if len(data) < len(encodingMagic) || string(data[:len(encodingMagic)]) != encodingMagic {
		return nil, nil, errCorrupt
	}
	d := &decoder{data: data[len(encodingMagic):]}
	m := &Model{labels: d.strings()}
	m.nClass = len(m.labels)
	if d.err == nil && m.nClass == 0 {
		d.err = errCorrupt
	}
	nRows := d.count(8)
	if d.err == nil && uint64(nRows)*uint64(m.nClass)*4 > uint64(len(d.data)) {
		d.err = errCorrupt
	}
	if d.err != nil {
		return nil, nil, d.err
	}
	m.rows = make(map[uint64]int32, nRows)
	raw := d.bytes(uint64(nRows) * 8)
	for i := range nRows {
		m.rows[binary.LittleEndian.Uint64(raw[8*i:])] = int32(i)
	}
	m.weights = readFloats(d, nRows*m.nClass)
	m.bias = readFloats(d, m.nClass)
	nProbes := d.count(8)
	if d.err != nil {
		return nil, nil, d.err
	}
	m.probes = make(map[uint64]struct{}, nProbes)
	raw = d.bytes(uint64(nProbes) * 8)
	for i := range len(raw) / 8 {
		m.probes[binary.LittleEndian.Uint64(raw[8*i:])] = struct{}{}
	}
	words := d.strings()
	counts := make(map[string]int, len(words))
	for _, w := range words {
		counts[w] = int(d.uvarint())
	}
	if d.err != nil {
		return nil, nil, d.err
	}
	if len(m.rows) != nRows {
		return nil, nil, fmt.Errorf("%w: a feature is listed twice", errCorrupt)
	}
	m.typos = typoCorrectorFrom(counts)
	return m, d.data, nil
}

func readFloats(d *decoder, n int) []float32 {
	raw := d.bytes(uint64(n) * 4)
	if d.err != nil {
		return nil
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return out
}
