"""Scenarios from young people: the whole co-design workflow, from a first draft to a
published story in the modules, and back out again when its author withdraws it.

Other rooms call :mod:`app.scenarios.service` only. Inside, one module per concern:

- ``workflow``: the one table of allowed steps (who may move a scenario from which state
  to which), :func:`~app.scenarios.workflow.move`, and the steps in the author's words
- ``form``: what a co-designer types and the rules it meets; ``personal_details``: what in
  it looks personal
- ``records``: finding and describing scenarios (the author's own, the reviewable ones)
- ``submission``: saving drafts and sending them; ``safeguarding``: where their words meet
  the safeguarding room; ``choices``: credit and quoting; ``withdrawal``: taking it back
- ``review``: the queue, claims, decisions and flags; ``published_text``: the anonymised
  version practitioners read; ``placement``: which modules show it; ``publishing``:
  publish, preview, take down; ``published``: published scenarios in modules and search
- ``my_data`` and ``export``: everything held about a co-designer, as JSON, page or PDF
- ``errors``: what the room refuses, each naming the form field it is about
- ``pages`` (with ``review_pages`` and ``data_pages``) and ``api``: the routes, one router
  each for ``app.main``
"""
