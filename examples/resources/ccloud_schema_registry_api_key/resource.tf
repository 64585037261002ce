resource "ccloud_service_account" "schemas" {
  display_name = "schema-publisher"
  description  = "Registers the schemas of the orders topics."
}

resource "ccloud_schema_registry_api_key" "example" {
  owner_id           = ccloud_service_account.schemas.id
  schema_registry_id = "lsrc-q1ck5t"
  environment_id     = "env-q1ck5t"

  display_name = "schema-publisher on lsrc-q1ck5t"

  # Replace the key every 90 days: once created_at + 90 days has passed, the
  # next plan shows a replacement and says why. rotation_due_at tells when.
  rotation_period = "90d"

  lifecycle {
    create_before_destroy = true
  }
}

output "schema_registry_api_key" {
  value = ccloud_schema_registry_api_key.example.id
}

output "schema_registry_rotation_due_at" {
  value = ccloud_schema_registry_api_key.example.rotation_due_at
}
