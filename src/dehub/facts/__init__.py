"""The trade-facts store: canonical table, readers for each source layout, validated ingestion."""
