"""Scoring the ETL's extraction against hand-made gold annotations (`armsledger eval`)."""
