# On Terraform 1.12 or later, import by the account's identity: the same
# state as import by ID. terraform query with -generate-config-out writes
# blocks of this form.
import {
  to = ccloud_service_account.orders
  identity = {
    id = "sa-abc123"
  }
}
