# Every Global API key of the organisation.
list "ccloud_global_api_key" "all" {
  provider = ccloud
}

# The Global keys owned by users.
list "ccloud_global_api_key" "user_owned" {
  provider = ccloud

  config {
    owner_kind = "User"
  }
}
