// Copyright (c) The terraform-provider-ccloud Authors.
// SPDX-License-Identifier: MPL-2.0

package ccloud

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

const (
	environmentsPath     = "/org/v2/environments"
	organizationsPath    = "/org/v2/organizations"
	kafkaClustersPath    = "/cmk/v2/clusters"
	srClustersPath       = "/srcm/v3/clusters"
	ksqlDBClustersPath   = "/ksqldbcm/v2/clusters"
	flinkRegionsPath     = "/fcpm/v2/regions"
	tableflowRegionsPath = "/tableflow/v1/regions"
)

// GetEnvironment reads one environment.
func (c *Client) GetEnvironment(ctx context.Context, id string) (*Environment, error) {
	return objectCall[Environment](ctx, c, http.MethodGet, environmentsPath, id, nil, nil)
}

// ListEnvironments lists every environment.
func (c *Client) ListEnvironments(ctx context.Context) ([]Environment, error) {
	return listAll[Environment](ctx, c, environmentsPath, nil)
}

// OrganizationID returns the ID of the organisation the credentials belong
// to. It is looked up once per client.
func (c *Client) OrganizationID(ctx context.Context) (string, error) {
	c.orgMu.Lock()
	defer c.orgMu.Unlock()
	if c.orgID != "" {
		return c.orgID, nil
	}
	orgs, err := listAll[Organization](ctx, c, organizationsPath, nil)
	if err != nil {
		return "", err
	}
	if len(orgs) == 0 {
		return "", fmt.Errorf("GET %s: the credentials see no organisation", organizationsPath)
	}
	c.orgID = orgs[0].ID
	return c.orgID, nil
}

func envQuery(env string) url.Values {
	return url.Values{"environment": []string{env}}
}

// GetKafkaCluster reads a Kafka cluster of an environment.
func (c *Client) GetKafkaCluster(ctx context.Context, id, env string) (*KafkaCluster, error) {
	return objectCall[KafkaCluster](ctx, c, http.MethodGet, kafkaClustersPath, id, envQuery(env), nil)
}

// GetSchemaRegistryCluster reads a Schema Registry cluster of an environment.
func (c *Client) GetSchemaRegistryCluster(ctx context.Context, id, env string) (*SchemaRegistryCluster, error) {
	return objectCall[SchemaRegistryCluster](ctx, c, http.MethodGet, srClustersPath, id, envQuery(env), nil)
}

// GetKsqlDBCluster reads a ksqlDB cluster of an environment.
func (c *Client) GetKsqlDBCluster(ctx context.Context, id, env string) (*KsqlDBCluster, error) {
	return objectCall[KsqlDBCluster](ctx, c, http.MethodGet, ksqlDBClustersPath, id, envQuery(env), nil)
}

// GetFlinkRegion finds the Flink region of a cloud (AWS, GCP, AZURE) and
// region name. It fails with a 404-coded *Error when there is none.
func (c *Client) GetFlinkRegion(ctx context.Context, cloud, region string) (*FlinkRegion, error) {
	q := url.Values{"cloud": []string{strings.ToUpper(cloud)}, "region_name": []string{region}}
	regions, err := listAll[FlinkRegion](ctx, c, flinkRegionsPath, q)
	if err != nil {
		return nil, err
	}
	for i := range regions {
		if strings.EqualFold(regions[i].Cloud, cloud) && regions[i].RegionName == region {
			return &regions[i], nil
		}
	}
	return nil, &Error{
		Method: http.MethodGet, Path: flinkRegionsPath, StatusCode: http.StatusNotFound,
		Errors: []ErrorItem{{Detail: fmt.Sprintf("no Flink region %s in cloud %s", region, strings.ToUpper(cloud))}},
	}
}

// ListTableflowRegions lists the regions where Tableflow is available.
func (c *Client) ListTableflowRegions(ctx context.Context) ([]TableflowRegion, error) {
	return listAll[TableflowRegion](ctx, c, tableflowRegionsPath, nil)
}
