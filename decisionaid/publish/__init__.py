"""Publishing out: the PDF (pdf), atomic writes (output), the build command's loop and
its manifest (build), the catalog (index) and the `new` skeleton (scaffold)."""
