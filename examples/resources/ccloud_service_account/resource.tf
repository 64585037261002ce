# One service account per application: its keys then belong to the
# application, not to a person, and can be rotated and revoked on their own.
resource "ccloud_service_account" "orders" {
  display_name = "orders-service"
  description  = "Produces and consumes the orders topics."
}

# Deleting a service account deletes every API key it owns. The provider
# refuses while keys Terraform is not also deleting remain, and lists them;
# set force_destroy = true and apply first when that is really intended.
resource "ccloud_service_account" "retired" {
  display_name  = "legacy-batch-job"
  force_destroy = true
}
