# Every ksqlDB API key of the organisation.
list "ccloud_ksqldb_api_key" "all" {
  provider = ccloud
}

# The keys of one ksqlDB cluster.
list "ccloud_ksqldb_api_key" "cluster" {
  provider = ccloud

  config {
    ksqldb_cluster_id = "lksqlc-abc123"
  }
}
