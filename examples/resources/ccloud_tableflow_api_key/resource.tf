resource "ccloud_service_account" "lakehouse" {
  display_name = "lakehouse-reader"
  description  = "Reads Tableflow tables from the query engine."
}

# A Tableflow key is organisation-wide: it has no cluster or region.
resource "ccloud_tableflow_api_key" "example" {
  owner_id     = ccloud_service_account.lakehouse.id
  display_name = "lakehouse-reader Tableflow"

  rotation_period = "2160h"

  lifecycle {
    create_before_destroy = true
  }
}

output "tableflow_api_key" {
  value = ccloud_tableflow_api_key.example.id
}
