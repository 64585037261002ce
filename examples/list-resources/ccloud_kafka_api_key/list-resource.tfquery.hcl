# Every Kafka API key of the organisation.
list "ccloud_kafka_api_key" "all" {
  provider = ccloud
}

# The Kafka keys of one cluster that users own: keys that should not run production.
list "ccloud_kafka_api_key" "user_owned" {
  provider = ccloud

  config {
    cluster_id     = "lkc-abc123"
    environment_id = "env-abc123"
    owner_kind     = "User"
  }
}
