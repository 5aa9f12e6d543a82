"""Evaluation of the engine on vignette files (shared/contract/vignettes.md)."""
