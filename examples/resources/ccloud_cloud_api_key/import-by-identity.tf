# On Terraform 1.12 or later, import by the key's identity: the same state as
# import by ID, the secret from CONFLUENT_CLOUD_IMPORT_API_SECRET(S) included.
# terraform query with -generate-config-out writes blocks of this form.
import {
  to = ccloud_cloud_api_key.example
  identity = {
    id = "ABCDEFGHIJKLMNOP"
  }
}
