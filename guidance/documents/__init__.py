"""Documents ready to use for a municipality: the common ground of the draft council resolution
(which body decides, whether a resolution is already recorded), the draft cooperation agreement, the
consent form for case conferences and the committee slides.

Every document is German (it is a template for German councils and networks), A4 or 16:9, marked as
German for proofing, with its metadata set, and reads its figures from :mod:`guidance.tools` and
:mod:`guidance.facts` only. The package sits below :mod:`guidance.resolution`, which builds on it.
"""
