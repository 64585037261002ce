# The private key that opens sealed secrets. Declared ephemeral, Terraform
# never writes it, or anything derived from it, to state or plan files.
# Supply it at plan and at apply, for example:
#   export TF_VAR_age_identity="$(cat ~/.config/ccloud/age-identity.txt)"
variable "age_identity" {
  type      = string
  ephemeral = true
  sensitive = true
}

resource "ccloud_service_account" "orders" {
  display_name = "orders-service"
}

resource "ccloud_cloud_api_key" "orders" {
  owner_id = ccloud_service_account.orders.id

  # The secret is encrypted to this public key before it reaches state.
  secret_recipients = ["age1l94mfq7kz4afcad93yxcagtcl09fergztlprppeqg490wmza05jqtp6l27"]

  lifecycle {
    create_before_destroy = true
  }
}

# Because var.age_identity is ephemeral, the decrypted secret is ephemeral
# too: it can configure a provider, but never lands in state.
provider "ccloud" {
  alias            = "orders"
  cloud_api_key    = ccloud_cloud_api_key.orders.id
  cloud_api_secret = provider::ccloud::decrypt_secret(ccloud_cloud_api_key.orders.encrypted_secret, var.age_identity)
}
