"""The Ray executor: ``ingest --executor ray`` on a local or an existing Ray cluster.

One concept per module: ``blocks`` splits inputs into units of work, ``work`` holds what a
Ray worker runs (plain functions and a class; the stages they call never import Ray),
``session`` starts or joins a cluster, ``executor`` drives the run.
"""
