# Every Cloud API key of the organisation.
list "ccloud_cloud_api_key" "all" {
  provider = ccloud
}

# The Cloud keys of one service account, with the resources for -generate-config-out.
list "ccloud_cloud_api_key" "automation" {
  provider         = ccloud
  include_resource = true

  config {
    owner_id = "sa-abc123"
  }
}
