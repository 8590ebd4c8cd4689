"""Curated reference data (YAML under data/reference/) and their validated loaders."""
