"""Publishing a content root: the plan of what to make again (plan.py), the build's
loop and its manifest (build.py, manifest.py), the worker processes (worker.py),
merging shards (merge.py), the catalog (index.py), an interrupted build's journal
(interrupts.py) and the `new` skeleton (scaffold.py). The files themselves are written
by output/."""
