terraform {
  # The provider ships functions, which need Terraform 1.8.
  required_version = ">= 1.8"

  required_providers {
    ccloud = {
      source = "ccloudiam/ccloud"
    }
  }
}

# The provider reads its endpoint and Cloud API key from the environment:
# CONFLUENT_CLOUD_ENDPOINT, CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET.
# `make mock` prints the three export lines for the local mock; `make demo`
# sets them itself.
provider "ccloud" {}
