"""Data: what agencies reported, in and out.

Owns the reporting form (rows a plan expects, CSV reading and writing:
:mod:`.forms`; Excel: :mod:`.workbook`), the store (SQLite by default,
PostgreSQL for a province or the nation; every value ever ingested, with its
file, row and reporter, so corrections keep history: :mod:`.store`), and the
switch that keeps the garbage collector out of bulk work (:mod:`.bulk`).

May import: :mod:`plancheck.plans`, :mod:`plancheck.errors`. Never judge,
publish or above: data is stored as reported, judged elsewhere.
"""
