"""The site's Python package, in rooms (ARCHITECTURE.md):

- core/      the branch's domain: reading and checking data, records, plan, checklists, compliance;
             plain Python that knows nothing of MkDocs (`from macros.core import load_branch`)
- exports/   files that leave the site: the report as .docx and .txt, the 台账 as .xlsx
- pages/     what page macros compute and their Jinja templates, by page kind
- site/      everything that touches MkDocs: the plugin, navigation, preview, search, CSP, assets
- commands/  make check, make new-year, make schemas, the 台账 Excel template and import

This module is mkdocs-macros' entry point (mkdocs.yml: `modules: [macros]`); it only hands over to
macros/site/macros_env.py, so importing `macros.core` loads nothing of MkDocs.
"""


def define_env(env):
    from macros.site.macros_env import define_env as define

    return define(env)


def on_pre_page_macros(env):
    from macros.site.macros_env import on_pre_page_macros as before_page

    return before_page(env)
