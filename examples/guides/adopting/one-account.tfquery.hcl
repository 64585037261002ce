# Every key of one service account, with the resources for
# -generate-config-out: terraform query -var owner_id=sa-abc123
variable "owner_id" {
  type = string
}

list "ccloud_kafka_api_key" "owned" {
  provider         = ccloud
  include_resource = true

  config {
    owner_id = var.owner_id
  }
}

list "ccloud_schema_registry_api_key" "owned" {
  provider         = ccloud
  include_resource = true

  config {
    owner_id = var.owner_id
  }
}

list "ccloud_ksqldb_api_key" "owned" {
  provider         = ccloud
  include_resource = true

  config {
    owner_id = var.owner_id
  }
}

list "ccloud_flink_api_key" "owned" {
  provider         = ccloud
  include_resource = true

  config {
    owner_id = var.owner_id
  }
}

list "ccloud_tableflow_api_key" "owned" {
  provider         = ccloud
  include_resource = true

  config {
    owner_id = var.owner_id
  }
}

list "ccloud_cloud_api_key" "owned" {
  provider         = ccloud
  include_resource = true

  config {
    owner_id = var.owner_id
  }
}

list "ccloud_global_api_key" "owned" {
  provider         = ccloud
  include_resource = true

  config {
    owner_id = var.owner_id
  }
}
