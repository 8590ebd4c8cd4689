"""`armsledger report`: one self-contained HTML file with charts of the corpus (etl/report/build.py)."""
