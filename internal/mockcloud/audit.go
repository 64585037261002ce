// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package mockcloud

import (
	"net"
	"strings"
	"time"
)

// AuditEvent is a CloudEvents 1.0 record shaped like Confluent Cloud's audit
// log (https://docs.confluent.io/cloud/current/monitoring/audit-logging/event-methods/organization-events.html).
// It never carries secrets.
type AuditEvent struct {
	SpecVersion     string    `json:"specversion"`
	ID              string    `json:"id"`
	Source          string    `json:"source"`
	Type            string    `json:"type"`
	Subject         string    `json:"subject"`
	Time            time.Time `json:"time"`
	DataContentType string    `json:"datacontenttype"`
	Data            AuditData `json:"data"`
}

// AuditData is the payload of an AuditEvent. MethodName is one of
// Authentication, CreateAPIKey, UpdateAPIKey, DeleteAPIKey, GetAPIKey,
// GetAPIKeys, CreateServiceAccount, UpdateServiceAccount,
// DeleteServiceAccount, GetServiceAccount, GetServiceAccounts, GetUser,
// GetUsers, GetEnvironment, GetEnvironments, GetOrganization,
// GetOrganizations, GetKafkaCluster, GetSchemaRegistryCluster,
// GetKsqlDBCluster, ListKafkaClusters, ListSchemaRegistryClusters,
// ListKsqlDBClusters, GetFlinkRegions, GetTableflowRegions, and Authorize
// (a 403 for a key whose owner is not authorised).
type AuditData struct {
	ServiceName        string                  `json:"serviceName"`
	MethodName         string                  `json:"methodName"`
	CloudResources     []AuditCloudResource    `json:"cloudResources"`
	AuthenticationInfo AuditAuthenticationInfo `json:"authenticationInfo"`
	RequestMetadata    AuditRequestMetadata    `json:"requestMetadata"`
	Request            AuditRequest            `json:"request"`
	Result             AuditResult             `json:"result"`
}

// AuditCloudResource is a resource an event is about, with its scope.
type AuditCloudResource struct {
	Scope    AuditScope    `json:"scope"`
	Resource AuditResource `json:"resource"`
}

// AuditScope lists the resources enclosing a resource, outermost first.
type AuditScope struct {
	Resources []AuditResource `json:"resources"`
}

// AuditResource names one resource, for example {API_KEY, 76NATGA2SWTNEZX5}.
type AuditResource struct {
	Type       string `json:"type"`
	ResourceID string `json:"resourceId"`
}

// AuditAuthenticationInfo says who made the request. Result is SUCCESS or
// FAILURE.
type AuditAuthenticationInfo struct {
	Principal AuditPrincipal `json:"principal"`
	Result    string         `json:"result"`
}

// AuditPrincipal identifies the caller: the API key it presented and the
// key's owner.
type AuditPrincipal struct {
	APIKey                  string           `json:"apiKey,omitempty"`
	ConfluentUser           *AuditResourceID `json:"confluentUser,omitempty"`
	ConfluentServiceAccount *AuditResourceID `json:"confluentServiceAccount,omitempty"`
}

// AuditResourceID wraps a principal's ID.
type AuditResourceID struct {
	ResourceID string `json:"resourceId"`
}

// AuditRequestMetadata ties an event to the X-Request-Id of its request.
type AuditRequestMetadata struct {
	RequestID     string `json:"requestId"`
	ClientAddress string `json:"clientAddress,omitempty"`
}

// AuditRequest describes the request: MODIFICATION or READ_ONLY, and the
// route.
type AuditRequest struct {
	AccessType string `json:"accessType"`
	Route      string `json:"route"`
}

// AuditResult is the outcome. Status is SUCCESS or FAILURE; Reason explains
// an authentication failure.
type AuditResult struct {
	Status     string `json:"status"`
	HTTPStatus int    `json:"httpStatus,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

// Audit result values.
const (
	AuditSuccess = "SUCCESS"
	AuditFailure = "FAILURE"
)

// auditOp is the operation a handler performed, filled in as it goes.
type auditOp struct {
	method    string
	modifies  bool
	subject   string
	resources []AuditCloudResource
}

// AuditLog returns the audit events in order. Only the last 100000 are
// kept.
func (s *Server) AuditLog() []AuditEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]AuditEvent(nil), s.audit[max(0, len(s.audit)-maxAuditEvents):]...)
}

// ClearAuditLog empties the audit log.
func (s *Server) ClearAuditLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.audit = nil
}

func (s *Server) appendEventLocked(ev AuditEvent) {
	s.audit = append(s.audit, ev)
	// As with the recorded requests, trimming at twice the limit keeps the
	// cost per event constant; AuditLog shows the last maxAuditEvents.
	if len(s.audit) >= 2*maxAuditEvents {
		s.audit = append([]AuditEvent(nil), s.audit[len(s.audit)-maxAuditEvents:]...)
	}
}

func (s *Server) newEvent(c *reqCtx, method string, now time.Time) AuditEvent {
	client, _, err := net.SplitHostPort(c.r.RemoteAddr)
	if err != nil {
		client = c.r.RemoteAddr
	}
	return AuditEvent{
		SpecVersion:     "1.0",
		ID:              newUUID(),
		Source:          "crn://confluent.cloud/",
		Type:            "io.confluent.cloud/request",
		Subject:         s.world.crn(),
		Time:            now,
		DataContentType: "application/json",
		Data: AuditData{
			ServiceName:     "crn://confluent.cloud/",
			MethodName:      method,
			RequestMetadata: AuditRequestMetadata{RequestID: c.reqID, ClientAddress: client},
			Request:         AuditRequest{AccessType: "READ_ONLY", Route: c.route.key},
		},
	}
}

func principalOf(keyID, owner string) AuditPrincipal {
	p := AuditPrincipal{APIKey: keyID}
	switch {
	case isUserID(owner):
		p.ConfluentUser = &AuditResourceID{ResourceID: owner}
	case strings.HasPrefix(owner, "sa-"):
		p.ConfluentServiceAccount = &AuditResourceID{ResourceID: owner}
	}
	return p
}

// appendAuthEvent logs an Authentication event; s.mu must be held.
func (s *Server) appendAuthEvent(c *reqCtx, keyID string, ok bool, reason string, now time.Time) {
	ev := s.newEvent(c, "Authentication", now)
	owner := ""
	if keyID == s.world.AdminKey {
		owner = s.adminPrincipal
	} else if k := s.world.key(keyID); k != nil {
		owner = k.OwnerID
	}
	ev.Data.AuthenticationInfo = AuditAuthenticationInfo{Principal: principalOf(keyID, owner), Result: AuditFailure}
	ev.Data.Result = AuditResult{Status: AuditFailure, HTTPStatus: 401, Reason: reason}
	if ok {
		ev.Data.AuthenticationInfo.Result = AuditSuccess
		ev.Data.Result = AuditResult{Status: AuditSuccess}
	}
	if keyID != "" {
		ev.Data.CloudResources = []AuditCloudResource{{
			Scope:    AuditScope{Resources: s.orgScope()},
			Resource: AuditResource{Type: "API_KEY", ResourceID: keyID},
		}}
	}
	s.appendEventLocked(ev)
}

// emitOpEvent logs the event of the operation a handler performed.
func (s *Server) emitOpEvent(c *reqCtx) {
	if c.op == nil {
		return
	}
	status := c.w.status
	if status == 0 {
		status = 200
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ev := s.newEvent(c, c.op.method, s.clock())
	if c.op.subject != "" {
		ev.Subject = c.op.subject
	}
	if c.op.modifies {
		ev.Data.Request.AccessType = "MODIFICATION"
	}
	ev.Data.CloudResources = c.op.resources
	ev.Data.AuthenticationInfo = AuditAuthenticationInfo{Principal: principalOf(c.principal.keyID, c.principal.ownerID), Result: AuditSuccess}
	ev.Data.Result = AuditResult{Status: AuditSuccess, HTTPStatus: status}
	if status >= 400 {
		ev.Data.Result.Status = AuditFailure
	}
	s.appendEventLocked(ev)
}

func (s *Server) orgScope() []AuditResource {
	return []AuditResource{{Type: "ORGANIZATION", ResourceID: s.world.OrgID}}
}

// audit starts the audit record of a handler's operation.
func (c *reqCtx) audit(method string, modifies bool) *auditOp {
	c.op = &auditOp{method: method, modifies: modifies}
	return c.op
}

// orgResource makes an op about the organisation as a whole, as lists are.
func (op *auditOp) orgResource(w *world) {
	op.resources = []AuditCloudResource{{
		Scope:    AuditScope{Resources: []AuditResource{{Type: "ORGANIZATION", ResourceID: w.OrgID}}},
		Resource: AuditResource{Type: "ORGANIZATION", ResourceID: w.OrgID},
	}}
}

func (op *auditOp) saResource(w *world, id string) {
	op.subject = w.crn("service-account=" + id)
	op.resources = []AuditCloudResource{{
		Scope:    AuditScope{Resources: []AuditResource{{Type: "ORGANIZATION", ResourceID: w.OrgID}}},
		Resource: AuditResource{Type: "SERVICE_ACCOUNT", ResourceID: id},
	}}
}

// keyResources records a key the way the real CreateAPIKey events do: once
// in the scope of its owner, and once in the scope of its resource.
func (op *auditOp) keyResources(w *world, id string, k *keyRec) {
	org := AuditResource{Type: "ORGANIZATION", ResourceID: w.OrgID}
	res := AuditResource{Type: "API_KEY", ResourceID: id}
	if k == nil {
		op.subject = w.crn("api-key=" + id)
		op.resources = []AuditCloudResource{{Scope: AuditScope{Resources: []AuditResource{org}}, Resource: res}}
		return
	}
	op.subject = w.crn(w.ownerCRNPart(k.OwnerID), "api-key="+id)
	ownerType := "SERVICE_ACCOUNT"
	if isUserID(k.OwnerID) {
		ownerType = "USER"
	}
	op.resources = []AuditCloudResource{{
		Scope:    AuditScope{Resources: []AuditResource{org, {Type: ownerType, ResourceID: k.OwnerID}}},
		Resource: res,
	}}
	var scope []AuditResource
	switch k.Scope {
	case scopeKafka:
		scope = []AuditResource{org, {"ENVIRONMENT", k.Environment}, {"CLOUD_CLUSTER", k.ResourceID}, {"KAFKA_CLUSTER", k.ResourceID}}
	case scopeSchemaRegistry:
		scope = []AuditResource{org, {"ENVIRONMENT", k.Environment}, {"SCHEMA_REGISTRY", k.ResourceID}}
	case scopeKsqlDB:
		scope = []AuditResource{org, {"ENVIRONMENT", k.Environment}, {"KSQL_CLUSTER", k.ResourceID}}
	case scopeFlink:
		scope = []AuditResource{org, {"ENVIRONMENT", k.Environment}, {"FLINK_REGION", k.ResourceID}}
	case scopeTableflow:
		scope = []AuditResource{org, {"TABLEFLOW", k.ResourceID}}
	}
	if scope != nil {
		op.resources = append(op.resources, AuditCloudResource{Scope: AuditScope{Resources: scope}, Resource: res})
	}
}
