"""Static embedding model files (see models/embedding.md)."""
