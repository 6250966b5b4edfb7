"""Authoring: for the developer who writes a province's plan as data.

Owns the draft of a plan from a decision's text (:mod:`.drafting`, which
reads the text with :mod:`.clauses` (paragraphs, clauses, sentences),
:mod:`.mentions` (dates, numbers, units, deadlines, targets) and
:mod:`.agencies` (who is named)), the
fidelity cross-check of a plan against its text (:mod:`.fidelity`), the plan
review behind ``plugin check`` (:mod:`.review`), the scaffold of a new plugin
(:mod:`.scaffold`, its templates in ``templates/``) and the generated parts of
the plugin author's manual (:mod:`.plugin_docs`).

Stands beside publish, above judge: it may import :mod:`plancheck.judge`,
:mod:`plancheck.data`, :mod:`plancheck.plans` and :mod:`plancheck.errors`,
never :mod:`plancheck.publish` or the CLI.
"""
