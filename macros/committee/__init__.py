"""The 机关党委 view: every branch's site built side by side, and a 汇总 (summary) beside them.

A committee repository holds `data/committee.yaml` (the committee's name, its branches' slugs,
names and order, the activities compared), `data/reviews.yaml` (述职评议) and one complete branch
project per branch in `branches/<slug>/` (examples/committee/ is a working sample).

- data.py     reads and checks the committee's data (the same Chinese `file:line` errors as a branch)
- stamp.py    what a branch's build depends on: its folder's content and the code's version
- publish.py  atomic replacement of one branch's site under OUT (as deploy/publish.py does for one site)
- jobs.py     one branch: reuse, or check its data (macros.core), build it with `mkdocs build --strict`,
              swap it in, and write its state file (OUT/.committee/<slug>.json) for the 汇总
- summary.py  the 汇总 page (OUT/index.html, Jinja templates in templates/) from the state files only
- build.py    `python -m macros.committee.build` (make committee): every branch in parallel, then the 汇总

The committee imports the branch's core (macros.core) but not the MkDocs plugin: a branch is built
by running MkDocs on its folder, exactly as `make build` would build it alone.
"""
