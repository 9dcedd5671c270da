"""The foundation every app builds on: roles and rule predicates, search, optimistic locking,
change reasons, the page cache, database helpers, form fields, upload checks and Markdown.

It imports no app. What it needs to know about an app (for example which municipalities a user
coordinates) the app registers here when it starts.
"""
