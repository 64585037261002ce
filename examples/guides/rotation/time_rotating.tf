# One timer for several keys: when it rotates, every key whose trigger
# refers to it rotates in the same apply.
resource "time_rotating" "quarterly" {
  rotation_days = 90
}

resource "ccloud_kafka_api_key" "orders" {
  owner_id       = ccloud_service_account.orders.id
  cluster_id     = "lkc-q1ck5t"
  environment_id = "env-q1ck5t"
  grace_period   = "7d"

  rotation_triggers = {
    rotation = time_rotating.quarterly.id
  }
}

resource "ccloud_schema_registry_api_key" "orders" {
  owner_id           = ccloud_service_account.orders.id
  schema_registry_id = "lsrc-q1ck5t"
  environment_id     = "env-q1ck5t"
  grace_period       = "7d"

  rotation_triggers = {
    rotation = time_rotating.quarterly.id
  }
}
