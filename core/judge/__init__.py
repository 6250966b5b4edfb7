"""Judge: a plan, what was reported and a date in; verdicts out.

Owns the verdicts (:mod:`.verdicts`: one finding per target, task and
obligation, per period, unit and agency, with its evidence and clause),
waivers (:mod:`.waivers`), roll-ups per agency and unit (:mod:`.rollups`),
the assessment of one province from its plugin and store (:mod:`.assessment`),
the national comparison (:mod:`.compare`) and the differences between saved
runs (:mod:`.runs`). Judging works on the schedule the plan room resolved:
it never reads a deadline phrase itself.

May import: :mod:`plancheck.data`, :mod:`plancheck.plans`,
:mod:`plancheck.errors`. Nothing here renders text for people.
"""
