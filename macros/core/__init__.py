"""The branch's domain: plain Python that knows nothing of MkDocs (checked by import-linter).

Public API: `load_branch(root)` → `Branch` (macros/core/branch.py); errors are `DataErrors`
(macros/core/errors.py), each a Chinese `file:line` message.
"""

from macros.core.branch import Branch, Month, Summary, load_branch
from macros.core.errors import DataError, DataErrors

__all__ = ["Branch", "DataError", "DataErrors", "Month", "Summary", "load_branch"]
