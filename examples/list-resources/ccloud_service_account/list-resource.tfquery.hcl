# Every service account of the organisation.
list "ccloud_service_account" "all" {
  provider = ccloud
}

# One account by its display name, with the resource for -generate-config-out.
list "ccloud_service_account" "payments" {
  provider         = ccloud
  include_resource = true

  config {
    display_name = "payments-app"
  }
}
