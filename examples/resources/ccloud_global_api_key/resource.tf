resource "ccloud_service_account" "operator" {
  display_name = "platform-operator"
  description  = "Runs the tooling that works across the whole organisation."
}

# A Global API key is organisation-wide: one credential for the management
# APIs and for the data planes its owner's role bindings allow.
resource "ccloud_global_api_key" "example" {
  owner_id     = ccloud_service_account.operator.id
  display_name = "platform-operator global key"
  description  = "Used by the operator tooling."

  rotation_triggers = {
    rotation = "1"
  }

  lifecycle {
    create_before_destroy = true
  }
}

output "global_api_key" {
  value = ccloud_global_api_key.example.id
}

output "global_api_secret" {
  value     = ccloud_global_api_key.example.secret
  sensitive = true
}
