variable "kafka_api_secret" {
  type      = string
  sensitive = true
  default   = null

  # Catches a truncated or mistyped secret before anything uses it. Secrets of
  # the legacy format (without the cflt prefix) carry no checksum and fail.
  validation {
    condition     = var.kafka_api_secret == null || provider::ccloud::is_api_secret(var.kafka_api_secret)
    error_message = "The Kafka API secret is not a well-formed Confluent Cloud secret."
  }
}

output "looks_like_a_secret" {
  value = provider::ccloud::is_api_secret("not-a-secret") # false
}
