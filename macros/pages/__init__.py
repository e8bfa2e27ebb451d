"""What page macros compute, by page kind, and the Jinja templates that render it (templates/);
the build context (context.py). Values in, HTML out: data stays inert text."""
