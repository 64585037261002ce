# The quick start: one service account per application, and the lookups
# that find identities Terraform does not manage.

# The identity of the orders application. Everything it uses (API keys for
# Kafka and Schema Registry) is owned by this account, not by a person, so it
# survives staff changes and can be rotated or revoked on its own.
resource "ccloud_service_account" "orders" {
  display_name = "${var.name_prefix}-orders-app"
  description  = "Produces and consumes the orders topics."
}

# A second application gets its own account rather than sharing one: least
# privilege, and one application's keys can be revoked without the other's.
resource "ccloud_service_account" "analytics" {
  display_name = "${var.name_prefix}-analytics-app"
  description  = "Reads the orders topics for reporting."
}

# A user of the organisation, found by email. Users cannot be created
# through the API, only looked up; keys they own are deleted with them,
# which is why applications use service accounts instead.
data "ccloud_user" "admin" {
  email = var.admin_email
}

# Look an account up by its display name, as another configuration (one that
# does not manage the account) would. Names with spaces work too.
data "ccloud_service_account" "orders" {
  display_name = ccloud_service_account.orders.display_name
}

# Every service account whose display name is exactly this one: the way to
# check whether a name is already taken before creating an account.
data "ccloud_service_accounts" "analytics" {
  display_name = ccloud_service_account.analytics.display_name
}

# The orders application's API keys, all owned by its service account: one
# for the Kafka cluster, one for the Schema Registry, and a Cloud key for the
# management APIs (for example to look up its cluster's endpoints).
#
# Rotation is replacement. Changing var.rotation (terraform apply
# -var rotation=2) replaces these three keys and the analytics keys below,
# and create_before_destroy makes each new key exist, and work, before the
# old one is deleted.
resource "ccloud_kafka_api_key" "orders" {
  owner_id       = ccloud_service_account.orders.id
  cluster_id     = var.kafka_cluster_id
  environment_id = var.environment_id
  display_name   = "${var.name_prefix}-orders-kafka"

  rotation_triggers = {
    rotation = var.rotation
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "ccloud_schema_registry_api_key" "orders" {
  owner_id           = ccloud_service_account.orders.id
  schema_registry_id = var.schema_registry_id
  environment_id     = var.environment_id
  display_name       = "${var.name_prefix}-orders-schema-registry"

  rotation_triggers = {
    rotation = var.rotation
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "ccloud_cloud_api_key" "orders" {
  owner_id     = ccloud_service_account.orders.id
  display_name = "${var.name_prefix}-orders-cloud"

  rotation_triggers = {
    rotation = var.rotation
  }

  lifecycle {
    create_before_destroy = true
  }
}

# The analytics application's keys, owned by its own account: one for the
# ksqlDB cluster its queries run on, one for Flink SQL statements in one
# cloud region, and two organisation-wide ones, for Tableflow and a Global
# key for the tooling that spans the management APIs and the data planes.
# They rotate with var.rotation like the orders keys.
resource "ccloud_ksqldb_api_key" "analytics" {
  owner_id          = ccloud_service_account.analytics.id
  ksqldb_cluster_id = var.ksqldb_cluster_id
  environment_id    = var.environment_id
  display_name      = "${var.name_prefix}-analytics-ksqldb"

  rotation_triggers = {
    rotation = var.rotation
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "ccloud_flink_api_key" "analytics" {
  owner_id       = ccloud_service_account.analytics.id
  environment_id = var.environment_id
  cloud          = var.flink_cloud
  region         = var.flink_region
  display_name   = "${var.name_prefix}-analytics-flink"

  rotation_triggers = {
    rotation = var.rotation
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "ccloud_tableflow_api_key" "analytics" {
  owner_id     = ccloud_service_account.analytics.id
  display_name = "${var.name_prefix}-analytics-tableflow"

  rotation_triggers = {
    rotation = var.rotation
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "ccloud_global_api_key" "analytics" {
  owner_id     = ccloud_service_account.analytics.id
  display_name = "${var.name_prefix}-analytics-global"

  rotation_triggers = {
    rotation = var.rotation
  }

  lifecycle {
    create_before_destroy = true
  }
}

# The keys Confluent Cloud holds for the orders account, whoever created
# them: the audit view. It waits for the keys above so that it lists them;
# during a rotation it is read while the old and the new keys both exist, so
# it shows the current set once refreshed after the apply.
data "ccloud_api_keys" "orders" {
  owner_id = ccloud_service_account.orders.id

  depends_on = [
    ccloud_kafka_api_key.orders,
    ccloud_schema_registry_api_key.orders,
    ccloud_cloud_api_key.orders,
  ]
}
