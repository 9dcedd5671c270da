"""Models of the portal frame: none any more.

The page cache's content version (``ContentVersion``) was a row here; the page cache now keeps the
versions of its scopes in the shared cache (``portal.core.pagecache``), and migration 0002 drops the
table.
"""
