# Every API key of the organisation, one list block per scope.
list "ccloud_kafka_api_key" "all" {
  provider = ccloud
}

list "ccloud_schema_registry_api_key" "all" {
  provider = ccloud
}

list "ccloud_ksqldb_api_key" "all" {
  provider = ccloud
}

list "ccloud_flink_api_key" "all" {
  provider = ccloud
}

list "ccloud_tableflow_api_key" "all" {
  provider = ccloud
}

list "ccloud_cloud_api_key" "all" {
  provider = ccloud
}

list "ccloud_global_api_key" "all" {
  provider = ccloud
}
