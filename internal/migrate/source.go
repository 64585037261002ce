// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

// Package migrate reads the state of the official confluentinc/confluent
// provider's confluent_api_key and confluent_service_account resources and
// maps them onto this provider's resource types. The provider's move support
// and the tools/migrate generator share it, so both pick the same target
// type for every key.
package migrate

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/ccloudiam/terraform-provider-ccloud/internal/ccloud"
)

// Resource types of the official provider that a migration moves.
const (
	SourceAPIKeyType         = "confluent_api_key"
	SourceServiceAccountType = "confluent_service_account"
	// ServiceAccountType is the resource type a confluent_service_account
	// becomes.
	ServiceAccountType = "ccloud_service_account"
)

// officialProvider ends the official provider's address on any registry
// host: registry.terraform.io for Terraform, registry.opentofu.org for
// OpenTofu, or a private mirror.
const officialProvider = "confluentinc/confluent"

// IsOfficialProvider reports whether a provider address, in the
// HOSTNAME/NAMESPACE/TYPE form Terraform uses, names the official provider,
// whatever the host.
func IsOfficialProvider(addr string) bool {
	addr = strings.ToLower(strings.TrimSpace(addr))
	return addr == officialProvider || strings.HasSuffix(addr, "/"+officialProvider)
}

// ownProvider ends this provider's address on any registry host.
const ownProvider = "ccloudiam/ccloud"

// IsMoveSource reports whether a move request's source provider address and
// type name are the official provider's confluent_api_key or
// confluent_service_account. Terraform (up to 1.11 at least) sends the
// official provider's address for the first instance moved out of a
// resource, but for the second and later instance-level moves out of the
// same resource it sends the target provider's address, because the first
// move already rewrote the resource's provider in its working state. This
// provider has no confluent_* types of its own, so its own address with
// those type names can only mean such a move.
func IsMoveSource(addr, typeName string) bool {
	if typeName != SourceAPIKeyType && typeName != SourceServiceAccountType {
		return false
	}
	if IsOfficialProvider(addr) {
		return true
	}
	addr = strings.ToLower(strings.TrimSpace(addr))
	return addr == ownProvider || strings.HasSuffix(addr, "/"+ownProvider)
}

// KeyResourceType is the resource type of this provider for API keys of a
// scope, for example ccloud_kafka_api_key.
func KeyResourceType(s ccloud.Scope) string {
	return "ccloud_" + string(s) + "_api_key"
}

// ref is one element of the official provider's owner and managed_resource
// blocks. That provider is built on the legacy SDK, which stores every
// nested block as a JSON list, even one limited to a single element, so
// environment is a list too.
type ref struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`
	APIVersion  string `json:"api_version"`
	Environment []struct {
		ID string `json:"id"`
	} `json:"environment"`
}

// apiKeyState is the state of a confluent_api_key at schema version 0, the
// only version that provider has had. Pointers tell a value that is absent
// from one that is empty.
type apiKeyState struct {
	ID                  string  `json:"id"`
	DisplayName         *string `json:"display_name"`
	Description         *string `json:"description"`
	Secret              *string `json:"secret"`
	DisableWaitForReady *bool   `json:"disable_wait_for_ready"`
	Owner               []ref   `json:"owner"`
	ManagedResource     []ref   `json:"managed_resource"`
}

// APIKey is a confluent_api_key as this provider sees it. The official
// provider's SDK writes "" for unset strings; so does APIKey, and the
// provider turns "" into null.
type APIKey struct {
	ID        string
	OwnerID   string
	OwnerKind string
	// DisplayName and Description are "" when unset.
	DisplayName string
	Description string
	// Secret is "" when the state holds none. Never print it.
	Secret string
	// WaitForReady is the opposite of the source's disable_wait_for_ready.
	WaitForReady bool
	// Scope picks the target resource type.
	Scope ccloud.Scope
	// Values are the target's scope arguments by attribute name, for
	// example cluster_id and environment_id.
	Values map[string]string
	// Source describes the source's managed_resource for messages, for
	// example "managed_resource api_version cmk/v2, id lkc-abc123".
	Source string
}

// TargetType is the resource type the key moves to.
func (k *APIKey) TargetType() string { return KeyResourceType(k.Scope) }

// ErrNoJSON reports a source state without JSON data.
var ErrNoJSON = errors.New("the source state has no JSON data; Terraform 0.12 and later always write it, so " +
	"refresh the source with the confluentinc/confluent provider first")

// ParseAPIKey reads the JSON state of a confluent_api_key and works out
// which of the key resources it belongs in: the target follows
// managed_resource.api_version, and a key without managed_resource is a
// Cloud key. Its errors never quote the secret.
func ParseAPIKey(raw []byte) (*APIKey, error) {
	var src apiKeyState
	if err := decodeState(raw, SourceAPIKeyType, &src, &src.ID); err != nil {
		return nil, err
	}
	if len(src.Owner) == 0 || src.Owner[0].ID == "" {
		return nil, fmt.Errorf("the source state of key %s has no owner block with an id", src.ID)
	}
	k := &APIKey{
		ID:           src.ID,
		OwnerID:      src.Owner[0].ID,
		OwnerKind:    src.Owner[0].Kind,
		DisplayName:  deref(src.DisplayName),
		Description:  deref(src.Description),
		Secret:       deref(src.Secret),
		WaitForReady: src.DisableWaitForReady == nil || !*src.DisableWaitForReady,
		Values:       map[string]string{},
	}
	if k.OwnerKind == "" {
		k.OwnerKind = ccloud.OwnerKindOfID(k.OwnerID)
	}
	if len(src.ManagedResource) == 0 {
		// The official provider writes no managed_resource for Cloud keys.
		k.Scope = ccloud.ScopeCloud
		k.Source = "no managed_resource block"
		return k, nil
	}
	res := &src.ManagedResource[0]
	env := ""
	if len(res.Environment) > 0 {
		env = res.Environment[0].ID
	}
	k.Source = fmt.Sprintf("managed_resource api_version %s, id %s", res.APIVersion, res.ID)
	row := ccloud.ScopeOfOfficialAPIVersion(res.APIVersion)
	if row == nil {
		return nil, fmt.Errorf("key %s has a managed_resource with api_version %q, which none of this provider's "+
			"key resources manages (it knows %s, and keys without managed_resource); keep the key with the "+
			"confluentinc/confluent provider", src.ID, res.APIVersion, officialAPIVersions())
	}
	k.Scope = row.Scope
	if !row.InEnvironment() {
		return k, nil
	}
	if row.IDPrefix == "" && !row.MatchesID(res.ID) {
		return nil, fmt.Errorf("the managed_resource id %q of %s key %s is not %s", res.ID, row.Title, src.ID, row.IDForm)
	}
	// The environment block wins; a legacy ID form may carry it instead.
	k.Values = row.ArgumentsOf(&ccloud.ObjectReference{ID: res.ID, Environment: env})
	if k.Values["environment_id"] == "" {
		return nil, fmt.Errorf("the managed_resource block of key %s (%s) has no environment block, so the "+
			"environment_id is unknown; set managed_resource.environment.id with the confluentinc/confluent "+
			"provider and apply before moving the key", src.ID, k.Source)
	}
	return k, nil
}

// officialAPIVersions lists the managed_resource api_version values a key
// can move from, as "a, b and c".
func officialAPIVersions() string {
	var versions []string
	for _, row := range ccloud.Scopes {
		versions = append(versions, row.OfficialAPIVersions...)
	}
	if len(versions) < 2 {
		return strings.Join(versions, "")
	}
	return strings.Join(versions[:len(versions)-1], ", ") + " and " + versions[len(versions)-1]
}

// serviceAccountState is the state of a confluent_service_account at schema
// version 0. Its api_version and kind have no counterpart here.
type serviceAccountState struct {
	ID          string  `json:"id"`
	DisplayName *string `json:"display_name"`
	Description *string `json:"description"`
}

// ServiceAccount is a confluent_service_account as this provider sees it.
type ServiceAccount struct {
	ID          string
	DisplayName string
	// Description is "" when unset.
	Description string
}

// ParseServiceAccount reads the JSON state of a confluent_service_account.
func ParseServiceAccount(raw []byte) (*ServiceAccount, error) {
	var src serviceAccountState
	if err := decodeState(raw, SourceServiceAccountType, &src, &src.ID); err != nil {
		return nil, err
	}
	if deref(src.DisplayName) == "" {
		return nil, fmt.Errorf("the source state of service account %s has no display_name", src.ID)
	}
	return &ServiceAccount{ID: src.ID, DisplayName: *src.DisplayName, Description: deref(src.Description)}, nil
}

// decodeState reads the raw JSON state of a resource of the official
// provider's type typeName into dst, and checks that it has the id that
// *id points into. Its errors never quote the state: the decoder's
// messages name types and offsets, not values.
func decodeState(raw []byte, typeName string, dst any, id *string) error {
	if len(raw) == 0 {
		return ErrNoJSON
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("the source state is not a %s state this provider can read: %w", typeName, err)
	}
	if *id == "" {
		return errors.New("the source state has no id")
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
