"""Publishing: the static site, and its downloads on their own.

:mod:`~partnernet.publish.options` (what a run is told and returns, checked before it starts),
:mod:`~partnernet.publish.tasks` (the work as frozen data that crosses processes),
:mod:`~partnernet.publish.writer` (tasks → files), :mod:`~partnernet.publish.workers` (the process pool
and the garbage-collector tricks) and :mod:`~partnernet.publish.run` (prepare → compute → write → swap,
and export). Kept free of imports so that the CLI can read the options without loading the rest.
"""
