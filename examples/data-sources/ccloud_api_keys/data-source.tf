# Every key owned by one service account: after a rotation there should be
# exactly one left.
data "ccloud_api_keys" "orders_service" {
  owner_id = "sa-abc123"
}

# Every key that grants access to one Kafka cluster, whoever owns it.
data "ccloud_api_keys" "orders_cluster" {
  resource_id = "lkc-q1ck5t"
}

# Both filters: the Cloud (management) keys of one service account.
data "ccloud_api_keys" "orders_service_cloud" {
  owner_id    = "sa-abc123"
  resource_id = "cloud"
}

# No filter: every key of the organisation, for an audit.
data "ccloud_api_keys" "all" {}

locals {
  keys = data.ccloud_api_keys.all.api_keys
}

# User-owned keys die with the user; production should use service accounts.
output "user_owned_keys" {
  value = [for k in local.keys : k.id if k.owner_kind == "User"]
}

# Keys older than 90 days are candidates for rotation or removal.
output "keys_older_than_90_days" {
  value = [for k in local.keys : k.id if timecmp(k.created_at, timeadd(plantimestamp(), "-2160h")) < 0]
}

output "keys_per_scope" {
  value = { for k in local.keys : k.scope => k.id... }
}
