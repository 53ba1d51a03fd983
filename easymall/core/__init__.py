"""The small shared core every layer may use: errors, units, bilingual text, the UI catalogue and
the safe YAML reader. It imports nothing else from ``easymall``."""
