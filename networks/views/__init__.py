"""Views of the registry: thin, they parse the request, ask the rules, call selectors or services."""
