"""Exports of the analytics views: CSV/Parquet tables, FollowTheMoney entities, an OCDS package."""
