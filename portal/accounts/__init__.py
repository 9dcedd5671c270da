"""Accounts: signing in and out, passwords, "Meine Daten" and the erasure of accounts on request."""
