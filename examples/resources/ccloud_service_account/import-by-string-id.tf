# Adopt an existing service account with `terraform plan` and `terraform apply`.
# Display names are unique across the organisation: this is how to manage an
# account that a create reported as already in use.
import {
  to = ccloud_service_account.orders
  id = "sa-abc123"
}
