// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// stateVersion guards against loading a state file of an incompatible
// layout.
const stateVersion = 1

type stateFile struct {
	Version int    `json:"version"`
	World   *world `json:"world"`
}

// loadState reads a state file; a missing file is not an error and yields
// nil, so the seed is used.
func loadState(path string) (*world, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("mockcloud: reading state: %w", err)
	}
	var st stateFile
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("mockcloud: parsing state %s: %w", path, err)
	}
	if st.Version != stateVersion || st.World == nil {
		return nil, fmt.Errorf("mockcloud: state %s has unsupported version %d", path, st.Version)
	}
	if st.World.DeletedKeys == nil {
		st.World.DeletedKeys = map[string]time.Time{}
	}
	return st.World, nil
}

// saveLocked writes the state file atomically (write a temporary file, then
// rename) so a crash never leaves half a file. The file holds secrets, so
// it is private to the user. s.mu must be held.
func (s *Server) saveLocked() error {
	if s.stateFile == "" {
		return nil
	}
	b, err := json.MarshalIndent(stateFile{Version: stateVersion, World: s.world}, "", "  ")
	if err != nil {
		return fmt.Errorf("mockcloud: encoding state: %w", err)
	}
	dir := filepath.Dir(s.stateFile)
	tmp, err := os.CreateTemp(dir, filepath.Base(s.stateFile)+".tmp*")
	if err != nil {
		return fmt.Errorf("mockcloud: saving state: %w", err)
	}
	defer os.Remove(tmp.Name())
	// CreateTemp already makes the file 0600; saying so keeps that true
	// should it ever change, and the rename carries the mode over to the
	// state file whatever mode an older copy had.
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("mockcloud: saving state: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("mockcloud: saving state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("mockcloud: saving state: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.stateFile); err != nil {
		return fmt.Errorf("mockcloud: saving state: %w", err)
	}
	return nil
}

// persistLocked saves after a change. A failure is kept for Save to report:
// the change itself has happened, and failing the request would make the
// client believe otherwise.
func (s *Server) persistLocked() {
	s.saveErr = s.saveLocked()
}

// Save writes the state file now and reports the last save error, if any.
func (s *Server) Save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := s.saveErr
	s.saveErr = s.saveLocked()
	if s.saveErr != nil {
		return s.saveErr
	}
	return prev
}
