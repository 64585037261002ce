# The defaults are the IDs of the mock's default world, so the quick start
# runs as is against the mock. Against Confluent Cloud, set them to your own
# (for example in a terraform.tfvars file).

variable "environment_id" {
  description = "Environment that holds the resources the keys are for."
  type        = string
  default     = "env-q1ck5t"
}

variable "kafka_cluster_id" {
  description = "Kafka cluster the application's key is for."
  type        = string
  default     = "lkc-q1ck5t"
}

variable "schema_registry_id" {
  description = "Schema Registry the application's key is for."
  type        = string
  default     = "lsrc-q1ck5t"
}

variable "ksqldb_cluster_id" {
  description = "ksqlDB cluster the analytics application's key is for."
  type        = string
  default     = "lksqlc-q1ck5t"
}

variable "flink_cloud" {
  description = "Cloud provider of the Flink region the analytics application's key is for (AWS, GCP or AZURE)."
  type        = string
  default     = "AWS"
}

variable "flink_region" {
  description = "Flink region the analytics application's key is for."
  type        = string
  default     = "us-east-1"
}

variable "admin_email" {
  description = "Email address of a user of the organisation, looked up to show who administers it."
  type        = string
  default     = "quickstart@example.com"
}

variable "name_prefix" {
  description = "Prefix of the service accounts' display names, which are unique organisation-wide."
  type        = string
  default     = "quickstart"
}

variable "rotation" {
  description = "Rotation trigger of the orders application's API keys: change it (for example with -var rotation=2) to rotate them."
  type        = string
  default     = "1"
}
