"""``notice-parser batch``: folders and zip archives in, batch-wide tables out.

The modules, in the order a run uses them:

``sources``   expand the command line into inputs, each named by a stable key
``manifest``  what was parsed, from which bytes, by which parser, with what outcome
``run``       the command: plan, execute, rebuild the aggregates from the cache
``pool``      the local worker processes (a crash or a hang fails one file only)
``worker``    the per-file work, the same under the local pool and under Dask
``dask``      ``--engine dask``: the same work on a dask.distributed cluster

This package imports nothing from ``parser.cli``: the CLI builds the parse options
and hands them to ``run.main``, so the dependency runs one way only.
"""
