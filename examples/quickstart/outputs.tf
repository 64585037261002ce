output "orders_service_account_id" {
  description = "ID of the orders application's service account."
  value       = ccloud_service_account.orders.id
}

output "analytics_service_account_id" {
  description = "ID of the analytics application's service account."
  value       = ccloud_service_account.analytics.id
}

output "orders_lookup_matches" {
  description = "Whether looking the orders account up by name found the account Terraform created."
  value       = data.ccloud_service_account.orders.id == ccloud_service_account.orders.id
}

output "analytics_accounts_with_that_name" {
  description = "IDs of the accounts named like the analytics account: exactly one."
  value       = data.ccloud_service_accounts.analytics.ids
}

output "admin_user" {
  description = "The administrator found by email."
  value = {
    id        = data.ccloud_user.admin.id
    full_name = data.ccloud_user.admin.full_name
  }
}

output "orders_kafka_api_key_id" {
  description = "ID of the orders application's Kafka API key: its user name on the cluster."
  value       = ccloud_kafka_api_key.orders.id
}

output "orders_schema_registry_api_key_id" {
  description = "ID of the orders application's Schema Registry API key."
  value       = ccloud_schema_registry_api_key.orders.id
}

output "orders_cloud_api_key_id" {
  description = "ID of the orders application's Cloud API key."
  value       = ccloud_cloud_api_key.orders.id
}

output "analytics_ksqldb_api_key_id" {
  description = "ID of the analytics application's ksqlDB API key."
  value       = ccloud_ksqldb_api_key.analytics.id
}

output "analytics_flink_api_key_id" {
  description = "ID of the analytics application's Flink API key."
  value       = ccloud_flink_api_key.analytics.id
}

output "analytics_tableflow_api_key_id" {
  description = "ID of the analytics application's Tableflow API key."
  value       = ccloud_tableflow_api_key.analytics.id
}

output "analytics_global_api_key_id" {
  description = "ID of the analytics application's Global API key."
  value       = ccloud_global_api_key.analytics.id
}

# Secrets are sensitive: terraform output hides them unless asked by name
# (terraform output -raw orders_kafka_api_secret). In production, write them
# to a secrets manager instead of outputs.
output "orders_kafka_api_secret" {
  description = "Secret of the orders application's Kafka API key."
  value       = ccloud_kafka_api_key.orders.secret
  sensitive   = true
}

output "orders_api_keys_in_cloud" {
  description = "IDs of every API key the orders account owns in Confluent Cloud, oldest first."
  value       = data.ccloud_api_keys.orders.ids
}
