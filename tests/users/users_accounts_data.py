"""Synthetic accounts shared by the users tests (a module, not conftest: with several conftest.py
files in one run, ``from conftest import …`` picks whichever was imported first)."""
PASSWORDS = {"admin1": "Admin-pass-1", "sup1": "Super-pass-1", "clerk1": "Clerk-pass-1", "clerk2": "Clerk-pass-2"}
ROLES = {"admin1": "admin", "sup1": "supervisor", "clerk1": "clerk", "clerk2": "clerk"}
