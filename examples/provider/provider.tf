terraform {
  required_providers {
    ccloud = {
      source = "ccloudiam/ccloud"
    }
  }
}

# Credentials come from the environment, so they stay out of the code:
#
#   export CONFLUENT_CLOUD_API_KEY="<Cloud API key ID>"
#   export CONFLUENT_CLOUD_API_SECRET="<Cloud API key secret>"
#   export CONFLUENT_CLOUD_ENDPOINT="https://api.confluent.cloud" # optional; the mock's URL for local runs
provider "ccloud" {}
