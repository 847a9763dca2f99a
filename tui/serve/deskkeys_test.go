package serve

import (
	"crypto/ed25519"
	"strings"
	"testing"
	"unicode"

	gossh "golang.org/x/crypto/ssh"
)

// testKey is a fixed public key line (no private half is needed).
func testKey(t testing.TB, seed byte) string {
	t.Helper()
	pub := ed25519.NewKeyFromSeed(make32(seed)).Public()
	k, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k)))
}

func make32(b byte) []byte {
	s := make([]byte, ed25519.SeedSize)
	for i := range s {
		s[i] = b
	}
	return s
}

func TestParseDeskKeys(t *testing.T) {
	k1, k2 := testKey(t, 1), testKey(t, 2)
	good := "# the desk\n\n" +
		`operator="tanaka",role="trainee" ` + k1 + " tanaka@laptop\n" +
		`role="trainer",operator="sato" ` + k2 + "\r\n"
	keys, err := ParseDeskKeys("desk-keys", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].Operator != "tanaka" || keys[0].Role != RoleTrainee || keys[0].Comment != "tanaka@laptop" ||
		keys[0].Line != 3 || keys[1].Operator != "sato" || keys[1].Role != RoleTrainer || keys[1].Line != 4 {
		t.Fatalf("got %+v", keys)
	}
	for _, tc := range []struct{ name, data, want string }{
		{"no operator", `role="operator" ` + k1, `desk-keys:1: the key names no operator; add operator="id" before it`},
		{"no role", `operator="tanaka" ` + k1, `desk-keys:1: the key names no role`},
		{"unknown role", `operator="tanaka",role="boss" ` + k1, `desk-keys:1: unknown role "boss"; use operator, trainee or trainer`},
		{"bad key", "\n" + `operator="tanaka",role="operator" ssh-ed25519 AAAAnope`, `desk-keys:2: not a public key line`},
		{"no key", `operator="tanaka",role="operator"`, `desk-keys:1: not a public key line`},
		{"twice", `operator="a",role="operator" ` + k1 + "\n" + `operator="b",role="trainee" ` + k1, `desk-keys:2: the same key is already listed on line 1`},
		{"other option", `no-pty,operator="a",role="operator" ` + k1, `desk-keys:1: option "no-pty" is not of the form`},
		{"openssh option", `from="10.0.0.1",operator="a",role="operator" ` + k1, `desk-keys:1: unknown option "from"`},
		{"control in operator", "operator=\"a\x1b[31m\",role=\"operator\" " + k1, `desk-keys:1: operator "a\x1b[31m" is not a plain id`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDeskKeys("desk-keys", []byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func TestCheckOperators(t *testing.T) {
	keys, err := ParseDeskKeys("k", []byte(`operator="tanaka",role="operator" `+testKey(t, 1)+"\n"+`operator="ghost",role="operator" `+testKey(t, 2)))
	if err != nil {
		t.Fatal(err)
	}
	err = CheckOperators(keys, func(id string) bool { return id == "tanaka" })
	if err == nil || err.Error() != `line 2: operator "ghost" is not in the pool` {
		t.Fatalf("got %v", err)
	}
}

// Whatever the file holds, parsing never panics and an error is one line
// of printable text.
func FuzzParseDeskKeys(f *testing.F) {
	k := testKey(f, 3)
	for _, s := range []string{
		"",
		"# comment\n\n",
		`operator="tanaka",role="trainee" ` + k + " c\n",
		`operator="tanaka",role="boss" ` + k,
		"operator=\"\x00\",role=\"operator\" " + k,
		`operator="a b",role="operator" ` + k,
		`operator="x",role="operator" ` + k + "\n" + `operator="y",role="operator" ` + k,
		"ssh-ed25519 AAAA\xff\xfe",
	} {
		f.Add("desk-keys", []byte(s))
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		keys, err := ParseDeskKeys(name, data)
		if err != nil {
			for _, r := range err.Error() {
				if !unicode.IsPrint(r) || r == unicode.ReplacementChar {
					t.Fatalf("error holds %q: %q", r, err.Error())
				}
			}
			return
		}
		for _, dk := range keys {
			if dk.Key == nil || dk.Operator == "" || !dk.Role.valid() {
				t.Fatalf("incomplete key accepted: %+v", dk)
			}
		}
	})
}
