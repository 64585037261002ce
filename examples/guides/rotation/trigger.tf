# A CI variable starts the rotation: the pipeline passes a new value (for
# example its run number, or a value a person bumps in a reviewed change).
variable "orders_key_generation" {
  type    = string
  default = "1"
}

resource "ccloud_kafka_api_key" "orders" {
  owner_id       = ccloud_service_account.orders.id
  cluster_id     = "lkc-q1ck5t"
  environment_id = "env-q1ck5t"

  rotation_triggers = {
    generation = var.orders_key_generation
  }

  # Without grace_period a rotation is a replacement: the new key is
  # created, and waited for, before the old one is deleted.
  lifecycle {
    create_before_destroy = true
  }
}
