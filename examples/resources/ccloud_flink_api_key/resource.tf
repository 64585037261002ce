resource "ccloud_service_account" "statements" {
  display_name = "flink-statements"
  description  = "Submits the Flink SQL statements of the orders pipeline."
}

# A Flink key is scoped to one cloud region of one environment.
resource "ccloud_flink_api_key" "example" {
  owner_id       = ccloud_service_account.statements.id
  environment_id = "env-q1ck5t"
  cloud          = "AWS"
  region         = "us-east-1"

  display_name = "flink-statements in aws.us-east-1"

  rotation_triggers = {
    rotation = "1"
  }

  lifecycle {
    create_before_destroy = true
  }
}

output "flink_api_key" {
  value = ccloud_flink_api_key.example.id
}
