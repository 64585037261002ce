resource "ccloud_kafka_api_key" "orders" {
  owner_id       = ccloud_service_account.orders.id
  cluster_id     = "lkc-q1ck5t"
  environment_id = "env-q1ck5t"
  display_name   = "orders-service"

  # Rotate every 90 days; the old key keeps working for 3 days after each
  # rotation, and at most one old key is kept.
  rotation_period   = "90d"
  grace_period      = "72h"
  max_previous_keys = 1

  # Still useful with grace_period: it orders replacements that other
  # changes (a new owner_id, terraform apply -replace) cause.
  lifecycle {
    create_before_destroy = true
  }
}

# When the next old key stops working, for monitoring and alerting.
output "orders_key_next_retirement" {
  value = ccloud_kafka_api_key.orders.next_retirement_at
}
