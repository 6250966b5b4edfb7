"""The portal (``plancheck serve``): where agencies file their forms and each office sees its plan live.

Owns the web application: the FastAPI app factory and its settings
(:mod:`.app`), the pages (:mod:`.pages`, :mod:`.office`) and the JSON API
(:mod:`.api`), server-rendered Jinja2 templates (``templates/``) and the
stylesheet (``static/``); accounts, roles, API tokens, sessions, the audit
log and uploads waiting for confirmation, in tables of their own beside the
CLI's on the same database (:mod:`.accounts`); who may see and do what
(:mod:`.access`: one function decides, every route asks it); filing a form
(:mod:`.filing`) and judging a province for a page (:mod:`.judging`); waivers
kept by a provincial office (:mod:`.waivers`); the words of the pages in
Vietnamese and English (the gettext catalog, :mod:`plancheck.language`); and the example data and demo
accounts of ``serve --example`` (:mod:`.demo`).

Nothing is judged or stored twice: filing is the CLI's form reading and
``store.ingest``, judging is ``judge.assessment``, reports are ``publish``.

May import: :mod:`plancheck.publish`, :mod:`plancheck.authoring`,
:mod:`plancheck.judge`, :mod:`plancheck.data`, :mod:`plancheck.plans`,
:mod:`plancheck.errors`; never the CLI. FastAPI, uvicorn, Jinja2 and argon2
are imported only here, and only the ``serve`` and ``user`` commands import this room.
"""
