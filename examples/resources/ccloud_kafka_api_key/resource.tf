# The service account is the identity of one application. Keys owned by a
# service account outlive the people who created them; user-owned keys are
# deleted with the user.
resource "ccloud_service_account" "orders" {
  display_name = "orders-service"
  description  = "Produces and consumes the orders topics."
}

resource "ccloud_kafka_api_key" "example" {
  owner_id       = ccloud_service_account.orders.id
  cluster_id     = "lkc-q1ck5t"
  environment_id = "env-q1ck5t"

  display_name = "orders-service on lkc-q1ck5t"
  description  = "Used by the orders service to produce and consume."

  # Changing any value replaces the key. Bump it to rotate.
  rotation_triggers = {
    rotation = "1"
  }

  # Rotation is replacement: create the new key (and wait until it works)
  # before the old one is deleted, so there is always a working key.
  lifecycle {
    create_before_destroy = true
  }
}

# With grace_period a rotation is an in-place update instead: the new key
# becomes current and the old one keeps working, listed in previous_keys,
# until its retire_at, for clients that pick up the new secret late.
resource "ccloud_kafka_api_key" "with_grace" {
  owner_id       = ccloud_service_account.orders.id
  cluster_id     = "lkc-q1ck5t"
  environment_id = "env-q1ck5t"
  display_name   = "orders-service (grace)"

  rotation_period   = "90d"
  grace_period      = "72h"
  max_previous_keys = 1

  lifecycle {
    create_before_destroy = true
  }
}

output "orders_kafka_api_key" {
  value = ccloud_kafka_api_key.example.id
}

output "orders_kafka_api_secret" {
  value     = ccloud_kafka_api_key.example.secret
  sensitive = true
}

# The same kind of key with its secret sealed: state holds only
# encrypted_secret, which the private key of one of the recipients opens
# (provider::ccloud::decrypt_secret, or age --decrypt). See the guide
# "Keeping API secrets out of Terraform state".
resource "ccloud_kafka_api_key" "sealed" {
  owner_id       = ccloud_service_account.orders.id
  cluster_id     = "lkc-q1ck5t"
  environment_id = "env-q1ck5t"

  secret_recipients = ["age1l94mfq7kz4afcad93yxcagtcl09fergztlprppeqg490wmza05jqtp6l27"]

  lifecycle {
    create_before_destroy = true
  }
}

output "orders_kafka_encrypted_secret" {
  value = ccloud_kafka_api_key.sealed.encrypted_secret
}
