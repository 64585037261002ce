# A service account is imported by its ID.
terraform import ccloud_service_account.orders sa-abc123
