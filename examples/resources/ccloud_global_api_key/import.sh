# An API key is imported by its key ID. The provider checks that the key's
# scope matches the resource type.
terraform import ccloud_global_api_key.example ABCDEFGHIJKLMNOP

# Confluent Cloud shows a secret only once, when the key is created, so an
# imported key's secret is null in state. To import the secret as well, pass
# it in the CONFLUENT_CLOUD_IMPORT_API_SECRET environment variable (read here
# from a file, which keeps it out of the shell history).
CONFLUENT_CLOUD_IMPORT_API_SECRET="$(cat api-secret.txt)" \
  terraform import ccloud_global_api_key.example ABCDEFGHIJKLMNOP
