# A key for the Schema Registry that exists only while Terraform runs: created (and
# waited for) when Terraform opens it, deleted when Terraform closes it. Its
# secret is ephemeral, so it can go to a provider block or a write-only
# argument, never to state.
ephemeral "ccloud_schema_registry_api_key" "run" {
  owner_id           = "sa-abc123"
  schema_registry_id = "lsrc-q1ck5t"
  environment_id     = "env-q1ck5t"
}
