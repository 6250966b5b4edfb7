"""Plans: what a province committed to, read once and resolved into dates.

Owns the plan model (:mod:`.model`), the one cattrs converter (:mod:`.converter`),
reading and checking plan files (:mod:`.planfile`), the reporting calendar and
deadline phrases (:mod:`.calendar`), a plan's resolved schedule: every due date
of every task, target and obligation, worked out once when the plan is loaded
(:mod:`.schedule`), national programme templates (:mod:`.programme` and the
data in ``programmes/``), the cache of checked plans (:mod:`.plancache`), and
plugin loading with the hook specifications (:mod:`.plugins`, :mod:`.hookspecs`).

May import: :mod:`plancheck.errors` and the package root. Nothing else of
plancheck: every other room reads plans, no plan reads them.
"""
