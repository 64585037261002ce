# A Cloud API key that exists only while Terraform runs. It configures a
# second ccloud provider that acts as the service account, for example to
# check what that account can see, without any long-lived key for it.
resource "ccloud_service_account" "deployer" {
  display_name = "deployer"
}

ephemeral "ccloud_cloud_api_key" "deployer" {
  owner_id     = ccloud_service_account.deployer.id
  display_name = "deployer, one Terraform run"
}

provider "ccloud" {
  alias            = "deployer"
  cloud_api_key    = ephemeral.ccloud_cloud_api_key.deployer.id
  cloud_api_secret = ephemeral.ccloud_cloud_api_key.deployer.secret
}

data "ccloud_service_accounts" "seen_by_deployer" {
  provider = ccloud.deployer
}
