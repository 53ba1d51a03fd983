"""The Overview: market facts and the study's four problems measured from the active survey."""
