"""One aid made in memory, and what is made from it: `core.make_aid` checks one aid and
makes its handout (`make_copy` a patient's copy), notes.py the chart note, status.py the
review cycle's report. Above quality and handout; below publish, web and cli, which are
thin loops around it."""
