# Look a service account up by its display name (matched exactly; spaces are
# fine) ...
data "ccloud_service_account" "orders" {
  display_name = "orders service"
}

# ... or by its ID.
data "ccloud_service_account" "by_id" {
  id = "sa-abc123"
}

output "orders_service_account_id" {
  value = data.ccloud_service_account.orders.id
}
