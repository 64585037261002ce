# Every Tableflow API key of the organisation.
list "ccloud_tableflow_api_key" "all" {
  provider = ccloud
}

# The Tableflow keys owned by users.
list "ccloud_tableflow_api_key" "user_owned" {
  provider = ccloud

  config {
    owner_kind = "User"
  }
}
