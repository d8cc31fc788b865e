"""Model files shipped with dupscan (plain data: safetensors and JSON)."""
