"""Everything that touches MkDocs: the plugin (plugin.py), the macros' wiring (macros_env.py),
navigation memo, preview, search, CSP, assets, deferred HTML blocks, page meta, errors."""
