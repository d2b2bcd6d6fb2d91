"""Questionnaires as data: the YAML format's schema, a safe loader, the checker and the model."""
