# A Global API key that exists only while Terraform runs, for one run's
# organisation-wide work as a service account: here a second ccloud provider
# that acts as that account, without any long-lived key for it.
resource "ccloud_service_account" "operator" {
  display_name = "operator"
}

ephemeral "ccloud_global_api_key" "operator" {
  owner_id     = ccloud_service_account.operator.id
  display_name = "operator, one Terraform run"
}

provider "ccloud" {
  alias            = "operator"
  cloud_api_key    = ephemeral.ccloud_global_api_key.operator.id
  cloud_api_secret = ephemeral.ccloud_global_api_key.operator.secret
}

data "ccloud_service_accounts" "seen_by_operator" {
  provider = ccloud.operator
}
