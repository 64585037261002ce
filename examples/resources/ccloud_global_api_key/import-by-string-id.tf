# Import an existing key by its ID with `terraform plan` and `terraform apply`.
# Set CONFLUENT_CLOUD_IMPORT_API_SECRET in the environment of that run to
# import the secret too; otherwise it is null in state.
import {
  to = ccloud_global_api_key.example
  id = "ABCDEFGHIJKLMNOP"
}
