"""Data-drift monitoring: Evidently runs (`flask drift run`), their history page, the alert
banner, GET /api/drift."""
