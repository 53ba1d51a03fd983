"""Scenarios: the monthly driver model, its risk analysis (Monte Carlo, sensitivity, goal seek),
edits, what the Strategy page shows, and the ``easymall scenario`` command."""
