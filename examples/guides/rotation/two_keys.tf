variable "active" {
  type    = string
  default = "blue" # switch to "green" once green has been rotated
}

variable "generations" {
  type    = map(string)
  default = { blue = "1", green = "1" }
}

resource "ccloud_kafka_api_key" "orders" {
  for_each = toset(["blue", "green"])

  owner_id       = ccloud_service_account.orders.id
  cluster_id     = "lkc-q1ck5t"
  environment_id = "env-q1ck5t"
  display_name   = "orders (${each.key})"

  rotation_triggers = {
    generation = var.generations[each.key] # bump only the idle key's value
  }

  lifecycle {
    create_before_destroy = true
  }
}

locals {
  orders_key = ccloud_kafka_api_key.orders[var.active] # what the application is given
}
