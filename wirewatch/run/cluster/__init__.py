"""The Ray executor: ``ingest --executor ray`` on a local or an existing Ray cluster.

One concept per module: ``blocks`` splits inputs into units of work, ``work`` holds what a
Ray worker runs (plain functions and a class; the stages they call never import Ray),
``session`` starts or joins a cluster, ``pipeline`` holds the run's Ray Data datasets
(extraction tasks, the NLP actor pool), ``actors`` sizes that pool (with ``sizing``) and starts
the core Ray actors that write to PostgreSQL, ``scheduling`` moves blocks through extraction,
the copy shuffle, the actors and the writer, ``report`` says what a run did, and
``executor`` drives the run.
"""
