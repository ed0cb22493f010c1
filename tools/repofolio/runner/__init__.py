"""Run a project's ``run:`` commands (and notebooks) in an isolated, cached virtual environment.

One module per concern, each depending only on those above it:

- :mod:`~repofolio.runner.process`: a command in its own process group, its output kept as a
  bounded tail, the whole group killed at the timeout; the most useful line of a failure.
- :mod:`~repofolio.runner.status`: a project's status and its reason (enums; imports nothing).
- :mod:`~repofolio.runner.steps`: each step (install, command, notebook) and how it ended.
- :mod:`~repofolio.runner.env`: one virtual environment per (python, requirements, extras),
  made once and reused, with a kernelspec for notebooks; pruning the ones nothing uses.
- :mod:`~repofolio.runner.notebook`: one notebook executed in a child process (nbclient loads
  there, not here) whose kernel is the environment's Python; saved outputs compared.
- :mod:`~repofolio.runner.plan`: what to do for a project (:class:`Plan`), and doing it.

POSIX only (process groups, ``fcntl`` locks). Nothing here is imported by ``folio check``.
"""
