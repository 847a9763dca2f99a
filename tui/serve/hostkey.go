package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	gossh "golang.org/x/crypto/ssh"
)

// hostSigner loads the server's host key from path, creating an ed25519 key
// there (mode 0600, its folder 0700) on the first start. A file that is
// there but unusable is an error, never replaced: a new key would change the
// server's identity and every client would see a host key warning.
func hostSigner(path string) (gossh.Signer, error) {
	shown := plain(path)
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createHostKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", shown, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("host key %s is not a regular file", shown)
	}
	// Windows has no Unix permission bits to check.
	if perm := info.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return nil, fmt.Errorf("host key %s is open to other users (mode %04o); run chmod 600 on it", shown, perm)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", shown, err)
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("host key %s is not an unencrypted OpenSSH private key (%v); move it away to have a new one made", shown, err)
	}
	return signer, nil
}

func createHostKey(path string) (gossh.Signer, error) {
	shown := plain(path)
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("host key folder: %w", err)
		}
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate host key: %w", err)
	}
	block, err := gossh.MarshalPrivateKey(priv, "tsunagu host key")
	if err != nil {
		return nil, fmt.Errorf("generate host key: %w", err)
	}
	// O_EXCL: two servers starting at once must not both write a key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("write host key %s: %w", shown, err)
	}
	if _, err := f.Write(pem.EncodeToMemory(block)); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("write host key %s: %w", shown, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("write host key %s: %w", shown, err)
	}
	return gossh.NewSignerFromKey(priv)
}
