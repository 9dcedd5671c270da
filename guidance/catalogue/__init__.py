"""The good-practice catalogue: structured examples that coordinators describe and the editorial
team (Redaktion) reviews and publishes. Its own app (label ``catalogue``); its models keep the
``guidance`` label under which their tables and migrations were created."""
