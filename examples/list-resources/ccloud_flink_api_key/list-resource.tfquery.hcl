# Every Flink API key of the organisation.
list "ccloud_flink_api_key" "all" {
  provider = ccloud
}

# The Flink keys of one region of an environment.
list "ccloud_flink_api_key" "us_east_1" {
  provider = ccloud

  config {
    environment_id = "env-abc123"
    cloud          = "AWS"
    region         = "us-east-1"
  }
}
