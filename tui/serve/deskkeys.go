package serve

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	gossh "golang.org/x/crypto/ssh"
)

// Role is what an operator does at the desk.
type Role string

// The roles a desk key may name.
const (
	RoleOperator Role = "operator"
	RoleTrainee  Role = "trainee"
	RoleTrainer  Role = "trainer"
)

func (r Role) valid() bool { return r == RoleOperator || r == RoleTrainee || r == RoleTrainer }

// DeskKey is one line of the --desk-keys file: a public key allowed to log
// in as the desk user, the operator of the pool it belongs to, and the role.
type DeskKey struct {
	Key      gossh.PublicKey
	Operator string
	Role     Role
	Comment  string
	Line     int // 1-based line in the file, for error messages
}

// ParseDeskKeys reads a desk-keys file: OpenSSH authorized_keys lines whose
// options name the operator and the role,
//
//	operator="tanaka",role="trainee" ssh-ed25519 AAAA… tanaka@laptop
//
// Blank lines and lines starting with # are skipped. Errors name name:line.
// Whether each operator exists in the pool is the caller's check
// (CheckOperators).
func ParseDeskKeys(name string, data []byte) ([]DeskKey, error) {
	name = plain(name)
	var keys []DeskKey
	seen := map[string]int{} // marshalled key → line
	for i, raw := range bytes.Split(data, []byte("\n")) {
		n := i + 1
		line := bytes.TrimSpace(raw)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, comment, options, rest, err := gossh.ParseAuthorizedKey(line)
		if err != nil || len(bytes.TrimSpace(rest)) > 0 {
			return nil, fmt.Errorf("%s:%d: not a public key line; want operator=\"id\",role=\"operator\" followed by the key", name, n)
		}
		dk := DeskKey{Key: key, Comment: comment, Line: n}
		for _, opt := range options {
			k, v, ok := strings.Cut(opt, "=")
			if !ok || len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
				return nil, fmt.Errorf("%s:%d: option %s is not of the form name=\"value\"", name, n, quote(opt))
			}
			v = v[1 : len(v)-1]
			switch k {
			case "operator":
				if v == "" || strings.ContainsFunc(v, func(r rune) bool { return !unicode.IsPrint(r) || unicode.IsSpace(r) }) {
					return nil, fmt.Errorf("%s:%d: operator %s is not a plain id", name, n, quote(v))
				}
				dk.Operator = v
			case "role":
				dk.Role = Role(v)
				if !dk.Role.valid() {
					return nil, fmt.Errorf("%s:%d: unknown role %s; use operator, trainee or trainer", name, n, quote(v))
				}
			default:
				// Options such as from= or no-pty mean something to OpenSSH
				// that this server does not do, so they are refused rather
				// than silently ignored.
				return nil, fmt.Errorf("%s:%d: unknown option %s; only operator= and role= are allowed", name, n, quote(k))
			}
		}
		if dk.Operator == "" {
			return nil, fmt.Errorf("%s:%d: the key names no operator; add operator=\"id\" before it", name, n)
		}
		if dk.Role == "" {
			return nil, fmt.Errorf("%s:%d: the key names no role; add role=\"operator\", \"trainee\" or \"trainer\"", name, n)
		}
		m := string(key.Marshal())
		if first, dup := seen[m]; dup {
			return nil, fmt.Errorf("%s:%d: the same key is already listed on line %d", name, n, first)
		}
		seen[m] = n
		keys = append(keys, dk)
	}
	return keys, nil
}

// CheckOperators reports the first key whose operator known does not
// recognise, naming its line.
func CheckOperators(keys []DeskKey, known func(id string) bool) error {
	for _, k := range keys {
		if !known(k.Operator) {
			return fmt.Errorf("line %d: operator %s is not in the pool", k.Line, quote(k.Operator))
		}
	}
	return nil
}

// quote shows a value from a file in an error: quoted, with anything that
// is not printable escaped, so an error is always one plain line.
func quote(s string) string {
	const limit = 60
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit]) + "…"
	}
	return fmt.Sprintf("%+q", s)
}

// plain replaces whatever is not printable in s, for text that is shown
// without quotes (a file name, a user name in a log).
func plain(s string) string {
	return strings.Map(func(r rune) rune {
		if r == unicode.ReplacementChar || !unicode.IsPrint(r) {
			return '?'
		}
		return r
	}, s)
}
