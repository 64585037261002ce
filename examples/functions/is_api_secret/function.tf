variable "kafka_api_secret" {
  type      = string
  sensitive = true
  default   = null

  # Catches a truncated or mistyped secret before anything uses it. The
  # condition may use the sensitive value as it is.
  validation {
    condition     = var.kafka_api_secret == null || provider::ccloud::is_api_secret(var.kafka_api_secret)
    error_message = "The Kafka API secret is not a well-formed Confluent Cloud secret."
  }
}

variable "legacy_or_current_secret" {
  type      = string
  sensitive = true
  default   = null

  # Secrets issued before the cflt format (64 base64 characters, no
  # checksum) make is_api_secret return false; accept them by their shape.
  validation {
    condition = var.legacy_or_current_secret == null || (
      provider::ccloud::is_api_secret(var.legacy_or_current_secret) ||
      can(regex("^[A-Za-z0-9+/]{64}$", var.legacy_or_current_secret))
    )
    error_message = "The API secret is neither a cflt secret nor a legacy 64-character secret."
  }
}

output "looks_like_a_secret" {
  value = provider::ccloud::is_api_secret("not-a-secret") # false
}

# The result for a sensitive argument is sensitive too; an output needs
# nonsensitive(), which reveals only true or false.
output "kafka_secret_is_well_formed" {
  value = nonsensitive(provider::ccloud::is_api_secret(coalesce(var.kafka_api_secret, "unset")))
}
