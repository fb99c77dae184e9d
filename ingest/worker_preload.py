"""What the worker server (``ingest.parallel``) loads before it forks any worker.

The stage modules, and the tables they would otherwise load on first use: every worker forked
after this shares them, instead of each paying for its own copy (the language model alone
takes ~0.8 s to load).
"""

from ingest import claim_spread, syndication  # noqa: F401  (imported for the workers)
from ingest.discover import warc  # noqa: F401
from ingest.extract.language import identifier
from ingest.nlp import load_actors

identifier()
load_actors()
