"""Tests of heatpath.eed (Article 26 EED)."""
