# Every Schema Registry API key of the organisation.
list "ccloud_schema_registry_api_key" "all" {
  provider = ccloud
}

# The Schema Registry keys of one service account.
list "ccloud_schema_registry_api_key" "payments" {
  provider = ccloud

  config {
    owner_id = "sa-abc123"
  }
}
