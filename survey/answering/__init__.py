"""Answering a questionnaire: what a form sends, how it is checked, stored and read back.

Each question type has one entry in each registry here (cleaning, storage); a test checks
that no type is missing from any of them.
"""
