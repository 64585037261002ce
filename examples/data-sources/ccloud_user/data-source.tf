# Find a user by email address (case does not matter), for example to audit
# the API keys a person owns.
data "ccloud_user" "alice" {
  email = "alice@example.com"
}

data "ccloud_api_keys" "owned_by_alice" {
  owner_id = data.ccloud_user.alice.id
}

output "alice_user_id" {
  value = data.ccloud_user.alice.id
}
