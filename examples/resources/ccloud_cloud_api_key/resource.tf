resource "ccloud_service_account" "platform" {
  display_name = "platform-automation"
  description  = "Manages Confluent Cloud resources from CI."
}

# A Cloud API key calls the Confluent Cloud management APIs (for example
# this provider) on behalf of its owner. It reaches no cluster data.
resource "ccloud_cloud_api_key" "example" {
  owner_id     = ccloud_service_account.platform.id
  display_name = "platform-automation management key"
  description  = "Used by the CI pipeline that applies the platform configuration."

  rotation_triggers = {
    rotation = "1"
  }

  lifecycle {
    create_before_destroy = true
  }
}

output "cloud_api_key" {
  value = ccloud_cloud_api_key.example.id
}

output "cloud_api_secret" {
  value     = ccloud_cloud_api_key.example.secret
  sensitive = true
}
