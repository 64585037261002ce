# Every service account of the organisation, sorted by display name.
data "ccloud_service_accounts" "all" {}

# Only those with a given display name: an empty list when there is none,
# which makes this the way to test whether a name is free.
data "ccloud_service_accounts" "orders" {
  display_name = "orders-service"
}

output "service_account_ids" {
  value = data.ccloud_service_accounts.all.ids
}

output "orders_name_taken" {
  value = length(data.ccloud_service_accounts.orders.ids) > 0
}
