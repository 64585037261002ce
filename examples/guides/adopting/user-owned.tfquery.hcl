# The keys owned by users: Confluent Cloud deletes them with the user, so they
# should not run production.
list "ccloud_kafka_api_key" "user_owned" {
  provider = ccloud

  config {
    owner_kind = "User"
  }
}

list "ccloud_schema_registry_api_key" "user_owned" {
  provider = ccloud

  config {
    owner_kind = "User"
  }
}

list "ccloud_ksqldb_api_key" "user_owned" {
  provider = ccloud

  config {
    owner_kind = "User"
  }
}

list "ccloud_flink_api_key" "user_owned" {
  provider = ccloud

  config {
    owner_kind = "User"
  }
}

list "ccloud_tableflow_api_key" "user_owned" {
  provider = ccloud

  config {
    owner_kind = "User"
  }
}

list "ccloud_cloud_api_key" "user_owned" {
  provider = ccloud

  config {
    owner_kind = "User"
  }
}

list "ccloud_global_api_key" "user_owned" {
  provider = ccloud

  config {
    owner_kind = "User"
  }
}
