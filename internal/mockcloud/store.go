// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// The world is everything the mock stores. It is guarded by Server.mu and is
// what the state file holds, so its fields are exported for encoding/json.
// Every object carries a sequence number from one counter; lists are kept in
// creation order so pagination is stable while other clients create objects.
type world struct {
	OrgID            string               `json:"org_id"`
	OrgName          string               `json:"org_name"`
	Seq              uint64               `json:"seq"`
	Envs             []*envRec            `json:"environments"`
	Clusters         []*clusterRec        `json:"clusters"`
	FlinkRegions     []*regionRec         `json:"flink_regions"`
	TableflowRegions []*regionRec         `json:"tableflow_regions"`
	Users            []*userRec           `json:"users"`
	SAs              []*saRec             `json:"service_accounts"`
	Keys             []*keyRec            `json:"api_keys"`
	DeletedKeys      map[string]time.Time `json:"deleted_api_keys"`
	AdminKey         string               `json:"admin_key"`
	AdminSecret      string               `json:"admin_secret"`
	// AdminGenerated says the mock generated the admin key itself, so it
	// may print it; a supplied one (Options.APIKey) is never printed.
	AdminGenerated bool      `json:"admin_generated,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
}

type envRec struct {
	Seq         uint64    `json:"seq"`
	ID          string    `json:"id"`
	DisplayName string    `json:"display_name"`
	CreatedAt   time.Time `json:"created_at"`
}

// Cluster types stored in clusterRec.Type.
const (
	clusterKafka  = "kafka"
	clusterSR     = "schema_registry"
	clusterKsqlDB = "ksqldb"
)

type clusterRec struct {
	Seq          uint64    `json:"seq"`
	Type         string    `json:"type"`
	ID           string    `json:"id"`
	DisplayName  string    `json:"display_name"`
	Environment  string    `json:"environment"`
	Cloud        string    `json:"cloud"`
	Region       string    `json:"region"`
	KafkaCluster string    `json:"kafka_cluster,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

type regionRec struct {
	Seq         uint64 `json:"seq"`
	Cloud       string `json:"cloud"` // Lower case, as in region IDs.
	Region      string `json:"region"`
	DisplayName string `json:"display_name"`
}

func (r *regionRec) id() string { return regionID(r.Cloud, r.Region) }

type userRec struct {
	Seq       uint64    `json:"seq"`
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	FullName  string    `json:"full_name"`
	CreatedAt time.Time `json:"created_at"`
}

type saRec struct {
	Seq         uint64    `json:"seq"`
	ID          string    `json:"id"`
	DisplayName string    `json:"display_name"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

type keyRec struct {
	Seq         uint64    `json:"seq"`
	ID          string    `json:"id"`
	Secret      string    `json:"secret"`
	DisplayName string    `json:"display_name"`
	Description string    `json:"description"`
	OwnerID     string    `json:"owner_id"`
	Scope       keyScope  `json:"scope"`
	ResourceID  string    `json:"resource_id"` // Canonical: lkc-..., aws.us-east-1, cloud, tableflow, global.
	Environment string    `json:"environment,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// cloudClass reports whether a key counts against the Cloud key quotas.
// Global keys are organisation-wide like Cloud keys, so they count there;
// every other scope is a "cluster" key.
func (k *keyRec) cloudClass() bool {
	return k.Scope == scopeCloud || k.Scope == scopeGlobal
}

func newWorld(sd *Seed, now time.Time) *world {
	w := &world{
		OrgID:       sd.OrganizationID,
		OrgName:     sd.OrganizationName,
		DeletedKeys: map[string]time.Time{},
		CreatedAt:   now,
	}
	if w.OrgName == "" {
		w.OrgName = "Mock Organization"
	}
	for _, e := range sd.Environments {
		w.Envs = append(w.Envs, &envRec{Seq: w.next(), ID: e.ID, DisplayName: e.DisplayName, CreatedAt: now})
	}
	add := func(typ string, list []SeedCluster) {
		for _, c := range list {
			cloud, region := c.Cloud, c.Region
			if cloud == "" {
				cloud, region = "AWS", "us-east-1"
			}
			w.Clusters = append(w.Clusters, &clusterRec{
				Seq: w.next(), Type: typ, ID: c.ID, DisplayName: c.DisplayName, Environment: c.Environment,
				Cloud: strings.ToUpper(cloud), Region: region, KafkaCluster: c.KafkaCluster, CreatedAt: now,
			})
		}
	}
	add(clusterKafka, sd.KafkaClusters)
	add(clusterSR, sd.SchemaRegistries)
	add(clusterKsqlDB, sd.KsqlDBClusters)
	for _, r := range sd.FlinkRegions {
		w.FlinkRegions = append(w.FlinkRegions, &regionRec{Seq: w.next(), Cloud: strings.ToLower(r.Cloud), Region: r.Region, DisplayName: r.DisplayName})
	}
	for _, r := range sd.TableflowRegions {
		w.TableflowRegions = append(w.TableflowRegions, &regionRec{Seq: w.next(), Cloud: strings.ToLower(r.Cloud), Region: r.Region, DisplayName: r.DisplayName})
	}
	for _, u := range sd.Users {
		w.Users = append(w.Users, &userRec{Seq: w.next(), ID: u.ID, Email: u.Email, FullName: u.FullName, CreatedAt: now})
	}
	for _, sa := range sd.ServiceAccounts {
		w.SAs = append(w.SAs, &saRec{Seq: w.next(), ID: sa.ID, DisplayName: sa.DisplayName, Description: sa.Description, CreatedAt: now, UpdatedAt: now})
	}
	return w
}

func (w *world) next() uint64 {
	w.Seq++
	return w.Seq
}

func (w *world) env(id string) *envRec {
	for _, e := range w.Envs {
		if e.ID == id {
			return e
		}
	}
	return nil
}

func (w *world) cluster(typ, id string) *clusterRec {
	for _, c := range w.Clusters {
		if c.ID == id && (typ == "" || c.Type == typ) {
			return c
		}
	}
	return nil
}

func (w *world) user(id string) *userRec {
	for _, u := range w.Users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

func (w *world) sa(id string) *saRec {
	for _, sa := range w.SAs {
		if sa.ID == id {
			return sa
		}
	}
	return nil
}

func (w *world) key(id string) *keyRec {
	for _, k := range w.Keys {
		if k.ID == id {
			return k
		}
	}
	return nil
}

func findRegion(list []*regionRec, cloud, region string) *regionRec {
	for _, r := range list {
		if strings.EqualFold(r.Cloud, cloud) && r.Region == region {
			return r
		}
	}
	return nil
}

// Validation limits of the real API.
const maxDisplayNameLen = 64

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

func (w *world) newSAID() string {
	for {
		b := make([]byte, 6)
		for i := range b {
			b[i] = idAlphabet[rand.IntN(len(idAlphabet))]
		}
		id := "sa-" + string(b)
		if w.sa(id) == nil {
			return id
		}
	}
}

func (w *world) newKeyID() string {
	for {
		id := randomKeyID()
		if _, gone := w.DeletedKeys[id]; !gone && w.key(id) == nil && id != w.AdminKey {
			return id
		}
	}
}

func errSANotFound(id string) *APIError {
	return errorf(http.StatusNotFound, "service_account_not_found", "Service Account Not Found")
}

func errUserNotFound(id string) *APIError {
	return errorf(http.StatusNotFound, "user_not_found", "User Not Found")
}

func errKeyNotFound(id string) *APIError {
	return errorf(http.StatusNotFound, "api_key_not_found", "The API Key (id=%s) does not exist", id)
}

func errKeyForbidden() *APIError {
	return errorf(http.StatusForbidden, "forbidden_access", "Forbidden Access")
}

func errSANameInUse() *APIError {
	return errorf(http.StatusConflict, "resource_already_exists", "Service name is already in use.")
}

func checkDisplayName(ptr, name string) *APIError {
	if name == "" {
		return badRequest(ptr, "The property '%s' is required.", ptr)
	}
	if len([]rune(name)) > maxDisplayNameLen {
		return badRequest(ptr, "The property '%s' must be %d characters or fewer.", ptr, maxDisplayNameLen)
	}
	return nil
}

func (w *world) saNameTaken(name, exceptID string) bool {
	for _, sa := range w.SAs {
		if sa.DisplayName == name && sa.ID != exceptID {
			return true
		}
	}
	return false
}

func (w *world) createSA(name, desc string, now time.Time, q Quotas) (*saRec, *APIError) {
	if err := checkDisplayName("/display_name", name); err != nil {
		return nil, err
	}
	if w.saNameTaken(name, "") {
		return nil, errSANameInUse()
	}
	if len(w.SAs) >= q.ServiceAccountsPerOrg {
		return nil, quotaExceeded("Your organization is currently limited to %d service accounts", q.ServiceAccountsPerOrg)
	}
	sa := &saRec{Seq: w.next(), ID: w.newSAID(), DisplayName: name, Description: desc, CreatedAt: now, UpdatedAt: now}
	w.SAs = append(w.SAs, sa)
	return sa, nil
}

func (w *world) updateSA(id string, name, desc *string, now time.Time) (*saRec, *APIError) {
	sa := w.sa(id)
	if sa == nil {
		return nil, errSANotFound(id)
	}
	if name != nil {
		if err := checkDisplayName("/display_name", *name); err != nil {
			return nil, err
		}
		if w.saNameTaken(*name, id) {
			return nil, errSANameInUse()
		}
	}
	if name != nil {
		sa.DisplayName = *name
	}
	if desc != nil {
		sa.Description = *desc
	}
	sa.UpdatedAt = now
	return sa, nil
}

// deleteSA removes a service account and, as the real API does, every key
// it owns.
func (w *world) deleteSA(id string, now time.Time) *APIError {
	if !removeByID(&w.SAs, id, func(sa *saRec) string { return sa.ID }) {
		return errSANotFound(id)
	}
	w.deleteKeysWhere(func(k *keyRec) bool { return k.OwnerID == id }, now)
	return nil
}

// deleteUser removes a user and, like deleteSA, every key it owns.
func (w *world) deleteUser(id string, now time.Time) *APIError {
	if !removeByID(&w.Users, id, func(u *userRec) string { return u.ID }) {
		return errUserNotFound(id)
	}
	w.deleteKeysWhere(func(k *keyRec) bool { return k.OwnerID == id }, now)
	return nil
}

// deleteCluster removes a cluster and every key scoped to it.
func (w *world) deleteCluster(id string, now time.Time) *APIError {
	if !removeByID(&w.Clusters, id, func(c *clusterRec) string { return c.ID }) {
		return errorf(http.StatusNotFound, "resource_not_found", "The cluster %s does not exist", id)
	}
	w.deleteKeysWhere(func(k *keyRec) bool { return k.ResourceID == id }, now)
	return nil
}

// removeByID removes the record with this ID from *recs, keeping the order
// of the others, and reports whether there was one. The three-index slice
// makes append copy, so a slice taken from the old one earlier does not
// change under whoever holds it.
func removeByID[T any](recs *[]*T, id string, idOf func(*T) string) bool {
	for i, r := range *recs {
		if idOf(r) == id {
			*recs = append((*recs)[:i:i], (*recs)[i+1:]...)
			return true
		}
	}
	return false
}

func (w *world) deleteKeysWhere(match func(*keyRec) bool, now time.Time) {
	kept := w.Keys[:0:0]
	for _, k := range w.Keys {
		if match(k) {
			w.DeletedKeys[k.ID] = now
			continue
		}
		kept = append(kept, k)
	}
	w.Keys = kept
}

// lookupKey finds a live key. A key that existed and was deleted answers 403
// forbidden_access, as the real API does (the getIamV2ApiKey operation
// lists the 403, https://docs.confluent.io/cloud/current/api.html#tag/API-Keys-(iamv2)); an ID that never
// existed answers 404 api_key_not_found.
func (w *world) lookupKey(id string) (*keyRec, *APIError) {
	if k := w.key(id); k != nil {
		return k, nil
	}
	if _, gone := w.DeletedKeys[id]; gone {
		return nil, errKeyForbidden()
	}
	return nil, errKeyNotFound(id)
}

func (w *world) deleteKey(id string, now time.Time) *APIError {
	if _, err := w.lookupKey(id); err != nil {
		return err
	}
	w.deleteKeysWhere(func(k *keyRec) bool { return k.ID == id }, now)
	return nil
}

func (w *world) updateKey(id string, name, desc *string, now time.Time) (*keyRec, *APIError) {
	k, err := w.lookupKey(id)
	if err != nil {
		return nil, err
	}
	if name != nil {
		k.DisplayName = *name
	}
	if desc != nil {
		k.Description = *desc
	}
	k.UpdatedAt = now
	return k, nil
}

// resolvedResource is a key's resource after validation.
type resolvedResource struct {
	scope keyScope
	id    string
	env   string
}

// resolveOwner checks a key's owner. A malformed owner (missing, or not a
// u-/sa- ID) is a 400; a well-formed owner that does not exist is a 404 with
// the owner's own not-found code, so a client that raced a deletion can tell
// "the parent is gone" from "my request is wrong".
func (w *world) resolveOwner(id string) *APIError {
	switch {
	case id == "":
		return badRequest("/spec/owner/id", "The property '/spec/owner/id' is required.")
	case strings.HasPrefix(id, "sa-"):
		if w.sa(id) == nil {
			return errSANotFound(id)
		}
	case isUserID(id):
		if w.user(id) == nil {
			return errUserNotFound(id)
		}
	default:
		return badRequest("/spec/owner/id", "The owner %q must be a user (u-...) or a service account (sa-...).", id)
	}
	return nil
}

// resolveResource recognises a key's scope from the resource ID, as the real
// API does, and checks that the resource exists. The same 400-for-malformed,
// 404-for-missing rule as for owners applies.
func (w *world) resolveResource(ref *wireRef) (resolvedResource, *APIError) {
	if ref == nil {
		ref = &wireRef{}
	}
	scope := scopeOfResource(ref.ID)
	notFound := func(format string, args ...any) *APIError {
		e := errorf(http.StatusNotFound, "resource_not_found", format, args...)
		e.Pointer = "/spec/resource/id"
		return e
	}
	inEnv := func(c *clusterRec) *APIError {
		if ref.Environment != "" && ref.Environment != c.Environment {
			return notFound("The resource %s does not exist in environment %s", ref.ID, ref.Environment)
		}
		return nil
	}
	switch scope {
	case scopeCloud:
		return resolvedResource{scope: scope, id: resourceIDCloud}, nil
	case scopeTableflow:
		return resolvedResource{scope: scope, id: resourceIDTableflow}, nil
	case scopeGlobal:
		return resolvedResource{scope: scope, id: resourceIDGlobal}, nil
	case scopeKafka, scopeSchemaRegistry, scopeKsqlDB:
		typ := map[keyScope]string{scopeKafka: clusterKafka, scopeSchemaRegistry: clusterSR, scopeKsqlDB: clusterKsqlDB}[scope]
		c := w.cluster(typ, ref.ID)
		if c == nil {
			return resolvedResource{}, notFound("The resource %s does not exist", ref.ID)
		}
		if err := inEnv(c); err != nil {
			return resolvedResource{}, err
		}
		return resolvedResource{scope: scope, id: c.ID, env: c.Environment}, nil
	case scopeFlink:
		env, cloud, region, _ := splitRegionID(ref.ID)
		if ref.Environment != "" {
			env = ref.Environment
		}
		if env == "" {
			return resolvedResource{}, badRequest("/spec/resource/environment", "A Flink region API key needs the region's environment in '/spec/resource/environment'.")
		}
		if w.env(env) == nil {
			e := notFound("The environment %s does not exist", env)
			e.Pointer = "/spec/resource/environment"
			return resolvedResource{}, e
		}
		if findRegion(w.FlinkRegions, cloud, region) == nil {
			return resolvedResource{}, notFound("The Flink region %s does not exist", regionID(cloud, region))
		}
		return resolvedResource{scope: scope, id: regionID(cloud, region), env: env}, nil
	default:
		return resolvedResource{}, badRequest("/spec/resource/id", "The resource %q is not a Kafka cluster, Schema Registry, ksqlDB cluster, Flink region, tableflow, global or cloud.", ref.ID)
	}
}

func (w *world) createKey(owner string, ref *wireRef, name, desc string, now time.Time, q Quotas) (*keyRec, *APIError) {
	if err := w.resolveOwner(owner); err != nil {
		return nil, err
	}
	res, err := w.resolveResource(ref)
	if err != nil {
		return nil, err
	}
	k := &keyRec{
		ID: "", DisplayName: name, Description: desc, OwnerID: owner,
		Scope: res.scope, ResourceID: res.id, Environment: res.env, CreatedAt: now, UpdatedAt: now,
	}
	if err := w.checkKeyQuotas(k, q); err != nil {
		return nil, err
	}
	k.Seq = w.next()
	k.ID = w.newKeyID()
	k.Secret = newSecret()
	w.Keys = append(w.Keys, k)
	return k, nil
}

// checkKeyQuotas applies the quotas of
// https://docs.confluent.io/cloud/current/quotas/service-quotas.html to a key about to be
// created. The details match the CLI's quota regex ".* is currently limited
// to .*".
func (w *world) checkKeyQuotas(nk *keyRec, q Quotas) *APIError {
	var orgCloud, ownerSameClass, perCluster int
	for _, k := range w.Keys {
		if k.cloudClass() {
			orgCloud++
		}
		if k.OwnerID == nk.OwnerID && k.cloudClass() == nk.cloudClass() {
			ownerSameClass++
		}
		if nk.Scope == scopeKafka && k.Scope == scopeKafka && k.ResourceID == nk.ResourceID {
			perCluster++
		}
	}
	class := "cluster"
	if nk.cloudClass() {
		class = "cloud"
		if orgCloud >= q.CloudKeysPerOrg {
			return quotaExceeded("Your organization is currently limited to %d cloud API keys", q.CloudKeysPerOrg)
		}
	}
	limit, who := 0, ""
	switch {
	case strings.HasPrefix(nk.OwnerID, "sa-") && nk.cloudClass():
		limit, who = q.CloudKeysPerServiceAccount, "service account"
	case strings.HasPrefix(nk.OwnerID, "sa-"):
		limit, who = q.ClusterKeysPerServiceAccount, "service account"
	case nk.cloudClass():
		limit, who = q.CloudKeysPerUser, "user"
	default:
		limit, who = q.ClusterKeysPerUser, "user"
	}
	if ownerSameClass >= limit {
		return quotaExceeded("Your organization is currently limited to %d %s API keys per %s", limit, class, who)
	}
	if nk.Scope == scopeKafka && perCluster >= q.KeysPerKafkaCluster {
		return quotaExceeded("Your organization is currently limited to %d API keys per Kafka cluster", q.KeysPerKafkaCluster)
	}
	return nil
}

// isUserID reports whether an owner ID names a user ("u-..."); the API's
// other key owners here are service accounts ("sa-...").
func isUserID(id string) bool { return strings.HasPrefix(id, "u-") }
