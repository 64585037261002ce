resource "ccloud_service_account" "analytics" {
  display_name = "analytics-queries"
  description  = "Runs the analytics ksqlDB queries."
}

resource "ccloud_ksqldb_api_key" "example" {
  owner_id          = ccloud_service_account.analytics.id
  ksqldb_cluster_id = "lksqlc-q1ck5t"
  environment_id    = "env-q1ck5t"

  display_name = "analytics-queries on lksqlc-q1ck5t"
  description  = "Used by the analytics jobs to run ksqlDB queries."

  # The provider waits until the new key authenticates on the ksqlDB cluster
  # before it reports the key as created (the default).
  wait_for_ready = true

  # ksqlDB can take a while to accept a new key; allow more than the default
  # 10 minutes.
  timeouts {
    create = "15m"
  }

  lifecycle {
    create_before_destroy = true
  }
}

output "ksqldb_api_key" {
  value = ccloud_ksqldb_api_key.example.id
}
