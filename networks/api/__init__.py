"""The registry's read-only Open Referral HSDS 3.0 API under ``/api/hsds/`` (Django REST framework).

``views`` answer the endpoints of the HSDS reference (``openapi.json`` of HSDS 3.0) with the records of
``networks.hsds``; ``params`` reads and checks the query parameters (bad ones: 400 with a German
message); ``throttling`` limits anonymous use; ``conditional`` gives every list and record an ETag and
a Last-Modified date, so a harvester's conditional request is answered 304 while nothing changed.
"""
